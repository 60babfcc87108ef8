"""Customer and contract numbers: human-readable, unique under concurrent sign-ups.

Both come from PostgreSQL sequences (never reused, safe under concurrency without locks). A
customer number is kept per participant in `customers`: the first sign-up inserts it, a
concurrent second one waits on the primary key and then reads the committed number. A sequence
value drawn by a losing insert is skipped (a gap that means nothing to anyone).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.readmodels.tables import contract_number_seq, customers

_INSERT_CUSTOMER = text(
    "INSERT INTO customers (participant_id, customer_number)"
    " VALUES (:participant_id, 'K-' || lpad(nextval('customer_number_seq')::text, 6, '0'))"
    " ON CONFLICT (participant_id) DO NOTHING RETURNING customer_number"
)


async def customer_number(conn: AsyncConnection, participant_id: str) -> tuple[str, bool]:
    """(number, newly assigned) of the participant; assigned once and kept for later contracts."""
    created = await conn.scalar(_INSERT_CUSTOMER, {"participant_id": participant_id})
    if created is not None:
        return created, True
    existing = await conn.execute(
        select(customers.c.customer_number).where(customers.c.participant_id == participant_id)
    )
    return existing.scalar_one(), False


async def contract_number(conn: AsyncConnection, today: date) -> str:
    """A new contract number, e.g. ``V-2026-000042``."""
    value = await conn.scalar(select(contract_number_seq.next_value()))
    return f"V-{today.year}-{value:06d}"
