"""The emulator answers a real aiogram Bot the way Telegram does, errors included."""

import asyncio
import io
from typing import Any

import httpx
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest, TelegramUnauthorizedError
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    MenuButtonWebApp,
    Message,
    WebAppInfo,
)
from PIL import Image

from sandbox.testing import EmulatorServer, SandboxUser


def _keyboard(*labels: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=label, callback_data=label)] for label in labels
        ]
    )


def _same(left: Any, right: Any) -> bool:
    """aiogram objects returned by the API carry the bot in private fields: compare the data."""
    return bool(left.model_dump(exclude_none=True) == right.model_dump(exclude_none=True))


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


async def test_get_me_returns_the_bot_id_from_the_token(
    emulator_bot: Bot, emulator_server: EmulatorServer
) -> None:
    me = await emulator_bot.get_me()
    assert me.id == int(emulator_server.token.split(":")[0])
    assert me.is_bot
    assert me.username == "telemed_pet_bot"


async def test_wrong_token_is_unauthorized_and_garbage_token_not_found(
    emulator_server: EmulatorServer,
) -> None:
    wrong_token = "123456:" + "A" * 35
    api_base = emulator_server.base_url
    async with httpx.AsyncClient(base_url=api_base) as client:
        garbage = await client.post("/botnot-a-token/getMe")
    assert garbage.status_code == 404
    assert garbage.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_base))
    stranger = Bot(wrong_token, session=session)
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await stranger.get_me()
    finally:
        await session.close()


async def test_unknown_method_is_not_found(emulator_server: EmulatorServer) -> None:
    async with httpx.AsyncClient(base_url=emulator_server.base_url) as client:
        response = await client.post(f"/bot{emulator_server.token}/sendTelepathy", json={})
    assert response.status_code == 404
    assert response.json()["description"] == "Not Found"


async def test_get_query_urlencoded_and_plain_file_parts_are_accepted(
    emulator_server: EmulatorServer, sandbox_user: SandboxUser
) -> None:
    chat_id = str(sandbox_user.chat_id)
    async with httpx.AsyncClient(
        base_url=f"{emulator_server.base_url}/bot{emulator_server.token}"
    ) as client:
        by_query = await client.get("/sendMessage", params={"chat_id": chat_id, "text": "q"})
        by_form = await client.post(
            "/sendmessage",  # method names are case-insensitive
            data={
                "chat_id": chat_id,
                "text": "f",
                "reply_markup": '{"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}',
                "disable_notification": "true",
            },
        )
        by_file_part = await client.post(
            "/sendPhoto",
            data={"chat_id": chat_id},
            files={"photo": ("p.png", _png(40, 30), "image/png")},
        )
    assert by_query.json()["result"]["text"] == "q"
    assert by_form.json()["result"]["reply_markup"]["inline_keyboard"][0][0]["text"] == "A"
    photo = by_file_part.json()["result"]["photo"]
    assert [(size["width"], size["height"]) for size in photo] == [(40, 30)]


async def test_send_message_with_inline_keyboard_and_html(
    emulator_bot: Bot, sandbox_user: SandboxUser
) -> None:
    message = await emulator_bot.send_message(
        sandbox_user.chat_id,
        "<b>Привет</b>, мир &amp; 🐱",
        parse_mode="HTML",
        reply_markup=_keyboard("yes", "no"),
    )
    assert message.message_id >= 1
    assert message.chat.id == sandbox_user.chat_id
    assert message.from_user is not None and message.from_user.is_bot
    # Telegram stores plain text plus entities, never the markup.
    assert message.text == "Привет, мир & 🐱"
    assert message.entities is not None
    assert (message.entities[0].type, message.entities[0].offset, message.entities[0].length) == (
        "bold",
        0,
        6,
    )
    assert _same(message.reply_markup, _keyboard("yes", "no"))
    second = await emulator_bot.send_message(sandbox_user.chat_id, "next")
    assert second.message_id == message.message_id + 1


