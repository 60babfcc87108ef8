"""Printable registration, offer and assistance contract as PDF (fpdf2 with the bundled DejaVu Sans, full umlauts).

The documents show the data as entered; amounts in euros, dates as DD.MM.YYYY.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fpdf import FPDF

from teilhabe_events.activities import ACTIVITY_LABELS, Activity

FONTS = Path(__file__).parent / "fonts"

STATUS_LABELS = {
    "interessent": "Interessent",
    "bewerber": "Bewerber",
    "eingeladen": "Eingeladen",
    "kandidat": "Kandidat",
    "abgelehnt": "Abgelehnt",
    "eingestuft": "Eingestuft",
    "angebot": "Angebot",
    "angenommen": "Angenommen",
    "ratifiziert": "Ratifiziert",
}
FEE_BASIS = {
    "income_bracket": "nach angegebenem Haushaltseinkommen",
    "flat": "Pauschale",
    "highest_no_declaration": "Höchstsatz (kein Einkommen angegeben)",
    "highest_no_proof": "Höchstsatz (Einkommensnachweis fehlt)",
}


def german_date(value: date | str | None) -> str:
    if value is None:
        return "–"
    value = date.fromisoformat(value) if isinstance(value, str) else value
    return value.strftime("%d.%m.%Y")


def euros(cents: int | None) -> str:
    if cents is None:
        return "–"
    return f"{cents / 100:,.2f} €".replace(",", "X").replace(".", ",").replace("X", ".")


class _Document(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_lang("de-DE")
        self.add_page()
        self.set_font("DejaVu", "B", 16)
        self.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def section(self, heading: str) -> None:
        self.ln(2)
        self.set_font("DejaVu", "B", 12)
        self.cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")

    def field(self, label: str, value: object) -> None:
        self.set_font("DejaVu", "", 11)
        text = "–" if value in (None, "") else str(value)
        self.multi_cell(0, 6.5, f"{label}: {text}", new_x="LMARGIN", new_y="NEXT")

    def bytes(self) -> bytes:
        return bytes(self.output())


def _participant(doc: _Document, registration: dict) -> None:
    p = registration["participant"]
    doc.section("Teilnehmer")
    doc.field("Name", f"{p['first_name']} {p['last_name']}")
    doc.field("Geburtsdatum", german_date(p["birth_date"]))
    doc.field("Anschrift", f"{p['street']}, {p['postcode']} {p['city']}")
    a = registration["applicant"]
    doc.section("Angemeldet von")
    doc.field("Name", f"{a['first_name']} {a['last_name']}")
    doc.field("E-Mail", a["email"])


def registration_pdf(view, registration: dict) -> bytes:
    """The registration as entered, to check before sending it (Anmeldung drucken)."""
    doc = _Document(f"Anmeldung: {registration['offer_title']}")
    doc.field("Kundennummer", view.customer_number)
    doc.field("Vertragsnummer", view.contract_number)
    doc.field("Status", STATUS_LABELS[view.status])
    _participant(doc, registration)
    if registration.get("remarks"):
        doc.section("Bemerkungen")
        doc.field("Text", registration["remarks"])
    doc.ln(4)
    doc.set_font("DejaVu", "", 10)
    doc.multi_cell(
        0,
        5.5,
        "Bitte prüfen Sie alle Angaben. Wenn etwas nicht stimmt, korrigieren Sie es "
        "vor dem Absenden und drucken Sie die Anmeldung erneut.",
    )
    return doc.bytes()


def offer_pdf(view, registration: dict) -> bytes:
    """The facility's offer: the registration plus costs and contract period, to sign and upload."""
    doc = _Document(f"Angebot: {registration['offer_title']}")
    doc.field("Kundennummer", view.customer_number)
    doc.field("Vertragsnummer", view.contract_number)
    _participant(doc, registration)
    doc.section("Vertrag")
    doc.field("Beginn", german_date(view.starts_on))
    doc.field("Ende", german_date(view.ends_on))
    doc.field("Monatlicher Beitrag", euros(view.monthly_fee_cents))
    doc.field("Berechnung", FEE_BASIS.get(view.fee_basis, view.fee_basis))
    doc.field("Unterschrieben zurück bis", german_date(view.respond_by))
    doc.ln(4)
    doc.set_font("DejaVu", "", 10)
    doc.multi_cell(
        0,
        5.5,
        "Bitte drucken Sie das Angebot aus, lassen Sie es von allen Vertragsparteien "
        "unterschreiben und laden Sie den Scan bis zur Frist hoch. Erst nach der Gegenzeichnung "
        "(Ratifizierung) durch die Einrichtung ist der Vertrag zustande gekommen.",
    )
    doc.ln(10)
    doc.field("Ort, Datum, Unterschrift Teilnehmer / Sorgeberechtigter", "")
    doc.ln(8)
    doc.field("Ort, Datum, Unterschrift Einrichtung", "")
    return doc.bytes()


PAYERS = {
    "relief_amount": "Entlastungsbetrag der Pflegeversicherung",
    "integration_assistance": "Eingliederungshilfe",
    "private": "privat",
}


def assistance_contract_pdf(view, terms: dict) -> bytes:
    """The drafted assistance contract, to read before signing or to sign on paper and upload."""
    doc = _Document("Vertrag über Assistenz-Leistungen")
    doc.field("Vertrag", view.contract_id)
    doc.field("Entwurf", view.draft_revision)
    doc.section("Leistungen")
    doc.field("Tätigkeiten", ", ".join(ACTIVITY_LABELS[Activity(a)][0] for a in terms["activities"]))
    doc.field("Zeiten", terms["schedule"])
    doc.section("Bedingungen")
    doc.field("Stundensatz", euros(terms["hourly_rate_cents"]))
    doc.field("Bezahlt über", PAYERS.get(terms["payer"], terms["payer"]))
    doc.field("Beginn", german_date(terms["starts_on"]))
    doc.field("Ende", german_date(terms.get("ends_on")) if terms.get("ends_on") else "unbefristet")
    doc.field("Kündigungsfrist", f"{terms['notice_weeks']} Wochen")
    doc.ln(8)
    for party in ("Person, die Assistenz bekommt (oder ihr Vertreter)", "Assistenz-Kraft", "Leistungs-Anbieter"):
        doc.field(f"Ort, Datum, Unterschrift {party}", "")
        doc.ln(8)
    return doc.bytes()
