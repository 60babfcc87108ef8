"""Teams of counseling centres on the real stack: centres' events create the centre (private topic),
the platform admin invites the first centre admin, centre admins invite within their seats, change
roles and remove; invitation links expire and are fetched like reset links; staff of two centres
choose the centre at sign-in or switch. Authz: other centres, counselors and other roles are refused."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import jwt
import pytest
from centre_support import (
    centre_event,
    delivered_token,
    invite,
    join,
    open_centre,
    signed_in,
    unique_staff_email,
    wait_for,
)
from identity_support import API, PASSWORD, admin, published, register, seeker_body, unique_address

from identity.main import create_app
from teilhabe_events import dlq_topic, encode
from teilhabe_events.contexts.centres import CentreInterestRecorded, CentreSeatsChanged
from teilhabe_kit import eventstore
from teilhabe_kit.testing import bearer, create_topics, publish_raw, serve, unique_topic


@pytest.fixture(scope="module")
async def world(identity_app, identity_settings, kafka_bootstrap):
    """The centres consumer in a second identity app on the same database (the session's app relays)."""
    topic = unique_topic("centres-centre")
    await create_topics(kafka_bootstrap, topic, dlq_topic(topic))
    settings = identity_settings.model_copy(
        update={
            "run_consumers": True,
            "run_relay": False,
            "centres_topic": topic,
            "contracts_topic": unique_topic("contracts-unused"),
            "consumer_group_prefix": unique_topic("identity-test"),
        }
    )
    await create_topics(kafka_bootstrap, settings.contracts_topic, dlq_topic(settings.contracts_topic))
    async with serve(create_app(settings)):
        yield SimpleNamespace(topic=topic, bootstrap=kafka_bootstrap, engine=identity_app[0].state.engine)


def claims(headers: dict) -> dict:
    return jwt.decode(headers["Authorization"].split()[1], options={"verify_signature": False})


async def centre_with_admin(world, client, issuer, seats: int = 3) -> tuple[str, str, dict]:
    """A centre whose first admin (invited by the platform admin) joined: (centre id, e-mail, headers)."""
    centre_id = await open_centre(world, seats=seats)
    email = unique_staff_email()
    await join(client, admin(issuer), centre_id, email, "centre_admin")
    headers, _ = await signed_in(client, email)
    return centre_id, email, headers


async def test_centres_interest_creates_the_counseling_centre_with_the_centre_id(world, client):
    centre_id = await open_centre(world, seats=None, agreement=False)
    found = (await client.get(f"{API}/organisations/{centre_id}")).json()
    assert (found["kind"], found["name"], found["postcode"]) == (
        "counseling_centre",
        "Schuldnerberatung Northeim",
        "37154",
    )


async def test_a_redelivered_interest_changes_nothing_and_seats_follow_the_centres_service(world, client, engine):
    centre_id = await open_centre(world, seats=2)
    again = centre_event(
        CentreInterestRecorded(name="Anderer Name", postcode="37073", recorded_by="admin-2"), centre_id, 1
    )
    more = centre_event(CentreSeatsChanged(seats=6), centre_id, 4)
    for envelope in (again, more):
        await publish_raw(world.bootstrap, world.topic, encode(envelope), key=centre_id.encode())
    await wait_for(world.engine, lambda row: row.id == centre_id and row.seats == 6)
    found = (await client.get(f"{API}/organisations/{centre_id}")).json()
    assert (found["name"], found["postcode"]) == ("Schuldnerberatung Northeim", "37154")
    async with engine.connect() as conn:
        kinds = [e.event_type for e in await eventstore.read_stream(conn, "organisation", centre_id)]
    assert kinds == ["OrganisationCreated", "AgreementSigned", "SeatsChanged", "SeatsChanged"]


async def test_an_invitation_with_the_same_idempotency_key_is_made_once(world, client, identity_issuer):
    centre_id = await open_centre(world)
    headers = admin(identity_issuer) | {"Idempotency-Key": f"invite-{centre_id}"}
    body = {"name": "Ida Einmal", "email": unique_staff_email(), "role": "centre_admin"}
    first = await client.post(f"{API}/centres/{centre_id}/invitations", json=body, headers=headers)
    second = await client.post(f"{API}/centres/{centre_id}/invitations", json=body, headers=headers)
    assert first.status_code == second.status_code == 201 and first.json() == second.json()
    team = (await client.get(f"{API}/centres/{centre_id}/team", headers=admin(identity_issuer))).json()
    assert team["seats_taken"] == 1


async def test_the_first_admin_is_invited_by_link_joins_and_acts_for_the_centre(
    world, client, identity_issuer, kafka_bootstrap
):
    centre_id = await open_centre(world)
    email = unique_staff_email()
    made = await invite(client, admin(identity_issuer), centre_id, email, "centre_admin")
    assert made.status_code == 201, made.text
    account_id, invitation_id = made.json()["account_id"], made.json()["invitation_id"]

    events = await published(kafka_bootstrap, account_id, until={"StaffInvited"})
    [invited] = [e for e in events if e.event_type == "StaffInvited"]
    assert invited.payload["centre_id"] == centre_id and invited.payload["role"] == "centre_admin"
    assert email not in str([e.payload for e in events]) and "Beate" not in str([e.payload for e in events])

    token = await delivered_token(client, invitation_id)
    again = await client.post(
        f"{API}/internal/password-resets/{invitation_id}/delivery", headers={"X-Service-Credential": "wrong"}
    )
    assert again.status_code == 401
    preview = (await client.post(f"{API}/auth/invitations/preview", json={"token": token})).json()
    assert (preview["centre_id"], preview["role"], preview["needs_password"]) == (centre_id, "centre_admin", True)
    assert preview["centre_name"] == "Schuldnerberatung Northeim"

    refused = await client.post(f"{API}/auth/invitations/accept", json={"token": token})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "password"
    no_reset = await client.post(f"{API}/auth/password-reset/confirm", json={"token": token, "password": PASSWORD})
    assert no_reset.status_code == 422  # an invitation link is not a password-reset link
    accepted = await client.post(f"{API}/auth/invitations/accept", json={"token": token, "password": PASSWORD})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json() == {"account_id": account_id, "centre_id": centre_id, "role": "centre_admin"}
    used = await client.post(f"{API}/auth/invitations/accept", json={"token": token, "password": PASSWORD})
    assert used.status_code == 422 and used.json()["errors"][0]["field"] == "token"

    headers, _ = await signed_in(client, email)
    assert (claims(headers)["roles"], claims(headers)["org"]) == (["centre_admin"], centre_id)
    await published(kafka_bootstrap, account_id, until={"StaffInvited", "StaffJoined"})
    team = (await client.get(f"{API}/centres/{centre_id}/team", headers=headers)).json()
    assert (team["seats"], team["seats_taken"]) == (3, 1)
    exported = (await client.get(f"{API}/accounts/{account_id}/data-export", headers=headers)).json()
    assert [(m["centre_id"], m["role"], m["joined"]) for m in exported["centre_memberships"]] == [
        (centre_id, "centre_admin", True)
    ]
    history = (await client.get(f"{API}/accounts/{account_id}/history", headers=admin(identity_issuer))).json()
    staff_events = [(h["event_type"], h["details"]) for h in history if h["event_type"].startswith("Staff")]
    assert staff_events == [
        ("StaffInvited", {"role": "centre_admin", "organisation_id": centre_id}),
        ("StaffJoined", {"role": "centre_admin", "organisation_id": centre_id}),
    ]
    assert [(m["account_id"], m["role"], m["state"]) for m in team["members"]] == [
        (account_id, "centre_admin", "joined")
    ]


async def test_invitations_beyond_the_seats_are_refused_and_more_seats_can_be_requested(world, client, identity_issuer):
    centre_id, _, headers = await centre_with_admin(world, client, identity_issuer, seats=2)
    assert (await invite(client, headers, centre_id, unique_staff_email())).status_code == 201
    full = await invite(client, headers, centre_id, unique_staff_email())
    assert full.status_code == 409
    assert full.headers["content-type"].startswith("application/problem+json")
    assert full.json()["errors"][0]["field"] == "seats" and "2 Lizenzen" in full.json()["detail"]
    team = (await client.get(f"{API}/centres/{centre_id}/team", headers=headers)).json()
    assert (team["seats_taken"], len(team["members"])) == (2, 2)  # nothing stored for the refused one

    too_few = await client.post(f"{API}/centres/{centre_id}/seat-requests", json={"seats": 2}, headers=headers)
    assert too_few.status_code == 422 and too_few.json()["errors"][0]["field"] == "seats"
    asked = await client.post(
        f"{API}/centres/{centre_id}/seat-requests", json={"seats": 5, "note": "Zwei neue Kolleginnen"}, headers=headers
    )
    assert asked.status_code == 201, asked.text
    requests = (await client.get(f"{API}/centres/seat-requests", headers=admin(identity_issuer))).json()
    [mine] = [r for r in requests if r["centre_id"] == centre_id]
    assert (mine["seats"], mine["current_seats"], mine["note"]) == (5, 2, "Zwei neue Kolleginnen")
    assert (await client.get(f"{API}/centres/seat-requests", headers=headers)).status_code == 403


async def test_no_invitation_before_the_agreement_and_none_twice(world, client, identity_issuer):
    unsigned = await open_centre(world, agreement=False)
    early = await invite(client, admin(identity_issuer), unsigned, unique_staff_email(), "centre_admin")
    assert early.status_code == 409 and "Vereinbarung" in early.json()["detail"]
    centre_id = await open_centre(world)
    email = unique_staff_email()
    assert (await invite(client, admin(identity_issuer), centre_id, email)).status_code == 201
    twice = await invite(client, admin(identity_issuer), centre_id, email)
    assert twice.status_code == 409 and twice.json()["errors"][0]["field"] == "email"
    bad = await client.post(
        f"{API}/centres/{centre_id}/invitations",
        json={"name": "X", "email": "kein-mail", "role": "chef"},
        headers=admin(identity_issuer),
    )
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} >= {"email", "role"}
    unknown = await invite(client, admin(identity_issuer), "no-such-centre", unique_staff_email())
    assert unknown.status_code == 404


