"""Rebuild the read models: ``python -m counseling.replay [--workspace] [--mail] [--teams]`` (all by default).

- workspace (clients, notes, messages, case records and their monthly sums, groups, bookmarks,
  settings, counselor profiles): emptied and folded again from the event store in position order,
  in one transaction, with the sealed fields opened (None for erased people) — the same projection
  the use cases write. Photos are plain state and stay.
- teams (the centres' staff as identity publishes them): emptied and replayed from the start of
  identity's account topic with the kit's replay. Stop the service's consumers while it runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection

from counseling.app.identity_client import IdentityClient
from counseling.app.streams import STREAMS, opened
from counseling.app.thread_replay import rebuild_mail_threads
from counseling.consumers.identity_accounts import IdentityAccounts
from counseling.readmodels.projection import project
from counseling.readmodels.tables import (
    bookmarks,
    case_records,
    centre_settings,
    client_groups,
    clients,
    counselors,
    direct_messages,
    group_members,
    notes,
    record_months,
)
from counseling.settings import Settings
from teilhabe_kit import replay_cli
from teilhabe_kit.eventstore import read_all

WORKSPACE = (
    clients,
    notes,
    direct_messages,
    case_records,
    record_months,
    client_groups,
    group_members,
    bookmarks,
    centre_settings,
    counselors,
)


@dataclass
class WorkspaceReport:
    events: int = 0


async def rebuild_workspace(conn: AsyncConnection) -> WorkspaceReport:
    for table in WORKSPACE:
        await conn.execute(table.delete())
    report = WorkspaceReport()
    async for _, envelope in read_all(conn):
        stream = STREAMS.get(envelope.stream_type)
        if stream is None:
            continue
        await project(conn, envelope.stream_id, await opened(conn, stream, envelope), envelope.occurred_at)
        report.events += 1
    return report


def parts(settings: Settings) -> list[replay_cli.Part]:
    teams = IdentityAccounts(
        settings.identity_topic,
        settings.consumer_group_prefix,
        IdentityClient(settings.identity_url, settings.identity_credential),
    )
    return [
        replay_cli.from_store("workspace", "the workspace's read models from the event store", rebuild_workspace),
        replay_cli.from_store("mail", "mail counseling's threads from the event store", rebuild_mail_threads),
        replay_cli.from_topics("teams", "the centres' teams from identity's account topic", teams),
    ]


if __name__ == "__main__":
    settings = Settings()
    replay_cli.main(settings, parts(settings))
