"""Published (open) orders in memory: what an assistant's change must be matched against."""

from __future__ import annotations

import numpy as np

from matching.domain.state import AssistantState, OrderState
from matching.domain.time import any_mask
from matching.index.columns import ACTIVITY_BIT, TRAIT_BIT, WORDS, Rows, bits, distances_km, near_box, words

MAX_DISTANCE_KM = 200.0


class OrderIndex:
    def __init__(self) -> None:
        self.rows = Rows(
            {
                "lat": (np.float64, ()),
                "lon": (np.float64, ()),
                "maxd": (np.float64, ()),
                "act": (np.uint32, ()),
                "traits": (np.uint32, ()),
                "open": (np.bool_, ()),
                "recurring": (np.bool_, ()),
                "req": (np.uint64, (WORDS,)),
            }
        )
        self.states: dict[str, OrderState] = {}

    def __len__(self) -> int:
        return len(self.states)

    def put(self, order: OrderState) -> None:
        if not order.open:
            self.remove(order.order_id)
            return
        self.states[order.order_id] = order
        row = self.rows.slot(order.order_id)
        c = self.rows.col
        c["open"][row] = True
        c["lat"][row], c["lon"][row], c["maxd"][row] = order.lat, order.lon, order.max_distance_km
        c["act"][row] = bits(order.activities, ACTIVITY_BIT)
        c["traits"][row] = bits(order.traits, TRAIT_BIT)
        c["recurring"][row] = order.kind == "recurring"
        c["req"][row] = words(any_mask(order.spans))

    def remove(self, order_id: str) -> None:
        self.states.pop(order_id, None)
        self.rows.drop(order_id)

    def near(self, lat: float, lon: float, km: float) -> tuple[np.ndarray, np.ndarray]:
        """(rows, distances) of open orders within `km`."""
        n = self.rows.size
        c = self.rows.col
        rows = np.flatnonzero(c["open"][:n] & near_box(c["lat"][:n], c["lon"][:n], lat, lon, km))
        d = distances_km(c["lat"][rows], c["lon"][rows], lat, lon)
        keep = d <= km
        return rows[keep], d[keep]

    def candidates_for(self, assistant: AssistantState) -> list[str]:
        """Open orders the assistant may match (the caller evaluates each)."""
        if not (assistant.eligible and assistant.lat is not None and assistant.lon is not None and assistant.radius_km):
            return []
        rows, d = self.near(assistant.lat, assistant.lon, min(assistant.radius_km, MAX_DISTANCE_KM))
        c = self.rows.col
        act, traits = bits(assistant.activities, ACTIVITY_BIT), bits(assistant.traits, TRAIT_BIT)
        keep = (d <= c["maxd"][rows]) & ((c["act"][rows] & ~np.uint32(act)) == 0)
        keep &= (c["traits"][rows] & ~np.uint32(traits)) == 0
        rows = rows[keep]
        available = words(any_mask(assistant.spans))
        req = c["req"][rows]
        keep = ((req & ~available) == 0).all(axis=1)
        return [self.rows.ids[r] for r in rows[keep]]

    def free_near(self, lat: float, lon: float, km: float, kind: str | None) -> list[tuple[str, float]]:
        """(order id, distance) of open orders within `km`, nearest first, optionally of one kind."""
        rows, d = self.near(lat, lon, km)
        if kind is not None:
            keep = self.rows.col["recurring"][rows] == (kind == "recurring")
            rows, d = rows[keep], d[keep]
        order = np.argsort(d, kind="stable")
        return [(self.rows.ids[rows[i]], float(d[i])) for i in order]
