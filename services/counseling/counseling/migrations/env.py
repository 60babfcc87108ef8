import counseling.readmodels.thread_tables  # noqa: F401  (mail counseling's tables join the metadata)
from counseling.readmodels.tables import metadata
from teilhabe_kit.migrations import run_env

run_env(metadata)
