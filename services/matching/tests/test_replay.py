"""`python -m matching.replay` rebuilds the same tables from the topics, and nothing is sent again."""

import io

from matching_support import Stream, assistant_events, new_id, new_place, order_terms, send_identity, settled, week
from sqlalchemy import select, text

from matching import replay
from matching.domain.state import new_assistant_record
from matching.fold import ASSISTANT_COLUMNS, assistant_text
from matching.readmodels.tables import answers, assistants, awards, orders, requests
from matching.replay import rebuild
from teilhabe_events.contexts import identity as idn
from teilhabe_events.contexts import orders as o

TIMES = {"sent_at", "closed_at", "answered_at", "changed"}  # differ by nature


async def snapshot(engine) -> dict:
    out = {}
    async with engine.connect() as conn:
        for table in (assistants, orders, requests, answers, awards):
            rows = (await conn.execute(select(table))).mappings().all()
            out[table.name] = sorted(
                tuple(sorted((k, str(v)) for k, v in row.items() if k not in TIMES)) for row in rows
            )
    return out


async def test_rebuild_restores_every_table(matching, monkeypatch):
    place = new_place()
    streams = [Stream(new_id("asst")) for _ in range(3)]
    for stream in streams:
        await send_identity(matching, stream, *assistant_events(place))
    await send_identity(matching, streams[2], idn.AccountLocked(locked_by="admin-1"))
    await send_identity(matching, streams[1], idn.AvailabilityChanged(ranges=week((0, "09:00", "13:00"))))
    await settled(matching, [s.stream_id for s in streams])
    first, second = Stream(new_id("order")), Stream(new_id("order"))
    await matching.orders(
        first.wrap(o.OrderPublished(**order_terms(place))),
        second.wrap(o.OrderPublished(**order_terms(place, activities=("walks",)))),
    )
    await matching.output.wait(second.stream_id, "AvailabilityRequestSent", 2)
    await matching.orders(
        first.wrap(
            o.OfferSubmitted(
                offer_id="of-1",
                seeker_id="seeker-1",
                kind="assistant",
                assistant_id=streams[0].stream_id,
                submitted_by="x",
                from_request=True,
            )
        ),
        first.wrap(
            o.OfferAccepted(
                offer_id="of-1", seeker_id="seeker-1", assistant_id=streams[0].stream_id, provider_id="prov-a"
            )
        ),
    )
    await matching.output.wait(first.stream_id, "AvailabilityRequestClosed", 2)
    before = await snapshot(matching.engine)
    sent_before = len(matching.output.seen)

    settings = matching.settings.model_copy(update={"consumer_group": new_id("rebuild-group")})
    monkeypatch.setattr(replay, "EVENTS_PER_PROCESS", 1)  # workers even for a few events
    for processes in (3, 1):  # identity's 3 partitions folded by 2 workers and this process; by this one
        report = await rebuild(settings, matching.engine, processes=processes)

        assert report.processes == processes
        assert report.events >= 20 and report.requests >= 4 and report.assistants == 3
        assert await snapshot(matching.engine) == before
    await matching.output.caught_up()
    assert len(matching.output.seen) == sent_before  # nothing decided or sent again


async def test_copy_text_keeps_odd_ids_and_values(matching):
    """Ids with tabs, backslashes or quotes and non-code array values survive the rebuild's COPY text."""
    odd = new_assistant_record('asst\t"odd"\\x\n') | {
        "activities": ["walks", "with space", 'q"uote'],
        "traits": [],
        "provider_id": "prov,\\1",
        "lat": 52.5,
        "lon": 9.75,
        "radius_km": None,
        "spans": [[0, 3600, 7200]],
        "activated": True,
        "version": 4,
    }
    async with matching.engine.begin() as conn:
        await conn.execute(text("CREATE TEMP TABLE copy_check (LIKE assistants INCLUDING DEFAULTS) ON COMMIT DROP"))
        raw = (await conn.get_raw_connection()).driver_connection
        await raw.copy_to_table(
            "copy_check", source=io.BytesIO(assistant_text({"x": odd})), columns=list(ASSISTANT_COLUMNS), format="text"
        )
        row = dict(await raw.fetchrow(f"SELECT {', '.join(ASSISTANT_COLUMNS)} FROM copy_check"))
    assert row == odd
