"""A pet's microchip number as ISO 11784/11785 writes it: 15 digits, nothing else.

Scanners and passports print it in groups ("643 094 100 123 456"), so spaces, dots and
dashes are dropped before checking. Shorter numbers (old 9- or 10-digit chips) are not ISO:
an EU border check refuses them, so the card does not store them as if they were.
"""

from __future__ import annotations

import re
from typing import Final

from core.pets_errors import PetInputError, PetInputErrorReason

MICROCHIP_DIGITS: Final = 15
_SEPARATORS = re.compile(r"[\s.\-]+")
_ISO_NUMBER = re.compile(rf"[0-9]{{{MICROCHIP_DIGITS}}}")


def parse_microchip(text: str) -> str:
    """The 15 digits of a typed microchip number; `PetInputError` when it is not one."""
    number = _SEPARATORS.sub("", text)
    check_microchip(number)
    return number


def check_microchip(number: str) -> None:
    # ASCII digits only: `str.isdigit` would also take "١٢٣" or superscripts.
    if not _ISO_NUMBER.fullmatch(number) or not number.strip("0"):
        raise PetInputError(PetInputErrorReason.MICROCHIP_BAD, max_length=MICROCHIP_DIGITS)
