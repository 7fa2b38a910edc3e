"""The chat side of consultations, on a real SQLite database and a fixed clock: the vet's
/today links each consultation's brief (Start and Report as the call window opens), the vet's
menu and /help, and /book offering the pet's latest symptom check for the vet's brief."""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from aiogram.methods import SendMessage, SetMyCommands
from aiogram.types import BotCommandScopeChat, InlineKeyboardMarkup, Sticker
from aiogram_dialog.test_tools.keyboard import InlineButtonTextLocator
from aiogram_i18n.cores import FluentRuntimeCore
from dishka import Provider, Scope, provide

from core.clock import Clock
from core.dates import DateStyle, format_day
from core.entities import Appointment, Pet, Vet
from core.enums import AppointmentStatus, Role, Sex, Species
from core.interactors.booking import PublishSlots
from core.interactors.booking_views import RECENT_CHECK_DAYS
from core.interactors.consultation_brief import GetConsultationBrief
from core.interactors.pets import AddPet, PetDraft
from core.ports.repositories import (
    AppointmentRepository,
    AvailabilityRepository,
    SlotRepository,
    SymptomCheckRepository,
    UserRepository,
    VetRepository,
)
from core.ports.uow import UnitOfWork
from tests.conftest import make_settings
from tests.support.booking import MutableClock
from tests.support.chatting import Chatting, load_texts
from tests.support.clean_run import displayed
from tests.support.time_zones import choose_time_zone
from tests.support.vets import ADMIN_ID, OWNER_ID, VET_ID, Person, open_vet_chat, person

BASE = "https://vets.example.org"
# Monday 2 June 2025, 07:00 in Moscow: the vet's day ahead.
MONDAY_EARLY = datetime(2025, 6, 2, 4, 0, tzinfo=UTC)
ZONE = "Europe/Moscow"
VET_NAME = "Dr. Brief"
STICKER = {
    "sticker": Sticker(
        file_id="s",
        file_unique_id="s",
        type="regular",
        width=1,
        height=1,
        is_animated=False,
        is_video=False,
    )
}


class FixedClock(Provider):
    def __init__(self, clock: MutableClock) -> None:
        super().__init__()
        self._clock = clock

    @provide(scope=Scope.APP)
    def clock(self) -> Clock:
        return self._clock


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture
def clock() -> MutableClock:
    return MutableClock(MONDAY_EARLY)


@pytest.fixture
async def chat(
    migrated_sqlite_template: Path, tmp_path: Path, clock: MutableClock
) -> AsyncIterator[Chatting]:
    database = tmp_path / "telemed.db"
    shutil.copyfile(migrated_sqlite_template, database)
    settings = make_settings(database, admin_ids=frozenset({ADMIN_ID}), webapp_url=BASE)
    async with open_vet_chat(settings, FixedClock(clock)) as opened:
        yield opened


async def _add_vet(chat: Chatting) -> Vet:
    """A verified vet working all day, every day, in 30-minute slots."""
    async with chat.container() as request:
        user = await (await request.get(UserRepository)).add(
            telegram_id=VET_ID,
            first_name="Vet",
            username=None,
            language="en",
            roles=frozenset({Role.VET}),
        )
        vet: Vet = await (await request.get(VetRepository)).add(
            user_id=user.id,
            display_name=VET_NAME,
            species=frozenset({Species.CAT}),
            languages=frozenset({"en"}),
            price_amount=250,
            time_zone=ZONE,
        )
        await (await request.get(AvailabilityRepository)).replace_rules(
            vet.id, [(day, time(0), time(23, 59)) for day in range(7)]
        )
        await (await request.get(UnitOfWork)).commit()
        await (await request.get(PublishSlots))(vet.id)
        return vet


async def _add_pet(chat: Chatting) -> Pet:
    async with chat.container() as request:
        pet: Pet = await (await request.get(AddPet))(
            OWNER_ID, PetDraft(name="Murka", species=Species.CAT, sex=Sex.FEMALE)
        )
        return pet


async def _book(chat: Chatting, vet: Vet, pet: Pet, starts_in: timedelta) -> Appointment:
    """A confirmed consultation on the vet's first free slot after `starts_in` from now."""
    async with chat.container() as request:
        owner = await (await request.get(UserRepository)).get_by_telegram_id(OWNER_ID)
        assert owner is not None
        now = MONDAY_EARLY + starts_in
        [slot, *_] = await (await request.get(SlotRepository)).list_open(
            vet.id, start=now, end=now + timedelta(hours=2), now=now
        )
        appointments: AppointmentRepository = await request.get(AppointmentRepository)
        held = await appointments.add_hold(
            slot_id=slot.id,
            vet_id=vet.id,
            owner_user_id=owner.id,
            pet_id=pet.id,
            reason="Limping",
            check_id=None,
            price_amount=250,
            currency="XTR",
            hold_expires_at=MONDAY_EARLY + timedelta(minutes=10),
        )
        assert await appointments.confirm(held.id, confirmed_at=MONDAY_EARLY)
        await (await request.get(UnitOfWork)).commit()
        confirmed = await appointments.get(held.id)
        assert confirmed is not None
        return confirmed


