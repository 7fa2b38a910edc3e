"""Keys of `MedicalRecord.data` shared beyond the medical card's own interactors.

They live here, not in `core.interactors.records`, so the pets interactors can write a weight
entry without importing the card module (which imports them).
"""

from typing import Final

DATA_DATE: Final = "date"  # ISO date the owner gave
DATA_GRAMS: Final = "grams"
DATA_COURSE_END: Final = "end"  # ISO date a medication course ends; absent: ongoing
# A medication's dose times, local "HH:MM" strings, sorted ("skip" in the form: absent, no
# reminders). The prescription's clock: each recipient is reminded at them in their own zone.
DATA_DOSE_TIMES: Final = "dose_times"
