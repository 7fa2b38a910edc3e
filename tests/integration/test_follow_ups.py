"""Triage follow-ups on a real database (issue #12): "How is Rex now?" made with a check's
result — 24 h after 🟡, 48 h after 🟢, none after 🔴 — out of the quiet hours, replaced by a
newer check of the pet, sent once by the reminders job (or skipped: kind off, access lost,
bot blocked), and answered once with Better / Same / Worse.

PostgreSQL and SQLite alike (`db_session`: commits release savepoints), with a clock the test
moves; the worker's path (AnalyzeCheck) runs through the container.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from dishka import AsyncContainer, Provider, Scope
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ioc import create_container
from core.config import Settings
from core.enums import AccessLevel, ReminderKind, Sex, Species, Urgency
from core.interactors.follow_ups import (
    AnswerFollowUp,
    CheckFollowUps,
    FollowUpAnsweredError,
    follow_up_due,
)
from core.interactors.onboarding import RegisterUser, TelegramProfile
from core.interactors.pets import AddPet, PetDraft
from core.interactors.reminder_delivery import DeliveryPolicy, DeliveryReport, SendDueReminders
from core.interactors.reminder_settings import ChooseTimeZone, SetQuietHours
from core.interactors.reminder_times import ReminderTimes
from core.interactors.reminders import (
    DueDateReminders,
    ReminderClosedError,
    ReminderNotFoundError,
    quiet_hours_of,
)
from core.interactors.symptom_check import (
    AnalyzeCheck,
    PhotoAnalysisSetting,
    StoreCheckPhoto,
    SubmitCheck,
)
from core.ports.follow_ups import FollowUpAnswer, FollowUpMessage, FollowUpRepository
from core.ports.notifier import Notifier
from core.ports.photo_model import PhotoModel
from core.ports.queue import AnalysisQueue
from core.ports.reminders import CancelReason, Delivery, DueDateMessage, Reminder
from core.ports.repositories import SymptomCheckRepository, UserRepository
from core.reminder_schedule import DEFAULT_QUIET_HOURS
from core.triage import DetailValue, ImageFinding, default_rules
from db.models import ReminderModel, UserModel
from db.repositories import SqlVetRepository
from db.repositories.appointments import SqlAppointmentRepository
from db.repositories.checks import SqlSymptomCheckRepository
from db.repositories.follow_ups import SqlFollowUpRepository
from db.repositories.pets import SqlPetAccessRepository, SqlPetRepository
from db.repositories.records import SqlMedicalRecordRepository
from db.repositories.reminders import SqlReminderRepository
from db.repositories.users import SqlUserRepository
from db.uow import SqlUnitOfWork
from tests.photos import realistic_jpeg
from tests.support.booking import MutableClock

# Summer, Moscow UTC+3: 12:00 there, far from the quiet hours (22:00-08:00).
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
MEDIUM_SIGNS = (["vomiting"], {"vomiting_count_24h": 5, "vaccinated": True})
LOW_SIGNS: tuple[list[str], dict[str, DetailValue]] = (["skin_lump"], {})
HIGH_SIGNS: tuple[list[str], dict[str, DetailValue]] = (["breathing_difficulty"], {})


@dataclass
class World:
    owner_tg: int
    owner_id: int
    co_owner_tg: int
    co_owner_id: int
    sitter_tg: int
    stranger_tg: int
    pet_id: int


@dataclass
class NoQueue:
    queued: list[int] = field(default_factory=list)

    async def enqueue_check_analysis(self, check_id: int) -> None:
        self.queued.append(check_id)


@dataclass
class RecordingSender:
    """The job's two senders: due dates (never expected here) and follow-ups."""

    follow_ups: list[FollowUpMessage] = field(default_factory=list)
    due_dates: list[DueDateMessage] = field(default_factory=list)
    answer: Delivery = Delivery.SENT

    async def send_due_date(self, message: DueDateMessage) -> Delivery:
        self.due_dates.append(message)
        return Delivery.SENT

    async def send_follow_up(self, message: FollowUpMessage) -> Delivery:
        self.follow_ups.append(message)
        return self.answer


