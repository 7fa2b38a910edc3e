"""Triage follow-ups: "How is Rex now?" a day or two after a check, and the answer to it.

The rows are reminders (core.ports.reminders) of kind FOLLOW_UP: the check they follow is in
the payload (`PAYLOAD_CHECK_ID`), and so is the recipient's answer once given
(`PAYLOAD_ANSWER`), which is how a second press of the buttons is recognised. The sender is
implemented in `bot/` (the question with the Better / Same / Worse buttons) and is called by
`SendDueReminders` like the other kinds' senders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from core.ports.reminders import CancelReason, Delivery, ReminderRepository

# Payload keys of a follow-up row: the check it follows, the result's time and level (its due
# time is made from them, and made again when the recipient's clock settings change), and the
# answer (with its time).
PAYLOAD_CHECK_ID = "check_id"
PAYLOAD_RESULT_AT = "result_at"
PAYLOAD_URGENCY = "urgency"
PAYLOAD_ANSWER = "answer"
PAYLOAD_ANSWERED_AT = "answered_at"


class FollowUpAnswer(StrEnum):
    """The owner's answer to "How is Rex now?" (stored in the row's payload)."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"  # a new check starts, with the earlier answers ticked


class FollowUpRepository(ReminderRepository, Protocol):
    """The reminder rows, with what follow-ups need beyond the other kinds."""

    async def cancel_follow_ups(self, pet_id: int, *, reason: CancelReason, at: datetime) -> int:
        """Cancel the pet's pending follow-ups (every recipient's, claimed or not); how many."""
        ...

    async def record_answer(
        self, reminder_id: int, answer: FollowUpAnswer, *, at: datetime
    ) -> bool:
        """Store the answer in the row's payload unless one is there already; False when it
        was (a second press, or two presses racing: only one of them stores)."""
        ...


@dataclass(frozen=True, slots=True)
class FollowUpMessage:
    """ "How is Rex now?", as its recipient reads it."""

    reminder_id: int
    telegram_id: int
    language: str | None
    pet_name: str


class FollowUpSender(Protocol):
    async def send_follow_up(self, message: FollowUpMessage) -> Delivery:
        """Send the question with its Better / Same / Worse buttons; never raises for a
        failed delivery."""
        ...
