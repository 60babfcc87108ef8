"""Accounts for interested persons: someone registered for a facility's offer in contracts
(enrollment) with first name, last name and e-mail; identity opens their account and sends the
link to set a password, as for an account customer service created.

- The account id is contracts' person id, so a redelivered or replayed registration finds the
  account and changes nothing (no second account, no second link).
- Role seeker, but waiting for verification like anyone who signs up (``created_by`` contracts, no
  activation): the person may sign in, with the role ``applicant`` in the token, which lets them
  follow their enrollment in contracts and nothing else (no assistance orders) until customer
  service verifies and activates the account.
- The password link is a ``PasswordResetRequested`` recorded by someone other than the person
  (actor ``contracts``), which messaging sends as the welcome mail (the link is valid
  ``welcome_link_hours``; the mail says until when). No "Ihr Konto ist freigeschaltet": no check ran.
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
from identity.domain.rules import INTERESTED_PERSONS_CREATOR
from identity.settings import Settings
from teilhabe_events.contexts.identity import AccountRole

ACTOR = INTERESTED_PERSONS_CREATOR


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
