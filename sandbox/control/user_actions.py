"""What a user does in a Telegram client: send messages, press buttons, pay invoices."""

import secrets
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel
from starlette.datastructures import UploadFile

from sandbox.control.client_text import client_text
from sandbox.control.deps import State, find_chat, find_user
from sandbox.emulator.blocking import set_blocked
from sandbox.emulator.errors import BotApiError
from sandbox.emulator.formatting import command_entities, utf16_len
from sandbox.emulator.keyboards import inline_buttons
from sandbox.emulator.methods.common import MAX_TEXT_LENGTH
from sandbox.emulator.models import Charge, Chat, StoredMessage
from sandbox.emulator.params import Upload
from sandbox.emulator.state import (
    CALLBACK_ANSWER_WINDOW_S,
    PRE_CHECKOUT_ANSWER_WINDOW_S,
    EmulatorState,
)

router = APIRouter()

# How long the control API waits for the bot's answer before it reports none.
ANSWER_WAIT_S = 10.0


class CallbackRequest(BaseModel):
    message_id: int
    data: str | None = None
    button_text: str | None = None


class PaymentRequest(BaseModel):
    message_id: int


async def _upload(value: Any) -> Upload | None:
    if not isinstance(value, UploadFile):
        return None
    return Upload(value.filename or "file", value.content_type, await value.read())


async def _content_from_form(state: EmulatorState, request: Request) -> dict[str, Any]:
    form = await request.form(max_part_size=50 * 1024 * 1024)
    caption = form.get("caption")
    content: dict[str, Any]
    if (photo := await _upload(form.get("photo"))) is not None:
        # Decoded in a thread: the bot under test shares this event loop.
        content = {"photo": await state.files.add_photo_off_loop(photo)}
    elif (document := await _upload(form.get("document"))) is not None:
        content = {"document": state.files.add_document(document)}
    elif isinstance(form.get("text"), str):
        return _text_content(str(form.get("text")))
    else:
        raise HTTPException(422, "send a photo or document file part, or text")
    if isinstance(caption, str) and caption:
        content["caption"] = client_text(caption, "caption")
    return content


def _text_content(text: str) -> dict[str, Any]:
    text = client_text(text, "text")
    if not text.strip():
        raise HTTPException(422, "text is empty")
    if utf16_len(text) > MAX_TEXT_LENGTH:
        raise HTTPException(400, "message is too long")
    content: dict[str, Any] = {"text": text}
    if entities := command_entities(text):
        content["entities"] = entities
    return content


