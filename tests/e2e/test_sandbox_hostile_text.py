"""NUL, control characters and lone surrogates sent to the sandbox: nothing wedges.

A lone surrogate used to be stored by the control API and then break every getUpdates answer
(no UTF-8 encoder takes it), so the bot's polling stalled for everyone. Now the control API
refuses it with a clear 400, as Telegram refuses what is not UTF-8, and turns control
characters into spaces, as Telegram's clients do; the chat goes on either way.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from aiogram_i18n.cores import FluentRuntimeCore

from bot.run_modes import RunningSandbox, running_sandbox
from tests.conftest import make_settings
from tests.support.chatting import load_texts
from tests.support.clean_run import displayed
from tests.support.sandbox_person import SandboxPerson, text_of

JSON = {"content-type": "application/json"}
# Written as JSON text: an encoder would refuse to produce a lone surrogate in UTF-8.
LONE_SURROGATE_NAME = b'{"first_name": "Eve\\ud800"}'
LONE_SURROGATE_TEXT = b'{"text": "Rex \\udc36"}'


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[RunningSandbox]:
    settings = make_settings(tmp_path / "var" / "telemed.db")
    async with running_sandbox(settings, port=0) as running:
        yield running


@pytest.fixture
async def api(sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as client:
        yield client


async def _help_is_answered(person: SandboxPerson, texts: FluentRuntimeCore) -> None:
    """/help gets its answer: a new message after this /help, not an older one."""
    first_line = displayed(texts.get("msg-help", "en")).strip().splitlines()[0]
    asked = await person.say("/help")
    deadline = asyncio.get_running_loop().time() + 20
    while asyncio.get_running_loop().time() < deadline:
        answers = await person.bot_messages(after=asked)
        if any(first_line in text_of(message) for message in answers):
            return
    raise AssertionError(f"/help got no answer: {[text_of(m) for m in answers]}")


async def test_a_lone_surrogate_is_refused_and_the_chat_goes_on(
    api: httpx.AsyncClient, texts: FluentRuntimeCore
) -> None:
    refused = await api.post("/sandbox/api/users", content=LONE_SURROGATE_NAME, headers=JSON)
    assert refused.status_code == 400
    assert "UTF-8" in refused.json()["detail"]

    person = await SandboxPerson.join(api, "Ann", "en")
    await person.onboard("English", "Continue", "I agree")
    refused = await api.post(
        f"/sandbox/api/users/{person.id}/messages", content=LONE_SURROGATE_TEXT, headers=JSON
    )
    assert refused.status_code == 400
    assert "UTF-8" in refused.json()["detail"]
    raw = await api.post(
        "/sandbox/api/updates",
        content=(
            b'{"message": {"message_id": 1, "date": 0, "chat": {"id": %d, "type": "private"}, '
            b'"from": {"id": %d, "is_bot": false, "first_name": "Ann"}, "text": "\\ud83d"}}'
        )
        % (person.id, person.id),
        headers=JSON,
    )
    assert raw.status_code == 400

    # Polling was never fed the text: the bot still answers this user.
    await _help_is_answered(person, texts)


async def test_nul_and_controls_in_a_name_or_text_are_cleaned_and_answered(
    api: httpx.AsyncClient, texts: FluentRuntimeCore
) -> None:
    joined = await api.post(
        "/sandbox/api/users", json={"first_name": "Ann\x00Lee\x07", "language_code": "en"}
    )
    assert joined.status_code == 200
    person = SandboxPerson(api, int(joined.json()["id"]))
    users = (await api.get("/sandbox/api/users")).json()
    assert [u["first_name"] for u in users if u["id"] == person.id] == ["Ann Lee"]
    await person.onboard("English", "Continue", "I agree")

    said = await api.post(f"/sandbox/api/users/{person.id}/messages", json={"text": "hi\x00"})
    assert said.status_code == 200
    # What the monkey sends: only bidi overrides. Telegram's clients may send it; so may we.
    said = await api.post(
        f"/sandbox/api/users/{person.id}/messages", json={"text": "\u202e\u202d"}
    )
    assert said.status_code == 200
    await _help_is_answered(person, texts)
