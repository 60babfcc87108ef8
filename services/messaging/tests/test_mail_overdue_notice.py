"""Issue 17: a centre's admins hear of an overdue mail request through messaging — the team learned
from identity's StaffJoined / StaffRoleChanged / StaffRemoved, counseling's MailThreadOverdue
(ids and times only) on the real broker; counselors and other centres' admins hear nothing."""

from __future__ import annotations

from messaging_support import account_event, envelope, eventually, new_id, send
from sqlalchemy import select

from messaging.domain.notices import CentreAdmins, notices_for
from messaging.readmodels.tables import notifications
from teilhabe_kit.testing import consumed


def test_the_notice_goes_to_the_centres_admins_and_names_no_content():
    payload = {
        "centre_id": "c-1",
        "counselor_id": None,
        "waiting_since": "2026-12-01T08:00:00+00:00",
        "overdue_days": 3,
    }
    [notice] = notices_for("MailThreadOverdue", "thread-1", payload)
    assert notice.to == CentreAdmins("c-1")
    assert notice.kind == "mail_overdue" and notice.link == "/beratungsstelle/mailberatung/thread-1"
    assert "3 Tagen" in notice.body


async def _notified(m, person_id: str) -> list:
    async with m.engine.connect() as conn:
        return (await conn.execute(select(notifications).where(notifications.c.recipient_id == person_id))).all()


async def test_overdue_mail_reaches_the_admins_of_that_centre_only(messaging, kafka_bootstrap):
    m = messaging
    centre, other_centre = new_id("centre"), new_id("centre")
    admin, counselor, promoted, removed, foreign = (
        new_id(n) for n in ("admin", "counselor", "promoted", "removed", "foreign")
    )
    await send(
        kafka_bootstrap,
        m.topics.identity,
        account_event("StaffJoined", admin, {"centre_id": centre, "role": "centre_admin"}),
        account_event("StaffJoined", counselor, {"centre_id": centre, "role": "counselor"}),
        account_event("StaffJoined", promoted, {"centre_id": centre, "role": "counselor"}),
        account_event(
            "StaffRoleChanged", promoted, {"centre_id": centre, "role": "centre_admin", "changed_by": admin}, 2
        ),
        account_event("StaffJoined", removed, {"centre_id": centre, "role": "centre_admin"}),
        account_event("StaffRemoved", removed, {"centre_id": centre, "removed_by": admin}, 2),
        account_event("StaffJoined", foreign, {"centre_id": other_centre, "role": "centre_admin"}),
    )
    await consumed(kafka_bootstrap, m.settings.consumer_group, m.topics.identity)
    thread = new_id("thread")
    overdue = envelope(
        "MailThreadOverdue",
        "mail_thread",
        thread,
        {
            "centre_id": centre,
            "counselor_id": counselor,
            "waiting_since": "2026-12-01T08:00:00+00:00",
            "overdue_days": 3,
        },
        5,
    )
    await send(kafka_bootstrap, m.topics.counseling, overdue, overdue)  # delivered twice: one notice each
    for person in (admin, promoted):
        [notice] = await eventually(lambda person=person: _notified(m, person))
        assert notice.kind == "mail_overdue" and notice.link == f"/beratungsstelle/mailberatung/{thread}"
    await consumed(kafka_bootstrap, m.settings.consumer_group, m.topics.counseling)
    for person in (counselor, removed, foreign):
        assert await _notified(m, person) == []
    assert len(await _notified(m, admin)) == 1
