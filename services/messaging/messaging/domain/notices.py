"""Which events tell whom what: plain-German notices with a link target (pure, no I/O).

An audience names people directly or by a relation the application resolves from what it learned
(the coordinators of an organisation, whoever made an offer). Guardians of each person are added
by the application as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from teilhabe_kit.localtime import BERLIN

INTERESTED_PERSONS = "contracts"
"""The actor of the welcome link of an account identity opened for someone who registered for a
facility's offer in contracts (not yet verified: no "Ihr Konto ist freigeschaltet")."""
WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")


@dataclass(frozen=True)
class Person:
    id: str


@dataclass(frozen=True)
class Coordinators:
    organisation_id: str


@dataclass(frozen=True)
class CentreAdmins:
    """The admins of a counseling centre (learned from identity's StaffJoined / StaffRoleChanged)."""

    centre_id: str


@dataclass(frozen=True)
class Offerer:
    offer_id: str


@dataclass(frozen=True)
class OfferersOfOrder:
    order_id: str


Audience = Person | Coordinators | CentreAdmins | Offerer | OfferersOfOrder


@dataclass(frozen=True)
class Notice:
    to: Audience
    kind: str
    title: str
    body: str
    link: str
    urgent: bool = False  # ignores quiet hours and e-mail opt-out (password reset)
    reference: str | None = None  # what delivery fetches more from (the password-reset request)


def german_datetime(value: datetime) -> str:
    """``Montag, 24.11.2026 um 14:30 Uhr`` in Europe/Berlin."""
    local = value.astimezone(BERLIN)
    return f"{WEEKDAYS[local.weekday()]}, {local:%d.%m.%Y} um {local:%H:%M} Uhr"


def _coordinators(payload: dict[str, Any], field: str = "organisation_id") -> list[Audience]:
    org = payload.get(field)
    return [Coordinators(org)] if org else []


