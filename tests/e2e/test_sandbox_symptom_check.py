"""The symptom check end to end in the sandbox: HTTP to the emulator, a real photo upload, the
in-process queue, the real photo model (a tiny ViT built here) and the worker's result."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiogram_i18n.cores import FluentRuntimeCore
from PIL import Image

from bot.run_modes import RunningSandbox, running_sandbox
from core.enums import CheckStatus, Sex, Species, Urgency
from core.interactors.pets import AddPet, PetDraft
from core.ports.repositories import SymptomCheckRepository
from tests.conftest import make_settings
from tests.support.chatting import load_texts
from tests.support.models import save_wound_model

torch = pytest.importorskip("torch", reason="the photo model needs the `ai` extra (torch)")
pytest.importorskip("transformers", reason="the photo model needs the `ai` extra")


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture(scope="module")
async def sandbox(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningSandbox]:
    root = tmp_path_factory.mktemp("check-sandbox")
    model_dir = save_wound_model(root / "model")
    settings = make_settings(root / "var" / "telemed.db", ai_model_path=model_dir)
    async with running_sandbox(settings, port=0) as running:
        yield running


async def _bot_messages(api: httpx.AsyncClient, chat_id: int, after: int) -> list[dict[str, Any]]:
    response = await api.get(
        f"/sandbox/api/chats/{chat_id}/messages", params={"after": after, "wait": 1}
    )
    response.raise_for_status()
    return [m for m in response.json() if m["from_bot"] and not m["deleted"]]


async def _wait_for(api: httpx.AsyncClient, chat_id: int, predicate: Any) -> dict[str, Any]:
    for _ in range(150):
        for message in reversed(await _bot_messages(api, chat_id, 0)):
            if predicate(message):
                return dict(message)
        await asyncio.sleep(0.1)
    raise AssertionError("the bot never sent the expected message")


async def _click(api: httpx.AsyncClient, user_id: int, message_id: int, text: str) -> None:
    message = await _wait_for(
        api,
        user_id,
        lambda m: (
            m["message_id"] == message_id
            and any(text in b["text"] for row in _keyboard(m) for b in row)
        ),
    )
    button = next(b["text"] for row in _keyboard(message) for b in row if text in b["text"])
    response = await api.post(
        f"/sandbox/api/users/{user_id}/callbacks",
        json={"message_id": message_id, "button_text": button},
    )
    response.raise_for_status()


def _keyboard(message: dict[str, Any]) -> list[list[dict[str, Any]]]:
    return list((message.get("reply_markup") or {}).get("inline_keyboard", []))


def _photo(width: int = 800, height: int = 600) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (180, 60, 60)).save(buffer, format="JPEG")
    return buffer.getvalue()


async def test_dog_with_a_wound_photo_gets_its_result_from_the_worker(
    sandbox: RunningSandbox, texts: FluentRuntimeCore
) -> None:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=20) as api:
        user = (
            await api.post("/sandbox/api/users", json={"first_name": "Ann", "language_code": "en"})
        ).json()
        uid = user["id"]
        await api.post(f"/sandbox/api/users/{uid}/messages", json={"text": "/start"})
        window = await _wait_for(api, uid, lambda m: bool(_keyboard(m)))
        wid = window["message_id"]
        await _click(api, uid, wid, "English")
        await _click(api, uid, wid, "Continue")
        await _click(api, uid, wid, "I agree")
        await _wait_for(api, uid, lambda m: "how can we help" in (m.get("text") or ""))

        async with sandbox.bot_app.container() as request:
            add_pet = await request.get(AddPet)
            pet = await add_pet(uid, PetDraft(name="Rex", species=Species.DOG, sex=Sex.MALE))

        await api.post(f"/sandbox/api/users/{uid}/messages", json={"text": "/check"})
        window = await _wait_for(api, uid, lambda m: "Which pet" in (m.get("text") or ""))
        wid = window["message_id"]
        await _click(api, uid, wid, "Rex")
        await _click(api, uid, wid, texts.get("btn-check-none-of-these", "en"))
        await _click(api, uid, wid, texts.get("area-skin", "en"))
        await _click(api, uid, wid, texts.get("sign-skin-lump", "en"))
        await _click(api, uid, wid, "Continue")
        await _wait_for(api, uid, lambda m: "Photos (optional)" in (m.get("text") or ""))

        sent = await api.post(
            f"/sandbox/api/users/{uid}/messages",
            files={"photo": ("wound.jpg", _photo(), "image/jpeg")},
        )
        sent.raise_for_status()
        await _wait_for(api, uid, lambda m: (m.get("text") or "").startswith("Photo 1 received"))
        photos_window = await _wait_for(
            api, uid, lambda m: "Added: 1 of 3" in (m.get("text") or "")
        )
        await _click(api, uid, photos_window["message_id"], "Continue")
        await _click(api, uid, photos_window["message_id"], texts.get("btn-check-submit", "en"))

        # At once: the answer-based result (a skin lump alone is "monitor"), saying the photo
        # is being analysed...
        first = await _wait_for(api, uid, lambda m: (m.get("text") or "").startswith("🟢"))
        assert "photos are being analysed" in first["text"]
        # ...then the worker's result: the open wound the model saw raises it to "vet in 24 h".
        refined = await _wait_for(api, uid, lambda m: (m.get("text") or "").startswith("🟡"))
        assert "refined with the photos" in refined["text"]
        assert texts.get("finding-wound-open", "en") in refined["text"]
        assert refined["message_id"] > first["message_id"]

    async with sandbox.bot_app.container() as request:
        checks = await request.get(SymptomCheckRepository)
        [check] = await checks.list_for_pet(pet.id)
        photos = await checks.list_photos(check.id)
    assert check.status is CheckStatus.DONE
    assert check.urgency is Urgency.MEDIUM
    assert check.model_used is True
    assert check.notified_at is not None
    [photo] = photos
    assert photo.content_type == "image/jpeg"
    assert photo.findings is not None and photo.findings[0]["label"] == "wound_open"


async def test_a_pdf_sent_as_a_check_photo_is_refused_and_the_step_stays(
    sandbox: RunningSandbox, texts: FluentRuntimeCore
) -> None:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=20) as api:
        uid = (
            await api.post("/sandbox/api/users", json={"first_name": "Bo", "language_code": "en"})
        ).json()["id"]
        await api.post(f"/sandbox/api/users/{uid}/messages", json={"text": "/start"})
        window = await _wait_for(api, uid, lambda m: bool(_keyboard(m)))
        for button in ("English", "Continue", "I agree"):
            await _click(api, uid, window["message_id"], button)
        await _wait_for(api, uid, lambda m: "how can we help" in (m.get("text") or ""))
        async with sandbox.bot_app.container() as request:
            await (await request.get(AddPet))(uid, PetDraft(name="Tom", species=Species.CAT))
        await api.post(f"/sandbox/api/users/{uid}/messages", json={"text": "/check"})
        window = await _wait_for(api, uid, lambda m: "Which pet" in (m.get("text") or ""))
        for button in (
            "Tom",
            texts.get("btn-check-none-of-these", "en"),
            texts.get("area-skin", "en"),
            texts.get("sign-itching", "en"),
            "Continue",
        ):
            await _click(api, uid, window["message_id"], button)
        await _wait_for(api, uid, lambda m: "Photos (optional)" in (m.get("text") or ""))

        # A PDF named like a photo: the content decides, not the name.
        pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        sent = await api.post(
            f"/sandbox/api/users/{uid}/messages",
            files={"document": ("photo.jpg", pdf, "image/jpeg")},
        )
        sent.raise_for_status()
        refusal = texts.get("err-upload-unsupported-type", "en")
        await _wait_for(api, uid, lambda m: m.get("text") == refusal)
        again = await _wait_for(api, uid, lambda m: "Photos (optional)" in (m.get("text") or ""))
        assert "Added: 0 of 3" in again["text"]


async def _press(api: httpx.AsyncClient, uid: int, text: str) -> None:
    """Press the button labelled `text` on the newest bot message that shows it."""
    message = await _wait_for(
        api, uid, lambda m: any(text in b["text"] for row in _keyboard(m) for b in row)
    )
    await _click(api, uid, message["message_id"], text)


async def _say(api: httpx.AsyncClient, uid: int, text: str) -> None:
    response = await api.post(f"/sandbox/api/users/{uid}/messages", json={"text": text})
    response.raise_for_status()


async def test_new_user_with_a_male_cat_straining_without_urine_gets_the_high_card_first(
    sandbox: RunningSandbox, texts: FluentRuntimeCore
) -> None:
    """The issue's acceptance walk, every step through the chat as a person would."""
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=20) as api:
        uid = (
            await api.post(
                "/sandbox/api/users", json={"first_name": "Ivan", "language_code": "ru"}
            )
        ).json()["id"]
        await _say(api, uid, "/start")
        for button in ("Русский", "Продолжить", "Согласен"):
            await _press(api, uid, button)

        await _say(api, uid, "/pets")
        await _press(api, uid, texts.get("btn-pet-add", "ru"))
        await _wait_for(
            api, uid, lambda m: "step" in (m.get("text") or "") or "шаг" in (m.get("text") or "")
        )
        await _say(api, uid, "Барсик")
        await _press(api, uid, texts.get("lbl-pet-species-cat", "ru"))
        skip = texts.get("btn-pet-skip", "ru", mode="add")
        await _press(api, uid, skip)  # breed
        await _press(api, uid, texts.get("btn-pet-sex-male", "ru"))
        await _press(api, uid, texts.get("btn-pet-neutered-unknown", "ru"))
        await _press(api, uid, skip)  # birth date
        await _press(api, uid, skip)  # weight
        await _press(api, uid, skip)  # photo
        await _wait_for(api, uid, lambda m: "Барсик" in (m.get("text") or m.get("caption") or ""))

        await _say(api, uid, "/check")
        await _press(api, uid, "Барсик")
        screen = texts.get("screen-urinary-blockage", "ru")
        await _press(api, uid, screen)
        await _press(api, uid, texts.get("btn-check-emergency-go", "ru"))

        card = await _wait_for(api, uid, lambda m: (m.get("text") or "").startswith("🔴"))
        assert "Барсик" in card["text"]
        assert texts.get("sign-urination-straining", "ru") in card["text"]
        # Nothing but the emergency screen was asked: no area, no questions, no photo step.
        asked = [m.get("text") or "" for m in await _bot_messages(api, uid, 0)]
        assert not any(texts.get("msg-check-area", "ru") in text for text in asked)
