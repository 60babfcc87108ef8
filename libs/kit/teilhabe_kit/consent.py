"""Consents a person must give in a form: one not given (false or missing) is a 422 that names it
in plain words ("Bitte stimmen Sie der Datenschutzerklärung zu.")."""

from __future__ import annotations

from typing import Any

from pydantic import AfterValidator, BaseModel, model_validator
from pydantic_core import PydanticCustomError


def consent(de: str, en: str) -> AfterValidator:
    """The check of one consent field, ``Annotated[bool, consent(de, en)]``; `de`/`en` name it so
    that "Bitte stimmen Sie {de} zu" / "Please agree to {en}" reads well."""

    def given(value: bool) -> bool:
        if value is not True:
            raise PydanticCustomError(
                "consent_required", "Please agree to {consent_en}.", {"consent_de": de, "consent_en": en}
            )
        return value

    return AfterValidator(given)


class ConsentForm(BaseModel):
    """A group of consent fields; a missing one counts as not given, so its error names it."""

    @model_validator(mode="before")
    @classmethod
    def _missing_is_not_given(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {name: False for name in cls.model_fields} | data
        return data
