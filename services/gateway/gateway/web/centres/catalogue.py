"""Labels of the centre catalogue (topics, languages, channels, …) in the page's language."""

from __future__ import annotations

from functools import cache

from teilhabe_events.centre_catalogue import catalogue

KINDS = ("topics", "target_groups", "languages", "channels", "accessibility", "functions")


@cache
def labels(lang: str) -> dict[str, dict[str, str]]:
    """``{"topics": {"debt": "Schulden", ...}, ...}`` (German unless `lang` is "en")."""
    lists = catalogue()
    return {kind: {e["code"]: e["en" if lang == "en" else "de"] for e in lists.get(kind, [])} for kind in KINDS}
