"""The emulator keeps its world in a data directory: a restarted server on the same directory
has the same users, chats, files, charges and bot settings, and the bot's old ids still work."""

import asyncio
import io
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LabeledPrice,
    MenuButtonCommands,
    PreCheckoutQuery,
    ReplyParameters,
)
from PIL import Image

from sandbox import create_sandbox_app
from sandbox.emulator.persistence import SNAPSHOT_FILE, SandboxDataError
from sandbox.testing import BackgroundServer, polling
from sandbox.token import load_or_make_token

USER_ID = 777_000_123


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1000, 600), (30, 140, 90)).save(buffer, format="JPEG")
    return buffer.getvalue()


@contextmanager
def _server(data_dir: Path) -> Iterator[BackgroundServer]:
    server = BackgroundServer(create_sandbox_app(load_or_make_token(data_dir), data_dir=data_dir))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@asynccontextmanager
async def _clients(server: BackgroundServer) -> AsyncIterator[tuple[Bot, httpx.AsyncClient]]:
    token: str = server.app.state.emulator.token
    bot = Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(server.base_url)))
    try:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as api:
            yield bot, api
    finally:
        await bot.session.close()


async def _chat(api: httpx.AsyncClient) -> list[dict[str, Any]]:
    response = await api.get(f"/sandbox/api/chats/{USER_ID}/messages")
    response.raise_for_status()
    return list(response.json())


def _paying_dispatcher() -> Dispatcher:
    dispatcher = Dispatcher()

    @dispatcher.pre_checkout_query()
    async def agree(query: PreCheckoutQuery) -> None:
        await query.answer(ok=True)

    return dispatcher


