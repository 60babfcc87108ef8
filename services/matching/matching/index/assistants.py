"""Assistants in memory: bitsets over activities, traits and 15-minute week slots, coordinates.

`filter(order)` narrows all assistants to the candidates of an order with vectorised checks; rows
whose slot masks cannot decide (ranges not on quarter hours) are checked exactly by the rule.
"""

from __future__ import annotations

import numpy as np

from matching.domain.rules import evaluate
from matching.domain.state import AssistantState, OrderState
from matching.domain.time import any_mask, full_mask
from matching.index.columns import (
    ACTIVITY_BIT,
    TRAIT_BIT,
    WORDS,
    Rows,
    bits,
    covers,
    distances_km,
    near_box,
    words,
)


class AssistantIndex:
    def __init__(self) -> None:
        self.rows = Rows(
            {
                "lat": (np.float64, ()),
                "lon": (np.float64, ()),
                "radius": (np.float64, ()),
                "act": (np.uint32, ()),
                "traits": (np.uint32, ()),
                "ok": (np.bool_, ()),
                "full": (np.uint64, (WORDS,)),
                "any": (np.uint64, (WORDS,)),
            }
        )
        self.states: dict[str, AssistantState] = {}
        self.workload: dict[str, int] = {}  # current awards per assistant
        self._awarded: dict[str, str] = {}  # order id → assistant id

    def __len__(self) -> int:
        return len(self.states)

    def put(self, state: AssistantState) -> None:
        self.states[state.assistant_id] = state
        row = self.rows.slot(state.assistant_id)
        c = self.rows.col
        placed = state.lat is not None and state.lon is not None and bool(state.radius_km)
        c["ok"][row] = state.eligible and placed and bool(state.spans) and bool(state.activities)
        c["lat"][row] = state.lat or 0.0
        c["lon"][row] = state.lon or 0.0
        c["radius"][row] = state.radius_km or 0.0
        c["act"][row] = bits(state.activities, ACTIVITY_BIT)
        c["traits"][row] = bits(state.traits, TRAIT_BIT)
        c["full"][row] = words(full_mask(state.spans))
        c["any"][row] = words(any_mask(state.spans))

    def remove(self, assistant_id: str) -> None:
        self.states.pop(assistant_id, None)
        self.rows.drop(assistant_id)

    def award(self, order_id: str, assistant_id: str | None) -> None:
        """The order is awarded to `assistant_id` (None: no longer); idempotent, so a retried event
        that already changed the index changes nothing more."""
        previous = self._awarded.pop(order_id, None)
        if previous is not None:
            self.workload[previous] -= 1
        if assistant_id is not None:
            self._awarded[order_id] = assistant_id
            self.workload[assistant_id] = self.workload.get(assistant_id, 0) + 1

    def filter(self, order: OrderState) -> tuple[list[str], list[str]]:
        """(sure candidates, undecided) for an order; undecided need `evaluate`."""
        n = self.rows.size
        if n == 0:
            return [], []
        c = self.rows.col
        required = words(any_mask(order.spans))
        act, traits = bits(order.activities, ACTIVITY_BIT), bits(order.traits, TRAIT_BIT)
        lat, lon = c["lat"][:n], c["lon"][:n]
        mask = c["ok"][:n] & near_box(lat, lon, order.lat, order.lon, order.max_distance_km)
        if act:
            mask &= (c["act"][:n] & act) == act
        if traits:
            mask &= (c["traits"][:n] & traits) == traits
        rows = np.flatnonzero(mask)
        rows = rows[covers(c["any"], rows, required)]
        d = distances_km(lat[rows], lon[rows], order.lat, order.lon)
        rows = rows[(d <= c["radius"][rows]) & (d <= order.max_distance_km)]
        sure = covers(c["full"], rows, required)
        ids = self.rows.ids
        return [ids[r] for r in rows[sure]], [ids[r] for r in rows[~sure]]

    def count(self, order: OrderState) -> int:
        sure, undecided = self.filter(order)
        return len(sure) + sum(evaluate(self.states[a], order).matches for a in undecided)

    def candidates(self, order: OrderState) -> list[str]:
        """Every assistant that may match (sure and undecided); the caller evaluates each."""
        sure, undecided = self.filter(order)
        return sure + undecided