def _agenda_markup(chat: Chatting, who: Person) -> InlineKeyboardMarkup:
    [sent] = [
        call for call in chat.session.calls_of(SendMessage) if int(call.chat_id) == who.telegram_id
    ]
    assert isinstance(sent.reply_markup, InlineKeyboardMarkup), sent.text
    return sent.reply_markup


def _web_apps(markup: InlineKeyboardMarkup) -> dict[str, str]:
    return {b.text: b.web_app.url for row in markup.inline_keyboard for b in row if b.web_app}


async def _tap(who: Person, text: str) -> None:
    window = who.window()
    who.chat.session.reset()
    await who.client.click(window, InlineButtonTextLocator(f".*{re.escape(text)}.*"))


# --- /today ----------------------------------------------------------------------------------


async def test_today_links_the_brief_then_offers_start_and_report_as_the_call_window_opens(
    chat: Chatting, texts: FluentRuntimeCore, clock: MutableClock
) -> None:
    vet = await _add_vet(chat)
    vet_person, owner = person(chat, VET_ID), person(chat, OWNER_ID)
    await vet_person.onboard()
    await owner.onboard()
    appointment = await _book(chat, vet, await _add_pet(chat), timedelta(hours=2))
    start, report = texts.get("btn-vet-start-call", "en"), texts.get("btn-vet-report", "en")

    await vet_person.send("/today")
    links = _web_apps(_agenda_markup(chat, vet_person))
    [(brief_label, brief_url)] = links.items()
    assert brief_label.startswith("📋 ") and "Murka" in brief_label
    assert brief_url == f"{BASE}/miniapp/?appointment={appointment.id}&screen=brief"

    # Five minutes before the start: the call window is open.
    clock.current = appointment.starts_at - timedelta(minutes=5)
    await vet_person.send("/today")
    links = _web_apps(_agenda_markup(chat, vet_person))
    assert parse_qs(urlsplit(links[start]).query) == {"appointment": [str(appointment.id)]}
    assert links[report] == f"{BASE}/miniapp/?appointment={appointment.id}&screen=report"

    # The call window closed; the report is not in: only the brief and the report remain.
    clock.current = appointment.ends_at + timedelta(minutes=20)
    await vet_person.send("/today")
    assert set(_web_apps(_agenda_markup(chat, vet_person))) == {brief_label, report}


# --- the vet's menu and /help ----------------------------------------------------------------


async def test_start_gives_an_existing_vet_the_vet_menu_and_an_owner_none(
    chat: Chatting,
) -> None:
    await _add_vet(chat)
    vet_person, owner = person(chat, VET_ID), person(chat, OWNER_ID)
    await owner.onboard()
    await vet_person.onboard()

    await vet_person.send("/start")
    await owner.client.send("/start")  # into the same record: the owner's /start sets none
    menus = [
        call
        for call in chat.session.calls_of(SetMyCommands)
        if isinstance(call.scope, BotCommandScopeChat)
    ]
    assert {int(call.scope.chat_id) for call in menus} == {VET_ID}
    assert sorted(call.language_code or "" for call in menus) == ["", "en", "ru"]
    for call in menus:
        assert {"today", "queue", "schedule", "book", "help"} <= {c.command for c in call.commands}


