"""The fault suite runs on a PRIVATE stack (own data folder and ports), so stopping its broker or
database never disturbs other tests. Processes are real: uvicorn subprocesses killed with SIGKILL.
"""

from __future__ import annotations

import pytest
from faults_support import DATABASE_URL, FAULT_ENV, ToyProcess, stack
from sqlalchemy import text
from toy_service import metadata

from teilhabe_kit.db import create_engine
from teilhabe_kit.testing import migrate


@pytest.fixture(scope="session")
def fault_stack():
    stack("up")
    yield FAULT_ENV
    stack("down")


@pytest.fixture(scope="session")
async def fault_db(fault_stack):
    await migrate(None, DATABASE_URL)
    engine = create_engine(DATABASE_URL)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
def toy_processes():
    started: list[ToyProcess] = []

    def make(topic: str, **parts) -> ToyProcess:
        process = ToyProcess(topic, **parts).start()
        started.append(process)
        return process

    yield make
    for process in started:
        process.stop()


@pytest.fixture
async def clean_fault_db(fault_db):
    async with fault_db.begin() as conn:
        await conn.execute(text("TRUNCATE fault_tally, event_store, outbox, processed_events"))
    return fault_db
