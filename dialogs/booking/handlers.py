from __future__ import annotations

import logging
from datetime import date
from typing import Any

from aiogram import Bot
from aiogram.types import CallbackQuery, LabeledPrice, Message
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Select
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.booking_errors import (
    AppointmentNotCancellableError,
    AppointmentNotFoundError,
    AppointmentNotMovableError,
    HoldNotPayableError,
    PaymentMethodMismatchError,
    ReasonTooLongError,
    SlotNotFoundError,
    SlotTakenError,
    SlotUnavailableError,
)
from core.enums import AppointmentStatus
from core.interactors.booking import (
    MAX_REASON_LENGTH,
    BuildInvoice,
    CancelByOwner,
    HoldSlot,
    ReleaseHold,
    RescheduleAppointment,
)
from core.interactors.booking_views import FindRecentCheck, GetAppointmentCard
from core.markup import plain_text
from core.pets_errors import PetAccessDeniedError, PetArchivedError, PetNotFoundError
from core.schedule import to_local
from dialogs.booking.common import (
    CANCELLED,
    ID_VETS_NEXT,
    KEY_APPOINTMENT,
    KEY_ATTACH,
    KEY_CHECK,
    KEY_DAY,
    KEY_HOLD_UNTIL,
    KEY_PET,
    KEY_REASON,
    KEY_RESCHEDULE,
    KEY_SLOT,
    KEY_VET,
    KEY_VETS_PAGE,
    TIME_FORMAT,
    when_args,
)
from dialogs.booking.getters import sender_id
from dialogs.navigation import ask_time_zone
from dialogs.states import AppointmentsSG, BookingSG
from dialogs.widgets.i18n import i18n_from

logger = logging.getLogger(__name__)

# Telegram's limits on invoice texts.
_TITLE_MAX = 32
_DESCRIPTION_MAX = 255


