"""aiogram-dialog, the project's dialog engine, runs unchanged against the emulator."""

import io
from typing import Any

import httpx
from aiogram import Bot, Dispatcher
from aiogram.filters import CommandStart
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, InputMediaPhoto, Message
from aiogram_dialog import (
    BgManagerFactory,
    Dialog,
    DialogManager,
    StartMode,
    Window,
    setup_dialogs,
)
from aiogram_dialog.widgets.kbd import Back, Next
from aiogram_dialog.widgets.text import Const
from PIL import Image

from sandbox.testing import SandboxUser, polling


class DemoSG(StatesGroup):
    FIRST = State()
    SECOND = State()


def _dialog_dispatcher() -> tuple[Dispatcher, BgManagerFactory]:
    dispatcher = Dispatcher()
    dispatcher.include_router(
        Dialog(
            Window(Const("Шаг 1"), Next(Const("Дальше")), state=DemoSG.FIRST),
            Window(Const("Шаг 2"), Back(Const("Назад")), state=DemoSG.SECOND),
        )
    )

    @dispatcher.message(CommandStart())
    async def start(message: Message, dialog_manager: DialogManager) -> None:
        await dialog_manager.start(DemoSG.FIRST, mode=StartMode.RESET_STACK)

    return dispatcher, setup_dialogs(dispatcher)


async def _messages(control: httpx.AsyncClient, chat_id: int, after: int) -> list[dict[str, Any]]:
    response = await control.get(
        f"/sandbox/api/chats/{chat_id}/messages", params={"after": after, "wait": 10}
    )
    return list(response.json())


async def test_dialog_windows_switch_by_editing_one_message(
    emulator_bot: Bot, sandbox_user: SandboxUser, control_api: httpx.AsyncClient
) -> None:
    dispatcher, bg_factory = _dialog_dispatcher()
    async with polling(dispatcher, emulator_bot):
        sent = await control_api.post(
            f"/sandbox/api/users/{sandbox_user.id}/messages", json={"text": "/start"}
        )
        window = (await _messages(control_api, sandbox_user.chat_id, sent.json()["message_id"]))[0]
        assert window["text"] == "Шаг 1"
        click = await control_api.post(
            f"/sandbox/api/users/{sandbox_user.id}/callbacks",
            json={"message_id": window["message_id"], "button_text": "Дальше"},
        )
        assert click.json()["update_id"] > 0
        current = await control_api.get(f"/sandbox/api/chats/{sandbox_user.chat_id}/messages")
        edited = next(m for m in current.json() if m["message_id"] == window["message_id"])
        assert edited["text"] == "Шаг 2" and edited["edited"]

        # The background manager loads chat and user with getChat/getChatMember first.
        revision = max(m["revision"] for m in current.json())
        background = bg_factory.bg(emulator_bot, sandbox_user.id, sandbox_user.chat_id, load=True)
        await background.start(DemoSG.FIRST, mode=StartMode.RESET_STACK)
        changed = await control_api.get(
            f"/sandbox/api/chats/{sandbox_user.chat_id}/messages",
            params={"revision_after": revision, "wait": 10},
        )
        assert [m["text"] for m in changed.json() if not m["deleted"]][-1] == "Шаг 1"
    calls = (await control_api.get("/sandbox/api/calls", params={"method": "getChat"})).json()
    assert calls and calls[-1]["ok"]


def _png(color: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), color).save(buffer, format="PNG")
    return buffer.getvalue()


async def test_edit_message_media_replaces_the_photo_and_caption(
    emulator_bot: Bot, sandbox_user: SandboxUser
) -> None:
    sent = await emulator_bot.send_photo(
        sandbox_user.chat_id, BufferedInputFile(_png("red"), "red.png"), caption="красный"
    )
    assert sent.photo is not None
    edited = await emulator_bot.edit_message_media(
        InputMediaPhoto(media=BufferedInputFile(_png("blue"), "blue.png"), caption="синий"),
        chat_id=sandbox_user.chat_id,
        message_id=sent.message_id,
    )
    assert not isinstance(edited, bool) and edited.photo is not None
    assert edited.photo[-1].file_unique_id != sent.photo[-1].file_unique_id
    assert edited.caption == "синий"
    chat = await emulator_bot.get_chat(sandbox_user.chat_id)
    assert chat.type == "private" and chat.id == sandbox_user.chat_id
