"""The replay command line: one flag per part, all parts when none is named, every report printed."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from teilhabe_kit import replay_cli
from teilhabe_kit.settings import ServiceSettings


def _parts(ran: list[str]) -> list[replay_cli.Part]:
    async def views(conn) -> str:
        ran.append("views")
        return f"views: {await conn.scalar(text('select 1'))}"

    async def directory(engine, bootstrap_servers) -> str:
        ran.append("directory")
        return "directory: replayed"

    return [
        replay_cli.from_store("views", "from the event store", views),
        replay_cli.Part("directory", "from the topics", directory),
    ]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], ["views", "directory"]),
        (["--directory"], ["directory"]),
        (["--views", "--directory"], ["views", "directory"]),
    ],
)
async def test_the_named_parts_run_in_order_and_print_their_reports(kit_database_url, capsys, argv, expected):
    ran: list[str] = []
    settings = ServiceSettings(service_name="kit", database_url=kit_database_url)
    await replay_cli.run(settings, _parts(ran), argv)
    assert ran == expected
    printed = capsys.readouterr().out.splitlines()
    assert printed == [{"views": "views: 1", "directory": "directory: replayed"}[name] for name in expected]


async def test_an_unknown_flag_is_refused(kit_database_url):
    settings = ServiceSettings(service_name="kit", database_url=kit_database_url)
    with pytest.raises(SystemExit):
        await replay_cli.run(settings, _parts([]), ["--everything"])
