"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from ``0123456789ABCDEFGHJKLMNPQRTUWXY`` (no I, O, S, V, Z). The 18th is a check
character: with weights w_i = 3^(i-1) mod 31 and the characters' values c_i,
check = (31 − Σ c_i·w_i mod 31) mod 31.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]
LENGTH = 18


def normalize_uscc(code) -> str:
    """Upper-case and strip surrounding spaces; anything else is left for validation to judge."""
    return str(code or "").strip().upper()


def check_character(first17: str) -> str:
    total = sum(VALUES[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def uscc_problem(code) -> str | None:
    """None when ``code`` (after normalisation) is valid, else a message saying what is wrong."""
    code = normalize_uscc(code)
    if len(code) != LENGTH:
        return str(_("A unified social credit code has 18 characters; this one has %(n)d.") % {"n": len(code)})
    for position, ch in enumerate(code, start=1):
        if ch not in VALUES:
            return str(_("Character %(pos)d (“%(ch)s”) is not allowed: only digits and the letters "
                         "ABCDEFGHJKLMNPQRTUWXY may appear.") % {"pos": position, "ch": ch})
    expected = check_character(code[:17])
    if code[17] != expected:
        return str(_("The check character is wrong: the 18th character should be “%(expected)s”, "
                     "not “%(got)s”. Please check the code for a typing error.")
                   % {"expected": expected, "got": code[17]})
    return None


def is_valid_uscc(code) -> bool:
    return uscc_problem(code) is None


@deconstructible
class USCCValidator:
    code = "invalid_uscc"

    def __call__(self, value):
        problem = uscc_problem(value)
        if problem:
            raise ValidationError(problem, code=self.code)

    def __eq__(self, other):
        return isinstance(other, USCCValidator)


validate_uscc = USCCValidator()


def org_code_check(first8: str) -> str:
    """Check character of the 9-character organisation code (GB 11714) inside a USCC."""
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(ch, 36) * w for ch, w in zip(first8, weights, strict=True))
    c = 11 - total % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def make_uscc(region: str, serial: int, *, authority: str = "9", kind: str = "1") -> str:
    """A well-formed code for demo and test data: authority, type, 6-digit region, organisation
    code built from ``serial`` with its own check, then the USCC check character."""
    body = f"{serial % 10**8:08d}"
    first17 = f"{authority}{kind}{region}{body}{org_code_check(body)}"
    return first17 + check_character(first17)