async def test_send_message_rejects_what_telegram_rejects(
    emulator_bot: Bot, sandbox_user: SandboxUser
) -> None:
    cases = [
        (
            {"chat_id": sandbox_user.chat_id, "text": "x" * 4097},
            "Bad Request: message is too long",
        ),
        ({"chat_id": sandbox_user.chat_id, "text": "   "}, "Bad Request: message text is empty"),
        ({"chat_id": 987654321987, "text": "hi"}, "Bad Request: chat not found"),
        (
            {"chat_id": sandbox_user.chat_id, "text": "hi", "reply_markup": _keyboard("x" * 65)},
            "Bad Request: BUTTON_DATA_INVALID",
        ),
        (
            {"chat_id": sandbox_user.chat_id, "text": "<br>", "parse_mode": "HTML"},
            'Bad Request: can\'t parse entities: Unsupported start tag "br" at byte offset 0',
        ),
    ]
    for kwargs, description in cases:
        with pytest.raises(TelegramBadRequest) as raised:
            await emulator_bot.send_message(**kwargs)  # type: ignore[arg-type]
        assert raised.value.message == description


async def test_edit_message_text_and_its_telegram_errors(
    emulator_bot: Bot, sandbox_user: SandboxUser, control_api: httpx.AsyncClient
) -> None:
    chat_id = sandbox_user.chat_id
    sent = await emulator_bot.send_message(chat_id, "one", reply_markup=_keyboard("a"))
    edited = await emulator_bot.edit_message_text(
        "two", chat_id=chat_id, message_id=sent.message_id, reply_markup=_keyboard("a")
    )
    assert not isinstance(edited, bool)
    assert edited.text == "two" and edited.edit_date is not None

    with pytest.raises(TelegramBadRequest) as raised:
        await emulator_bot.edit_message_text(
            "two", chat_id=chat_id, message_id=sent.message_id, reply_markup=_keyboard("a")
        )
    assert raised.value.message == (
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message"
    )
    # An edit that does not repeat the keyboard removes it, as in Telegram.
    without_keyboard = await emulator_bot.edit_message_text(
        "two", chat_id=chat_id, message_id=sent.message_id
    )
    assert not isinstance(without_keyboard, bool) and without_keyboard.reply_markup is None

    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await emulator_bot.edit_message_text("x", chat_id=chat_id, message_id=10_000)
    with pytest.raises(TelegramBadRequest, match="MESSAGE_ID_INVALID"):
        await emulator_bot.edit_message_text("x", chat_id=chat_id, message_id=0)

    users_message = await control_api.post(
        f"/sandbox/api/users/{sandbox_user.id}/messages", json={"text": "mine"}
    )
    with pytest.raises(TelegramBadRequest) as raised:
        await emulator_bot.edit_message_text(
            "x", chat_id=chat_id, message_id=users_message.json()["message_id"]
        )
    assert raised.value.message == "Bad Request: message can't be edited"


async def test_edit_reply_markup_and_delete_twice(
    emulator_bot: Bot, sandbox_user: SandboxUser
) -> None:
    chat_id = sandbox_user.chat_id
    sent = await emulator_bot.send_message(chat_id, "pick", reply_markup=_keyboard("a"))
    changed = await emulator_bot.edit_message_reply_markup(
        chat_id=chat_id, message_id=sent.message_id, reply_markup=_keyboard("b")
    )
    assert not isinstance(changed, bool) and _same(changed.reply_markup, _keyboard("b"))
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await emulator_bot.edit_message_reply_markup(
            chat_id=chat_id, message_id=sent.message_id, reply_markup=_keyboard("b")
        )

    assert await emulator_bot.delete_message(chat_id, sent.message_id) is True
    with pytest.raises(TelegramBadRequest) as raised:
        await emulator_bot.delete_message(chat_id, sent.message_id)
    assert raised.value.message == "Bad Request: message to delete not found"
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await emulator_bot.edit_message_text("x", chat_id=chat_id, message_id=sent.message_id)


