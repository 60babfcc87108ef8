"""Plain-language descriptions of schedules and dates (Europe/Berlin) for the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from gateway.web.i18n import translate
from teilhabe_kit.localtime import BERLIN


def number(lang: str, value: float, digits: int = 1) -> str:
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "de" else text


def day(lang: str, value: str | date) -> str:
    d = date.fromisoformat(value) if isinstance(value, str) else value
    return d.strftime("%d.%m.%Y") if lang == "de" else d.isoformat()


def moment(lang: str, value: str | datetime) -> str:
    d = datetime.fromisoformat(value) if isinstance(value, str) else value
    local = d.astimezone(BERLIN)
    return local.strftime("%d.%m.%Y, %H:%M Uhr") if lang == "de" else local.strftime("%Y-%m-%d %H:%M")


def ranges(lang: str, items: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{translate(lang, 'weekday_' + str(r['weekday']))} {str(r['start'])[:5]}–{str(r['end'])[:5]}" for r in items
    )


def schedule(lang: str, s: dict[str, Any]) -> str:
    if s.get("kind") == "one_time":
        return f"{translate(lang, 'one_time')}: {day(lang, s['date'])}, {str(s['start'])[:5]}–{str(s['end'])[:5]}"
    interval = translate(lang, s.get("interval", "weekly"))
    start = day(lang, s["start_date"])
    count = s.get("appointments_per_interval", 1)
    return (
        f"{translate(lang, 'recurring')} ({interval}, {count}×) – "
        f"{translate(lang, 'start_date')}: {start}; {ranges(lang, s.get('ranges', []))}"
    )
