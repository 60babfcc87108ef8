"""Order lifecycle and offer rules as given events / when decision / then events (or refusal)."""

from __future__ import annotations

from datetime import date, time

import pytest

from orders.domain import decide
from orders.domain.decide import Assistant
from orders.domain.events import OrderDetailsSet
from orders.domain.state import OfferStatus, OrderStatus, evolve
from orders.domain.terms import ScheduleIn, schedule_of
from teilhabe_events.contexts.common import CoarsePlace, WeeklyRange
from teilhabe_events.contexts.orders import (
    AssistantProposed,
    AwardEnded,
    OfferAccepted,
    OfferDeclined,
    OfferKind,
    OfferSubmitted,
    OfferWithdrawn,
    OneTimeSchedule,
    OrderChanged,
    OrderDrafted,
    OrderFulfilled,
    OrderPublished,
    OrderWithdrawn,
    ProviderRequestSent,
)
from teilhabe_kit.problems import Conflict, Unprocessable

TODAY = date(2026, 11, 22)
SEEKER, ORG = "seeker-1", "org-1"
ANNA = Assistant("anna", active=True, organisation_id=ORG)
BEN = Assistant("ben", active=True, organisation_id=None)
INACTIVE = Assistant("carl", active=False, organisation_id=ORG)
OTHER_ORG = Assistant("dora", active=True, organisation_id="org-2")


def details(**changes) -> OrderDetailsSet:
    base = dict(
        schedule=OneTimeSchedule(date=date(2026, 12, 1), start=time(9), end=time(11)),
        activities=["shopping"],
        postcode="30159",
        place=CoarsePlace(lat=52.37, lon=9.74),
        max_distance_km=10,
    )
    return OrderDetailsSet(**(base | changes))


def terms(revision: int):
    d = details()
    return dict(
        seeker_id=SEEKER,
        revision=revision,
        schedule=d.schedule,
        activities=d.activities,
        traits=[],
        place=d.place,
        max_distance_km=10,
        transport_needed=False,
    )


DRAFTED = [OrderDrafted(seeker_id=SEEKER, created_by=SEEKER), details()]
PUBLISHED = [*DRAFTED, OrderPublished(**terms(1))]
ANNA_OFFER = OfferSubmitted(
    offer_id="o1",
    seeker_id=SEEKER,
    kind=OfferKind.ASSISTANT,
    assistant_id="anna",
    organisation_id=ORG,
    submitted_by="anna",
    from_request=True,
)
PROVIDER_OFFER = OfferSubmitted(
    offer_id="p1",
    seeker_id=SEEKER,
    kind=OfferKind.PROVIDER,
    organisation_id=ORG,
    submitted_by="coord",
    from_request=False,
)
REQUESTED = ProviderRequestSent(offer_id="p1", seeker_id=SEEKER, organisation_id=ORG)
PROPOSED = AssistantProposed(
    offer_id="p1", seeker_id=SEEKER, organisation_id=ORG, assistant_id="anna", proposed_by="coord"
)
AWARDED = [
    *PUBLISHED,
    ANNA_OFFER,
    OfferAccepted(offer_id="o1", seeker_id=SEEKER, assistant_id="anna", provider_id=ORG),
]


def fold(events):
    state = None
    for event in events:
        state = evolve(state, event, order_id="order-1")
    return state


def offer(**kw):
    return lambda s: decide.submit_offer(
        s,
        offer_id="o2",
        submitted_by=kw.get("by", "x"),
        from_request=False,
        **{k: v for k, v in kw.items() if k != "by"},
    )


