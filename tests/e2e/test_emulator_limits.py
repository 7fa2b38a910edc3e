"""The emulator is at least as strict as Telegram on sizes, limits, age, flood control and
blocked users. Every table row names its source; a row's error text is Telegram's own."""

import asyncio
import io
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio
from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    LabeledPrice,
    LoginUrl,
    WebAppInfo,
)
from PIL import Image

from sandbox import create_sandbox_app, make_token
from sandbox.emulator.flood import FloodRates
from sandbox.testing import BackgroundServer, EmulatorServer, SandboxUser, polling

MB = 1024 * 1024
HOURS = 3600
SENDPHOTO = "https://core.telegram.org/bots/api#sendphoto"
FLOOD_FAQ = "https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this"
TDLIB_REPLY_MARKUP = "tdlib/td td/telegram/ReplyMarkup.cpp + LinkManager.cpp check_link"


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    # 1-bit pixels keep even a 9000-pixel-wide photo small and quick to encode.
    Image.new("1", (width, height), 1).save(buffer, format="PNG")
    return buffer.getvalue()


def _noise_png(size_bytes: int) -> bytes:
    """A real image just over ``size_bytes``: random pixels, stored uncompressed."""
    side = int((size_bytes / 3) ** 0.5) + 8
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(
        buffer, format="PNG", compress_level=0
    )
    data = buffer.getvalue()
    assert len(data) > size_bytes
    return data


def _buttons(rows: int, per_row: int, data: str = "d", label: str = "") -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=f"{label}{r}.{c}", callback_data=data)
                for c in range(per_row)
            ]
            for r in range(rows)
        ]
    )


def _one_button(**action: Any) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="B", **action)]])


# --- sizes and lengths of what the bot sends -------------------------------------------------

Send = Callable[[Bot, int], Awaitable[Any]]


@dataclass(frozen=True)
class Row:
    name: str
    send: Send
    error: str | None  # Telegram's description, or None when Telegram accepts it
    source: str

    def __str__(self) -> str:
        return self.name


def _photo(data: bytes) -> Send:
    return lambda bot, chat: bot.send_photo(chat, BufferedInputFile(data, "p.png"))


def _text(text: str, **kwargs: Any) -> Send:
    return lambda bot, chat: bot.send_message(chat, text, **kwargs)


def _caption(text: str) -> Send:
    return lambda bot, chat: bot.send_photo(
        chat, BufferedInputFile(_png(10, 10), "p.png"), caption=text
    )


def _markup(markup: InlineKeyboardMarkup) -> Send:
    return lambda bot, chat: bot.send_message(chat, "keyboard", reply_markup=markup)


