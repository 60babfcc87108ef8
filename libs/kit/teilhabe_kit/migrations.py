"""Alembic, run the same way by every service.

The kit's own tables (event store, outbox, tracking, person keys) have their own migration history
(`teilhabe_kit/migrations`, version table ``kit_alembic_version``); each service has its history in
``<package>/migrations`` (version table ``alembic_version``). `upgrade(package, url)` applies both.

Command line: ``python -m teilhabe_kit.migrations <package> [upgrade|revision -m MESSAGE]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from importlib import resources
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.ext.asyncio import create_async_engine

from teilhabe_kit.tables import kit_metadata

KIT_VERSION_TABLE = "kit_alembic_version"


def _config(script_location: Path, url: str, version_table: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.set_main_option("version_table", version_table)
    return config


def _locations(package: str) -> list[tuple[Path, str]]:
    kit = Path(str(resources.files("teilhabe_kit") / "migrations"))
    service = Path(str(resources.files(package) / "migrations"))
    return [(kit, KIT_VERSION_TABLE), (service, "alembic_version")]


def upgrade(package: str | None, url: str) -> None:
    """Bring the kit's and the service's tables to the newest revision (blocking; own event loop).

    With `package` None only the kit's tables are migrated.
    """
    locations = _locations(package) if package else _locations("teilhabe_kit")[:1]
    for location, version_table in locations:
        command.upgrade(_config(location, url, version_table), "head")


def run_env(target_metadata: MetaData | None) -> None:
    """Body of every migrations/env.py: run the migrations online on an asyncpg engine."""
    config = context.config
    url = config.get_main_option("sqlalchemy.url")
    version_table = config.get_main_option("version_table") or "alembic_version"

    def include_name(name, type_, parent_names) -> bool:
        """Autogenerate compares only its own history's tables: the kit's, or the service's."""
        if type_ != "table":
            return True
        if target_metadata is kit_metadata:
            return name in kit_metadata.tables
        return name not in kit_metadata.tables and name != KIT_VERSION_TABLE

    def migrate(connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            version_table=version_table,
            compare_type=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()

    async def run() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(migrate)
        await engine.dispose()

    asyncio.run(run())


def database_url_for(package: str) -> str:
    port = os.environ.get("PGPORT", "55432")
    return os.environ.get(f"DATABASE_URL_{package.upper()}", f"postgresql+asyncpg://app@127.0.0.1:{port}/{package}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Database migrations of a Teilhabe service")
    parser.add_argument("package", help="the service package, e.g. identity")
    parser.add_argument("action", nargs="?", default="upgrade", choices=["upgrade", "revision"])
    parser.add_argument("-m", "--message", default="change")
    args = parser.parse_args(argv)
    url = database_url_for(args.package)
    if args.action == "upgrade":
        upgrade(args.package, url)
    else:
        location, version_table = _locations(args.package)[1]
        command.upgrade(_config(location, url, version_table), "head")
        command.revision(_config(location, url, version_table), message=args.message, autogenerate=True)


if __name__ == "__main__":
    main()