async def _seed(session: AsyncSession, base_tg: int) -> World:
    users = SqlUserRepository(session)
    people = [
        await users.add(telegram_id=base_tg + n, first_name=name, username=None, language="en")
        for n, name in enumerate(("Ann", "Ben", "Sam", "Eve"))
    ]
    pet = await SqlPetRepository(session).add(name="Rex", species=Species.DOG, sex=Sex.MALE)
    access = SqlPetAccessRepository(session)
    for person, level in zip(
        people, (AccessLevel.OWNER, AccessLevel.CO_OWNER, AccessLevel.VIEWER), strict=False
    ):
        await access.grant(pet_id=pet.id, user_id=person.id, level=level, granted_at=NOW)
    await session.commit()
    owner, co_owner, sitter, stranger = people
    return World(
        owner.telegram_id,
        owner.id,
        co_owner.telegram_id,
        co_owner.id,
        sitter.telegram_id,
        stranger.telegram_id,
        pet.id,
    )


async def _check(
    session: AsyncSession,
    clock: MutableClock,
    telegram_id: int,
    pet_id: int,
    answers: tuple[Sequence[str], Mapping[str, DetailValue]],
) -> int:
    users = SqlUserRepository(session)
    access = SqlPetAccessRepository(session)
    submit = SubmitCheck(
        SqlUnitOfWork(session),
        users,
        SqlPetRepository(session),
        access,
        SqlSymptomCheckRepository(session),
        SqlMedicalRecordRepository(session),
        NoQueue(),
        default_rules(),
        PhotoAnalysisSetting(enabled=False),
        clock,
        CheckFollowUps(SqlFollowUpRepository(session), users, access),
    )
    signs, details = answers
    outcome = await submit(
        telegram_id=telegram_id, pet_id=pet_id, signs=list(signs), details=dict(details)
    )
    return outcome.check_id


async def _follow_ups(session: AsyncSession, pet_id: int) -> list[ReminderModel]:
    result = await session.scalars(
        sa.select(ReminderModel)
        .where(ReminderModel.pet_id == pet_id, ReminderModel.kind == ReminderKind.FOLLOW_UP)
        .order_by(ReminderModel.id)
        .execution_options(populate_existing=True)
    )
    return list(result)


async def _send_due(
    session: AsyncSession, sender: RecordingSender, clock: MutableClock
) -> DeliveryReport:
    job = SendDueReminders(
        SqlUnitOfWork(session),
        SqlFollowUpRepository(session),
        sender,
        clock,
        DeliveryPolicy(),
        follow_up_sender=sender,
    )
    return await job()


def _answerer(session: AsyncSession, clock: MutableClock) -> AnswerFollowUp:
    return AnswerFollowUp(
        SqlUnitOfWork(session),
        SqlFollowUpRepository(session),
        SqlUserRepository(session),
        SqlPetRepository(session),
        SqlPetAccessRepository(session),
        SqlSymptomCheckRepository(session),
        clock,
    )


async def _set_user(session: AsyncSession, user_id: int, **values: Any) -> None:
    await session.execute(sa.update(UserModel).where(UserModel.id == user_id).values(**values))
    await session.commit()


async def test_a_medium_result_is_followed_up_a_day_later_for_the_checker(
    db_session: AsyncSession,
) -> None:
    world = await _seed(db_session, 81_000)
    check_id = await _check(
        db_session, MutableClock(NOW), world.co_owner_tg, world.pet_id, MEDIUM_SIGNS
    )

    [row] = await _follow_ups(db_session, world.pet_id)
    assert row.user_id == world.co_owner_id  # who ran the check, not the owner
    assert row.due_at == NOW + timedelta(hours=24)
    assert row.payload == {
        "check_id": check_id,
        "result_at": NOW.isoformat(),
        "urgency": "medium",
    }
    assert row.sent_at is None and row.cancelled_at is None


async def test_a_low_result_is_followed_up_two_days_later(db_session: AsyncSession) -> None:
    world = await _seed(db_session, 81_100)
    await _check(db_session, MutableClock(NOW), world.owner_tg, world.pet_id, LOW_SIGNS)
    [row] = await _follow_ups(db_session, world.pet_id)
    assert row.due_at == NOW + timedelta(hours=48)


async def test_a_high_result_gets_no_follow_up_and_ends_the_pending_one(
    db_session: AsyncSession,
) -> None:
    world = await _seed(db_session, 81_200)
    clock = MutableClock(NOW)
    await _check(db_session, clock, world.owner_tg, world.pet_id, MEDIUM_SIGNS)
    clock.advance(hours=3)
    await _check(db_session, clock, world.owner_tg, world.pet_id, HIGH_SIGNS)

    [row] = await _follow_ups(db_session, world.pet_id)
    assert row.cancel_reason == CancelReason.REPLACED.value