SEND_ROWS = [
    Row(
        "photo over 10 MB",
        _photo(_noise_png(10 * MB)),
        "Bad Request: PHOTO_SAVE_FILE_INVALID",
        f"{SENDPHOTO}; github.com/zhukov/webogram/issues/1011",
    ),
    Row(
        "photo sides sum 10001",
        _photo(_png(9001, 1000)),
        "Bad Request: PHOTO_INVALID_DIMENSIONS",
        f"{SENDPHOTO}; github.com/go-telegram-bot-api/telegram-bot-api/issues/600",
    ),
    Row("photo sides sum 10000", _photo(_png(9000, 1000)), None, SENDPHOTO),
    Row(
        "photo ratio 21",
        _photo(_png(2100, 100)),
        "Bad Request: PHOTO_INVALID_DIMENSIONS",
        f"{SENDPHOTO}; github.com/redtidev1918/TelePost/pull/39",
    ),
    Row("photo ratio 20", _photo(_png(100, 2000)), None, SENDPHOTO),
    Row(
        "text of 4097 characters",
        _text("я" * 4097),
        "Bad Request: message is too long",
        "https://core.telegram.org/bots/api#sendmessage (1-4096 characters after parsing)",
    ),
    Row(
        "4096 characters after entity parsing",
        _text("<b>" + "я" * 4096 + "</b>", parse_mode="HTML"),
        None,
        "https://core.telegram.org/bots/api#sendmessage",
    ),
    Row(
        "caption of 1025 characters",
        _caption("c" * 1025),
        "Bad Request: message caption is too long",
        "https://core.telegram.org/bots/api#sendphoto (0-1024 characters after parsing)",
    ),
    Row("caption of 1024 characters", _caption("c" * 1024), None, SENDPHOTO),
    Row(
        "callback_data of 65 bytes",
        _markup(_one_button(callback_data="ж" * 32 + "x")),
        "Bad Request: BUTTON_DATA_INVALID",
        "https://core.telegram.org/bots/api#inlinekeyboardbutton (1-64 bytes)",
    ),
    Row(
        "101 inline buttons",
        _markup(_buttons(21, 5)),
        "Bad Request: reply markup is too long",
        "github.com/eternnoir/pyTelegramBotAPI/issues/511; tginfo/Telegram-Limits#228",
    ),
    Row("100 inline buttons", _markup(_buttons(20, 5)), None, "tginfo/Telegram-Limits#228"),
    Row(
        "9 inline buttons in a row",
        _markup(_buttons(1, 9)),
        "Bad Request: reply markup is too long",
        "tginfo/Telegram-Limits#228 (8 per row; deliberate strictness, see limits.py)",
    ),
    Row(
        "inline markup over 10 kB",
        _markup(_buttons(10, 8, data="x" * 64, label="Кнопка" * 5)),
        "Bad Request: reply markup is too long",
        "tginfo/Telegram-Limits#187 (markup JSON > 10 kB)",
    ),
    Row(
        "url button without a dot in the host",
        _markup(_one_button(url="ds")),
        "Bad Request: inline keyboard button URL 'ds' is invalid: Wrong HTTP URL",
        f"{TDLIB_REPLY_MARKUP}; github.com/davtur19/TuriBot/issues/4",
    ),
    Row(
        "url button with an ftp URL",
        _markup(_one_button(url="ftp://files.example.org/x")),
        "Bad Request: inline keyboard button URL 'ftp://files.example.org/x' is invalid: "
        "Unsupported URL protocol",
        f"{TDLIB_REPLY_MARKUP}; tdutils/td/utils/HttpUrl.cpp parse_url",
    ),
    Row(
        "url button to a tg:// link",
        _markup(_one_button(url="tg://resolve?domain=telemed_pet_bot")),
        None,
        TDLIB_REPLY_MARKUP,
    ),
    Row(
        "web_app button over plain http",
        _markup(_one_button(web_app=WebAppInfo(url="http://127.0.0.1:8080/app"))),
        "Bad Request: inline keyboard button Web App URL 'http://127.0.0.1:8080/app' is "
        "invalid: Only HTTPS links are allowed",
        f"{TDLIB_REPLY_MARKUP} (https_only); https://core.telegram.org/bots/webapps",
    ),
    Row(
        "web_app button over https",
        _markup(_one_button(web_app=WebAppInfo(url="https://vet.example/app"))),
        None,
        "https://core.telegram.org/bots/api#webappinfo",
    ),
    Row(
        "login_url button over plain http",
        _markup(_one_button(login_url=LoginUrl(url="http://vet.example/login"))),
        "Bad Request: inline keyboard button login URL 'http://vet.example/login' is invalid: "
        "Only HTTPS links are allowed",
        TDLIB_REPLY_MARKUP,
    ),
]


@pytest.mark.parametrize("row", SEND_ROWS, ids=str)
async def test_what_telegram_refuses_to_send_is_refused(
    row: Row, emulator_bot: Bot, sandbox_user: SandboxUser
) -> None:
    if row.error is None:
        assert await row.send(emulator_bot, sandbox_user.chat_id)
        return
    with pytest.raises(TelegramBadRequest) as raised:
        await row.send(emulator_bot, sandbox_user.chat_id)
    assert raised.value.message == row.error


async def test_edit_message_media_checks_the_new_photo_too(
    emulator_bot: Bot, sandbox_user: SandboxUser
) -> None:
    # Source: https://core.telegram.org/bots/api#sendphoto limits apply to any new photo.
    sent = await emulator_bot.send_photo(sandbox_user.chat_id, BufferedInputFile(_png(8, 8), "a"))
    tall = InputMediaPhoto(media=BufferedInputFile(_png(50, 1001), "tall.png"))
    with pytest.raises(TelegramBadRequest) as raised:
        await emulator_bot.edit_message_media(
            tall, chat_id=sandbox_user.chat_id, message_id=sent.message_id
        )
    assert raised.value.message == "Bad Request: PHOTO_INVALID_DIMENSIONS"


