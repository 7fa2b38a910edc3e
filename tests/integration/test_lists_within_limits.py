"""Lists that grow with real use stay within Telegram's limits, with realistic data.

Telegram refuses a whole message over its limits (400), so these are the windows that would
break first in production: the /book vet list (long bios), the slot picker of a vet with
10-minute slots, a busy vet's /today and /queue, a medical card with many doses due, and the
pending-vet card whose caption carries the longest profile. The limits, each with its source:
- text 1-4096 and caption 0-1024 characters after entities parsing:
  https://core.telegram.org/bots/api#sendmessage, https://core.telegram.org/bots/api#sendphoto;
- inline keyboards: at most 100 buttons, 8 a row, about 10 kB of markup (sandbox/emulator/
  limits.py gives the sources: github.com/tginfo/Telegram-Limits issues 187 and 228).
Every window also passes tests/support/telegram_rules.py on its way out (StrictMessageManager,
RecordingSession); a refused window would be swallowed by the bot's error handler, so each test
also checks that no apology was sent.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from aiogram.methods import SendMessage, SendPhoto
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram_dialog.test_tools.keyboard import InlineButtonTextLocator
from aiogram_i18n.cores import FluentRuntimeCore
from dishka import Provider, Scope, provide

from core.clock import Clock
from core.config import Settings
from core.entities import Pet, Vet
from core.enums import Role, Sex, Species
from core.interactors.booking import ListOpenSlots, PublishSlots
from core.interactors.pets import AddPet, PetDraft
from core.interactors.records import AddRecord, VaccinationDraft
from core.interactors.vets import (
    AcceptVetInvite,
    CreateVetInvite,
    SaveVetProfile,
    vet_invite_token_from_payload,
)
from core.payments import PaymentGateway
from core.ports.repositories import (
    AppointmentRepository,
    AvailabilityRepository,
    SlotRepository,
    UserRepository,
    VetRepository,
)
from core.ports.uow import UnitOfWork
from core.record_input import MAX_TITLE_LENGTH
from core.vet_input import (
    MAX_BIO_LENGTH,
    MAX_NAME_LENGTH,
    MAX_SPECIALISATIONS_LENGTH,
    VetProfileDraft,
)
from dialogs.booking.getters import MAX_BIO_SHOWN, VETS_PER_PAGE
from sandbox.emulator.limits import MAX_INLINE_BUTTONS, MAX_INLINE_ROW, MAX_MARKUP_BYTES
from tests.support.booking import MutableClock, RecordingGateway
from tests.support.chatting import USER_ID, Chatting, load_texts, open_chat
from tests.support.clean_run import apology_texts, displayed
from tests.support.telegram_rules import (
    CAPTION_LIMIT,
    MESSAGE_TEXT_LIMIT,
    check_markup,
    check_text,
)
from tests.support.time_zones import choose_time_zone
from tests.support.vets import ADMIN_ID, OWNER_ID, VET_ID, admin_settings, open_vet_chat, person

# Sunday 1 June 2025, 15:00 in Moscow: Monday is a whole free day ahead.
SUNDAY_NOON = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
MONDAY = date(2025, 6, 2)
# Monday 2 June 2025, 07:00 in Moscow: a vet's whole working day is still ahead.
MONDAY_EARLY = datetime(2025, 6, 2, 4, 0, tzinfo=UTC)
ZONE = "Europe/Moscow"
ALL_WEEK_ALL_DAY = [(day, time(0), time(23, 59)) for day in range(7)]
SLOT_LABEL = re.compile(r"\d\d:\d\d")


class FixedWorld(Provider):
    def __init__(self, clock: MutableClock) -> None:
        super().__init__()
        self._clock = clock
        self._gateway = RecordingGateway()

    @provide(scope=Scope.APP)
    def clock(self) -> Clock:
        return self._clock

    @provide(scope=Scope.APP)
    def gateway(self) -> PaymentGateway:
        return self._gateway


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture
async def owner_chat(settings: Settings) -> AsyncIterator[Chatting]:
    async with open_chat(settings, FixedWorld(MutableClock(SUNDAY_NOON))) as opened:
        await opened.send("/start")
        await opened.click("🇬🇧 English")
        await opened.click("Continue ▶️")
        await opened.click("✅ I agree")
        await choose_time_zone(opened)  # booking asks nothing (its own test: booking dialog)
        yield opened


@pytest.fixture
async def vet_chat(migrated_sqlite_template: Path, tmp_path: Path) -> AsyncIterator[Chatting]:
    settings = admin_settings(migrated_sqlite_template, tmp_path)
    async with open_vet_chat(settings, FixedWorld(MutableClock(MONDAY_EARLY))) as opened:
        yield opened


def _prose(length: int, seed: str) -> str:
    """Readable text of exactly `length` characters, with markup-looking bits in it."""
    words = f"{seed}: cats & dogs <3, skin, teeth; 12 years in a 24/7 clinic. "
    text = (words * (length // len(words) + 1))[:length]
    return text[:-1] + "." if text.endswith(" ") else text


def _shown(message: Message) -> str:
    return message.text or message.caption or ""


def _labels(message: Message) -> list[str]:
    markup = message.reply_markup
    if not isinstance(markup, InlineKeyboardMarkup):
        return []
    return [button.text for row in markup.inline_keyboard for button in row]


def _assert_within_limits(message: Message) -> None:
    """What Telegram checks, stated here as well as in the message manager."""
    check_text(_shown(message), caption=message.photo is not None)
    limit = CAPTION_LIMIT if message.photo is not None else MESSAGE_TEXT_LIMIT
    assert len(displayed(_shown(message))) <= limit
    markup = message.reply_markup
    if isinstance(markup, InlineKeyboardMarkup):
        check_markup(markup)
        assert len(_labels(message)) <= MAX_INLINE_BUTTONS
        assert all(len(row) <= MAX_INLINE_ROW for row in markup.inline_keyboard)
        size = len(markup.model_dump_json(exclude_none=True).encode())
        assert size <= MAX_MARKUP_BYTES


def _pager(message: Message) -> tuple[int, int] | None:
    """(this page, last page) from aiogram-dialog's ScrollingGroup row: 1 < this > last."""
    markup = message.reply_markup
    assert isinstance(markup, InlineKeyboardMarkup)
    for row in markup.inline_keyboard:
        texts = [button.text for button in row]
        if len(texts) == 5 and texts[1] == "<" and texts[3] == ">":
            return int(texts[2]), int(texts[4])
    return None


