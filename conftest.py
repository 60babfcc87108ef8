"""Root test configuration: the real-stack fixtures of the kit serve every test folder, and every
test gets one kind marker (registered in pyproject.toml) by where it lives and what it needs:

- `browser`, `faults`, `fuzz`, `integration`, `deploy`, `bench`: by folder (see `FOLDER_MARKERS`);
- `service`: any other test that needs the real stack (the `stack` fixture, directly or through
  another fixture);
- `unit`: the rest — no I/O, seconds for all of them (`./bin/test -m unit`).

A test that marks itself keeps its own kind.
"""

from pathlib import Path

import pytest

pytest_plugins = ["teilhabe_kit.testing"]

KINDS = ("unit", "service", "integration", "browser", "faults", "fuzz", "deploy", "bench")

FOLDER_MARKERS = {
    "tests/faults": "faults",
    "tests/fuzz": "fuzz",
    "tests/integration": "integration",
    "services/gateway/tests/browser": "browser",
    "services/gateway/tests/browser_centres": "browser",
    "deploy": "deploy",
    "tests/bench": "bench",
}

ROOT = Path(__file__).resolve().parent


def kind_of(path: Path, fixtures: list[str]) -> str:
    """The kind of a test in the file at `path` that uses `fixtures` (their whole closure)."""
    relative = path.resolve().relative_to(ROOT).as_posix()
    for folder, kind in FOLDER_MARKERS.items():
        if relative == folder or relative.startswith(folder + "/"):
            return kind
    return "service" if "stack" in fixtures else "unit"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark each test with its kind before `-m` selects (hence `tryfirst`)."""
    for item in items:
        if not any(item.get_closest_marker(kind) for kind in KINDS):
            item.add_marker(kind_of(Path(item.fspath), item.fixturenames))