def _int(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


async def on_start(start_data: Any, manager: DialogManager) -> None:
    await _go_to_first_step(start_data, manager)
    # Every time shown from here on is in the owner's zone: an owner who never chose one is
    # asked once, on top of the step chosen above, which shows (re-read) when they answer.
    await ask_time_zone(manager)


async def _go_to_first_step(start_data: Any, manager: DialogManager) -> None:
    start = start_data if isinstance(start_data, dict) else {}
    pet_id, check_id, vet_id = _int(start, KEY_PET), _int(start, KEY_CHECK), _int(start, KEY_VET)
    if check_id is not None:
        manager.dialog_data[KEY_CHECK] = check_id
    if pet_id is None:
        return
    manager.dialog_data[KEY_PET] = pet_id
    if vet_id is not None:
        # "Choose another time" or rescheduling: everything but the time is known already.
        manager.dialog_data[KEY_VET] = vet_id
        manager.dialog_data[KEY_RESCHEDULE] = _int(start, KEY_RESCHEDULE)
        reason = start.get(KEY_REASON)
        manager.dialog_data[KEY_REASON] = reason if isinstance(reason, str) else None
        manager.dialog_data[KEY_ATTACH] = check_id is not None
        await manager.switch_to(BookingSG.DAY)
        return
    await manager.switch_to(BookingSG.REASON)


@inject
async def on_pet_selected(
    callback: CallbackQuery,
    widget: Select[int],
    manager: DialogManager,
    pet_id: int,
    find_recent_check: FromDishka[FindRecentCheck],
) -> None:
    manager.dialog_data[KEY_PET] = pet_id
    # A check carried in from a result belongs to the pet it was made for: choosing a pet
    # here starts the choice afresh with that pet's latest check.
    manager.dialog_data.pop(KEY_CHECK, None)
    manager.dialog_data[KEY_ATTACH] = False
    recent = await find_recent_check(sender_id(manager), pet_id)
    if recent is None:
        await manager.switch_to(BookingSG.REASON)
        return
    manager.dialog_data[KEY_CHECK] = recent.check_id
    await manager.switch_to(BookingSG.CHECK)


@inject
async def on_attach_recent(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    find_recent_check: FromDishka[FindRecentCheck],
) -> None:
    # Read again, as the window did: the check attached is the one the owner was shown.
    recent = await find_recent_check(sender_id(manager), manager.dialog_data[KEY_PET])
    if recent is None:
        manager.dialog_data.pop(KEY_CHECK, None)
    else:
        manager.dialog_data[KEY_CHECK] = recent.check_id
    manager.dialog_data[KEY_ATTACH] = recent is not None
    await manager.switch_to(BookingSG.REASON)


async def on_skip_recent(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data.pop(KEY_CHECK, None)
    manager.dialog_data[KEY_ATTACH] = False
    await manager.switch_to(BookingSG.REASON)


async def on_reason(message: Message, widget: MessageInput, manager: DialogManager) -> None:
    text = (message.text or "").strip()
    if not text or len(text) > MAX_REASON_LENGTH:
        await message.answer(
            i18n_from(manager).get("err-booking-reason-too-long", max=MAX_REASON_LENGTH)
        )
        manager.show_mode = ShowMode.DELETE_AND_SEND
        return
    manager.dialog_data[KEY_REASON] = text
    # A check attached a step before stays attached: the words add to it.
    manager.dialog_data[KEY_ATTACH] = bool(manager.dialog_data.get(KEY_ATTACH))
    await manager.switch_to(BookingSG.VET)


async def on_attach_check(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data[KEY_REASON] = None
    manager.dialog_data[KEY_ATTACH] = True
    await manager.switch_to(BookingSG.VET)


async def on_skip_reason(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data[KEY_REASON] = None
    manager.dialog_data[KEY_ATTACH] = bool(manager.dialog_data.get(KEY_ATTACH))
    await manager.switch_to(BookingSG.VET)


async def on_vets_page(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    step = 1 if button.widget_id == ID_VETS_NEXT else -1
    # The getter clamps it: a stale "next" after vets left the list shows the last page.
    manager.dialog_data[KEY_VETS_PAGE] = max(manager.dialog_data.get(KEY_VETS_PAGE, 0) + step, 0)


async def on_vet_selected(
    callback: CallbackQuery, widget: Select[int], manager: DialogManager, vet_id: int
) -> None:
    manager.dialog_data[KEY_VET] = vet_id
    await manager.switch_to(BookingSG.DAY)


async def on_day_selected(
    callback: CallbackQuery, widget: Select[str], manager: DialogManager, day: str
) -> None:
    date.fromisoformat(day)  # a crafted value fails here, not in the getter
    manager.dialog_data[KEY_DAY] = day
    await manager.switch_to(BookingSG.SLOT)


async def on_slot_selected(
    callback: CallbackQuery, widget: Select[int], manager: DialogManager, slot_id: int
) -> None:
    manager.dialog_data[KEY_SLOT] = slot_id
    await manager.switch_to(BookingSG.SUMMARY)


async def _explain(
    callback: CallbackQuery, manager: DialogManager, key: str, **args: int | str
) -> None:
    if isinstance(callback.message, Message):
        await callback.message.answer(i18n_from(manager).get(key, **args))
    # The explanation stays; the window comes again below it.
    manager.show_mode = ShowMode.DELETE_AND_SEND


@inject
async def on_pay(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    hold: FromDishka[HoldSlot],
    build_invoice: FromDishka[BuildInvoice],
) -> None:
    i18n = i18n_from(manager)
    data = manager.dialog_data
    telegram_id = sender_id(manager)
    try:
        appointment = await hold(
            telegram_id,
            pet_id=data[KEY_PET],
            slot_id=data[KEY_SLOT],
            reason=data.get(KEY_REASON),
            check_id=data.get(KEY_CHECK) if data.get(KEY_ATTACH) else None,
        )
        invoice = await build_invoice(telegram_id, appointment.id)
    except SlotTakenError:
        await _explain(callback, manager, "err-booking-slot-taken")
        await manager.switch_to(BookingSG.SLOT)
        return
    except (SlotUnavailableError, SlotNotFoundError, HoldNotPayableError):
        await _explain(callback, manager, "err-booking-slot-unavailable")
        await manager.switch_to(BookingSG.SLOT)
        return
    except (PetNotFoundError, PetAccessDeniedError, PetArchivedError):
        await _explain(callback, manager, "err-booking-pet-unavailable")
        await manager.switch_to(BookingSG.PET)
        return
    except ReasonTooLongError:
        await _explain(callback, manager, "err-booking-reason-too-long", max=MAX_REASON_LENGTH)
        await manager.switch_to(BookingSG.REASON)
        return
    except PaymentMethodMismatchError:
        logger.exception("the vet's currency does not fit the payment method")
        await _explain(callback, manager, "err-booking-payment-unavailable")
        return
    when = when_args(i18n, invoice.starts_at, invoice.time_zone)
    bot: Bot = manager.middleware_data["bot"]
    await bot.send_invoice(
        chat_id=telegram_id,
        title=plain_text(i18n.get("lbl-booking-invoice-title"))[:_TITLE_MAX],
        # Invoices take no markup: the text the owner reads.
        description=plain_text(
            i18n.get("lbl-booking-invoice-description", vet=invoice.vet_display_name, **when)
        )[:_DESCRIPTION_MAX],
        payload=invoice.payload,
        currency=invoice.currency,
        prices=[
            LabeledPrice(
                label=plain_text(i18n.get("lbl-booking-invoice-price")), amount=invoice.amount
            )
        ],
        # Stars take no provider token; a fiat method carries BotFather's token.
        provider_token=invoice.provider_token,
    )
    data[KEY_APPOINTMENT] = appointment.id
    hold_until = appointment.hold_expires_at or invoice.starts_at
    data[KEY_HOLD_UNTIL] = to_local(hold_until, invoice.time_zone).strftime(TIME_FORMAT)
    # The paying window goes under the invoice, not above it.
    manager.show_mode = ShowMode.SEND
    await manager.switch_to(BookingSG.PAYING)


async def _left_paying(
    callback: CallbackQuery, manager: DialogManager, release: ReleaseHold
) -> bool:
    """Release the hold this paying window is about; True when it was released.

    Otherwise (paid meanwhile, cancelled or expired already) the owner is told so and the
    window closes: an old paying message never starts a second booking.
    """
    appointment_id = manager.dialog_data.get(KEY_APPOINTMENT)
    status: AppointmentStatus | None = None
    if isinstance(appointment_id, int):
        try:
            outcome = await release(sender_id(manager), appointment_id)
        except AppointmentNotFoundError:
            pass
        else:
            if outcome.released:
                return True
            status = outcome.status
    paid = status in {AppointmentStatus.CONFIRMED, AppointmentStatus.COMPLETED}
    await _explain(
        callback, manager, "msg-money-booking-already-paid" if paid else "msg-money-booking-closed"
    )
    await manager.done()
    return False


@inject
async def on_paying_cancel(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    release: FromDishka[ReleaseHold],
) -> None:
    """ "Cancel booking" under the invoice: the slot is let go at once; that invoice is void."""
    if await _left_paying(callback, manager, release):
        await _explain(callback, manager, "msg-money-hold-released")
        await manager.done()


@inject
async def on_paying_other_time(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    release: FromDishka[ReleaseHold],
) -> None:
    """ "Another time" under the invoice: this hold and its invoice end; the days come again."""
    if await _left_paying(callback, manager, release):
        manager.dialog_data.pop(KEY_APPOINTMENT, None)
        await manager.switch_to(BookingSG.DAY)


@inject
async def on_move(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    reschedule: FromDishka[RescheduleAppointment],
    get_card: FromDishka[GetAppointmentCard],
) -> None:
    """Move the confirmed appointment to the chosen time; the payment goes with it."""
    i18n = i18n_from(manager)
    data = manager.dialog_data
    telegram_id = sender_id(manager)
    try:
        moved = await reschedule(telegram_id, data[KEY_RESCHEDULE], data[KEY_SLOT])
    except SlotTakenError:
        await _explain(callback, manager, "err-booking-slot-taken")
        await manager.switch_to(BookingSG.SLOT)
        return
    except (SlotUnavailableError, SlotNotFoundError):
        await _explain(callback, manager, "err-booking-slot-unavailable")
        await manager.switch_to(BookingSG.SLOT)
        return
    except (AppointmentNotFoundError, AppointmentNotMovableError):
        await _explain(callback, manager, "err-appointment-not-movable")
        await manager.done()
        return
    card = await get_card(telegram_id, moved.id)
    if isinstance(callback.message, Message):
        await callback.message.answer(
            i18n.get(
                "msg-appointment-moved",
                vet=card.vet.display_name,
                **when_args(i18n, moved.starts_at, card.owner.time_zone),
            )
        )
    manager.show_mode = ShowMode.DELETE_AND_SEND
    await manager.done()


@inject
async def on_reschedule(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    get_card: FromDishka[GetAppointmentCard],
) -> None:
    card = await get_card(sender_id(manager), manager.dialog_data[KEY_APPOINTMENT])
    appointment = card.appointment
    data: dict[str, Any] = {
        KEY_PET: appointment.pet_id,
        KEY_VET: appointment.vet_id,
        KEY_RESCHEDULE: appointment.id,
    }
    if appointment.reason:
        data[KEY_REASON] = appointment.reason
    await manager.start(BookingSG.DAY, data=data)


# --- /appointments -------------------------------------------------------------------------


async def on_appointment_selected(
    callback: CallbackQuery, widget: Select[int], manager: DialogManager, appointment_id: int
) -> None:
    manager.dialog_data[KEY_APPOINTMENT] = appointment_id
    await manager.switch_to(AppointmentsSG.CARD)


@inject
async def on_cancel_confirmed(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    cancel: FromDishka[CancelByOwner],
) -> None:
    appointment_id = manager.dialog_data[KEY_APPOINTMENT]
    try:
        outcome = await cancel(sender_id(manager), appointment_id)
    except (AppointmentNotFoundError, AppointmentNotCancellableError):
        await _explain(callback, manager, "err-appointment-not-cancellable")
        await manager.switch_to(AppointmentsSG.LIST)
        return
    # The vet of a confirmed appointment has heard of it from CancelByOwner.
    await _explain(callback, manager, CANCELLED[outcome.refund])
    await manager.switch_to(AppointmentsSG.LIST)
