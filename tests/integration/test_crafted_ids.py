"""Crafted input on PostgreSQL: a huge id is "not found", a NUL in a name is dropped.

asyncpg refuses to send an integer wider than its column (`value out of int32 range`), which
used to end the update in an ERROR with a traceback and the "something went wrong" apology.
PostgreSQL refuses a NUL in text, which used to fail every update of a user whose Telegram
name had one. Each test gets its own database, so its rows meet no other test's.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from aiogram import Bot
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.types import User as TelegramUser
from aiogram_dialog.test_tools.keyboard import InlineButtonTextLocator
from aiogram_i18n.cores import FluentRuntimeCore
from init_data_py import UnsignedInitData, User, sign

from bot.ioc import create_container
from core.config import Settings
from core.entities import Pet
from core.enums import Species
from core.interactors.onboarding import RegisterUser, TelegramProfile
from core.interactors.pets import AddPet, PetDraft
from core.interactors.records import AddRecord, AllergyDraft
from core.ports.repositories import UserRepository
from core.ports.uow import UnitOfWork
from db.errors import is_id_out_of_range
from db.migrate import upgrade_to_head_async
from tests.conftest import make_settings
from tests.integration.conftest import PostgresServer
from tests.support.chatting import USER_ID, Chatting, load_texts, open_chat
from tests.support.recording_session import RecordingSession
from webapp.app import create_app

pytestmark = pytest.mark.postgres

OTHER_ID = 5353
LANGUAGE = "🇬🇧 English"
CONTINUE = "Continue ▶️"
AGREE = "✅ I agree"
# Past int32 (every id column), past int64, and far past both.
HUGE_IDS = (str(2**31), str(2**63), "1" + "0" * 40)


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


TOKEN = "7000000003:AAHcrafted-ids-on-postgres-token-0000"


@pytest.fixture
async def settings(postgres_server: PostgresServer, tmp_path: Path) -> Settings:
    """A database of this test alone on the PostgreSQL server, migrated to head."""
    url = await postgres_server.create_database()
    await upgrade_to_head_async(url)
    # make_settings: what every test runs with (throttling off, and so on), then this database.
    settings = make_settings(tmp_path / "unused.db")
    return settings.model_copy(update={"database_url": url})


@pytest.fixture
async def chat(settings: Settings) -> AsyncIterator[Chatting]:
    async with open_chat(settings) as opened:
        yield opened


async def _onboard(chat: Chatting) -> None:
    await chat.send("/start")
    await chat.click(LANGUAGE)
    await chat.click(CONTINUE)
    await chat.click(AGREE)


async def _seed_pet(chat: Chatting, telegram_id: int, name: str) -> Pet:
    async with chat.container() as request:
        pet: Pet = await (await request.get(AddPet))(
            telegram_id, PetDraft(name=name, species=Species.DOG)
        )
    return pet


async def _craft_click(chat: Chatting, widget_data: str) -> None:
    """Press a button the window never showed: the window's intent, any widget data."""
    window = chat.window()
    markup = window.reply_markup
    assert isinstance(markup, InlineKeyboardMarkup)
    real = markup.inline_keyboard[0][0].callback_data
    assert real is not None
    intent, separator, _ = real.partition("\x1d")
    assert separator, f"unexpected callback data layout: {real!r}"
    button = InlineKeyboardButton(text="crafted", callback_data=f"{intent}\x1d{widget_data}")
    crafted = window.model_copy(
        update={"reply_markup": InlineKeyboardMarkup(inline_keyboard=[[button]])}
    )
    chat.messages.reset_history()
    chat.session.reset()
    await chat.client.click(crafted, InlineButtonTextLocator("crafted"))


def _told(chat: Chatting) -> list[str]:
    """What the user saw since the last action: alerts and plain messages."""
    alerts = [a.text for a in chat.session.calls_of(AnswerCallbackQuery) if a.text]
    sent = [m.text for m in chat.session.calls_of(SendMessage) if isinstance(m.text, str)]
    return alerts + sent


