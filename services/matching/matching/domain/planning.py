"""Whom to ask and which requests to close (pure): matching's decisions, without I/O.

A request asks one assistant about one revision of an order. When an order is (re)published, every
candidate not yet asked gets a request and every open request of an assistant who stopped matching
is closed; when an assistant changes, the same holds for the open orders they match. The caller
loads the open requests, stores the plan (`matching.readmodels.requests`) and emits the events of
the requests that were really new or really closed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from matching.domain.rules import Evaluation
from matching.domain.state import AssistantState, OrderState
from teilhabe_events.activities import Activity, Trait
from teilhabe_events.contexts.matching import (
    AvailabilityRequestClosed,
    AvailabilityRequestSent,
    CandidatesMatched,
    MatchExplanation,
    RequestCloseReason,
)

Trigger = Literal["order", "assistant"]
"""Whose change sent a request: the order's terms or the assistant's profile."""

REQUEST_NAMESPACE = uuid.UUID("5b0c8f8e-7a43-4d0e-9d8e-6f1f0b3c2a11")
MAX_IDS_IN_EVENT = 200


@dataclass(frozen=True)
class Candidate:
    """An assistant who matches an order, with the rule's explanation and rank (lower is better)."""

    assistant: AssistantState
    evaluation: Evaluation
    score: float


@dataclass(frozen=True)
class OpenRequest:
    request_id: uuid.UUID
    order_id: str
    assistant_id: str


@dataclass(frozen=True)
class Plan:
    """Requests to send (their events) and open requests to close (their ids)."""

    send: list[AvailabilityRequestSent]
    close: list[uuid.UUID]


def request_id(order_id: str, revision: int, assistant_id: str) -> uuid.UUID:
    """The same for the same order revision and assistant, so nobody is asked twice for one revision."""
    return uuid.uuid5(REQUEST_NAMESPACE, f"{order_id}/{revision}/{assistant_id}")


def explanation(evaluation: Evaluation, order: OrderState) -> MatchExplanation:
    return MatchExplanation(
        activities=[Activity(a) for a in sorted(order.activities)],
        covered_ranges=[s.to_range() for s in evaluation.covered],
        distance_km=evaluation.distance_km or 0.0,
        traits=[Trait(t) for t in sorted(order.traits)],
    )


def request(order: OrderState, candidate: Candidate, trigger: Trigger) -> AvailabilityRequestSent:
    """The request that asks `candidate` about this revision of `order`."""
    assistant = candidate.assistant
    return AvailabilityRequestSent(
        request_id=str(request_id(order.order_id, order.revision, assistant.assistant_id)),
        order_id=order.order_id,
        revision=order.revision,
        assistant_id=assistant.assistant_id,
        organisation_id=assistant.provider_id,
        trigger=trigger,
        explanation=explanation(candidate.evaluation, order),
    )


def plan_for_order(order: OrderState, candidates: Sequence[Candidate], open_requests: Iterable[OpenRequest]) -> Plan:
    """The order was (re)published: ask the candidates not yet asked, close the requests of those
    who are no candidate any more (`candidates` best first; the requests keep that order)."""
    open_requests = list(open_requests)
    asked = {r.assistant_id for r in open_requests}
    wanted = {c.assistant.assistant_id for c in candidates}
    return Plan(
        send=[request(order, c, "order") for c in candidates if c.assistant.assistant_id not in asked],
        close=[r.request_id for r in open_requests if r.assistant_id not in wanted],
    )


def plan_for_assistant(
    matching: Mapping[str, tuple[OrderState, Candidate]], open_requests: Iterable[OpenRequest]
) -> Plan:
    """The assistant changed: ask about the open orders they now match (`matching` by order id) and
    were not asked about, close their requests for orders they no longer match."""
    open_requests = list(open_requests)
    asked = {r.order_id for r in open_requests}
    return Plan(
        send=[request(order, c, "assistant") for order_id, (order, c) in matching.items() if order_id not in asked],
        close=[r.request_id for r in open_requests if r.order_id not in matching],
    )


def matched(order: OrderState, candidates: Sequence[Candidate], new_requests: int) -> CandidatesMatched:
    """What a publication of the order found (the best `MAX_IDS_IN_EVENT` candidates by id)."""
    return CandidatesMatched(
        order_id=order.order_id,
        revision=order.revision,
        candidate_count=len(candidates),
        candidate_ids=[c.assistant.assistant_id for c in candidates[:MAX_IDS_IN_EVENT]],
        new_request_count=new_requests,
    )


def closed(requests: Iterable[OpenRequest], reason: RequestCloseReason) -> list[AvailabilityRequestClosed]:
    """The events of requests that were really closed, by order and assistant."""
    return [
        AvailabilityRequestClosed(
            request_id=str(r.request_id), order_id=r.order_id, assistant_id=r.assistant_id, reason=reason
        )
        for r in sorted(requests, key=lambda r: (r.order_id, r.assistant_id))
    ]
