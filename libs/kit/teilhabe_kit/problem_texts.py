"""The words of problem+json answers: German first, English when the caller asks for it.

Titles follow the status (RFC 9457: with type ``about:blank`` the title is the status phrase).
Details are written in German where they are raised; the kit's own details and the framework's
validation messages have an English twin here. A domain problem may carry its English detail as
``Problem(..., en=...)``; without one, English callers get the German text (German first).
"""

from __future__ import annotations

from typing import Any, get_args

from pydantic_core.core_schema import ErrorType
from starlette.requests import Request

LANGUAGES = ("de", "en")

TITLES: dict[int, tuple[str, str]] = {
    400: ("Ungültige Anfrage", "Bad request"),
    401: ("Anmeldung nötig", "Sign-in required"),
    403: ("Nicht erlaubt", "Forbidden"),
    404: ("Nicht gefunden", "Not found"),
    405: ("Methode nicht erlaubt", "Method not allowed"),
    406: ("Format nicht lieferbar", "Not acceptable"),
    409: ("Konflikt", "Conflict"),
    410: ("Nicht mehr vorhanden", "Gone"),
    412: ("Vorbedingung nicht erfüllt", "Precondition failed"),
    413: ("Zu groß", "Content too large"),
    415: ("Format nicht unterstützt", "Unsupported media type"),
    422: ("Ungültige Eingabe", "Invalid input"),
    423: ("Gesperrt", "Locked"),
    428: ("Vorbedingung nötig", "Precondition required"),
    429: ("Zu viele Anfragen", "Too many requests"),
    500: ("Interner Fehler", "Internal error"),
    502: ("Fehler bei einem anderen Dienst", "Bad gateway"),
    503: ("Dienst nicht erreichbar", "Service unavailable"),
    504: ("Zeitüberschreitung bei einem anderen Dienst", "Gateway timeout"),
}

SIGN_IN = "Bitte melden Sie sich an."
SIGN_IN_AGAIN = "Die Anmeldung ist nicht gültig. Bitte melden Sie sich neu an."
SIGN_IN_EXPIRED = "Die Anmeldung ist abgelaufen. Bitte melden Sie sich neu an."
SIGN_IN_REVOKED = "Diese Anmeldung gilt nicht mehr. Bitte melden Sie sich neu an."
SIGN_IN_UNCHECKABLE = "Die Anmeldung kann gerade nicht geprüft werden. Bitte versuchen Sie es gleich noch einmal."
WRONG_ROLE = "Das dürfen Sie mit Ihrer Rolle nicht."
UNKNOWN_SERVICE_CREDENTIAL = "Unbekannter Dienst-Schlüssel."
TRY_AGAIN = "Bitte versuchen Sie es gleich noch einmal."
CHANGED_MEANWHILE = "Die Daten wurden inzwischen geändert. Bitte laden Sie neu und versuchen Sie es noch einmal."
SOMETHING_WRONG = "Bei uns ist etwas schiefgegangen."
UNSTORABLE = "Ein Wert kann nicht verarbeitet werden (zum Beispiel ein Nullzeichen oder eine zu große Zahl)."
STILL_RUNNING = "Die erste Anfrage mit diesem Idempotency-Key läuft noch. Bitte versuchen Sie es gleich noch einmal."
NOT_FOUND = "Diese Adresse gibt es nicht."
METHOD_NOT_ALLOWED = "Diese Methode ist hier nicht erlaubt."

DETAILS_EN: dict[str, str] = {
    SIGN_IN: "Please sign in.",
    SIGN_IN_AGAIN: "The sign-in is not valid. Please sign in again.",
    SIGN_IN_EXPIRED: "The sign-in has expired. Please sign in again.",
    SIGN_IN_REVOKED: "This sign-in is no longer valid. Please sign in again.",
    SIGN_IN_UNCHECKABLE: "The sign-in cannot be checked right now. Please try again in a moment.",
    WRONG_ROLE: "You may not do this with your role.",
    UNKNOWN_SERVICE_CREDENTIAL: "Unknown service credential.",
    TRY_AGAIN: "Please try again in a moment.",
    CHANGED_MEANWHILE: "The record was changed meanwhile. Please reload and try again.",
    SOMETHING_WRONG: "Something went wrong on our side.",
    UNSTORABLE: "A value cannot be processed (for example a NUL character or a number too large).",
    STILL_RUNNING: "The first request with this Idempotency-Key is still running. Please try again.",
    NOT_FOUND: "There is nothing at this address.",
    METHOD_NOT_ALLOWED: "This method is not allowed here.",
}

