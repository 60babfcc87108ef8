"""Calendar days are Berlin's, including around midnight and the change to summer time."""

from datetime import UTC, date, datetime

from teilhabe_kit.localtime import local_date


def test_the_day_changes_at_midnight_in_berlin():
    assert local_date(datetime(2026, 11, 29, 22, 59, tzinfo=UTC)) == date(2026, 11, 29)  # 23:59 CET
    assert local_date(datetime(2026, 11, 29, 23, 0, tzinfo=UTC)) == date(2026, 11, 30)  # 00:00 CET
    assert local_date(datetime(2026, 7, 1, 22, 0, tzinfo=UTC)) == date(2026, 7, 2)  # 00:00 CEST
