"""Tokens: identity issues short-lived JWT access tokens; every service verifies them itself.

Claims: ``sub`` (account id), ``roles``, ``org`` (organisation id of a coordinator, counselor or
facility staff member), ``acting_for`` (accounts a guardian may act for), ``iss``, ``aud``,
``iat``, ``exp``, ``jti``. Signed with RS256; the public keys are served as JWKS by identity.
"""

from __future__ import annotations

import hmac
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any, Protocol

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import Depends, Header, Request
from jwt.algorithms import RSAAlgorithm

from teilhabe_kit import problem_texts as texts
from teilhabe_kit.problems import Forbidden, Problem

ISSUER = "teilhabe-identity"
AUDIENCE = "teilhabe"
ALGORITHM = "RS256"


class Role(StrEnum):
    SEEKER = "seeker"
    ASSISTANT = "assistant"
    COORDINATOR = "coordinator"
    COUNSELOR = "counselor"
    CENTRE_ADMIN = "centre_admin"
    FACILITY_STAFF = "facility_staff"
    GUARDIAN = "guardian"
    ADMIN = "admin"
    APPLICANT = "applicant"  # an interested person not yet verified: only their enrollment
    CLIENT = "client"  # Ratsuchende:r of one counseling centre (organisation_id = the centre), pseudonymous


class Unauthenticated(Problem):
    status = 401
    title = "Unauthorized"


@dataclass(frozen=True)
class Principal:
    """Who calls: an account with roles, maybe an organisation, maybe wards it acts for."""

    account_id: str
    roles: frozenset[str]
    organisation_id: str | None = None
    acting_for: frozenset[str] = field(default_factory=frozenset)

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def may_act_for(self, account_id: str) -> bool:
        """The account itself, or a guardian acting for it."""
        return account_id == self.account_id or account_id in self.acting_for


@dataclass
class SigningKey:
    kid: str
    private_pem: bytes

    @classmethod
    def generate(cls) -> SigningKey:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return cls(kid=uuid.uuid4().hex, private_pem=pem)

    def public_jwk(self) -> dict[str, Any]:
        private = serialization.load_pem_private_key(self.private_pem, password=None)
        if not isinstance(private, rsa.RSAPrivateKey):
            raise TypeError(f"signing key {self.kid} is not an RSA key")
        jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
        return jwk | {"kid": self.kid, "use": "sig", "alg": ALGORITHM}


class TokenIssuer:
    """Signs access tokens (used by identity, and by tests to act as identity)."""

    def __init__(self, keys: list[SigningKey], ttl_seconds: int = 900) -> None:
        self._keys = keys
        self.ttl_seconds = ttl_seconds

    def jwks(self) -> dict[str, Any]:
        return {"keys": [key.public_jwk() for key in self._keys]}

    def issue(self, principal: Principal, *, now: float | None = None) -> str:
        now = now or time.time()
        claims = {
            "sub": principal.account_id,
            "roles": sorted(principal.roles),
            "org": principal.organisation_id,
            "acting_for": sorted(principal.acting_for),
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": round(now, 3),  # milliseconds: a sign-in right after an unlock is newer than the lock
            "exp": int(now + self.ttl_seconds),
            "jti": uuid.uuid4().hex,
        }
        key = self._keys[0]
        return jwt.encode(claims, key.private_pem, algorithm=ALGORITHM, headers={"kid": key.kid})


class Revocations(Protocol):
    """Whether a verified token's account still stands (`teilhabe_kit.revocation.RevocationList`)."""

    async def admit(self, principal: Principal, issued_at: float) -> Principal:
        """The principal to use (raise `Unauthenticated` when the account is revoked)."""
        ...


@dataclass(frozen=True)
class _Verified:
    principal: Principal
    issued_at: float
    expires_at: float


