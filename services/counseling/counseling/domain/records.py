"""Case records ("Monitoring", stream `case_record`): duration and subject required, the centre's
configurable fields checked by their type. Counselors see and change their own, admins all."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from counseling.domain import events as e
from counseling.domain.settings import CentreSettings
from teilhabe_events import DomainEvent
from teilhabe_events.centre_catalogue import Topic
from teilhabe_events.contexts import counseling as pub
from teilhabe_kit.problems import NotFound, Unprocessable

Event = e.Event | DomainEvent
CHANNELS = ("mail", "chat", "appointment", "on_site", "phone", "video", "other")
SOURCE_TYPES = ("mail_thread", "chat", "appointment")
"""Where a record may come from: the mail thread, chat or appointment of the contact."""


@dataclass(frozen=True)
class Source:
    type: str
    id: str


@dataclass(frozen=True)
class CaseRecord:
    id: str
    centre_id: str = ""
    client_id: str = ""
    counselor_id: str = ""
    deleted: bool = False


def evolve(state: CaseRecord | None, event: Event, stream_id: str) -> CaseRecord:
    state = state or CaseRecord(id=stream_id)
    match event:
        case pub.CaseRecordAdded():
            return replace(state, centre_id=event.centre_id, client_id=event.client_id, counselor_id=event.counselor_id)
        case pub.CaseRecordDeleted():
            return replace(state, deleted=True)
    return state


def check_fields(settings: CentreSettings, values: dict[str, Any]) -> dict[str, Any]:
    """The values of the centre's fields, each checked by its type (422 naming `fields.<key>`)."""
    defined = {f.key: f for f in settings.fields()}
    unknown = sorted(set(values) - set(defined))
    if unknown:
        raise Unprocessable(f"Dieses Feld gibt es in Ihrer Stelle nicht: {unknown[0]}.", field=f"fields.{unknown[0]}")
    checked: dict[str, Any] = {}
    for key, spec in defined.items():
        value = values.get(key)
        name = f"fields.{key}"
        if value is None or value == "":
            if spec.required:
                raise Unprocessable(f"Bitte füllen Sie „{spec.label}“ aus.", field=name)
            continue
        if spec.type == "text" and (not isinstance(value, str) or len(value) > 2000):
            raise Unprocessable(f"„{spec.label}“ ist ein Text (höchstens 2000 Zeichen).", field=name)
        if spec.type == "choice" and value not in spec.choices:
            raise Unprocessable(f"Bitte wählen Sie für „{spec.label}“ eine der Möglichkeiten.", field=name)
        if spec.type == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise Unprocessable(f"„{spec.label}“ ist eine Zahl.", field=name)
        if spec.type == "yes_no" and not isinstance(value, bool):
            raise Unprocessable(f"„{spec.label}“ ist Ja oder Nein.", field=name)
        checked[key] = value
    return checked


def add(
    record_id: str,
    *,
    centre_id: str,
    client_id: str,
    counselor_id: str,
    occurred_on: date,
    minutes: int,
    subject: Topic,
    channel: str,
    fields: dict[str, Any],
    settings: CentreSettings,
    source: Source | None = None,
) -> list[Event]:
    checked = check_fields(settings, fields)
    return [
        pub.CaseRecordAdded(
            centre_id=centre_id,
            client_id=client_id,
            counselor_id=counselor_id,
            occurred_on=occurred_on,
            minutes=minutes,
            subject=subject,
            channel=channel,
        ),
        details(client_id, checked, source),
    ]


def details(client_id: str, fields: dict[str, Any], source: Source | None) -> e.CaseRecordDetails:
    return e.CaseRecordDetails(
        client_id=client_id,
        fields=fields,
        source_type=source.type if source else None,
        source_id=source.id if source else None,
    )


def visible(state: CaseRecord | None, centre_id: str, caller: str, *, admin: bool) -> CaseRecord:
    """Counselors their own records, admins every record of the centre; 404 otherwise."""
    if state is None or state.deleted or state.centre_id != centre_id or not (admin or state.counselor_id == caller):
        raise NotFound("Dieses Monitoring gibt es nicht.")
    return state


def change(
    state: CaseRecord,
    *,
    occurred_on: date,
    minutes: int,
    subject: Topic,
    channel: str,
    fields: dict[str, Any],
    settings: CentreSettings,
    source: Source | None = None,
) -> list[Event]:
    checked = check_fields(settings, fields)
    return [
        pub.CaseRecordChanged(occurred_on=occurred_on, minutes=minutes, subject=subject, channel=channel),
        details(state.client_id, checked, source),
    ]


def delete(state: CaseRecord, by: str) -> list[Event]:
    return [pub.CaseRecordDeleted(deleted_by=by)]
