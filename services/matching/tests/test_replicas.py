"""Two matching replicas on one database: one leads (consumes), the other follows the tables; the
follower takes over when the leader stops, and both answer the same counts throughout."""

import asyncio
import contextlib

import httpx
from matching_support import (
    Collector,
    Publisher,
    Stream,
    assistant_events,
    fresh_matching,
    new_id,
    new_place,
    order_terms,
)

from matching.main import create_app
from matching.settings import Settings
from teilhabe_events.contexts import identity as idn
from teilhabe_events.contexts import orders as o
from teilhabe_kit.auth import Role
from teilhabe_kit.testing import bearer, serve


class Replica:
    """One matching process, started and stopped by the test."""

    def __init__(self, settings: Settings) -> None:
        self.app = create_app(settings)
        self._stack = contextlib.AsyncExitStack()
        self.client: httpx.AsyncClient

    async def start(self) -> "Replica":
        base = await self._stack.enter_async_context(serve(self.app))
        self.client = await self._stack.enter_async_context(httpx.AsyncClient(base_url=base, timeout=10))
        return self

    async def stop(self) -> None:
        await self._stack.aclose()

    @property
    def leading(self) -> bool:
        return self.app.state.leadership.leading

    async def count(self, draft: dict, headers: dict) -> int:
        answer = await self.client.post("/api/v1/matching/candidate-count", json=draft, headers=headers)
        assert answer.status_code == 200, answer.text
        return answer.json()["count"]


async def until(condition, timeout: float = 20) -> None:
    async with asyncio.timeout(timeout):
        while not await condition():
            await asyncio.sleep(0.1)


async def test_the_follower_takes_over_and_both_answer_alike(stack, kafka_bootstrap, token_issuer):
    settings, engine = await fresh_matching(kafka_bootstrap, "matching_replicas_test")
    publisher = Publisher(kafka_bootstrap)
    await publisher.producer.start()
    output = Collector(kafka_bootstrap, settings.output_topic, engine)
    collecting = asyncio.create_task(output.run())
    place = new_place()
    draft = order_terms(place)
    del draft["seeker_id"], draft["revision"]
    seeker = bearer(token_issuer, "seeker-r", Role.SEEKER)

    async def counts(*replicas: Replica) -> list[int]:
        return [await r.count(draft, seeker) for r in replicas]

    async def add_assistant() -> Stream:
        assistant = Stream(new_id("asst"))
        await publisher.send(settings.identity_topic, *(assistant.wrap(e) for e in assistant_events(place)))
        return assistant

    first = await Replica(settings).start()
    second = None
    try:
        await until(lambda: asyncio.sleep(0, first.leading))
        second = await Replica(settings).start()
        await asyncio.sleep(0)
        assert not second.leading
        standby = await second.app.state.readiness["index"]()
        assert standby["state"] == "up" and standby["leading"] is False and "lag" in standby

        one = await add_assistant()
        await until(lambda: _equal(counts(first, second), [1, 1]))
        order = Stream(new_id("order"))
        await publisher.send(settings.orders_topic, order.wrap(o.OrderPublished(**order_terms(place))))
        await output.wait(order.stream_id, "AvailabilityRequestSent")

        await first.stop()  # the leader goes: the follower catches up and consumes from the group's offsets
        await until(lambda: asyncio.sleep(0, second.leading))
        two = await add_assistant()
        await publisher.send(settings.identity_topic, one.wrap(idn.AccountErased()))
        first = await Replica(settings).start()  # back as a follower

        async def settled() -> bool:  # the erasure and the whole of the second assistant's profile
            indexes = [r.app.state.index.assistants.states for r in (first, second)]
            return all(set(i) == {two.stream_id} for i in indexes) and await counts(first, second) == [1, 1]

        await until(settled)
        assert not first.leading

        sent = await output.wait(order.stream_id, "AvailabilityRequestSent", 2)
        assert sorted(s["assistant_id"] for s in sent) == sorted([one.stream_id, two.stream_id])  # each once
    finally:
        for replica in (first, second):
            if replica is not None:
                with contextlib.suppress(Exception):
                    await replica.stop()
        collecting.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await collecting
        await publisher.producer.stop()
        await engine.dispose()


async def _equal(measured, expected) -> bool:
    return await measured == expected
