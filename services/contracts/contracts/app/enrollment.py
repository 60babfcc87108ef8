"""Use cases of enrollment: facility offers, interested persons, sign-up and the status flow."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.app import documents, numbers, permissions
from contracts.domain import enrollment as domain
from contracts.domain.events import ENROLLMENT_INTERNAL, OFFER_INTERNAL, Event, FacilityOfferDetailsRecorded
from contracts.domain.fees import FeeRules
from contracts.readmodels.enrollment_views import project
from contracts.readmodels.tables import enrollments_view, facility_offers, interested_persons
from teilhabe_events.contexts.contracts import FacilityOfferPublished, InterestedPersonRegistered
from teilhabe_kit import localtime, sealing, streams
from teilhabe_kit.auth import Principal, Role
from teilhabe_kit.localtime import local_date
from teilhabe_kit.problems import Conflict, Forbidden, NotFound, Unprocessable
from teilhabe_kit.streams import Loaded

ENROLLMENT: streams.Stream[domain.Enrollment, Event] = streams.Stream(
    "enrollment", domain.evolve, internal=ENROLLMENT_INTERNAL
)
FACILITY_OFFER: streams.Stream[None, Event] = streams.Stream("facility_offer", internal=OFFER_INTERNAL)
INTERESTED_PERSON: streams.Stream[None, Event] = streams.Stream("interested_person")


def now() -> datetime:
    """The moment decisions are taken at (one place, so deadlines can be tested end to end)."""
    return datetime.now(UTC)


def record_key(enrollment_id: str) -> str:
    return f"enrollment:{enrollment_id}"


def eighteenth_birthday(birth_date: date) -> date:
    try:
        return birth_date.replace(year=birth_date.year + 18)
    except ValueError:  # born on 29 February
        return date(birth_date.year + 18, 3, 1)


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


# --- facility offers ---------------------------------------------------------------------------


async def publish_offer(conn: AsyncConnection, principal: Principal, offer: dict) -> str:
    """A facility's staff publishes an offer (organisational data, not personal)."""
    if not (principal.has(Role.FACILITY_STAFF) and principal.organisation_id):
        raise Forbidden("Angebote veröffentlicht die Einrichtung.")
    offer_id = str(uuid.uuid4())
    events: list[Event] = [
        FacilityOfferPublished(
            offer_id=offer_id,
            facility_id=principal.organisation_id,
            title=offer["title"],
            starts_on=offer["starts_on"],
            ends_on=offer["ends_on"],
            capacity=offer["capacity"],
            published_by=principal.account_id,
        ),
        FacilityOfferDetailsRecorded(description=offer["description"], fee_rules=offer["fee_rules"]),
    ]
    await streams.commit(conn, FACILITY_OFFER, offer_id, Loaded(None, 0), events, actor_id=principal.account_id)
    await conn.execute(
        facility_offers.insert().values(
            offer_id=offer_id,
            facility_id=principal.organisation_id,
            title=offer["title"],
            description=offer["description"],
            starts_on=offer["starts_on"],
            ends_on=offer["ends_on"],
            capacity=offer["capacity"],
            fee_rules=offer["fee_rules"],
        )
    )
    return offer_id


async def offer_row(conn: AsyncConnection, offer_id: str, *, lock: bool = False):
    query = select(facility_offers).where(facility_offers.c.offer_id == offer_id)
    row = (await conn.execute(query.with_for_update() if lock else query)).first()
    if row is None:
        raise NotFound("Dieses Angebot gibt es nicht.")
    return row


# --- interested persons -------------------------------------------------------------------------


