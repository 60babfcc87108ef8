"""Bad input → 422 problem+json naming the field, and nothing stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from contracts_support import open_contract, terms
from sqlalchemy import func, select
from test_enrollment_journey import minor, offer_body

from contracts.readmodels.tables import documents, enrollments_view, facility_offers, interested_persons
from teilhabe_kit.tables import event_store

TODAY = date.today()


async def counts(engine) -> tuple:
    async with engine.connect() as conn:
        return tuple(
            [
                await conn.scalar(select(func.count()).select_from(t))
                for t in (event_store, facility_offers, interested_persons, enrollments_view, documents)
            ]
        )


def assert_problem(response, field: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in {e["field"] for e in response.json()["errors"]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (offer_body(capacity=0), "capacity"),
        (offer_body(title=""), "title"),
        (offer_body(ends_on=TODAY.isoformat(), starts_on=(TODAY + timedelta(days=1)).isoformat()), "ends_on"),
        (
            offer_body(
                fee_rules={"highest_fee_cents": 100, "brackets": [{"up_to_income_cents": 1, "monthly_fee_cents": 200}]}
            ),
            "fee_rules.brackets",
        ),
        (offer_body(unknown="x"), "unknown"),
    ],
)
async def test_bad_offers(client, as_, ids, contracts_app, body, field):
    staff = as_(ids("staff-"), "facility_staff", organisation_id=ids("facility-"))
    before = await counts(contracts_app.engine())
    response = await client.post("/api/v1/contracts/facility-offers", json=body, headers=staff)
    assert_problem(response, field)
    assert await counts(contracts_app.engine()) == before


async def test_bad_registrations_and_sign_ups(client, as_, ids, contracts_app):
    staff = as_(ids("staff-"), "facility_staff", organisation_id=ids("facility-"))
    offer_id = (await client.post("/api/v1/contracts/facility-offers", json=offer_body(), headers=staff)).json()[
        "offer_id"
    ]
    before = await counts(contracts_app.engine())
    bad_mail = await client.post(
        f"/api/v1/contracts/facility-offers/{offer_id}/registrations",
        json={"first_name": "A", "last_name": "B", "email": "keine-mail"},
    )
    assert_problem(bad_mail, "email")
    adult_id, guardian_id, ward = ids("adult-"), ids("guardian-"), ids("ward-")
    adult = as_(adult_id, "seeker")
    guardian = as_(guardian_id, "guardian", acting_for=[ward])
    applicant = {"first_name": "Ada", "last_name": "Ölmez", "email": "ada@example.org"}
    cases = [
        (
            adult,
            {"offer_id": offer_id, "participant": minor(postcode="3715"), "applicant": applicant},
            "participant.postcode",
        ),
        (
            adult,
            {"offer_id": offer_id, "participant": minor(birth_date="2999-01-01"), "applicant": applicant},
            "participant.birth_date",
        ),
        (
            adult,
            {"offer_id": offer_id, "participant": minor(), "applicant": applicant},
            "participant.birth_date",
        ),  # a minor alone
        (
            guardian,
            {
                "offer_id": offer_id,
                "participant": minor(account_id=ward, birth_date="1980-01-01"),
                "applicant": applicant,
            },
            "participant.birth_date",
        ),  # an adult ward
        (adult, {"offer_id": offer_id, "participant": minor(birth_date="1980-01-01")}, "applicant"),  # no contact known
    ]
    for headers, body, field in cases:
        assert_problem(await client.post("/api/v1/contracts/enrollments", json=body, headers=headers), field)
    assert await counts(contracts_app.engine()) == before


async def test_bad_contract_input_changes_nothing(client, as_, ids, publish, contracts_app):
    provider = ids("provider-")
    coordinator = as_(ids("coord-"), "coordinator", organisation_id=provider)
    contract_id = await open_contract(
        client,
        publish,
        coordinator,
        offer_id=ids("offer-"),
        order_id=ids("order-"),
        seeker_id=ids("seeker-"),
        assistant_id=ids("assistant-"),
        organisation_id=provider,
    )
    base = f"/api/v1/contracts/assistance/{contract_id}"
    before = await counts(contracts_app.engine())
    assert_problem(
        await client.post(
            f"{base}/meeting-proposals", json={"slots": ["2020-01-01T10:00:00+00:00"]}, headers=coordinator
        ),
        "slots",
    )
    assert_problem(
        await client.post(f"{base}/meeting-proposals", json={"slots": ["2030-01-01T10:00:00"]}, headers=coordinator),
        "slots.0",
    )  # without time zone
    assert_problem(await client.post(f"{base}/meeting-proposals", json={"slots": []}, headers=coordinator), "slots")
    assert_problem(
        await client.post(f"{base}/meeting/held", json={"held_at": "gestern"}, headers=coordinator), "held_at"
    )
    bad_terms = [
        (terms(TODAY.isoformat(), payer="cash"), "payer"),
        (terms(TODAY.isoformat()) | {"hourly_rate_cents": -1}, "hourly_rate_cents"),
        (terms(TODAY.isoformat()) | {"activities": ["juggling"]}, "activities.0"),
    ]
    for body, field in bad_terms:
        assert_problem(await client.post(f"{base}/draft", json=body, headers=coordinator), field)
    assert await counts(contracts_app.engine()) == before


async def test_bad_uploads_are_refused_and_not_stored(client, as_, ids, contracts_app):
    staff = as_(ids("staff-"), "facility_staff", organisation_id=ids("facility-"))
    offer_id = (await client.post("/api/v1/contracts/facility-offers", json=offer_body(), headers=staff)).json()[
        "offer_id"
    ]
    guardian_id, ward = ids("guardian-"), ids("ward-")
    guardian = as_(guardian_id, "guardian", acting_for=[ward])
    body = {
        "offer_id": offer_id,
        "participant": minor(account_id=ward),
        "applicant": {"first_name": "Ute", "last_name": "Süß", "email": "ute@example.org"},
    }
    eid = (await client.post("/api/v1/contracts/enrollments", json=body, headers=guardian)).json()["enrollment_id"]
    e = f"/api/v1/contracts/enrollments/{eid}"
    await client.post(f"{e}/submission", headers=guardian)
    await client.post(f"{e}/decision", json={"accepted": True, "interview": "none"}, headers=staff)
    before = await counts(contracts_app.engine())
    not_an_image = await client.post(
        f"{e}/pickup-persons",
        data={"name": "Opa"},
        headers=guardian,
        files={"photo": ("p.pdf", b"%PDF-1.4 broken", "application/pdf")},
    )
    assert_problem(not_an_image, "photo")
    no_name = await client.post(
        f"{e}/pickup-persons", headers=guardian, files={"photo": ("p.png", b"\x89PNG\r\n\x1a\nxx", "image/png")}
    )
    assert_problem(no_name, "name")
    too_big = await client.post(
        f"{e}/income-proof",
        headers=guardian,
        files={"file": ("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024), "image/png")},
    )
    assert_problem(too_big, "file")
    broken_pdf = await client.post(
        f"{e}/income-proof", headers=guardian, files={"file": ("b.pdf", b"%PDF-1.7 not really", "application/pdf")}
    )
    assert_problem(broken_pdf, "file")
    assert await counts(contracts_app.engine()) == before


@pytest.mark.parametrize("path", ["/api/v1/contracts/enrollments", "/api/v1/contracts/facility-offers"])
async def test_a_paging_offset_beyond_any_number_is_a_422_problem(client, as_, ids, path):
    """Regression (API fuzzing): an offset larger than PostgreSQL's bigint was a 500."""
    staff = as_(ids("staff-"), "facility_staff", organisation_id=ids("facility-"))
    response = await client.get(path, params={"offset": 10**23}, headers=staff)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
