"""Orders: search orders of people seeking assistance and the offers made on them."""
