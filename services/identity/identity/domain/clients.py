"""Clients (Ratsuchende) of counseling centres: rules that need no I/O.

A client is known by a pseudonym, unique within the centre (case does not matter), and signs in with
it, the centre and a password. Their account belongs to exactly one centre (`organisation_id`).
"""

from __future__ import annotations

import re
import secrets

from identity.domain.account import Account
from teilhabe_events.contexts.identity import AccountRole
from teilhabe_kit.problems import NotFound

PSEUDONYM = re.compile(r"^[\w][\w .\-]{1,38}[\w]$")
"""3 to 40 letters, digits, spaces, dots, hyphens or underscores; no @ (not an e-mail address)."""

_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def login_name(pseudonym: str) -> str:
    """The form a pseudonym is looked up by: trimmed, inner spaces collapsed, case-folded."""
    return " ".join(pseudonym.split()).casefold()


def initial_password() -> str:
    """A password someone else sets (shown once): 4 groups of 4 unambiguous characters."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))


def client_of(state: Account, centre_id: str) -> None:
    """The account must be a client of this centre (404 otherwise: no hint about other accounts)."""
    if not state.exists or state.role != AccountRole.CLIENT or state.organisation_id != centre_id:
        raise NotFound("Diese ratsuchende Person gibt es hier nicht.")
