"""A centre's audit history in words: who changed what when, one entry per event.

Pure: it walks the stored events in order, keeps the previous profile to name the fields a
profile change touched, and says each step in German and English.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from centres.domain.events import Event, SignatoryRecorded
from teilhabe_events.contexts.centres import (
    CentreDelisted,
    CentreFunctionsChanged,
    CentreInterestRecorded,
    CentreListed,
    CentreProfile,
    CentreProfileChanged,
    CentreSeatsChanged,
    ProcessingAgreementSigned,
)


@dataclass(frozen=True)
class Entry:
    version: int
    at: datetime
    actor_id: str | None
    event_type: str
    de: str
    en: str
    changed: list[str] = field(default_factory=list)


def changed_fields(before: CentreProfile | None, after: CentreProfile) -> list[str]:
    """The top-level profile fields that differ (all set fields for a first profile)."""
    new = after.model_dump(mode="json")
    old = before.model_dump(mode="json") if before else {}
    return [name for name in CentreProfile.model_fields if new.get(name) != old.get(name)]


def _words(event: Event) -> tuple[str, str]:
    if isinstance(event, CentreInterestRecorded):
        return f"Interesse erfasst: {event.name}", f"Interest recorded: {event.name}"
    if isinstance(event, ProcessingAgreementSigned):
        return (
            f"Vereinbarung zur Auftragsverarbeitung (Version {event.version}) unterschrieben am {event.signed_on:%d.%m.%Y}",
            f"Data-processing agreement (version {event.version}) signed on {event.signed_on.isoformat()}",
        )
    if isinstance(event, SignatoryRecorded):
        return "Unterzeichnende Person erfasst", "Signatory recorded"
    if isinstance(event, CentreFunctionsChanged):
        codes = ", ".join(f.value for f in event.functions)
        return f"Funktionen: {codes}", f"Functions: {codes}"
    if isinstance(event, CentreSeatsChanged):
        return f"Lizenzen: {event.seats}", f"Seats: {event.seats}"
    if isinstance(event, CentreProfileChanged):
        return f"Profil geändert (Stand {event.revision})", f"Profile changed (revision {event.revision})"
    if isinstance(event, CentreListed):
        return "Im Beratungsstellenfinder sichtbar", "Listed in the finder"
    if isinstance(event, CentreDelisted):
        who = (
            ("von der Plattform", "by the platform")
            if event.by == "platform"
            else ("von der Beratungsstelle", "by the centre")
        )
        return f"Aus dem Finder genommen ({who[0]})", f"Taken out of the finder ({who[1]})"
    return event.event_type, event.event_type


def history(stored: Iterable[tuple[int, datetime, str | None, Event]]) -> list[Entry]:
    """Entries of (version, at, actor, event) in stream order; newest last."""
    entries: list[Entry] = []
    profile: CentreProfile | None = None
    for version, at, actor_id, event in stored:
        changed: list[str] = []
        if isinstance(event, CentreProfileChanged):
            changed = changed_fields(profile, event.profile)
            profile = event.profile
        de, en = _words(event)
        entries.append(Entry(version, at, actor_id, event.event_type, de, en, changed))
    return entries
