"""Triage follow-ups: "How is Rex now?" after a 🟡 result at 24 h, after a 🟢 one at 48 h.

`CheckFollowUps` makes the row when a check's result is saved (`SubmitCheck` for a check
answered at once, `AnalyzeCheck` when the worker saves the photo-refined one), inside that
transaction: a 🔴 result gets none (they were told to go to a clinic now). Any new result of a
pet replaces its pending follow-up (REPLACED): the question is about the latest check, and a
🔴 one leaves none behind. The row is the checker's — an owner or co-owner; a viewer's (pet
sitter's) check stays off the card, and so does its follow-up.

The due time is the result's time plus the delay, moved out of the recipient's quiet hours to
their morning (core.reminder_schedule.out_of_quiet_hours), like the other kinds, and made again
from the same two (kept in the payload) when the recipient's zone or quiet hours change
(`follow_up_due_again`, called by core.interactors.reminder_times). Sending is
`core.interactors.reminder_delivery` (which asks `follow_up_skip_reason` about these rows):
the recipient's /reminders settings (kind switched off: SWITCHED_OFF), a pet deleted or access
lost (GONE) and a blocked bot (BLOCKED) keep it from going out.

`AnswerFollowUp` handles the buttons: the answer is stored in the row's payload, once; a
second press reads as already answered. Another user's reminder id reads like a missing one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final

from core.checks import ANSWER_DETAILS, ANSWER_REASON, ANSWER_SIGNS
from core.clock import Clock
from core.enums import ReminderKind, Urgency
from core.errors import DomainError, UserNotFoundError
from core.interactors.pets import EDITORS
from core.interactors.reminders import (
    ReminderClosedError,
    ReminderNotFoundError,
    quiet_hours_of,
)
from core.ports.follow_ups import (
    PAYLOAD_ANSWER,
    PAYLOAD_CHECK_ID,
    PAYLOAD_RESULT_AT,
    PAYLOAD_URGENCY,
    FollowUpAnswer,
    FollowUpMessage,
    FollowUpRepository,
)
from core.ports.reminders import CancelReason, ClaimedReminder, NewReminder
from core.ports.repositories import (
    PetAccessRepository,
    PetRepository,
    SymptomCheckRepository,
    UserRepository,
)
from core.ports.uow import UnitOfWork
from core.reminder_schedule import QuietHours, out_of_quiet_hours, zone_of
from core.triage import DetailValue

# How long after a result its follow-up comes; a result not listed (🔴) gets none.
FOLLOW_UP_AFTER: Final[Mapping[Urgency, timedelta]] = {
    Urgency.MEDIUM: timedelta(hours=24),
    Urgency.LOW: timedelta(hours=48),
}
# `reminders.step` of a follow-up: one message per check, so one step.
FOLLOW_UP_STEP: Final = "after_check"


def follow_up_due(
    result_at: datetime, urgency: Urgency, time_zone: str, quiet: QuietHours
) -> datetime | None:
    """When the follow-up of a result saved at `result_at` goes out (UTC); None for none."""
    delay = FOLLOW_UP_AFTER.get(urgency)
    if delay is None:
        return None
    return out_of_quiet_hours(result_at + delay, zone_of(time_zone), quiet)


def follow_up_due_again(
    payload: Mapping[str, object], time_zone: str, quiet: QuietHours
) -> datetime | None:
    """The due time of a pending follow-up under new clock settings; None when its payload
    does not say (a row made before it kept the result's time)."""
    try:
        result_at = datetime.fromisoformat(str(payload[PAYLOAD_RESULT_AT]))
        urgency = Urgency(str(payload[PAYLOAD_URGENCY]))
    except (KeyError, ValueError):
        return None
    return follow_up_due(result_at, urgency, time_zone, quiet)


def follow_up_skip_reason(item: ClaimedReminder) -> CancelReason | None:
    """Why a claimed follow-up is not sent (the delivery checked blocked and attempts)."""
    if not item.may_see_pet or item.pet_name is None:
        return CancelReason.GONE
    if ReminderKind.FOLLOW_UP in item.kinds_off:
        return CancelReason.SWITCHED_OFF
    return None


def follow_up_message(item: ClaimedReminder) -> FollowUpMessage:
    # `follow_up_skip_reason` passed it: the pet's name is there.
    assert item.pet_name is not None
    return FollowUpMessage(
        reminder_id=item.id,
        telegram_id=item.telegram_id,
        language=item.language,
        pet_name=item.pet_name,
    )


class CheckFollowUps:
    """Makes and replaces a pet's follow-up when a check's result is saved; part of the
    caller's transaction (it never commits)."""

    def __init__(
        self,
        reminders: FollowUpRepository,
        users: UserRepository,
        access: PetAccessRepository,
    ) -> None:
        self._reminders = reminders
        self._users = users
        self._access = access

    async def result_saved(
        self, *, check_id: int, pet_id: int, user_id: int, urgency: Urgency, at: datetime
    ) -> None:
        """The check's result (`urgency`) was saved at `at` for the user who ran it."""
        await self._reminders.cancel_follow_ups(pet_id, reason=CancelReason.REPLACED, at=at)
        if urgency not in FOLLOW_UP_AFTER:
            return
        if await self._access.get_level(user_id, pet_id) not in EDITORS:
            return
        user = await self._users.get(user_id)
        if user is None:
            return
        due_at = follow_up_due(at, urgency, user.time_zone, quiet_hours_of(user))
        assert due_at is not None  # an urgency in FOLLOW_UP_AFTER has a delay
        await self._reminders.add_many(
            [
                NewReminder(
                    user_id=user_id,
                    kind=ReminderKind.FOLLOW_UP,
                    due_at=due_at,
                    pet_id=pet_id,
                    step=FOLLOW_UP_STEP,
                    payload={
                        PAYLOAD_CHECK_ID: check_id,
                        PAYLOAD_RESULT_AT: at.isoformat(),
                        PAYLOAD_URGENCY: urgency.value,
                    },
                )
            ]
        )


class FollowUpAnsweredError(DomainError):
    """The follow-up was answered already (a second press, or another of its buttons)."""

    def __init__(self, reminder_id: int, answer: FollowUpAnswer | None) -> None:
        super().__init__(f"follow-up {reminder_id} was answered already ({answer})")
        self.reminder_id = reminder_id
        self.answer = answer


@dataclass(frozen=True, slots=True)
class FollowUpAnswered:
    answer: FollowUpAnswer
    pet_id: int
    pet_name: str
    # WORSE: the followed check's answers, for the new check to start with (empty when the
    # check is gone). Nothing for the other answers.
    signs: tuple[str, ...] = ()
    details: Mapping[str, DetailValue] = field(default_factory=dict)
    reason: str | None = None


class AnswerFollowUp:
    """A press of Better / Same / Worse under "How is Rex now?": stored once, in the row."""

    def __init__(
        self,
        uow: UnitOfWork,
        reminders: FollowUpRepository,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        checks: SymptomCheckRepository,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._reminders = reminders
        self._users = users
        self._pets = pets
        self._access = access
        self._checks = checks
        self._clock = clock

    async def __call__(
        self, telegram_id: int, reminder_id: int, answer: FollowUpAnswer
    ) -> FollowUpAnswered:
        user = await self._users.get_by_telegram_id(telegram_id)
        if user is None:
            raise UserNotFoundError(telegram_id)
        reminder = await self._reminders.get(reminder_id)
        if (
            reminder is None
            or reminder.user_id != user.id
            or reminder.kind is not ReminderKind.FOLLOW_UP
            or reminder.pet_id is None
        ):
            raise ReminderNotFoundError(reminder_id)
        if PAYLOAD_ANSWER in reminder.payload:
            raise FollowUpAnsweredError(reminder_id, _answer_of(reminder.payload))
        pet = await self._pets.get(reminder.pet_id)
        level = await self._access.get_level(user.id, reminder.pet_id)
        if pet is None or pet.is_archived or level not in EDITORS:
            # Deleted, archived or no longer theirs since the question came.
            raise ReminderClosedError(reminder_id, CancelReason.GONE)
        if not await self._reminders.record_answer(reminder_id, answer, at=self._clock.now()):
            # Another press stored its answer between the read above and this write.
            raise FollowUpAnsweredError(reminder_id, None)
        answered = FollowUpAnswered(answer, pet.id, pet.name)
        if answer is FollowUpAnswer.WORSE:
            answered = await self._with_earlier_answers(answered, reminder.payload)
        await self._uow.commit()
        return answered

    async def _with_earlier_answers(
        self, answered: FollowUpAnswered, payload: Mapping[str, object]
    ) -> FollowUpAnswered:
        check_id = payload.get(PAYLOAD_CHECK_ID)
        check = await self._checks.get(check_id) if isinstance(check_id, int) else None
        if check is None or check.pet_id != answered.pet_id:
            return answered  # the check was deleted: the new one starts blank
        answers = check.answers
        signs = answers.get(ANSWER_SIGNS) or []
        details = answers.get(ANSWER_DETAILS) or {}
        reason = answers.get(ANSWER_REASON)
        return FollowUpAnswered(
            answered.answer,
            answered.pet_id,
            answered.pet_name,
            signs=tuple(sign for sign in signs if isinstance(sign, str)),
            details={
                str(detail): value
                for detail, value in details.items()
                if isinstance(value, bool | int | float | str)
            },
            reason=reason if isinstance(reason, str) and reason else None,
        )


def _answer_of(payload: Mapping[str, object]) -> FollowUpAnswer | None:
    try:
        return FollowUpAnswer(str(payload.get(PAYLOAD_ANSWER)))
    except ValueError:
        return None  # written by a later version
