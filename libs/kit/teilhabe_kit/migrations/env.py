from teilhabe_kit.migrations import run_env
from teilhabe_kit.tables import kit_metadata

run_env(kit_metadata)
