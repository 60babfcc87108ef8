"""The shared catalogue of activities (Tätigkeiten) and assistant traits (Eigenschaften).

Codes are stable identifiers used in events and APIs; labels are German first, then English.
"""

from __future__ import annotations

from enum import StrEnum


class Activity(StrEnum):
    ACCOMPANY_APPOINTMENTS = "accompany_appointments"
    SHOPPING = "shopping"
    HOUSEHOLD = "household"
    LEISURE = "leisure"
    WALKS = "walks"
    READING_ALOUD = "reading_aloud"
    PAPERWORK = "paperwork"
    TRANSPORT = "transport"
    CHILDCARE = "childcare"
    COMPANIONSHIP = "companionship"
    GARDENING = "gardening"
    COOKING = "cooking"
    SCHOOL_ASSISTANCE = "school_assistance"
    WORK_ASSISTANCE = "work_assistance"


ACTIVITY_LABELS: dict[Activity, tuple[str, str]] = {
    Activity.ACCOMPANY_APPOINTMENTS: ("Begleitung zu Terminen (z. B. Arzt)", "Accompany to appointments"),
    Activity.SHOPPING: ("Einkaufen", "Shopping"),
    Activity.HOUSEHOLD: ("Hilfe im Haushalt", "Household help"),
    Activity.LEISURE: ("Freizeit gemeinsam gestalten", "Leisure activities"),
    Activity.WALKS: ("Spazieren gehen", "Going for walks"),
    Activity.READING_ALOUD: ("Vorlesen", "Reading aloud"),
    Activity.PAPERWORK: ("Hilfe bei Briefen und Behörden", "Letters and paperwork"),
    Activity.TRANSPORT: ("Fahrdienst", "Driving service"),
    Activity.CHILDCARE: ("Kinder betreuen", "Childcare"),
    Activity.COMPANIONSHIP: ("Gesellschaft leisten", "Companionship"),
    Activity.GARDENING: ("Gartenarbeit", "Gardening"),
    Activity.COOKING: ("Kochen", "Cooking"),
    Activity.SCHOOL_ASSISTANCE: ("Schulbegleitung", "School assistance"),
    Activity.WORK_ASSISTANCE: ("Arbeitsassistenz", "Work assistance"),
}


class Trait(StrEnum):
    DRIVING_LICENCE = "driving_licence"
    OWN_CAR = "own_car"
    NON_SMOKER = "non_smoker"
    GENDER_FEMALE = "gender_female"
    GENDER_MALE = "gender_male"
    GENDER_DIVERSE = "gender_diverse"
    LANGUAGE_GERMAN = "language_de"
    LANGUAGE_ENGLISH = "language_en"
    LANGUAGE_TURKISH = "language_tr"
    LANGUAGE_ARABIC = "language_ar"
    LANGUAGE_RUSSIAN = "language_ru"
    LANGUAGE_POLISH = "language_pl"
    SIGN_LANGUAGE = "sign_language"
    PET_FRIENDLY = "pet_friendly"


TRAIT_LABELS: dict[Trait, tuple[str, str]] = {
    Trait.DRIVING_LICENCE: ("Führerschein", "Driving licence"),
    Trait.OWN_CAR: ("Eigenes Auto", "Own car"),
    Trait.NON_SMOKER: ("Nichtraucher/in", "Non-smoker"),
    Trait.GENDER_FEMALE: ("Frau", "Woman"),
    Trait.GENDER_MALE: ("Mann", "Man"),
    Trait.GENDER_DIVERSE: ("Divers", "Diverse"),
    Trait.LANGUAGE_GERMAN: ("Spricht Deutsch", "Speaks German"),
    Trait.LANGUAGE_ENGLISH: ("Spricht Englisch", "Speaks English"),
    Trait.LANGUAGE_TURKISH: ("Spricht Türkisch", "Speaks Turkish"),
    Trait.LANGUAGE_ARABIC: ("Spricht Arabisch", "Speaks Arabic"),
    Trait.LANGUAGE_RUSSIAN: ("Spricht Russisch", "Speaks Russian"),
    Trait.LANGUAGE_POLISH: ("Spricht Polnisch", "Speaks Polish"),
    Trait.SIGN_LANGUAGE: ("Gebärdensprache", "Sign language"),
    Trait.PET_FRIENDLY: ("Keine Angst vor Haustieren", "Fine with pets"),
}