def _content_from_json(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise HTTPException(422, 'send {"text": ...} or {"location": {...}}')
    if isinstance(body.get("text"), str):
        return _text_content(body["text"])
    location = body.get("location")
    if isinstance(location, dict) and {"latitude", "longitude"} <= location.keys():
        return {
            "location": {
                "latitude": float(location["latitude"]),
                "longitude": float(location["longitude"]),
            }
        }
    raise HTTPException(422, 'send {"text": ...} or {"location": {"latitude", "longitude"}}')


@router.post("/users/{user_id}/messages")
async def send_user_message(user_id: int, request: Request, state: State) -> dict[str, int]:
    """The user sends text, a location (JSON) or a photo/document (multipart) to the bot."""
    user = find_user(state, user_id)
    try:
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            content = await _content_from_form(state, request)
        else:
            content = _content_from_json(await request.json())
    except BotApiError as error:  # e.g. a "photo" that is not an image
        raise HTTPException(400, error.description) from error
    # Writing to a bot one has blocked unblocks it first (Telegram's "Restart" button).
    set_blocked(state, user, False)
    message = state.add_message(state.chats[user.id], user, content)
    return {"update_id": state.emit_user_message(message), "message_id": message.message_id}


@router.post("/users/{user_id}/block")
async def block_bot(user_id: int, state: State) -> dict[str, Any]:
    """The user blocks the bot ("Stop and block bot" in Telegram).

    From now on every method that sends to this chat (sendMessage, sendPhoto, sendDocument,
    sendInvoice, sendChatAction) answers 403 "Forbidden: bot was blocked by the user", and the
    bot gets a my_chat_member update with new status "kicked". The user writing again
    (``POST /users/{id}/messages``) or ``POST /users/{id}/unblock`` lifts it. ``update_id`` is
    that of the my_chat_member update, or null when the bot was already blocked.
    """
    user = find_user(state, user_id)
    return {"blocked": True, "update_id": set_blocked(state, user, True)}


@router.post("/users/{user_id}/unblock")
async def unblock_bot(user_id: int, state: State) -> dict[str, Any]:
    """The user unblocks the bot: sending works again and the bot gets a my_chat_member
    update with new status "member". ``update_id`` is null when the bot was not blocked."""
    user = find_user(state, user_id)
    return {"blocked": False, "update_id": set_blocked(state, user, False)}


def _bot_message(chat: Chat, message_id: int) -> StoredMessage:
    message = chat.find(message_id)
    if message is None or message.deleted or not message.from_bot:
        raise HTTPException(404, f"no bot message {message_id} in chat {chat.user.id}")
    return message


def _callback_data(message: StoredMessage, body: CallbackRequest) -> str:
    if body.data is not None:
        return body.data
    if body.button_text is None:
        raise HTTPException(422, "give data or button_text")
    for button in inline_buttons(message.reply_markup):
        if button["text"] == body.button_text:
            if "callback_data" not in button:
                raise HTTPException(400, f"button {body.button_text!r} sends no callback")
            return str(button["callback_data"])
    texts = [button["text"] for button in inline_buttons(message.reply_markup)]
    raise HTTPException(404, f"no button {body.button_text!r}; the message has {texts}")


@router.post("/users/{user_id}/callbacks")
async def press_button(user_id: int, body: CallbackRequest, state: State) -> dict[str, Any]:
    """The user presses an inline button; waits up to 10 s for answerCallbackQuery."""
    user = find_user(state, user_id)
    message = _bot_message(find_chat(state, user.id), body.message_id)
    data = _callback_data(message, body)
    query_id = state.open_query(state.callback_queries, CALLBACK_ANSWER_WINDOW_S)
    update_id = state.updates.push(
        {
            "callback_query": {
                "id": query_id,
                "from": user.to_api(),
                "message": message.to_api(),
                # Stable per chat, as Telegram's is.
                "chat_instance": str(user.id * 7919 % 10**18),
                "data": data,
            }
        }
    )
    answer = await state.callback_queries[query_id].wait(ANSWER_WAIT_S)
    return {"update_id": update_id, "answer": answer}


@router.post("/users/{user_id}/payments")
async def pay_invoice(user_id: int, body: PaymentRequest, state: State) -> dict[str, Any]:
    """The user pays an invoice: pre_checkout_query, then successful_payment if the bot agrees."""
    user = find_user(state, user_id)
    message = _bot_message(find_chat(state, user.id), body.message_id)
    invoice = message.content.get("invoice")
    if invoice is None:
        raise HTTPException(404, f"message {body.message_id} is not an invoice")
    if message.private.get("paid"):
        raise HTTPException(409, f"invoice {body.message_id} is already paid")
    payload = message.private["payload"]
    query_id = state.open_query(state.pre_checkout_queries, PRE_CHECKOUT_ANSWER_WINDOW_S)
    state.updates.push(
        {
            "pre_checkout_query": {
                "id": query_id,
                "from": user.to_api(),
                "currency": invoice["currency"],
                "total_amount": invoice["total_amount"],
                "invoice_payload": payload,
            }
        }
    )
    answer = await state.pre_checkout_queries[query_id].wait(ANSWER_WAIT_S)
    if answer is None:
        return {"status": "declined", "error_message": "the bot did not answer in 10 s"}
    if not answer["ok"]:
        return {"status": "declined", "error_message": answer["error_message"]}
    charge = _charge(user.id, invoice, payload)
    state.charges[charge.charge_id] = charge
    message.private["paid"] = True
    paid = state.add_message(
        state.chats[user.id],
        user,
        {
            "successful_payment": {
                "currency": charge.currency,
                "total_amount": charge.total_amount,
                "invoice_payload": charge.invoice_payload,
                "telegram_payment_charge_id": charge.charge_id,
                "provider_payment_charge_id": charge.provider_payment_charge_id,
            }
        },
    )
    update_id = state.emit_user_message(paid)
    return {
        "status": "paid",
        "telegram_payment_charge_id": charge.charge_id,
        "update_id": update_id,
        "message_id": paid.message_id,
    }


def _charge(user_id: int, invoice: dict[str, Any], payload: str) -> Charge:
    stars = invoice["currency"] == "XTR"
    return Charge(
        charge_id=("stxsandbox" if stars else "sandbox_") + secrets.token_urlsafe(24),
        user_id=user_id,
        currency=invoice["currency"],
        total_amount=invoice["total_amount"],
        invoice_payload=payload,
        provider_payment_charge_id="" if stars else f"provider_{secrets.token_hex(8)}",
    )
