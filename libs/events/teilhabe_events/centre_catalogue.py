"""The catalogues a counseling centre's profile draws from: topics, target groups, languages,
channels, accessibility facts and functions.

Codes are stable identifiers used in events and APIs; labels are German first, then English.
`CATALOGUE_VERSION` counts changes of the lists: a code is never removed or renamed (old events
keep their meaning), new codes raise the version.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar

CATALOGUE_VERSION = 1
Code = TypeVar("Code", bound=StrEnum)


class Topic(StrEnum):
    DEBT = "debt"
    FAMILY = "family"
    PARENTING = "parenting"
    ADDICTION = "addiction"
    DISABILITY = "disability"
    CARE = "care"
    PREGNANCY = "pregnancy"
    MIGRATION = "migration"
    HOUSING = "housing"
    VIOLENCE = "violence"
    MENTAL_HEALTH = "mental_health"
    EMPLOYMENT = "employment"
    SOCIAL_BENEFITS = "social_benefits"
    YOUTH = "youth"
    SENIORS = "seniors"


TOPIC_LABELS: dict[Topic, tuple[str, str]] = {
    Topic.DEBT: ("Schulden", "Debt"),
    Topic.FAMILY: ("Familie und Partnerschaft", "Family and relationships"),
    Topic.PARENTING: ("Erziehung", "Parenting"),
    Topic.ADDICTION: ("Sucht", "Addiction"),
    Topic.DISABILITY: ("Behinderung und Teilhabe (EUTB)", "Disability and participation"),
    Topic.CARE: ("Pflege", "Care"),
    Topic.PREGNANCY: ("Schwangerschaft", "Pregnancy"),
    Topic.MIGRATION: ("Migration und Flucht", "Migration and refuge"),
    Topic.HOUSING: ("Wohnen und Wohnungsnot", "Housing and homelessness"),
    Topic.VIOLENCE: ("Gewalt", "Violence"),
    Topic.MENTAL_HEALTH: ("Seelische Gesundheit", "Mental health"),
    Topic.EMPLOYMENT: ("Arbeit und Beruf", "Work and career"),
    Topic.SOCIAL_BENEFITS: ("Sozialleistungen", "Social benefits"),
    Topic.YOUTH: ("Kinder und Jugendliche", "Children and young people"),
    Topic.SENIORS: ("Älter werden", "Growing older"),
}


class TargetGroup(StrEnum):
    EVERYONE = "everyone"
    CHILDREN_YOUTH = "children_youth"
    PARENTS = "parents"
    WOMEN = "women"
    MEN = "men"
    SENIORS = "seniors"
    DISABLED_PEOPLE = "disabled_people"
    RELATIVES = "relatives"
    MIGRANTS = "migrants"
    LGBTIQ = "lgbtiq"
    PROFESSIONALS = "professionals"


TARGET_GROUP_LABELS: dict[TargetGroup, tuple[str, str]] = {
    TargetGroup.EVERYONE: ("Alle", "Everyone"),
    TargetGroup.CHILDREN_YOUTH: ("Kinder und Jugendliche", "Children and young people"),
    TargetGroup.PARENTS: ("Eltern", "Parents"),
    TargetGroup.WOMEN: ("Frauen", "Women"),
    TargetGroup.MEN: ("Männer", "Men"),
    TargetGroup.SENIORS: ("Ältere Menschen", "Older people"),
    TargetGroup.DISABLED_PEOPLE: ("Menschen mit Behinderung", "Disabled people"),
    TargetGroup.RELATIVES: ("Angehörige", "Relatives"),
    TargetGroup.MIGRANTS: ("Zugewanderte Menschen", "Migrants"),
    TargetGroup.LGBTIQ: ("Queere Menschen", "LGBTIQ people"),
    TargetGroup.PROFESSIONALS: ("Fachkräfte", "Professionals"),
}


class Language(StrEnum):
    """ISO 639-1 codes of the languages counseling is offered in."""

    GERMAN = "de"
    ENGLISH = "en"
    TURKISH = "tr"
    ARABIC = "ar"
    RUSSIAN = "ru"
    UKRAINIAN = "uk"
    POLISH = "pl"
    PERSIAN = "fa"
    FRENCH = "fr"
    SPANISH = "es"
    ITALIAN = "it"
    ROMANIAN = "ro"
    KURDISH = "ku"
    ALBANIAN = "sq"
    VIETNAMESE = "vi"


LANGUAGE_LABELS: dict[Language, tuple[str, str]] = {
    Language.GERMAN: ("Deutsch", "German"),
    Language.ENGLISH: ("Englisch", "English"),
    Language.TURKISH: ("Türkisch", "Turkish"),
    Language.ARABIC: ("Arabisch", "Arabic"),
    Language.RUSSIAN: ("Russisch", "Russian"),
    Language.UKRAINIAN: ("Ukrainisch", "Ukrainian"),
    Language.POLISH: ("Polnisch", "Polish"),
    Language.PERSIAN: ("Persisch (Farsi)", "Persian (Farsi)"),
    Language.FRENCH: ("Französisch", "French"),
    Language.SPANISH: ("Spanisch", "Spanish"),
    Language.ITALIAN: ("Italienisch", "Italian"),
    Language.ROMANIAN: ("Rumänisch", "Romanian"),
    Language.KURDISH: ("Kurdisch", "Kurdish"),
    Language.ALBANIAN: ("Albanisch", "Albanian"),
    Language.VIETNAMESE: ("Vietnamesisch", "Vietnamese"),
}


class Channel(StrEnum):
    ON_SITE = "on_site"
    PHONE = "phone"
    MAIL = "mail"
    CHAT = "chat"
    VIDEO = "video"
    HOME_VISIT = "home_visit"


CHANNEL_LABELS: dict[Channel, tuple[str, str]] = {
    Channel.ON_SITE: ("Vor Ort", "On site"),
    Channel.PHONE: ("Telefon", "Phone"),
    Channel.MAIL: ("Mailberatung", "Mail counseling"),
    Channel.CHAT: ("Chat", "Chat"),
    Channel.VIDEO: ("Video", "Video"),
    Channel.HOME_VISIT: ("Hausbesuch", "Home visit"),
}


class AccessibilityFact(StrEnum):
    STEP_FREE = "step_free"
    ACCESSIBLE_TOILET = "accessible_toilet"
    HEARING_LOOP = "hearing_loop"
    SIGN_LANGUAGE = "sign_language"
    EASY_LANGUAGE = "easy_language"
    PARKING = "parking"


ACCESSIBILITY_LABELS: dict[AccessibilityFact, tuple[str, str]] = {
    AccessibilityFact.STEP_FREE: ("Rollstuhlgerecht (stufenlos)", "Step-free access"),
    AccessibilityFact.ACCESSIBLE_TOILET: ("Barrierefreie Toilette", "Accessible toilet"),
    AccessibilityFact.HEARING_LOOP: ("Induktionsschleife", "Hearing loop"),
    AccessibilityFact.SIGN_LANGUAGE: ("Gebärdensprache", "Sign language"),
    AccessibilityFact.EASY_LANGUAGE: ("Leichte Sprache", "Easy language"),
    AccessibilityFact.PARKING: ("Behindertenparkplatz", "Accessible parking"),
}


class CentreFunction(StrEnum):
    """What a centre uses of the platform: the directory always, appointments and online counseling on top."""

    DIRECTORY = "directory"
    APPOINTMENTS = "appointments"
    ONLINE_COUNSELING = "online_counseling"


FUNCTION_LABELS: dict[CentreFunction, tuple[str, str]] = {
    CentreFunction.DIRECTORY: ("Beratungsstellenfinder und Self-Service", "Directory and self-service"),
    CentreFunction.APPOINTMENTS: ("Online-Terminbuchung", "Online appointment booking"),
    CentreFunction.ONLINE_COUNSELING: ("Online-Beratung mit Chat und Video", "Online counseling with chat and video"),
}


def catalogue() -> dict[str, Any]:
    """Every list with its labels, for APIs and forms: ``{"version": 1, "topics": [{code, de, en}], ...}``."""

    def entries(labels: Mapping[Code, tuple[str, str]]) -> list[dict[str, str]]:
        return [{"code": code.value, "de": de, "en": en} for code, (de, en) in labels.items()]

    return {
        "version": CATALOGUE_VERSION,
        "topics": entries(TOPIC_LABELS),
        "target_groups": entries(TARGET_GROUP_LABELS),
        "languages": entries(LANGUAGE_LABELS),
        "channels": entries(CHANNEL_LABELS),
        "accessibility": entries(ACCESSIBILITY_LABELS),
        "functions": entries(FUNCTION_LABELS),
    }
