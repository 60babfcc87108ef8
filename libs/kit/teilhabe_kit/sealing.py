"""Crypto-shredding: personal fields are sealed with a per-person key kept beside the data.

A sealed value is ``sealed:v1:<base64(nonce + AES-256-GCM ciphertext)>`` bound to the person id.
Erasing a person destroys their key: every sealed value of that person, in any table or stored
event of this service, then reads as erased (``None``), while streams still replay. Each service
keeps its own keys (table ``person_keys``) and erases them on ``AccountErased``.
"""

from __future__ import annotations

import base64
import os
from typing import overload

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from teilhabe_kit.tables import person_keys

PREFIX = "sealed:v1:"


class PersonErased(Exception):
    """The person was erased: nothing new may be sealed for them."""


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


async def _key(conn: AsyncConnection, person_id: str, *, create: bool) -> bytes | None:
    row = (
        await conn.execute(
            select(person_keys.c.key, person_keys.c.erased_at).where(person_keys.c.person_id == person_id)
        )
    ).first()
    if row is not None:
        if row.erased_at is not None:
            if create:
                raise PersonErased(person_id)
            return None
        key: bytes = row.key
        return key
    if not create:
        return None
    await conn.execute(
        insert(person_keys)
        .values(person_id=person_id, key=AESGCM.generate_key(bit_length=256))
        .on_conflict_do_nothing()
    )
    return await _key(conn, person_id, create=False)


@overload
async def seal(conn: AsyncConnection, person_id: str, plaintext: str) -> str: ...
@overload
async def seal(conn: AsyncConnection, person_id: str, plaintext: None) -> None: ...
@overload
async def seal(conn: AsyncConnection, person_id: str, plaintext: str | None) -> str | None: ...


async def seal(conn: AsyncConnection, person_id: str, plaintext: str | None) -> str | None:
    """Encrypt `plaintext` with the person's key (created on first use)."""
    if plaintext is None:
        return None
    key = await _key(conn, person_id, create=True)
    if key is None:  # erased between creating and reading the key
        raise PersonErased(person_id)
    nonce = os.urandom(12)
    ciphertext = AESGCM(key).encrypt(nonce, plaintext.encode(), person_id.encode())
    return PREFIX + base64.b64encode(nonce + ciphertext).decode()


async def unseal(conn: AsyncConnection, person_id: str, sealed: str | None) -> str | None:
    """The plaintext, or None when the value is empty or the person was erased."""
    if sealed is None:
        return None
    if not is_sealed(sealed):
        raise ValueError("not a sealed value")
    return open_with(await _key(conn, person_id, create=False), person_id, sealed)


async def seal_bytes(conn: AsyncConnection, person_id: str, data: bytes) -> str:
    """`seal` for a file's bytes (stored as sealed base64 text)."""
    return await seal(conn, person_id, base64.b64encode(data).decode())


async def unseal_bytes(conn: AsyncConnection, person_id: str, sealed: str | None) -> bytes | None:
    """The bytes sealed by `seal_bytes`, or None when empty or the person was erased."""
    plain = await unseal(conn, person_id, sealed)
    return None if plain is None else base64.b64decode(plain)


def open_with(key: bytes | None, person_id: str, sealed: str | None) -> str | None:
    """`unseal` with the person's key at hand (None: erased or never sealed for)."""
    if sealed is None or key is None:
        return None
    if not is_sealed(sealed):
        raise ValueError("not a sealed value")
    raw = base64.b64decode(sealed.removeprefix(PREFIX))
    return AESGCM(key).decrypt(raw[:12], raw[12:], person_id.encode()).decode()


async def key_of(conn: AsyncConnection, person_id: str) -> bytes | None:
    """The person's key (None: erased or none yet)."""
    return await _key(conn, person_id, create=False)


async def all_keys(conn: AsyncConnection) -> dict[str, bytes | None]:
    """Every person's key (None once erased) in one query, for a rebuild that opens many values."""
    rows = await conn.execute(select(person_keys.c.person_id, person_keys.c.key))
    return {row.person_id: row.key for row in rows}


async def erase(conn: AsyncConnection, person_id: str) -> None:
    """Destroy the person's key for good (kept as a tombstone so nothing is sealed again)."""
    await conn.execute(
        insert(person_keys)
        .values(person_id=person_id, key=None, erased_at=func.now())
        .on_conflict_do_update(index_elements=["person_id"], set_={"key": None, "erased_at": func.now()})
    )


async def is_erased(conn: AsyncConnection, person_id: str) -> bool:
    erased = await conn.scalar(select(person_keys.c.erased_at).where(person_keys.c.person_id == person_id))
    return erased is not None
