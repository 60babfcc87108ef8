"""Crypto-shredding on the real PostgreSQL: sealed values read back until the person is erased."""

import pytest
from kit_support import new_stream_id
from sqlalchemy import select

from teilhabe_kit import sealing
from teilhabe_kit.tables import person_keys


async def test_sealed_values_read_back_and_are_gone_after_erasure(engine):
    person, other = new_stream_id(), new_stream_id()
    async with engine.begin() as conn:
        secret = await sealing.seal(conn, person, "Erika Mustermann, 0151 1234567")
        kept = await sealing.seal(conn, other, "Max Muster")
    assert sealing.is_sealed(secret) and "Erika" not in secret
    async with engine.begin() as conn:
        assert await sealing.unseal(conn, person, secret) == "Erika Mustermann, 0151 1234567"
        await sealing.erase(conn, person)
    async with engine.begin() as conn:
        assert await sealing.unseal(conn, person, secret) is None
        assert await sealing.unseal(conn, other, kept) == "Max Muster"
        assert await sealing.is_erased(conn, person)
        assert (await conn.execute(select(person_keys.c.key).where(person_keys.c.person_id == person))).scalar() is None
        with pytest.raises(sealing.PersonErased):
            await sealing.seal(conn, person, "new data")


async def test_a_value_sealed_for_one_person_does_not_open_with_another_key(engine):
    async with engine.begin() as conn:
        secret = await sealing.seal(conn, "person-a-" + new_stream_id(), "x")
        await sealing.seal(conn, victim := "person-b-" + new_stream_id(), "y")
        with pytest.raises(Exception):
            await sealing.unseal(conn, victim, secret)
