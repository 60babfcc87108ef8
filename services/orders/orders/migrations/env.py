from teilhabe_kit.migrations import run_env

from orders.readmodels.tables import metadata

run_env(metadata)