async def test_a_newer_check_of_the_pet_replaces_the_pending_follow_up(
    db_session: AsyncSession,
) -> None:
    world = await _seed(db_session, 81_300)
    clock = MutableClock(NOW)
    await _check(db_session, clock, world.owner_tg, world.pet_id, MEDIUM_SIGNS)
    clock.advance(hours=5)
    # By the co-owner: the question is about the pet's latest check, whoever ran it.
    newer = await _check(db_session, clock, world.co_owner_tg, world.pet_id, LOW_SIGNS)

    older_row, newer_row = await _follow_ups(db_session, world.pet_id)
    assert older_row.cancel_reason == CancelReason.REPLACED.value
    assert newer_row.cancelled_at is None
    assert newer_row.payload["check_id"] == newer
    assert newer_row.user_id == world.co_owner_id
    assert newer_row.due_at == NOW + timedelta(hours=5 + 48)


async def test_a_follow_up_due_in_the_quiet_hours_waits_for_the_morning(
    db_session: AsyncSession,
) -> None:
    world = await _seed(db_session, 81_400)
    late = datetime(2026, 6, 1, 20, 30, tzinfo=UTC)  # 23:30 in Moscow
    await _check(db_session, MutableClock(late), world.owner_tg, world.pet_id, MEDIUM_SIGNS)
    [row] = await _follow_ups(db_session, world.pet_id)
    # 24 h on is 23:30 again: it waits for 08:00 Moscow the morning after.
    assert row.due_at == datetime(2026, 6, 3, 5, 0, tzinfo=UTC)


async def test_a_pending_follow_up_follows_new_quiet_hours_and_zone(
    db_session: AsyncSession,
) -> None:
    world = await _seed(db_session, 81_450)
    clock = MutableClock(NOW)  # 12:00 in Moscow: due 12:00 tomorrow
    await _check(db_session, clock, world.owner_tg, world.pet_id, MEDIUM_SIGNS)
    uow, users = SqlUnitOfWork(db_session), SqlUserRepository(db_session)
    reminders = SqlReminderRepository(db_session)
    due_dates = DueDateReminders(reminders, users, SqlPetAccessRepository(db_session), clock)
    times = ReminderTimes(
        due_dates,
        reminders,
        SqlAppointmentRepository(db_session),
        SqlVetRepository(db_session),
        clock,
    )

    # Quiet until 14:00: it waits for their end.
    await SetQuietHours(uow, users, times)(world.owner_tg, time(22, 0), time(14, 0))
    [row] = await _follow_ups(db_session, world.pet_id)
    assert row.due_at == datetime(2026, 6, 2, 11, 0, tzinfo=UTC)

    # In Vladivostok (UTC+10) 24 h on is 19:00 there, out of those quiet hours.
    await ChooseTimeZone(uow, users, clock, times)(world.owner_tg, "Asia/Vladivostok")
    [row] = await _follow_ups(db_session, world.pet_id)
    assert row.due_at == NOW + timedelta(hours=24)


async def test_a_viewers_check_has_no_follow_up(db_session: AsyncSession) -> None:
    world = await _seed(db_session, 81_500)
    await _check(db_session, MutableClock(NOW), world.sitter_tg, world.pet_id, MEDIUM_SIGNS)
    assert await _follow_ups(db_session, world.pet_id) == []


