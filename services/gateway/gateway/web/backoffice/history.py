"""A person's history for data-subject requests (from identity's event store, admins only): shown
on the data access page in plain words and downloadable as CSV; the JSON download carries it too."""

from __future__ import annotations

import csv
import io

from fastapi import Request

from gateway.web.api import get_json
from gateway.web.backoffice.texts import text as office_text
from gateway.web.catalogue import Catalogue
from gateway.web.describe import day, moment
from gateway.web.render import lang_of

EVENTS_DE = {
    "Registered": "Registriert",
    "StepRecorded": "Prüfschritt erfasst",
    "Activated": "Freigeschaltet",
    "Refused": "Abgelehnt",
    "MembershipApproved": "Mitgliedschaft im Dienst bestätigt",
    "MembershipEnded": "Mitgliedschaft im Dienst beendet",
    "Locked": "Gesperrt",
    "Unlocked": "Entsperrt",
    "DeletionRequested": "Löschung beantragt",
    "Restored": "Löschung rückgängig gemacht",
    "Erased": "Gelöscht",
    "ContactChanged": "Kontaktdaten geändert",
    "ActivitiesChanged": "Tätigkeiten geändert",
    "RangesChanged": "Verfügbare Zeiten geändert",
    "NeedsChanged": "Unterstützungsbedarf geändert",
    "TimeWindowsChanged": "Gewünschte Zeiten geändert",
    "PlaceChanged": "Wohnort geändert",
    "TraitsChanged": "Merkmale geändert",
    "GuardianAssigned": "Sorgeberechtigte Person eingetragen",
    "GuardianshipEnded": "Sorgeberechtigung beendet",
    "PasswordResetRequested": "Link zum Passwort angefordert",
    "StaffInvited": "In das Team einer Beratungsstelle eingeladen",
    "StaffJoined": "Dem Team einer Beratungsstelle beigetreten",
    "StaffRoleChanged": "Rolle im Team einer Beratungsstelle geändert",
    "StaffRemoved": "Aus dem Team einer Beratungsstelle entfernt",
}
EVENTS_EN = {
    "Registered": "Registered",
    "StepRecorded": "Verification step recorded",
    "Activated": "Activated",
    "Refused": "Refused",
    "MembershipApproved": "Membership in the provider confirmed",
    "MembershipEnded": "Membership in the provider ended",
    "Locked": "Locked",
    "Unlocked": "Unlocked",
    "DeletionRequested": "Deletion requested",
    "Restored": "Deletion undone",
    "Erased": "Erased",
    "ContactChanged": "Contact details changed",
    "ActivitiesChanged": "Activities changed",
    "RangesChanged": "Available times changed",
    "NeedsChanged": "Support needs changed",
    "TimeWindowsChanged": "Wanted times changed",
    "PlaceChanged": "Place changed",
    "TraitsChanged": "Traits changed",
    "GuardianAssigned": "Guardian entered",
    "GuardianshipEnded": "Guardianship ended",
    "PasswordResetRequested": "Password link requested",
    "StaffInvited": "Invited to a counseling centre's team",
    "StaffJoined": "Joined a counseling centre's team",
    "StaffRoleChanged": "Role in a counseling centre's team changed",
    "StaffRemoved": "Removed from a counseling centre's team",
}
TEXTS = {
    "de": {
        "history": "Verlauf (aus den Ereignissen)",
        "history_intro": "Alles, was mit dem Konto geschah, "
        "das Älteste zuerst. Namen, Kontaktdaten und Bedarfe stehen oben, nicht im Verlauf.",
        "history_csv": "Verlauf herunterladen (CSV)",
        "when": "Wann",
        "event": "Ereignis",
        "who": "Wer",
        "reason_details": "Begründung und Angaben",
        "actor_self": "die Person selbst",
        "actor_system": "System",
        "no_history": "Kein Ereignis gespeichert.",
    },
    "en": {
        "history": "History (from the events)",
        "history_intro": "Everything that happened to the account, "
        "oldest first. Names, contact details and needs are shown above, not in the history.",
        "history_csv": "Download the history (CSV)",
        "when": "When",
        "event": "Event",
        "who": "Who",
        "reason_details": "Reason and facts",
        "actor_self": "the person",
        "actor_system": "system",
        "no_history": "No event stored.",
    },
}


CATALOGUE = Catalogue(TEXTS["de"], TEXTS["en"])
EVENTS = Catalogue(EVENTS_DE, EVENTS_EN)


def text(lang: str, key: str) -> str:
    return CATALOGUE.text(lang, key)


async def entries(request: Request, account_id: str) -> list[dict]:
    """The history; organisations by name (one call each, a person has one or two)."""
    found = await get_json(request, "identity", f"/api/v1/identity/accounts/{account_id}/history")
    ids = {e["details"]["organisation_id"] for e in found if "organisation_id" in e["details"]}
    names = {i: (await get_json(request, "identity", f"/api/v1/identity/organisations/{i}"))["name"] for i in ids}
    for entry in found:
        if "organisation_id" in entry["details"]:
            entry["details"]["organisation_id"] = names[entry["details"]["organisation_id"]]
    return found


def _detail(lang: str, key: str, value: object) -> str:
    if key == "role":
        return office_text(lang, f"role_{value}")
    if key == "step":
        return office_text(lang, f"step_{value}")
    if key == "self_employed":
        return "selbstständig" if lang == "de" else "self-employed"
    if key in ("erase_after", "acts_until"):
        return day(lang, str(value))
    return str(value)


def described(lang: str, entry: dict) -> dict:
    """The entry in plain words: when, what, who, and the reason with the plain facts."""
    actor = entry["actor_role"]
    who = text(lang, f"actor_{actor}") if actor in ("self", "system") else office_text(lang, f"role_{actor}")
    facts = [_detail(lang, k, v) for k, v in entry["details"].items()]
    return {
        "when": moment(lang, entry["occurred_at"]),
        "event": EVENTS.text(lang, entry["event_type"]),
        "event_type": entry["event_type"],
        "who": who,
        "reason": " · ".join(([entry["reason"]] if entry["reason"] else []) + facts),
    }


def as_csv(request: Request, found: list[dict]) -> str:
    lang = lang_of(request)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            text(lang, "when"),
            "ISO 8601",
            text(lang, "event"),
            "event_type",
            text(lang, "who"),
            text(lang, "reason_details"),
        ]
    )
    for entry in found:
        shown = described(lang, entry)
        writer.writerow(
            [shown["when"], entry["occurred_at"], shown["event"], entry["event_type"], shown["who"], shown["reason"]]
        )
    return out.getvalue()
