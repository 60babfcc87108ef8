"""What the routers share: the caller, the engine, the documented problems."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine

from teilhabe_kit.auth import Principal, current_principal

Caller = Annotated[Principal, Depends(current_principal)]
PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: {"description": "not signed in"},
    403: {"description": "wrong role (e.g. a counselor changing the centre's services, a colleague's calendar)"},
    404: {"description": "no such thing, or not the caller's centre or booking"},
    409: {"description": "the slot is taken, the notice period is over, the group is full"},
    422: {"description": "bad input; `errors[].field` names the field"},
}


def engine(request: Request) -> AsyncEngine:
    return request.app.state.engine
