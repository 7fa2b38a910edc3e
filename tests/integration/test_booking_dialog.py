"""Booking and paying through aiogram-dialog's BotClient, on a real SQLite database.

The clock is fixed (a Sunday) and the vet works in another time zone than the owner, so the
times shown prove the conversion: the owner (who chose Moscow) sees 07:00 for the vet's 09:00,
labelled as people name the zone ("MSK (UTC+3)"), and so does the vet's "UTC+5" in notices.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from aiogram.methods import AnswerPreCheckoutQuery, SendInvoice, SendMessage
from aiogram.types import (
    Chat,
    Message,
    PreCheckoutQuery,
    Sticker,
    SuccessfulPayment,
    Update,
    User,
)
from aiogram_dialog.test_tools.keyboard import InlineButtonTextLocator
from aiogram_i18n.cores import FluentRuntimeCore
from dishka import Provider, Scope, provide

from core.clock import Clock
from core.config import Settings
from core.entities import Pet, Vet
from core.enums import Role, Sex, Species
from core.interactors.booking import HoldSlot, PublishSlots
from core.interactors.consultation_lifecycle import CloseEndedRooms, OpenDueRooms
from core.interactors.pets import AddPet, PetDraft
from core.ports.repositories import (
    AppointmentRepository,
    AvailabilityRepository,
    SlotRepository,
    UserRepository,
    VetRepository,
)
from core.ports.uow import UnitOfWork
from tests.support.booking import MutableClock
from tests.support.chatting import USER_ID, Chatting, load_texts, open_chat
from tests.support.time_zones import choose_time_zone

SUNDAY_NOON = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
VET_TELEGRAM_ID = 777_001
VET_ZONE = "Asia/Yekaterinburg"  # UTC+5; the owner is in Moscow, UTC+3
OWNER_ZONE = "Europe/Moscow"
OWNER_ZONE_TEXT = "MSK (UTC+3)"
VET_ZONE_TEXT = "UTC+5"  # no abbreviation people know: the offset alone
VET_NAME = "Dr. Demo Whiskers"
PRICE = 250


class FixedClockProvider(Provider):
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
    return MutableClock(SUNDAY_NOON)


@pytest.fixture
async def chat(settings: Settings, clock: MutableClock) -> AsyncIterator[Chatting]:
    async with open_chat(settings, FixedClockProvider(clock)) as opened:
        await opened.send("/start")
        await opened.click("🇬🇧 English")
        await opened.click("Continue ▶️")
        await opened.click("✅ I agree")
        # The owner chose their zone before: booking goes straight in (the question once is
        # its own test below).
        await choose_time_zone(opened, OWNER_ZONE)
        yield opened


async def _add_pet(chat: Chatting, name: str = "Murka") -> Pet:
    async with chat.container() as request:
        pet: Pet = await (await request.get(AddPet))(
            USER_ID, PetDraft(name=name, species=Species.CAT, sex=Sex.FEMALE)
        )
        return pet


async def _add_vet(chat: Chatting) -> Vet:
    """Mon–Fri 09:00–12:00 in Yekaterinburg = 07:00–10:00 in Moscow; slots published."""
    async with chat.container() as request:
        user = await (await request.get(UserRepository)).add(
            telegram_id=VET_TELEGRAM_ID,
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
            price_amount=PRICE,
            time_zone=VET_ZONE,
        )
        await (await request.get(AvailabilityRepository)).replace_rules(
            vet.id, [(day, time(9), time(12)) for day in range(5)]
        )
        await (await request.get(UnitOfWork)).commit()
        await (await request.get(PublishSlots))(vet.id)
        return vet


def _buttons(chat: Chatting) -> list[str]:
    markup = chat.window().reply_markup
    assert markup is not None
    return [button.text for row in markup.inline_keyboard for button in row]


async def _tap(chat: Chatting, text: str) -> None:
    window = chat.window()
    chat.messages.reset_history()
    await chat.client.click(window, InlineButtonTextLocator(f".*{re.escape(text)}.*"))


async def _book_until_summary(chat: Chatting, day: str = "Mon 2 Jun") -> None:
    await chat.send("/book")
    await _tap(chat, "Murka")
    await chat.send("Sneezing since yesterday")
    await _tap(chat, VET_NAME)
    await _tap(chat, day)
    await _tap(chat, "07:00")


async def _pay_button(chat: Chatting, texts: FluentRuntimeCore) -> SendInvoice:
    chat.session.reset()
    await _tap(chat, texts.get("btn-booking-pay", "en"))
    invoices = chat.session.calls_of(SendInvoice)
    assert len(invoices) == 1
    invoice: SendInvoice = invoices[0]
    return invoice


def _sender() -> User:
    return User(id=USER_ID, is_bot=False, first_name=f"User_{USER_ID}", language_code="en")


async def _pre_checkout(chat: Chatting, invoice: SendInvoice, query_id: str) -> Any:
    chat.session.reset()
    query = PreCheckoutQuery(
        id=query_id,
        from_user=_sender(),
        currency=invoice.currency,
        total_amount=invoice.prices[0].amount,
        invoice_payload=invoice.payload,
    )
    await chat.dp.feed_update(
        chat.bot, Update(update_id=next(chat.update_ids), pre_checkout_query=query)
    )
    answers = chat.session.calls_of(AnswerPreCheckoutQuery)
    assert len(answers) == 1
    return answers[0]


async def _successful_payment(chat: Chatting, invoice: SendInvoice, charge_id: str) -> None:
    message = Message(
        message_id=next(chat.update_ids),
        date=datetime.now(UTC),
        chat=Chat(id=USER_ID, type="private"),
        from_user=_sender(),
        successful_payment=SuccessfulPayment(
            currency=invoice.currency,
            total_amount=invoice.prices[0].amount,
            invoice_payload=invoice.payload,
            telegram_payment_charge_id=charge_id,
            provider_payment_charge_id="",
        ),
    )
    await chat.dp.feed_update(chat.bot, Update(update_id=next(chat.update_ids), message=message))


async def test_booking_walks_to_a_stars_invoice_in_the_owners_time_zone(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _add_pet(chat)
    await _add_vet(chat)
    await chat.send("/book")
    assert chat.window().text == texts.get("msg-booking-pet", "en")
    await _tap(chat, "Murka")
    assert chat.window().text == texts.get("msg-booking-reason", "en")
    await chat.send("Sneezing since yesterday")
    vets_text = chat.window().text or ""
    assert VET_NAME in vets_text
    assert "250 ⭐" in vets_text
    assert f"Mon 2 Jun 07:00 {OWNER_ZONE_TEXT}" in vets_text  # soonest free time, owner's zone
    await _tap(chat, VET_NAME)
    assert _buttons(chat)[:5] == ["Mon 2 Jun", "Tue 3 Jun", "Wed 4 Jun", "Thu 5 Jun", "Fri 6 Jun"]
    await _tap(chat, "Mon 2 Jun")
    assert _buttons(chat)[:6] == ["07:00", "07:30", "08:00", "08:30", "09:00", "09:30"]
    await _tap(chat, "07:00")
    summary = chat.window().text or ""
    assert VET_NAME in summary
    assert "Murka" in summary
    assert f"Mon 2 Jun 07:00 {OWNER_ZONE_TEXT}" in summary
    assert "Sneezing since yesterday" in summary

    invoice = await _pay_button(chat, texts)
    assert invoice.chat_id == USER_ID
    assert invoice.currency == "XTR"
    assert [price.amount for price in invoice.prices] == [PRICE]
    assert invoice.provider_token is None
    assert re.fullmatch(r"appointment:\d+", invoice.payload)
    assert invoice.title == texts.get("lbl-booking-invoice-title", "en")
    # The paying window comes under the invoice.
    assert "held for you until" in (chat.window().text or "")


async def test_pre_checkout_is_accepted_while_held_and_declined_once_the_hold_expired(
    chat: Chatting, texts: FluentRuntimeCore, clock: MutableClock
) -> None:
    await _add_pet(chat)
    await _add_vet(chat)
    await _book_until_summary(chat)
    invoice = await _pay_button(chat, texts)

    answer = await _pre_checkout(chat, invoice, "q1")
    assert answer.ok is True

    clock.advance(minutes=30)
    answer = await _pre_checkout(chat, invoice, "q2")
    assert answer.ok is False
    assert answer.error_message == texts.get("err-payment-hold-expired", "en")


async def test_successful_payment_confirms_once_and_tells_the_vet(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _add_pet(chat)
    await _add_vet(chat)
    await _book_until_summary(chat)
    invoice = await _pay_button(chat, texts)
    assert (await _pre_checkout(chat, invoice, "q1")).ok is True

    chat.session.reset()
    await _successful_payment(chat, invoice, "charge-1")
    sent = chat.session.calls_of(SendMessage)
    to_owner = [call.text for call in sent if call.chat_id == USER_ID]
    to_vet = [call.text for call in sent if call.chat_id == VET_TELEGRAM_ID]
    assert to_owner == [
        texts.get(
            "msg-payment-confirmed",
            "en",
            vet=VET_NAME,
            pet="Murka",
            date="Mon 2 Jun",
            time="07:00",
            zone=OWNER_ZONE_TEXT,
            join_minutes=10,
            # Booked 16 h before the start: inside the 24-hour cutoff already.
            refund=texts.get("msg-payment-refund-none", "en", cutoff_hours=24),
        )
    ]
    assert "Join the consultation" in to_owner[0]
    assert len(to_vet) == 1
    assert f"Mon 2 Jun 09:00 {VET_ZONE_TEXT}" in to_vet[0]  # the vet's own zone
    assert "Sneezing since yesterday" in to_vet[0]

    # Telegram redelivers the update: nothing new is said to anyone.
    chat.session.reset()
    await _successful_payment(chat, invoice, "charge-1")
    assert chat.session.calls_of(SendMessage) == []


async def test_cancelling_in_appointments_refunds_and_tells_the_vet(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _add_pet(chat)
    await _add_vet(chat)
    # More than the refund cutoff (24 h) ahead: the full amount comes back.
    await _book_until_summary(chat, "Tue 3 Jun")
    invoice = await _pay_button(chat, texts)
    await _successful_payment(chat, invoice, "charge-1")

    await chat.send("/appointments")
    assert chat.window().text == texts.get("msg-appointments-upcoming", "en")
    await _tap(chat, VET_NAME)
    await _tap(chat, texts.get("btn-appointment-cancel", "en"))
    chat.session.reset()
    await _tap(chat, texts.get("btn-appointment-cancel-yes", "en"))
    refunds = [call for call in chat.session.calls if type(call).__name__ == "RefundStarPayment"]
    assert len(refunds) == 1
    sent = chat.session.calls_of(SendMessage)
    assert [call.text for call in sent if call.chat_id == USER_ID] == [
        texts.get("msg-appointment-cancelled-refunded", "en")
    ]
    # Told by CancelByOwner through BookingNotices, in the vet's language and zone.
    assert [call.text for call in sent if call.chat_id == VET_TELEGRAM_ID] == [
        texts.get(
            "msg-appointment-vet-cancelled",
            "en",
            pet="Murka",
            species=texts.get("lbl-pet-species-cat", "en"),
            owner=f"User_{USER_ID}",
            date="Tue 3 Jun",
            time="09:00",
            zone=VET_ZONE_TEXT,
        )
    ]
    assert (chat.window().text or "").startswith(texts.get("msg-appointments-none", "en"))


@pytest.fixture
async def chat_with_miniapp(settings: Settings, clock: MutableClock) -> AsyncIterator[Chatting]:
    """`chat`, in a process that knows its public URL (WEBAPP_URL), so Join buttons exist."""
    public = settings.model_copy(update={"webapp_url": "https://pet.example.org"})
    async with open_chat(public, FixedClockProvider(clock)) as opened:
        await opened.send("/start")
        await opened.click("🇬🇧 English")
        await opened.click("Continue ▶️")
        await opened.click("✅ I agree")
        await choose_time_zone(opened, OWNER_ZONE)
        yield opened


def _web_app_urls(chat: Chatting) -> list[str]:
    markup = chat.window().reply_markup
    assert markup is not None
    return [
        button.web_app.url
        for row in markup.inline_keyboard
        for button in row
        if button.web_app is not None
    ]


async def test_paying_explains_the_call_and_the_card_has_join_while_the_room_is_open(
    chat_with_miniapp: Chatting, texts: FluentRuntimeCore, clock: MutableClock
) -> None:
    chat = chat_with_miniapp
    await _add_pet(chat)
    await _add_vet(chat)
    await _book_until_summary(chat, "Tue 3 Jun")  # Tue 07:00 in Moscow, 04:00 UTC
    invoice = await _pay_button(chat, texts)
    chat.session.reset()
    await _successful_payment(chat, invoice, "charge-join")
    [confirmation] = [
        call.text for call in chat.session.calls_of(SendMessage) if call.chat_id == USER_ID
    ]
    # More than 24 h ahead: a full refund until 24 h before the start, in the owner's zone.
    assert (
        texts.get(
            "msg-payment-refund-until",
            "en",
            refund_date="Mon 2 Jun",
            refund_time="07:00",
            zone=OWNER_ZONE_TEXT,
            cutoff_hours=24,
        )
        in confirmation
    )
    assert "10 min before the start" in confirmation

    await chat.send("/appointments")
    await _tap(chat, VET_NAME)
    assert _web_app_urls(chat) == []  # no room yet

    async with chat.container() as request:
        owner = await (await request.get(UserRepository)).get_by_telegram_id(USER_ID)
        assert owner is not None
        [appointment] = await (await request.get(AppointmentRepository)).list_for_owner(owner.id)
    clock.current = appointment.starts_at - timedelta(minutes=5)
    async with chat.container() as request:
        assert (await (await request.get(OpenDueRooms))()).opened == [appointment.id]

    await _tap(chat, texts.get("btn-back", "en"))
    await _tap(chat, VET_NAME)
    assert _web_app_urls(chat) == [
        f"https://pet.example.org/miniapp/?appointment={appointment.id}"
    ]
    assert texts.get("btn-consultation-join", "en") in _buttons(chat)

    clock.current = appointment.ends_at + timedelta(minutes=15)
    async with chat.container() as request:
        await (await request.get(CloseEndedRooms))()
    await _tap(chat, texts.get("btn-back", "en"))
    # The consultation is over: gone from the upcoming list, and no Join anywhere.
    assert VET_NAME not in " ".join(_buttons(chat))


async def test_a_taken_slot_is_explained_and_the_times_are_shown_again(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _add_pet(chat)
    vet = await _add_vet(chat)
    await _book_until_summary(chat)
    # Someone else holds the very slot meanwhile.
    async with chat.container() as request:
        await (await request.get(UserRepository)).add(
            telegram_id=990_001, first_name="Rival", username=None, language="en"
        )
        rival_pet = await (await request.get(AddPet))(
            990_001, PetDraft(name="Rex", species=Species.CAT, sex=Sex.MALE)
        )
        slots = await (await request.get(SlotRepository)).list_open(
            vet.id, start=SUNDAY_NOON, end=datetime(2025, 6, 3, tzinfo=UTC), now=SUNDAY_NOON
        )
    async with chat.container() as request:
        await (await request.get(HoldSlot))(990_001, pet_id=rival_pet.id, slot_id=slots[0].id)
    chat.session.reset()
    await _tap(chat, texts.get("btn-booking-pay", "en"))
    assert chat.session.calls_of(SendInvoice) == []
    assert chat.session.sent_texts() == [texts.get("err-booking-slot-taken", "en")]
    assert "07:00" not in _buttons(chat)
    assert "07:30" in _buttons(chat)


STICKER = {
    "sticker": Sticker(
        file_id="s1",
        file_unique_id="su1",
        type="regular",
        width=512,
        height=512,
        is_animated=False,
        is_video=False,
    )
}


async def test_unexpected_input_in_every_booking_window_gets_a_hint(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _add_pet(chat)
    await _add_vet(chat)

    async def hinted(key: str = "err-use-buttons") -> None:
        window = chat.window().text
        chat.session.reset()
        await chat.send_content(**STICKER)
        assert chat.session.sent_texts() == [texts.get(key, "en")]
        assert chat.window().text == window

    await chat.send("/book")
    await hinted()  # pet
    await _tap(chat, "Murka")
    await hinted("err-booking-reason-text")  # reason
    await chat.send("Sneezing")
    await hinted()  # vet
    await chat.send("hello?")  # text where buttons are expected
    await _tap(chat, VET_NAME)
    await hinted()  # day
    await _tap(chat, "Mon 2 Jun")
    await hinted()  # slot
    await _tap(chat, "07:00")
    await hinted()  # summary
    await _pay_button(chat, texts)
    await hinted("err-booking-pay-invoice")  # paying


async def test_payment_for_a_lost_slot_is_refunded_with_an_apology_and_a_way_back(
    chat: Chatting, texts: FluentRuntimeCore, clock: MutableClock
) -> None:
    await _add_pet(chat)
    vet = await _add_vet(chat)
    await _book_until_summary(chat)
    invoice = await _pay_button(chat, texts)
    # The owner dawdles past the hold; a rival takes the slot; then the payment lands.
    clock.advance(minutes=30)
    async with chat.container() as request:
        await (await request.get(UserRepository)).add(
            telegram_id=990_002, first_name="Rival", username=None, language="en"
        )
        rival_pet = await (await request.get(AddPet))(
            990_002, PetDraft(name="Rex", species=Species.CAT, sex=Sex.MALE)
        )
        slots = await (await request.get(SlotRepository)).list_open(
            vet.id, start=SUNDAY_NOON, end=datetime(2025, 6, 3, tzinfo=UTC), now=clock.now()
        )
    async with chat.container() as request:
        await (await request.get(HoldSlot))(990_002, pet_id=rival_pet.id, slot_id=slots[0].id)

    chat.session.reset()
    await _successful_payment(chat, invoice, "charge-late")
    assert [type(call).__name__ for call in chat.session.calls].count("RefundStarPayment") == 1
    apologies = chat.session.calls_of(SendMessage)
    assert [call.text for call in apologies] == [texts.get("msg-payment-refunded", "en")]
    markup = apologies[0].reply_markup
    assert [b.text for row in markup.inline_keyboard for b in row] == [
        texts.get("btn-booking-other-time", "en")
    ]

    # "Choose another time" opens the same vet's calendar, the reason kept.
    apology = Message(
        message_id=next(chat.update_ids),
        date=datetime.now(UTC),
        chat=Chat(id=USER_ID, type="private"),
        from_user=User(id=1, is_bot=True, first_name="bot"),
        text=apologies[0].text,
        reply_markup=markup,
    )
    chat.messages.reset_history()
    await chat.client.click(
        apology, InlineButtonTextLocator(re.escape(texts.get("btn-booking-other-time", "en")))
    )
    assert (chat.window().text or "").startswith(texts.get("msg-booking-day", "en"))
    await _tap(chat, "Mon 2 Jun")
    assert "07:00" not in _buttons(chat)  # the rival's now
    await _tap(chat, "07:30")
    assert "Sneezing since yesterday" in (chat.window().text or "")


async def test_booking_from_a_check_result_attaches_the_check(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _add_pet(chat)
    await _add_vet(chat)
    await chat.send("/check")
    await _tap(chat, "Murka")
    await _tap(chat, texts.get("btn-check-none-of-these", "en"))
    await _tap(chat, texts.get("area-digestion", "en"))
    await _tap(chat, texts.get("sign-vomiting", "en"))
    await _tap(chat, "Continue ▶️")
    await chat.send("5")
    await _tap(chat, "Yes")
    await _tap(chat, texts.get("btn-check-skip-photos", "en"))
    await _tap(chat, texts.get("btn-check-submit", "en"))
    result = chat.window()
    await _tap(chat, texts.get("btn-result-book", "en"))

    # The pet is known: the booking starts at the reason, offering the check, in a new
    # message: the result stays in the chat above it.
    assert chat.window().text == texts.get("msg-booking-reason", "en")
    assert chat.window().message_id != result.message_id
    await _tap(chat, texts.get("btn-booking-attach-check", "en"))
    await _tap(chat, VET_NAME)
    await _tap(chat, "Mon 2 Jun")
    await _tap(chat, "07:00")
    assert texts.get("msg-booking-check-attached", "en") in (chat.window().text or "")
    invoice = await _pay_button(chat, texts)
    async with chat.container() as request:
        appointment_id = int(invoice.payload.split(":")[1])
        appointment = await (await request.get(AppointmentRepository)).get(appointment_id)
    assert appointment is not None
    assert appointment.check_id is not None


async def test_rescheduling_moves_the_paid_appointment_and_tells_the_vet(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _add_pet(chat)
    await _add_vet(chat)
    await _book_until_summary(chat, "Tue 3 Jun")
    invoice = await _pay_button(chat, texts)
    await _successful_payment(chat, invoice, "charge-move")

    await chat.send("/appointments")
    await _tap(chat, VET_NAME)
    await _tap(chat, texts.get("btn-appointment-reschedule", "en"))
    await _tap(chat, "Wed 4 Jun")
    await _tap(chat, chat_first_time(chat))
    summary_buttons = _buttons(chat)
    # Moving, not paying: the payment goes with the appointment.
    assert texts.get("btn-booking-move", "en") in summary_buttons
    assert texts.get("btn-booking-pay", "en") not in summary_buttons
    chat.session.reset()
    await _tap(chat, texts.get("btn-booking-move", "en"))

    sent = chat.session.calls_of(SendMessage)
    [moved] = [call.text for call in sent if call.chat_id == USER_ID]
    assert moved.startswith("🔁") and "Wed 4 Jun" in moved
    # Told by RescheduleAppointment through BookingNotices: the new time in the vet's zone.
    assert [call.text for call in sent if call.chat_id == VET_TELEGRAM_ID] == [
        texts.get(
            "msg-appointment-vet-moved",
            "en",
            pet="Murka",
            species=texts.get("lbl-pet-species-cat", "en"),
            date="Wed 4 Jun",
            time="09:00",
            zone=VET_ZONE_TEXT,
            reason="Sneezing since yesterday",
        )
    ]
    assert not [call for call in chat.session.calls if type(call).__name__ == "RefundStarPayment"]
    assert not chat.session.calls_of(SendInvoice)


def chat_first_time(chat: Chatting) -> str:
    """The first time button of the slot window (times depend on the vet's schedule)."""
    return next(label for label in _buttons(chat) if ":" in label)


@pytest.fixture
async def russian_chat(settings: Settings, clock: MutableClock) -> AsyncIterator[Chatting]:
    """A Russian-speaking owner who never chose a time zone."""
    async with open_chat(settings, FixedClockProvider(clock)) as opened:
        await opened.send("/start")
        await opened.click("🇷🇺 Русский")
        await opened.click("Продолжить ▶️")
        await opened.click("✅ Согласен(на)")
        yield opened


async def test_an_owner_who_never_chose_a_zone_is_asked_once_before_the_times(
    russian_chat: Chatting, texts: FluentRuntimeCore
) -> None:
    chat = russian_chat
    await _add_pet(chat)
    await _add_vet(chat)
    await chat.send("/book")
    # The question comes first, over the booking, with the Russian quick choices.
    question = chat.window().text or ""
    assert "в каком часовом поясе вы живёте?" in question
    assert "Екатеринбург" in _buttons(chat)
    await _tap(chat, "Екатеринбург")
    user = await chat.user()
    assert user.time_zone == VET_ZONE
    assert user.time_zone_chosen_at == SUNDAY_NOON

    # The booking goes on where it stood, now in the owner's own clock: the vet's 09:00.
    assert chat.window().text == texts.get("msg-booking-pet", "ru")
    await _tap(chat, "Murka")
    await chat.send("Чихает со вчера")
    assert f"09:00 {VET_ZONE_TEXT}" in (chat.window().text or "")
    await _tap(chat, VET_NAME)
    days = chat.window().text or ""
    assert days.startswith(texts.get("msg-booking-day", "ru"))
    assert f"🕒 Время указано по {VET_ZONE_TEXT}." in days
    await _tap(chat, _buttons(chat)[0])
    assert _buttons(chat)[:2] == ["09:00", "09:30"]
    assert f"🕒 Время указано по {VET_ZONE_TEXT}." in (chat.window().text or "")

    # Asked once: the next booking goes straight in.
    await chat.send("/book")
    assert chat.window().text == texts.get("msg-booking-pet", "ru")


async def test_a_russian_owner_on_moscow_time_sees_msk(
    russian_chat: Chatting, texts: FluentRuntimeCore
) -> None:
    chat = russian_chat
    await choose_time_zone(chat, OWNER_ZONE)
    await _add_pet(chat)
    await _add_vet(chat)
    await chat.send("/book")
    assert chat.window().text == texts.get("msg-booking-pet", "ru")  # chosen: not asked
    await _tap(chat, "Murka")
    await chat.send("Чихает со вчера")
    assert "07:00 МСК (UTC+3)" in (chat.window().text or "")