async def test_documents_over_50_mb_are_too_large_and_over_20_mb_cannot_be_fetched(
    emulator_bot: Bot, emulator_server: EmulatorServer, sandbox_user: SandboxUser
) -> None:
    # https://core.telegram.org/bots/api#senddocument (50 MB) → 413 "Request Entity Too Large"
    # (github.com/telegraf/telegraf/issues/913); https://core.telegram.org/bots/api#getfile
    # (20 MB) → "Bad Request: file is too big" (github.com/tdlib/telegram-bot-api/issues/51).
    with pytest.raises(TelegramEntityTooLarge) as too_large:
        await emulator_bot.send_document(
            sandbox_user.chat_id, BufferedInputFile(b"\0" * (50 * MB + 1), "big.bin")
        )
    assert too_large.value.message == "Request Entity Too Large"
    async with httpx.AsyncClient(base_url=emulator_server.base_url) as client:
        raw = await client.post(
            f"/bot{emulator_server.token}/sendDocument",
            data={"chat_id": str(sandbox_user.chat_id)},
            files={"document": ("big.bin", b"\0" * (50 * MB + 1))},
        )
    assert (raw.status_code, raw.json()) == (
        413,
        {"ok": False, "error_code": 413, "description": "Request Entity Too Large"},
    )

    sent = await emulator_bot.send_document(
        sandbox_user.chat_id, BufferedInputFile(b"\0" * (20 * MB + 1), "scan.bin")
    )
    assert sent.document is not None
    with pytest.raises(TelegramBadRequest) as raised:
        await emulator_bot.get_file(sent.document.file_id)
    assert raised.value.message == "Bad Request: file is too big"


async def test_callback_answer_text_over_200_characters_is_message_too_long(
    emulator_bot: Bot, sandbox_user: SandboxUser, control_api: httpx.AsyncClient
) -> None:
    # https://core.telegram.org/bots/api#answercallbackquery: text 0-200 characters; Telegram:
    # "Bad Request: MESSAGE_TOO_LONG" (github.com/eternnoir/pyTelegramBotAPI/issues/500).
    refusals: list[str] = []
    dispatcher = Dispatcher()

    @dispatcher.callback_query()
    async def answer(query: CallbackQuery) -> None:
        try:
            await query.answer("ё" * 201, show_alert=True)
        except TelegramBadRequest as error:
            refusals.append(error.message)
        await query.answer("ё" * 200, show_alert=True)

    sent = await emulator_bot.send_message(
        sandbox_user.chat_id, "?", reply_markup=_one_button(callback_data="go")
    )
    async with polling(dispatcher, emulator_bot):
        pressed = await control_api.post(
            f"/sandbox/api/users/{sandbox_user.id}/callbacks",
            json={"message_id": sent.message_id, "data": "go"},
        )
    assert refusals == ["Bad Request: MESSAGE_TOO_LONG"]
    assert pressed.json()["answer"]["text"] == "ё" * 200


# --- file names that are not URL-safe ---------------------------------------------------------


@pytest.mark.parametrize("file_name", ["scan?v=2#1.pdf", "notes.txt?raw#top", "50% off.pdf"])
async def test_file_names_with_url_syntax_still_download(
    file_name: str, emulator_bot: Bot, sandbox_user: SandboxUser, control_api: httpx.AsyncClient
) -> None:
    # Telegram's file_path is plain (documents/file_5.pdf); aiogram's bot.download pastes it
    # into the URL unencoded (TelegramAPIServer.file_url), so "?" or "#" there would cut it.
    data = f"%PDF-1.4 {file_name}".encode()
    sent = await emulator_bot.send_document(
        sandbox_user.chat_id, BufferedInputFile(data, file_name)
    )
    assert sent.document is not None and sent.document.file_name == file_name
    from_user = await control_api.post(
        f"/sandbox/api/users/{sandbox_user.id}/messages",
        files={"document": (file_name, data, "application/pdf")},
    )
    assert from_user.status_code == 200
    user_document = (
        await control_api.get(
            f"/sandbox/api/chats/{sandbox_user.chat_id}/messages",
            params={"after": from_user.json()["message_id"] - 1},
        )
    ).json()[0]["document"]
    assert user_document["file_name"] == file_name
    for file_id in (sent.document.file_id, user_document["file_id"]):
        file = await emulator_bot.get_file(file_id)
        assert file.file_path is not None and not set("?#% ") & set(file.file_path)
        downloaded = await emulator_bot.download(file_id)
        assert downloaded is not None and downloaded.read() == data


# --- blocked users ----------------------------------------------------------------------------


def _invoice(bot: Bot, chat: int) -> Awaitable[Any]:
    return bot.send_invoice(
        chat, "Приём", "30 минут", "p", "XTR", [LabeledPrice(label="Приём", amount=1)]
    )


BLOCKED_SENDS: list[tuple[str, Send]] = [
    ("sendMessage", _text("hi")),
    ("sendPhoto", _photo(_png(10, 10))),
    ("sendDocument", lambda bot, chat: bot.send_document(chat, BufferedInputFile(b"x", "x.txt"))),
    ("sendInvoice", _invoice),
    ("sendChatAction", lambda bot, chat: bot.send_chat_action(chat, "typing")),
]


