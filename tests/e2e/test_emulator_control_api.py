"""The control API: users, their messages and clicks, raw updates, the call log, initData."""

import asyncio
import io
import json
from urllib.parse import parse_qsl

import httpx
import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.web_app import safe_parse_webapp_init_data
from PIL import Image

from sandbox.testing import EmulatorServer, SandboxUser, polling


async def test_users_are_created_listed_and_keep_a_given_id(
    control_api: httpx.AsyncClient,
) -> None:
    created = await control_api.post(
        "/sandbox/api/users",
        json={"id": 555000111, "first_name": "Вет", "username": "dr_vet", "language_code": "en"},
    )
    assert created.json() == {"id": 555000111, "chat_id": 555000111}
    generated = (await control_api.post("/sandbox/api/users", json={"first_name": "Аня"})).json()
    assert generated["id"] == generated["chat_id"] > 0
    listed = {user["id"]: user for user in (await control_api.get("/sandbox/api/users")).json()}
    assert listed[555000111]["username"] == "dr_vet"
    assert listed[generated["id"]]["first_name"] == "Аня"


async def test_user_messages_reach_the_bot_as_updates(
    emulator_bot: Bot, sandbox_user: SandboxUser, control_api: httpx.AsyncClient
) -> None:
    await emulator_bot.delete_webhook(drop_pending_updates=True)
    base = f"/sandbox/api/users/{sandbox_user.id}/messages"
    text = (await control_api.post(base, json={"text": "/start deep"})).json()
    location = await control_api.post(
        base, json={"location": {"latitude": 55.75, "longitude": 37.62}}
    )
    picture = io.BytesIO()
    Image.new("RGB", (640, 480), "white").save(picture, format="JPEG")
    photo = await control_api.post(
        base,
        files={"photo": ("rash.jpg", picture.getvalue(), "image/jpeg")},
        data={"caption": "сыпь"},
    )
    document = await control_api.post(
        base, files={"document": ("analysis.pdf", b"%PDF-1.4 test", "application/pdf")}
    )
    assert location.status_code == photo.status_code == document.status_code == 200
    assert photo.json()["message_id"] == text["message_id"] + 2

    updates = await emulator_bot.get_updates()
    messages = [u.message for u in updates if u.message and u.message.chat.id == sandbox_user.id]
    assert [m.message_id for m in messages][-4:] == list(
        range(text["message_id"], text["message_id"] + 4)
    )
    command, place, shot, file = messages[-4:]
    assert command.text == "/start deep"
    assert command.entities and command.entities[0].type == "bot_command"
    assert command.entities[0].length == len("/start")
    assert place.location is not None and place.location.latitude == pytest.approx(55.75)
    assert shot.photo is not None and (shot.photo[-1].width, shot.photo[-1].height) == (640, 480)
    assert shot.caption == "сыпь"
    assert file.document is not None and file.document.file_name == "analysis.pdf"
    assert file.document.mime_type == "application/pdf"

    # The bot can fetch what the user sent, like any Telegram file.
    telegram_file = await emulator_bot.get_file(shot.photo[-1].file_id)
    assert telegram_file.file_path is not None
    downloaded = await emulator_bot.download_file(telegram_file.file_path)
    assert downloaded is not None and downloaded.read() == picture.getvalue()


def _clicks_dispatcher(errors: list[str]) -> Dispatcher:
    dispatcher = Dispatcher()

    @dispatcher.message(F.text)
    async def echo(message: Message) -> None:
        keyboard = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="Да ✅", callback_data="yes")]]
        )
        await message.answer(f"Вы написали: {message.text}", reply_markup=keyboard)

    @dispatcher.callback_query(F.data == "yes")
    async def on_yes(query: CallbackQuery) -> None:
        await query.answer("Принято", show_alert=True)
        try:
            await query.answer("again")
        except TelegramBadRequest as error:
            errors.append(error.message)

    return dispatcher


