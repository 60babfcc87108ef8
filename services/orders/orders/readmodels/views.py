"""Writing the orders and offers views from an order's folded state."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from orders.domain.state import OPEN_OFFER, Order
from orders.readmodels.tables import offers_view, orders_view


def _terms(state: Order) -> dict | None:
    if state.details is None:
        return None
    return state.details.model_dump(mode="json", exclude={"description"})


def order_row(state: Order, version: int, at: datetime) -> dict:
    """The order's view row as of stream `version` (changed at `at`), without `created_at`."""
    return {
        "order_id": state.order_id,
        "seeker_id": state.seeker_id,
        "created_by": state.created_by,
        "status": state.status.value,
        "deleted": state.deleted,
        "kind": state.details.schedule.kind if state.details else None,
        "revision": state.revision,
        "terms": _terms(state),
        "description": state.details.description if state.details else None,
        "version": version,
        "open_offers": sum(1 for o in state.offers.values() if o.status in OPEN_OFFER),
        "awarded_offer_id": state.awarded_offer_id,
        "contract_id": state.contract_id,
        "updated_at": at,
    }


def offer_rows(state: Order, at: datetime, offer_ids: Iterable[str]) -> list[tuple[dict, dict]]:
    """Each touched offer's view row to insert (with `created_at`) and the part a later change updates."""
    rows = []
    for offer in (state.offers[i] for i in dict.fromkeys(offer_ids)):
        changes = {
            "status": offer.status.value,
            "assistant_id": offer.assistant_id,
            "organisation_id": offer.organisation_id,
            "updated_at": at,
        }
        row = {
            "offer_id": offer.offer_id,
            "order_id": state.order_id,
            "seeker_id": state.seeker_id,
            "kind": offer.kind.value,
            "from_request": offer.from_request,
            "submitted_by": offer.submitted_by,
            "created_at": at,
            **changes,
        }
        rows.append((row, changes))
    return rows


async def project(conn: AsyncConnection, state: Order, version: int, at: datetime, offer_ids: Iterable[str]) -> None:
    """Upsert the order's row and the rows of the offers `offer_ids` as of stream `version` (changed at `at`)."""
    row = order_row(state, version, at)
    await conn.execute(
        insert(orders_view).values(created_at=at, **row).on_conflict_do_update(index_elements=["order_id"], set_=row)
    )
    for offer_row, changes in offer_rows(state, at, offer_ids):
        await conn.execute(
            insert(offers_view).values(**offer_row).on_conflict_do_update(index_elements=["offer_id"], set_=changes)
        )