async def test_photo_upload_resend_by_file_id_and_download(
    emulator_bot: Bot, sandbox_user: SandboxUser
) -> None:
    picture = _png(1000, 600)
    sent = await emulator_bot.send_photo(
        sandbox_user.chat_id,
        BufferedInputFile(picture, filename="cat.png"),
        caption="<i>котик</i>",
        parse_mode="HTML",
    )
    assert sent.photo is not None and len(sent.photo) > 1
    largest = sent.photo[-1]
    assert (largest.width, largest.height) == (1000, 600)
    assert sent.photo[0].width == 90  # Telegram's smallest thumbnail
    assert sent.caption == "котик"

    again = await emulator_bot.send_photo(sandbox_user.chat_id, largest.file_id)
    assert again.photo is not None and again.photo[-1].file_id == largest.file_id

    file = await emulator_bot.get_file(largest.file_id)
    assert file.file_path is not None
    downloaded = await emulator_bot.download_file(file.file_path)
    assert downloaded is not None and downloaded.read() == picture

    with pytest.raises(TelegramBadRequest) as raised:
        await emulator_bot.send_photo(sandbox_user.chat_id, "no-such-file-id")
    assert raised.value.message == "Bad Request: wrong file identifier/HTTP URL specified"
    with pytest.raises(TelegramBadRequest, match="IMAGE_PROCESS_FAILED"):
        await emulator_bot.send_photo(
            sandbox_user.chat_id, BufferedInputFile(b"not an image", filename="x.jpg")
        )


async def test_send_document_and_edit_its_caption(
    emulator_bot: Bot, sandbox_user: SandboxUser
) -> None:
    content = b"pet;weight\nBarsik;4.2\n"
    sent = await emulator_bot.send_document(
        sandbox_user.chat_id, BufferedInputFile(content, filename="records.csv"), caption="v1"
    )
    assert sent.document is not None
    assert sent.document.file_name == "records.csv"
    assert sent.document.file_size == len(content)
    edited = await emulator_bot.edit_message_caption(
        chat_id=sandbox_user.chat_id, message_id=sent.message_id, caption="v2"
    )
    assert not isinstance(edited, bool) and edited.caption == "v2"
    file = await emulator_bot.get_file(sent.document.file_id)
    assert file.file_path is not None
    downloaded = await emulator_bot.download_file(file.file_path)
    assert downloaded is not None and downloaded.read() == content


async def test_commands_are_stored_per_scope_and_language(
    emulator_bot: Bot, sandbox_user: SandboxUser, control_api: httpx.AsyncClient
) -> None:
    ru = [BotCommand(command="start", description="Начать")]
    en = [
        BotCommand(command="start", description="Start"),
        BotCommand(command="help", description="Help"),
    ]
    vet = [BotCommand(command="today", description="Сегодня")]
    scope = BotCommandScopeAllPrivateChats()
    assert await emulator_bot.set_my_commands(ru, scope=scope, language_code="ru")
    assert await emulator_bot.set_my_commands(en, scope=scope, language_code="en")
    chat_scope = BotCommandScopeChat(chat_id=sandbox_user.chat_id)
    assert await emulator_bot.set_my_commands(vet, scope=chat_scope, language_code="ru")

    assert [
        c.command for c in await emulator_bot.get_my_commands(scope=scope, language_code="ru")
    ] == ["start"]
    got_en = await emulator_bot.get_my_commands(scope=scope, language_code="en")
    assert [(c.command, c.description) for c in got_en] == [("start", "Start"), ("help", "Help")]
    assert await emulator_bot.get_my_commands(scope=scope) == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await emulator_bot.set_my_commands([BotCommand(command="Bad Command", description="x")])

    # The page shows what a client would: the most specific scope, then the language.
    menu = (await control_api.get(f"/sandbox/api/users/{sandbox_user.id}/menu")).json()
    assert menu["commands"] == [{"command": "today", "description": "Сегодня"}]


