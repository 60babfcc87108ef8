"""The daily jobs (deletion routine, guardian hand-over, housekeeping): ``python -m identity.jobs``."""

from __future__ import annotations

import asyncio
import json

from identity.app.erasure import run_due_jobs
from identity.settings import Settings
from teilhabe_kit.db import create_engine
from teilhabe_kit.localtime import today


async def main() -> None:
    engine = create_engine(Settings().resolved_database_url())
    try:
        report = await run_due_jobs(engine, today())
        print(
            json.dumps(
                {
                    "erased": len(report.erased),
                    "guardianships_ended": len(report.guardianships_ended),
                    "forgotten": report.forgotten,
                }
            )
        )
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
