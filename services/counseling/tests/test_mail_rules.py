"""The pure rules of mail counseling: who gets a new request and who may take a thread over."""

from __future__ import annotations

import pytest

from counseling.domain import threads
from counseling.domain.mail_settings import Availability, MailSettings, choose_assignee
from teilhabe_kit.problems import Conflict, Forbidden

SETTINGS = MailSettings(
    centre_id="c",
    availability={
        "anna": Availability(mode="resources", max_open=2),
        "ben": Availability(mode="unlimited"),
        "cem": Availability(mode="none"),
    },
    fallback_counselor_id="fiona",
)


def test_previous_then_primary_even_when_set_to_none():
    assert choose_assignee(SETTINGS, "cem", "anna", {}) == ("cem", "previous")
    assert choose_assignee(SETTINGS, None, "cem", {}) == ("cem", "primary")


def test_the_free_counselor_with_fewest_open_threads_then_the_fallback():
    assert choose_assignee(SETTINGS, None, None, {"anna": 1, "ben": 3}) == ("anna", "available")
    assert choose_assignee(SETTINGS, None, None, {"anna": 2, "ben": 3}) == ("ben", "available")
    only_anna = MailSettings(
        centre_id="c", availability={"anna": SETTINGS.availability["anna"]}, fallback_counselor_id="f"
    )
    assert choose_assignee(only_anna, None, None, {"anna": 2}) == ("f", "fallback")
    assert choose_assignee(MailSettings(centre_id="c"), None, None, {}) is None


def test_availability_needs_max_open_exactly_for_resources():
    with pytest.raises(ValueError):
        Availability(mode="resources")
    with pytest.raises(ValueError):
        Availability(mode="unlimited", max_open=3)


def test_take_over_follows_the_openness():
    mine = threads.Thread(id="t", centre_id="c", client_id="k", assignee_id="anna")
    released = threads.Thread(id="t", centre_id="c", client_id="k", assignee_id="anna", released=True)
    with pytest.raises(Forbidden):
        threads.take_over(mine, "ben", "released", admin=False)
    assert threads.take_over(released, "ben", "released", admin=False)[0].counselor_id == "ben"
    with pytest.raises(Forbidden):
        threads.take_over(released, "ben", "closed", admin=False)
    assert threads.take_over(released, "ben", "closed", admin=True)
    assert threads.take_over(mine, "ben", "open", admin=False)
    with pytest.raises(Conflict):
        threads.take_over(mine, "anna", "open", admin=False)
