"""Use cases of matching: on an order's terms or an assistant's change, plan which requests to
send or close (`matching.domain.planning`, pure) and record them (requests table + outbox) in the
consumer's transaction.

Idempotent under redelivery: a request's id is derived from (order, revision, assistant) and the
table allows one row per triple, so the same assistant is never asked twice for one revision.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.ext.asyncio import AsyncConnection

from matching.domain.planning import Candidate, matched, plan_for_assistant, plan_for_order
from matching.domain.planning import closed as closed_events
from matching.domain.rules import evaluate, rank_score
from matching.domain.state import AssistantState, OrderState
from matching.index import MatchIndex
from matching.readmodels import store
from matching.readmodels.requests import (
    close_requests,
    insert_requests,
    open_requests_of_assistant,
    open_requests_of_order,
)
from teilhabe_events import DomainEvent, EventEnvelope
from teilhabe_events.contexts.matching import AvailabilityRequestClosed, RequestCloseReason
from teilhabe_kit import streams


def ranked(index: MatchIndex, order: OrderState) -> list[Candidate]:
    """The candidates for `order` among all assistants in the index, best first, each explained."""
    assistants = index.assistants
    out = []
    for assistant_id in assistants.candidates(order):
        assistant = assistants.states[assistant_id]
        evaluation = evaluate(assistant, order)
        if evaluation.matches:
            work = assistants.workload.get(assistant_id, 0)
            out.append(Candidate(assistant, evaluation, rank_score(evaluation, assistant, order, work)))
    out.sort(key=lambda c: (c.score, c.assistant.assistant_id))
    return out


def matching_orders(index: MatchIndex, assistant: AssistantState) -> dict[str, tuple[OrderState, Candidate]]:
    """The open orders in the index that `assistant` matches, by id, each with the assistant as candidate."""
    orders = index.orders.states
    work = index.assistants.workload.get(assistant.assistant_id, 0)
    out = {}
    for order_id in index.orders.candidates_for(assistant):
        order = orders[order_id]
        evaluation = evaluate(assistant, order)
        if evaluation.matches:
            out[order_id] = (order, Candidate(assistant, evaluation, rank_score(evaluation, assistant, order, work)))
    return out


class Matcher:
    def __init__(self, index: MatchIndex, topic: str) -> None:
        self.index = index
        self.topic = topic

    async def order_terms(self, conn: AsyncConnection, order: OrderState, *, known: bool) -> list[DomainEvent]:
        """An order was (re)published: request new candidates, close requests that stopped matching.

        Returns the events for the order's stream (the caller records them with the order's row);
        `known` False (a first publication) means there are no requests yet.
        """
        candidates = ranked(self.index, order)
        plan = plan_for_order(order, candidates, await open_requests_of_order(conn, order.order_id) if known else [])
        sent = await insert_requests(conn, plan.send)
        closed = await self._close(conn, plan.close, RequestCloseReason.NO_LONGER_MATCHING)
        return [matched(order, candidates, len(sent)), *sent, *closed]

    async def assistant_changed(
        self, conn: AsyncConnection, assistant_id: str, assistant: AssistantState | None, cause: EventEnvelope
    ) -> None:
        """An assistant changed: request the open orders they now match, close the rest."""
        matches = matching_orders(self.index, assistant) if assistant is not None else {}
        plan = plan_for_assistant(matches, await open_requests_of_assistant(conn, assistant_id))
        events: dict[str, list[DomainEvent]] = defaultdict(list)
        for event in await self._close(conn, plan.close, RequestCloseReason.NO_LONGER_MATCHING):
            events[event.order_id].append(event)
        for sent in await insert_requests(conn, plan.send):
            events[sent.order_id].append(sent)
        for order_id, order_events in events.items():
            if order_events:
                first = await store.reserve_versions(conn, order_id, len(order_events))
                await streams.publish(
                    conn,
                    self.topic,
                    order_id,
                    first,
                    order_events,
                    correlation_id=cause.correlation_id,
                    causation_id=cause.event_id,
                )

    async def order_closed(
        self, conn: AsyncConnection, order_id: str, reason: RequestCloseReason
    ) -> list[AvailabilityRequestClosed]:
        """The order was withdrawn, awarded or fulfilled: every open request is closed (events returned)."""
        return await self._close(conn, [r.request_id for r in await open_requests_of_order(conn, order_id)], reason)

    async def _close(
        self, conn: AsyncConnection, request_ids, reason: RequestCloseReason
    ) -> list[AvailabilityRequestClosed]:
        return closed_events(await close_requests(conn, request_ids, reason), reason)