LIFECYCLE = [
    ("a draft is published as revision 1", DRAFTED, lambda s: decide.publish(s, TODAY), [OrderPublished]),
    ("publishing twice changes nothing", PUBLISHED, lambda s: decide.publish(s, TODAY), []),
    (
        "a draft whose day passed is not published",
        DRAFTED,
        lambda s: decide.publish(s, date(2026, 12, 2)),
        Unprocessable,
    ),
    (
        "editing a draft sets details only",
        DRAFTED,
        lambda s: decide.edit(s, details(max_distance_km=20)),
        [OrderDetailsSet],
    ),
    (
        "editing a published order republishes it",
        PUBLISHED,
        lambda s: decide.edit(s, details(max_distance_km=20)),
        [OrderDetailsSet, OrderChanged],
    ),
    ("an unchanged edit changes nothing", PUBLISHED, lambda s: decide.edit(s, details()), []),
    (
        "a new description alone is not republished",
        PUBLISHED,
        lambda s: decide.edit(s, details(description="sealed:v1:other")),
        [OrderDetailsSet],
    ),
    ("an awarded order is not edited", AWARDED, lambda s: decide.edit(s, details(max_distance_km=20)), Conflict),
    ("a draft is withdrawn", DRAFTED, lambda s: decide.withdraw(s, delete=False), [OrderWithdrawn]),
    (
        "deleting an awarded order ends the award",
        AWARDED,
        lambda s: decide.withdraw(s, delete=True),
        [AwardEnded, OrderWithdrawn],
    ),
    (
        "a fulfilled order is not withdrawn",
        [*AWARDED, OrderFulfilled(seeker_id=SEEKER, contract_id="c1")],
        lambda s: decide.withdraw(s, delete=False),
        Conflict,
    ),
    (
        "a withdrawn order may still be deleted",
        [*PUBLISHED, OrderWithdrawn(seeker_id=SEEKER)],
        lambda s: decide.withdraw(s, delete=True),
        [OrderWithdrawn],
    ),
    (
        "a withdrawn order is not published again",
        [*DRAFTED, OrderWithdrawn(seeker_id=SEEKER)],
        lambda s: decide.publish(s, TODAY),
        Conflict,
    ),
    (
        "a ratified contract fulfils the awarded order",
        AWARDED,
        lambda s: decide.fulfil(s, offer_id="o1", contract_id="c1"),
        [OrderFulfilled],
    ),
    (
        "a ratification for another offer changes nothing",
        AWARDED,
        lambda s: decide.fulfil(s, offer_id="o9", contract_id="c1"),
        [],
    ),
    (
        "declined after the meeting ends the award",
        AWARDED,
        lambda s: decide.end_award(s, "o1", "declined_after_meeting"),
        [AwardEnded],
    ),
    (
        "ending an award twice changes nothing",
        [*AWARDED, AwardEnded(offer_id="o1", seeker_id=SEEKER, reason="declined_after_meeting")],
        lambda s: decide.end_award(s, "o1", "declined_after_meeting"),
        [],
    ),
]

