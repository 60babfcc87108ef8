from counseling.readmodels.tables import metadata
from teilhabe_kit.migrations import run_env

run_env(metadata)
