"""Customer and contract numbers under concurrent sign-ups; Idempotency-Key on creating POSTs."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select
from test_enrollment_journey import minor, offer_body

from contracts.readmodels.tables import enrollments_view


async def _offer(client, staff) -> str:
    response = await client.post("/api/v1/contracts/facility-offers", json=offer_body(), headers=staff)
    return response.json()["offer_id"]


def _adult(name: str) -> dict:
    return {
        "offer_id": None,
        "participant": minor(first_name=name, birth_date="1985-02-03"),
        "applicant": {"first_name": name, "last_name": "Nuñez", "email": f"{name}@example.org"},
    }


async def test_concurrent_sign_ups_get_unique_numbers(client, as_, ids, kafka_events):
    staff = as_(ids("staff-"), "facility_staff", organisation_id=ids("facility-"))
    offer_id = await _offer(client, staff)
    people = [ids("person-") for _ in range(20)]

    async def sign_up(person: str):
        body = _adult(person[-6:]) | {"offer_id": offer_id}
        return await client.post("/api/v1/contracts/enrollments", json=body, headers=as_(person, "seeker"))

    answers = await asyncio.gather(*(sign_up(p) for p in people))
    assert [a.status_code for a in answers] == [201] * 20
    contract_numbers = [a.json()["contract_number"] for a in answers]
    customer_numbers = [a.json()["customer_number"] for a in answers]
    assert len(set(contract_numbers)) == 20 and len(set(customer_numbers)) == 20


async def test_a_customer_keeps_one_number_across_concurrent_contracts(client, as_, ids, kafka_events):
    staff = as_(ids("staff-"), "facility_staff", organisation_id=ids("facility-"))
    offers = await asyncio.gather(*(_offer(client, staff) for _ in range(5)))
    person = ids("person-")
    headers = as_(person, "seeker")
    answers = await asyncio.gather(
        *(
            client.post("/api/v1/contracts/enrollments", json=_adult("Zoë") | {"offer_id": o}, headers=headers)
            for o in offers
        )
    )
    assert [a.status_code for a in answers] == [201] * 5
    assert len({a.json()["customer_number"] for a in answers}) == 1
    assert len({a.json()["contract_number"] for a in answers}) == 5
    assigned = []
    for answer in answers:
        events = await kafka_events(
            "contracts.enrollment.v1", answer.json()["enrollment_id"], {"ContractNumberAssigned"}
        )
        assigned += [e for e in events if e.event_type == "CustomerNumberAssigned"]
    assert len(assigned) == 1  # assigned once, kept for the later contracts


async def test_idempotency_key_answers_a_retry_with_the_first_result(client, as_, ids, contracts_app):
    staff = as_(ids("staff-"), "facility_staff", organisation_id=ids("facility-"))
    offer_id = await _offer(client, staff)
    person = ids("person-")
    headers = as_(person, "seeker") | {"Idempotency-Key": ids("key-")}
    body = _adult("Äne") | {"offer_id": offer_id}
    first, second = [await client.post("/api/v1/contracts/enrollments", json=body, headers=headers) for _ in range(2)]
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json() and second.headers.get("Idempotent-Replayed") == "true"
    async with contracts_app.engine().connect() as conn:
        count = await conn.scalar(
            select(func.count()).select_from(enrollments_view).where(enrollments_view.c.participant_id == person)
        )
    assert count == 1
    other_body = await client.post("/api/v1/contracts/enrollments", json=body | {"offer_id": "x"}, headers=headers)
    assert other_body.status_code == 422 and other_body.json()["errors"][0]["field"] == "Idempotency-Key"
