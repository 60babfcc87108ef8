"""The assistant's calendar (pure): occurrences of a schedule, the shown period, the iCalendar text."""

from datetime import date, datetime

from gateway.web.calendar_dates import Entry, ics, occurrences, period, weeks
from teilhabe_kit.localtime import BERLIN


def test_a_one_time_order_falls_on_its_day_only_inside_the_period():
    once = {"kind": "one_time", "date": "2026-12-07", "start": "09:00", "end": "11:00"}
    [(start, end)] = occurrences(once, date(2026, 12, 7), date(2026, 12, 13))
    assert (start, end) == (datetime(2026, 12, 7, 9, tzinfo=BERLIN), datetime(2026, 12, 7, 11, tzinfo=BERLIN))
    assert occurrences(once, date(2026, 12, 8), date(2026, 12, 13)) == []


def test_recurring_orders_repeat_weekly_biweekly_or_in_the_first_week_of_the_month():
    ranges = [{"weekday": 2, "start": "10:00", "end": "12:00"}]  # Wednesdays
    base = {"kind": "recurring", "start_date": "2026-12-02", "ranges": ranges}
    december = (date(2026, 12, 1), date(2026, 12, 31))
    days = lambda schedule: [s.day for s, _ in occurrences(schedule, *december)]  # noqa: E731
    assert days(base | {"interval": "weekly"}) == [2, 9, 16, 23, 30]
    assert days(base | {"interval": "biweekly"}) == [2, 16, 30]
    assert days(base | {"interval": "monthly"}) == [2]
    assert days(base | {"interval": "weekly", "start_date": "2026-12-10"}) == [16, 23, 30]  # not before the start


def test_the_week_runs_monday_to_sunday_and_the_month_covers_whole_weeks():
    assert period("week", date(2026, 12, 10)) == (date(2026, 12, 7), date(2026, 12, 13))
    first, last = period("month", date(2026, 12, 10))
    assert (first, last) == (date(2026, 11, 30), date(2027, 1, 3))
    assert all(len(row) == 7 for row in weeks(first, last, []))


def test_the_feed_is_icalendar_with_utc_times_and_escaped_text():
    start = datetime(2026, 12, 7, 9, tzinfo=BERLIN)
    entry = Entry("o1-202612070900", start, start.replace(hour=11), "Einkaufen, Arzt; Bank", "Angeboten", "/x")
    text = ics([entry], "Meine Einsätze", "http://portal.example/", start)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20261207T080000Z" in text and "DTEND:20261207T100000Z" in text  # CET is UTC+1
    assert "SUMMARY:Einkaufen\\, Arzt\\; Bank" in text and "URL:http://portal.example/x" in text
    assert "UID:o1-202612070900@teilhabe" in text
