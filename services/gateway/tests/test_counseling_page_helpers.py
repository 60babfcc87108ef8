"""Pure helpers of the counseling pages: the month bars of the statistics chart and the keys the
settings page derives from German labels."""

from __future__ import annotations

from gateway.web.counseling.settings import key_of
from gateway.web.counseling.statistics import CHART_HEIGHT, bars


def test_bars_scale_to_the_busiest_month_and_name_the_months_in_the_language():
    months = [{"key": "2026-01", "count": 5, "minutes": 90}, {"key": "2026-02", "count": 10, "minutes": 200}]
    first, second = bars(months, "de")
    assert (first.height, second.height) == (CHART_HEIGHT // 2, CHART_HEIGHT)
    assert first.y + first.height == second.y + second.height  # one baseline
    assert second.x > first.x + 0
    assert (first.label, second.label) == ("Jan 26", "Feb 26")
    assert [b.label for b in bars([{"key": "2026-03", "count": 0, "minutes": 0}], "en")] == ["Mar 26"]
    assert bars([{"key": "2026-05", "count": 0, "minutes": 0}], "de")[0].height == 0  # no division by zero
    assert bars([], "de") == []


def test_keys_from_german_labels():
    assert key_of("Unter 25 Jahre") == "unter_25_jahre"
    assert key_of("Überweisung durch Schule") == "uberweisung_durch_schule"
    assert key_of("Straße") == "strasse"
    assert key_of("25 plus") == "k_25_plus"
    assert len(key_of("x" * 80)) == 40
