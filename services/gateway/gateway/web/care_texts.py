"""Texts of the guardian's care pages of an enrollment (emergency contacts, pick-up persons);
everything else comes from the back office texts."""

from __future__ import annotations

from gateway.web.backoffice.texts import CATALOGUE as OFFICE
from gateway.web.catalogue import Catalogue

DE: dict[str, str] = {
    "care_intro": "Wen erreicht die Einrichtung im Notfall? Wer darf das Kind abholen? "
    "Nur Sie und die Einrichtung sehen diese Angaben.",
    "care_later": "Das können Sie eintragen, sobald die Einrichtung die Anmeldung angenommen hat (Kandidat).",
    "emergency_contacts": "Notfallkontakte",
    "no_emergency_contacts": "Noch kein Notfallkontakt eingetragen.",
    "emergency_contact_n": "Notfallkontakt {n}",
    "emergency_contacts_hint": "Mindestens eine Person. Leere Zeilen werden nicht gespeichert.",
    "contact_name": "Name",
    "contact_phone": "Telefon-Nummer",
    "contact_relation": "Beziehung zum Kind",
    "contact_relation_hint": "Zum Beispiel: Großmutter, Nachbarin",
    "contact_phone_hint": "Zum Beispiel: 05551 12345",
    "contact_incomplete": "Bitte Name, Telefon-Nummer und Beziehung angeben.",
    "contact_phone_invalid": "Bitte eine Telefon-Nummer mit Ziffern angeben, zum Beispiel 05551 12345.",
    "contact_needed": "Bitte mindestens einen Notfallkontakt angeben.",
    "save_contacts": "Notfallkontakte speichern",
    "pickup_persons": "Abholberechtigte Personen",
    "no_pickup_persons": "Noch keine abholberechtigte Person eingetragen.",
    "add_pickup_person": "Abholberechtigte Person hinzufügen",
    "pickup_name": "Vor- und Nachname der abholberechtigten Person",
    "photo": "Aktuelles Passbild",
    "photo_hint": "JPEG oder PNG, höchstens 5 MB. Die Einrichtung erkennt die Person daran beim Abholen.",
    "photo_type": "Bitte laden Sie ein Foto als JPEG oder PNG hoch.",
    "photo_of": "Passbild von {name}",
    "notice_care": "Gespeichert.",
    "remove": "Entfernen",
    "notice_pickup_removed": "Die Person ist entfernt und darf das Kind nicht mehr abholen. Ihr Passbild ist gelöscht.",
}

EN: dict[str, str] = {
    "care_intro": "Whom does the facility call in an emergency? Who may pick the child up? "
    "Only you and the facility see these details.",
    "care_later": "You can enter this once the facility has accepted the enrollment (candidate).",
    "emergency_contacts": "Emergency contacts",
    "no_emergency_contacts": "No emergency contact yet.",
    "emergency_contact_n": "Emergency contact {n}",
    "emergency_contacts_hint": "At least one person. Empty rows are not saved.",
    "contact_name": "Name",
    "contact_phone": "Phone number",
    "contact_relation": "Relation to the child",
    "contact_relation_hint": "For example: grandmother, neighbour",
    "contact_phone_hint": "For example: 05551 12345",
    "contact_incomplete": "Please give name, phone number and relation.",
    "contact_phone_invalid": "Please give a phone number with digits, for example 05551 12345.",
    "contact_needed": "Please give at least one emergency contact.",
    "save_contacts": "Save emergency contacts",
    "pickup_persons": "Persons allowed to pick up",
    "no_pickup_persons": "No person allowed to pick up yet.",
    "add_pickup_person": "Add a person allowed to pick up",
    "pickup_name": "First and last name of the person",
    "photo": "Current passport photo",
    "photo_hint": "JPEG or PNG, at most 5 MB. The facility recognises the person by it.",
    "photo_type": "Please upload a photo as JPEG or PNG.",
    "photo_of": "Passport photo of {name}",
    "notice_care": "Saved.",
    "remove": "Remove",
    "notice_pickup_removed": "The person is removed and may no longer pick the child up. Their photo is deleted.",
}


CATALOGUE = Catalogue(DE, EN, fallback=OFFICE)


def text(lang: str, key: str, **values: object) -> str:
    return CATALOGUE.text(lang, key, **values)