async def test_roles_change_and_members_leave_but_the_last_admin_stays(world, client, identity_issuer, kafka_bootstrap):
    centre_id, own_email, headers = await centre_with_admin(world, client, identity_issuer)
    own_id = claims(headers)["sub"]
    demote_self = await client.put(
        f"{API}/centres/{centre_id}/team/{own_id}/role", json={"role": "counselor"}, headers=headers
    )
    assert demote_self.status_code == 409 and "mindestens eine Person" in demote_self.json()["detail"]
    assert (await client.delete(f"{API}/centres/{centre_id}/team/{own_id}", headers=headers)).status_code == 409

    counselor_email = unique_staff_email()
    counselor_id = await join(client, headers, centre_id, counselor_email)
    promoted = await client.put(
        f"{API}/centres/{centre_id}/team/{counselor_id}/role", json={"role": "centre_admin"}, headers=headers
    )
    assert promoted.status_code == 204
    new_admin, _ = await signed_in(client, counselor_email)
    assert claims(new_admin)["roles"] == ["centre_admin"]
    removed = await client.delete(f"{API}/centres/{centre_id}/team/{own_id}", headers=new_admin)
    assert removed.status_code == 204
    events = await published(kafka_bootstrap, counselor_id, until={"StaffJoined", "StaffRoleChanged"})
    assert [e.payload["role"] for e in events if e.event_type == "StaffRoleChanged"] == ["centre_admin"]
    await published(kafka_bootstrap, own_id, until={"StaffRemoved"})
    gone = await client.post(
        f"{API}/auth/login", json={"login": own_email, "password": PASSWORD}, headers=unique_address()
    )
    assert gone.status_code == 403 and "keinem Team" in gone.json()["detail"]  # no centre left: no sign-in


