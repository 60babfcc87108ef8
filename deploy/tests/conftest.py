"""Fixtures of the deployment tests."""

import pytest
from deploy_support import model


@pytest.fixture(scope="session")
def services() -> dict:
    """Every service of the repository as the generator sees it."""
    return model.discover()