async def test_the_job_sends_it_once_when_due_with_the_pets_name(db_session: AsyncSession) -> None:
    world = await _seed(db_session, 81_600)
    clock = MutableClock(NOW)
    await _check(db_session, clock, world.owner_tg, world.pet_id, MEDIUM_SIGNS)
    sender = RecordingSender()

    clock.advance(hours=23, minutes=59)
    await _send_due(db_session, sender, clock)
    assert sender.follow_ups == []  # not yet

    clock.advance(minutes=1)
    report = await _send_due(db_session, sender, clock)
    await _send_due(db_session, sender, clock)

    [row] = await _follow_ups(db_session, world.pet_id)
    assert report.sent == 1
    assert sender.follow_ups == [FollowUpMessage(row.id, world.owner_tg, "en", "Rex")]
    assert sender.due_dates == []
    assert row.sent_at is not None


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("kind_off", CancelReason.SWITCHED_OFF),
        ("access_lost", CancelReason.GONE),
        ("blocked", CancelReason.BLOCKED),
    ],
)
async def test_a_follow_up_that_may_not_go_out_is_skipped_with_its_reason(
    db_session: AsyncSession, change: str, reason: CancelReason
) -> None:
    world = await _seed(db_session, 81_700 + 10 * len(change))
    clock = MutableClock(NOW)
    await _check(db_session, clock, world.co_owner_tg, world.pet_id, MEDIUM_SIGNS)
    if change == "kind_off":
        await _set_user(db_session, world.co_owner_id, reminder_kinds_off=["follow_up"])
    elif change == "access_lost":
        await SqlPetAccessRepository(db_session).revoke(
            pet_id=world.pet_id, user_id=world.co_owner_id
        )
        await db_session.commit()
    else:
        await _set_user(db_session, world.co_owner_id, blocked_bot_at=NOW)

    clock.advance(days=3)
    sender = RecordingSender()
    report = await _send_due(db_session, sender, clock)

    assert sender.follow_ups == []
    assert report.skipped == {reason: 1}
    [row] = await _follow_ups(db_session, world.pet_id)
    assert row.cancel_reason == reason.value


async def _sent_follow_up(session: AsyncSession, world: World, clock: MutableClock) -> int:
    await _check(session, clock, world.owner_tg, world.pet_id, MEDIUM_SIGNS)
    clock.advance(hours=24)
    sender = RecordingSender()
    await _send_due(session, sender, clock)
    [message] = sender.follow_ups
    return message.reminder_id


async def test_better_is_stored_once_and_a_second_press_reads_as_answered(
    db_session: AsyncSession,
) -> None:
    world = await _seed(db_session, 81_800)
    clock = MutableClock(NOW)
    reminder_id = await _sent_follow_up(db_session, world, clock)
    answer = _answerer(db_session, clock)

    answered = await answer(world.owner_tg, reminder_id, FollowUpAnswer.BETTER)
    assert (answered.answer, answered.pet_id, answered.pet_name) == (
        FollowUpAnswer.BETTER,
        world.pet_id,
        "Rex",
    )
    assert answered.signs == () and answered.details == {}

    with pytest.raises(FollowUpAnsweredError):
        await answer(world.owner_tg, reminder_id, FollowUpAnswer.BETTER)
    with pytest.raises(FollowUpAnsweredError):
        await answer(world.owner_tg, reminder_id, FollowUpAnswer.WORSE)
    [row] = await _follow_ups(db_session, world.pet_id)
    assert row.payload["answer"] == "better"
    assert datetime.fromisoformat(row.payload["answered_at"]) == clock.now()


async def test_worse_brings_the_earlier_answers_for_the_new_check(
    db_session: AsyncSession,
) -> None:
    world = await _seed(db_session, 81_900)
    clock = MutableClock(NOW)
    reminder_id = await _sent_follow_up(db_session, world, clock)

    answered = await _answerer(db_session, clock)(
        world.owner_tg, reminder_id, FollowUpAnswer.WORSE
    )

    signs, details = MEDIUM_SIGNS
    assert answered.answer is FollowUpAnswer.WORSE
    assert answered.signs == tuple(signs)
    assert answered.details == details
    [row] = await _follow_ups(db_session, world.pet_id)
    assert row.payload["answer"] == "worse"


async def test_another_users_follow_up_reads_as_missing(db_session: AsyncSession) -> None:
    world = await _seed(db_session, 82_000)
    clock = MutableClock(NOW)
    reminder_id = await _sent_follow_up(db_session, world, clock)
    answer = _answerer(db_session, clock)

    # The co-owner shares the pet, but the question was the owner's.
    for telegram_id in (world.stranger_tg, world.co_owner_tg):
        with pytest.raises(ReminderNotFoundError):
            await answer(telegram_id, reminder_id, FollowUpAnswer.BETTER)
    with pytest.raises(ReminderNotFoundError):
        await answer(world.owner_tg, reminder_id + 10_000, FollowUpAnswer.BETTER)
    [row] = await _follow_ups(db_session, world.pet_id)
    assert "answer" not in row.payload


