"""Fee rules of a facility's offer: income brackets, and the highest fee when proof is missing.

Income declarations are accepted unchecked. The facility may demand proof at any time; while
demanded proof is not delivered (or when nothing was declared) the highest fee applies.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bracket:
    up_to_income_cents: int
    monthly_fee_cents: int


@dataclass(frozen=True)
class FeeRules:
    highest_fee_cents: int
    brackets: tuple[Bracket, ...] = ()

    @classmethod
    def from_json(cls, data: dict) -> FeeRules:
        brackets = tuple(sorted((Bracket(**b) for b in data.get("brackets", ())), key=lambda b: b.up_to_income_cents))
        return cls(highest_fee_cents=data["highest_fee_cents"], brackets=brackets)


@dataclass(frozen=True)
class Fee:
    monthly_fee_cents: int
    basis: str  # "income_bracket" | "flat" | "highest_no_declaration" | "highest_no_proof"


def fee_for(rules: FeeRules, income_cents: int | None, *, proof_demanded: bool, proof_delivered: bool) -> Fee:
    """The monthly fee for a household's declared annual income."""
    if not rules.brackets:
        return Fee(rules.highest_fee_cents, "flat")
    if income_cents is None:
        return Fee(rules.highest_fee_cents, "highest_no_declaration")
    if proof_demanded and not proof_delivered:
        return Fee(rules.highest_fee_cents, "highest_no_proof")
    for bracket in rules.brackets:
        if income_cents <= bracket.up_to_income_cents:
            return Fee(bracket.monthly_fee_cents, "income_bracket")
    return Fee(rules.highest_fee_cents, "income_bracket")