class TokenVerifier:
    """Verifies access tokens against identity's JWKS (a static document or fetched by URL), and
    with `revocations` refuses tokens of locked, deleted or erased accounts.

    A token whose signature and claims were checked is remembered until it expires (at most
    `cache_size` tokens, the oldest forgotten first): an app sends the same token with every call,
    and an RS256 check with its claims costs ~0.1 ms of CPU each time. Expiry and revocations are
    checked on every call, remembered or not."""

    def __init__(
        self,
        *,
        jwks: dict[str, Any] | None = None,
        jwks_url: str | None = None,
        revocations: Revocations | None = None,
        cache_size: int = 10_000,
    ) -> None:
        if jwks is None and not jwks_url:
            raise ValueError("a JWKS document or URL is required")
        self._jwks_url = jwks_url
        self.revocations = revocations
        self._keys: dict[str, Any] = {}
        self._verified: dict[str, _Verified] = {}
        self._cache_size = cache_size
        if jwks is not None:
            self._load(jwks)

    def _load(self, jwks: dict[str, Any]) -> None:
        self._keys = {k["kid"]: RSAAlgorithm.from_jwk(json.dumps(k)) for k in jwks.get("keys", [])}

    async def _key(self, kid: str) -> Any:
        if kid not in self._keys and self._jwks_url:
            async with httpx.AsyncClient(timeout=5) as client:
                response = await client.get(self._jwks_url)
                response.raise_for_status()
                self._load(response.json())
        try:
            return self._keys[kid]
        except KeyError:
            raise Unauthenticated(texts.SIGN_IN_AGAIN) from None

    async def verify(self, token: str) -> Principal:
        verified = self._verified.get(token)
        if verified is None:
            verified = await self._check(token)
        elif time.time() >= verified.expires_at:
            del self._verified[token]
            raise Unauthenticated(texts.SIGN_IN_EXPIRED)
        if self.revocations is None:
            return verified.principal
        return await self.revocations.admit(verified.principal, verified.issued_at)

    async def _check(self, token: str) -> _Verified:
        try:
            kid = jwt.get_unverified_header(token).get("kid", "")
            claims = jwt.decode(
                token,
                await self._key(kid),
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated(texts.SIGN_IN_EXPIRED) from None
        except jwt.PyJWTError:
            raise Unauthenticated(texts.SIGN_IN_AGAIN) from None
        principal = Principal(
            account_id=claims["sub"],
            roles=frozenset(claims.get("roles", [])),
            organisation_id=claims.get("org"),
            acting_for=frozenset(claims.get("acting_for", [])),
        )
        verified = _Verified(principal, float(claims["iat"]), float(claims["exp"]))
        if len(self._verified) >= self._cache_size:
            del self._verified[next(iter(self._verified))]  # the oldest remembered token
        self._verified[token] = verified
        return verified


async def current_principal(request: Request) -> Principal:
    """FastAPI dependency: the verified caller (Bearer token, or the gateway's session cookie)."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated(texts.SIGN_IN)
    verifier: TokenVerifier = request.app.state.token_verifier
    return await verifier.verify(token.strip())


def require_roles(*roles: str) -> Callable[..., Awaitable[Principal]]:
    """FastAPI dependency factory: the caller must have one of `roles` (403 otherwise)."""

    async def dependency(principal: Principal = Depends(current_principal)) -> Principal:
        if not principal.has(*roles):
            raise Forbidden(texts.WRONG_ROLE)
        return principal

    return dependency


SERVICE_CALLER = "service"
"""What `service_or_roles` returns for a caller that sent a valid service credential."""


def service_credential_valid(given: str, configured: str) -> bool:
    """`given` is one of the comma-separated `configured` secrets (compared in constant time)."""
    secrets_ = [s.strip() for s in configured.split(",") if s.strip()]
    return any(hmac.compare_digest(given.encode(), s.encode()) for s in secrets_)


def service_or_roles(configured: Callable[[Request], str], *roles: str) -> Callable[..., Awaitable[str]]:
    """FastAPI dependency factory for service-to-service endpoints: another service sends
    ``X-Service-Credential`` (one of the secrets `configured(request)` returns; unknown → 401),
    anyone else needs a token with one of `roles` (403). Returns ``SERVICE_CALLER`` or the account id."""

    async def dependency(request: Request, x_service_credential: Annotated[str | None, Header()] = None) -> str:
        if x_service_credential:
            if service_credential_valid(x_service_credential, configured(request)):
                return SERVICE_CALLER
            raise Unauthenticated(texts.UNKNOWN_SERVICE_CREDENTIAL)
        principal = await current_principal(request)
        if not principal.has(*roles):
            raise Forbidden(texts.WRONG_ROLE)
        return principal.account_id

    return dependency
