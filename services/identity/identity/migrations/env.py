from teilhabe_kit.migrations import run_env

from identity.readmodels.tables import metadata

run_env(metadata)
