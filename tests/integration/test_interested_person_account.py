"""An interested person registers for a facility's offer in contracts and gets an account from the
real identity: messaging mails only the welcome with the link (saying until when it works; no
"Ihr Konto ist freigeschaltet", since no check ran), the person sets the password, signs in as an
applicant, signs up for the offer with that account (its id is contracts' person id, so contracts
knows the applicant) and can do nothing else until customer service verifies the account.

Identity, contracts and messaging run in this process on private databases; contracts publishes
`InterestedPersonRegistered` on its real topic, which identity reads with a consumer group of its own.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage

import httpx
import jwt
from contracts_support import events_on
from identity_support import published, unique_address
from messaging_support import mailer

from contracts.main import create_app as contracts_app
from contracts.settings import Settings as ContractsSettings
from identity.keys import from_pem
from identity.main import create_app as identity_app
from identity.settings import Settings as IdentitySettings
from teilhabe_events import dlq_topic, registry
from teilhabe_kit.auth import SigningKey, TokenIssuer
from teilhabe_kit.localtime import BERLIN
from teilhabe_kit.testing import bearer, create_topics, drop_database, ensure_database, migrate, serve, unique_topic

CREDENTIAL = "journey-interested-person-credential"
PASSWORD = "Sonnige-Wiese-in-Northeim-9"
PERSONS = "contracts.interested_person.v1"


async def test_an_interested_person_sets_the_password_signs_in_and_signs_up(stack, kafka_bootstrap, tmp_path):
    await create_topics(
        kafka_bootstrap,
        PERSONS,
        dlq_topic(PERSONS),
        "identity.account.v1",
        "identity.organisation.v1",
        *(t for t in registry.topics() if t.startswith("contracts.")),
    )
    run = uuid.uuid4().hex[:8]
    identity_db = await ensure_database(f"identity_interested_{run}")
    contracts_db = await ensure_database("contracts_journey")
    await migrate("identity", identity_db)
    await migrate("contracts", contracts_db)
    key = from_pem(SigningKey.generate().private_pem)
    issuer = TokenIssuer([key])  # identity's key: contracts trusts the tokens identity issues
    contracts = contracts_app(
        ContractsSettings(
            database_url=contracts_db,
            orders_topic=unique_topic("orders"),
            identity_topic=unique_topic("identity"),
            consumer_group_prefix=unique_topic("journey-contracts"),
            run_consumers=False,
            relay_poll_seconds=0.2,
            service_credentials=CREDENTIAL,
            jwks_json=json.dumps(issuer.jwks()),
        )
    )
    async with serve(contracts) as c_url, httpx.AsyncClient(base_url=f"{c_url}/api/v1/contracts", timeout=30) as c_api:
        identity = identity_app(
            IdentitySettings(
                database_url=identity_db,
                signing_key_pem=key.private_pem.decode(),
                service_credentials=CREDENTIAL,
                contracts_url=c_url,
                contracts_credential=CREDENTIAL,
                relay_poll_seconds=0.2,
                consumer_group_prefix=unique_topic("journey-identity"),
            )
        )
        async with (
            serve(identity) as i_url,
            httpx.AsyncClient(base_url=f"{i_url}/api/v1/identity", timeout=30) as i_api,
        ):
            facility = f"facility-{uuid.uuid4()}"
            offer = await c_api.post(
                "/facility-offers",
                headers=bearer(issuer, f"staff-{uuid.uuid4()}", "facility_staff", organisation_id=facility),
                json={
                    "title": "Werkstatt am Mühlenweg",
                    "description": "Arbeit und Bildung in kleinen Gruppen.",
                    "starts_on": (date.today() + timedelta(days=30)).isoformat(),
                    "ends_on": (date.today() + timedelta(days=400)).isoformat(),
                    "capacity": 12,
                    "fee_rules": {"highest_fee_cents": 0},
                },
            )
            assert offer.status_code == 201, offer.text
            offer_id = offer.json()["offer_id"]
            email = f"jörg-{uuid.uuid4().hex[:8]}@example.org"
            registered = await c_api.post(
                f"/facility-offers/{offer_id}/registrations",
                json={"first_name": "Jörg", "last_name": "Weiß", "email": email},
            )
            assert registered.status_code == 202

            account = await _account_appears(i_api, bearer(issuer, f"admin-{uuid.uuid4()}", "admin"), email.lower())
            assert (account["role"], account["status"]) == ("seeker", "pending_verification")
            person_id = account["id"]
            persons = await events_on(kafka_bootstrap, PERSONS, person_id, until={"InterestedPersonRegistered"})
            assert persons[0].payload["offer_id"] == offer_id  # the account id is contracts' person id
            events = await published(kafka_bootstrap, person_id, until={"PasswordResetRequested"})
            assert "AccountActivated" not in {e.event_type for e in events}  # no "freigeschaltet" notice
            [invitation] = [e for e in events if e.event_type == "PasswordResetRequested"]
            mail = await _mailed(kafka_bootstrap, invitation, i_url, tmp_path)
            assert mail["To"] == email.lower() and mail["Subject"] == "Willkommen: Bitte legen Sie Ihr Passwort fest"
            text = mail.get_content()
            until = (datetime.now(UTC) + timedelta(hours=72)).astimezone(BERLIN)
            assert f"Der Link gilt bis {until.day}.{until.month}.{until.year}, " in text
            assert "angemeldet" in text and "freigeschaltet" not in text
            token = re.search(r"token=(\S+)", mail.get_content()).group(1)
            confirmed = await i_api.post("/auth/password-reset/confirm", json={"token": token, "password": PASSWORD})
            assert confirmed.status_code == 204, confirmed.text
            signed_in = await i_api.post(
                "/auth/login", json={"login": email, "password": PASSWORD}, headers=unique_address()
            )
            assert signed_in.status_code == 200, signed_in.text
            assert _roles(signed_in) == ["applicant"]  # enrollment only: orders and the rest refuse the role
            token = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}

            signed_up = await c_api.post(
                "/enrollments",
                headers=token,
                json={
                    "offer_id": offer_id,
                    "participant": {
                        "first_name": "Jörg",
                        "last_name": "Weiß",
                        "birth_date": "1998-02-11",
                        "street": "Am Anger 3",
                        "postcode": "37154",
                        "city": "Northeim",
                    },
                },
            )  # no applicant: contracts knows the person
            assert signed_up.status_code == 201, signed_up.text
            assert signed_up.json()["status"] == "interessent"
            assert (await c_api.get("/enrollments", headers=token)).status_code == 200
            assert (await c_api.get("/assistance", headers=token)).status_code == 403

            admin = bearer(issuer, f"admin-{uuid.uuid4()}", "admin")
            for step in ("intro_call", "id_document"):
                recorded = await i_api.post(
                    f"/accounts/{person_id}/verification-steps", json={"step": step, "reason": "geprüft"}, headers=admin
                )
                assert recorded.status_code == 201, recorded.text
            assert (await i_api.post(f"/accounts/{person_id}/activation", headers=admin)).status_code == 200
            verified = await i_api.post(
                "/auth/login", json={"login": email, "password": PASSWORD}, headers=unique_address()
            )
            assert _roles(verified) == ["seeker"]
    await drop_database(f"identity_interested_{run}")


def _roles(signed_in: httpx.Response) -> list[str]:
    return jwt.decode(signed_in.json()["access_token"], options={"verify_signature": False})["roles"]


async def _account_appears(i_api: httpx.AsyncClient, admin: dict[str, str], email: str) -> dict:
    """The account identity opened for `email`, found as customer service would (search)."""
    async with asyncio.timeout(30):
        while True:
            found = (await i_api.get("/accounts", params={"q": email}, headers=admin)).json()["items"]
            if found:
                return found[0]
            await asyncio.sleep(0.2)


async def _mailed(bootstrap: str, invitation, identity_url: str, tmp_path) -> EmailMessage:
    """Messaging (on a private database and topic) mails the invitation with the link it fetched from identity."""
    async with mailer(bootstrap, identity_url, CREDENTIAL, tmp_path, "messaging_interested_test") as messaging:
        await messaging.send(invitation)
        return await messaging.one_mail()