def notices_for(event_type: str, stream_id: str, payload: dict[str, Any], actor_id: str | None = None) -> list[Notice]:
    """The notices an event causes (none for events nobody needs to hear about)."""
    p = payload
    match event_type:
        case "AvailabilityRequestSent":
            return [
                Notice(
                    Person(p["assistant_id"]),
                    "availability_request",
                    "Neue Anfrage für Sie",
                    "Eine Person sucht Assistenz, und Ihre Angaben passen dazu. "
                    "Bitte sehen Sie sich die Anfrage an und sagen Sie, ob Sie Zeit haben.",
                    f"/assistenz/anfragen/{p['request_id']}",
                )
            ]
        case "OfferSubmitted":
            return [
                Notice(
                    Person(p["seeker_id"]),
                    "offer_submitted",
                    "Neues Angebot für Ihren Auftrag",
                    "Jemand möchte Ihren Auftrag übernehmen. Sie können jetzt schreiben und sich kennenlernen.",
                    f"/auftraege/{stream_id}",
                )
            ]
        case "OfferDeclined":
            return [
                Notice(
                    Offerer(p["offer_id"]),
                    "offer_declined",
                    "Ihr Angebot wurde nicht gewählt",
                    "Die Person hat sich für jemand anderen entschieden. Danke für Ihr Interesse.",
                    f"/assistenz/auftraege/{stream_id}",
                )
            ]
        case "ProviderRequestSent":
            return [
                Notice(
                    Coordinators(p["organisation_id"]),
                    "provider_request",
                    "Neue Anfrage an Ihren Dienst",
                    "Eine Person bittet Ihren Dienst, eine passende Assistenzkraft vorzuschlagen.",
                    f"/koordination/auftraege/{stream_id}",
                )
            ]
        case "AssistantProposed":
            return [
                Notice(
                    Person(p["seeker_id"]),
                    "assistant_proposed",
                    "Ihnen wurde eine Assistenzkraft vorgeschlagen",
                    "Ein Dienst hat eine Assistenzkraft für Ihren Auftrag vorgeschlagen. Sehen Sie sich den Vorschlag an.",
                    f"/auftraege/{stream_id}",
                ),
                Notice(
                    Person(p["assistant_id"]),
                    "assistant_proposed",
                    "Sie wurden für einen Auftrag vorgeschlagen",
                    "Ihr Dienst hat Sie für einen Auftrag vorgeschlagen.",
                    f"/assistenz/auftraege/{stream_id}",
                ),
            ]
        case "OfferAccepted":
            return [
                Notice(
                    Person(p["assistant_id"]),
                    "offer_accepted",
                    "Sie haben den Auftrag bekommen",
                    "Die Person möchte, dass Sie den Auftrag übernehmen. Als Nächstes vereinbaren Sie ein Treffen zum Kennenlernen.",
                    f"/assistenz/auftraege/{stream_id}",
                ),
                *[
                    Notice(
                        audience,
                        "offer_accepted",
                        "Ein Auftrag wurde vergeben",
                        "Eine Person hat einen Auftrag an eine Assistenzkraft Ihres Dienstes vergeben.",
                        f"/koordination/auftraege/{stream_id}",
                    )
                    for audience in _coordinators(p, "provider_id")
                ],
            ]
        case "OrderWithdrawn":
            return [
                Notice(
                    OfferersOfOrder(stream_id),
                    "order_withdrawn",
                    "Ein Auftrag wurde zurückgezogen",
                    "Die Person braucht diese Assistenz nicht mehr. Ihr Angebot ist damit erledigt.",
                    f"/assistenz/auftraege/{stream_id}",
                )
            ]
        case "MeetingScheduled":
            when = german_datetime(datetime.fromisoformat(p["meeting_at"]))
            contract = p.get("contract_id") or stream_id
            return [
                Notice(
                    audience,
                    "meeting_scheduled",
                    "Treffen zum Kennenlernen vereinbart",
                    f"Das Treffen ist am {when}.",
                    f"/vertraege/{contract}",
                )
                for audience in [Person(p["seeker_id"]), Person(p["assistant_id"]), *_coordinators(p)]
            ]
        case "ContractRatified":
            contract = p.get("contract_id") or stream_id
            return [
                Notice(
                    audience,
                    "contract_ratified",
                    "Der Vertrag gilt jetzt",
                    "Alle haben unterschrieben und der Vertrag ist bestätigt.",
                    f"/vertraege/{contract}",
                )
                for audience in [Person(p["seeker_id"]), Person(p["assistant_id"]), *_coordinators(p)]
            ]
        case "AccountActivated" if p.get("role") != "client":  # a centre's client is active at once
            return [
                Notice(
                    Person(stream_id),
                    "account_activated",
                    "Ihr Konto ist freigeschaltet",
                    "Alle Prüfungen sind fertig. Sie können das Portal jetzt nutzen.",
                    "/",
                )
            ]
        case "AccountRefused":
            return [
                Notice(
                    Person(stream_id),
                    "account_refused",
                    "Ihr Konto wurde nicht freigeschaltet",
                    "Wir konnten Ihr Konto leider nicht freischalten. Bitte melden Sie sich bei uns, wenn Sie Fragen haben.",
                    "/hilfe",
                )
            ]
        case "DirectMessageSent":  # a centre admin wrote to a client; the text stays in counseling
            return [
                Notice(
                    Person(stream_id),
                    "direct_message",
                    "Neue Nachricht Ihrer Beratungsstelle",
                    "Ihre Beratungsstelle hat Ihnen eine Nachricht geschrieben. Bitte melden Sie sich an, um sie zu "
                    "lesen.",
                    "/beratung/nachrichten",
                )
            ]
        case "MailThreadOverdue":  # a mail request waited too long; subject and text stay in counseling
            return [
                Notice(
                    CentreAdmins(p["centre_id"]),
                    "mail_overdue",
                    "Eine Mailanfrage ist überfällig",
                    f"Eine Mailanfrage wartet seit mehr als {p['overdue_days']} Tagen auf eine Antwort. Bitte sorgen "
                    "Sie dafür, dass jemand sie beantwortet.",
                    f"/beratungsstelle/mailberatung/{stream_id}",
                )
            ]
        case "StaffInvited":  # into a counseling centre's team; the link is fetched from identity on delivery
            return [
                Notice(
                    Person(stream_id),
                    "invitation",
                    "Einladung in das Team einer Beratungsstelle",
                    "Sie wurden in das Team einer Beratungsstelle eingeladen. Mit dem Link nehmen Sie die Einladung "
                    "an. Wenn Sie noch kein Passwort haben, legen Sie es dabei fest. Der Link gilt einige Tage.",
                    "/einladung",
                    urgent=True,
                    reference=p["invitation_id"],
                )
            ]
        case "PasswordResetRequested" if actor_id == INTERESTED_PERSONS:  # registered for a facility's offer
            return [
                Notice(
                    Person(stream_id),
                    "invitation",
                    "Willkommen: Bitte legen Sie Ihr Passwort fest",
                    "Sie haben sich für ein Angebot einer Einrichtung angemeldet. Dafür haben wir ein Konto für "
                    "Sie eingerichtet. Mit dem Link legen Sie Ihr Passwort fest. Danach können Sie sich anmelden "
                    "und Ihre Anmeldung verfolgen. Alles Weitere im Portal können Sie nutzen, sobald der "
                    "Kunden-Service Ihr Konto geprüft hat.",
                    "/passwort-neu",
                    urgent=True,
                    reference=p["request_id"],
                )
            ]
        case "AccountRegistered" if actor_id == stream_id and p.get("role") != "client":  # signed up by the person
            # (not staff, not contracts; a counseling centre's client is active at once: nothing to wait for)
            return [
                Notice(
                    Person(stream_id),
                    "registration_received",
                    "Danke für Ihre Anmeldung",
                    "Wir prüfen jetzt Ihre Angaben. Der Kunden-Service meldet sich bei Ihnen. "
                    "Danach können Sie sich anmelden.",
                    "/anmelden",
                )
            ]
        case "SignUpRepeated":  # a sign-up with a known contact got the same answer as a new one
            return [
                Notice(
                    Person(stream_id),
                    "registration_repeated",
                    "Sie haben schon ein Konto",
                    "Mit Ihrer E-Mail-Adresse oder Telefonnummer hat sich jemand neu angemeldet. Sie haben aber "
                    "schon ein Konto bei uns: Melden Sie sich einfach an. Wenn Sie Ihr Passwort vergessen haben, "
                    "legen Sie mit dem Link ein neues fest. Wenn Sie das nicht waren, müssen Sie nichts tun.",
                    "/passwort-neu",
                    urgent=True,
                    reference=p["request_id"],
                )
            ]
        case "PasswordResetRequested" if actor_id not in (None, stream_id):  # an admin's invitation
            return [
                Notice(
                    Person(stream_id),
                    "invitation",
                    "Willkommen: Bitte legen Sie Ihr Passwort fest",
                    "Für Sie wurde ein Zugang eingerichtet. Mit dem Link legen Sie Ihr Passwort fest. "
                    "Danach können Sie sich anmelden.",
                    "/passwort-neu",
                    urgent=True,
                    reference=p["request_id"],
                )
            ]
        case "PasswordResetRequested":
            return [
                Notice(
                    Person(stream_id),
                    "password_reset",
                    "Passwort neu festlegen",
                    "Sie möchten ein neues Passwort festlegen. Den Link dazu schicken wir Ihnen per E-Mail oder SMS. "
                    "Wenn Sie das nicht waren, müssen Sie nichts tun.",
                    "/passwort-neu",
                    urgent=True,
                    reference=p["request_id"],
                )
            ]
    return []


def message_notice(recipient_id: str, conversation_id: str) -> Notice:
    return Notice(
        Person(recipient_id),
        "message_posted",
        "Neue Nachricht",
        "Sie haben eine neue Nachricht bekommen.",
        f"/nachrichten/{conversation_id}",
    )