async def test_callback_by_button_text_returns_the_bots_answer(
    emulator_bot: Bot, sandbox_user: SandboxUser, control_api: httpx.AsyncClient
) -> None:
    errors: list[str] = []
    async with polling(_clicks_dispatcher(errors), emulator_bot):
        sent = await control_api.post(
            f"/sandbox/api/users/{sandbox_user.id}/messages", json={"text": "кот чихает"}
        )
        replies = await control_api.get(
            f"/sandbox/api/chats/{sandbox_user.chat_id}/messages",
            params={"after": sent.json()["message_id"], "wait": 10},
        )
        reply = replies.json()[0]
        assert reply["from_bot"] and reply["text"] == "Вы написали: кот чихает"
        assert reply["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "yes"

        clicked = await control_api.post(
            f"/sandbox/api/users/{sandbox_user.id}/callbacks",
            json={"message_id": reply["message_id"], "button_text": "Да ✅"},
        )
        body = clicked.json()
        assert body["answer"] == {"text": "Принято", "show_alert": True, "url": None}
        assert body["update_id"] > sent.json()["update_id"]
        missing = await control_api.post(
            f"/sandbox/api/users/{sandbox_user.id}/callbacks",
            json={"message_id": reply["message_id"], "button_text": "Нет"},
        )
        assert missing.status_code == 404
        for _ in range(50):  # the second answer happens right after the first
            if errors:
                break
            await asyncio.sleep(0.1)
    assert errors == [
        "Bad Request: query is too old and response timeout expired or query id is invalid"
    ]


async def test_messages_long_poll_wakes_on_a_new_message(
    emulator_bot: Bot, sandbox_user: SandboxUser, control_api: httpx.AsyncClient
) -> None:
    poll = asyncio.create_task(
        control_api.get(f"/sandbox/api/chats/{sandbox_user.chat_id}/messages", params={"wait": 10})
    )
    await asyncio.sleep(0.3)
    await emulator_bot.send_message(sandbox_user.chat_id, "<b>Результат</b>", parse_mode="HTML")
    messages = (await asyncio.wait_for(poll, 5)).json()
    assert [m["text"] for m in messages] == ["Результат"]
    assert messages[0]["entities"][0]["type"] == "bold"
    assert messages[0]["edited"] is False and messages[0]["deleted"] is False

    await emulator_bot.delete_message(sandbox_user.chat_id, messages[0]["message_id"])
    changed = await control_api.get(
        f"/sandbox/api/chats/{sandbox_user.chat_id}/messages",
        params={"revision_after": messages[0]["revision"], "wait": 5},
    )
    assert [(m["message_id"], m["deleted"]) for m in changed.json()] == [
        (messages[0]["message_id"], True)
    ]
    empty = await control_api.get(
        f"/sandbox/api/chats/{sandbox_user.chat_id}/messages",
        params={"after": messages[0]["message_id"], "wait": 0.2},
    )
    assert empty.json() == []


async def test_raw_updates_get_an_update_id(
    emulator_bot: Bot, sandbox_user: SandboxUser, control_api: httpx.AsyncClient
) -> None:
    await emulator_bot.delete_webhook(drop_pending_updates=True)
    raw = {
        "message": {
            "message_id": 999,
            "date": 1_700_000_000,
            "chat": {"id": sandbox_user.chat_id, "type": "private", "first_name": "X"},
            "from": {"id": sandbox_user.id, "is_bot": False, "first_name": "X"},
            "web_app_data": {"data": '{"rating": 5}', "button_text": "Оценить"},
        }
    }
    response = await control_api.post("/sandbox/api/updates", json=raw)
    updates = await emulator_bot.get_updates()
    assert [u.update_id for u in updates] == [response.json()["update_id"]]
    assert updates[0].message is not None and updates[0].message.web_app_data is not None


async def test_calls_log_records_methods_and_errors(
    emulator_bot: Bot, sandbox_user: SandboxUser, control_api: httpx.AsyncClient
) -> None:
    await emulator_bot.send_chat_action(sandbox_user.chat_id, "typing")
    with pytest.raises(TelegramBadRequest):
        await emulator_bot.delete_message(sandbox_user.chat_id, 50_000)
    actions = await control_api.get("/sandbox/api/calls", params={"method": "sendChatAction"})
    last_action = actions.json()[-1]
    assert last_action["ok"] is True
    assert last_action["params"]["chat_id"] == str(sandbox_user.chat_id)
    assert last_action["params"]["action"] == "typing"
    deletes = await control_api.get("/sandbox/api/calls", params={"method": "deletemessage"})
    assert deletes.json()[-1]["description"] == "Bad Request: message to delete not found"
    assert deletes.json()[-1]["error_code"] == 400


async def test_webapp_init_data_passes_aiogram_validation(
    emulator_server: EmulatorServer, sandbox_user: SandboxUser, control_api: httpx.AsyncClient
) -> None:
    response = await control_api.get(f"/sandbox/api/users/{sandbox_user.id}/webapp_init_data")
    init_data = response.json()["init_data"]
    parsed = safe_parse_webapp_init_data(emulator_server.token, init_data)
    assert parsed.user is not None and parsed.user.id == sandbox_user.id
    assert parsed.user.first_name == sandbox_user.first_name
    assert parsed.query_id
    with pytest.raises(ValueError):
        safe_parse_webapp_init_data("1:" + "B" * 35, init_data)
    fields = dict(parse_qsl(init_data))
    assert json.loads(fields["user"])["language_code"] == "ru"
