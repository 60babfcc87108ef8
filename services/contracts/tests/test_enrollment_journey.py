"""Real stack: a WorkPro enrollment of a minor from registration to Ratifiziert, with PDFs that open."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

from contracts_support import IDENTITY_CREDENTIAL, PNG, register_interest
from pypdf import PdfReader

TODAY = date.today()


def offer_body(**overrides) -> dict:
    return {
        "title": "Hort „Sonnenblume“ – Übermittagsbetreuung",
        "description": "Betreuung nach der Schule mit Mittagessen und Hausaufgabenhilfe.",
        "starts_on": (TODAY + timedelta(days=60)).isoformat(),
        "ends_on": (TODAY + timedelta(days=425)).isoformat(),
        "capacity": 20,
        "fee_rules": {
            "highest_fee_cents": 24000,
            "brackets": [
                {"up_to_income_cents": 3_000_000, "monthly_fee_cents": 8000},
                {"up_to_income_cents": 6_000_000, "monthly_fee_cents": 16000},
            ],
        },
    } | overrides


def minor(**overrides) -> dict:
    return {
        "first_name": "Lüise",
        "last_name": "Größmann",
        "birth_date": (TODAY - timedelta(days=9 * 365)).isoformat(),
        "street": "Mühlenstraße 7",
        "postcode": "37154",
        "city": "Northeim",
    } | overrides


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


async def publish_offer(client, staff) -> str:
    response = await client.post("/api/v1/contracts/facility-offers", json=offer_body(), headers=staff)
    assert response.status_code == 201, response.text
    return response.json()["offer_id"]


async def test_enrollment_of_a_minor_from_registration_to_ratifiziert(client, as_, ids, kafka_events):
    facility = ids("facility-")
    staff = as_(ids("staff-"), "facility_staff", organisation_id=facility)
    offer_id = await publish_offer(client, staff)
    assert (await client.get(f"/api/v1/contracts/facility-offers/{offer_id}")).json()["capacity"] == 20

    email = f"{ids('jürgen-')}@example.org"
    registered = await register_interest(client, kafka_events, offer_id, "Jürgen", "Größmann", email)
    guardian_id = registered["person_id"]
    assert set(registered) == {"person_id", "offer_id", "facility_id"}  # no name, no e-mail

    ward = ids("minor-")
    guardian = as_(guardian_id, "guardian", acting_for=[ward])
    signed_up = await client.post(
        "/api/v1/contracts/enrollments",
        json={"offer_id": offer_id, "participant": minor(account_id=ward)},
        headers=guardian | {"Idempotency-Key": ids("key-")},
    )
    assert signed_up.status_code == 201, signed_up.text
    enrollment = signed_up.json()
    eid = enrollment["enrollment_id"]
    assert enrollment["status"] == "interessent"
    assert enrollment["customer_number"].startswith("K-") and enrollment["contract_number"].startswith(
        f"V-{TODAY.year}-"
    )
    base = f"/api/v1/contracts/enrollments/{eid}"

    registration = await client.get(f"{base}/registration.pdf", headers=guardian)
    assert registration.status_code == 200 and registration.headers["content-type"] == "application/pdf"
    text = pdf_text(registration.content)
    for expected in (
        "Lüise Größmann",
        "Mühlenstraße 7, 37154 Northeim",
        "Jürgen Größmann",
        email,
        enrollment["customer_number"],
        enrollment["contract_number"],
        "Übermittagsbetreuung",
    ):
        assert expected in text

    async def step(method: str, path: str, headers: dict, expected_status: str, **kw) -> dict:
        response = await client.request(method, f"{base}{path}", headers=headers, **kw)
        assert response.status_code == 200, response.text
        assert response.json()["status"] == expected_status
        return response.json()

    await step("POST", "/submission", guardian, "bewerber")
    interview = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0).isoformat()
    await step("POST", "/invitation", staff, "eingeladen", json={"interview_at": interview})
    candidate = await step("POST", "/decision", staff, "kandidat", json={"accepted": True, "interview": "attended"})
    assert {m["code"] for m in candidate["missing"]} == {
        "income_declaration",
        "submit_registration",
        "emergency_contact",
        "pickup_person",
    }

    await step("PUT", "/income", guardian, "kandidat", json={"household_income_cents": 4_500_000, "earners": 2})
    await step("POST", "/submission", guardian, "eingestuft")
    offered = await step(
        "POST",
        "/offer",
        staff,
        "angebot",
        json={
            "starts_on": offer_body()["starts_on"],
            "ends_on": offer_body()["ends_on"],
            "respond_by": (TODAY + timedelta(days=14)).isoformat(),
        },
    )
    assert offered["monthly_fee_cents"] == 16000 and offered["fee_basis"] == "income_bracket"

    offer_pdf = await client.get(f"{base}/offer.pdf", headers=guardian)
    offer_text = pdf_text(offer_pdf.content)
    assert "160,00 €" in offer_text and "Lüise Größmann" in offer_text and "Höchstsatz" not in offer_text

    accepted = await step(
        "POST",
        "/acceptance",
        guardian,
        "angenommen",
        files={"file": ("angebot-unterschrieben.pdf", offer_pdf.content, "application/pdf")},
    )
    scan = accepted["documents"][0]
    assert scan["kind"] == "signed_contract"
    stored = await client.get(f"{base}/documents/{scan['document_id']}", headers=staff)
    assert stored.content == offer_pdf.content
    ratified = await step("POST", "/ratification", staff, "ratifiziert")
    assert {m["code"] for m in ratified["missing"]} == {"emergency_contact", "pickup_person"}

    contacts = {"contacts": [{"name": "Oma Hildegard Größmann", "phone": "+49 5551 12345", "relation": "Großmutter"}]}
    await step("PUT", "/emergency-contacts", guardian, "ratifiziert", json=contacts)
    done = await step(
        "POST",
        "/pickup-persons",
        guardian,
        "ratifiziert",
        data={"name": "Opa Jörg Größmann"},
        files={"photo": ("passbild.png", PNG, "image/png")},
    )
    assert done["missing"] == [] and done["pickup_persons"] == 1
    for reader in (guardian, staff):  # the sealed details, for the guardian and the facility only
        care = (await client.get(f"{base}/care", headers=reader)).json()
        assert care["emergency_contacts"] == contacts["contacts"]
        assert [p["name"] for p in care["pickup_persons"]] == ["Opa Jörg Größmann"]
        photo = await client.get(
            f"{base}/pickup-persons/{care['pickup_persons'][0]['person_id']}/photo", headers=reader
        )
        assert photo.content == PNG and photo.headers["content-type"] == "image/png"
    assert (await client.get(f"{base}/care", headers=as_(ids("admin-"), "admin"))).status_code == 403
    assert (await client.get(f"{base}/pickup-persons/{ids()}/photo", headers=guardian)).status_code == 404

    person = f"{base}/pickup-persons/{care['pickup_persons'][0]['person_id']}"
    for refused, code in (
        (staff, 403),
        (as_(ids("admin-"), "admin"), 403),
        (as_(ids("g-"), "guardian", acting_for=[ids("w-")]), 404),
    ):
        assert (await client.delete(person, headers=refused)).status_code == code
    unknown = await client.delete(f"{base}/pickup-persons/{ids()}", headers=guardian)
    assert unknown.status_code == 404 and unknown.headers["content-type"] == "application/problem+json"
    removed = await client.delete(person, headers=guardian)
    assert removed.status_code == 200, removed.text
    assert removed.json()["pickup_persons"] == 0 and [m["code"] for m in removed.json()["missing"]] == ["pickup_person"]
    assert (await client.get(f"{base}/care", headers=staff)).json()["pickup_persons"] == []
    for reader in (guardian, staff):
        assert (await client.get(f"{person}/photo", headers=reader)).status_code == 404
    assert "pickup_photo" in {d["kind"] for d in done["documents"]}
    assert "pickup_photo" not in {d["kind"] for d in removed.json()["documents"]}  # destroyed, not only hidden

    events = await kafka_events(
        "contracts.enrollment.v1",
        eid,
        {"EnrollmentStatusChanged", "ContractNumberAssigned"},
        where=lambda e: e.event_type != "EnrollmentStatusChanged" or e.payload["status"] == "ratifiziert",
    )
    everything = await kafka_events("contracts.enrollment.v1", eid, {"CustomerNumberAssigned"})
    statuses = [e.payload["status"] for e in everything if e.event_type == "EnrollmentStatusChanged"]
    assert statuses == [
        "interessent",
        "bewerber",
        "eingeladen",
        "kandidat",
        "eingestuft",
        "angebot",
        "angenommen",
        "ratifiziert",
    ]
    assert events and all("Größmann" not in str(e.payload) for e in everything)


async def test_without_demanded_proof_the_highest_fee_applies(client, as_, ids):
    facility = ids("facility-")
    staff = as_(ids("staff-"), "facility_staff", organisation_id=facility)
    offer_id = await publish_offer(client, staff)
    adult_id = ids("adult-")
    adult = as_(adult_id, "seeker")
    adult_data = minor(first_name="Ömer", birth_date="1990-05-01")
    body = {
        "offer_id": offer_id,
        "participant": adult_data,
        "applicant": {"first_name": "Ömer", "last_name": "Größmann", "email": "oemer@example.org"},
    }
    eid = (await client.post("/api/v1/contracts/enrollments", json=body, headers=adult)).json()["enrollment_id"]
    base = f"/api/v1/contracts/enrollments/{eid}"
    assert (await client.post(f"{base}/submission", headers=adult)).status_code == 200
    assert (
        await client.post(f"{base}/decision", json={"accepted": True, "interview": "none"}, headers=staff)
    ).status_code == 200
    assert (
        await client.put(f"{base}/income", json={"household_income_cents": 1_000_000}, headers=adult)
    ).status_code == 200
    demanded = await client.post(f"{base}/income-proof-demand", headers=staff)
    assert {m["code"] for m in demanded.json()["missing"]} >= {"income_proof"}
    assert (await client.post(f"{base}/submission", headers=adult)).json()["status"] == "eingestuft"
    terms = {
        "starts_on": offer_body()["starts_on"],
        "ends_on": offer_body()["ends_on"],
        "respond_by": TODAY.isoformat(),
    }
    offered = (await client.post(f"{base}/offer", json=terms, headers=staff)).json()
    assert offered["monthly_fee_cents"] == 24000 and offered["fee_basis"] == "highest_no_proof"
    offer_text = pdf_text((await client.get(f"{base}/offer.pdf", headers=adult)).content)
    assert "240,00 €" in offer_text and "Höchstsatz (Einkommensnachweis fehlt)" in offer_text


async def test_no_offer_beyond_the_capacity_and_no_second_sign_up(client, as_, ids):
    staff = as_(ids("staff-"), "facility_staff", organisation_id=ids("facility-"))
    offer = await client.post("/api/v1/contracts/facility-offers", json=offer_body(capacity=1), headers=staff)
    offer_id = offer.json()["offer_id"]
    terms = {
        "starts_on": offer_body()["starts_on"],
        "ends_on": offer_body()["ends_on"],
        "respond_by": (TODAY + timedelta(days=3)).isoformat(),
    }
    answers = []
    for name in ("Änne", "Ömer"):
        person = as_(ids("adult-"), "seeker")
        body = {
            "offer_id": offer_id,
            "participant": minor(first_name=name, birth_date="1990-01-01"),
            "applicant": {"first_name": name, "last_name": "Ü", "email": "x@example.org"},
        }
        created = await client.post("/api/v1/contracts/enrollments", json=body, headers=person)
        again = await client.post("/api/v1/contracts/enrollments", json=body, headers=person)
        assert again.status_code == 409  # one enrollment per participant and offer
        base = f"/api/v1/contracts/enrollments/{created.json()['enrollment_id']}"
        await client.post(f"{base}/submission", headers=person)
        await client.post(f"{base}/decision", json={"accepted": True, "interview": "none"}, headers=staff)
        await client.put(f"{base}/income", json={"household_income_cents": None}, headers=person)
        assert (await client.post(f"{base}/submission", headers=person)).json()["status"] == "eingestuft"
        answers.append(await client.post(f"{base}/offer", json=terms, headers=staff))
    assert answers[0].status_code == 200 and answers[0].json()["fee_basis"] == "highest_no_declaration"
    assert answers[1].status_code == 409 and "Plätze" in answers[1].json()["detail"]
    assert (await client.get(f"/api/v1/contracts/facility-offers/{offer_id}")).json()["free_places"] == 0
    listed = await client.get(
        "/api/v1/contracts/enrollments", params={"offer_id": offer_id, "status": "angebot"}, headers=staff
    )
    assert len(listed.json()) == 1


async def test_a_signed_scan_after_the_deadline_is_refused_and_not_stored(client, as_, ids, contracts_app, monkeypatch):
    from contracts.app import enrollment as enrollment_app

    staff = as_(ids("staff-"), "facility_staff", organisation_id=ids("facility-"))
    offer_id = await publish_offer(client, staff)
    person = as_(ids("adult-"), "seeker")
    body = {
        "offer_id": offer_id,
        "participant": minor(first_name="Jörn", birth_date="1988-08-08"),
        "applicant": {"first_name": "Jörn", "last_name": "Ö", "email": "joern@example.org"},
    }
    base = f"/api/v1/contracts/enrollments/{(await client.post('/api/v1/contracts/enrollments', json=body, headers=person)).json()['enrollment_id']}"
    await client.post(f"{base}/submission", headers=person)
    await client.post(f"{base}/decision", json={"accepted": True, "interview": "none"}, headers=staff)
    await client.put(f"{base}/income", json={"household_income_cents": 2_000_000}, headers=person)
    await client.post(f"{base}/submission", headers=person)
    respond_by = TODAY + timedelta(days=2)
    offered = await client.post(
        f"{base}/offer",
        headers=staff,
        json={
            "starts_on": offer_body()["starts_on"],
            "ends_on": offer_body()["ends_on"],
            "respond_by": respond_by.isoformat(),
        },
    )
    assert offered.json()["status"] == "angebot"
    scan = (await client.get(f"{base}/offer.pdf", headers=person)).content

    real_now = enrollment_app.now
    monkeypatch.setattr(enrollment_app, "now", lambda: real_now() + timedelta(days=3))  # the day after the deadline
    late = await client.post(
        f"{base}/acceptance", headers=person, files={"file": ("scan.pdf", scan, "application/pdf")}
    )
    assert late.status_code == 409 and "Frist" in late.json()["detail"]
    after = (await client.get(base, headers=person)).json()
    assert after["status"] == "angebot" and after["documents"] == []

    monkeypatch.setattr(enrollment_app, "now", lambda: real_now() + timedelta(days=2))  # on the last day
    in_time = await client.post(
        f"{base}/acceptance", headers=person, files={"file": ("scan.pdf", scan, "application/pdf")}
    )
    assert in_time.status_code == 200 and in_time.json()["status"] == "angenommen"


async def test_an_interested_persons_contact_goes_to_identitys_credential_and_admins_only(
    client, as_, ids, kafka_events
):
    offer_id = await publish_offer(client, as_(ids("staff-"), "facility_staff", organisation_id=ids("facility-")))
    email = f"{ids('paula-')}@example.org"
    registered = await register_interest(client, kafka_events, offer_id, "Paula", "Pröbe", email)
    path = f"/api/v1/contracts/interested-persons/{registered['person_id']}/contact"

    expected = {"first_name": "Paula", "last_name": "Pröbe", "email": email}
    identity = await client.get(path, headers={"X-Service-Credential": IDENTITY_CREDENTIAL})
    assert identity.status_code == 200 and identity.json() == expected
    assert (await client.get(path, headers=as_(ids("admin-"), "admin"))).json() == expected
    wrong = await client.get(path, headers={"X-Service-Credential": "not-" + IDENTITY_CREDENTIAL})
    assert wrong.status_code == 401 and wrong.headers["content-type"].startswith("application/problem+json")
    assert "Paula" not in wrong.text
    assert (await client.get(path, headers=as_(registered["person_id"], "seeker"))).status_code == 403
    assert (await client.get(path)).status_code == 401
    unknown = f"/api/v1/contracts/interested-persons/{ids()}/contact"
    assert (await client.get(unknown, headers={"X-Service-Credential": IDENTITY_CREDENTIAL})).status_code == 404