# The framework's (Starlette's) English details of its own HTTP errors, in German.
FRAMEWORK_DETAILS_DE: dict[str, str] = {
    "Not Found": NOT_FOUND,
    "Method Not Allowed": METHOD_NOT_ALLOWED,
}

# pydantic's error types → (German, English) message; ``{name}`` is filled from the error's context.
VALIDATION: dict[str, tuple[str, str]] = {
    "missing": ("Diese Angabe fehlt.", "This field is required."),
    "extra_forbidden": ("Diese Angabe ist hier nicht vorgesehen.", "This field is not allowed here."),
    "string_too_short": (
        "Bitte geben Sie mindestens {min_length} Zeichen ein.",
        "Please enter at least {min_length} characters.",
    ),
    "string_too_long": (
        "Bitte geben Sie höchstens {max_length} Zeichen ein.",
        "Please enter at most {max_length} characters.",
    ),
    "string_pattern_mismatch": ("Das Format stimmt nicht.", "The format is not valid."),
    "string_type": ("Bitte geben Sie einen Text ein.", "Please enter text."),
    "too_short": ("Bitte geben Sie mindestens {min_length} an.", "Please give at least {min_length}."),
    "too_long": ("Bitte geben Sie höchstens {max_length} an.", "Please give at most {max_length}."),
    "greater_than": ("Der Wert muss größer als {gt} sein.", "The value must be greater than {gt}."),
    "greater_than_equal": ("Der Wert muss mindestens {ge} sein.", "The value must be at least {ge}."),
    "less_than": ("Der Wert muss kleiner als {lt} sein.", "The value must be less than {lt}."),
    "less_than_equal": ("Der Wert darf höchstens {le} sein.", "The value must be at most {le}."),
    "multiple_of": (
        "Der Wert muss ein Vielfaches von {multiple_of} sein.",
        "The value must be a multiple of {multiple_of}.",
    ),
    "int_parsing": ("Bitte geben Sie eine ganze Zahl ein.", "Please enter a whole number."),
    "int_type": ("Bitte geben Sie eine ganze Zahl ein.", "Please enter a whole number."),
    "int_from_float": ("Bitte geben Sie eine ganze Zahl ein.", "Please enter a whole number."),
    "float_parsing": ("Bitte geben Sie eine Zahl ein.", "Please enter a number."),
    "float_type": ("Bitte geben Sie eine Zahl ein.", "Please enter a number."),
    "decimal_parsing": ("Bitte geben Sie eine Zahl ein.", "Please enter a number."),
    "finite_number": ("Bitte geben Sie eine endliche Zahl ein.", "Please enter a finite number."),
    "bool_parsing": ("Bitte geben Sie ja oder nein an (true oder false).", "Please answer yes or no (true or false)."),
    "bool_type": ("Bitte geben Sie ja oder nein an (true oder false).", "Please answer yes or no (true or false)."),
    "literal_error": ("Bitte wählen Sie: {expected}.", "Please choose: {expected}."),
    "enum": ("Bitte wählen Sie: {expected}.", "Please choose: {expected}."),
    "date_parsing": ("Bitte geben Sie ein Datum an (JJJJ-MM-TT).", "Please enter a date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": ("Bitte geben Sie ein Datum an (JJJJ-MM-TT).", "Please enter a date (YYYY-MM-DD)."),
    "date_from_datetime_inexact": ("Bitte geben Sie nur ein Datum an, ohne Uhrzeit.", "Please enter a date only."),
    "date_type": ("Bitte geben Sie ein Datum an (JJJJ-MM-TT).", "Please enter a date (YYYY-MM-DD)."),
    "date_past": ("Das Datum muss in der Vergangenheit liegen.", "The date must be in the past."),
    "date_future": ("Das Datum muss in der Zukunft liegen.", "The date must be in the future."),
    "datetime_parsing": (
        "Bitte geben Sie Datum und Uhrzeit an (z. B. 2026-05-04T10:00:00+02:00).",
        "Please enter date and time (e.g. 2026-05-04T10:00:00+02:00).",
    ),
    "datetime_from_date_parsing": (
        "Bitte geben Sie Datum und Uhrzeit an (z. B. 2026-05-04T10:00:00+02:00).",
        "Please enter date and time (e.g. 2026-05-04T10:00:00+02:00).",
    ),
    "datetime_type": (
        "Bitte geben Sie Datum und Uhrzeit an (z. B. 2026-05-04T10:00:00+02:00).",
        "Please enter date and time (e.g. 2026-05-04T10:00:00+02:00).",
    ),
    "timezone_aware": (
        "Bitte geben Sie die Zeitzone mit an (z. B. +02:00).",
        "Please include the time zone (e.g. +02:00).",
    ),
    "time_parsing": ("Bitte geben Sie eine Uhrzeit an (HH:MM).", "Please enter a time (HH:MM)."),
    "time_type": ("Bitte geben Sie eine Uhrzeit an (HH:MM).", "Please enter a time (HH:MM)."),
    "uuid_parsing": ("Das ist keine gültige Kennung (UUID).", "This is not a valid identifier (UUID)."),
    "uuid_type": ("Das ist keine gültige Kennung (UUID).", "This is not a valid identifier (UUID)."),
    "json_invalid": ("Der Inhalt ist kein gültiges JSON.", "The body is not valid JSON."),
    "json_type": ("Der Inhalt ist kein gültiges JSON.", "The body is not valid JSON."),
    "model_attributes_type": ("Hier wird ein Objekt erwartet.", "An object is expected here."),
    "model_type": ("Hier wird ein Objekt erwartet.", "An object is expected here."),
    "dict_type": ("Hier wird ein Objekt erwartet.", "An object is expected here."),
    "list_type": ("Hier wird eine Liste erwartet.", "A list is expected here."),
    "url_parsing": ("Das ist keine gültige Internetadresse.", "This is not a valid web address."),
    "url_type": ("Das ist keine gültige Internetadresse.", "This is not a valid web address."),
    "url_scheme": ("Das ist keine gültige Internetadresse.", "This is not a valid web address."),
    "consent_required": ("Bitte stimmen Sie {consent_de} zu.", "Please agree to {consent_en}."),
}
PYDANTIC_TYPES = frozenset(get_args(ErrorType))
INVALID = ("Dieser Wert ist ungültig.", "This value is not valid.")
EMAIL = ("Das ist keine gültige E-Mail-Adresse.", "This is not a valid e-mail address.")
CHECK = ("Bitte prüfen Sie", "Please check")


def language(request: Request) -> str:
    """The caller's language from ``Accept-Language`` (German unless English is preferred)."""
    best, best_q = "de", -1.0
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, params = part.strip().partition(";")
        base = tag.strip().lower().split("-")[0]
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if base in LANGUAGES and q > best_q:
            best, best_q = base, q
    return best


def title(status: int, lang: str) -> str:
    german, english = TITLES.get(status, ("Fehler", "Error"))
    return english if lang == "en" else german


def detail(text: str, lang: str, en: str | None = None) -> str:
    """`text` (German) in the caller's language."""
    if lang == "en":
        return en or DETAILS_EN.get(text, text)
    return text


def framework_detail(text: str, lang: str) -> str:
    """A detail Starlette or a router wrote (English phrases of its own, else the service's German)."""
    german = FRAMEWORK_DETAILS_DE.get(text, text)
    return detail(german, lang)


def validation_message(error: dict[str, Any], lang: str) -> str:
    """One pydantic error in plain words of `lang`."""
    kind, message = error["type"], str(error.get("msg", ""))
    context = {k: _plain(v, lang) for k, v in (error.get("ctx") or {}).items()}
    if kind in VALIDATION:
        template = VALIDATION[kind][1 if lang == "en" else 0]
        try:
            return template.format(**context)
        except (KeyError, IndexError):
            return template.split("{", 1)[0].rstrip(": ") + "."
    if kind == "value_error" and "email address" in message:
        return EMAIL[1 if lang == "en" else 0]
    if kind in ("value_error", "assertion_error"):
        return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind in PYDANTIC_TYPES:
        return message if lang == "en" and message else INVALID[1 if lang == "en" else 0]
    return message  # a service's own error type (PydanticCustomError): its message is in German


def validation_detail(fields: list[tuple[str, str]], lang: str) -> str:
    """The summary of a 422: which fields and what is wrong with each."""
    check = CHECK[1 if lang == "en" else 0]
    return f"{check}: " + "; ".join(f"{name}: {message}" if name else message for name, message in fields)


def _plain(value: Any, lang: str) -> Any:
    """Context values as pydantic words them, with the joining "or" in German for German."""
    if isinstance(value, str) and lang != "en":
        return value.replace(" or ", " oder ")
    return value
