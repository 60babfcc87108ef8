"""Request plumbing of counseling's API: engine, caller, identity's client."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine

from counseling.app.identity_client import IdentityClient
from teilhabe_kit.auth import Principal, current_principal


def _engine(request: Request) -> AsyncEngine:
    return request.app.state.engine


def _identity(request: Request) -> IdentityClient:
    return request.app.state.identity


Engine = Annotated[AsyncEngine, Depends(_engine)]
Caller = Annotated[Principal, Depends(current_principal)]
Identity = Annotated[IdentityClient, Depends(_identity)]
PREFIX = "/api/v1/counseling"