async def test_menu_button_per_chat(emulator_bot: Bot, sandbox_user: SandboxUser) -> None:
    button = MenuButtonWebApp(text="Карта", web_app=WebAppInfo(url="https://example.org/app"))
    assert await emulator_bot.set_chat_menu_button(
        chat_id=sandbox_user.chat_id, menu_button=button
    )
    assert _same(await emulator_bot.get_chat_menu_button(chat_id=sandbox_user.chat_id), button)


async def test_get_updates_long_poll_wakes_on_arrival_and_offset_confirms(
    emulator_bot: Bot, sandbox_user: SandboxUser, control_api: httpx.AsyncClient
) -> None:
    await emulator_bot.delete_webhook(drop_pending_updates=True)
    poll = asyncio.create_task(emulator_bot.get_updates(timeout=20))
    await asyncio.sleep(0.3)
    started = asyncio.get_running_loop().time()
    await control_api.post(
        f"/sandbox/api/users/{sandbox_user.id}/messages", json={"text": "/start"}
    )
    updates = await asyncio.wait_for(poll, 5)
    assert asyncio.get_running_loop().time() - started < 2
    assert len(updates) == 1
    message = updates[0].message
    assert message is not None and message.text == "/start"
    assert message.entities is not None and message.entities[0].type == "bot_command"

    # Not confirmed yet: still there. Confirmed by offset: gone.
    assert [u.update_id for u in await emulator_bot.get_updates()] == [updates[0].update_id]
    assert await emulator_bot.get_updates(offset=updates[0].update_id + 1) == []


async def test_allowed_updates_filter_what_get_updates_returns(
    emulator_bot: Bot, sandbox_user: SandboxUser, control_api: httpx.AsyncClient
) -> None:
    await emulator_bot.delete_webhook(drop_pending_updates=True)
    await control_api.post(f"/sandbox/api/users/{sandbox_user.id}/messages", json={"text": "a"})
    assert await emulator_bot.get_updates(allowed_updates=["callback_query"]) == []
    await control_api.post(f"/sandbox/api/users/{sandbox_user.id}/messages", json={"text": "b"})
    updates = await emulator_bot.get_updates(allowed_updates=[])
    assert [u.message.text for u in updates if u.message] == ["b"]


async def test_edit_message_media_adds_a_photo_to_a_text_message(
    emulator_bot: Bot, sandbox_user: SandboxUser
) -> None:
    # Bot API 7.9+: aiogram-dialog relies on it when a text window is followed by a photo one.
    text_message = await emulator_bot.send_message(sandbox_user.chat_id, "card")
    edited = await emulator_bot.edit_message_media(
        media=InputMediaPhoto(
            media=BufferedInputFile(_png(32, 16), "cat.png"), caption="with a photo"
        ),
        chat_id=sandbox_user.chat_id,
        message_id=text_message.message_id,
    )
    assert isinstance(edited, Message)
    assert edited.photo and edited.caption == "with a photo"
    assert edited.text is None


async def test_html_that_telegram_cannot_parse_is_refused_with_its_byte_offset(
    emulator_bot: Bot, sandbox_user: SandboxUser
) -> None:
    # An unescaped "<" is a tag to Telegram: "Маша " is 9 UTF-8 bytes, so the "tag" starts at
    # byte 9 and never closes (td/telegram/MessageEntity.cpp parse_html).
    with pytest.raises(TelegramBadRequest) as raised:
        await emulator_bot.send_message(sandbox_user.chat_id, "Маша <3", parse_mode="HTML")
    assert raised.value.message == (
        "Bad Request: can't parse entities: Unclosed start tag at byte offset 9"
    )
    escaped = await emulator_bot.send_message(
        sandbox_user.chat_id, "Маша &lt;3 &copy;", parse_mode="HTML"
    )
    assert escaped.text == "Маша <3 &copy;"
