"""Use cases of assistance contracts: one transaction per command (load, decide, append, view)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from contracts.app import permissions
from contracts.domain import assistance as domain
from contracts.domain.events import CONTRACT_INTERNAL, Event
from contracts.readmodels.contract_views import project
from contracts.readmodels.tables import contracts_view
from teilhabe_events import EventEnvelope
from teilhabe_events.contexts.orders import OfferAccepted
from teilhabe_kit import sealing, streams
from teilhabe_kit.auth import Principal
from teilhabe_kit.problems import NotFound
from teilhabe_kit.streams import retrying

CONTRACT: streams.Stream[domain.Contract, Event] = streams.Stream("contract", domain.evolve, internal=CONTRACT_INTERNAL)
NAMESPACE = uuid.UUID("6a0f6f1e-3c1b-4d43-9a53-5c2f7e0b9a11")


def record_key(contract_id: str) -> str:
    """The sealing key of everything personal about one contract (destroyed after retention)."""
    return f"contract:{contract_id}"


def contract_id_for_offer(offer_id: str) -> str:
    """One accepted offer opens exactly one process: its id follows from the offer id."""
    return str(uuid.uuid5(NAMESPACE, offer_id))


async def execute(
    conn: AsyncConnection,
    contract_id: str,
    command: object,
    principal: Principal | None,
    *,
    causation: EventEnvelope | None = None,
) -> domain.Contract:
    """Check who calls, decide `command` on the contract and store the outcome (views in the same
    transaction); 404 if the caller may not see it. No principal: the system (events, retention)."""
    loaded = await streams.load(conn, CONTRACT, contract_id)
    state = loaded.state
    if state is not None and principal is not None and not permissions.sees_contract(state, principal):
        state = None
    if state is None and not isinstance(command, domain.OpenProcess):
        raise NotFound("Diesen Vertrag gibt es nicht (oder Sie dürfen ihn nicht sehen).")
    actor = principal.account_id if principal else None
    events = decide(state, command, principal)
    committed = await streams.commit(
        conn,
        CONTRACT,
        contract_id,
        loaded,
        events,
        actor_id=actor,
        causation_id=causation.event_id if causation else None,
        correlation_id=causation.correlation_id if causation else None,
        project=project,
    )
    assert committed.state is not None
    return committed.state


def decide(state: domain.Contract | None, command: object, principal: Principal | None) -> list[Event]:
    """Who may (role and relation), then what happens; nothing is stored (no principal: the system)."""
    if state is not None and not state.erased and principal is not None:
        command = permissions.authorize_contract(state, command, principal)
    return domain.decide(state, command, principal.account_id if principal else None, datetime.now(UTC))


async def visible(conn: AsyncConnection, contract_id: str, principal: Principal) -> domain.Contract:
    """The contract if the caller may see it; 404 otherwise (existence is not revealed)."""
    state = (await streams.load(conn, CONTRACT, contract_id)).state
    if state is None or not permissions.sees_contract(state, principal):
        raise NotFound("Diesen Vertrag gibt es nicht (oder Sie dürfen ihn nicht sehen).")
    return state


async def run(engine: AsyncEngine, contract_id: str, command, principal: Principal) -> domain.Contract:
    return await retrying(engine, lambda conn: execute(conn, contract_id, command, principal))


async def draft(engine: AsyncEngine, contract_id: str, terms: dict, principal: Principal) -> domain.Contract:
    """Seal the full terms with the contract's key; the decision sees only what it needs."""

    async def work(conn: AsyncConnection) -> domain.Contract:
        sealed = await sealing.seal(conn, record_key(contract_id), json.dumps(terms, default=str))
        command = domain.DraftContract(
            starts_on=terms["starts_on"],
            terms={"sealed": sealed, "payer": terms["payer"], "hourly_rate_cents": terms["hourly_rate_cents"]},
        )
        return await execute(conn, contract_id, command, principal)

    return await retrying(engine, work)


async def rate(
    engine: AsyncEngine, contract_id: str, period: str, stars: int, text: str | None, principal: Principal
) -> domain.Contract:
    async def work(conn: AsyncConnection) -> domain.Contract:
        sealed = await sealing.seal(conn, record_key(contract_id), text) if text else None
        return await execute(conn, contract_id, domain.Rate(period, stars, sealed), principal)

    return await retrying(engine, work)


async def terms_of(conn: AsyncConnection, contract_id: str) -> dict | None:
    sealed = await conn.scalar(select(contracts_view.c.terms).where(contracts_view.c.contract_id == contract_id))
    plain = await sealing.unseal(conn, record_key(contract_id), sealed)
    return json.loads(plain) if plain else None


# --- from orders' events ----------------------------------------------------------------------


async def open_from_offer(conn: AsyncConnection, envelope: EventEnvelope, accepted: OfferAccepted) -> None:
    """`OfferAccepted` → a contract process (a redelivery or a replay changes nothing)."""
    contract_id = contract_id_for_offer(accepted.offer_id)
    command = domain.OpenProcess(
        contract_id=contract_id,
        order_id=envelope.stream_id,
        offer_id=accepted.offer_id,
        seeker_id=accepted.seeker_id,
        assistant_id=accepted.assistant_id,
        organisation_id=accepted.provider_id,
    )
    await execute(conn, contract_id, command, None, causation=envelope)


async def cancel_for_order(conn: AsyncConnection, envelope: EventEnvelope, offer_id: str | None, reason: str) -> None:
    """The order was withdrawn (all its processes) or an award ended (that offer's): close what is open."""
    query = select(contracts_view.c.contract_id).where(
        contracts_view.c.order_id == envelope.stream_id, contracts_view.c.status.in_(domain.OPEN_STATES)
    )
    if offer_id:
        query = query.where(contracts_view.c.offer_id == offer_id)
    for contract_id in (await conn.scalars(query)).all():
        await execute(conn, contract_id, domain.CancelProcess(reason), None, causation=envelope)
