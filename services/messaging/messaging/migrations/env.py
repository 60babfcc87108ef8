from teilhabe_kit.migrations import run_env

from messaging.readmodels.tables import metadata

run_env(metadata)
