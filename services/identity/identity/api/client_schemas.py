"""Request and response models of the clients (Ratsuchende) of counseling centres."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field
from pydantic_core import PydanticCustomError

from identity.api.schemas import Email, Password, Phone, Strict
from identity.domain.clients import PSEUDONYM
from teilhabe_kit.consent import ConsentForm, consent


def _pseudonym(value: str) -> str:
    value = " ".join(value.split())
    if not PSEUDONYM.fullmatch(value):
        raise PydanticCustomError(
            "pseudonym_invalid",
            "Das Pseudonym hat 3 bis 40 Zeichen: Buchstaben, Ziffern, Leerzeichen, Punkt, Binde- oder Unterstrich.",
        )
    return value


Pseudonym = Annotated[str, Field(max_length=80, examples=["Sonnenblume 27"]), AfterValidator(_pseudonym)]


class ClientIn(Strict):
    """A counselor opens an account for a client; the initial password is shown once."""

    pseudonym: Pseudonym
    email: Email | None = Field(default=None, description="for notifications only (optional; admins see it)")
    phone: Phone | None = Field(default=None, description="mobile number for notifications (optional)")


class ClientOpened(BaseModel):
    account_id: str
    pseudonym: str
    initial_password: str = Field(description="shown only now; the client must change it at the first sign-in")


class ClientConsents(ConsentForm, Strict):
    privacy: Annotated[bool, consent("der Datenschutzerklärung", "the privacy policy")]


class SelfRegistration(Strict):
    """A person registers as a client of a centre: pseudonym and password, contact optional."""

    pseudonym: Pseudonym
    password: Password
    email: Email | None = None
    phone: Phone | None = None
    consents: ClientConsents


class ClientRegistered(BaseModel):
    account_id: str
    centre_id: str


class ClientLogin(Strict):
    centre_id: str = Field(min_length=1, max_length=64, description="the counseling centre the client belongs to")
    pseudonym: str = Field(min_length=1, max_length=80)
    password: Password


class NewPassword(BaseModel):
    account_id: str
    initial_password: str = Field(description="shown only now; to be changed at the next sign-in")


class LockIn(Strict):
    reason: str | None = Field(default=None, max_length=1000, description="kept sealed in identity")
