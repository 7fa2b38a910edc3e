"""A Bot API client nobody here wrote, python-telegram-bot, works against the emulator: text,
inline keyboards and callback answers, edits, getFile downloads, and a Stars payment with its
pre-checkout query, successful_payment and refund."""

import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from PIL import Image
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LabeledPrice, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    PreCheckoutQueryHandler,
    filters,
)

from sandbox.testing import EmulatorServer
from tests.support.sandbox_person import SandboxPerson, button_texts, text_of

STAR_PRICE = 50


def _echo_application(server: EmulatorServer, errors: list[object]) -> Application:  # type: ignore[type-arg]
    # PTB appends the token to both URLs, as it does to https://api.telegram.org/bot.
    application = (
        Application.builder()
        .token(server.token)
        .base_url(f"{server.base_url}/bot")
        .base_file_url(f"{server.base_url}/file/bot")
        .build()
    )

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Нажми", callback_data="tap")]])
        await update.message.reply_text(f"Эхо: {update.message.text}", reply_markup=keyboard)

    async def tapped(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("Готово")
        await query.edit_message_text("Нажато ✅")

    async def photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        file = await update.message.photo[-1].get_file()
        data = await file.download_as_bytearray()
        await update.message.reply_text(f"Получено {len(data)} байт")

    async def invoice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_invoice(
            update.effective_chat.id,
            title="Консультация",
            description="Видеоконсультация, 30 минут",
            payload="consultation-1",
            currency="XTR",
            prices=[LabeledPrice("Консультация", STAR_PRICE)],
        )

    async def pre_checkout(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.pre_checkout_query is not None
        assert update.pre_checkout_query.invoice_payload == "consultation-1"
        await update.pre_checkout_query.answer(ok=True)

    async def paid(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.successful_payment is not None
        assert update.effective_user is not None
        payment = update.message.successful_payment
        await context.bot.refund_star_payment(
            update.effective_user.id, payment.telegram_payment_charge_id
        )
        await update.message.reply_text(f"Возврат {payment.total_amount} ⭐ оформлен")

    async def record_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # PTB logs handler errors and carries on; the test must see them.
        errors.append(context.error)

    application.add_handler(MessageHandler(filters.SUCCESSFUL_PAYMENT, paid))
    application.add_handler(MessageHandler(filters.PHOTO, photo))
    application.add_handler(CommandHandler("pay", invoice))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    application.add_handler(CallbackQueryHandler(tapped, pattern="^tap$"))
    application.add_handler(PreCheckoutQueryHandler(pre_checkout))
    application.add_error_handler(record_error)
    return application


@asynccontextmanager
async def _polling(application: Application) -> AsyncIterator[None]:  # type: ignore[type-arg]
    async with application:  # initialize (getMe) ... shutdown
        assert application.updater is not None
        await application.updater.start_polling(
            timeout=5, drop_pending_updates=True, allowed_updates=Update.ALL_TYPES
        )
        await application.start()
        try:
            yield
        finally:
            await application.updater.stop()
            await application.stop()


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (700, 500), (220, 120, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


async def test_python_telegram_bot_echo_keyboard_photo_and_stars_payment(
    emulator_server: EmulatorServer, control_api: httpx.AsyncClient
) -> None:
    errors: list[object] = []
    user = await SandboxPerson.join(control_api, "Пётр", "ru")
    async with _polling(_echo_application(emulator_server, errors)):
        await user.say("привет")
        echo = await user.wait_for(lambda m: text_of(m) == "Эхо: привет")
        assert button_texts(echo) == ["Нажми"]

        pressed = await user.press("Нажми")
        assert pressed["answer"]["text"] == "Готово"
        tapped = await user.wait_for(
            lambda m: m["message_id"] == echo["message_id"] and m["edited"]
        )
        assert text_of(tapped) == "Нажато ✅"
        assert "reply_markup" not in tapped

        photo = _jpeg()
        await user.send_file("photo", "dog.jpg", photo, "image/jpeg")
        # The largest PhotoSize keeps the uploaded bytes: the bot downloaded all of them.
        await user.wait_for_text(f"Получено {len(photo)} байт")

        await user.say("/pay")
        invoice = await user.wait_for(lambda m: "invoice" in m)
        assert (invoice["invoice"]["currency"], invoice["invoice"]["total_amount"]) == (
            "XTR",
            STAR_PRICE,
        )
        payment = await control_api.post(
            f"/sandbox/api/users/{user.id}/payments", json={"message_id": invoice["message_id"]}
        )
        assert payment.json()["status"] == "paid"
        charge_id = payment.json()["telegram_payment_charge_id"]
        await user.wait_for_text(f"Возврат {STAR_PRICE} ⭐ оформлен")

    chat = (await control_api.get(f"/sandbox/api/chats/{user.id}/messages")).json()
    refunds = [m["refunded_payment"] for m in chat if "refunded_payment" in m]
    assert [refund["telegram_payment_charge_id"] for refund in refunds] == [charge_id]
    assert errors == []