async def test_a_person_works_for_two_centres_and_chooses_or_switches_the_centre(world, client, identity_issuer):
    first, _, first_admin = await centre_with_admin(world, client, identity_issuer)
    second, _, second_admin = await centre_with_admin(world, client, identity_issuer)
    email = unique_staff_email()
    account_id = await join(client, first_admin, first, email, "counselor")
    made = await invite(client, second_admin, second, email, "centre_admin")
    assert made.status_code == 201 and made.json()["account_id"] == account_id  # the same account
    token = await delivered_token(client, made.json()["invitation_id"])
    preview = (await client.post(f"{API}/auth/invitations/preview", json={"token": token})).json()
    assert preview["needs_password"] is False
    assert (await client.post(f"{API}/auth/invitations/accept", json={"token": token})).status_code == 200

    headers, refresh = await signed_in(client, email)
    assert (claims(headers)["org"], claims(headers)["roles"]) == (first, ["counselor"])
    mine = (await client.get(f"{API}/me/centres", headers=headers)).json()
    assert [(c["centre_id"], c["role"]) for c in mine] == [(first, "counselor"), (second, "centre_admin")]
    chosen, _ = await signed_in(client, email, centre_id=second)
    assert (claims(chosen)["org"], claims(chosen)["roles"]) == (second, ["centre_admin"])
    switched = await client.post(f"{API}/auth/centre", json={"refresh_token": refresh, "centre_id": second})
    assert switched.status_code == 200, switched.text
    switched_headers = {"Authorization": f"Bearer {switched.json()['access_token']}"}
    assert claims(switched_headers)["org"] == second
    renewed = await client.post(f"{API}/auth/refresh", json={"refresh_token": switched.json()["refresh_token"]})
    assert claims({"Authorization": f"Bearer {renewed.json()['access_token']}"})["org"] == second  # stays
    stranger = await open_centre(world)
    refused = await client.post(f"{API}/auth/login", json={"login": email, "password": PASSWORD, "centre_id": stranger})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "centre_id"


