"""The bot on its production backends: dialogs in Redis, users in PostgreSQL, webhook dedup."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.redis import RedisStorage
from aiogram_dialog.test_tools.keyboard import InlineButtonTextLocator
from aiogram_i18n.cores import FluentRuntimeCore
from redis.asyncio import Redis

from bot.factory import create_fsm
from core.config import BotSection, Settings
from tests.conftest import make_settings
from tests.support.chatting import USER_ID, load_texts, open_chat
from webapp.dedup import RedisDeduplicator


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


def _redis_settings(settings: Settings, redis_url: str) -> Settings:
    return settings.model_copy(update={"redis_url": redis_url})


async def test_dialog_survives_a_restart_when_its_state_lives_in_redis(
    settings: Settings, redis_url: str, texts: FluentRuntimeCore
) -> None:
    configured = _redis_settings(settings, redis_url)
    async with open_chat(configured, fsm=create_fsm(configured)) as before:
        await before.send("/start")
        await before.click("🇬🇧 English")
        await before.click("Continue ▶️")
        consent_window = before.window()

    # A new process with new storage objects: the dialog stack is read back from Redis, so the
    # user's consent button still works and nothing they did is lost.
    async with open_chat(configured, fsm=create_fsm(configured)) as after:
        after.messages.reset_history()
        await after.client.click(consent_window, InlineButtonTextLocator(re.escape("✅ I agree")))
        assert after.window().text == texts.get("msg-main-menu", "en", name=f"User_{USER_ID}")
        user = await after.user()
        assert user.consented_at is not None


async def test_onboarding_on_postgresql(
    migrated_postgres_url: str, tmp_path: Path, texts: FluentRuntimeCore
) -> None:
    settings = make_settings(tmp_path / "unused.db").model_copy(
        update={"database_url": migrated_postgres_url}
    )
    async with open_chat(settings) as chat:
        await chat.send("/start")
        await chat.click("🇷🇺 Русский")
        await chat.click("Продолжить ▶️")
        await chat.click("✅ Согласен(на)")
        assert chat.window().text == texts.get("msg-main-menu", "ru", name=f"User_{USER_ID}")
        user = await chat.user()
        assert user.language == "ru"
        assert user.consented_at is not None


async def test_webhook_update_is_claimed_once_across_replicas(redis_url: str) -> None:
    prefix = f"test:{uuid.uuid4().hex}:"
    first = Redis.from_url(redis_url)
    second = Redis.from_url(redis_url)
    try:
        replica_a = RedisDeduplicator(first, bot_id=42, prefix=prefix)
        replica_b = RedisDeduplicator(second, bot_id=42, prefix=prefix)
        other_bot = RedisDeduplicator(second, bot_id=43, prefix=prefix)
        assert await replica_a.claim(1001) is True
        assert await replica_b.claim(1001) is False
        # Update ids are per bot: another bot's update 1001 is a different update.
        assert await other_bot.claim(1001) is True
        # A failed update is released so Telegram's retry is processed.
        await replica_a.release(1001)
        assert await replica_b.claim(1001) is True
        ttl = await first.ttl(f"{prefix}42:1001")
        assert 0 < ttl <= 24 * 60 * 60
    finally:
        await first.delete(f"{prefix}42:1001", f"{prefix}43:1001")
        await first.aclose()
        await second.aclose()


async def test_dialog_state_of_an_abandoned_form_expires(redis_url: str) -> None:
    settings = Settings(redis_url=redis_url, bot=BotSection(fsm_ttl_s=3600))
    storage, isolation = create_fsm(settings)
    key = StorageKey(bot_id=42, chat_id=uuid.uuid4().int % 10**9, user_id=7, destiny="stack")
    try:
        await storage.set_state(key, "Form:name")
        await storage.set_data(key, {"draft": "Мурзик"})
        assert isinstance(storage, RedisStorage)
        builder = storage.key_builder
        state_ttl = await storage.redis.ttl(builder.build(key, "state"))
        data_ttl = await storage.redis.ttl(builder.build(key, "data"))
        assert 0 < state_ttl <= 3600
        assert 0 < data_ttl <= 3600
    finally:
        await storage.set_state(key, None)
        await storage.set_data(key, {})
        await storage.close()
        await isolation.close()
