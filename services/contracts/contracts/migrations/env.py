from teilhabe_kit.migrations import run_env

from contracts.readmodels.tables import metadata

run_env(metadata)
