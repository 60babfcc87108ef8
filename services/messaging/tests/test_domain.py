"""Pure rules: which events notify whom, which files pass, when to retry, video tokens."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import jwt
import pytest

from messaging.domain.delivery import after_quiet_hours, backoff
from messaging.domain.notices import Coordinators, Offerer, OfferersOfOrder, Person, german_datetime, notices_for
from messaging.domain.video import room_links

SECRET = "a-test-secret-of-at-least-32-bytes!"
MEETING = {
    "contract_id": "c-1",
    "order_id": "o-1",
    "seeker_id": "s-1",
    "assistant_id": "a-1",
    "organisation_id": "org-1",
    "meeting_at": "2026-11-24T13:30:00+00:00",
}


@pytest.mark.parametrize(
    "event_type,payload,audiences,kind",
    [
        (
            "AvailabilityRequestSent",
            {"request_id": "r-1", "order_id": "o-1", "assistant_id": "a-1"},
            [Person("a-1")],
            "availability_request",
        ),
        ("OfferSubmitted", {"offer_id": "f-1", "seeker_id": "s-1"}, [Person("s-1")], "offer_submitted"),
        ("OfferDeclined", {"offer_id": "f-1", "seeker_id": "s-1"}, [Offerer("f-1")], "offer_declined"),
        (
            "OfferAccepted",
            {"offer_id": "f-1", "seeker_id": "s-1", "assistant_id": "a-1", "provider_id": "org-1"},
            [Person("a-1"), Coordinators("org-1")],
            "offer_accepted",
        ),
        (
            "OfferAccepted",
            {"offer_id": "f-1", "seeker_id": "s-1", "assistant_id": "a-1", "provider_id": None},
            [Person("a-1")],
            "offer_accepted",
        ),
        (
            "ProviderRequestSent",
            {"offer_id": "f-1", "seeker_id": "s-1", "organisation_id": "org-1"},
            [Coordinators("org-1")],
            "provider_request",
        ),
        ("OrderWithdrawn", {"seeker_id": "s-1"}, [OfferersOfOrder("o-1")], "order_withdrawn"),
        ("MeetingScheduled", MEETING, [Person("s-1"), Person("a-1"), Coordinators("org-1")], "meeting_scheduled"),
        ("ContractRatified", MEETING, [Person("s-1"), Person("a-1"), Coordinators("org-1")], "contract_ratified"),
        ("AccountActivated", {"role": "seeker"}, [Person("o-1")], "account_activated"),
        ("AccountRefused", {"refused_by": "x"}, [Person("o-1")], "account_refused"),
        ("PasswordResetRequested", {"request_id": "r-9"}, [Person("o-1")], "password_reset"),
    ],
)
def test_events_notify_the_right_audiences(event_type, payload, audiences, kind):
    notices = notices_for(event_type, "o-1", payload)
    assert [n.to for n in notices] == audiences
    assert {n.kind for n in notices} == {kind}
    assert all(n.title and n.body and n.link.startswith("/") for n in notices)


def test_a_team_invitation_carries_its_link_reference():
    payload = {"centre_id": "c-1", "role": "counselor", "invitation_id": "inv-1", "invited_by": "a-1"}
    [notice] = notices_for("StaffInvited", "acc-1", payload, actor_id="a-1")
    assert (notice.to, notice.kind, notice.reference, notice.urgent) == (Person("acc-1"), "invitation", "inv-1", True)
    assert "Beratungsstelle" in notice.title


def test_sign_ups_are_answered_by_a_message_for_a_new_and_a_known_contact_alike():
    """Issue 21 (3): the person who signs up always hears what to do next, by message only."""
    [received] = notices_for("AccountRegistered", "acc-1", {"role": "seeker"}, actor_id="acc-1")
    assert (received.to, received.kind, received.urgent) == (Person("acc-1"), "registration_received", False)
    assert notices_for("AccountRegistered", "acc-2", {"role": "counselor"}, actor_id="admin-1") == []  # invited
    [known] = notices_for("SignUpRepeated", "acc-1", {"request_id": "r-1"}, actor_id=None)
    assert (known.kind, known.reference, known.urgent) == ("registration_repeated", "r-1", True)
    assert "schon ein Konto" in known.title


def test_an_admin_requested_reset_is_an_invitation():
    [own] = notices_for("PasswordResetRequested", "acc-1", {"request_id": "r-1"}, actor_id="acc-1")
    [invited] = notices_for("PasswordResetRequested", "acc-1", {"request_id": "r-2"}, actor_id="admin-1")
    assert (own.kind, invited.kind) == ("password_reset", "invitation")
    assert invited.urgent and invited.reference == "r-2" and invited.to == Person("acc-1")


def test_events_nobody_needs_make_no_notice_and_reset_links_are_never_in_the_notice():
    assert notices_for("CandidatesMatched", "o-1", {}) == []
    [reset] = notices_for("PasswordResetRequested", "acc-1", {"request_id": "r-9"})
    assert reset.urgent and reset.reference == "r-9" and "r-9" not in reset.link + reset.body


def test_meeting_time_is_told_in_berlin_time_in_german():
    assert german_datetime(datetime(2026, 11, 24, 13, 30, tzinfo=UTC)) == "Dienstag, 24.11.2026 um 14:30 Uhr"
    [notice, *_] = notices_for("MeetingScheduled", "c-1", MEETING)
    assert notice.body == "Das Treffen ist am Dienstag, 24.11.2026 um 14:30 Uhr."


def test_backoff_doubles_up_to_the_cap():
    assert [backoff(n, 2, 20).total_seconds() for n in range(1, 6)] == [2, 4, 8, 16, 20]


@pytest.mark.parametrize(
    "now_utc,quiet,expected_utc",
    [
        ("2026-11-22T22:30:00", (time(21), time(7)), "2026-11-23T06:00:00"),  # 23:30 Berlin, over midnight
        ("2026-11-22T04:00:00", (time(21), time(7)), "2026-11-22T06:00:00"),  # 05:00 Berlin
        ("2026-11-22T12:00:00", (time(21), time(7)), None),  # 13:00 Berlin: not quiet
        ("2026-11-22T12:00:00", (time(12), time(14)), "2026-11-22T13:00:00"),  # lunch break
        ("2026-11-22T12:00:00", (None, None), None),
    ],
)
def test_quiet_hours(now_utc, quiet, expected_utc):
    now = datetime.fromisoformat(now_utc).replace(tzinfo=UTC)
    later = after_quiet_hours(now, *quiet)
    assert (later.astimezone(UTC).replace(tzinfo=None).isoformat() if later else None) == expected_utc


def test_room_links_carry_expiring_tokens_for_their_roles():
    now = datetime(2026, 1, 5, 8, tzinfo=UTC)
    links = room_links("https://meet.example.org/", "app", SECRET, "room-1", "mod-1", now, timedelta(hours=1))

    def claims(url):
        token = url.split("jwt=")[1].split("#")[0]
        return jwt.decode(
            token,
            SECRET,
            algorithms=["HS256"],
            audience="jitsi",
            issuer="app",
            options={"verify_exp": False, "verify_nbf": False, "verify_iat": False},
        )

    moderator, guest, seminar = claims(links.moderator_url), claims(links.guest_url), claims(links.seminar_url)
    assert links.moderator_url.startswith("https://meet.example.org/room-1?jwt=")
    assert (moderator["room"], moderator["sub"], moderator["context"]["user"]) == (
        "room-1",
        "meet.example.org",
        {"moderator": True, "id": "mod-1"},
    )
    assert guest["context"]["user"]["moderator"] is False and "features" not in guest["context"]
    assert seminar["context"]["features"] == {
        "audio": False,
        "video": False,
        "screen-sharing": False,
        "chat": True,
        "polls": True,
    }
    assert moderator["exp"] - moderator["iat"] == 3600 and links.expires_at == now + timedelta(hours=1)
    with pytest.raises(jwt.ExpiredSignatureError):
        jwt.decode(links.guest_url.split("jwt=")[1], SECRET, algorithms=["HS256"], audience="jitsi")


def test_a_counseling_client_hears_of_a_direct_message_but_not_of_verification():
    """Issue 15: the text of a direct message stays in counseling; a client is active at once."""
    payload = {"centre_id": "c-1", "message_id": "m-1", "sent_by": "a-1"}
    [notice] = notices_for("DirectMessageSent", "client-1", payload, actor_id="a-1")
    assert (notice.to, notice.kind, notice.link) == (Person("client-1"), "direct_message", "/beratung/nachrichten")
    assert "m-1" not in notice.body
    assert notices_for("AccountRegistered", "client-1", {"role": "client"}, actor_id="client-1") == []
    assert notices_for("AccountActivated", "client-1", {"role": "client", "activated_by": "client-1"}) == []