OFFERS = [
    ("an active assistant offers on a published order", PUBLISHED, offer(assistant=ANNA), [OfferSubmitted]),
    ("an inactive assistant may not offer", PUBLISHED, offer(assistant=INACTIVE), Conflict),
    ("nobody offers on a draft", DRAFTED, offer(assistant=ANNA), Conflict),
    ("nobody offers on an awarded order", AWARDED, offer(assistant=BEN), Conflict),
    ("an assistant offers once per order", [*PUBLISHED, ANNA_OFFER], offer(assistant=ANNA), Conflict),
    (
        "after withdrawing, an assistant may offer again",
        [*PUBLISHED, ANNA_OFFER, OfferWithdrawn(offer_id="o1", seeker_id=SEEKER)],
        offer(assistant=ANNA),
        [OfferSubmitted],
    ),
    ("a provider offers once per order", [*PUBLISHED, PROVIDER_OFFER], offer(organisation_id=ORG), Conflict),
    (
        "the seeker awards an assistant's offer",
        [*PUBLISHED, ANNA_OFFER],
        lambda s: decide.accept_offer(s, "o1", assistant=ANNA),
        [OfferAccepted],
    ),
    (
        "an assistant no longer active is not awarded",
        [*PUBLISHED, ANNA_OFFER],
        lambda s: decide.accept_offer(s, "o1", assistant=Assistant("anna", active=False)),
        Conflict,
    ),
    (
        "a provider offer is not awarded before a proposal",
        [*PUBLISHED, PROVIDER_OFFER, REQUESTED],
        lambda s: decide.accept_offer(s, "p1", assistant=ANNA),
        Conflict,
    ),
    (
        "a request already sent changes nothing",
        [*PUBLISHED, PROVIDER_OFFER, REQUESTED],
        lambda s: decide.request_provider(s, "p1"),
        [],
    ),
    (
        "on a provider offer the seeker sends a request",
        [*PUBLISHED, PROVIDER_OFFER],
        lambda s: decide.request_provider(s, "p1"),
        [ProviderRequestSent],
    ),
    (
        "a request goes only to providers",
        [*PUBLISHED, ANNA_OFFER],
        lambda s: decide.request_provider(s, "o1"),
        Conflict,
    ),
    (
        "the coordinator proposes one of the provider's assistants",
        [*PUBLISHED, PROVIDER_OFFER, REQUESTED],
        lambda s: decide.propose_assistant(s, "p1", assistant=ANNA, proposed_by="coord"),
        [AssistantProposed],
    ),
    (
        "no proposal before the seeker's request",
        [*PUBLISHED, PROVIDER_OFFER],
        lambda s: decide.propose_assistant(s, "p1", assistant=ANNA, proposed_by="coord"),
        Conflict,
    ),
    (
        "another provider's assistant is not proposed",
        [*PUBLISHED, PROVIDER_OFFER, REQUESTED],
        lambda s: decide.propose_assistant(s, "p1", assistant=OTHER_ORG, proposed_by="coord"),
        Unprocessable,
    ),
    (
        "an inactive assistant is not proposed",
        [*PUBLISHED, PROVIDER_OFFER, REQUESTED],
        lambda s: decide.propose_assistant(s, "p1", assistant=INACTIVE, proposed_by="coord"),
        Conflict,
    ),
    (
        "the proposed assistant is awarded",
        [*PUBLISHED, PROVIDER_OFFER, REQUESTED, PROPOSED],
        lambda s: decide.accept_offer(s, "p1", assistant=ANNA),
        [OfferAccepted],
    ),
    (
        "a second award is refused",
        [
            *AWARDED,
            OfferSubmitted(
                offer_id="o2",
                seeker_id=SEEKER,
                kind=OfferKind.ASSISTANT,
                assistant_id="ben",
                submitted_by="ben",
                from_request=False,
            ),
        ],
        lambda s: decide.accept_offer(s, "o2", assistant=BEN),
        Conflict,
    ),
    (
        "the seeker declines an offer",
        [*PUBLISHED, ANNA_OFFER],
        lambda s: decide.decline_offer(s, "o1"),
        [OfferDeclined],
    ),
    (
        "a declined offer is not awarded",
        [*PUBLISHED, ANNA_OFFER, OfferDeclined(offer_id="o1", seeker_id=SEEKER)],
        lambda s: decide.accept_offer(s, "o1", assistant=ANNA),
        Conflict,
    ),
    (
        "the assistant withdraws an offer",
        [*PUBLISHED, ANNA_OFFER],
        lambda s: decide.withdraw_offer(s, "o1"),
        [OfferWithdrawn],
    ),
    ("an accepted offer is not withdrawn", AWARDED, lambda s: decide.withdraw_offer(s, "o1"), Conflict),
    ("an unknown offer is refused", PUBLISHED, lambda s: decide.decline_offer(s, "nope"), Unprocessable),
    (
        "after an award ended the order takes offers again",
        [*AWARDED, AwardEnded(offer_id="o1", seeker_id=SEEKER, reason="declined_after_meeting")],
        offer(assistant=BEN),
        [OfferSubmitted],
    ),
]


