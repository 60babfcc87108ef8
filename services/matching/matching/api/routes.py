"""HTTP queries of matching under /api/v1/matching (role and ownership checked per endpoint)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request

from matching.api.models import (
    CandidateCount,
    DraftTerms,
    FreeOrder,
    FreeOrderList,
    Mismatch,
    OrderSummary,
    ProviderCandidate,
    ProviderCandidateList,
    RequestItem,
    RequestList,
)
from matching.app.matcher import ranked
from matching.domain.planning import explanation
from matching.domain.rules import REASONS, evaluate
from matching.domain.state import OrderState, order_from_terms
from matching.index import MatchIndex
from matching.readmodels import queries
from matching.readmodels.requests import open_requests_of_order
from matching.readmodels.store import order_from
from teilhabe_events.contexts.common import CoarsePlace
from teilhabe_kit.auth import Principal, Role, require_roles
from teilhabe_kit.problems import Conflict, Forbidden, NotFound

router = APIRouter(prefix="/api/v1/matching", tags=["matching"])

DRAFTERS = (Role.SEEKER, Role.GUARDIAN, Role.COORDINATOR, Role.ADMIN)


async def _index(request: Request) -> MatchIndex:
    index: MatchIndex = request.app.state.index
    if not index.loaded:
        await index.load(request.app.state.engine)
    return index


def _own(principal: Principal, assistant_id: str) -> None:
    if principal.account_id != assistant_id and not principal.has(Role.ADMIN):
        raise Forbidden("Sie können nur Ihre eigenen Anfragen und Aufträge sehen.")


def _summary(o: OrderState) -> OrderSummary:
    return OrderSummary(
        order_id=o.order_id,
        revision=o.revision,
        kind=o.kind,
        schedule=o.schedule,
        activities=sorted(o.activities),
        traits=sorted(o.traits),
        place=CoarsePlace(lat=o.lat, lon=o.lon),
        transport_needed=o.transport_needed,
    )


@router.post("/candidate-count", response_model=CandidateCount)
async def candidate_count(
    body: DraftTerms, request: Request, principal: Principal = Depends(require_roles(*DRAFTERS))
) -> CandidateCount:
    """How many assistants would match these draft terms now ("N Assistenzkräfte verfügbar")."""
    lat, lon = body.checked()
    terms = body.model_dump(mode="json", exclude={"postcode"}) | {"place": {"lat": lat, "lon": lon}}
    draft = order_from_terms("draft", 0, terms)
    return CandidateCount(count=(await _index(request)).assistants.count(draft))


@router.get("/assistants/{assistant_id}/requests", response_model=RequestList)
async def assistant_requests(
    assistant_id: str,
    request: Request,
    answered: bool | None = None,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0),
    principal: Principal = Depends(require_roles(Role.ASSISTANT, Role.ADMIN)),
) -> RequestList:
    """The assistant's open availability requests, newest first; filter answered / not answered."""
    _own(principal, assistant_id)
    async with request.app.state.engine.connect() as conn:
        total, rows = await queries.open_requests_page(conn, assistant_id, answered, limit, offset)
    items = [
        RequestItem(
            request_id=str(r.request_id),
            sent_at=r.sent_at,
            answered=r.answered,
            explanation=r.explanation,
            order=_summary(order_from(r)),
        )
        for r in rows
    ]
    return RequestList(items=items, total=total)


@router.get("/assistants/{assistant_id}/free-orders", response_model=FreeOrderList)
async def free_orders(
    assistant_id: str,
    request: Request,
    distance_km: float | None = Query(None, gt=0, le=200),
    kind: Literal["one_time", "recurring"] | None = None,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0),
    principal: Principal = Depends(require_roles(Role.ASSISTANT, Role.ADMIN)),
) -> FreeOrderList:
    """Open orders near the assistant that do not fully match them, nearest first, with the reasons."""
    _own(principal, assistant_id)
    index = await _index(request)
    assistant = index.assistants.states.get(assistant_id)
    if assistant is None:
        raise NotFound("Dieses Assistenz-Konto kennen wir nicht.")
    if assistant.lat is None or assistant.lon is None:
        raise Conflict("Bitte geben Sie zuerst Ihren Wohnort an.")
    radius = distance_km or assistant.radius_km or 25.0
    items = []
    for order_id, near in index.orders.free_near(assistant.lat, assistant.lon, radius, kind):
        order = index.orders.states[order_id]
        result = evaluate(assistant, order)
        if result.matches:
            continue
        items.append(
            FreeOrder(
                order=_summary(order),
                distance_km=round(near, 2) if result.distance_km is None else result.distance_km,  # None: no radius
                mismatches=[Mismatch(code=c, message=REASONS[c]) for c in result.reasons],
                missing_activities=list(result.missing_activities),
                missing_traits=list(result.missing_traits),
            )
        )
    return FreeOrderList(items=items[offset : offset + limit], total=len(items))


@router.get("/orders/{order_id}/candidates", response_model=ProviderCandidateList)
async def provider_candidates(
    order_id: str,
    request: Request,
    principal: Principal = Depends(require_roles(Role.COORDINATOR, Role.ADMIN)),
) -> ProviderCandidateList:
    """Candidates for an open order, best first: a coordinator sees only their provider's assistants."""
    index = await _index(request)
    order = index.orders.states.get(order_id)
    if order is None:
        raise NotFound("Diesen offenen Auftrag gibt es nicht.")
    if principal.has(Role.ADMIN):
        provider = None
    elif principal.organisation_id:
        provider = principal.organisation_id
    else:
        raise Forbidden("Sie gehören zu keinem Dienst.")
    own = [
        (rank, c)
        for rank, c in enumerate(ranked(index, order), start=1)
        if provider is None or c.assistant.provider_id == provider
    ]
    async with request.app.state.engine.connect() as conn:
        asked = {r.assistant_id for r in await open_requests_of_order(conn, order_id)}
        answered = await queries.answered_assistants(conn, order_id)
    items = [
        ProviderCandidate(
            assistant_id=c.assistant.assistant_id,
            rank=rank,
            score=c.score,
            requested=c.assistant.assistant_id in asked,
            answered=c.assistant.assistant_id in answered,
            explanation=explanation(c.evaluation, order),
        )
        for rank, c in own
    ]
    return ProviderCandidateList(order_id=order_id, revision=order.revision, items=items)
