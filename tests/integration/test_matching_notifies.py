"""Journey on the real stack: matching asks an assistant, messaging tells them in the browser (SSE) and
by e-mail; the seeker hears of the offer, both chat and exchange a document before the award, and the
award reaches the assistant and their provider's coordinator."""

from __future__ import annotations

import asyncio
import contextlib

import httpx
import pytest
from matching_support import Publisher, Stream, assistant_events, new_place, order_terms
from messaging_support import SseClient, eventually, fresh_database, new_id
from sqlalchemy import text

from matching.main import create_app as create_matching
from matching.readmodels.tables import metadata as matching_tables
from matching.settings import Settings as MatchingSettings
from messaging.app.directory import StaticDirectory
from messaging.app.smtp_sink import SmtpSink
from messaging.main import build as build_messaging
from messaging.settings import Settings as MessagingSettings
from teilhabe_events.contexts import identity as idn
from teilhabe_events.contexts import orders as o
from teilhabe_kit.auth import Role
from teilhabe_kit.db import create_engine
from teilhabe_kit.testing import (
    bearer,
    create_topics,
    ensure_database,
    free_port,
    migrate,
    sample_pdf,
    serve,
    unique_topic,
)

PDF = sample_pdf("Stundenplan")


@pytest.fixture(scope="module")
async def platform(stack, kafka_bootstrap, token_issuer, tmp_path_factory):
    """Matching and messaging wired by private topics, an SMTP sink, contacts known to messaging."""
    root = tmp_path_factory.mktemp("journey")
    identity_topic, orders_topic, matching_topic = (unique_topic(n) for n in ("identity", "orders", "matching"))
    await create_topics(
        kafka_bootstrap,
        identity_topic,
        orders_topic,
        matching_topic,
        *(f"{t}.dlq" for t in (identity_topic, orders_topic, matching_topic)),
    )
    matching_url = await ensure_database("matching_journey_test")
    await migrate("matching", matching_url)
    engine = create_engine(matching_url)
    async with engine.begin() as conn:  # earlier runs' orders would match this run's assistants
        await conn.execute(
            text(f"TRUNCATE {', '.join(t.name for t in matching_tables.sorted_tables)}, outbox, processed_events")
        )
    await engine.dispose()
    matching = create_matching(
        MatchingSettings(
            database_url=matching_url,
            identity_topic=identity_topic,
            orders_topic=orders_topic,
            output_topic=matching_topic,
            consumer_group=unique_topic("matching"),
            relay_poll_seconds=0.2,
        )
    )
    settings = MessagingSettings(
        database_url=await fresh_database("messaging_journey_test"),
        kafka_bootstrap_servers=kafka_bootstrap,
        consumer_group=unique_topic("messaging"),
        event_topics=f"{identity_topic},{orders_topic},{matching_topic}",
        storage_dir=str(root / "files"),
        sink_dir=str(root / "sink"),
        smtp_port=free_port(),
        smtp_sink="local",
        delivery_poll_seconds=0.2,
    )
    directory = StaticDirectory({})
    publisher = Publisher(kafka_bootstrap)
    await publisher.producer.start()
    try:
        async with (
            serve(matching),
            serve(build_messaging(settings, directory=directory)) as url,
            httpx.AsyncClient(base_url=url, timeout=20) as client,
        ):
            yield {
                "matching": matching,
                "client": client,
                "directory": directory,
                "publisher": publisher,
                "identity": identity_topic,
                "orders": orders_topic,
                "mail": SmtpSink(root / "sink" / "mail"),
            }
    finally:
        with contextlib.suppress(Exception):
            await publisher.producer.stop()


