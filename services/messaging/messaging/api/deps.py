"""Dependencies of the routers: settings, file store, who may call (engine and caller: `teilhabe_kit.api`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from messaging.app.storage import FileStore
from messaging.settings import Settings
from teilhabe_kit.auth import Principal, Role, require_roles

PARTY_ROLES = (Role.SEEKER, Role.GUARDIAN, Role.ASSISTANT, Role.COORDINATOR)
"""Who takes part in conversations (admins do not read them)."""


async def settings(request: Request) -> Settings:
    return request.app.state.settings


async def store(request: Request) -> FileStore:
    return request.app.state.file_store


Config = Annotated[Settings, Depends(settings)]
Store = Annotated[FileStore, Depends(store)]
Party = Annotated[Principal, Depends(require_roles(*PARTY_ROLES))]
Coordinator = Annotated[Principal, Depends(require_roles(Role.COORDINATOR))]
Admin = Annotated[Principal, Depends(require_roles(Role.ADMIN))]
