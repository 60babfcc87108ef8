"""The authorization matrix over every endpoint: platform admin, centre admin and counselor of
centre A, centre admin and counselor of centre B, other roles and anonymous callers. Refusals are
403 (the caller's own centre, wrong role) or 404 (another centre: existence not revealed), and a
refusal changes nothing."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from centres_support import onboarded, profile_body

PEOPLE = ["admin", "admin_a", "counselor_a", "admin_b", "counselor_b", "seeker", "coordinator", "anonymous"]


@pytest.fixture(scope="module")
async def world(service, as_, admin):
    async with httpx.AsyncClient(base_url=f"{service.url}/api/v1/centres", timeout=30) as client:
        a, _ = await onboarded(client, admin)
        b, _ = await onboarded(client, admin)
    return {
        "a": a,
        "admin": admin,
        "admin_a": as_("ca-a", "centre_admin", organisation_id=a),
        "counselor_a": as_("co-a", "counselor", organisation_id=a),
        "admin_b": as_("ca-b", "centre_admin", organisation_id=b),
        "counselor_b": as_("co-b", "counselor", organisation_id=b),
        "seeker": as_("seeker-1", "seeker"),
        "coordinator": as_("coord-1", "coordinator", organisation_id=a),  # right org id, wrong role
        "anonymous": {},
    }


AGREEMENT = {"version": "2026-2", "signed_on": date.today().isoformat(), "signatory": "Dora Direktorin"}
PLATFORM_ONLY = {"admin": 200, "anonymous": 401} | {p: 403 for p in PEOPLE if p not in ("admin", "anonymous")}
ONBOARDING = {"admin": 200, "admin_a": 403, "counselor_a": 403, "admin_b": 404, "counselor_b": 404}
ONBOARDING |= {"seeker": 404, "coordinator": 404, "anonymous": 401}
READ = {"admin": 200, "admin_a": 200, "counselor_a": 200, "admin_b": 404, "counselor_b": 404}
READ |= {"seeker": 404, "coordinator": 404, "anonymous": 401}
MANAGE = READ | {"counselor_a": 403}

# (method, path, body, expected status per person)
MATRIX = [
    ("POST", "/centres", {"name": "Neu", "postcode": "37073"}, PLATFORM_ONLY | {"admin": 201}),
    ("GET", "/centres", None, PLATFORM_ONLY),
    ("GET", "/centres/{a}", None, READ),
    ("PUT", "/centres/{a}/agreement", AGREEMENT, ONBOARDING),
    ("PUT", "/centres/{a}/functions", {"functions": ["directory", "appointments"]}, ONBOARDING),
    ("PUT", "/centres/{a}/seats", {"seats": 4}, ONBOARDING),
    ("PUT", "/centres/{a}/profile", profile_body(name="Geändert"), MANAGE),
    ("POST", "/centres/{a}/delist", None, MANAGE),
    ("POST", "/centres/{a}/list", None, MANAGE),
    ("GET", "/centres/{a}/history", None, MANAGE),
    ("GET", "/regions", None, PLATFORM_ONLY),
    ("PUT", "/regions/NI/fallback", {"centre_id": "{a}"}, PLATFORM_ONLY),
    ("GET", "/finder?postcode=37073", None, dict.fromkeys(PEOPLE, 200)),
    ("GET", "/directory/{a}", None, dict.fromkeys(PEOPLE, 200)),
    ("GET", "/directory.json", None, dict.fromkeys(PEOPLE, 200)),
    ("GET", "/directory.csv", None, dict.fromkeys(PEOPLE, 200)),
    ("GET", "/catalogue", None, dict.fromkeys(PEOPLE, 200)),
    ("GET", "/places?q=Berl", None, dict.fromkeys(PEOPLE, 200)),
]


def _fill(value, centre_id: str):
    if isinstance(value, str):
        return value.replace("{a}", centre_id)
    if isinstance(value, dict):
        return {k: _fill(v, centre_id) for k, v in value.items()}
    return value


@pytest.mark.parametrize("method,path,body,expected", MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX])
async def test_every_endpoint_checks_who_calls(client, world, method, path, body, expected):
    a = world["a"]
    for person in sorted(PEOPLE, key=lambda p: expected[p] < 300):  # refusals first, then the allowed
        before = (await client.get(f"/centres/{a}", headers=world["admin"])).json()["version"]
        response = await client.request(method, _fill(path, a), json=_fill(body, a), headers=world[person])
        assert response.status_code == expected[person], (person, response.text)
        if response.status_code >= 400:
            assert response.headers["content-type"].startswith("application/problem+json")
            after = (await client.get(f"/centres/{a}", headers=world["admin"])).json()["version"]
            assert after == before, f"{person} was refused but centre A changed"
        if method != "GET" and expected[person] < 300 and path.endswith("/delist"):
            await client.post(f"/centres/{a}/list", headers=world["admin"])  # back for the next caller


async def test_the_signatory_is_hidden_from_counselors(client, world):
    a = world["a"]
    seen_by_admin = (await client.get(f"/centres/{a}", headers=world["admin_a"])).json()["agreement"]
    seen_by_counselor = (await client.get(f"/centres/{a}", headers=world["counselor_a"])).json()["agreement"]
    assert seen_by_admin["signatory"] == "Dora Direktorin"
    assert seen_by_counselor["signatory"] is None and seen_by_counselor["version"] == seen_by_admin["version"]


async def test_the_public_detail_shows_no_staff_or_internal_data(client, world):
    public = (await client.get(f"/directory/{world['a']}")).json()
    assert not {"agreement", "seats", "missing", "version", "signatory"} & public.keys()
    assert "Dora" not in str(public)
