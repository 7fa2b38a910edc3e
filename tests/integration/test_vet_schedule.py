"""The vet's schedule, day and queue through the chat, on a real SQLite database and a fixed
clock: editing the weekly template, timing, days off and extra hours (slots re-published), a
day off over a booked consultation (reported, cancelled only on the vet's choice), `/today`
and `/queue` in the vet's time zone with pet, reason and triage, and unexpected input.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from aiogram.types import Sticker
from aiogram_i18n.cores import FluentRuntimeCore
from dishka import Provider, Scope, provide

from core.clock import Clock
from core.entities import Appointment, Pet, Slot, Vet
from core.enums import AppointmentStatus, CheckStatus, Species, Urgency
from core.interactors.booking import SetWeeklyTemplate
from core.interactors.pets import AddPet, PetDraft
from core.interactors.vets import (
    AcceptVetInvite,
    CreateVetInvite,
    SaveVetProfile,
    VerifyVet,
    vet_invite_token_from_payload,
)
from core.payments import PaymentGateway
from core.ports.repositories import (
    AppointmentRepository,
    SlotRepository,
    SymptomCheckRepository,
    UserRepository,
)
from core.ports.uow import UnitOfWork
from core.schedule import WeeklyWindow
from core.vet_input import VetProfileDraft
from tests.support.booking import MONDAY_MORNING, MutableClock, RecordingGateway
from tests.support.chatting import Chatting, load_texts
from tests.support.vets import (
    ADMIN_ID,
    OWNER_ID,
    VET_ID,
    admin_settings,
    open_vet_chat,
    person,
)

STICKER = Sticker(
    file_id="s1",
    file_unique_id="su1",
    type="regular",
    width=512,
    height=512,
    is_animated=False,
    is_video=False,
)
# MONDAY_MORNING is Monday 2 June 2025, 08:00 in Moscow (the vet's zone here).
TWO_WEEKS_END = MONDAY_MORNING + timedelta(days=15)


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture
def clock() -> MutableClock:
    return MutableClock()


@pytest.fixture
async def chat(
    migrated_sqlite_template: Path, tmp_path: Path, clock: MutableClock
) -> AsyncIterator[Chatting]:
    gateway = RecordingGateway()

    class FixedWorld(Provider):
        @provide(scope=Scope.APP)
        def clock(self) -> Clock:
            return clock

        @provide(scope=Scope.APP)
        def gateway(self) -> PaymentGateway:
            return gateway

    settings = admin_settings(migrated_sqlite_template, tmp_path)
    async with open_vet_chat(settings, FixedWorld()) as opened:
        yield opened


def _en(texts: FluentRuntimeCore, key: str, **args: object) -> str:
    return str(texts.get(key, "en", **args))


async def _verified_vet(chat: Chatting) -> Vet:
    """Invited, profile sent and verified — the onboarding test walks this in the chat."""
    async with chat.container() as request:
        issued = await (await request.get(CreateVetInvite))(ADMIN_ID)
        token = vet_invite_token_from_payload(issued.start_payload)
        assert token is not None
        accepted = await (await request.get(AcceptVetInvite))(VET_ID, token)
        await (await request.get(SaveVetProfile))(
            VET_ID,
            VetProfileDraft(
                display_name="Dr. Anna",
                specialisations="therapy",
                species=frozenset({Species.CAT}),
                languages=frozenset({"en"}),
                years_of_practice=5,
                price_amount=250,
                # Chosen, not the English speaker's likely London: the expectations below
                # read Moscow's day and hours.
                time_zone="Europe/Moscow",
            ),
        )
    async with chat.container() as request:
        verify: VerifyVet = await request.get(VerifyVet)
        verified = await verify(ADMIN_ID, accepted.vet.id)
        return verified.vet


async def _open_slots(chat: Chatting, vet: Vet) -> list[Slot]:
    async with chat.container() as request:
        slots: SlotRepository = await request.get(SlotRepository)
        return await slots.list_open(
            vet.id, start=MONDAY_MORNING, end=TWO_WEEKS_END, now=MONDAY_MORNING
        )


async def _book(
    chat: Chatting, vet: Vet, slot: Slot, *, urgency: Urgency | None
) -> tuple[Pet, Appointment]:
    """A confirmed appointment of the owner's cat, with a finished symptom check."""
    async with chat.container() as request:
        pet: Pet = await (await request.get(AddPet))(
            OWNER_ID, PetDraft(name="Barsik", species=Species.CAT)
        )
        owner = await (await request.get(UserRepository)).get_by_telegram_id(OWNER_ID)
        assert owner is not None
        check_id = None
        if urgency is not None:
            checks = await request.get(SymptomCheckRepository)
            check = await checks.add(
                pet_id=pet.id,
                user_id=owner.id,
                answers={},
                idempotency_key=None,
                submitted_at=MONDAY_MORNING,
            )
            await checks.save_result(
                check.id,
                status=CheckStatus.DONE,
                urgency=urgency,
                result={},
                rules_version="test",
                model_used=False,
                model_version=None,
                completed_at=MONDAY_MORNING,
            )
            check_id = check.id
        appointments = await request.get(AppointmentRepository)
        held = await appointments.add_hold(
            slot_id=slot.id,
            vet_id=vet.id,
            owner_user_id=owner.id,
            pet_id=pet.id,
            reason="Vomiting since morning",
            check_id=check_id,
            price_amount=250,
            currency="XTR",
            hold_expires_at=MONDAY_MORNING + timedelta(minutes=10),
        )
        assert await appointments.confirm(held.id, confirmed_at=MONDAY_MORNING)
        await (await request.get(UnitOfWork)).commit()
        return pet, held


