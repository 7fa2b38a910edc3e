"""The whole sandbox (bot + emulator) restarted on the same var directory and database: the
chat is still there, and a pet card, whose photo the bot shows by the Telegram file_id it
saved in its database, opens with that photo and can be edited and deleted."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest
from aiogram_i18n.cores import FluentRuntimeCore
from PIL import Image

from bot.run_modes import running_sandbox
from tests.conftest import make_settings
from tests.support.chatting import load_texts
from tests.support.sandbox_person import Message, SandboxPerson, button_texts, text_of


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 120, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


async def _last_message_id(person: SandboxPerson) -> int:
    response = await person.api.get(f"/sandbox/api/chats/{person.id}/messages")
    response.raise_for_status()
    return max((m["message_id"] for m in response.json()), default=0)


async def _press_new(person: SandboxPerson, after: int, label: str) -> Message:
    """Press ``label`` on a bot message newer than ``after``: after a restart the chat still
    shows the old windows, whose buttons carry the same labels."""
    message = await person.wait_for(
        lambda m: m["message_id"] > after and any(label in text for text in button_texts(m))
    )
    button = next(text for text in button_texts(message) if label in text)
    response = await person.api.post(
        f"/sandbox/api/users/{person.id}/callbacks",
        json={"message_id": message["message_id"], "button_text": button},
    )
    response.raise_for_status()
    return message


async def _open_card(person: SandboxPerson, name: str) -> Message:
    after = await _last_message_id(person)
    await person.say("/pets")
    await _press_new(person, after, name)
    return await person.wait_for(
        lambda m: m["message_id"] > after and name in text_of(m) and bool(m.get("photo"))
    )


async def _add_pet(
    person: SandboxPerson, texts: FluentRuntimeCore, name: str, photo: bytes
) -> None:
    await person.say("/pets")
    await person.press(texts.get("btn-pet-add", "en"))
    await person.wait_for_text(texts.get("msg-pet-ask-name", "en"))
    await person.say(name)
    await person.press(texts.get("lbl-pet-species-dog", "en"))
    skip = texts.get("btn-pet-skip", "en", mode="add")
    await person.press(skip)  # breed
    await person.press(texts.get("btn-pet-sex-male", "en"))
    await person.press(texts.get("btn-pet-neutered-unknown", "en"))
    await person.press(skip)  # birth date
    await person.press(skip)  # weight
    await person.wait_for_text(texts.get("msg-pet-ask-photo", "en"))
    await person.send_file("photo", f"{name}.jpg", photo, "image/jpeg")
    await person.wait_for_text(texts.get("msg-pet-added", "en", name=name))


async def test_a_pet_card_with_its_photo_works_after_the_sandbox_restarts(
    tmp_path: Path, texts: FluentRuntimeCore
) -> None:
    var = tmp_path / "var"
    settings = make_settings(var / "telemed.db")
    data_dir = var / "sandbox"
    photo = _photo()

    async with (
        running_sandbox(settings, port=0, data_dir=data_dir) as first,
        httpx.AsyncClient(base_url=first.base_url, timeout=30) as api,
    ):
        ann = await SandboxPerson.join(api, "Ann", "en")
        await ann.onboard("English", "Continue", "I agree")
        await _add_pet(ann, texts, "Rex", photo)
        card = await _open_card(ann, "Rex")
        photo_file_id = card["photo"][-1]["file_id"]
        users_before = (await api.get("/sandbox/api/users")).json()
        chat_before = (await api.get(f"/sandbox/api/chats/{ann.id}/messages")).json()

    async with (
        running_sandbox(settings, port=0, data_dir=data_dir) as second,
        httpx.AsyncClient(base_url=second.base_url, timeout=30) as api,
    ):
        assert second.token == first.token
        # The demo vets were added again: the same users, none twice.
        assert (await api.get("/sandbox/api/users")).json() == users_before
        chat_after = (await api.get(f"/sandbox/api/chats/{ann.id}/messages")).json()
        assert chat_after[: len(chat_before)] == chat_before

        ann = SandboxPerson(api, ann.id)
        card = await _open_card(ann, "Rex")
        assert card["photo"][-1]["file_id"] == photo_file_id
        shown = await api.get(card["file_url"])
        assert shown.content == photo

        after = card["message_id"] - 1
        await _press_new(ann, after, texts.get("btn-pet-edit", "en"))
        await ann.wait_for_text(texts.get("msg-pet-edit-menu", "en", name="Rex"))
        await _press_new(ann, after, texts.get("btn-pet-field-name", "en"))
        await ann.wait_for_text(texts.get("msg-pet-ask-name", "en"))
        await ann.say("Max")
        renamed = await ann.wait_for(
            lambda m: m["message_id"] > after and "Max" in text_of(m) and bool(m.get("photo"))
        )
        assert renamed["photo"][-1]["file_id"] == photo_file_id

        await _press_new(ann, after, texts.get("btn-pet-delete", "en"))
        await ann.wait_for_text(texts.get("msg-pet-delete-ask", "en", name="Max").split("\n")[0])
        await _press_new(ann, after, texts.get("btn-pet-delete-confirm", "en"))
        await ann.wait_for_text(texts.get("msg-pet-deleted", "en"))
