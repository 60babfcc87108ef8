"""Demo data for local runs: ``python -m identity.demo`` (idempotent; `deploy/local/platform.py up` runs it).

Creates a provider organisation, an admin, the demo counseling centre's admin and two counselors
(`identity.demo_centre`), a verified and active seeker, a verified and active
assistant who belongs to the provider, the provider's coordinator, the staff of a facility
(enrollment) and a guardian acting for a child (who signs in only through the guardian), then
prints how to sign in.
The passwords are demo values for a local machine, not secrets.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from identity import demo_centre, passwords
from identity.app import accounts as cases
from identity.domain import account as domain
from identity.domain import events as e
from identity.domain.rules import required_steps
from identity.readmodels.tables import accounts, credentials, guardianships, organisations
from identity.settings import Settings
from teilhabe_events.activities import Activity, Trait
from teilhabe_events.contexts.common import CoarsePlace, WeeklyRange
from teilhabe_events.contexts.identity import AccountRole, CentreRole, OrganisationKind
from teilhabe_kit import postcodes
from teilhabe_kit.db import create_engine
from teilhabe_kit.localtime import local_date

DEMO_ACTOR = "demo-loader"
PROVIDER_NAME = "Assistenz-Dienst Northeim (Demo)"
PROVIDER_POSTCODE = "37154"


@dataclass(frozen=True)
class DemoAccount:
    role: AccountRole
    name: str
    email: str
    password: str
    postcode: str = "37154"
    introduction: str | None = None


ADMIN = DemoAccount(AccountRole.ADMIN, "Ada Admin", "admin@demo.teilhabe.de", "Demo-Admin-2026!")
SEEKER = DemoAccount(
    AccountRole.SEEKER,
    "Erika Beispiel",
    "erika@demo.teilhabe.de",
    "Demo-Suchende-2026!",
    introduction="Ich bin 78 Jahre alt und brauche Hilfe beim Einkaufen und bei Arzt-Besuchen.",
)
ASSISTANT = DemoAccount(
    AccountRole.ASSISTANT,
    "Max Helfer",
    "max@demo.teilhabe.de",
    "Demo-Assistenz-2026!",
    "37073",
    introduction="Ich studiere Soziale Arbeit und begleite gern zum Einkaufen, zu Terminen und beim Spazierengehen.",
)
COORDINATOR = DemoAccount(
    AccountRole.COORDINATOR, "Kora Koordination", "kora@demo.teilhabe.de", "Demo-Koordination-2026!"
)
FACILITY_STAFF = DemoAccount(
    AccountRole.FACILITY_STAFF, "Fenja Einrichtung", "fenja@demo.teilhabe.de", "Demo-Einrichtung-2026!"
)
GUARDIAN = DemoAccount(AccountRole.GUARDIAN, "Gerda Sorge", "gerda@demo.teilhabe.de", "Demo-Sorge-2026!")
CENTRE_ADMIN = DemoAccount(
    AccountRole.CENTRE_ADMIN, "Carla Centrum", "carla@demo.teilhabe.de", "Demo-Beratungsstelle-2026!"
)
COUNSELORS = (
    DemoAccount(AccountRole.COUNSELOR, "Bela Beratung", "bela@demo.teilhabe.de", "Demo-Beratung-2026!"),
    DemoAccount(AccountRole.COUNSELOR, "Nuri Nähe", "nuri@demo.teilhabe.de", "Demo-Beratung-2026!"),
)
CENTRE_STAFF = (CENTRE_ADMIN, *COUNSELORS)
DEMO_ACCOUNTS = (ADMIN, SEEKER, ASSISTANT, COORDINATOR, FACILITY_STAFF, GUARDIAN, *CENTRE_STAFF)
WARD = DemoAccount(  # no password: a child
    AccountRole.SEEKER,
    "Lina Sorge",
    "lina@demo.teilhabe.de",
    "",
    introduction="Lina ist zehn Jahre alt und braucht am Nachmittag Begleitung.",
)
OLD_INTRODUCTION = "Demo-Konto"
"""What earlier demo loads wrote as every introduction (shown in the order wizard): replaced on load."""
WARD_BIRTH_DATE = date(2016, 5, 3)
FACILITY_NAME = "Tagesstätte Northeim (Demo)"


async def _organisation(engine: AsyncEngine, kind: OrganisationKind, name: str) -> str:
    async with engine.begin() as conn:
        found = await conn.scalar(select(organisations.c.id).where(organisations.c.name == name))
        return found or await cases.create_organisation(conn, kind, name, PROVIDER_POSTCODE, DEMO_ACTOR)


def _registration(account: DemoAccount, provider_id: str, facility_id: str) -> e.Registered:
    found = postcodes.lookup(account.postcode)
    assert found is not None, f"demo postcode {account.postcode} is known"
    common: dict[str, Any] = dict(
        role=account.role,
        name=account.name,
        email=account.email,
        postcode=account.postcode,
        place=CoarsePlace.around(*found),
        introduction=account.introduction,
        consents=tuple(
            e.Consent(kind=k, version=Settings().consent_version, given_at=cases.now())
            for k in ("privacy", "withdrawal", "terms", "data_processing")
        ),
    )
    if account.role == AccountRole.SEEKER:
        return e.Registered(**common, needs=(Activity.SHOPPING, Activity.ACCOMPANY_APPOINTMENTS))
    if account.role == AccountRole.ASSISTANT:
        weekdays = tuple(WeeklyRange(weekday=d, start=time(8), end=time(16)) for d in range(5))
        return e.Registered(
            **common,
            organisation_id=provider_id,
            radius_km=25.0,
            ranges=weekdays,
            activities=(Activity.SHOPPING, Activity.ACCOMPANY_APPOINTMENTS, Activity.WALKS, Activity.HOUSEHOLD),
            traits=(Trait.DRIVING_LICENCE, Trait.LANGUAGE_GERMAN, Trait.NON_SMOKER),
        )
    organisation = {AccountRole.COORDINATOR: provider_id, AccountRole.FACILITY_STAFF: facility_id}.get(account.role)
    return e.Registered(**common, organisation_id=organisation, created_by=DEMO_ACTOR)


async def _ensure(engine: AsyncEngine, account: DemoAccount, provider_id: str, facility_id: str) -> tuple[str, bool]:
    async with engine.begin() as conn:
        existing = (
            await conn.execute(
                select(accounts.c.id, accounts.c.introduction, accounts.c.phone).where(
                    accounts.c.email == account.email
                )
            )
        ).first()
        if existing:
            if existing.introduction == OLD_INTRODUCTION:
                contact = e.ContactChanged(
                    name=account.name, email=account.email, phone=existing.phone, introduction=account.introduction
                )
                await cases.change_contact(conn, existing.id, contact, DEMO_ACTOR)
            return existing.id, False
        account_id = await cases.register(
            conn,
            _registration(account, provider_id, facility_id),
            password=account.password or None,
            actor_id=DEMO_ACTOR,
        )
        for step in sorted(required_steps(account.role)):
            await cases.record_step(conn, account_id, step, "Demo: geprüft", DEMO_ACTOR)
        if account.role in (AccountRole.SEEKER, AccountRole.ASSISTANT):
            await cases.act(conn, account_id, lambda s: domain.activate(s, DEMO_ACTOR), DEMO_ACTOR)
        return account_id, True


async def load(engine: AsyncEngine) -> dict[str, str]:
    """Create what is missing (the ward with their guardian); returns e-mail -> account id."""
    provider_id = await _organisation(engine, OrganisationKind.SERVICE_PROVIDER, PROVIDER_NAME)
    facility_id = await _organisation(engine, OrganisationKind.FACILITY, FACILITY_NAME)
    ids = {
        account.email: (await _ensure(engine, account, provider_id, facility_id))[0]
        for account in (*DEMO_ACCOUNTS, WARD)
        if account not in CENTRE_STAFF
    }
    await demo_centre.ensure_centre(engine, DEMO_ACTOR)
    for account in CENTRE_STAFF:
        role = CentreRole(account.role.value)
        ids[account.email] = await demo_centre.ensure_member(engine, account, role, DEMO_ACTOR)
    await _guardianship(engine, ids[WARD.email], ids[GUARDIAN.email])
    return ids


async def _guardianship(engine: AsyncEngine, ward_id: str, guardian_id: str) -> None:
    async with engine.begin() as conn:
        if not await conn.scalar(
            select(guardianships.c.ward_id).where(
                guardianships.c.ward_id == ward_id, guardianships.c.guardian_id == guardian_id
            )
        ):
            await cases.assign_guardian(
                conn, ward_id, guardian_id, WARD_BIRTH_DATE, DEMO_ACTOR, local_date(cases.now())
            )


async def reset_passwords(engine: AsyncEngine, ids: dict[str, str]) -> None:
    """Demo passwords always work, even after someone changed them while trying things out."""
    async with engine.begin() as conn:
        for account in DEMO_ACCOUNTS:
            password_hash = await asyncio.to_thread(passwords.hash_password, account.password)
            await conn.execute(
                update(credentials)
                .where(credentials.c.account_id == ids[account.email])
                .values(password_hash=password_hash)
            )


async def main() -> None:
    engine = create_engine(Settings().resolved_database_url())
    try:
        ids = await load(engine)
        await reset_passwords(engine, ids)
    finally:
        await engine.dispose()
    print("Demo-Konten (nur für die lokale Demo):")
    for account in DEMO_ACCOUNTS:
        print(f"  {account.role.value:14} {account.email:26} Passwort: {account.password}")


if __name__ == "__main__":
    asyncio.run(main())
