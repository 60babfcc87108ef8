"""The one way the web pages look up their texts: a catalogue of German texts (complete, plain
language) and English ones (the language switch).

One rule for gaps: an English text that is missing is the German one; a key missing in both (and
in the catalogue it falls back to) is shown as the key itself and logged once as a warning, so a
page never fails over a missing text and the gap is visible.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

log = logging.getLogger(__name__)


class Catalogue:
    def __init__(self, de: Mapping[str, str], en: Mapping[str, str], fallback: Catalogue | None = None) -> None:
        self.de, self.en, self.fallback = de, en, fallback
        self._reported: set[str] = set()

    def __contains__(self, key: str) -> bool:
        return key in self.de or key in self.en or (self.fallback is not None and key in self.fallback)

    def text(self, lang: str, key: str, **values: object) -> str:
        """The text for `key` in `lang` ("en", else German), with `values` filled in."""
        found = self.en.get(key) if lang == "en" else None
        if found is None:
            found = self.de.get(key, self.en.get(key))
        if found is None:
            if self.fallback is not None and key in self.fallback:
                return self.fallback.text(lang, key, **values)
            if key not in self._reported:
                self._reported.add(key)
                log.warning("no text for %r", key)
            return key
        return found.format(**values) if values else found
