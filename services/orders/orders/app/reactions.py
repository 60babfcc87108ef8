"""What orders does when other contexts report something (no caller: the actor is the system)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from sqlalchemy import select

from orders.app.streams import Tx, commit, load
from orders.domain import decide
from orders.domain.state import OPEN_OFFER, OPEN_ORDER, Order
from orders.readmodels.tables import offers_view, orders_view
from teilhabe_events import EventEnvelope
from teilhabe_events.contexts.orders import AwardEndReason

log = logging.getLogger(__name__)


async def _apply(tx: Tx, order_id: str, decision: Callable[[Order], list], causation: EventEnvelope) -> None:
    state, version = await load(tx, order_id)
    if state is None:
        log.warning("%s names unknown order %s; ignored", causation.event_type, order_id)
        return
    await commit(
        tx,
        order_id,
        state,
        version,
        decision(state),
        actor_id=None,
        causation_id=causation.event_id,
        correlation_id=causation.correlation_id,
    )


async def fulfil(tx: Tx, order_id: str, offer_id: str, contract_id: str, *, causation: EventEnvelope) -> None:
    await _apply(tx, order_id, lambda s: decide.fulfil(s, offer_id=offer_id, contract_id=contract_id), causation)


async def end_award(tx: Tx, order_id: str, offer_id: str, reason: AwardEndReason, *, causation: EventEnvelope) -> None:
    await _apply(tx, order_id, lambda s: decide.end_award(s, offer_id, reason), causation)


async def close_for_erased(tx: Tx, account_id: str, *, causation: EventEnvelope) -> None:
    """Delete the erased person's open orders and withdraw their open offers."""
    orders = await tx.conn.scalars(
        select(orders_view.c.order_id).where(
            orders_view.c.seeker_id == account_id, orders_view.c.status.in_([s.value for s in OPEN_ORDER])
        )
    )
    for order_id in orders.all():
        await _apply(tx, order_id, lambda s: decide.withdraw(s, delete=True), causation)
    offers = await tx.conn.execute(
        select(offers_view.c.order_id, offers_view.c.offer_id).where(
            offers_view.c.assistant_id == account_id, offers_view.c.status.in_([s.value for s in OPEN_OFFER])
        )
    )
    for order_id, offer_id in offers.all():
        await _apply(tx, order_id, partial(decide.withdraw_offer, offer_id=offer_id), causation)
