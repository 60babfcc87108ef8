"""TokenVerifier remembers checked tokens until they expire; expiry and revocations still count."""

from __future__ import annotations

import time

import pytest

from teilhabe_kit import problem_texts as texts
from teilhabe_kit.auth import Principal, SigningKey, TokenIssuer, TokenVerifier, Unauthenticated


class Revoked:
    """Stands in for the revocation list: refuses the accounts in `accounts`."""

    def __init__(self) -> None:
        self.accounts: set[str] = set()
        self.asked = 0

    async def admit(self, principal: Principal, issued_at: float) -> Principal:
        self.asked += 1
        if principal.account_id in self.accounts:
            raise Unauthenticated("gesperrt")
        return principal


@pytest.fixture
def issuer() -> TokenIssuer:
    return TokenIssuer([SigningKey.generate()], ttl_seconds=60)


async def test_a_remembered_token_is_still_checked_against_revocations(issuer):
    revoked = Revoked()
    verifier = TokenVerifier(jwks=issuer.jwks(), revocations=revoked)
    token = issuer.issue(Principal("acc-1", frozenset({"seeker"})))
    first = await verifier.verify(token)
    second = await verifier.verify(token)
    revoked.accounts.add("acc-1")
    with pytest.raises(Unauthenticated):
        await verifier.verify(token)
    assert first == second and first.account_id == "acc-1" and revoked.asked == 3


async def test_a_remembered_token_expires(issuer, monkeypatch):
    verifier = TokenVerifier(jwks=issuer.jwks())
    token = issuer.issue(Principal("acc-2", frozenset({"seeker"})))
    await verifier.verify(token)
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(Unauthenticated) as refused:
        await verifier.verify(token)
    assert refused.value.detail == texts.SIGN_IN_EXPIRED


async def test_a_changed_token_is_checked_again_and_refused(issuer):
    verifier = TokenVerifier(jwks=issuer.jwks())
    token = issuer.issue(Principal("acc-3", frozenset({"seeker"})))
    await verifier.verify(token)
    head, payload, signature = token.split(".")
    with pytest.raises(Unauthenticated):
        await verifier.verify(f"{head}.{payload}.{signature[:-4]}AAAA")


async def test_at_most_cache_size_tokens_are_remembered(issuer):
    verifier = TokenVerifier(jwks=issuer.jwks(), cache_size=3)
    tokens = [issuer.issue(Principal(f"acc-{n}", frozenset({"seeker"}))) for n in range(5)]
    principals = [await verifier.verify(t) for t in tokens]
    assert [p.account_id for p in principals] == [f"acc-{n}" for n in range(5)]
    assert len(verifier._verified) == 3 and tokens[-1] in verifier._verified and tokens[0] not in verifier._verified