async def _my_chat_member_statuses(bot: Bot, chat_id: int) -> list[str]:
    updates = await bot.get_updates(timeout=0, allowed_updates=["my_chat_member"])
    return [
        u.my_chat_member.new_chat_member.status
        for u in updates
        if u.my_chat_member is not None and u.my_chat_member.chat.id == chat_id
    ]


@pytest.mark.parametrize(("method", "send"), BLOCKED_SENDS, ids=[m for m, _ in BLOCKED_SENDS])
async def test_a_blocked_user_refuses_everything_sent_to_them(
    method: str,
    send: Send,
    emulator_bot: Bot,
    sandbox_user: SandboxUser,
    control_api: httpx.AsyncClient,
) -> None:
    # "Forbidden: bot was blocked by the user", 403: github.com/irazasyed/telegram-bot-sdk/
    # issues/651 (sendMessage), github.com/fuomag9/ChaturbateBot/issues/34 (sendChatAction).
    blocked = await control_api.post(f"/sandbox/api/users/{sandbox_user.id}/block")
    assert blocked.json()["blocked"] is True and blocked.json()["update_id"] > 0
    with pytest.raises(TelegramForbiddenError) as raised:
        await send(emulator_bot, sandbox_user.chat_id)
    assert raised.value.message == "Forbidden: bot was blocked by the user"
    unblocked = await control_api.post(f"/sandbox/api/users/{sandbox_user.id}/unblock")
    assert unblocked.json()["blocked"] is False
    assert await send(emulator_bot, sandbox_user.chat_id)


async def test_a_blocked_user_who_writes_again_has_unblocked_and_the_bot_is_told(
    emulator_bot: Bot, sandbox_user: SandboxUser, control_api: httpx.AsyncClient
) -> None:
    # https://core.telegram.org/bots/api#update my_chat_member: "For private chats, this update
    # is received only when the bot is blocked or unblocked by the user."
    await emulator_bot.delete_webhook()
    await control_api.post(f"/sandbox/api/users/{sandbox_user.id}/block")
    again = await control_api.post(f"/sandbox/api/users/{sandbox_user.id}/block")
    assert again.json()["update_id"] is None  # already blocked: nothing new to tell
    with pytest.raises(TelegramForbiddenError):
        await emulator_bot.send_message(sandbox_user.chat_id, "still there?")
    written = await control_api.post(
        f"/sandbox/api/users/{sandbox_user.id}/messages", json={"text": "/start"}
    )
    assert written.status_code == 200
    assert await emulator_bot.send_message(sandbox_user.chat_id, "welcome back")
    assert await _my_chat_member_statuses(emulator_bot, sandbox_user.chat_id) == [
        "kicked",
        "member",
    ]


# --- a sandbox with tightened rates and a clock that can jump ---------------------------------


