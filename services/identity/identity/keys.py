"""The signing key of access tokens: from configuration, else generated once for local runs.

Order: ``IDENTITY_SIGNING_KEY_PEM`` (the PEM itself, e.g. from a secret), ``IDENTITY_SIGNING_KEY_FILE``
(a path), else ``<TEILHABE_LOCAL_DIR or repo>/.local/identity/signing-key.pem``, created on first
use (that folder is git-ignored; never commit a key). The key id is the key's RFC 7638 thumbprint,
so it stays the same across restarts. To rotate, make the new key current and list the old one in
``IDENTITY_PREVIOUS_SIGNING_KEY_FILES`` until its last tokens expired (the access-token lifetime).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
from pathlib import Path

from identity.settings import Settings
from teilhabe_kit.auth import SigningKey


def _local_key_file() -> Path:
    local = os.environ.get("TEILHABE_LOCAL_DIR")
    base = Path(local) if local else Path(__file__).resolve().parents[3] / ".local"
    return base / "identity" / "signing-key.pem"


def _thumbprint(pem: bytes) -> str:
    jwk = SigningKey(kid="", private_pem=pem).public_jwk()
    canonical = json.dumps({k: jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()


def from_pem(pem: bytes) -> SigningKey:
    return SigningKey(kid=_thumbprint(pem), private_pem=pem)


def load_signing_key(settings: Settings) -> SigningKey:
    if settings.signing_key_pem:
        return from_pem(settings.signing_key_pem.encode())
    path = Path(settings.signing_key_file) if settings.signing_key_file else _local_key_file()
    if not path.exists():
        if settings.signing_key_file:
            raise FileNotFoundError(f"IDENTITY_SIGNING_KEY_FILE {path} does not exist")
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):  # another process created it meanwhile
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(SigningKey.generate().private_pem)
    return from_pem(path.read_bytes())


def load_signing_keys(settings: Settings) -> list[SigningKey]:
    """The current key first (it signs), then retired ones (only verified, via the JWKS)."""
    retired = [p.strip() for p in settings.previous_signing_key_files.split(",") if p.strip()]
    return [load_signing_key(settings), *(from_pem(Path(p).read_bytes()) for p in retired)]
