"""Shared request plumbing of identity: settings, token issuer, client address and the visibility rules."""

from __future__ import annotations

import ipaddress
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncConnection

from identity.readmodels import queries
from identity.settings import Settings
from teilhabe_events.contexts.identity import AccountRole
from teilhabe_kit.auth import Principal, Role, TokenIssuer, service_or_roles
from teilhabe_kit.problems import NotFound


async def settings(request: Request) -> Settings:
    return request.app.state.settings


async def issuer(request: Request) -> TokenIssuer:
    return request.app.state.token_issuer


Config = Annotated[Settings, Depends(settings)]
Issuer = Annotated[TokenIssuer, Depends(issuer)]


def _trusted(host: str, proxies: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(p.strip(), strict=False) for p in proxies.split(",") if p.strip())


def client_address(request: Request, config: Settings) -> str:
    """The caller's address; behind a trusted proxy (the gateway) the last X-Forwarded-For hop."""
    host = request.client.host if request.client else "unknown"
    forwarded = request.headers.get("X-Forwarded-For")
    if forwarded and _trusted(host, config.trusted_proxies):
        return forwarded.split(",")[-1].strip()
    return host


service_or_admin = service_or_roles(lambda request: request.app.state.settings.service_credentials, Role.ADMIN)
"""Other services (messaging, contracts) send a configured secret; admins their token. Returns who."""


def is_admin(principal: Principal) -> bool:
    return principal.has(Role.ADMIN)


def sees_contact(principal: Principal, account_id: str) -> bool:
    """E-mail and phone: only admins and the person (or a guardian acting for them)."""
    return is_admin(principal) or principal.may_act_for(account_id)


async def visible_account(conn: AsyncConnection, principal: Principal, account_id: str):
    """The account row if the caller may see it: admin, the person, their guardian, or a
    coordinator of the organisation the account belongs to; else 404 (no hint it exists)."""
    row = await queries.account(conn, account_id)
    if row is None:
        raise NotFound("Dieses Konto gibt es nicht.")
    if is_admin(principal) or principal.may_act_for(account_id):
        return row
    if (
        principal.has(Role.COORDINATOR)
        and principal.organisation_id
        and row.organisation_id == principal.organisation_id
        and row.role == AccountRole.ASSISTANT
    ):
        return row
    raise NotFound("Dieses Konto gibt es nicht.")


def owner_only(principal: Principal, account_id: str) -> None:
    """Profile changes: the person or a guardian acting for them (404 for everyone else)."""
    if not principal.may_act_for(account_id):
        raise NotFound("Dieses Konto gibt es nicht.")