@pytest.mark.parametrize(
    ("given", "when", "then"), [c[1:] for c in LIFECYCLE + OFFERS], ids=[c[0] for c in LIFECYCLE + OFFERS]
)
def test_decision(given, when, then):
    state = fold(given)
    if isinstance(then, type) and issubclass(then, Exception):
        with pytest.raises(then):
            when(state)
    else:
        assert [type(e) for e in when(state)] == then


def test_award_carries_the_assistants_provider_and_moves_the_order():
    state = fold([*PUBLISHED, ANNA_OFFER])
    [accepted] = decide.accept_offer(state, "o1", assistant=ANNA)
    assert (accepted.assistant_id, accepted.provider_id) == ("anna", ORG)
    after = evolve(state, accepted, order_id="order-1")
    assert after.status == OrderStatus.AWARDED and after.offers["o1"].status == OfferStatus.ACCEPTED


def test_proposal_award_names_the_provider_of_the_offer():
    state = fold([*PUBLISHED, PROVIDER_OFFER, REQUESTED, PROPOSED])
    [accepted] = decide.accept_offer(state, "p1", assistant=ANNA)
    assert (accepted.offer_id, accepted.assistant_id, accepted.provider_id) == ("p1", "anna", ORG)


def test_republication_counts_revisions_and_carries_the_new_terms():
    state = fold([*PUBLISHED, details(max_distance_km=20), OrderChanged(**terms(2) | {"max_distance_km": 20})])
    _, changed = decide.edit(state, details(max_distance_km=30))
    assert (changed.revision, changed.max_distance_km) == (3, 30)


def test_ended_award_reopens_the_order():
    state = fold([*AWARDED, AwardEnded(offer_id="o1", seeker_id=SEEKER, reason="declined_after_meeting")])
    assert state.status == OrderStatus.PUBLISHED and state.offers["o1"].status == OfferStatus.ENDED


def one_time(**kw):
    return ScheduleIn(kind="one_time", **({"date": date(2026, 12, 1), "start": time(9), "end": time(11)} | kw))


def recurring(**kw):
    base = {
        "start_date": date(2026, 12, 1),
        "interval": "weekly",
        "appointments_per_interval": 1,
        "ranges": [WeeklyRange(weekday=0, start=time(9), end=time(11))],
    }
    return ScheduleIn(kind="recurring", **(base | kw))


SCHEDULES = [
    ("end before start", one_time(start=time(11), end=time(9)), "schedule.end"),
    ("past date", one_time(date=date(2026, 11, 21)), "schedule.date"),
    ("one-time without date", one_time(date=None), "schedule.date"),
    ("interval without count", recurring(appointments_per_interval=None), "schedule.appointments_per_interval"),
    ("recurring without interval", recurring(interval=None), "schedule.interval"),
    ("recurring without ranges", recurring(ranges=[]), "schedule.ranges"),
    (
        "overlapping ranges",
        recurring(
            ranges=[
                WeeklyRange(weekday=0, start=time(9), end=time(11)),
                WeeklyRange(weekday=0, start=time(10), end=time(12)),
            ]
        ),
        "schedule.ranges",
    ),
    ("recurring starting in the past", recurring(start_date=date(2026, 1, 1)), "schedule.start_date"),
    ("end date before start", recurring(end_date=date(2026, 11, 30)), "schedule.end_date"),
]


@pytest.mark.parametrize(("given", "field"), [c[1:] for c in SCHEDULES], ids=[c[0] for c in SCHEDULES])
def test_bad_schedule_names_the_field(given, field):
    with pytest.raises(Unprocessable) as refused:
        schedule_of(given, TODAY)
    assert refused.value.field == field


def test_good_schedules_become_the_contract_types():
    assert schedule_of(one_time(), TODAY).kind == "one_time"
    assert schedule_of(recurring(end_date=date(2027, 6, 30)), TODAY).interval == "weekly"
