"""Dependencies of the routers: engine, settings, file store, who may call."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine

from messaging.app.storage import FileStore
from messaging.settings import Settings
from teilhabe_kit.auth import Principal, Role, current_principal, require_roles

PARTY_ROLES = (Role.SEEKER, Role.GUARDIAN, Role.ASSISTANT, Role.COORDINATOR)
"""Who takes part in conversations (admins do not read them)."""


def engine(request: Request) -> AsyncEngine:
    return request.app.state.engine


def settings(request: Request) -> Settings:
    return request.app.state.settings


def store(request: Request) -> FileStore:
    return request.app.state.file_store


Engine = Annotated[AsyncEngine, Depends(engine)]
Config = Annotated[Settings, Depends(settings)]
Store = Annotated[FileStore, Depends(store)]
Party = Annotated[Principal, Depends(require_roles(*PARTY_ROLES))]
Coordinator = Annotated[Principal, Depends(require_roles(Role.COORDINATOR))]
Admin = Annotated[Principal, Depends(require_roles(Role.ADMIN))]
Anyone = Annotated[Principal, Depends(current_principal)]
