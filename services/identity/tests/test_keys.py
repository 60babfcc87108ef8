"""Signing keys: from configuration, generated once for local runs, rotated with the old key kept."""

import asyncio

from identity.keys import load_signing_key, load_signing_keys
from identity.settings import Settings
from teilhabe_kit.auth import Principal, SigningKey, TokenIssuer, TokenVerifier


def test_a_local_key_is_generated_once_and_keeps_its_id(tmp_path, monkeypatch):
    monkeypatch.setenv("TEILHABE_LOCAL_DIR", str(tmp_path))
    first = load_signing_key(Settings())
    again = load_signing_key(Settings())
    assert first.kid == again.kid and (tmp_path / "identity" / "signing-key.pem").stat().st_mode & 0o777 == 0o600


def test_rotation_keeps_tokens_of_the_retired_key_valid(tmp_path):
    old, new = SigningKey.generate(), SigningKey.generate()
    (tmp_path / "old.pem").write_bytes(old.private_pem)
    (tmp_path / "new.pem").write_bytes(new.private_pem)
    before = TokenIssuer(load_signing_keys(Settings(signing_key_file=str(tmp_path / "old.pem"))))
    token = before.issue(Principal("a", frozenset({"seeker"})))
    after = TokenIssuer(
        load_signing_keys(
            Settings(
                signing_key_file=str(tmp_path / "new.pem"),
                previous_signing_key_files=str(tmp_path / "old.pem"),
            )
        )
    )
    assert len(after.jwks()["keys"]) == 2
    assert asyncio.run(TokenVerifier(jwks=after.jwks()).verify(token)).account_id == "a"