async def test_other_centres_counselors_and_other_roles_are_refused(world, client, identity_issuer):
    centre_a, _, admin_a = await centre_with_admin(world, client, identity_issuer)
    centre_b, _, admin_b = await centre_with_admin(world, client, identity_issuer)
    counselor_email = unique_staff_email()
    counselor_id = await join(client, admin_a, centre_a, counselor_email)
    counselor, _ = await signed_in(client, counselor_email)
    admin_b_id = claims(admin_b)["sub"]
    seeker = bearer(identity_issuer, "seeker-1", "seeker")
    forged = bearer(identity_issuer, "x", "centre_admin", organisation_id=centre_b)  # admin of B, not A

    for headers in (admin_b, counselor, seeker, forged):
        assert (await invite(client, headers, centre_a, unique_staff_email())).status_code == 403
        assert (await client.get(f"{API}/centres/{centre_a}/team", headers=headers)).status_code == 403
        role = await client.put(
            f"{API}/centres/{centre_a}/team/{counselor_id}/role", json={"role": "centre_admin"}, headers=headers
        )
        assert role.status_code == 403
        assert (
            await client.delete(f"{API}/centres/{centre_a}/team/{counselor_id}", headers=headers)
        ).status_code == 403
        asked = await client.post(f"{API}/centres/{centre_a}/seat-requests", json={"seats": 9}, headers=headers)
        assert asked.status_code == 403
    # a member of B is not reachable through A's team
    assert (await client.delete(f"{API}/centres/{centre_a}/team/{admin_b_id}", headers=admin_a)).status_code == 404
    assert (await invite(client, admin_a, centre_a, unique_staff_email())).status_code == 201
    assert (await client.get(f"{API}/centres/{centre_a}/team")).status_code == 401


async def test_a_seeker_account_cannot_be_invited_into_a_team(world, client, identity_issuer):
    centre_id = await open_centre(world)
    body = seeker_body()
    await register(client, "seekers", body, identity_issuer)
    refused = await invite(client, admin(identity_issuer), centre_id, body["email"])
    assert refused.status_code == 409 and refused.json()["errors"][0]["field"] == "email"


async def test_a_counselor_changes_the_login_name_the_old_one_stops_working(world, client, identity_issuer):
    centre_id, _, centre_admin = await centre_with_admin(world, client, identity_issuer)
    email = unique_staff_email()
    account_id = await join(client, centre_admin, centre_id, email, "counselor")
    headers, _ = await signed_in(client, email)
    first = f"Beate.B-{uuid.uuid4().hex[:6]}"
    path = f"{API}/accounts/{account_id}/login-name"
    changed = await client.put(path, json={"login_name": first}, headers=headers)
    assert changed.status_code == 200, changed.text
    assert changed.json()["login_name"] == first.casefold()
    by_name, _ = await signed_in(client, first.upper())  # case does not count
    assert claims(by_name)["sub"] == account_id
    second = f"bb-{uuid.uuid4().hex[:6]}"
    assert (await client.put(path, json={"login_name": second}, headers=headers)).status_code == 200
    old = await client.post(f"{API}/auth/login", json={"login": first, "password": PASSWORD}, headers=unique_address())
    assert old.status_code == 401, "the old login name stops working at once"
    assert claims((await signed_in(client, second))[0])["sub"] == account_id
    assert claims((await signed_in(client, email))[0])["sub"] == account_id, "the e-mail address still works"

    colleague_email = unique_staff_email()
    colleague_id = await join(client, centre_admin, centre_id, colleague_email, "counselor")
    colleague, _ = await signed_in(client, colleague_email)
    taken = await client.put(
        f"{API}/accounts/{colleague_id}/login-name", json={"login_name": second.upper()}, headers=colleague
    )
    assert taken.status_code == 409 and taken.json()["errors"][0]["field"] == "login_name"
    for bad in ("ab", "12345", "mit leerzeichen", "name@example.org", "x" * 41):
        refused = await client.put(path, json={"login_name": bad}, headers=headers)
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "login_name", bad
    foreign = await client.put(path, json={"login_name": f"fremd-{uuid.uuid4().hex[:6]}"}, headers=colleague)
    assert foreign.status_code == 404, "only the owner"
    seeker_id = await register(client, "seekers", seeker_body(), identity_issuer)
    not_staff = await client.put(
        f"{API}/accounts/{seeker_id}/login-name",
        json={"login_name": f"seeker-{uuid.uuid4().hex[:6]}"},
        headers=bearer(identity_issuer, seeker_id, "seeker"),
    )
    assert not_staff.status_code == 409 and not_staff.json()["errors"][0]["field"] == "login_name"
    history = (await client.get(f"{API}/accounts/{account_id}/history", headers=admin(identity_issuer))).json()
    assert [h["event_type"] for h in history].count("LoginNameChanged") == 2
    assert second not in str(history) and first.casefold() not in str(history), "sealed, never in the history"
