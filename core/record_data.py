"""Keys of `MedicalRecord.data` shared beyond the medical card's own interactors.

They live here, not in `core.interactors.records`, so the pets interactors can write a weight
entry without importing the card module (which imports them).
"""

from typing import Final

DATA_DATE: Final = "date"  # ISO date the owner gave
DATA_GRAMS: Final = "grams"
