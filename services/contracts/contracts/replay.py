"""Rebuild the read models from the event store: ``python -m contracts.replay``.

The views (contracts, ratings, bookings, enrollments, facility offers): every stored event is
folded again in position order in memory, with the row changes of the live projection, and the
emptied views are written with COPY, in one transaction. Customer numbers, interested
persons and documents are records of their own (not views) and stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection

from contracts.app.assistance import CONTRACT
from contracts.app.enrollment import ENROLLMENT, FACILITY_OFFER
from contracts.domain import assistance, enrollment
from contracts.readmodels import contract_views, enrollment_views
from contracts.readmodels.tables import bookings, contracts_view, enrollments_view, facility_offers, ratings
from contracts.settings import Settings
from teilhabe_kit import replay_cli
from teilhabe_kit.bulk import MemoryWrites
from teilhabe_kit.eventstore import read_all_stored

OFFER_COLUMNS = [
    facility_offers.c[name]
    for name in ("offer_id", "facility_id", "title", "description", "starts_on", "ends_on", "capacity", "fee_rules")
]


@dataclass
class ReplayReport:
    events: int = 0
    contracts: int = 0
    enrollments: int = 0
    offers: int = 0


async def rebuild(conn: AsyncConnection) -> ReplayReport:
    """Every event folded in memory through the live projection's row changes (`MemoryWrites`),
    then the emptied views written with COPY."""
    report = ReplayReport()
    writes = MemoryWrites()
    contracts: dict[str, assistance.Contract] = {}
    enrollments: dict[str, enrollment.Enrollment] = {}
    offers: dict[str, dict] = {}
    async for envelope in read_all_stored(conn):
        report.events += 1
        if envelope.stream_type == CONTRACT.stream_type:
            event = CONTRACT.decode(envelope)
            contract = contracts[envelope.stream_id] = assistance.evolve(contracts.get(envelope.stream_id), event)
            await contract_views.project_events(writes, contract, [event])
        elif envelope.stream_type == ENROLLMENT.stream_type:
            event = ENROLLMENT.decode(envelope)
            state = enrollments[envelope.stream_id] = enrollment.evolve(enrollments.get(envelope.stream_id), event)
            await enrollment_views.project_events(writes, state, [event])
        elif envelope.stream_type == FACILITY_OFFER.stream_type:
            offers.setdefault(envelope.stream_id, {}).update(FACILITY_OFFER.decode(envelope).model_dump())
    for offer in offers.values():
        await writes.insert(facility_offers, {column.name: offer[column.name] for column in OFFER_COLUMNS})
    for table in (ratings, bookings, contracts_view, enrollments_view, facility_offers):
        await conn.execute(table.delete())
    await writes.flush(conn)
    report.contracts, report.enrollments, report.offers = len(contracts), len(enrollments), len(offers)
    return report


if __name__ == "__main__":
    replay_cli.main(Settings(), [replay_cli.from_store("views", "the views from the event store", rebuild)])
