"""The candidate rule (DESIGN.md §8) and its explanation, for one assistant and one order (pure).

A candidate offers every required activity, is available for every required weekly time range,
lives within both their own radius and the order's maximum distance, has every required trait,
and is active, verified (activated) and attached to a provider or self-employed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matching.domain.state import AssistantState, OrderState
from matching.domain.time import Span, covering, merged
from teilhabe_kit.geo import haversine_km


@dataclass(frozen=True)
class Evaluation:
    """The outcome for one pair: what matches and, when it does not, every reason why not."""

    distance_km: float | None
    activities: tuple[str, ...]
    covered: tuple[Span, ...]
    traits: tuple[str, ...]
    missing_activities: tuple[str, ...] = ()
    uncovered: tuple[Span, ...] = ()
    missing_traits: tuple[str, ...] = ()
    reasons: tuple[str, ...] = field(default=())

    @property
    def matches(self) -> bool:
        return not self.reasons


def evaluate(assistant: AssistantState, order: OrderState) -> Evaluation:
    """Check every part of the rule and collect the reasons that fail (codes, see `REASONS`)."""
    reasons: list[str] = []
    if not assistant.active:
        reasons.append("inactive")
    elif not assistant.attached:
        reasons.append("no_provider")
    missing_activities = tuple(sorted(order.activities - assistant.activities))
    if missing_activities:
        reasons.append("activities")
    available = merged(assistant.spans)
    covered: list[Span] = []
    uncovered: list[Span] = []
    for span in order.spans:
        (covered if covering(available, span) else uncovered).append(span)
    if uncovered:
        reasons.append("times")
    distance = None
    if assistant.lat is None or assistant.lon is None or not assistant.radius_km:
        reasons.append("no_place")
    else:
        distance = haversine_km(assistant.lat, assistant.lon, order.lat, order.lon)
        if distance > assistant.radius_km:
            reasons.append("assistant_radius")
        if distance > order.max_distance_km:
            reasons.append("order_distance")
    missing_traits = tuple(sorted(order.traits - assistant.traits))
    if missing_traits:
        reasons.append("traits")
    return Evaluation(
        distance_km=None if distance is None else round(distance, 2),
        activities=tuple(sorted(order.activities & assistant.activities)),
        covered=tuple(covered),
        traits=tuple(sorted(order.traits & assistant.traits)),
        missing_activities=missing_activities,
        uncovered=tuple(uncovered),
        missing_traits=missing_traits,
        reasons=tuple(reasons),
    )


REASONS = {
    "inactive": "Ihr Konto ist nicht freigeschaltet oder gesperrt.",
    "no_provider": "Sie sind keinem Dienst zugeordnet und nicht selbstständig.",
    "activities": "Sie bieten nicht alle gewünschten Tätigkeiten an.",
    "times": "Sie haben nicht zu allen gewünschten Zeiten Zeit.",
    "no_place": "Ihr Wohnort oder Ihr Umkreis fehlt.",
    "assistant_radius": "Der Auftrag liegt außerhalb Ihres Umkreises.",
    "order_distance": "Sie wohnen weiter weg, als die suchende Person es wünscht.",
    "traits": "Ihnen fehlen gewünschte Eigenschaften.",
}
"""Plain German text for each reason code (shown to assistants for free orders nearby)."""


def rank_score(evaluation: Evaluation, assistant: AssistantState, order: OrderState, workload: int) -> float:
    """Lower is better: near (half), little current work (30 %), order fits the offered time (20 %).

    Fit is the share of the assistant's availability on the order's weekdays that the order uses.
    """
    distance = (evaluation.distance_km or 0.0) / order.max_distance_km
    busy = min(workload, 5) / 5
    days = {s.weekday for s in order.spans}
    offered = sum(s.seconds for s in merged(assistant.spans) if s.weekday in days)
    needed = sum(s.seconds for s in order.spans)
    fit = needed / offered if offered else 0.0
    return round(0.5 * distance + 0.3 * busy + 0.2 * (1 - min(fit, 1.0)), 4)
