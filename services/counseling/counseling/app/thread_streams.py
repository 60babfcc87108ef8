"""Mail counseling's streams on the kit's `load`/`commit`: a thread's subject and texts sealed with
the thread's own key, the read model projected in the commit's transaction."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from counseling.app.streams import SealedStream
from counseling.domain import mail_settings, threads
from counseling.domain import thread_events as t
from counseling.readmodels.thread_projection import project_thread
from teilhabe_kit import eventstore, sealing, streams
from teilhabe_kit.streams import Committed, Loaded

S = TypeVar("S")


class ThreadStream(SealedStream[S]):
    """A sealed stream whose internal events are mail counseling's."""

    def __init__(self, stream_type: str, evolve: Any) -> None:
        super().__init__(stream_type, evolve)
        self.internal = dict(t.THREAD_EVENTS)


THREAD: ThreadStream[threads.Thread] = ThreadStream("mail_thread", threads.evolve)
MAIL_SETTINGS: ThreadStream[mail_settings.MailSettings] = ThreadStream("mail_settings", mail_settings.evolve)


async def load(conn: AsyncConnection, stream: ThreadStream[S], stream_id: str) -> Loaded[S]:
    return await streams.load(conn, stream, stream_id)


async def commit(
    conn: AsyncConnection,
    stream: ThreadStream[S],
    stream_id: str,
    loaded: Loaded[S],
    events: Sequence[threads.Event],
    *,
    actor_id: str | None,
    causation_id: uuid.UUID | None = None,
) -> Committed[S, threads.Event]:
    """Append after the loaded version (409 on a concurrent writer), publish; threads are projected."""
    project = project_thread if stream is THREAD else None
    return await streams.commit(
        conn, stream, stream_id, loaded, events, actor_id=actor_id, causation_id=causation_id, project=project
    )


async def settings_of(conn: AsyncConnection, centre_id: str) -> mail_settings.MailSettings:
    loaded = await load(conn, MAIL_SETTINGS, centre_id)
    return loaded.state or mail_settings.MailSettings(centre_id=centre_id)


async def history(conn: AsyncConnection, thread_id: str) -> list[tuple[Any, Any]]:
    """The thread's stored events with their sealed fields opened: (envelope, event)."""
    opened = []
    for envelope in await eventstore.read_stream(conn, THREAD.stream_type, thread_id):
        model = t.THREAD_EVENTS.get(envelope.event_type)
        if model is None:
            opened.append((envelope, THREAD.decode(envelope)))
            continue
        payload = dict(envelope.payload)
        for name in model.sealed:
            value = await sealing.unseal(conn, thread_id, payload.get(name))
            payload[name] = json.loads(value) if name in model.sealed_json and value is not None else value
        opened.append((envelope, model.model_validate(payload)))
    return opened