def _assert_no_apology(chat: Chatting, texts: FluentRuntimeCore) -> None:
    sorry = apology_texts(texts)
    assert not [t for t in chat.session.sent_texts() if displayed(t) in sorry]


async def _tap(chat: Chatting, text: str) -> None:
    window = chat.window()
    chat.messages.reset_history()
    await chat.client.click(window, InlineButtonTextLocator(f".*{re.escape(text)}.*"))


async def _add_pet(chat: Chatting, telegram_id: int = USER_ID, name: str = "Murka") -> Pet:
    async with chat.container() as request:
        pet: Pet = await (await request.get(AddPet))(
            telegram_id, PetDraft(name=name, species=Species.CAT, sex=Sex.FEMALE)
        )
        return pet


async def _add_vet(
    chat: Chatting, telegram_id: int, name: str, *, bio: str | None = None, minutes: int = 30
) -> Vet:
    """A verified vet working every day, all day, with slots published."""
    async with chat.container() as request:
        user = await (await request.get(UserRepository)).add(
            telegram_id=telegram_id,
            first_name="Vet",
            username=None,
            language="en",
            roles=frozenset({Role.VET}),
        )
        vet: Vet = await (await request.get(VetRepository)).add(
            user_id=user.id,
            display_name=name,
            species=frozenset({Species.CAT}),
            languages=frozenset({"en"}),
            price_amount=250,
            consultation_minutes=minutes,
            time_zone=ZONE,
            bio=bio,
        )
        await (await request.get(AvailabilityRepository)).replace_rules(vet.id, ALL_WEEK_ALL_DAY)
        await (await request.get(UnitOfWork)).commit()
        await (await request.get(PublishSlots))(vet.id)
        return vet


async def _to_vet_list(chat: Chatting) -> None:
    await chat.send("/book")
    await _tap(chat, "Murka")
    await chat.send("Sneezing since yesterday, and <b>no</b> appetite & thirst")


# --- /book: the vet list ---------------------------------------------------------------------