async def _appointment(chat: Chatting, appointment_id: int) -> Appointment:
    async with chat.container() as request:
        appointments: AppointmentRepository = await request.get(AppointmentRepository)
        found = await appointments.get(appointment_id)
        assert found is not None
        return found


async def test_editing_the_template_timing_and_days_off_republishes_slots(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    vet_person = person(chat, VET_ID)
    await person(chat, ADMIN_ID).onboard()
    await vet_person.onboard()
    vet = await _verified_vet(chat)
    assert await _open_slots(chat, vet) == []

    await vet_person.send("/schedule")
    assert "Monday: day off" in vet_person.text()
    assert "times in MSK (UTC+3)" in vet_person.text()
    await vet_person.send_content(sticker=STICKER)
    assert vet_person.said() == [_en(texts, "err-use-buttons")]

    await vet_person.click("✏️ Hours of a weekday")
    await vet_person.send("hello")
    assert vet_person.said() == [_en(texts, "err-use-buttons")]
    await vet_person.click("Monday")
    assert "<b>Monday</b>" in vet_person.text()
    await vet_person.send("9-12")
    assert vet_person.said() == [_en(texts, "err-vet-hours-unreadable")]
    await vet_person.send("11:00-10:00")
    assert vet_person.said() == [_en(texts, "err-vet-hours-unreadable")]
    await vet_person.send("09:00-10:00, 09:30-12:00")
    assert vet_person.said() == [_en(texts, "err-vet-schedule-windows-overlap")]
    await vet_person.send("09:00-12:00")
    assert vet_person.said() == [_en(texts, "msg-vet-schedule-saved")]
    assert "Monday: 09:00–12:00" in vet_person.text()
    # Two Mondays in the next 14 days, six 30-minute slots each, from 09:00 Moscow (06:00 UTC).
    slots = await _open_slots(chat, vet)
    assert len(slots) == 12
    assert slots[0].starts_at == datetime(2025, 6, 2, 6, 0, tzinfo=UTC)

    await vet_person.click("⏱ Consultation length")
    await vet_person.send("5")
    assert vet_person.said() == [_en(texts, "err-vet-minutes-unreadable", limit=180)]
    await vet_person.click("◀️ Back")
    assert "Monday: 09:00–12:00" in vet_person.text()
    await vet_person.click("⏱ Consultation length")
    await vet_person.send("60")
    assert "Consultation: 60 min" in vet_person.text()
    assert len(await _open_slots(chat, vet)) == 6

    await vet_person.click("⏸ Pause between consultations")
    await vet_person.send("121")
    assert vet_person.said() == [_en(texts, "err-vet-minutes-unreadable", limit=120)]
    await vet_person.send("0")
    assert "then a 0 min pause" in vet_person.text()

    await vet_person.click("🏖 Add a day off")
    await vet_person.send("01.06.2025")
    assert vet_person.said() == [_en(texts, "err-vet-date-in-past")]
    await vet_person.send("09.06.2025")
    assert vet_person.said() == [_en(texts, "msg-vet-schedule-saved")]
    assert "🏖 9 Jun 2025 00:00–24:00: time off" in vet_person.text()
    slots = await _open_slots(chat, vet)
    assert [slot.starts_at.day for slot in slots] == [2, 2, 2]

    await vet_person.click("➕ Add extra hours")
    await vet_person.send("07.06.2025 10:00-12:00")
    assert "➕ 7 Jun 2025 10:00–12:00: extra hours" in vet_person.text()
    assert [slot.starts_at.day for slot in await _open_slots(chat, vet)] == [2, 2, 2, 7, 7]

    await vet_person.click("🗑 Remove a day off or extra hours")
    await vet_person.send("hello")
    assert vet_person.said() == [_en(texts, "err-use-buttons")]
    await vet_person.click("🏖 9 Jun 2025 00:00–24:00: time off")
    assert vet_person.said() == [_en(texts, "msg-vet-schedule-saved")]
    days = [slot.starts_at.day for slot in await _open_slots(chat, vet)]
    assert days == [2, 2, 2, 7, 7, 9, 9, 9]


async def test_a_day_off_over_a_booked_consultation_is_reported_and_today_lists_it(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    vet_person, owner = person(chat, VET_ID), person(chat, OWNER_ID)
    await person(chat, ADMIN_ID).onboard()
    await vet_person.onboard()
    await owner.onboard()
    vet = await _verified_vet(chat)
    async with chat.container() as request:
        await (await request.get(SetWeeklyTemplate))(
            VET_ID, [WeeklyWindow(day, time(9), time(12)) for day in range(5)]
        )
    first, second, *_ = await _open_slots(chat, vet)
    _, booked = await _book(chat, vet, first, urgency=Urgency.HIGH)

    await vet_person.send("/today")
    [today] = vet_person.said()
    assert "Today, 2 Jun 2025</b> · MSK (UTC+3): 1" in today
    assert "2 Jun 09:00–09:30</b> · Barsik (🐱 Cat)" in today
    assert "Reason: Vomiting since morning" in today
    assert "Triage: 🔴 high" in today
    await vet_person.send("/queue")
    [queue] = vet_person.said()
    assert "Next 7 days</b> · MSK (UTC+3): 1" in queue
    assert "Barsik" in queue

    await vet_person.send("/schedule")
    await vet_person.click("🏖 Add a day off")
    await vet_person.send("02.06.2025")
    window = vet_person.text()
    assert "You have 1 booked consultation" in window
    assert "❌ 2 Jun 2025 09:00" in vet_person.buttons()
    # Keeping it is the default: the consultation stays confirmed.
    await vet_person.click("Keep them")
    assert "🏖 2 Jun 2025 00:00–24:00: time off" in vet_person.text()
    assert (await _appointment(chat, booked.id)).status is AppointmentStatus.CONFIRMED
    # The other free slots of that day are withdrawn.
    assert second.id not in {slot.id for slot in await _open_slots(chat, vet)}

    # Added again, the vet chooses to cancel it this time.
    await vet_person.click("🏖 Add a day off")
    await vet_person.send("02.06.2025")
    await vet_person.click("❌ 2 Jun 2025 09:00")
    # Not on one tap: the vet confirms with a reason the owner will read.
    assert vet_person.text() == _en(texts, "msg-money-vet-cancel-ask", start="2 Jun 2025 09:00")
    assert (await _appointment(chat, booked.id)).status is AppointmentStatus.CONFIRMED
    await vet_person.send("x" * 301)
    assert vet_person.said() == [_en(texts, "err-money-vet-reason-text", max=300)]
    assert (await _appointment(chat, booked.id)).status is AppointmentStatus.CONFIRMED
    await vet_person.send("I have the flu")
    assert vet_person.said()[-1] == _en(
        texts, "msg-vet-appointment-cancelled", start="2 Jun 2025 09:00"
    )
    assert (await _appointment(chat, booked.id)).status is AppointmentStatus.CANCELLED_BY_VET
    assert "My schedule" in vet_person.text()
    # The owner hears at once, in their own time zone, with the refund, the vet's reason and a
    # way to rebook.
    told = [text for text in owner.said() if "had to cancel" in text]
    assert told, owner.said()
    assert "Barsik" in told[-1] and "Mon 2 Jun" in told[-1]
    # This booking was made without a payment (the fixture), so there is nothing to refund.
    assert "Please choose another time." in told[-1]
    assert told[-1].endswith(_en(texts, "msg-money-owner-vet-reason", reason="I have the flu"))

    await vet_person.send("/today")
    assert vet_person.said() == [
        _en(texts, "msg-vet-today-empty", date="2 Jun 2025", zone="MSK (UTC+3)")
    ]


async def test_today_without_triage_and_in_the_vets_own_zone(
    chat: Chatting, texts: FluentRuntimeCore, clock: MutableClock
) -> None:
    vet_person = person(chat, VET_ID)
    await person(chat, ADMIN_ID).onboard()
    await vet_person.onboard()
    await person(chat, OWNER_ID).onboard()
    vet = await _verified_vet(chat)
    async with chat.container() as request:
        await (await request.get(SetWeeklyTemplate))(
            VET_ID, [WeeklyWindow(day, time(9), time(12)) for day in range(5)]
        )
    tuesday = [slot for slot in await _open_slots(chat, vet) if slot.starts_at.day == 3]
    await _book(chat, vet, tuesday[0], urgency=None)
    # Late on Monday in UTC is already Tuesday in Moscow: /today is the vet's local day.
    clock.current = datetime(2025, 6, 2, 22, 0, tzinfo=UTC)
    await vet_person.send("/today")
    [today] = vet_person.said()
    assert "Today, 3 Jun 2025</b> · MSK (UTC+3): 1" in today
    assert "3 Jun 09:00–09:30</b> · Barsik (🐱 Cat)" in today
    assert "Triage: no symptom check attached" in today
    assert "Reason: Vomiting since morning" in today
    await vet_person.send("/queue")
    [queue] = vet_person.said()
    assert "3 Jun 09:00–09:30" in queue
    # Once it is over, the queue no longer shows it; the day still does.
    clock.current = datetime(2025, 6, 3, 7, 0, tzinfo=UTC)
    await vet_person.send("/queue")
    assert vet_person.said() == [_en(texts, "msg-vet-queue-empty")]
    await vet_person.send("/today")
    assert "3 Jun 09:00–09:30" in vet_person.said()[0]


@pytest.mark.parametrize(
    ("button", "then"),
    [
        ("✏️ Hours of a weekday", "Monday"),
        ("⏱ Consultation length", None),
        ("⏸ Pause between consultations", None),
        ("🏖 Add a day off", None),
        ("➕ Add extra hours", None),
    ],
)
async def test_a_sticker_in_any_schedule_editor_gets_a_hint_and_back_returns(
    chat: Chatting, texts: FluentRuntimeCore, button: str, then: str | None
) -> None:
    vet_person = person(chat, VET_ID)
    await person(chat, ADMIN_ID).onboard()
    await vet_person.onboard()
    await _verified_vet(chat)
    await vet_person.send("/schedule")
    await vet_person.click(button)
    if then is not None:
        await vet_person.click(then)
    editor = vet_person.text()
    await vet_person.send_content(sticker=STICKER)
    assert vet_person.said() == [_en(texts, "err-vet-text-expected")]
    assert vet_person.text() == editor
    await vet_person.click("◀️ Back")
    if then is not None:
        assert vet_person.text() == _en(texts, "msg-vet-choose-day")
        await vet_person.click("◀️ Back")
    assert "My schedule" in vet_person.text()


async def test_a_vets_offered_reason_reaches_the_owner_in_the_owners_language(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    vet_person, owner = person(chat, VET_ID), person(chat, OWNER_ID)
    await person(chat, ADMIN_ID).onboard()
    await vet_person.onboard()
    await owner.send("/start")
    await owner.click(str(texts.get("btn-lang-ru", "ru")))
    await owner.click(str(texts.get("btn-continue", "ru")))
    await owner.click(str(texts.get("btn-consent-agree", "ru")))
    vet = await _verified_vet(chat)
    async with chat.container() as request:
        await (await request.get(SetWeeklyTemplate))(
            VET_ID, [WeeklyWindow(day, time(9), time(12)) for day in range(5)]
        )
    first, *_ = await _open_slots(chat, vet)
    _, booked = await _book(chat, vet, first, urgency=None)

    await vet_person.send("/schedule")
    await vet_person.click("🏖 Add a day off")
    await vet_person.send("02.06.2025")
    await vet_person.click("❌ 2 Jun 2025 09:00")
    # Back keeps the consultation: nothing is cancelled until a reason is given.
    await vet_person.click(_en(texts, "btn-back"))
    assert (await _appointment(chat, booked.id)).status is AppointmentStatus.CONFIRMED
    await vet_person.click("❌ 2 Jun 2025 09:00")
    await vet_person.click(_en(texts, "btn-money-vet-reason-emergency"))

    assert (await _appointment(chat, booked.id)).status is AppointmentStatus.CANCELLED_BY_VET
    [told] = owner.said()
    assert told.endswith(
        str(
            texts.get(
                "msg-money-owner-vet-reason",
                "ru",
                reason=texts.get("lbl-money-vet-reason-emergency", "ru"),
            )
        )
    )
