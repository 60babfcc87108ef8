"""Password hashing (argon2id via pwdlib) and the rule for weak passwords."""

from __future__ import annotations

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

_hasher = PasswordHash((Argon2Hasher(),))
_DUMMY = _hasher.hash("timing-equaliser-not-a-password")

MIN_LENGTH = 10
MAX_LENGTH = 128
COMMON = frozenset(
    """
    passwort passwort1 passwort123 password password1 password123 12345678 123456789 1234567890
    qwertz qwertz123 qwertzuiop qwerty qwerty123 hallo123 hallo1234 schatz123 sommer2024 sommer2025
    sommer2026 winter2025 winter2026 willkommen willkommen1 geheim123 geheimnis abc123456 iloveyou
    ichliebedich fussball fussball1 bayern1900 borussia09 schalke04 test12345 testtest 1q2w3e4r5t
    0123456789 1111111111 asdfghjkl asdfasdf teilhabe teilhabe123 assistenz assistenz123
    """.split()
)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(password: str, password_hash: str | None) -> bool:
    """Check a password; without a hash a dummy check keeps the timing the same."""
    if password_hash is None:
        _hasher.verify(password, _DUMMY)
        return False
    return _hasher.verify(password, password_hash)


def weakness(password: str, *personal: str | None) -> str | None:
    """Why `password` is too weak (German, plain language), or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return f"Das Passwort muss mindestens {MIN_LENGTH} Zeichen lang sein."
    if len(password) > MAX_LENGTH:
        return f"Das Passwort darf höchstens {MAX_LENGTH} Zeichen lang sein."
    lowered = password.lower()
    if lowered in COMMON or len(set(lowered)) < 5:
        return "Dieses Passwort ist zu leicht zu erraten. Bitte wählen Sie ein anderes."
    for value in personal:
        for part in (value or "").lower().replace("@", " ").replace(".", " ").split():
            if len(part) >= 4 and part in lowered:
                return "Das Passwort darf Ihren Namen oder Ihre E-Mail-Adresse nicht enthalten."
    return None
