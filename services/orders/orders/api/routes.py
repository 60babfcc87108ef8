"""HTTP API of orders under /api/v1/orders (roles and ownership checked per endpoint).

Changing endpoints accept `If-Match: <version>` (the `version` of the order as read): a stale
version, or a concurrent change, is answered with 409. Creating POSTs accept `Idempotency-Key`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy.ext.asyncio import AsyncConnection

from orders.api.models import (
    Created,
    OfferCreated,
    OfferIn,
    OfferListItem,
    OfferOut,
    OrderDetail,
    OrderIn,
    OrderOut,
    Page,
    ProposalIn,
    TermsIn,
)
from orders.app import orders as use
from orders.app.streams import Tx
from orders.domain.state import OfferStatus, OrderStatus
from orders.readmodels import queries
from teilhabe_kit import idempotency, sealing
from teilhabe_kit.api import Caller, engine, problems
from teilhabe_kit.auth import Principal, Role
from teilhabe_kit.idempotency import IdempotencyKey
from teilhabe_kit.if_match import IfMatch
from teilhabe_kit.localtime import today as _today
from teilhabe_kit.problems import Forbidden, NotFound

router = APIRouter(prefix="/api/v1/orders", tags=["orders"])
PROBLEMS = problems(not_found="no such order, or not visible to the caller")


PageNo = Annotated[int, Query(ge=1)]
PageSize = Annotated[int, Query(ge=1, le=100)]


def _order_out(row) -> dict:
    terms = row.terms
    return {
        "order_id": row.order_id,
        "seeker_id": row.seeker_id,
        "created_by": row.created_by,
        "status": row.status,
        "kind": row.kind,
        "revision": row.revision,
        "version": row.version,
        "schedule": terms["schedule"],
        "activities": terms["activities"],
        "traits": terms["traits"],
        "postcode": terms["postcode"],
        "place": terms["place"],
        "max_distance_km": terms["max_distance_km"],
        "transport_needed": terms["transport_needed"],
        "open_offers": row.open_offers,
        "awarded_offer_id": row.awarded_offer_id,
        "contract_id": row.contract_id,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def _offer_out(row) -> dict:
    return {k: getattr(row, k) for k in OfferOut.model_fields} | (
        {"order_status": row.order_status} if hasattr(row, "order_status") else {}
    )


async def detail(conn: AsyncConnection, principal: Principal, order_id: str) -> OrderDetail:
    """The order as the caller may see it (full for those who manage it, the market view else)."""
    row = await queries.order_row(conn, order_id)
    if row is None or row.deleted:
        raise NotFound("Diesen Auftrag gibt es nicht.")
    if use.manages(principal, row.seeker_id, row.created_by):
        offers = await queries.offers_of(conn, order_id)
    elif row.status in use.MARKET and await use.in_market(conn, principal):
        offers = await queries.offers_of(
            conn,
            order_id,
            assistant_id=principal.account_id if principal.has(Role.ASSISTANT) else None,
            organisation_id=principal.organisation_id if principal.has(Role.COORDINATOR) else None,
        )
    else:
        raise NotFound("Diesen Auftrag gibt es nicht.")
    description = await sealing.unseal(conn, row.seeker_id, row.description)
    return OrderDetail.model_validate(
        _order_out(row) | {"description": description, "offers": [_offer_out(o) for o in offers]}
    )


def _tx(request: Request, conn: AsyncConnection) -> Tx:
    return Tx(conn, request.app.state.settings.orders_topic)


async def _answer(request: Request, principal: Principal, order_id: str, change) -> OrderDetail:
    """Run `change(tx)` and answer with the order as the caller now sees it (same transaction)."""
    async with engine(request).begin() as conn:
        await change(_tx(request, conn))
        return await detail(conn, principal, order_id)


@router.post(
    "/orders",
    status_code=201,
    response_model=Created,
    responses=PROBLEMS,
    summary="Draft an order (seeker; guardian or coordinator for a seeker)",
)
async def create_order(request: Request, body: OrderIn, principal: Caller, key: IdempotencyKey = None):
    seeker_id = use.seeker_for(principal, body.seeker_id)

    async def create(conn: AsyncConnection) -> dict:
        tx = _tx(request, conn)
        order_id, version = await use.create(tx, principal, seeker_id, await _details(tx, seeker_id, body))
        return Created(order_id=order_id, status=OrderStatus.DRAFT, version=version).model_dump(mode="json")

    return await idempotency.once(engine(request), f"orders.create:{principal.account_id}", key, body, create)


async def _details(tx: Tx, seeker_id: str, body: TermsIn):
    return await use.details_of(
        tx,
        seeker_id,
        schedule=body.schedule,
        activities=body.activities,
        traits=body.traits,
        postcode=body.postcode,
        max_distance_km=body.max_distance_km,
        transport_needed=body.transport_needed,
        description=body.description,
        today=_today(),
    )


@router.get(
    "/orders",
    response_model=Page[OrderOut],
    responses=PROBLEMS,
    summary="A seeker's orders (seeker/guardian), or those a coordinator drafted",
)
async def list_orders(
    request: Request,
    principal: Caller,
    seeker_id: str | None = None,
    status: Annotated[list[OrderStatus] | None, Query()] = None,
    page: PageNo = 1,
    page_size: PageSize = 20,
):
    created_by = None
    if principal.has(Role.SEEKER, Role.GUARDIAN):
        seeker_id = seeker_id or principal.account_id
        if not principal.may_act_for(seeker_id):
            raise Forbidden("Sie dürfen nur Ihre eigenen Aufträge sehen.")
    elif principal.has(Role.COORDINATOR):
        created_by = principal.account_id
    else:
        raise Forbidden("Aufträge sehen nur Suchende, ihre Betreuung und die Koordination.")
    async with engine(request).connect() as conn:
        rows, total = await queries.orders_of(
            conn,
            seeker_id=seeker_id,
            created_by=created_by,
            statuses=[s.value for s in status or []],
            page=page,
            page_size=page_size,
        )
    return {"items": [_order_out(r) for r in rows], "total": total, "page": page, "page_size": page_size}


@router.get(
    "/orders/{order_id}",
    response_model=OrderDetail,
    responses=PROBLEMS,
    summary="One order: full for its seeker, market view for active assistants and coordinators",
)
async def get_order(request: Request, order_id: str, principal: Caller):
    async with engine(request).connect() as conn:
        return await detail(conn, principal, order_id)


@router.put(
    "/orders/{order_id}",
    response_model=OrderDetail,
    responses=PROBLEMS,
    summary="Change the terms (a published order is republished with the next revision)",
)
async def edit_order(request: Request, order_id: str, body: TermsIn, principal: Caller, if_match: IfMatch):
    async def change(tx: Tx):
        await use.edit(tx, principal, order_id, lambda seeker_id: _details(tx, seeker_id, body), if_match)

    return await _answer(request, principal, order_id, change)


@router.post(
    "/orders/{order_id}/publish",
    response_model=OrderDetail,
    responses=PROBLEMS,
    summary="Release a draft: matching starts looking for assistants",
)
async def publish_order(request: Request, order_id: str, principal: Caller, if_match: IfMatch):
    return await _answer(
        request, principal, order_id, lambda tx: use.publish(tx, principal, order_id, if_match, _today())
    )


@router.post(
    "/orders/{order_id}/withdraw",
    response_model=OrderDetail,
    responses=PROBLEMS,
    summary="Withdraw the order (kept in the history); an award ends",
)
async def withdraw_order(request: Request, order_id: str, principal: Caller, if_match: IfMatch):
    return await _answer(
        request, principal, order_id, lambda tx: use.withdraw(tx, principal, order_id, if_match, delete=False)
    )


@router.delete(
    "/orders/{order_id}",
    status_code=204,
    responses=PROBLEMS,
    summary="Delete the order (gone from lists); an award ends",
)
async def delete_order(request: Request, order_id: str, principal: Caller, if_match: IfMatch):
    async with engine(request).begin() as conn:
        await use.withdraw(_tx(request, conn), principal, order_id, if_match, delete=True)


@router.post(
    "/orders/{order_id}/offers",
    status_code=201,
    response_model=OfferCreated,
    responses=PROBLEMS,
    summary="Offer to take the order (active assistant; coordinator for their provider)",
)
async def submit_offer(
    request: Request, order_id: str, principal: Caller, body: OfferIn | None = None, key: IdempotencyKey = None
):
    offer = body or OfferIn()

    async def create(conn: AsyncConnection) -> dict:
        offer_id = await use.submit_offer(
            _tx(request, conn), principal, order_id, kind=offer.kind, from_request=offer.from_request
        )
        return OfferCreated(offer_id=offer_id, order_id=order_id, status=OfferStatus.SUBMITTED).model_dump(mode="json")

    scope = f"orders.offer:{principal.account_id}:{order_id}"
    return await idempotency.once(engine(request), scope, key, offer, create)


def _seeker_action(action: str, summary: str):
    async def endpoint(request: Request, order_id: str, offer_id: str, principal: Caller, if_match: IfMatch):
        return await _answer(
            request,
            principal,
            order_id,
            lambda tx: use.decide_on_offer(tx, principal, order_id, offer_id, action, if_match),
        )

    router.add_api_route(
        f"/orders/{{order_id}}/offers/{{offer_id}}/{action}",
        endpoint,
        methods=["POST"],
        response_model=OrderDetail,
        responses=PROBLEMS,
        summary=summary,
        name=f"offer_{action.replace('-', '_')}",
    )


_seeker_action("accept", "Award the order to the offer's assistant (seeker/guardian): OfferAccepted")
_seeker_action("provider-request", "Ask the provider of a provider offer to propose an assistant (seeker/guardian)")
_seeker_action("decline", "Decline an offer (seeker/guardian)")


@router.post(
    "/orders/{order_id}/offers/{offer_id}/proposal",
    response_model=OrderDetail,
    responses=PROBLEMS,
    summary="Propose one of the provider's assistants for a requested provider offer (coordinator)",
)
async def propose(request: Request, order_id: str, offer_id: str, body: ProposalIn, principal: Caller):
    return await _answer(
        request, principal, order_id, lambda tx: use.propose(tx, principal, order_id, offer_id, body.assistant_id)
    )


@router.post(
    "/orders/{order_id}/offers/{offer_id}/withdraw",
    response_model=OfferOut,
    responses=PROBLEMS,
    summary="Withdraw one's own offer (its assistant; the coordinator for a provider offer)",
)
async def withdraw_offer(request: Request, order_id: str, offer_id: str, principal: Caller):
    async with engine(request).begin() as conn:
        await use.withdraw_offer(_tx(request, conn), principal, order_id, offer_id)
        return _offer_out(await queries.offer_row(conn, offer_id))


@router.get(
    "/offers/mine",
    response_model=Page[OfferListItem],
    responses=PROBLEMS,
    summary="The caller's own offers (assistant)",
)
async def my_offers(
    request: Request,
    principal: Caller,
    status: Annotated[list[OfferStatus] | None, Query()] = None,
    page: PageNo = 1,
    page_size: PageSize = 20,
):
    if not principal.has(Role.ASSISTANT):
        raise Forbidden("Diese Liste gibt es nur für Assistenzkräfte.")
    async with engine(request).connect() as conn:
        rows, total = await queries.offers_list(
            conn,
            assistant_id=principal.account_id,
            statuses=[s.value for s in status or []],
            page=page,
            page_size=page_size,
        )
    return {"items": [_offer_out(r) for r in rows], "total": total, "page": page, "page_size": page_size}


@router.get(
    "/organisations/{organisation_id}/offers",
    response_model=Page[OfferListItem],
    responses=PROBLEMS,
    summary="Offers of a provider and its assistants (that provider's coordinator)",
)
async def provider_offers(
    request: Request,
    organisation_id: str,
    principal: Caller,
    status: Annotated[list[OfferStatus] | None, Query()] = None,
    page: PageNo = 1,
    page_size: PageSize = 20,
):
    if not principal.has(Role.COORDINATOR):
        raise Forbidden("Diese Liste gibt es nur für die Koordination eines Dienstes.")
    if principal.organisation_id != organisation_id:
        raise NotFound("Diesen Dienst gibt es nicht.")
    async with engine(request).connect() as conn:
        rows, total = await queries.offers_list(
            conn,
            organisation_id=organisation_id,
            statuses=[s.value for s in status or []],
            page=page,
            page_size=page_size,
        )
    return {"items": [_offer_out(r) for r in rows], "total": total, "page": page, "page_size": page_size}
