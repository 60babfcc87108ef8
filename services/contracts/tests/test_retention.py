"""Real stack: erasure during retention restricts; after the retention period the record key is destroyed."""

from __future__ import annotations

from datetime import date, timedelta

from contracts_support import PNG, ratified_contract, register_interest, terms
from sqlalchemy import select
from test_enrollment_journey import minor, offer_body

from contracts.app import enrollment as enrollment_app
from contracts.app import retention
from contracts.readmodels.tables import documents, interested_persons
from teilhabe_events.contexts.identity import AccountErased
from teilhabe_kit import sealing

TODAY = date.today()


async def test_erasure_request_restricts_and_retention_run_erases(
    client, as_, ids, publish, contracts_app, kafka_events
):
    provider, seeker_id, assistant_id = ids("provider-"), ids("seeker-"), ids("assistant-")
    seeker, assistant = as_(seeker_id, "seeker"), as_(assistant_id, "assistant")
    coordinator = as_(ids("coord-"), "coordinator", organisation_id=provider)
    contract_id = await ratified_contract(
        client,
        publish,
        seeker=seeker,
        assistant=assistant,
        provider=coordinator,
        ids=ids,
        seeker_id=seeker_id,
        assistant_id=assistant_id,
        organisation_id=provider,
        starts_on=TODAY.isoformat(),
    )
    base = f"/api/v1/contracts/assistance/{contract_id}"
    scan = await client.post(f"{base}/end", json={"reason": "completed", "ends_on": TODAY.isoformat()}, headers=seeker)
    assert scan.status_code == 200

    requested = await client.post("/api/v1/contracts/erasure-requests", headers=seeker)
    assert requested.status_code == 202 and requested.json()["restricted"]["contracts"] == 1
    assert (await client.get(base, headers=seeker)).status_code == 404  # no longer shown to the person
    assert (await client.get(base, headers=assistant)).status_code == 404
    kept = await client.get(base, headers=coordinator)  # the provider must keep it (legal need)
    assert kept.status_code == 200 and kept.json()["terms"]["schedule"]
    refused = await client.post(f"{base}/ratings", json={"period": TODAY.isoformat()[:7], "stars": 2}, headers=seeker)
    assert refused.status_code == 404

    async with contracts_app.engine().begin() as conn:
        await retention.erase_expired(conn, TODAY, retention_years=10)
    assert (await client.get(base, headers=coordinator)).json()["terms"] is not None  # still within retention
    async with contracts_app.engine().begin() as conn:
        later = await retention.erase_expired(conn, TODAY + timedelta(days=365 * 10 + 5), retention_years=10)
    assert later["contracts"] >= 1
    gone = await client.get(base, headers=coordinator)
    assert gone.status_code == 200 and gone.json()["terms"] is None  # key destroyed: terms read as erased
    redraft = await client.post(f"{base}/draft", json=terms(TODAY.isoformat()), headers=coordinator)
    assert redraft.status_code == 409
    events = await kafka_events(
        "contracts.contract.v1", contract_id, {"ContractProcessingRestricted", "ContractErased"}
    )
    assert [e.event_type for e in events][-2:] == ["ContractProcessingRestricted", "ContractErased"]


async def test_account_erased_on_kafka_restricts_enrollments_and_erases_registration_data(
    client, as_, ids, publish, contracts_app, kafka_events
):
    staff = as_(ids("staff-"), "facility_staff", organisation_id=ids("facility-"))
    offer_id = (await client.post("/api/v1/contracts/facility-offers", json=offer_body(), headers=staff)).json()[
        "offer_id"
    ]
    email = f"{ids('erna-')}@example.org"
    person = (await register_interest(client, kafka_events, offer_id, "Erna", "Müller", email))["person_id"]
    adult = as_(person, "seeker")
    body = {"offer_id": offer_id, "participant": minor(first_name="Erna", last_name="Müller", birth_date="1970-01-01")}
    eid = (await client.post("/api/v1/contracts/enrollments", json=body, headers=adult)).json()["enrollment_id"]
    e = f"/api/v1/contracts/enrollments/{eid}"
    await client.post(f"{e}/submission", headers=adult)
    await client.post(f"{e}/decision", json={"accepted": True, "interview": "none"}, headers=staff)
    proof_upload = await client.put(f"{e}/income", json={"household_income_cents": 10}, headers=adult)
    assert proof_upload.status_code == 200

    await publish(AccountErased(), stream_id=person, stream_version=9)
    await kafka_events("contracts.enrollment.v1", eid, {"EnrollmentProcessingRestricted"})
    assert (await client.get(e, headers=adult)).status_code == 404
    staff_view = await client.get(e, headers=staff)
    assert staff_view.status_code == 200 and staff_view.json()["restricted"] is True
    assert staff_view.json()["registration"]["participant"]["last_name"] == "Müller"  # kept for the retention period
    assert (await client.post(f"{e}/income-proof-demand", headers=staff)).status_code == 409
    async with contracts_app.engine().connect() as conn:
        assert await enrollment_app.person_contact(conn, person) is None
        assert (
            await conn.execute(select(interested_persons).where(interested_persons.c.person_id == person))
        ).first() is None
        assert await sealing.is_erased(conn, person)


async def test_uploaded_documents_are_erased_with_their_record(client, as_, ids, contracts_app):
    staff = as_(ids("staff-"), "facility_staff", organisation_id=ids("facility-"))
    offer_id = (await client.post("/api/v1/contracts/facility-offers", json=offer_body(), headers=staff)).json()[
        "offer_id"
    ]
    guardian_id, ward = ids("guardian-"), ids("ward-")
    guardian = as_(guardian_id, "guardian", acting_for=[ward])
    body = {
        "offer_id": offer_id,
        "participant": minor(account_id=ward),
        "applicant": {"first_name": "Ida", "last_name": "Kühn", "email": "ida@example.org"},
    }
    eid = (await client.post("/api/v1/contracts/enrollments", json=body, headers=guardian)).json()["enrollment_id"]
    e = f"/api/v1/contracts/enrollments/{eid}"
    await client.post(f"{e}/submission", headers=guardian)
    await client.post(f"{e}/decision", json={"accepted": True, "interview": "none"}, headers=staff)
    photo = await client.post(
        f"{e}/pickup-persons", data={"name": "Ina Kühn"}, headers=guardian, files={"photo": ("p.png", PNG, "image/png")}
    )
    document_id = photo.json()["documents"][0]["document_id"]
    assert (await client.get(f"{e}/documents/{document_id}", headers=staff)).content == PNG
    async with contracts_app.engine().begin() as conn:
        await retention.erase_expired(conn, TODAY + timedelta(days=366), retention_years=10)
    async with contracts_app.engine().connect() as conn:
        assert await conn.scalar(select(documents.c.document_id).where(documents.c.document_id == document_id))
    assert (await client.get(f"{e}/documents/{document_id}", headers=staff)).status_code == 404
    assert (await client.get(f"{e}/registration.pdf", headers=staff)).status_code == 404
