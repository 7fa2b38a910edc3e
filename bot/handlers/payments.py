"""Payments: the pre-checkout answer, `successful_payment`, "choose another time".

Included before the dialogs: a payment message must never be taken for input to a window.
"""

from __future__ import annotations

import logging
from typing import Final

from aiogram import F, Router
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    PreCheckoutQuery,
)
from aiogram_dialog import DialogManager, StartMode
from aiogram_i18n import I18nContext
from dishka import FromDishka
from dishka.integrations.aiogram import inject

from bot.booking_notices import BookAgain
from core.booking_errors import AppointmentNotFoundError, CheckoutDeclineReason
from core.config import Settings
from core.interactors.booking import HandleSuccessfulPayment, PaymentResult, PreCheckout
from core.interactors.booking_views import AppointmentCard, GetAppointmentCard
from core.payments import SuccessfulPayment
from dialogs.booking.common import (
    DECLINE_ERRORS,
    KEY_CHECK,
    KEY_PET,
    KEY_REASON,
    KEY_VET,
    NOT_CONFIRMED,
    when_args,
)
from dialogs.booking.common import refund_policy as booking_refund_policy
from dialogs.states import BookingSG

logger = logging.getLogger(__name__)


def refund_policy(i18n: I18nContext, card: AppointmentCard, cutoff_hours: int) -> str:
    """This slot's refund rule in the owner's words, as it stood when it was booked."""
    appointment = card.appointment
    return booking_refund_policy(
        i18n,
        appointment,
        now=appointment.confirmed_at or appointment.created_at,
        cutoff_hours=cutoff_hours,
        time_zone=card.owner.time_zone,
    )


# A payment for a hold the owner had cancelled: refunded, and said so in those words.
PAID_AFTER_CANCEL: Final = {
    PaymentResult.REFUNDED: "msg-money-paid-after-cancel-refunded",
    PaymentResult.REFUND_PENDING: "msg-money-paid-after-cancel-refund-pending",
    PaymentResult.REFUND_FAILED: "msg-money-paid-after-cancel-refund-failed",
}


def build_payments_router() -> Router:
    router = Router(name="payments")

    @router.pre_checkout_query()
    @inject
    async def pre_checkout(
        query: PreCheckoutQuery, i18n: I18nContext, decide: FromDishka[PreCheckout]
    ) -> None:
        # Telegram waits 10 s at most: only database reads here, and always an answer.
        try:
            decision = await decide(
                telegram_id=query.from_user.id,
                payload=query.invoice_payload,
                total_amount=query.total_amount,
                currency=query.currency,
            )
        except Exception:
            logger.exception("pre-checkout of %r failed", query.invoice_payload)
            await query.answer(ok=False, error_message=i18n.get("err-payment-failed"))
            return
        if decision.ok:
            await query.answer(ok=True)
            return
        key = "err-payment-failed"
        if decision.reason is not None:
            key = DECLINE_ERRORS.get(decision.reason, key)
        await query.answer(ok=False, error_message=i18n.get(key))

    @router.message(F.successful_payment)
    @inject
    async def paid(
        message: Message,
        i18n: I18nContext,
        confirm: FromDishka[HandleSuccessfulPayment],
        get_card: FromDishka[GetAppointmentCard],
        settings: FromDishka[Settings],
    ) -> None:
        payment = message.successful_payment
        payer = message.from_user
        if payment is None or payer is None:
            return
        outcome = await confirm(
            SuccessfulPayment(
                payer_telegram_id=payer.id,
                invoice_payload=payment.invoice_payload,
                currency=payment.currency,
                total_amount=payment.total_amount,
                telegram_payment_charge_id=payment.telegram_payment_charge_id,
                provider_payment_charge_id=payment.provider_payment_charge_id or None,
            )
        )
        if outcome.duplicate:
            return  # a redelivered update: the owner has had the answer
        if outcome.result is PaymentResult.CONFIRMED and outcome.appointment_id is not None:
            card = await get_card(payer.id, outcome.appointment_id)
            await message.answer(
                i18n.get(
                    "msg-payment-confirmed",
                    vet=card.vet.display_name,
                    pet=card.pet.name if card.pet else "—",
                    join_minutes=settings.miniapp.call_opens_minutes_before,
                    refund=refund_policy(i18n, card, settings.booking.refund_cutoff_hours),
                    **when_args(i18n, card.appointment.starts_at, card.owner.time_zone),
                )
            )
            return
        markup = None
        if outcome.appointment_id is not None:
            markup = InlineKeyboardMarkup(
                inline_keyboard=[
                    [
                        InlineKeyboardButton(
                            text=i18n.get("btn-booking-other-time"),
                            callback_data=BookAgain(appointment_id=outcome.appointment_id).pack(),
                        )
                    ]
                ]
            )
        messages = (
            PAID_AFTER_CANCEL
            if outcome.reason is CheckoutDeclineReason.CANCELLED
            else NOT_CONFIRMED
        )
        key = messages.get(outcome.result, "msg-payment-refund-failed")
        await message.answer(i18n.get(key), reply_markup=markup)

    @router.message(F.refunded_payment)
    async def refunded(message: Message) -> None:
        # Telegram's own receipt of a refund we made: the owner was told already when it was
        # made; without this handler the open window would answer it with a hint.
        return None

    @router.callback_query(BookAgain.filter())
    @inject
    async def book_again(
        callback: CallbackQuery,
        callback_data: BookAgain,
        dialog_manager: DialogManager,
        i18n: I18nContext,
        get_card: FromDishka[GetAppointmentCard],
    ) -> None:
        try:
            card = await get_card(callback.from_user.id, callback_data.appointment_id)
        except AppointmentNotFoundError:
            await callback.answer(i18n.get("err-appointment-not-found"))
            return
        await callback.answer()
        appointment = card.appointment
        data = {KEY_PET: appointment.pet_id, KEY_VET: appointment.vet_id}
        if appointment.reason:
            data[KEY_REASON] = appointment.reason  # type: ignore[assignment]
        if appointment.check_id is not None:
            data[KEY_CHECK] = appointment.check_id
        await dialog_manager.start(BookingSG.DAY, data=data, mode=StartMode.RESET_STACK)

    return router