def email_index(secret: str, email: str) -> str:
    return hmac.new(secret.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()


async def register_person(
    conn: AsyncConnection, offer_id: str, first_name: str, last_name: str, email: str, secret: str
) -> str:
    """Record an interested person (sealed) once per e-mail address; returns the person id.

    Identity creates the account (id = person id) and sends the password link on
    `InterestedPersonRegistered`; a second registration with the same address changes nothing.
    """
    offer = await offer_row(conn, offer_id)
    index = email_index(secret, email)
    known = await conn.scalar(select(interested_persons.c.person_id).where(interested_persons.c.email_hash == index))
    if known is not None:
        return known
    person_id = str(uuid.uuid4())
    await conn.execute(
        interested_persons.insert().values(
            person_id=person_id,
            email_hash=index,
            offer_id=offer_id,
            first_name=await sealing.seal(conn, person_id, first_name),
            last_name=await sealing.seal(conn, person_id, last_name),
            email=await sealing.seal(conn, person_id, email.strip()),
        )
    )
    registered = InterestedPersonRegistered(person_id=person_id, offer_id=offer_id, facility_id=offer.facility_id)
    await streams.commit(conn, INTERESTED_PERSON, person_id, Loaded(None, 0), [registered], actor_id=None)
    return person_id


async def person_contact(conn: AsyncConnection, person_id: str) -> dict | None:
    row = (await conn.execute(select(interested_persons).where(interested_persons.c.person_id == person_id))).first()
    if row is None:
        return None
    values = {k: await sealing.unseal(conn, person_id, getattr(row, k)) for k in ("first_name", "last_name", "email")}
    return None if values["email"] is None else values


# --- enrollments ---------------------------------------------------------------------------------


async def execute(
    conn: AsyncConnection, enrollment_id: str, command: object, principal: Principal | None
) -> domain.Enrollment:
    """Check who calls, decide `command` and store the outcome (view in the same transaction); 404
    if the caller may not see the enrollment. No principal: the system (retention)."""
    loaded = await streams.load(conn, ENROLLMENT, enrollment_id)
    state, today = loaded.state, local_date(now())
    if state is not None and principal is not None and not permissions.sees_enrollment(state, principal, today):
        state = None
    if state is None and not isinstance(command, domain.SignUp):
        raise NotFound("Diese Anmeldung gibt es nicht (oder Sie dürfen sie nicht sehen).")
    if state is not None and not state.erased and principal is not None:
        permissions.authorize_enrollment(state, command, principal, today)
    actor = principal.account_id if principal else None
    events = domain.decide(state, command, actor, now())
    committed = await streams.commit(conn, ENROLLMENT, enrollment_id, loaded, events, actor_id=actor, project=project)
    assert committed.state is not None
    return committed.state


async def visible(conn: AsyncConnection, enrollment_id: str, principal: Principal) -> domain.Enrollment:
    state = (await streams.load(conn, ENROLLMENT, enrollment_id)).state
    if state is None or not permissions.sees_enrollment(state, principal, local_date(now())):
        raise NotFound("Diese Anmeldung gibt es nicht (oder Sie dürfen sie nicht sehen).")
    return state


async def seal_json(conn: AsyncConnection, enrollment_id: str, value) -> str:
    return await sealing.seal(conn, record_key(enrollment_id), json.dumps(value, default=str, ensure_ascii=False))


async def unseal_json(conn: AsyncConnection, enrollment_id: str, sealed: str | None):
    plain = await sealing.unseal(conn, record_key(enrollment_id), sealed)
    return json.loads(plain) if plain else None


async def sign_up(
    conn: AsyncConnection, principal: Principal, offer_id: str, participant: dict, applicant: dict | None
) -> domain.Enrollment:
    """Sign up the caller or a minor they are guardian of; assigns customer and contract numbers."""
    offer = await offer_row(conn, offer_id)
    today = local_date(now())
    ward = participant.get("account_id")
    minor = age_on(participant["birth_date"], today) < 18
    if ward is None or ward == principal.account_id:
        participant_id = principal.account_id
        if minor:
            raise Unprocessable("Minderjährige meldet der Sorgeberechtigte an.", field="participant.birth_date")
        if not principal.has(Role.SEEKER, Role.APPLICANT):
            raise Forbidden("Mit dieser Rolle können Sie sich nicht anmelden.")
    else:
        participant_id = ward
        if not (principal.has(Role.GUARDIAN) and ward in principal.acting_for):
            raise Forbidden("Andere Personen kann nur ihr Sorgeberechtigter anmelden.")
        if not minor:
            raise Unprocessable("Volljährige melden sich selbst an.", field="participant.birth_date")
    if today > offer.ends_on:
        raise Conflict("Dieses Angebot ist schon beendet.")
    duplicate = await conn.scalar(
        select(func.count())
        .select_from(enrollments_view)
        .where(
            enrollments_view.c.offer_id == offer_id,
            enrollments_view.c.participant_id == participant_id,
            enrollments_view.c.status != domain.S.ABGELEHNT.value,
        )
    )
    if duplicate:
        raise Conflict("Diese Person ist für dieses Angebot schon angemeldet.")
    contact = applicant or await person_contact(conn, principal.account_id)
    if contact is None:
        raise Unprocessable("Bitte Vorname, Nachname und E-Mail der anmeldenden Person angeben.", field="applicant")
    enrollment_id = str(uuid.uuid4())
    customer, new_customer = await numbers.customer_number(conn, participant_id)
    registration = {"offer_title": offer.title, "applicant": contact, "participant": participant}
    command = domain.SignUp(
        enrollment_id=enrollment_id,
        applicant_id=principal.account_id,
        offer_id=offer_id,
        facility_id=offer.facility_id,
        participant_id=participant_id,
        minor=minor,
        customer_number=customer,
        new_customer=new_customer,
        majority_on=eighteenth_birthday(participant["birth_date"]) if minor else None,
        contract_number=await numbers.contract_number(conn, today),
        sealed_registration=await seal_json(conn, enrollment_id, registration),
    )
    return await execute(conn, enrollment_id, command, principal)


async def update_registration(
    conn: AsyncConnection, enrollment_id: str, principal: Principal, participant: dict, remarks: str | None
) -> domain.Enrollment:
    state = await visible(conn, enrollment_id, principal)
    current = await unseal_json(conn, enrollment_id, await registration_of(conn, enrollment_id))
    if (age_on(participant["birth_date"], localtime.today()) < 18) != state.minor:
        raise Unprocessable("Das Geburtsdatum passt nicht zur Anmeldung.", field="participant.birth_date")
    participant = participant | {"account_id": current["participant"].get("account_id")}
    registration = current | {"participant": participant, "remarks": remarks}
    sealed = await seal_json(conn, enrollment_id, registration)
    return await execute(conn, enrollment_id, domain.UpdateRegistration(sealed), principal)


async def registration_of(conn: AsyncConnection, enrollment_id: str) -> str | None:
    return await conn.scalar(
        select(enrollments_view.c.registration).where(enrollments_view.c.enrollment_id == enrollment_id)
    )


async def places_taken(conn: AsyncConnection, offer_id: str) -> int:
    """Places held by an offer made, accepted or ratified."""
    taken = await conn.execute(
        select(func.count())
        .select_from(enrollments_view)
        .where(
            enrollments_view.c.offer_id == offer_id,
            enrollments_view.c.status.in_(["angebot", "angenommen", "ratifiziert"]),
        )
    )
    return taken.scalar_one()


async def make_offer(
    conn: AsyncConnection, enrollment_id: str, principal: Principal, starts_on: date, ends_on: date, respond_by: date
) -> domain.Enrollment:
    """The facility's signed offer: fee from the offer's rules; refused when the capacity is used up."""
    state = await visible(conn, enrollment_id, principal)
    offer = await offer_row(conn, state.offer_id, lock=True)  # serialises offers per facility offer
    taken = await places_taken(conn, state.offer_id)
    if taken >= offer.capacity and permissions.staff_side(state, principal):
        raise Conflict(f"Alle {offer.capacity} Plätze sind vergeben.")
    command = domain.MakeOffer(FeeRules.from_json(offer.fee_rules), starts_on, ends_on, respond_by)
    return await execute(conn, enrollment_id, command, principal)


async def remove_pickup_person(conn: AsyncConnection, enrollment_id: str, principal: Principal, person_id: str) -> None:
    """The applicant side withdraws a pick-up person: gone from the care details, the photo destroyed."""
    persons = (
        await conn.scalar(
            select(enrollments_view.c.pickup_persons).where(enrollments_view.c.enrollment_id == enrollment_id)
        )
        or []
    )
    await execute(conn, enrollment_id, domain.RemovePickupPerson(person_id), principal)  # refuses, or 404
    photo = next(p["photo_document_id"] for p in persons if p["person_id"] == person_id)
    await documents.destroy(conn, record_key(enrollment_id), photo)