class ShiftedClock:
    """Wall time plus ``offset`` seconds; read by the server thread, moved by the test."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


@dataclass(frozen=True)
class TunedSandbox:
    server: EmulatorServer
    bot: Bot
    api: httpx.AsyncClient
    clock: ShiftedClock

    async def new_user(self) -> int:
        response = await self.api.post("/sandbox/api/users", json={"first_name": "Tuned"})
        return int(response.json()["id"])


LOCAL_MINI_APP = "http://127.0.0.1:8080"
TIGHT_RATES = FloodRates(private_chat_per_second=1.0, private_chat_burst=2)


@pytest.fixture(scope="module")
def tuned_server() -> Iterator[tuple[EmulatorServer, ShiftedClock]]:
    clock = ShiftedClock()
    token = make_token()
    app = create_sandbox_app(
        token, flood_rates=TIGHT_RATES, clock=clock, local_web_app_origins=[LOCAL_MINI_APP]
    )
    server = BackgroundServer(app)
    server.start()
    yield EmulatorServer(base_url=server.base_url, token=token, app=app), clock
    server.stop()


@pytest_asyncio.fixture(loop_scope="session")
async def tuned(
    tuned_server: tuple[EmulatorServer, ShiftedClock],
) -> AsyncIterator[TunedSandbox]:
    server, clock = tuned_server
    session = AiohttpSession(api=TelegramAPIServer.from_base(server.base_url))
    bot = Bot(server.token, session=session)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as api:
        yield TunedSandbox(server, bot, api, clock)
    clock.offset = 0
    await session.close()


async def test_flood_control_answers_429_with_retry_after_then_lets_the_message_through(
    tuned: TunedSandbox,
) -> None:
    # FLOOD_FAQ: ~1 message/s per chat, short bursts allowed, then 429; Telegram's body:
    # {"ok": false, "error_code": 429, "description": "Too Many Requests: retry after N",
    #  "parameters": {"retry_after": N}} (tdlib/td#1937, graph.org/So-your-bot-is-rate-limited).
    chat, other_chat = await tuned.new_user(), await tuned.new_user()
    for text in ("one", "two"):  # the burst of 2
        assert await tuned.bot.send_message(chat, text)
    async with httpx.AsyncClient(base_url=tuned.server.base_url) as client:
        refused = await client.post(
            f"/bot{tuned.server.token}/sendMessage", json={"chat_id": chat, "text": "three"}
        )
    assert refused.status_code == 429
    assert refused.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    with pytest.raises(TelegramRetryAfter) as raised:
        await tuned.bot.send_message(chat, "three")
    assert raised.value.retry_after == 1
    # Another chat has its own bucket.
    assert await tuned.bot.send_message(other_chat, "elsewhere")
    await asyncio.sleep(raised.value.retry_after)
    assert await tuned.bot.send_message(chat, "three")


async def test_edits_count_against_the_chat_flood_limit(tuned: TunedSandbox) -> None:
    # Bots that edit fast in a private chat get 429 too (github.com/m1guelpf/chatgpt-telegram/
    # issues/63, github.com/python-telegram-bot/python-telegram-bot/issues/939).
    chat = await tuned.new_user()
    sent = await tuned.bot.send_message(chat, "v1")
    assert await tuned.bot.edit_message_text("v2", chat_id=chat, message_id=sent.message_id)
    with pytest.raises(TelegramRetryAfter):
        await tuned.bot.edit_message_text("v3", chat_id=chat, message_id=sent.message_id)


AGE_ROWS = [
    # (age in seconds, who sent it, Telegram's answer to deleteMessage or None for success)
    (48 * HOURS - 60, "bot", None),
    (48 * HOURS, "bot", "Bad Request: message can't be deleted for everyone"),
    (48 * HOURS, "user", "Bad Request: message can't be deleted for everyone"),
]


@pytest.mark.parametrize(("age", "sender", "error"), AGE_ROWS)
async def test_messages_older_than_48_hours_cannot_be_deleted(
    age: int, sender: str, error: str | None, tuned: TunedSandbox
) -> None:
    # https://core.telegram.org/bots/api#deletemessage: "A message can only be deleted if it was
    # sent less than 48 hours ago"; the answer's wording is seen in bots handling it (e.g.
    # "message can't be deleted for everyone ... more than 48 hours have passed").
    chat = await tuned.new_user()
    if sender == "bot":
        message_id = (await tuned.bot.send_message(chat, "old")).message_id
    else:
        written = await tuned.api.post(f"/sandbox/api/users/{chat}/messages", json={"text": "x"})
        message_id = written.json()["message_id"]
    tuned.clock.offset = age
    if error is None:
        assert await tuned.bot.delete_message(chat, message_id)
        return
    with pytest.raises(TelegramBadRequest) as raised:
        await tuned.bot.delete_message(chat, message_id)
    assert raised.value.message == error


async def test_the_bot_can_still_edit_its_own_message_after_48_hours(tuned: TunedSandbox) -> None:
    # TDLib MessagesManager::can_edit_message: has_edit_time_limit = !(is_bot && is_outgoing);
    # the Bot API documents the 48 hours only for business messages. Stricter would be wrong.
    chat = await tuned.new_user()
    sent = await tuned.bot.send_message(chat, "reminder")
    tuned.clock.offset = 72 * HOURS
    edited = await tuned.bot.edit_message_text(
        "reminder, updated", chat_id=chat, message_id=sent.message_id
    )
    assert not isinstance(edited, bool)
    assert edited.date.timestamp() == sent.date.timestamp()
    assert edited.edit_date is not None and edited.edit_date - sent.date.timestamp() >= 72 * HOURS


async def test_the_sandbox_own_mini_app_may_be_plain_http_and_nothing_else(
    tuned: TunedSandbox,
) -> None:
    # The one deliberate leniency (create_sandbox_app's local_web_app_origins): Telegram wants
    # https (TDLib check_link https_only), the sandbox serves its Mini App on loopback http.
    chat = await tuned.new_user()
    own = _one_button(web_app=WebAppInfo(url=f"{LOCAL_MINI_APP}/webapp/pets?x=1"))
    assert await tuned.bot.send_message(chat, "open", reply_markup=own)
    other_port = _one_button(web_app=WebAppInfo(url="http://127.0.0.1:9999/webapp"))
    with pytest.raises(TelegramBadRequest, match="Only HTTPS links are allowed"):
        await tuned.bot.send_message(chat, "open", reply_markup=other_port)
