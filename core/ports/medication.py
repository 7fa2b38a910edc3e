"""Medication dose reminders: the rows of one dose, and the messages about it.

A dose is named by its local date and time (`PAYLOAD_DOSE_AT`, "2026-06-01T09:00"), the same
in every recipient's rows: the owner's and each co-owner's "dose" row (at the time) and
"missed" row (an hour later), each in the recipient's own zone. "Given ✓" on any of them
closes the dose for everyone (core.interactors.medication_reminders).

The senders are implemented in `bot/` (texts from the locales, in the recipient's language).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from core.ports.reminders import Delivery

# Payload keys of a dose row: which dose, and once given, by whom (first name) and when (UTC).
PAYLOAD_DOSE_AT = "dose_at"
PAYLOAD_GIVEN_BY = "given_by"
PAYLOAD_GIVEN_AT = "given_at"


class DoseStep(StrEnum):
    DOSE = "dose"  # at the prescribed time
    MISSED = "missed"  # an hour later, unless someone pressed "Given ✓"


@dataclass(frozen=True, slots=True)
class DoseRow:
    """A row of one dose with what editing its message needs."""

    id: int
    user_id: int
    step: str | None
    telegram_id: int
    language: str | None
    time_zone: str
    sent: bool
    message_id: int | None
    payload: Mapping[str, Any]


class DoseRepository(Protocol):
    """The medication rows by dose; never commits."""

    async def lock_course(self, record_id: int) -> None:
        """Hold the entry's row until the commit: two top-ups of one course take turns."""
        ...

    async def dose_keys(self, record_id: int, *, since: datetime) -> set[tuple[int, str, str]]:
        """(user id, dose, step) of the entry's rows due from `since` on, in any state."""
        ...

    async def rows_of_dose(self, record_id: int, dose_at: str) -> list[DoseRow]: ...

    async def mark_given(self, record_id: int, dose_at: str, *, by: str, at: datetime) -> None:
        """Write who gave the dose into all its rows; cancel the pending ones as DONE."""
        ...

    async def set_message_id(self, reminder_id: int, message_id: int) -> None: ...


@dataclass(frozen=True, slots=True)
class DoseMessage:
    """ "💊 Rex: Synulox, 50 mg — 09:00 dose" (or its missed-dose reminder), with "Given ✓"."""

    reminder_id: int
    telegram_id: int
    language: str | None
    step: str  # DoseStep
    pet_name: str
    drug: str
    dose: str
    dose_time: str  # "HH:MM", the prescription's


@dataclass(frozen=True, slots=True)
class SentDose:
    delivery: Delivery
    message_id: int | None = None  # kept to show later that the dose was given


@dataclass(frozen=True, slots=True)
class DoseGivenNotice:
    """A dose message edited to say it was given; `given_by` None: by its recipient."""

    telegram_id: int
    language: str | None
    message_id: int
    step: str
    pet_name: str
    drug: str
    dose: str
    dose_time: str
    given_by: str | None
    given_at: str  # "HH:MM" in the recipient's zone


class MedicationSender(Protocol):
    async def send_dose(self, message: DoseMessage) -> SentDose:
        """Send one dose reminder with "Given ✓"; never raises for a failed delivery."""
        ...

    async def show_given(self, notice: DoseGivenNotice) -> None:
        """Edit an earlier dose message to say it was given (buttons gone); never raises."""
        ...
