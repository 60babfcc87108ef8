"""The platform as an attacker meets it: every service and the gateway as subprocesses on
PRIVATE databases (``security_<service>``), each service's ``/metrics`` on a port of its own, the
gateway trusting the X-Forwarded-For hop of its ingress (each test presents its own client address
with `address()`, so throttles never mix), and a known service credential to probe with.

Consumers stay off (as in tests/fuzz): in the services' own consumer groups they would take events
away from a locally running copy. The probes therefore use what answers in the request itself.
"""

from __future__ import annotations

import contextlib
import importlib
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, timedelta

import httpx
from platform_support import verify_and_activate

from teilhabe_kit import testing
from teilhabe_kit.auth import TokenIssuer
from teilhabe_kit.testing import free_ports

SERVICES = ["identity", "orders", "messaging", "contracts"]
CREDENTIAL = "security-test-" + uuid.uuid4().hex
PASSWORD = "Blauer-Himmel-über-Northeim-7"
CONSENTS = {"privacy": True, "withdrawal": True, "terms": True, "data_processing": True}
API = "/api/v1"


@dataclass
class SecuredPlatform:
    urls: dict[str, str]
    metrics_ports: dict[str, int]

    @property
    def gateway(self) -> str:
        return self.urls["gateway"]


def metrics_env(names: list[str]) -> tuple[dict[str, str], dict[str, int]]:
    """``<PREFIX>METRICS_PORT`` for each service (its settings' prefix) on free ports."""
    ports = dict(zip(names, free_ports(len(names)), strict=True))
    env = {}
    for name, port in ports.items():
        prefix = importlib.import_module(f"{name}.settings").Settings.model_config.get("env_prefix", "")
        env[f"{prefix}METRICS_PORT"] = str(port)
        env[f"{prefix}METRICS_HOST"] = "127.0.0.1"
    return env, ports


def platform_env() -> dict[str, str]:
    unlimited = {"GATEWAY_RATE_BURST": "100000", "GATEWAY_RATE_PER_MINUTE": "100000"}
    sensitive = {"GATEWAY_SENSITIVE_BURST": "100000", "GATEWAY_SENSITIVE_PER_MINUTE": "100000"}
    credentials = {
        "IDENTITY_SERVICE_CREDENTIALS": CREDENTIAL,
        "CONTRACTS_SERVICE_CREDENTIALS": CREDENTIAL,
        "IDENTITY_CONTRACTS_CREDENTIAL": CREDENTIAL,
        **{f"{name.upper()}_IDENTITY_CREDENTIAL": CREDENTIAL for name in SERVICES if name != "identity"},
    }
    quiet = {f"{name.upper()}_RUN_CONSUMERS": "false" for name in SERVICES if name != "identity"}
    quiet |= {"RUN_CONSUMERS": "false", "MESSAGING_RUN_DELIVERY": "false"}  # identity reads unprefixed names
    door = {"GATEWAY_TRUST_FORWARDED_FOR": "true", "GATEWAY_COOKIE_SECURE": "false"}  # httpx over plain http
    return unlimited | sensitive | credentials | quiet | door


def address() -> dict[str, str]:
    """A client address of its own, as the gateway's ingress would add it (the last hop counts)."""
    n = uuid.uuid4().int
    return {"X-Forwarded-For": f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250 + 1}"}


def bearer(account_id: str, *roles: str, organisation_id: str | None = None, acting_for=()) -> dict[str, str]:
    """A token as identity issues it (its local key), for people the probes need but never sign in."""
    from identity.keys import load_signing_key
    from identity.settings import Settings

    issuer = TokenIssuer([load_signing_key(Settings())])
    return testing.bearer(issuer, account_id, *roles, organisation_id=organisation_id, acting_for=acting_for)


def seeker_body(**overrides) -> dict:
    return {
        "name": "Erika Mustermann",
        "email": f"person-{uuid.uuid4().hex[:10]}@beispiel.de",
        "postcode": "37154",
        "introduction": "Ich suche Begleitung zum Arzt.",
        "consents": dict(CONSENTS),
        "password": PASSWORD,
        "needs": ["accompany_appointments"],
        "time_windows": [{"weekday": 0, "start": "09:00", "end": "12:00"}],
    } | overrides


@dataclass
class Person:
    account_id: str
    email: str
    headers: dict[str, str]  # a real access token from identity's sign-in, and an address of its own


async def active_seeker(gateway: str, **overrides) -> Person:
    """A seeker signed up through the gateway, verified and activated by customer service, signed in."""
    body = seeker_body(**overrides)
    async with httpx.AsyncClient(base_url=gateway, headers=address(), timeout=30) as client:
        signed_up = await client.post(f"{API}/identity/registrations/seekers", json=body)
        assert signed_up.status_code == 202, signed_up.text
        account_id = await verify_and_activate(gateway, body["email"])
        tokens = await client.post(f"{API}/identity/auth/login", json={"login": body["email"], "password": PASSWORD})
        assert tokens.status_code == 200, tokens.text
    headers = {"Authorization": f"Bearer {tokens.json()['access_token']}"} | address()
    return Person(account_id, body["email"], headers)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


@contextlib.asynccontextmanager
async def signed_in_browser(gateway: str, email: str, next_path: str = "/") -> AsyncIterator[httpx.AsyncClient]:
    """A browser-like client (cookies, no redirects followed) signed in through the login form."""
    async with httpx.AsyncClient(base_url=gateway, headers=address(), timeout=30) as client:
        form = await client.get("/anmelden")
        answer = await client.post(
            "/anmelden",
            data={"csrf_token": csrf_of(form.text), "login": email, "password": PASSWORD, "next": next_path},
        )
        assert answer.status_code == 303, answer.text
        yield client


def _offer() -> dict:
    return {
        "title": "Hort „Sonnenblume“",
        "description": "Betreuung nach der Schule.",
        "starts_on": (date.today() + timedelta(days=60)).isoformat(),
        "ends_on": (date.today() + timedelta(days=425)).isoformat(),
        "capacity": 20,
        "fee_rules": {
            "highest_fee_cents": 24000,
            "brackets": [{"up_to_income_cents": 3_000_000, "monthly_fee_cents": 8000}],
        },
    }


async def enrollment(gateway: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """An enrollment of a guardian's ward in a facility's offer: (id, guardian's and staff's headers)."""
    staff = bearer(str(uuid.uuid4()), "facility_staff", organisation_id=str(uuid.uuid4())) | address()
    guardian_id, ward = str(uuid.uuid4()), str(uuid.uuid4())
    guardian = bearer(guardian_id, "guardian", acting_for=[ward]) | address()
    async with httpx.AsyncClient(base_url=gateway, timeout=15) as client:
        offer = await client.post(f"{API}/contracts/facility-offers", json=_offer(), headers=staff)
        assert offer.status_code == 201, offer.text
        body = {
            "offer_id": offer.json()["offer_id"],
            "participant": {
                "account_id": ward,
                "first_name": "Lüise",
                "last_name": "Größmann",
                "birth_date": (date.today() - timedelta(days=9 * 365)).isoformat(),
                "street": "Mühlenstraße 7",
                "postcode": "37154",
                "city": "Northeim",
            },
            "applicant": {"first_name": "Ute", "last_name": "Süß", "email": "ute@example.org"},
        }
        created = await client.post(f"{API}/contracts/enrollments", json=body, headers=guardian)
        assert created.status_code == 201, created.text
    return created.json()["enrollment_id"], guardian, staff
