"""`load` and `commit` on the real PostgreSQL: fold, append with the expected version, outbox of the
public events only, one moment and correlation per commit, projection in the same transaction."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from typing import ClassVar

import pytest
from kit_support import new_stream_id
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from teilhabe_events.contexts.identity import AccountActivated, AccountLocked, AccountRole
from teilhabe_events.contexts.orders import OrderWithdrawn
from teilhabe_kit import streams
from teilhabe_kit.eventstore import ConcurrencyConflict, read_stream
from teilhabe_kit.streams import Committed, Loaded
from teilhabe_kit.tables import outbox

TOPIC = "kit-test.account.v1"


class NoteWritten(BaseModel):
    """An internal event: stored, never published."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    event_type: ClassVar[str] = "NoteWritten"
    text: str


Event = AccountActivated | AccountLocked | NoteWritten


@dataclass(frozen=True)
class Tally:
    account_id: str
    active: bool = False
    locked: bool = False
    notes: tuple[str, ...] = ()


def evolve(state: Tally | None, event: Event, stream_id: str) -> Tally:
    state = state or Tally(stream_id)
    match event:
        case AccountActivated():
            return replace(state, active=True)
        case AccountLocked():
            return replace(state, locked=True)
        case NoteWritten():
            return replace(state, notes=(*state.notes, event.text))
    return state


ACCOUNT: streams.Stream[Tally, Event] = streams.Stream("account", evolve, internal=[NoteWritten], topic=TOPIC)


async def outbox_rows(conn, stream_id: str):
    return (await conn.execute(select(outbox.c.event_id, outbox.c.topic).where(outbox.c.key == stream_id))).all()


async def test_commit_stores_all_publishes_public_ones_and_load_folds_them_again(engine):
    stream_id = new_stream_id()
    seen: list[Committed[Tally, Event]] = []

    async def project(conn, committed):
        assert await read_stream(conn, "account", stream_id)  # same transaction: the append is visible
        seen.append(committed)

    events = [AccountActivated(role=AccountRole.SEEKER, activated_by="admin"), NoteWritten(text="hallo")]
    async with engine.begin() as conn:
        committed = await streams.commit(
            conn, ACCOUNT, stream_id, Loaded(None, 0), events, actor_id="admin", project=project
        )
    assert committed.version == 2 and committed.state == Tally(stream_id, active=True, notes=("hallo",))
    assert seen == [committed] and committed.events == events
    envelopes = committed.envelopes
    assert {e.occurred_at for e in envelopes} == {committed.occurred_at}
    assert len({e.correlation_id for e in envelopes}) == 1
    assert [e.actor_id for e in envelopes] == ["admin", "admin"]
    async with engine.connect() as conn:
        assert await outbox_rows(conn, stream_id) == [(envelopes[0].event_id, TOPIC)]
        loaded = await streams.load(conn, ACCOUNT, stream_id)
    assert loaded == Loaded(committed.state, 2)

    async with engine.begin() as conn:
        again = await streams.commit(conn, ACCOUNT, stream_id, loaded, [AccountLocked(locked_by="cs")], actor_id="cs")
    assert again.version == 3 and again.state is not None and again.state.locked


async def test_a_stale_version_is_a_conflict_and_nothing_is_stored(engine):
    stream_id = new_stream_id()
    async with engine.begin() as conn:
        await streams.commit(conn, ACCOUNT, stream_id, Loaded(None, 0), [NoteWritten(text="a")], actor_id=None)
    with pytest.raises(ConcurrencyConflict):
        async with engine.begin() as conn:
            await streams.commit(
                conn, ACCOUNT, stream_id, Loaded(None, 0), [AccountLocked(locked_by="x")], actor_id=None
            )
    async with engine.connect() as conn:
        assert await outbox_rows(conn, stream_id) == []
        assert (await streams.load(conn, ACCOUNT, stream_id)).version == 1


async def test_only_registered_schemas_of_the_stream_and_its_internal_events_are_stored(engine):
    class Imitation(AccountLocked):
        """The same event type, not the registered model."""

    class Stray(NoteWritten):
        event_type: ClassVar[str] = "Stray"

    stream_id = new_stream_id()
    for wrong in (Imitation(locked_by="x"), OrderWithdrawn(seeker_id="s"), Stray(text="x")):
        with pytest.raises(ValueError):
            async with engine.begin() as conn:
                await streams.commit(conn, ACCOUNT, stream_id, Loaded(None, 0), [wrong], actor_id=None)
    async with engine.connect() as conn:
        assert await streams.load(conn, ACCOUNT, stream_id) == Loaded(None, 0)


async def test_append_continues_a_stateless_stream_and_publishes_on_the_registered_topic(engine):
    stream_id = new_stream_id()
    async with engine.begin() as conn:
        first = await streams.append(conn, stream_id, [AccountLocked(locked_by="a")])
        second = await streams.append(conn, stream_id, [AccountLocked(locked_by="b")], actor_id="b")
    assert (first.version, second.version) == (1, 2)
    async with engine.connect() as conn:
        rows = await outbox_rows(conn, stream_id)
    assert [topic for _, topic in rows] == [AccountLocked.topic()] * 2


async def test_retrying_decides_again_on_the_new_state_after_a_concurrent_commit(engine):
    stream_id = new_stream_id()
    both_loaded = asyncio.Barrier(2)
    attempts: list[int] = []

    async def writer(text: str):
        async def work(conn):
            loaded = await streams.load(conn, ACCOUNT, stream_id)
            attempts.append(loaded.version)
            if len(attempts) <= 2:
                await both_loaded.wait()
            return await streams.commit(conn, ACCOUNT, stream_id, loaded, [NoteWritten(text=text)], actor_id=None)

        return await streams.retrying(engine, work)

    results = await asyncio.gather(writer("a"), writer("b"))
    assert sorted(r.version for r in results) == [1, 2]
    async with engine.connect() as conn:
        loaded = await streams.load(conn, ACCOUNT, stream_id)
    assert loaded.state is not None and sorted(loaded.state.notes) == ["a", "b"]
    assert sorted(attempts) == [0, 0, 1]


async def test_load_existing_is_404_with_the_given_words_when_there_is_no_stream(engine):
    from teilhabe_kit.if_match import expect
    from teilhabe_kit.problems import Conflict, NotFound

    async with engine.connect() as conn:
        with pytest.raises(NotFound) as missing:
            await streams.load_existing(conn, ACCOUNT, new_stream_id(), "Dieses Konto gibt es nicht.")
    assert missing.value.detail == "Dieses Konto gibt es nicht."
    expect(3, None, "veraltet")
    expect(3, 3, "veraltet")
    with pytest.raises(Conflict):
        expect(3, 2, "veraltet")
