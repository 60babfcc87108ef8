"""The client aggregate (stream `client`, id = the client's account id): state, evolve and the
decisions on it. Pure: problems are raised, events returned."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace

from counseling.domain import events as e
from counseling.domain.settings import CentreSettings
from teilhabe_events import DomainEvent
from teilhabe_events.contexts import counseling as pub
from teilhabe_kit.problems import Conflict, NotFound, Unprocessable

Event = e.Event | DomainEvent


@dataclass(frozen=True)
class Client:
    id: str
    centre_id: str = ""
    primary_counselor_id: str | None = None
    notes: dict[str, str] = field(default_factory=dict)  # note id → author
    erased: bool = False


def evolve(state: Client | None, event: Event, stream_id: str) -> Client:
    state = state or Client(id=stream_id)
    match event:
        case e.ClientOpened():
            return replace(state, centre_id=event.centre_id)
        case pub.PrimaryCounselorAssigned():
            return replace(state, primary_counselor_id=event.counselor_id)
        case e.NoteAdded():
            return replace(state, notes=state.notes | {event.note_id: event.author_id})
        case e.NoteDeleted():
            return replace(state, notes={k: v for k, v in state.notes.items() if k != event.note_id})
        case pub.ClientErased():
            return replace(state, erased=True, notes={})
    return state


def existing(state: Client | None, centre_id: str) -> Client:
    """The client of this centre (404 otherwise, also once erased)."""
    if state is None or state.centre_id != centre_id or state.erased:
        raise NotFound("Diese ratsuchende Person gibt es hier nicht.")
    return state


def open_client(state: Client | None, centre_id: str, pseudonym: str, opened_by: str | None) -> list[Event]:
    if state is not None:
        raise Conflict("Diese ratsuchende Person gibt es schon.")
    return [
        e.ClientOpened(centre_id=centre_id, pseudonym=pseudonym, opened_by=opened_by),
        pub.ClientRegistered(centre_id=centre_id, opened_by=opened_by),
    ]


def check_filters(settings: CentreSettings, filters: list[str]) -> None:
    unknown = sorted(set(filters) - settings.criteria())
    if unknown:
        raise Unprocessable(
            f"Diese Filterkriterien gibt es in Ihrer Stelle nicht: {', '.join(unknown)}.", field="filters"
        )


def change_master_data(state: Client, settings: CentreSettings, master_data: dict, filters: list[str]) -> list[Event]:
    check_filters(settings, filters)
    return [e.MasterDataChanged(master_data=master_data, filters=sorted(set(filters)))]


def assign_primary(state: Client, counselor_id: str | None, by: str) -> list[Event]:
    if state.primary_counselor_id == counselor_id:
        return []
    return [pub.PrimaryCounselorAssigned(centre_id=state.centre_id, counselor_id=counselor_id, assigned_by=by)]


def first_contact(state: Client, settings: CentreSettings, counselor_id: str) -> list[Event]:
    """At the first contact the counselor becomes primary counselor where the centre enables it."""
    if state.primary_counselor_id is not None or not settings.automatic_primary_counselor:
        return []
    return [pub.PrimaryCounselorAssigned(centre_id=state.centre_id, counselor_id=counselor_id, automatic=True)]


def add_note(state: Client, text: str, author_id: str) -> list[Event]:
    return [e.NoteAdded(note_id=str(uuid.uuid4()), text=text, author_id=author_id)]


def delete_note(state: Client, note_id: str, by: str, *, admin: bool) -> list[Event]:
    author = state.notes.get(note_id)
    if author is None:
        raise NotFound("Diese Notiz gibt es nicht.")
    if author != by and not admin:
        raise NotFound("Diese Notiz gibt es nicht.")
    return [e.NoteDeleted(note_id=note_id, deleted_by=by)]


def write_message(state: Client, subject: str, body: str, by: str) -> list[Event]:
    message_id = str(uuid.uuid4())
    return [
        e.DirectMessageWritten(message_id=message_id, subject=subject, body=body),
        pub.DirectMessageSent(centre_id=state.centre_id, message_id=message_id, sent_by=by),
    ]


def erase(state: Client | None) -> list[Event]:
    if state is None or state.erased:
        return []
    return [pub.ClientErased(centre_id=state.centre_id)]
