"""Rebuild the read models: ``python -m centres.replay [--views] [--directory]`` (both by default).

- views (the back office's centres and the regions' fallback centres): emptied and folded again
  from the event store, in position order, in one transaction — the same projection the use
  cases write;
- directory (the public finder): emptied and replayed from the start of the centres topic with
  the kit's replay. Stop the service's consumers while it runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection

from centres.app.regions import project_fallback
from centres.app.streams import CENTRE, REGION, Tx
from centres.consumers.directory import Directory
from centres.domain.state import Centre, evolve
from centres.readmodels.tables import centres_view, region_fallbacks
from centres.readmodels.views import project
from centres.settings import Settings
from teilhabe_kit import replay_cli
from teilhabe_kit.eventstore import read_all


@dataclass
class ViewsReport:
    events: int = 0
    centres: int = 0
    regions: int = 0


async def rebuild_views(conn: AsyncConnection) -> ViewsReport:
    await conn.execute(centres_view.delete())
    await conn.execute(region_fallbacks.delete())
    report = ViewsReport()
    states: dict[str, Centre] = {}
    chosen: set[str] = set()
    async for _, envelope in read_all(conn):
        if envelope.stream_type == CENTRE.stream_type:
            state = evolve(states.get(envelope.stream_id), CENTRE.decode(envelope), envelope.stream_id)
            states[envelope.stream_id] = state
            await project(conn, state, envelope.stream_version, envelope.occurred_at)
        elif envelope.stream_type == REGION.stream_type:
            fallback = REGION.decode(envelope)
            await project_fallback(Tx(conn), envelope.stream_id, fallback.centre_id, envelope.stream_version)
            chosen.add(envelope.stream_id)
        else:
            continue
        report.events += 1
    report.centres, report.regions = len(states), len(chosen)
    return report


def parts(settings: Settings) -> list[replay_cli.Part]:
    directory = Directory(settings.centres_topic, settings.consumer_group_prefix)
    return [
        replay_cli.from_store("views", "back-office views from the event store", rebuild_views),
        replay_cli.from_topics("directory", "the public directory from the centres topic", directory),
    ]


if __name__ == "__main__":
    settings = Settings()
    replay_cli.main(settings, parts(settings))