async def test_a_restarted_emulator_keeps_users_chats_files_charges_and_settings(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "sandbox"
    photo = _jpeg()
    with _server(data_dir) as first:
        token = first.app.state.emulator.token
        async with _clients(first) as (bot, api):
            created = await api.post(
                "/sandbox/api/users",
                json={"id": USER_ID, "first_name": "Ира", "username": "ira"},
            )
            assert created.json() == {"id": USER_ID, "chat_id": USER_ID}
            greeting = await api.post(
                f"/sandbox/api/users/{USER_ID}/messages", json={"text": "Привет"}
            )
            greeting_id = greeting.json()["message_id"]
            uploaded = await api.post(
                f"/sandbox/api/users/{USER_ID}/messages",
                files={"photo": ("cat.jpg", photo, "image/jpeg")},
                data={"caption": "Кот"},
            )
            uploaded.raise_for_status()
            user_photo = (await _chat(api))[-1]["photo"]
            # The bot answers with a reply and a keyboard, resends the photo by its file_id,
            # deletes one of its messages and sets its commands and menu button.
            answer = await bot.send_message(
                USER_ID,
                "<b>Здравствуйте</b>",
                parse_mode="HTML",
                reply_parameters=ReplyParameters(message_id=greeting_id),
                reply_markup=InlineKeyboardMarkup(
                    inline_keyboard=[[InlineKeyboardButton(text="Да", callback_data="yes")]]
                ),
            )
            await bot.send_photo(USER_ID, user_photo[-1]["file_id"], caption="Ваш кот")
            doomed = await bot.send_message(USER_ID, "удалю")
            await bot.delete_message(USER_ID, doomed.message_id)
            await bot.set_my_commands([BotCommand(command="pets", description="Питомцы")])
            await bot.set_chat_menu_button(USER_ID, MenuButtonCommands())
            invoice = await bot.send_invoice(
                USER_ID,
                title="Консультация",
                description="30 минут",
                payload="appointment-1",
                currency="XTR",
                prices=[LabeledPrice(label="Консультация", amount=100)],
            )
            async with polling(_paying_dispatcher(), bot):
                paid = await api.post(
                    f"/sandbox/api/users/{USER_ID}/payments",
                    json={"message_id": invoice.message_id},
                )
            charge_id = paid.json()["telegram_payment_charge_id"]
            # Whatever the stopped polling fetched but did not confirm yet goes; messages are
            # subscribed to again (the polling wanted pre-checkout queries only).
            await bot.delete_webhook(drop_pending_updates=True)
            await bot.get_updates(timeout=0, allowed_updates=["message"])
            # Sent while no bot polls: it waits in the queue across the restart.
            unread = await api.post(
                f"/sandbox/api/users/{USER_ID}/messages", json={"text": "ещё тут?"}
            )
            before = await _chat(api)
            updates_before = unread.json()["update_id"]

    assert (data_dir / SNAPSHOT_FILE).exists()
    # File contents live beside the snapshot, not inside it.
    assert photo not in (data_dir / SNAPSHOT_FILE).read_bytes()
    assert photo in [path.read_bytes() for path in (data_dir / "files").iterdir()]

    with _server(data_dir) as second:
        assert second.app.state.emulator.token == token
        async with _clients(second) as (bot, api):
            users = {user["id"]: user for user in (await api.get("/sandbox/api/users")).json()}
            assert users[USER_ID]["first_name"] == "Ира"
            assert users[USER_ID]["username"] == "ira"
            after = await _chat(api)
            # Every message as it was: content, markup, dates, reply links, flags.
            assert after == before
            assert [m["deleted"] for m in after].count(True) == 1
            reply = after[answer.message_id - 1]
            assert reply["reply_to_message"]["message_id"] == greeting_id

            # The file_id the bot would have kept in its database still resolves and downloads.
            file = await bot.get_file(user_photo[-1]["file_id"])
            assert file.file_path is not None
            downloaded = await bot.download_file(file.file_path)
            assert downloaded is not None and downloaded.read() == photo

            edited = await bot.edit_message_text(
                "Здравствуйте, Ира", chat_id=USER_ID, message_id=answer.message_id
            )
            assert not isinstance(edited, bool)
            assert edited.reply_to_message is not None
            assert edited.reply_to_message.message_id == greeting_id

            assert [c.command for c in await bot.get_my_commands()] == ["pets"]
            assert isinstance(await bot.get_chat_menu_button(USER_ID), MenuButtonCommands)

            # The update the bot never fetched arrives now, with its old id, by the kept
            # subscription; ids go on from it.
            pending = await bot.get_updates(timeout=0)
            assert [u.update_id for u in pending] == [updates_before]
            assert pending[0].message is not None and pending[0].message.text == "ещё тут?"
            assert await bot.refund_star_payment(USER_ID, charge_id)
            more = await api.post(f"/sandbox/api/users/{USER_ID}/messages", json={"text": "да"})
            assert more.json()["update_id"] > updates_before
            assert more.json()["message_id"] == len(after) + 2  # after the refund notice


async def test_changes_are_saved_while_the_server_runs(tmp_path: Path) -> None:
    """A crash loses at most the last moment: saves do not wait for a clean shutdown."""
    with _server(tmp_path) as server:
        async with _clients(server) as (_, api):
            await api.post("/sandbox/api/users", json={"id": USER_ID, "first_name": "Оля"})
            snapshot = tmp_path / SNAPSHOT_FILE
            for _ in range(50):
                if snapshot.exists() and "Оля" in snapshot.read_text(encoding="utf-8"):
                    break
                await asyncio.sleep(0.1)
            saved = json.loads(snapshot.read_text(encoding="utf-8"))
            assert [user["first_name"] for user in saved["users"]] == ["Оля"]


def test_the_token_is_made_once_and_then_reused(tmp_path: Path) -> None:
    token = load_or_make_token(tmp_path / "sandbox")
    assert load_or_make_token(tmp_path / "sandbox") == token
    assert (tmp_path / "sandbox" / "token").read_text(encoding="utf-8").strip() == token


def test_an_unreadable_snapshot_stops_the_start_instead_of_being_overwritten(
    tmp_path: Path,
) -> None:
    (tmp_path / SNAPSHOT_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(SandboxDataError, match="Move the folder away"):
        create_sandbox_app(load_or_make_token(tmp_path), data_dir=tmp_path)
    assert (tmp_path / SNAPSHOT_FILE).read_text(encoding="utf-8") == "{not json"