async def test_a_press_after_the_pet_left_is_refused_and_not_stored(
    db_session: AsyncSession,
) -> None:
    world = await _seed(db_session, 82_100)
    clock = MutableClock(NOW)
    await _check(db_session, clock, world.co_owner_tg, world.pet_id, MEDIUM_SIGNS)
    clock.advance(hours=24)
    sender = RecordingSender()
    await _send_due(db_session, sender, clock)
    [message] = sender.follow_ups
    await SqlPetAccessRepository(db_session).revoke(pet_id=world.pet_id, user_id=world.co_owner_id)
    await db_session.commit()

    with pytest.raises(ReminderClosedError):
        await _answerer(db_session, clock)(
            world.co_owner_tg, message.reminder_id, FollowUpAnswer.WORSE
        )
    [row] = await _follow_ups(db_session, world.pet_id)
    assert "answer" not in row.payload


def test_the_delay_follows_the_result_and_the_recipients_zone() -> None:
    at = datetime(2026, 1, 10, 19, 0, tzinfo=UTC)
    # 48 h on is 20:00 in Berlin (outside 22-08), but 02:00 in Novosibirsk: 08:00 there.
    assert follow_up_due(at, Urgency.LOW, "Europe/Berlin", DEFAULT_QUIET_HOURS) == datetime(
        2026, 1, 12, 19, 0, tzinfo=UTC
    )
    assert follow_up_due(at, Urgency.LOW, "Asia/Novosibirsk", DEFAULT_QUIET_HOURS) == datetime(
        2026, 1, 13, 1, 0, tzinfo=UTC
    )
    assert follow_up_due(at, Urgency.HIGH, "Europe/Berlin", DEFAULT_QUIET_HOURS) is None


class WoundModel:
    """Sees an open wound in every photo: a 🟢 answer-based result becomes 🟡."""

    name = "wound-model"

    async def analyze(self, images: Sequence[bytes]) -> list[list[ImageFinding]]:
        return [[ImageFinding("wound_open", 0.91)] for _ in images]


@dataclass
class Recorder:
    queued: list[int] = field(default_factory=list)

    async def enqueue_check_analysis(self, check_id: int) -> None:
        self.queued.append(check_id)

    async def check_result_ready(self, *, telegram_id: int, check_id: int) -> None:
        return None


async def test_the_workers_result_makes_the_follow_up_of_a_check_with_photos(
    settings: Settings,
) -> None:
    recorder = Recorder()
    overrides = Provider(scope=Scope.APP)
    overrides.provide(lambda: recorder, provides=AnalysisQueue)
    overrides.provide(lambda: recorder, provides=Notifier)
    overrides.provide(lambda: WoundModel(), provides=PhotoModel)
    overrides.provide(lambda: PhotoAnalysisSetting(enabled=True), provides=PhotoAnalysisSetting)
    container = create_container(settings, overrides)
    try:
        async with container() as request:
            await (await request.get(RegisterUser))(TelegramProfile(83_000, "Ann", None, "en"))
        async with container() as request:
            pet = await (await request.get(AddPet))(
                83_000, PetDraft(name="Rex", species=Species.DOG, sex=Sex.MALE)
            )
        async with container() as request:
            photo = await (await request.get(StoreCheckPhoto))(83_000, realistic_jpeg(320, 240))
        async with container() as request:
            outcome = await (await request.get(SubmitCheck))(
                telegram_id=83_000, pet_id=pet.id, signs=["skin_lump"], details={}, photos=[photo]
            )
        async with container() as request:
            # Queued: the answer-based 🟢 is not the result the follow-up is about.
            assert await _pending_follow_ups(request) == []
            await (await request.get(AnalyzeCheck))(outcome.check_id)
        async with container() as request:
            check = await (await request.get(SymptomCheckRepository)).get(outcome.check_id)
            user = await (await request.get(UserRepository)).get_by_telegram_id(83_000)
            [row] = await _pending_follow_ups(request)
    finally:
        await container.close()
    assert check is not None and check.urgency is Urgency.MEDIUM
    assert check.completed_at is not None and user is not None
    assert row.payload["check_id"] == outcome.check_id
    assert row.due_at == follow_up_due(
        check.completed_at, Urgency.MEDIUM, user.time_zone, quiet_hours_of(user)
    )


async def _pending_follow_ups(request: AsyncContainer) -> list[Reminder]:
    user = await (await request.get(UserRepository)).get_by_telegram_id(83_000)
    assert user is not None
    rows = await (await request.get(FollowUpRepository)).list_pending_for_user(user.id)
    return [row for row in rows if row.kind is ReminderKind.FOLLOW_UP]
