"""Onboarding end to end: the real bot (aiogram over HTTP) against the sandbox's Bot API emulator.

Everything runs as `telemed-pet sandbox` runs it, on an embedded SQLite database; the test
talks only to the control API, as a person in the web chat would.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiogram_i18n.cores import FluentRuntimeCore

from bot.i18n import create_i18n_core
from bot.run_modes import RunningSandbox, running_sandbox
from core.config import Settings
from tests.conftest import make_settings
from tests.support.clean_run import assert_clean_run, displayed, last_call_id
from tests.support.hostile_names import HOSTILE_NAME_IDS, HOSTILE_NAMES, shown_live
from tests.support.sandbox_person import SandboxPerson


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    core = create_i18n_core(Settings(_env_file=None).locales_dir)  # type: ignore[call-arg]
    await core.startup()
    return core


@pytest.fixture(scope="module")
async def sandbox(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningSandbox]:
    # The sandbox migrates its own database, exactly as on a newcomer's machine.
    database: Path = tmp_path_factory.mktemp("sandbox") / "var" / "telemed.db"
    async with running_sandbox(make_settings(database), port=0) as running:
        yield running


@pytest.fixture
async def api(sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=15) as client:
        yield client


class Person:
    """One user of the web chat, driven through the control API."""

    def __init__(self, api: httpx.AsyncClient, user_id: int) -> None:
        self.api = api
        self.id = user_id
        self.seen = 0

    async def say(self, text: str) -> None:
        response = await self.api.post(
            f"/sandbox/api/users/{self.id}/messages", json={"text": text}
        )
        response.raise_for_status()
        self.seen = response.json()["message_id"]

    async def bot_replies(self, count: int = 1) -> list[dict[str, Any]]:
        """The bot's messages after the user's last action, waiting until `count` arrived."""
        deadline = asyncio.get_running_loop().time() + 15
        while True:
            response = await self.api.get(
                f"/sandbox/api/chats/{self.id}/messages", params={"after": self.seen, "wait": 2}
            )
            response.raise_for_status()
            replies = [m for m in response.json() if m["from_bot"] and not m["deleted"]]
            if len(replies) >= count or asyncio.get_running_loop().time() > deadline:
                return replies

    async def click(self, message_id: int, button_text: str) -> dict[str, Any]:
        response = await self.api.post(
            f"/sandbox/api/users/{self.id}/callbacks",
            json={"message_id": message_id, "button_text": button_text},
        )
        response.raise_for_status()
        return dict(response.json())

    async def message(self, message_id: int) -> dict[str, Any]:
        response = await self.api.get(
            f"/sandbox/api/chats/{self.id}/messages", params={"after": message_id - 1}
        )
        return next(m for m in response.json() if m["message_id"] == message_id)

    async def wait_for_text(self, message_id: int, text: str) -> dict[str, Any]:
        """aiogram-dialog edits its window in place: wait for the edit to land."""
        for _ in range(150):
            message = await self.message(message_id)
            if message.get("text") == text:
                return message
            await asyncio.sleep(0.1)
        raise AssertionError(f"message {message_id} never became {text!r}: {message!r}")


async def _person(api: httpx.AsyncClient, **profile: Any) -> Person:
    response = await api.post("/sandbox/api/users", json={"first_name": "Ann", **profile})
    response.raise_for_status()
    return Person(api, response.json()["id"])


def _buttons(message: dict[str, Any]) -> list[str]:
    keyboard = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button["text"] for row in keyboard for button in row]


@pytest.mark.parametrize("name", ["Ann", *HOSTILE_NAMES], ids=["Ann", *HOSTILE_NAME_IDS])
async def test_onboarding_over_http_ends_in_the_main_menu(
    api: httpx.AsyncClient, texts: FluentRuntimeCore, name: str
) -> None:
    calls_before = await last_call_id(api)
    ann = await _person(api, first_name=name, language_code="en")
    await ann.say("/start")
    [window] = await ann.bot_replies()
    assert window["text"] == texts.get("msg-choose-language", "en")
    assert _buttons(window) == ["🇷🇺 Русский", "🇬🇧 English"]

    answer = await ann.click(window["message_id"], "🇬🇧 English")
    assert answer["update_id"] > 0
    about = texts.get("msg-about", "en")
    # The emulator returns text without HTML tags, as Telegram does with entities.
    about_plain = about.replace("<b>", "").replace("</b>", "")
    await ann.wait_for_text(window["message_id"], about_plain)

    await ann.click(window["message_id"], texts.get("btn-continue", "en"))
    consent = texts.get("msg-consent", "en").replace("<b>", "").replace("</b>", "")
    await ann.wait_for_text(window["message_id"], consent)

    await ann.click(window["message_id"], texts.get("btn-consent-agree", "en"))
    menu = await ann.wait_for_text(
        window["message_id"], displayed(texts.get("msg-main-menu", "en", name=name))
    )
    # The greeting shows the Telegram name of the update exactly as typed, whatever markup it
    # looks like (only Telegram's own cleaning applies: it is not the stored name).
    assert menu["text"].startswith(shown_live(name)), menu["text"]
    assert texts.get("btn-menu-check", "en") in _buttons(menu)
    await assert_clean_run(api, texts, [ann.id], calls_after=calls_before)


async def test_russian_is_the_default_for_other_telegram_languages(
    api: httpx.AsyncClient, texts: FluentRuntimeCore
) -> None:
    hans = await _person(api, language_code="de")
    await hans.say("/help")
    [reply] = await hans.bot_replies()
    assert reply["text"] == texts.get("msg-help", "ru").replace("<b>", "").replace("</b>", "")


async def test_a_sticker_in_onboarding_gets_a_hint(
    api: httpx.AsyncClient, sandbox: RunningSandbox, texts: FluentRuntimeCore
) -> None:
    bob = await _person(api, language_code="en")
    await bob.say("/start")
    await bob.bot_replies()
    response = await api.post(
        "/sandbox/api/updates",
        json={
            "message": {
                "message_id": 999_001,
                "date": 1_790_000_000,
                "chat": {"id": bob.id, "type": "private", "first_name": "Ann"},
                "from": {
                    "id": bob.id,
                    "is_bot": False,
                    "first_name": "Ann",
                    "language_code": "en",
                },
                "sticker": {
                    "file_id": "sticker-1",
                    "file_unique_id": "s1",
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                },
            }
        },
    )
    response.raise_for_status()
    hint = texts.get("err-use-buttons", "en")
    window = texts.get("msg-choose-language", "en")
    texts_seen: list[str | None] = []
    for _ in range(100):
        texts_seen = [reply.get("text") for reply in await bob.bot_replies()]
        # The hint, and the language window shown again below it, so the buttons are at hand.
        if hint in texts_seen and texts_seen[-1] == window:
            break
        await asyncio.sleep(0.1)
    assert hint in texts_seen
    assert texts_seen[-1] == window


async def test_the_command_menu_reaches_telegram_in_both_languages(
    api: httpx.AsyncClient,
) -> None:
    response = await api.get("/sandbox/api/calls", params={"method": "setMyCommands"})
    response.raise_for_status()
    calls = response.json()
    languages = {(call.get("params") or {}).get("language_code") for call in calls}
    assert {"ru", "en"} <= languages


async def test_switching_the_language_answers_the_button_once(
    api: httpx.AsyncClient, texts: FluentRuntimeCore
) -> None:
    """Found by the monkey (test_sandbox_monkey.py): the language handler answers the button
    with a notice and aiogram-dialog answered it again, which Telegram refuses (400)."""
    calls_before = await last_call_id(api)
    ann = await SandboxPerson.join(api, "Ann", "en")
    await ann.onboard("English", "Continue", "I agree")
    await ann.wait_for_text("how can we help")

    await ann.say("/language")
    answer = await ann.press("🇷🇺 Русский")

    assert answer["answer"]["text"] == texts.get("msg-language-changed", "ru")
    await assert_clean_run(api, texts, [ann.id], calls_after=calls_before)
