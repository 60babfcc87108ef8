"""What the routers share: the caller, the engine, the documented problems."""

from __future__ import annotations

from teilhabe_kit.api import Caller, engine, problems

PROBLEMS = problems(
    forbidden="wrong role (e.g. a counselor changing the centre's services, a colleague's calendar)",
    not_found="no such thing, or not the caller's centre or booking",
    conflict="the slot is taken, the notice period is over, the group is full",
)
__all__ = ["PROBLEMS", "Caller", "engine"]  # engine and caller: the kit's
