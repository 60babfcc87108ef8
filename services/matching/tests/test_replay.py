"""`python -m matching.replay` rebuilds the same tables from the topics, and nothing is sent again."""

import asyncio

from matching.replay import rebuild
from matching.readmodels.tables import answers, assistants, awards, orders, requests
from sqlalchemy import select
from teilhabe_events.contexts import identity as idn
from teilhabe_events.contexts import orders as o

from matching_support import Stream, assistant_events, new_id, new_place, order_terms, send_identity, settled, week

TIMES = {"sent_at", "closed_at", "answered_at", "changed"}  # differ by nature


async def snapshot(engine) -> dict:
    out = {}
    async with engine.connect() as conn:
        for table in (assistants, orders, requests, answers, awards):
            rows = (await conn.execute(select(table))).mappings().all()
            out[table.name] = sorted(
                (tuple(sorted((k, str(v)) for k, v in row.items() if k not in TIMES)) for row in rows)
            )
    return out


async def test_rebuild_restores_every_table(matching):
    place = new_place()
    streams = [Stream(new_id("asst")) for _ in range(3)]
    for stream in streams:
        await send_identity(matching, stream, *assistant_events(place))
    await send_identity(matching, streams[2], idn.AccountLocked(locked_by="admin-1"))
    await send_identity(matching, streams[1], idn.AvailabilityChanged(ranges=week((0, "09:00", "13:00"))))
    await settled(matching, [s.stream_id for s in streams])
    first, second = Stream(new_id("order")), Stream(new_id("order"))
    await matching.orders(first.wrap(o.OrderPublished(**order_terms(place))),
                          second.wrap(o.OrderPublished(**order_terms(place, activities=("walks",)))))
    await matching.output.wait(second.stream_id, "AvailabilityRequestSent", 2)
    await matching.orders(
        first.wrap(o.OfferSubmitted(offer_id="of-1", seeker_id="seeker-1", kind="assistant",
                                    assistant_id=streams[0].stream_id, submitted_by="x", from_request=True)),
        first.wrap(o.OfferAccepted(offer_id="of-1", seeker_id="seeker-1", assistant_id=streams[0].stream_id,
                                   organisation_id="prov-a")),
    )
    await matching.output.wait(first.stream_id, "AvailabilityRequestClosed", 2)
    before = await snapshot(matching.engine)
    sent_before = len(matching.output.seen)

    settings = matching.settings.model_copy(update={"consumer_group": new_id("rebuild-group")})
    report = await rebuild(settings, matching.engine)

    assert report.events >= 20 and report.requests >= 4
    assert await snapshot(matching.engine) == before
    await asyncio.sleep(1)
    assert len(matching.output.seen) == sent_before  # nothing decided or sent again
