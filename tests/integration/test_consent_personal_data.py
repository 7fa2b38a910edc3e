"""Issue #10: nothing personal is stored before consent, and declining forgets what was kept.

Before consent a user row is a Telegram id (and the language the person picked); the name and
username arrive with consent. `/export` and `/delete_me` work for everyone.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from aiogram.methods import SendDocument
from aiogram.types import User
from aiogram_i18n.cores import FluentRuntimeCore
from sqlalchemy.ext.asyncio import AsyncSession

from core.config import Settings
from core.enums import AccessLevel, Species
from core.interactors.onboarding import (
    DeclineConsent,
    GiveConsent,
    RegisterUser,
    TelegramProfile,
)
from core.interactors.pets import AddPet, PetDraft
from core.ports.repositories import PetAccessRepository
from core.ports.uow import UnitOfWork
from db.engine import create_engine
from db.migrate import downgrade_async, upgrade_to_head_async
from tests.support.chatting import USER_ID, Chatting, load_texts, open_chat

FIRST_NAME = "Ann"
LAST_NAME = "Smith"
USERNAME = "ann_the_owner"
OWNER_ID = 7_001


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture
async def chat(settings: Settings) -> AsyncIterator[Chatting]:
    async with open_chat(settings) as opened:
        # A sender with everything Telegram may tell about a person.
        opened.client.user = User(
            id=USER_ID,
            is_bot=False,
            first_name=FIRST_NAME,
            last_name=LAST_NAME,
            username=USERNAME,
            language_code="ru",
        )
        yield opened


async def _users_table(chat: Chatting) -> str:
    """Every stored value of the users table, as one string to search for personal data."""
    async with chat.container() as request:
        session = await request.get(AsyncSession)
        rows = (await session.execute(sa.text("SELECT * FROM users"))).all()
    return repr([tuple(row) for row in rows])


async def _to_consent(chat: Chatting) -> None:
    await chat.send("/start")
    await chat.click("🇬🇧 English")
    await chat.click("Continue ▶️")


async def test_nothing_personal_is_stored_before_consent(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _to_consent(chat)
    await chat.send("hello")  # any update, not only /start

    assert chat.window().text == texts.get("msg-consent", "en")
    stored = await _users_table(chat)
    for personal in (FIRST_NAME, LAST_NAME, USERNAME):
        assert personal not in stored
    user = await chat.user()
    assert (user.first_name, user.username) == ("", None)
    # The language the person picked is kept: the bot needs it to talk to them.
    assert user.language == "en"


async def test_consent_stores_the_name_and_greets_by_it(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _to_consent(chat)
    await chat.click("✅ I agree")

    assert chat.window().text == texts.get("msg-main-menu", "en", name=FIRST_NAME)
    user = await chat.user()
    assert (user.first_name, user.username) == (FIRST_NAME, USERNAME)
    assert user.consented_at is not None


async def test_declining_forgets_the_person_and_consent_later_still_works(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _to_consent(chat)
    await chat.click("Not now")

    assert chat.window().text == texts.get("msg-consent-declined-forgotten", "en")
    # Only the language picked is left, to go on talking to them in it.
    user = await chat.user()
    assert (user.first_name, user.username, user.language) == ("", None, "en")
    assert FIRST_NAME not in await _users_table(chat)

    # Changing one's mind after declining still works, in the language picked.
    await chat.click("Back to consent")
    assert chat.window().text == texts.get("msg-consent", "en")
    await chat.click("✅ I agree")
    user = await chat.user()
    assert user.consented_at is not None
    assert user.first_name == FIRST_NAME


async def test_declining_removes_a_pet_opened_before_deciding(settings: Settings) -> None:
    """A share invite may be accepted before consent; declining takes that access away too."""
    async with open_chat(settings) as chat, chat.container() as request:
        register = await request.get(RegisterUser)
        await register(TelegramProfile(OWNER_ID, "Owner", None, "en"))
        await (await request.get(GiveConsent))(TelegramProfile(OWNER_ID, "Owner", None, "en"))
        pet = await (await request.get(AddPet))(
            OWNER_ID, PetDraft(name="Barsik", species=Species.CAT)
        )
        me = await register(TelegramProfile(USER_ID, FIRST_NAME, USERNAME, "en"))
        access = await request.get(PetAccessRepository)
        await access.grant(
            pet_id=pet.id, user_id=me.id, level=AccessLevel.VIEWER, granted_at=datetime.now(UTC)
        )
        await (await request.get(UnitOfWork)).commit()

        assert await (await request.get(DeclineConsent))(USER_ID) is True

    async with open_chat(settings) as chat, chat.container() as request:
        assert await chat.user() is None  # no language was picked: nothing at all is left
        members = await (await request.get(PetAccessRepository)).list_for_pet(pet.id)
        assert [member.level for member in members] == [AccessLevel.OWNER]


async def test_a_stale_decline_after_consent_keeps_the_account(chat: Chatting) -> None:
    await _to_consent(chat)
    await chat.click("✅ I agree")
    async with chat.container() as request:
        assert await (await request.get(DeclineConsent))(USER_ID) is False
    user = await chat.user()
    assert user is not None and user.first_name == FIRST_NAME


async def test_blocking_before_consent_is_marked_without_a_name(chat: Chatting) -> None:
    blocked_at = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    async with chat.container() as request:
        user = await (await request.get(RegisterUser))(
            TelegramProfile(USER_ID, FIRST_NAME, USERNAME, "en"), blocked_bot_at=blocked_at
        )
    assert user.blocked_bot_at == blocked_at
    assert (user.first_name, user.username) == ("", None)


async def test_export_before_consent_says_nothing_is_stored(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _to_consent(chat)
    chat.session.reset()

    await chat.send("/export")

    assert chat.session.calls_of(SendDocument) == []
    assert chat.session.sent_texts() == [texts.get("msg-export-nothing-stored", "en")]


async def test_export_after_consent_still_sends_the_document(chat: Chatting) -> None:
    await _to_consent(chat)
    await chat.click("✅ I agree")
    chat.session.reset()

    await chat.send("/export")

    [sent] = chat.session.calls_of(SendDocument)
    assert FIRST_NAME.encode() in sent.document.data


async def test_delete_me_before_consent_confirms_and_forgets(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _to_consent(chat)

    await chat.send("/delete_me")
    await chat.click(texts.get("btn-delete-continue", "en"))
    chat.session.reset()
    await chat.click(texts.get("btn-delete-confirm", "en"))

    assert chat.session.sent_texts() == [texts.get("msg-account-deleted", "en")]
    assert await chat.user() is None


async def test_upgrade_forgets_names_kept_before_consent(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'telemed.db'}"
    await upgrade_to_head_async(url)
    await downgrade_async(url, "0009")
    engine = create_engine(url)
    insert = sa.text(
        "INSERT INTO users (telegram_id, first_name, username, time_zone, consented_at,"
        " created_at) VALUES (:telegram_id, :name, :username, 'UTC', :consented_at, :created)"
    )
    now = datetime(2026, 1, 1, tzinfo=UTC)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                insert,
                [
                    {
                        "telegram_id": 1,
                        "name": "Kept",
                        "username": "kept",
                        "consented_at": now,
                        "created": now,
                    },
                    {
                        "telegram_id": 2,
                        "name": "Gone",
                        "username": "gone",
                        "consented_at": None,
                        "created": now,
                    },
                ],
            )
        await upgrade_to_head_async(url)
        async with engine.connect() as connection:
            rows = (
                await connection.execute(
                    sa.text("SELECT telegram_id, first_name, username FROM users ORDER BY 1")
                )
            ).all()
    finally:
        await engine.dispose()
    assert [tuple(row) for row in rows] == [(1, "Kept", "kept"), (2, "", None)]
