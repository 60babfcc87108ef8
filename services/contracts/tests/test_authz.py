"""Every endpoint: no token → 401, wrong role → 403, wrong owner → 404 (and nothing changes)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from contracts_support import PASSWORD, PNG, ratified_contract, terms
from test_enrollment_journey import minor, offer_body

TODAY = date.today()
SOON = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0).isoformat()


@pytest.fixture(scope="module")
async def world(contracts_app, token_issuer):
    """One ratified contract and one enrollment in Kandidat, with their rightful parties and intruders."""
    import os
    import uuid

    import httpx
    from contracts_support import publish_event

    from teilhabe_kit.testing import bearer

    ids = lambda prefix="": f"{prefix}{uuid.uuid4()}"  # noqa: E731
    as_ = lambda account, *roles, **extra: bearer(token_issuer, account, *roles, **extra)  # noqa: E731
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    w = SimpleNamespace(
        provider=ids("provider-"),
        seeker_id=ids("seeker-"),
        assistant_id=ids("assistant-"),
        facility=ids("facility-"),
        ward=ids("ward-"),
        guardian_id=ids("guardian-"),
    )
    w.seeker, w.assistant = as_(w.seeker_id, "seeker"), as_(w.assistant_id, "assistant")
    w.coordinator = as_(ids("coord-"), "coordinator", organisation_id=w.provider)
    w.staff = as_(ids("staff-"), "facility_staff", organisation_id=w.facility)
    w.guardian = as_(w.guardian_id, "guardian", acting_for=[w.ward])
    w.other_seeker, w.other_assistant = as_(ids("s-"), "seeker"), as_(ids("a-"), "assistant")
    w.other_coordinator = as_(ids("c-"), "coordinator", organisation_id=ids("p-"))
    w.other_staff = as_(ids("st-"), "facility_staff", organisation_id=ids("f-"))
    w.other_guardian = as_(ids("g-"), "guardian", acting_for=[ids("w-")])
    w.admin = as_(ids("admin-"), "admin")
    async with httpx.AsyncClient(base_url=contracts_app.url, timeout=30) as client:
        w.contract_id = await ratified_contract(
            client,
            lambda event, **kw: publish_event(bootstrap, event, topic=contracts_app.settings.orders_topic, **kw),
            seeker=w.seeker,
            assistant=w.assistant,
            provider=w.coordinator,
            ids=ids,
            seeker_id=w.seeker_id,
            assistant_id=w.assistant_id,
            organisation_id=w.provider,
            starts_on=TODAY.isoformat(),
        )
        base = f"/api/v1/contracts/assistance/{w.contract_id}"
        w.booking_id = (
            await client.post(
                f"{base}/bookings", json={"worked_on": TODAY.isoformat(), "minutes": 30}, headers=w.assistant
            )
        ).json()["booking_id"]
        scan = await client.post(
            f"{base}/signatures/scan",
            data={"party": "seeker"},
            headers=w.seeker,
            files={"file": ("s.png", PNG, "image/png")},
        )
        assert scan.status_code == 409  # already signed and ratified: nothing stored
        w.offer_id = (
            await client.post("/api/v1/contracts/facility-offers", json=offer_body(), headers=w.staff)
        ).json()["offer_id"]
        signed_up = await client.post(
            "/api/v1/contracts/enrollments",
            headers=w.guardian,
            json={
                "offer_id": w.offer_id,
                "participant": minor(account_id=w.ward),
                "applicant": {"first_name": "Gert", "last_name": "Öz", "email": "gert@example.org"},
            },
        )
        w.enrollment_id = signed_up.json()["enrollment_id"]
        e = f"/api/v1/contracts/enrollments/{w.enrollment_id}"
        assert (await client.post(f"{e}/submission", headers=w.guardian)).status_code == 200
        assert (
            await client.post(f"{e}/decision", json={"accepted": True, "interview": "none"}, headers=w.staff)
        ).status_code == 200
    return w


C = "/api/v1/contracts/assistance/{contract_id}"
E = "/api/v1/contracts/enrollments/{enrollment_id}"
UPLOAD = {"files": {"file": ("scan.png", PNG, "image/png")}}

# (method, path, request kwargs, rightful-role-but-wrong-owner, wrong role)
CASES = [
    ("GET", "/api/v1/contracts/assistance/{contract_id}", {}, "other_seeker", "staff"),
    ("POST", C + "/meeting-proposals", {"json": {"slots": [SOON]}}, "other_coordinator", "seeker"),
    ("POST", C + "/meeting", {"json": {"slot": SOON}}, "other_seeker", "assistant"),
    ("POST", C + "/decline", {}, "other_seeker", "staff"),
    ("POST", C + "/meeting/held", {}, "other_coordinator", "seeker"),
    ("POST", C + "/draft", {"json": terms(TODAY.isoformat())}, "other_coordinator", "seeker"),
    ("POST", C + "/signatures", {"json": {"party": "seeker", "password": PASSWORD}}, "other_seeker", "coordinator"),
    ("POST", C + "/signatures/scan", {"data": {"party": "assistant"}, **UPLOAD}, "other_assistant", "coordinator"),
    ("POST", C + "/ratification", {}, "other_coordinator", "seeker"),
    ("POST", C + "/end", {"json": {"reason": "completed", "ends_on": TODAY.isoformat()}}, "other_seeker", "staff"),
    ("POST", C + "/ratings", {"json": {"period": TODAY.isoformat()[:7], "stars": 3}}, "other_seeker", "assistant"),
    ("GET", "/api/v1/contracts/assistants/{assistant_id}/ratings", {}, "other_assistant", "seeker"),
    ("GET", "/api/v1/contracts/assistants/{assistant_id}/ratings", {}, "other_coordinator", "staff"),
    ("POST", C + "/bookings", {"json": {"worked_on": TODAY.isoformat(), "minutes": 15}}, "other_assistant", "seeker"),
    ("GET", C + "/bookings", {}, "other_assistant", "staff"),
    ("POST", C + "/bookings/{booking_id}/approval", {}, "other_coordinator", "assistant"),
    ("GET", C + "/documents/unknown", {}, "other_seeker", "staff"),
    ("GET", C + "/contract.pdf", {}, "other_assistant", "staff"),
    ("GET", E, {}, "other_staff", "assistant"),
    ("GET", E, {}, "other_guardian", "coordinator"),
    ("PUT", E + "/registration", {"json": {"participant": minor(account_id="x")}}, "other_guardian", "staff"),
    ("POST", E + "/submission", {}, "other_guardian", "staff"),
    ("POST", E + "/invitation", {"json": {"interview_at": SOON}}, "other_staff", "guardian"),
    ("POST", E + "/decision", {"json": {"accepted": False, "interview": "none"}}, "other_staff", "guardian"),
    ("PUT", E + "/income", {"json": {"household_income_cents": 100}}, "other_guardian", "staff"),
    ("POST", E + "/income-proof-demand", {}, "other_staff", "guardian"),
    ("POST", E + "/income-proof", UPLOAD, "other_guardian", "staff"),
    (
        "POST",
        E + "/offer",
        {"json": {"starts_on": "2030-01-01", "ends_on": "2030-12-31", "respond_by": "2029-12-01"}},
        "other_staff",
        "guardian",
    ),
    ("POST", E + "/acceptance", UPLOAD, "other_guardian", "staff"),
    ("POST", E + "/ratification", {}, "other_staff", "guardian"),
    (
        "PUT",
        E + "/emergency-contacts",
        {"json": {"contacts": [{"name": "A", "phone": "+49 1 23456", "relation": "x"}]}},
        "other_guardian",
        "staff",
    ),
    (
        "POST",
        E + "/pickup-persons",
        {"data": {"name": "B"}, "files": {"photo": ("p.png", PNG, "image/png")}},
        "other_guardian",
        "staff",
    ),
    ("GET", E + "/registration.pdf", {}, "other_guardian", "assistant"),
    ("GET", E + "/offer.pdf", {}, "other_staff", "coordinator"),
    ("GET", E + "/documents/unknown", {}, "other_guardian", "assistant"),
    ("GET", E + "/care", {}, "other_guardian", "admin"),
    ("GET", E + "/pickup-persons/unknown/photo", {}, "other_staff", "admin"),
    ("DELETE", E + "/pickup-persons/unknown", {}, "other_guardian", "staff"),
]


def _path(template: str, w) -> str:
    return template.format(
        contract_id=w.contract_id, enrollment_id=w.enrollment_id, assistant_id=w.assistant_id, booking_id=w.booking_id
    )


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "owner", "role"),
    CASES,
    ids=[f"{c[0]} {c[1].split('}')[-1] or c[1]} {c[3]}" for c in CASES],
)
async def test_wrong_owner_404_wrong_role_403_no_token_401(client, world, method, path, kwargs, owner, role):
    url = _path(path, world)
    before_c = (await client.get(_path(C, world), headers=world.coordinator)).json()
    before_e = (await client.get(_path(E, world), headers=world.staff)).json()
    wrong_owner = await client.request(method, url, headers=getattr(world, owner), **kwargs)
    assert wrong_owner.status_code == 404, wrong_owner.text
    wrong_role = await client.request(method, url, headers=getattr(world, role), **kwargs)
    assert wrong_role.status_code == 403, wrong_role.text
    anonymous = await client.request(method, url, **kwargs)
    assert anonymous.status_code == 401
    assert (await client.get(_path(C, world), headers=world.coordinator)).json() == before_c
    assert (await client.get(_path(E, world), headers=world.staff)).json() == before_e


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "role"),
    [
        ("POST", "/api/v1/contracts/facility-offers", {"json": offer_body()}, "seeker"),
        ("POST", "/api/v1/contracts/enrollments", {"json": {"offer_id": "x", "participant": minor()}}, "staff"),
        ("GET", "/api/v1/contracts/interested-persons/someone/contact", {}, "staff"),
        (
            "GET",
            "/api/v1/contracts/bookings/export.csv",
            {"params": {"payer": "private", "month": "2027-01"}},
            "assistant",
        ),
        ("GET", "/api/v1/contracts/assistance", {}, "staff"),
        ("POST", "/api/v1/contracts/erasure-requests", {}, "staff"),
        ("POST", "/api/v1/contracts/retention/run", {}, "coordinator"),
    ],
)
async def test_collection_endpoints_refuse_wrong_roles(client, world, method, path, kwargs, role):
    assert (await client.request(method, path, headers=getattr(world, role), **kwargs)).status_code == 403
    assert (await client.request(method, path, **kwargs)).status_code == 401


async def test_lists_show_only_what_belongs_to_the_caller(client, world):
    mine = await client.get("/api/v1/contracts/assistance", params={"view": "active"}, headers=world.seeker)
    assert world.contract_id in [c["contract_id"] for c in mine.json()]
    for intruder in (world.other_seeker, world.other_coordinator, world.other_assistant):
        theirs = await client.get("/api/v1/contracts/assistance", params={"view": "active"}, headers=intruder)
        assert world.contract_id not in [c["contract_id"] for c in theirs.json()]
    export = await client.get(
        "/api/v1/contracts/bookings/export.csv",
        params={"payer": "relief_amount", "month": TODAY.isoformat()[:7]},
        headers=world.other_coordinator,
    )
    assert world.contract_id not in export.text
    staff_list = await client.get("/api/v1/contracts/enrollments", headers=world.staff)
    assert world.enrollment_id in [e["enrollment_id"] for e in staff_list.json()]
    for intruder in (world.other_staff, world.other_guardian):
        listed = await client.get("/api/v1/contracts/enrollments", headers=intruder)
        assert world.enrollment_id not in [e["enrollment_id"] for e in listed.json()]
    ward = await client.get("/api/v1/contracts/enrollments", headers=world.guardian)
    assert world.enrollment_id in [e["enrollment_id"] for e in ward.json()]
