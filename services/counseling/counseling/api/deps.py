"""Request plumbing of counseling's API: engine, caller, identity's client."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from counseling.app.identity_client import IdentityClient
from teilhabe_kit.api import Caller, Engine


async def _identity(request: Request) -> IdentityClient:  # async: a plain def runs in a worker thread
    return request.app.state.identity


Identity = Annotated[IdentityClient, Depends(_identity)]
PREFIX = "/api/v1/counseling"
__all__ = ["PREFIX", "Caller", "Engine", "Identity"]  # engine and caller: the kit's