async def test_huge_ids_in_callback_data_are_not_found_without_a_traceback(
    chat: Chatting, texts: FluentRuntimeCore, caplog: pytest.LogCaptureFixture
) -> None:
    await _onboard(chat)
    async with chat.container() as request:
        await (await request.get(RegisterUser))(TelegramProfile(OTHER_ID, "Eve", None, "en"))
    theirs = await _seed_pet(chat, OTHER_ID, "Secret")
    mine = await _seed_pet(chat, USER_ID, "Mine")
    await _seed_pet(chat, USER_ID, "Mine too")
    async with chat.container() as request:
        await (await request.get(AddRecord))(
            USER_ID, mine.id, AllergyDraft("Dust", date(2025, 1, 1))
        )
    not_found = {
        texts.get("err-not-found", "en"),
        texts.get("err-pet-not-found", "en"),
        texts.get("err-record-not-found", "en"),
    }
    sorry = texts.get("err-internal", "en")

    with caplog.at_level(logging.WARNING):
        await chat.send("/records")
        # Someone else's pet: the picker's own "not found".
        await _craft_click(chat, f"records_pets:{theirs.id}")
        assert _told(chat) == [texts.get("err-pet-not-found", "en")]
        for huge in HUGE_IDS:
            await chat.send("/records")
            await _craft_click(chat, f"records_pets:{huge}")
            told = _told(chat)
            assert told and set(told) <= not_found, (huge, told)
            assert sorry not in told

        for huge in HUGE_IDS:
            await chat.send("/records")
            await chat.click("🐶 Mine")
            await _craft_click(chat, f"records:{huge}")
            told = _told(chat)
            assert told and set(told) <= not_found, (huge, told)

    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert not tracebacks, [r.getMessage() for r in tracebacks]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(re.search("out of range", message) for message in warnings), warnings


def test_only_out_of_range_errors_are_taken_for_unknown_ids() -> None:
    class DataError(Exception):  # asyncpg's, recognised by name
        pass

    assert is_id_out_of_range(
        DataError("invalid input for query argument $1: 2147483648 (value out of int32 range)")
    )
    assert is_id_out_of_range(OverflowError("Python int too large to convert to SQLite INTEGER"))
    wrapped = RuntimeError("wrapper")
    wrapped.__cause__ = OverflowError("Python int too large to convert to SQLite INTEGER")
    assert is_id_out_of_range(wrapped)
    assert not is_id_out_of_range(DataError("invalid input value for enum"))
    assert not is_id_out_of_range(OverflowError("math range error"))
    assert not is_id_out_of_range(ValueError("value out of int32 range"))


MINIAPP_PATHS = (
    "/miniapp/api/appointments/{id}",
    "/miniapp/api/appointments/{id}/brief",
    "/miniapp/api/pets/{id}/records",
    "/miniapp/api/files/pets/{id}/photo",
    "/miniapp/api/files/records/{id}",
    "/miniapp/api/files/checks/{id}/photos/0",
)


async def test_huge_ids_in_mini_app_paths_are_not_found_without_a_traceback(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    container = create_container(settings, bot=Bot(TOKEN, session=RecordingSession()))
    try:
        async with container() as request:
            await (await request.get(UserRepository)).add(
                telegram_id=OTHER_ID, first_name="Eve", username=None, language="en"
            )
            await (await request.get(UnitOfWork)).commit()
        app = create_app(miniapp=container)
        init_data = sign(
            UnsignedInitData(query_id="AAHcrafted", user=User(id=OTHER_ID, first_name="Eve")),
            TOKEN,
        )
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
            base_url="http://miniapp.test",
        ) as http:
            signed_in = await http.post("/miniapp/api/session", json={"init_data": init_data})
            assert signed_in.status_code == 200, signed_in.text
            bearer = {"Authorization": f"Bearer {signed_in.json()['token']}"}
            with caplog.at_level(logging.WARNING):
                for path in MINIAPP_PATHS:
                    for huge in HUGE_IDS:
                        response = await http.get(path.format(id=huge), headers=bearer)
                        # 403 is what a stranger gets for any id they may not see.
                        assert response.status_code in (403, 404), (path, huge, response.text)
    finally:
        await container.close()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not errors, [r.getMessage() for r in errors]


async def test_a_nul_in_the_telegram_name_is_dropped_and_the_user_goes_on(
    chat: Chatting, texts: FluentRuntimeCore, caplog: pytest.LogCaptureFixture
) -> None:
    # Real Telegram cleans names; a forged webhook call or another Bot API server need not.
    chat.client.user = TelegramUser(
        id=USER_ID, is_bot=False, first_name="Ann\x00Lee\u202e", username="ann\x00"
    )
    with caplog.at_level(logging.ERROR):
        await _onboard(chat)
        chat.session.reset()
        await chat.send("/pets")
        await chat.send("/help")
    assert texts.get("err-internal", "en") not in _told(chat)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    async with chat.container() as request:
        user = await (await request.get(UserRepository)).get_by_telegram_id(USER_ID)
    assert user is not None
    assert (user.first_name, user.username) == ("AnnLee", "ann")
