"""An in-app contract signature confirmed by the real identity service (contact, sign-in, sign-out).

Identity and contracts run in this process with private databases; the seeker is registered,
verified and activated through identity's API, then signs the drafted contract with the password.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta

import httpx
from identity_support import PASSWORD, register, seeker_body, verify_and_activate

from contracts.app.assistance import contract_id_for_offer
from contracts.main import create_app as contracts_app
from contracts.settings import Settings as ContractsSettings
from identity.keys import from_pem
from identity.main import create_app as identity_app
from identity.settings import Settings as IdentitySettings
from teilhabe_events import encode, registry
from teilhabe_events.contexts.orders import OfferAccepted
from teilhabe_kit.auth import SigningKey, TokenIssuer
from teilhabe_kit.testing import bearer, create_topics, ensure_database, migrate, publish_raw, serve, unique_topic

CREDENTIAL = "journey-service-credential"


async def test_the_seeker_signs_in_the_app_with_the_password_identity_knows(stack, kafka_bootstrap, token_issuer):
    orders_topic = unique_topic("orders")
    await create_topics(
        kafka_bootstrap,
        orders_topic,
        "identity.account.v1",
        "identity.organisation.v1",
        registry.model("ContractSigned").topic(),
    )
    identity_url, contracts_url = await ensure_database("identity_test"), await ensure_database("contracts_test")
    await migrate("identity", identity_url)
    await migrate("contracts", contracts_url)
    key = from_pem(SigningKey.generate().private_pem)
    identity_admin = TokenIssuer([key])  # identity trusts only its own key (its admin API); contracts the test issuer
    identity = identity_app(
        IdentitySettings(
            database_url=identity_url,
            signing_key_pem=key.private_pem.decode(),
            service_credentials=CREDENTIAL,
            run_consumers=False,
            relay_poll_seconds=0.2,
        )
    )

    async with serve(identity) as i_url, httpx.AsyncClient(base_url=i_url, timeout=30) as identity_api:
        seeker_id = await register(identity_api, "seekers", seeker_body(), identity_admin)
        await verify_and_activate(identity_api, identity_admin, seeker_id)
        contracts = contracts_app(
            ContractsSettings(
                database_url=contracts_url,
                orders_topic=orders_topic,
                identity_topic=unique_topic("identity"),
                consumer_group_prefix=unique_topic("journey-contracts"),
                relay_poll_seconds=0.2,
                identity_url=i_url,
            ).model_copy(update={"identity_credential": CREDENTIAL})
        )
        assistant_id, order_id, offer_id = (f"{p}-{uuid.uuid4()}" for p in ("assistant", "order", "offer"))
        envelope = registry.envelope(
            OfferAccepted(offer_id=offer_id, seeker_id=seeker_id, assistant_id=assistant_id, provider_id=None),
            stream_id=order_id,
            stream_version=4,
        )
        await publish_raw(kafka_bootstrap, orders_topic, encode(envelope), key=order_id.encode())
        seeker, assistant = bearer(token_issuer, seeker_id, "seeker"), bearer(token_issuer, assistant_id, "assistant")

        async with (
            serve(contracts) as c_url,
            httpx.AsyncClient(base_url=f"{c_url}/api/v1/contracts", timeout=30) as api,
        ):
            base = f"/assistance/{contract_id_for_offer(offer_id)}"
            async with asyncio.timeout(30):
                while (await api.get(base, headers=seeker)).status_code != 200:
                    await asyncio.sleep(0.1)
            slot = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0).isoformat()
            draft = {
                "activities": ["walks"],
                "schedule": "Mittwochs 15–17 Uhr",
                "hourly_rate_cents": 2800,
                "payer": "private",
                "starts_on": (date.today() + timedelta(days=3)).isoformat(),
                "notice_weeks": 1,
            }
            for path, headers, body in (
                ("meeting-proposals", assistant, {"slots": [slot]}),
                ("meeting", seeker, {"slot": slot}),
                ("meeting/held", assistant, None),  # self-employed: the provider side records it
                ("draft", assistant, draft),
            ):
                assert (await api.post(f"{base}/{path}", json=body, headers=headers)).status_code == 200

            wrong = await api.post(
                f"{base}/signatures", json={"party": "seeker", "password": "Falsches-Passwort-1"}, headers=seeker
            )
            assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "password"
            signed = await api.post(
                f"{base}/signatures", json={"party": "seeker", "password": PASSWORD}, headers=seeker
            )
            assert signed.status_code == 200, signed.text
            assert signed.json()["signed"] == ["seeker"]
            # someone else's token cannot borrow the seeker's password
            other = bearer(token_issuer, f"seeker-{uuid.uuid4()}", "seeker")
            assert (
                await api.post(f"{base}/signatures", json={"party": "seeker", "password": PASSWORD}, headers=other)
            ).status_code == 404
