"""A mail counseling thread (stream `mail_thread`, id = the thread's id): one client's request to a
centre under an immutable subject, the replies, one draft, exactly one assignee. Pure: problems are
raised, events returned."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Any, Literal

from counseling.domain import thread_events as t
from counseling.domain.events import Event as InternalEvent
from counseling.domain.mail_settings import Openness
from teilhabe_events import DomainEvent
from teilhabe_events.contexts import mail_counseling as pub
from teilhabe_events.contexts.mail_counseling import AssignmentReason
from teilhabe_kit.problems import Conflict, Forbidden, NotFound

Event = InternalEvent | DomainEvent
Status = Literal["open", "answered", "released"]
MISSING = "Diese Anfrage gibt es hier nicht."


@dataclass(frozen=True)
class Thread:
    id: str
    centre_id: str = ""
    client_id: str = ""
    assignee_id: str | None = None
    awaiting_reply: bool = True
    released: bool = False
    draft_by: str | None = None

    @property
    def status(self) -> Status:
        if self.released:
            return "released"
        return "open" if self.awaiting_reply else "answered"


def evolve(state: Thread | None, event: Event, stream_id: str) -> Thread:
    state = state or Thread(id=stream_id)
    match event:
        case pub.MailRequestReceived():
            return replace(state, centre_id=event.centre_id, client_id=event.client_id)
        case pub.MailThreadAssigned():
            return replace(state, assignee_id=event.counselor_id, released=False)
        case pub.MailFollowUpReceived():
            return replace(state, awaiting_reply=True)
        case pub.MailReplySent():
            return replace(state, awaiting_reply=False, draft_by=None)
        case t.DraftSaved():
            return replace(state, draft_by=None if event.cleared else event.author_id)
        case pub.MailThreadReleased():
            return replace(state, released=True)
    return state


def of_centre(state: Thread | None, centre_id: str) -> Thread:
    if state is None or state.centre_id != centre_id:
        raise NotFound(MISSING)
    return state


def request(
    centre_id: str,
    client_id: str,
    subject: str,
    text: str,
    assignee: tuple[str, AssignmentReason] | None,
    personal_data: dict[str, Any] | None = None,
) -> list[Event]:
    message_id = str(uuid.uuid4())
    events: list[Event] = [
        pub.MailRequestReceived(centre_id=centre_id, client_id=client_id, message_id=message_id),
        t.RequestWritten(message_id=message_id, subject=subject, text=text, personal_data=personal_data or None),
    ]
    if assignee is not None:
        events.append(pub.MailThreadAssigned(centre_id=centre_id, counselor_id=assignee[0], reason=assignee[1]))
    return events


def change_subject(state: Thread) -> list[Event]:
    raise Conflict(
        "Der Betreff kann nicht geändert werden: der ganze Nachrichtenverlauf hängt an ihm. "
        "Schreiben Sie bei einem neuen Thema bitte eine neue Anfrage.",
        field="subject",
    )


def follow_up(state: Thread, client_id: str, text: str) -> list[Event]:
    if state.client_id != client_id:
        raise NotFound(MISSING)
    message_id = str(uuid.uuid4())
    return [
        t.MessageWritten(message_id=message_id, author_id=client_id, author_role="client", text=text),
        pub.MailFollowUpReceived(centre_id=state.centre_id, client_id=client_id, message_id=message_id),
    ]


def _require_assignee(state: Thread, counselor_id: str) -> None:
    if state.assignee_id != counselor_id:
        raise Forbidden("Diese Anfrage bearbeitet gerade jemand anderes. Übernehmen Sie sie zuerst.")


def reply(state: Thread, counselor_id: str, text: str) -> list[Event]:
    _require_assignee(state, counselor_id)
    message_id = str(uuid.uuid4())
    events: list[Event] = [
        t.MessageWritten(message_id=message_id, author_id=counselor_id, author_role="counselor", text=text)
    ]
    if state.draft_by is not None:
        events.append(t.DraftSaved(author_id=counselor_id, text=None, cleared=True))
    events.append(
        pub.MailReplySent(
            centre_id=state.centre_id, client_id=state.client_id, counselor_id=counselor_id, message_id=message_id
        )
    )
    return events


def save_draft(state: Thread, counselor_id: str, text: str, *, release: bool) -> list[Event]:
    """Save the draft; with `release` ("Entwurf speichern und freigeben") a colleague may take over."""
    _require_assignee(state, counselor_id)
    events: list[Event] = [t.DraftSaved(author_id=counselor_id, text=text)]
    if release:
        events.append(pub.MailThreadReleased(centre_id=state.centre_id, counselor_id=counselor_id, with_draft=True))
    return events


def attach(state: Thread, author_id: str, author_role: Literal["client", "counselor"]) -> None:
    """Files come from the thread's client or its assignee (as their messages do)."""
    if author_role == "client":
        if state.client_id != author_id:
            raise NotFound(MISSING)
    else:
        _require_assignee(state, author_id)


def may_take_over(state: Thread, openness: Openness, *, admin: bool) -> bool:
    return admin or state.assignee_id is None or openness == "open" or (openness == "released" and state.released)


def take_over(state: Thread, counselor_id: str, openness: Openness, *, admin: bool) -> list[Event]:
    """The counselor becomes the one assignee (with the draft), as far as the centre's openness allows."""
    if state.assignee_id == counselor_id and not state.released:
        raise Conflict("Diese Anfrage bearbeiten Sie schon.")
    if not may_take_over(state, openness, admin=admin):
        raise Forbidden("Diese Anfrage ist nicht freigegeben: nur die zuständige Person oder ein Admin gibt sie ab.")
    return [pub.MailThreadAssigned(centre_id=state.centre_id, counselor_id=counselor_id, reason="taken_over")]


def may_read(state: Thread, counselor_id: str, openness: Openness, *, admin: bool) -> bool:
    """The assignee, admins, and who may take it over read a thread."""
    return state.assignee_id == counselor_id or may_take_over(state, openness, admin=admin)


def personal_data_given(personal_data: dict[str, Any] | None) -> dict[str, Any]:
    """What the client gave with the request (for "in Profil übernehmen" / "in Monitoring übernehmen");
    409 when nothing was given or it is erased."""
    given = {k: v for k, v in (personal_data or {}).items() if v not in (None, "", [])}
    if not given:
        raise Conflict("Mit dieser Anfrage kamen keine persönlichen Angaben.")
    return given