async def test_help_tells_a_vet_about_their_commands_and_the_consultation(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _add_vet(chat)
    vet_person, owner = person(chat, VET_ID), person(chat, OWNER_ID)
    await owner.onboard()
    await vet_person.onboard()

    await owner.send("/help")
    assert owner.said() == [texts.get("msg-help", "en")]
    await vet_person.send("/help")
    [vet_help] = vet_person.said()
    assert vet_help == texts.get("msg-help-vet", "en", brief_minutes=30, call_minutes=10)
    assert displayed(texts.get("msg-help", "en")) in displayed(vet_help)
    owner_help = texts.get("msg-help", "en")
    for command in ("/today", "/queue", "/schedule"):
        assert command in vet_help
        assert command not in owner_help
    assert "30 min" in vet_help and "10 min" in vet_help


# --- /book and the latest symptom check ------------------------------------------------------


async def _submit_check(owner: Person, texts: FluentRuntimeCore) -> None:
    await owner.send("/check")
    await _tap(owner, "Murka")
    await _tap(owner, texts.get("btn-check-none-of-these", "en"))
    await _tap(owner, texts.get("area-digestion", "en"))
    await _tap(owner, texts.get("sign-vomiting", "en"))
    await _tap(owner, "Continue ▶️")
    await owner.send("5")
    await _tap(owner, "Yes")
    await _tap(owner, texts.get("btn-check-skip-photos", "en"))
    await _tap(owner, texts.get("btn-check-submit", "en"))


async def _to_summary(owner: Person, texts: FluentRuntimeCore) -> None:
    await owner.send("Vomiting since the morning")
    await _tap(owner, VET_NAME)
    days = [b for b in owner.buttons() if re.fullmatch(r"\w{3} \d{1,2} \w{3}", b)]  # Sat 5 Dec
    await _tap(owner, days[0])
    slots = [b for b in owner.buttons() if re.fullmatch(r"\d\d:\d\d", b)]
    await _tap(owner, slots[0])


async def _held(chat: Chatting) -> Appointment:
    async with chat.container() as request:
        owner = await (await request.get(UserRepository)).get_by_telegram_id(OWNER_ID)
        assert owner is not None
        repository: AppointmentRepository = await request.get(AppointmentRepository)
        [held] = await repository.list_for_owner(owner.id, statuses=[AppointmentStatus.HELD])
        return held


async def test_book_offers_the_latest_check_and_the_vets_brief_shows_the_one_attached(
    chat: Chatting, texts: FluentRuntimeCore, clock: MutableClock
) -> None:
    vet = await _add_vet(chat)
    owner = person(chat, OWNER_ID)
    await owner.onboard()
    await choose_time_zone(chat, telegram_id=OWNER_ID)  # booking asks nothing
    pet = await _add_pet(chat)
    await _submit_check(owner, texts)
    async with chat.container() as request:
        [check, *_] = await (await request.get(SymptomCheckRepository)).list_for_pet(pet.id)
    assert check.urgency is not None
    clock.advance(minutes=60 * 24 * (RECENT_CHECK_DAYS - 1))  # still recent a day before

    await owner.send("/book")
    await _tap(owner, "Murka")
    offer = displayed(owner.text())
    assert "Murka" in offer and format_day(check.submitted_at, DateStyle.LONG, "en") in offer
    level = displayed(texts.get("lbl-booking-check-level", "en", urgency=check.urgency.value))
    assert level in offer
    # Unexpected input gets the step's own hint, and the question again.
    chat.session.reset()
    await owner.send_content(**STICKER)
    assert chat.session.sent_texts() == [texts.get("err-booking-recent-check-choice", "en")]
    assert displayed(owner.text()) == offer

    await _tap(owner, texts.get("btn-booking-attach-recent", "en"))
    assert owner.text() == texts.get("msg-booking-reason-with-check", "en")
    await _to_summary(owner, texts)
    assert texts.get("msg-booking-check-attached", "en") in owner.text()
    await _tap(owner, texts.get("btn-booking-pay", "en"))
    held = await _held(chat)
    assert held.check_id == check.id
    assert held.reason == "Vomiting since the morning"

    # Paid; half an hour before the start the vet's brief holds that very check.
    async with chat.container() as request:
        assert await (await request.get(AppointmentRepository)).confirm(
            held.id, confirmed_at=clock.now()
        )
        await (await request.get(UnitOfWork)).commit()
    clock.current = held.starts_at - timedelta(minutes=20)
    async with chat.container() as request:
        brief = await (await request.get(GetConsultationBrief))(VET_ID, held.id)
    assert brief.check is not None
    assert brief.check.check.id == check.id
    assert held.vet_id == vet.id


async def test_book_without_attaching_or_with_only_an_old_check_books_without_one(
    chat: Chatting, texts: FluentRuntimeCore, clock: MutableClock
) -> None:
    await _add_vet(chat)
    owner = person(chat, OWNER_ID)
    await owner.onboard()
    await choose_time_zone(chat, telegram_id=OWNER_ID)  # booking asks nothing
    pet = await _add_pet(chat)
    await _submit_check(owner, texts)

    await owner.send("/book")
    await _tap(owner, "Murka")
    await _tap(owner, texts.get("btn-booking-skip-recent", "en"))
    assert owner.text() == texts.get("msg-booking-reason", "en")
    await _to_summary(owner, texts)
    assert texts.get("msg-booking-check-attached", "en") not in owner.text()
    await _tap(owner, texts.get("btn-booking-pay", "en"))
    assert (await _held(chat)).check_id is None

    # A week and a day later the check is no longer offered: straight to the reason.
    clock.advance(minutes=60 * 24 * (RECENT_CHECK_DAYS + 1))
    await owner.send("/book")
    await _tap(owner, "Murka")
    assert owner.text() == texts.get("msg-booking-reason", "en")
    async with chat.container() as request:
        assert len(await (await request.get(SymptomCheckRepository)).list_for_pet(pet.id)) == 1