async def test_matching_request_reaches_the_assistant_then_chat_document_and_award(platform, token_issuer):
    p, client, publisher = platform, platform["client"], platform["publisher"]
    place = new_place()
    provider = new_id("provider")
    assistant, coordinator = Stream(new_id("asst")), Stream(new_id("coord"))
    p["directory"].add(assistant.stream_id, email=f"{assistant.stream_id}@example.org")
    await publisher.send(
        p["identity"],
        *(assistant.wrap(e) for e in assistant_events(place, provider=provider)),
        coordinator.wrap(idn.MembershipApproved(organisation_id=provider, role="coordinator")),
    )
    states = p["matching"].state.index.assistants.states
    applied = assistant.version  # all of the assistant's events, not only the first

    await eventually(
        lambda: asyncio.sleep(0, assistant.stream_id in states and states[assistant.stream_id].version == applied)
    )

    assistant_h = bearer(token_issuer, assistant.stream_id, Role.ASSISTANT)
    seeker = new_id("seeker")
    seeker_h = bearer(token_issuer, seeker, Role.SEEKER)
    order = Stream(new_id("order"))
    async with SseClient(client, assistant_h) as browser:
        await publisher.send(p["orders"], order.wrap(o.OrderPublished(**order_terms(place, seeker_id=seeker))))
        pushed = await browser.next(timeout=30)
        if pushed["kind"] == "account_activated":  # the activation may still be on its way
            pushed = await browser.next(timeout=30)
    assert pushed["kind"] == "availability_request" and pushed["title"] == "Neue Anfrage für Sie"
    [mail] = await eventually(lambda: asyncio.sleep(0, _mails(p, "Neue Anfrage für Sie")), timeout=30)
    assert mail["To"] == f"{assistant.stream_id}@example.org"

    offer_id = new_id("offer")  # the assistant answers the request: orders records the offer
    await publisher.send(
        p["orders"],
        order.wrap(
            o.OfferSubmitted(
                offer_id=offer_id,
                seeker_id=seeker,
                kind="assistant",
                assistant_id=assistant.stream_id,
                organisation_id=provider,
                submitted_by=assistant.stream_id,
                from_request=True,
            )
        ),
    )
    inbox = await eventually(lambda: _items(client, seeker_h), timeout=30)
    assert [n["kind"] for n in inbox] == ["offer_submitted"]

    opened = await client.post(
        "/api/v1/messaging/conversations", headers=seeker_h, json={"order_id": order.stream_id, "offer_id": offer_id}
    )
    assert opened.status_code == 201
    url = f"/api/v1/messaging/conversations/{opened.json()['id']}"
    await client.post(f"{url}/messages", headers=seeker_h, json={"text": "Hallo! Passt Ihnen Montag?"})
    sent = await client.post(
        f"{url}/documents",
        headers=assistant_h,
        files={"file": ("stundenplan.pdf", PDF, "application/pdf")},
        data={"text": "Ja, hier mein Plan."},
    )
    assert sent.status_code == 201
    thread = (await client.get(f"{url}/messages", headers=seeker_h)).json()["messages"]
    assert [m["text"] for m in thread] == ["Hallo! Passt Ihnen Montag?", "Ja, hier mein Plan."]
    download = await client.get(f"{url}/documents/{sent.json()['id']}", headers=seeker_h)
    assert download.content == PDF

    await publisher.send(
        p["orders"],
        order.wrap(
            o.OfferAccepted(offer_id=offer_id, seeker_id=seeker, assistant_id=assistant.stream_id, provider_id=provider)
        ),
    )
    coordinator_h = bearer(token_issuer, coordinator.stream_id, Role.COORDINATOR, organisation_id=provider)
    assert [n["kind"] for n in await eventually(lambda: _items(client, coordinator_h), timeout=30)] == [
        "offer_accepted"
    ]
    kinds = await eventually(lambda: _kinds_once(client, assistant_h, "offer_accepted"), timeout=30)
    assert kinds == ["offer_accepted", "message_posted", "availability_request", "account_activated"]


def _mails(platform, subject: str) -> list:
    return [mail for mail in platform["mail"].mails() if mail["Subject"] == subject]


async def _items(client, headers) -> list:
    return (await client.get("/api/v1/messaging/notifications", headers=headers)).json()["items"]


async def _kinds_once(client, headers, newest: str) -> list | None:
    kinds = [n["kind"] for n in await _items(client, headers)]
    return kinds if kinds and kinds[0] == newest else None
