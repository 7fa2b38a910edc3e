"""Invoices, pre-checkout, successful payments and Star refunds, driven by a real Dispatcher."""

import httpx
import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import LabeledPrice, Message, PreCheckoutQuery

from sandbox.testing import SandboxUser, polling


def _payments_dispatcher(paid: list[Message]) -> Dispatcher:
    dispatcher = Dispatcher()

    @dispatcher.pre_checkout_query()
    async def check(query: PreCheckoutQuery) -> None:
        if query.invoice_payload == "slot-taken":
            await query.answer(ok=False, error_message="Слот уже занят")
        else:
            await query.answer(ok=True)

    @dispatcher.message(F.successful_payment)
    async def on_paid(message: Message) -> None:
        paid.append(message)

    return dispatcher


async def _invoice(bot: Bot, chat_id: int, payload: str) -> Message:
    return await bot.send_invoice(
        chat_id,
        title="Консультация",
        description="Видеоконсультация с ветеринаром, 30 минут",
        payload=payload,
        currency="XTR",
        prices=[LabeledPrice(label="Консультация", amount=250)],
    )


async def test_paid_invoice_confirms_once_and_refund_twice_fails(
    emulator_bot: Bot, sandbox_user: SandboxUser, control_api: httpx.AsyncClient
) -> None:
    paid: list[Message] = []
    invoice = await _invoice(emulator_bot, sandbox_user.chat_id, "appointment-17")
    assert invoice.invoice is not None
    assert (invoice.invoice.currency, invoice.invoice.total_amount) == ("XTR", 250)

    async with polling(_payments_dispatcher(paid), emulator_bot):
        response = await control_api.post(
            f"/sandbox/api/users/{sandbox_user.id}/payments",
            json={"message_id": invoice.message_id},
        )
        body = response.json()
        assert body["status"] == "paid"
        charge_id = body["telegram_payment_charge_id"]
        again = await control_api.post(
            f"/sandbox/api/users/{sandbox_user.id}/payments",
            json={"message_id": invoice.message_id},
        )
        assert again.status_code == 409

        messages = await control_api.get(
            f"/sandbox/api/chats/{sandbox_user.chat_id}/messages",
            params={"after": invoice.message_id},
        )
        payment = messages.json()[0]["successful_payment"]
        assert payment["telegram_payment_charge_id"] == charge_id
        assert payment["invoice_payload"] == "appointment-17"

        assert await emulator_bot.refund_star_payment(sandbox_user.id, charge_id)
        with pytest.raises(TelegramBadRequest) as raised:
            await emulator_bot.refund_star_payment(sandbox_user.id, charge_id)
        assert raised.value.message == "Bad Request: CHARGE_ALREADY_REFUNDED"
        refunded = await control_api.get(
            f"/sandbox/api/chats/{sandbox_user.chat_id}/messages",
            params={"after": invoice.message_id + 1, "wait": 5},
        )
        assert refunded.json()[0]["refunded_payment"]["telegram_payment_charge_id"] == charge_id

    assert len(paid) == 1
    assert paid[0].successful_payment is not None
    assert paid[0].successful_payment.telegram_payment_charge_id == charge_id


async def test_declined_pre_checkout_reports_the_bots_message(
    emulator_bot: Bot, sandbox_user: SandboxUser, control_api: httpx.AsyncClient
) -> None:
    invoice = await _invoice(emulator_bot, sandbox_user.chat_id, "slot-taken")
    async with polling(_payments_dispatcher([]), emulator_bot):
        response = await control_api.post(
            f"/sandbox/api/users/{sandbox_user.id}/payments",
            json={"message_id": invoice.message_id},
        )
    assert response.json() == {"status": "declined", "error_message": "Слот уже занят"}
    messages = await control_api.get(f"/sandbox/api/chats/{sandbox_user.chat_id}/messages")
    assert not any("successful_payment" in message for message in messages.json())


async def test_stars_invoice_rules(emulator_bot: Bot, sandbox_user: SandboxUser) -> None:
    with pytest.raises(TelegramBadRequest, match="STARS_INVOICE_INVALID"):
        await emulator_bot.send_invoice(
            sandbox_user.chat_id,
            title="t",
            description="d",
            payload="p",
            currency="XTR",
            prices=[LabeledPrice(label="a", amount=1), LabeledPrice(label="b", amount=2)],
        )
    with pytest.raises(TelegramBadRequest, match="PAYMENT_PROVIDER_INVALID"):
        await emulator_bot.send_invoice(
            sandbox_user.chat_id,
            title="t",
            description="d",
            payload="p",
            currency="RUB",
            prices=[LabeledPrice(label="a", amount=100_00)],
        )
    fiat = await emulator_bot.send_invoice(
        sandbox_user.chat_id,
        title="t",
        description="d",
        payload="p",
        currency="RUB",
        provider_token="381764678:TEST:1234",
        prices=[LabeledPrice(label="a", amount=100_00), LabeledPrice(label="b", amount=50_00)],
    )
    assert fiat.invoice is not None and fiat.invoice.total_amount == 150_00
    with pytest.raises(TelegramBadRequest, match="CHARGE_NOT_FOUND"):
        await emulator_bot.refund_star_payment(sandbox_user.id, "stx-unknown")
