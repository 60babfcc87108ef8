"""Demo data for local runs: ``python -m counseling.demo`` (idempotent; `./bin/start` runs it).

For the demo centre (`centres.demo.DEMO_CENTRE_ID`), through the running services' APIs as the
demo team would work: the centre's settings (filter criteria, case-record fields, automatic primary
counselor), the two counselors' profiles, three pseudonymous clients (self-registered with a demo
password, so they can sign in), their master data, case records over the last months and a group.
The passwords are demo values for a local machine, not secrets.
"""

from __future__ import annotations

import asyncio
import os
import random
from datetime import timedelta

import httpx

from teilhabe_kit.localtime import today

DEMO_CENTRE_ID = "5e1c0000-de00-4000-8000-000000000001"
"""As `centres.demo.DEMO_CENTRE_ID`."""
IDENTITY = os.environ.get("COUNSELING_IDENTITY_URL", "http://127.0.0.1:8101").rstrip("/") + "/api/v1/identity"
COUNSELING = os.environ.get("COUNSELING_URL", "http://127.0.0.1:8106").rstrip("/") + "/api/v1/counseling"
ADMIN = ("carla@demo.teilhabe.de", "Demo-Beratungsstelle-2026!")
COUNSELORS = [
    ("bela@demo.teilhabe.de", "Demo-Beratung-2026!", "Bela"),
    ("nuri@demo.teilhabe.de", "Demo-Beratung-2026!", "Nuri"),
]
CLIENT_PASSWORD = "Demo-Ratsuchende-2026!"
CLIENTS = [
    ("Sonnenblume", {"gender": "female", "age_group": "27_44", "postcode": "37073"}, ["schulden"]),
    ("Leuchtturm", {"gender": "male", "age_group": "18_26", "postcode": "37075"}, ["u25", "schulden"]),
    ("Kiefer", {"gender": "diverse", "age_group": "45_64"}, ["familie"]),
]
SETTINGS = {
    "contact_address": {
        "name": "Beratungszentrum Göttingen (Demo)",
        "street": "Weender Straße 42",
        "postcode": "37073",
        "city": "Göttingen",
        "email": "beratung@demo.teilhabe.de",
    },
    "automatic_primary_counselor": True,
    "mail_overdue_days": 3,
    "deletion_days": 30,
    "filter_criteria": [
        {"key": "u25", "label": "unter 25"},
        {"key": "schulden", "label": "Schulden"},
        {"key": "familie", "label": "Familie"},
    ],
    "record_fields": [
        {"key": "zugang", "label": "Zugang", "type": "choice", "choices": ["selbst", "Jobcenter", "Schule"]},
        {"key": "erstkontakt", "label": "Erstkontakt", "type": "yes_no"},
        {"key": "schulden_eur", "label": "Schulden (Euro)", "type": "number"},
    ],
}


async def token(client: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    response = await client.post(
        f"{IDENTITY}/auth/login", json={"login": email, "password": password, "centre_id": DEMO_CENTRE_ID}
    )
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def client_id(client: httpx.AsyncClient, headers: dict, pseudonym: str) -> str | None:
    found = await client.get(f"{COUNSELING}/centres/{DEMO_CENTRE_ID}/clients", params={"q": pseudonym}, headers=headers)
    found.raise_for_status()
    return next((c["client_id"] for c in found.json()["items"] if c["pseudonym"] == pseudonym), None)


async def ensure_client(client: httpx.AsyncClient, headers: dict, pseudonym: str) -> tuple[str, bool]:
    """The client's id; registers them (as the person would) and waits until counseling knows them."""
    known = await client_id(client, headers, pseudonym)
    if known:
        return known, False
    registered = await client.post(
        f"{IDENTITY}/centres/{DEMO_CENTRE_ID}/client-registrations",
        json={"pseudonym": pseudonym, "password": CLIENT_PASSWORD, "consents": {"privacy": True}},
    )
    if registered.status_code != 409:  # 409: registered by an earlier run that counseling has not caught up with
        registered.raise_for_status()
    for _ in range(1800):
        if known := await client_id(client, headers, pseudonym):
            return known, True
        await asyncio.sleep(0.1)
    raise RuntimeError(f"counseling did not learn {pseudonym} from identity within three minutes")


async def main() -> None:
    rng = random.Random(2026)
    async with httpx.AsyncClient(timeout=30) as client:
        admin = await token(client, *ADMIN)
        (
            await client.put(f"{COUNSELING}/centres/{DEMO_CENTRE_ID}/settings", json=SETTINGS, headers=admin)
        ).raise_for_status()
        team = []
        for email, password, name in COUNSELORS:
            headers = await token(client, email, password)
            profile = {
                "display_name": f"{name} (Beratung)",
                "description": "Ich berate zu Schulden, Familie und Sozialleistungen.",
                "languages": ["de", "en"],
                "internal": {"first_name": name, "email": email},
            }
            (
                await client.put(f"{COUNSELING}/centres/{DEMO_CENTRE_ID}/counselors/me", json=profile, headers=headers)
            ).raise_for_status()
            team.append(headers)
        made = []
        for pseudonym, master_data, filters in CLIENTS:
            headers = rng.choice(team)
            cid, new = await ensure_client(client, headers, pseudonym)
            if not new:
                continue
            body = {"master_data": master_data, "filters": filters}
            (
                await client.put(
                    f"{COUNSELING}/centres/{DEMO_CENTRE_ID}/clients/{cid}/master-data", json=body, headers=headers
                )
            ).raise_for_status()
            for weeks in range(rng.randint(2, 5)):
                record = {
                    "occurred_on": (today() - timedelta(weeks=weeks * 3 + 1)).isoformat(),
                    "minutes": rng.choice([20, 30, 45, 60]),
                    "subject": rng.choice(["debt", "family", "social_benefits"]),
                    "channel": rng.choice(["mail", "chat", "on_site", "phone"]),
                    "fields": {"zugang": rng.choice(["selbst", "Jobcenter"]), "erstkontakt": weeks == 0},
                }
                path = f"{COUNSELING}/centres/{DEMO_CENTRE_ID}/clients/{cid}/records"
                (await client.post(path, json=record, headers=headers)).raise_for_status()
            made.append(cid)
        if made:
            group = await client.post(
                f"{COUNSELING}/centres/{DEMO_CENTRE_ID}/groups",
                json={"name": "Gesprächsgruppe Schulden", "description": "Austausch in der Gruppe, einmal im Monat."},
                headers=team[0],
            )
            group.raise_for_status()
            for member in made[:2]:
                await client.post(
                    f"{COUNSELING}/centres/{DEMO_CENTRE_ID}/groups/{group.json()['group_id']}/members",
                    json={"client_id": member},
                    headers=team[0],
                )
    print(f"counseling: demo centre {DEMO_CENTRE_ID}: {len(CLIENTS)} Ratsuchende ({len(made)} neu)")
    for pseudonym, _, _ in CLIENTS:
        print(f"  Ratsuchende:r  {pseudonym:14} Passwort: {CLIENT_PASSWORD} (Anmeldung mit Pseudonym und Stelle)")


if __name__ == "__main__":
    asyncio.run(main())
