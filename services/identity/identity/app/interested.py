"""Accounts for interested persons: someone registered for a facility's offer in contracts
(enrollment) with first name, last name and e-mail; identity opens their account and sends the
link to set a password, as for an account customer service created.

- The account id is contracts' person id, so a redelivered or replayed registration finds the
  account and changes nothing (no second account, no second link).
- Role seeker (contracts lets a seeker sign up themself), active at once like staff accounts
  (``created_by`` contracts): after setting the password the person can sign in. Customer service
  may lock the account as any other.
- The password link is a ``PasswordResetRequested`` recorded by someone other than the person
  (actor ``contracts``), which messaging sends as the invitation ("Willkommen: Bitte legen Sie Ihr
  Passwort fest").
- An e-mail address that already has an account gets no second one: that account gets an ordinary
  password-reset request (throttled, nothing for locked or deleted accounts), so the person can
  sign in and sign up with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection

from identity.app import accounts as cases
from identity.app import auth, store
from identity.domain import events as e
from identity.settings import Settings
from teilhabe_events.contexts.identity import AccountRole

ACTOR = "contracts"


@dataclass(frozen=True)
class InterestedPerson:
    first_name: str
    last_name: str
    email: str


async def open_account(conn: AsyncConnection, person_id: str, person: InterestedPerson, settings: Settings) -> str:
    """Create the account with its invitation; returns what happened (for logs and tests)."""
    if (await store.load(conn, person_id)).exists:
        return "exists"
    email = person.email.strip().lower()
    if await cases.find_by_login(conn, email) is not None:
        await auth.request_reset_by_login(conn, email, settings, cases.now())
        return "address-known"
    event = e.Registered(
        role=AccountRole.SEEKER,
        created_by=ACTOR,
        email=email,
        name=f"{person.first_name.strip()} {person.last_name.strip()}",
    )
    await cases.register(conn, event, password=None, actor_id=ACTOR, account_id=person_id)
    await auth.request_reset(conn, person_id, settings, cases.now(), actor_id=ACTOR)
    return "created"
