import time
from typing import Any

from sandbox.emulator.errors import CHARGE_ALREADY_REFUNDED, CHARGE_NOT_FOUND, bad_request
from sandbox.emulator.methods.common import admit_new_message, split_reply_markup
from sandbox.emulator.methods.registry import bot_method
from sandbox.emulator.params import Params
from sandbox.emulator.state import EmulatorState

STARS = "XTR"


def _prices(params: Params, currency: str) -> list[dict[str, Any]]:
    prices = params.get_json("prices")
    if not isinstance(prices, list) or not prices:
        raise bad_request("CURRENCY_TOTAL_AMOUNT_INVALID")
    for price in prices:
        amount = price.get("amount") if isinstance(price, dict) else None
        if not isinstance(amount, int) or amount <= 0 or not price.get("label"):
            raise bad_request("CURRENCY_TOTAL_AMOUNT_INVALID")
    # Stars invoices take exactly one price and no provider; fiat ones need a provider token.
    provider_token = params.get_str("provider_token")
    if currency == STARS:
        if provider_token:
            raise bad_request("PAYMENT_PROVIDER_INVALID")
        if len(prices) != 1:
            raise bad_request("STARS_INVOICE_INVALID")
    elif not provider_token:
        raise bad_request("PAYMENT_PROVIDER_INVALID")
    return prices


@bot_method("sendInvoice")
async def send_invoice(state: EmulatorState, params: Params) -> dict[str, Any]:
    chat = state.chat(params.chat_id())
    title = params.require_str("title")
    description = params.require_str("description")
    payload = params.require_str("payload")
    currency = params.require_str("currency").upper()
    if len(title) > 32:
        raise bad_request("INVOICE_TITLE_INVALID")
    if len(description) > 255:
        raise bad_request("INVOICE_DESCRIPTION_INVALID")
    if len(payload.encode()) > 128:
        raise bad_request("INVOICE_PAYLOAD_INVALID")
    prices = _prices(params, currency)
    inline, _ = split_reply_markup(state, params)
    invoice = {
        "title": title,
        "description": description,
        "start_parameter": params.get_str("start_parameter") or "",
        "currency": currency,
        "total_amount": sum(price["amount"] for price in prices),
    }
    admit_new_message(state, chat)
    message = state.add_message(
        chat,
        state.bot,
        {"invoice": invoice},
        reply_markup=inline,
        private={"payload": payload, "prices": prices, "paid": False},
    )
    return message.to_api()


@bot_method("refundStarPayment")
async def refund_star_payment(state: EmulatorState, params: Params) -> bool:
    user_id = params.require_int("user_id")
    charge = state.charges.get(params.require_str("telegram_payment_charge_id"))
    if charge is None or charge.user_id != user_id or charge.currency != STARS:
        raise bad_request(CHARGE_NOT_FOUND)
    if charge.refunded_at is not None:
        raise bad_request(CHARGE_ALREADY_REFUNDED)
    charge.refunded_at = int(time.time())
    chat = state.chat(user_id)
    refunded = {
        "currency": charge.currency,
        "total_amount": charge.total_amount,
        "invoice_payload": charge.invoice_payload,
        "telegram_payment_charge_id": charge.charge_id,
    }
    # Telegram tells the bot with a service message in the user's chat.
    message = state.add_message(chat, chat.user, {"refunded_payment": refunded})
    state.emit_user_message(message)
    return True


@bot_method("getStarTransactions")
async def get_star_transactions(state: EmulatorState, params: Params) -> dict[str, Any]:
    transactions: list[dict[str, Any]] = []
    for charge in state.charges.values():
        if charge.currency != STARS:
            continue
        user = state.users[charge.user_id].to_api()
        transactions.append(
            {
                "id": charge.charge_id,
                "amount": charge.total_amount,
                "date": charge.date,
                "source": {
                    "type": "user",
                    "transaction_type": "invoice_payment",
                    "user": user,
                    "invoice_payload": charge.invoice_payload,
                },
            }
        )
        if charge.refunded_at is not None:
            transactions.append(
                {
                    "id": charge.charge_id,
                    "amount": charge.total_amount,
                    "date": charge.refunded_at,
                    "receiver": {
                        "type": "user",
                        "transaction_type": "invoice_payment",
                        "user": user,
                    },
                }
            )
    transactions.sort(key=lambda transaction: transaction["date"])
    offset = params.get_int("offset") or 0
    limit = params.get_int("limit") or 100
    return {"transactions": transactions[offset : offset + limit]}