async def test_six_vets_with_500_character_bios_are_paged_within_the_limits(
    owner_chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _add_pet(owner_chat)
    # The longest name a profile takes, and five ordinary ones.
    names = [_prose(MAX_NAME_LENGTH, "Dr. Longname")] + [f"Dr. Vet {n}" for n in range(1, 6)]
    bios = {name: _prose(MAX_BIO_LENGTH, name) for name in names}
    for index, name in enumerate(names):
        await _add_vet(owner_chat, 900_000 + index, name, bio=bios[name])
    await _to_vet_list(owner_chat)

    next_page = texts.get("btn-page-next", "en")
    seen: list[str] = []
    pages = 0
    while True:
        window = owner_chat.window()
        pages += 1
        _assert_within_limits(window)
        assert displayed(texts.get("msg-booking-vets", "en")) in displayed(_shown(window))
        vets = [label.removeprefix("🧑‍⚕️ ") for label in _labels(window) if "🧑‍⚕️" in label]
        assert 0 < len(vets) <= VETS_PER_PAGE
        # Each bio cut short; the whole of it is on the vet's own card.
        shown = displayed(_shown(window))
        for vet in vets:
            assert bios[vet][: MAX_BIO_SHOWN - 1].rstrip() + "…" in shown
            assert bios[vet] not in shown
        seen += vets
        if next_page not in _labels(window):
            break
        await _tap(owner_chat, next_page)

    assert pages == 2
    assert sorted(seen) == sorted(names)
    _assert_no_apology(owner_chat, texts)


# --- /book: the slot picker ------------------------------------------------------------------


async def test_every_10_minute_slot_of_a_whole_day_is_reachable_within_the_limits(
    owner_chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _add_pet(owner_chat)
    vet = await _add_vet(owner_chat, 910_000, "Dr. Quick", bio="Ten minutes each.", minutes=10)
    async with owner_chat.container() as request:
        expected = [
            slot.local_start.strftime("%H:%M")
            for slot in await (await request.get(ListOpenSlots))(USER_ID, vet.id, MONDAY)
        ]
    assert len(expected) > MAX_INLINE_BUTTONS  # 143 ten-minute slots in 00:00-23:59

    await _to_vet_list(owner_chat)
    await _tap(owner_chat, "Dr. Quick")
    await _tap(owner_chat, "Mon 2 Jun")
    seen: list[str] = []
    pages = 0
    while True:
        window = owner_chat.window()
        pages += 1
        _assert_within_limits(window)
        page = [label for label in _labels(window) if SLOT_LABEL.fullmatch(label)]
        assert page, _shown(window)
        seen += page
        pager = _pager(window)
        assert pager is not None
        assert pager[0] == pages
        if pager[0] == pager[1]:
            break
        await owner_chat.click(">")

    assert pages > 1
    assert seen == expected
    _assert_no_apology(owner_chat, texts)


# --- the vet's /today and /queue -------------------------------------------------------------

BUSY_DAY = 40


async def _book_many(chat: Chatting, vet: Vet, count: int, reason: str) -> None:
    """`count` confirmed consultations of the owner's pets on the vet's first free slots."""
    async with chat.container() as request:
        pets = [
            await (await request.get(AddPet))(
                OWNER_ID, PetDraft(name=f"<Pet {n}> & co", species=Species.CAT)
            )
            for n in range(1, 6)
        ]
        owner = await (await request.get(UserRepository)).get_by_telegram_id(OWNER_ID)
        assert owner is not None
        slots = await (await request.get(SlotRepository)).list_open(
            vet.id, start=MONDAY_EARLY, end=MONDAY_EARLY + timedelta(days=1), now=MONDAY_EARLY
        )
        assert len(slots) >= count
        appointments = await request.get(AppointmentRepository)
        for index, slot in enumerate(slots[:count]):
            held = await appointments.add_hold(
                slot_id=slot.id,
                vet_id=vet.id,
                owner_user_id=owner.id,
                pet_id=pets[index % len(pets)].id,
                reason=reason,
                check_id=None,
                price_amount=250,
                currency="XTR",
                hold_expires_at=MONDAY_EARLY + timedelta(minutes=10),
            )
            assert await appointments.confirm(held.id, confirmed_at=MONDAY_EARLY)
        await (await request.get(UnitOfWork)).commit()


@pytest.mark.parametrize("command", ["/today", "/queue"])
async def test_a_busy_vets_day_fits_one_message_and_says_how_many_more(
    vet_chat: Chatting, texts: FluentRuntimeCore, command: str
) -> None:
    vet = await _add_vet(vet_chat, VET_ID, "Dr. Busy", minutes=10)
    vet_person, owner = person(vet_chat, VET_ID), person(vet_chat, OWNER_ID)
    await vet_person.onboard()
    await owner.onboard()
    await _book_many(vet_chat, vet, BUSY_DAY, _prose(500, "Vomiting <since> morning & night"))

    await vet_person.send(command)

    [agenda] = vet_person.said()
    shown = displayed(agenda)
    assert len(shown) <= MESSAGE_TEXT_LIMIT
    listed = shown.count("Reason: ")
    assert 0 < listed < BUSY_DAY
    assert f": {BUSY_DAY}\n" in shown  # the heading counts them all
    assert shown.endswith(displayed(texts.get("lbl-list-more", "en", count=BUSY_DAY - listed)))
    # The rest is a page away; the keyboard (brief buttons when a public address is known,
    # the pager always) stays within the keyboard limits too.
    [sent] = [
        call for call in vet_chat.session.calls_of(SendMessage) if int(call.chat_id) == VET_ID
    ]
    markup = sent.reply_markup
    assert isinstance(markup, InlineKeyboardMarkup)
    check_markup(markup)
    assert len([b for row in markup.inline_keyboard for b in row]) <= MAX_INLINE_BUTTONS
    assert len(markup.model_dump_json(exclude_none=True).encode()) <= MAX_MARKUP_BYTES
    assert texts.get("btn-page-next", "en") in [
        b.text for row in markup.inline_keyboard for b in row
    ]


# --- the medical card ------------------------------------------------------------------------

DOSES_DUE = 30


async def test_a_medical_card_with_30_vaccinations_due_fits_and_says_how_many_more(
    owner_chat: Chatting, texts: FluentRuntimeCore
) -> None:
    pet = await _add_pet(owner_chat, name="Murka <3")
    today = SUNDAY_NOON.date()
    async with owner_chat.container() as request:
        add_record = await request.get(AddRecord)
        for n in range(DOSES_DUE):
            # The longest product names the form takes; half of the doses overdue already.
            product = _prose(MAX_TITLE_LENGTH, f"Vaccine {n:02d} <DHPPi> & rabies")
            given = today - timedelta(days=400 - n)
            due = given + timedelta(days=365)
            await add_record(USER_ID, pet.id, VaccinationDraft(product, given, next_due=due))

    await owner_chat.send("/records")  # one pet: straight to its card

    card = owner_chat.window()
    _assert_within_limits(card)
    shown = displayed(_shown(card))
    assert displayed(texts.get("msg-record-card", "en", name="Murka <3")) in shown
    listed = len(re.findall(r"^(?:⚠️|🗓) Vaccine \d\d ", shown, re.MULTILINE))
    assert 0 < listed < DOSES_DUE
    more = displayed(texts.get("lbl-list-more", "en", count=DOSES_DUE - listed))
    assert more in shown
    _assert_no_apology(owner_chat, texts)


# --- the pending vet's card ------------------------------------------------------------------

VET_PHOTO = "vet-photo-large"


async def test_the_longest_pending_profile_keeps_its_caption_short_and_its_photo_a_tap_away(
    vet_chat: Chatting, texts: FluentRuntimeCore
) -> None:
    admin, vet = person(vet_chat, ADMIN_ID), person(vet_chat, VET_ID)
    await admin.onboard()
    await vet.onboard()
    name = _prose(MAX_NAME_LENGTH, "Dr. Anna <Petrova> & Partners")
    async with vet_chat.container() as request:
        issued = await (await request.get(CreateVetInvite))(ADMIN_ID)
        token = vet_invite_token_from_payload(issued.start_payload)
        assert token is not None
        await (await request.get(AcceptVetInvite))(VET_ID, token)
        await (await request.get(SaveVetProfile))(
            VET_ID,
            VetProfileDraft(
                display_name=name,
                specialisations=_prose(MAX_SPECIALISATIONS_LENGTH, "Therapy <b>& surgery"),
                species=frozenset({Species.CAT, Species.DOG}),
                languages=frozenset({"en", "ru"}),
                years_of_practice=12,
                price_amount=100_000,
                bio=_prose(MAX_BIO_LENGTH, "Cats & dogs"),
                photo_file_id=VET_PHOTO,
            ),
        )

    await admin.send("/vets_pending")
    await admin.click(f"🩺 {name}")

    card = admin.window()
    _assert_within_limits(card)
    assert name in displayed(_shown(card))
    # The whole card is over 1024 characters: it can't be the photo's caption.
    assert card.photo is None
    photo_button = texts.get("btn-vet-show-photo", "en")
    assert photo_button in admin.buttons()

    await admin.click(photo_button)

    [photo] = vet_chat.session.calls_of(SendPhoto)
    assert photo.photo == VET_PHOTO
    assert int(photo.chat_id) == ADMIN_ID
    assert photo.caption is None or len(displayed(photo.caption)) <= CAPTION_LIMIT
    # The card comes back below the photo, with its buttons.
    again = admin.window()
    _assert_within_limits(again)
    assert name in displayed(_shown(again))
    _assert_no_apology(vet_chat, texts)
