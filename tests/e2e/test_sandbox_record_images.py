"""Record images beyond Telegram's photo rules go back to the owner as documents.

https://core.telegram.org/bots/api#sendphoto: "The photo must be at most 10 MB in size. The
photo's width and height must not exceed 10000 in total. Width and height ratio must be at most
20." A long receipt (600×13000; 189×4096 once the bot's sanitizer has scaled it) breaks the
ratio, and the emulator refuses it as a photo with 400 PHOTO_INVALID_DIMENSIONS, as Telegram
does. Through the whole sandbox over HTTP: the receipt arrives as a document, a phone photo
still as a photo, and no sendPhoto is refused.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiogram_i18n.cores import FluentRuntimeCore
from PIL import Image, ImageDraw

from bot.run_modes import RunningSandbox, running_sandbox
from tests.conftest import make_settings
from tests.photos import realistic_jpeg
from tests.support.chatting import load_texts
from tests.support.sandbox_person import Message, SandboxPerson, text_of

FLOOD_WAIT = 429


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture(scope="module")
async def sandbox(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningSandbox]:
    database: Path = tmp_path_factory.mktemp("record-images") / "var" / "telemed.db"
    async with running_sandbox(make_settings(database), port=0) as running:
        yield running


def _long_receipt() -> bytes:
    """A till receipt photographed whole: 600 wide, 13000 high, lines of print on white."""
    image = Image.new("L", (600, 13_000), 255)
    draw = ImageDraw.Draw(image)
    for y in range(40, 13_000, 60):
        draw.line((40, y, 40 + (y * 7) % 500, y), fill=30, width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


async def _calls(api: httpx.AsyncClient, method: str, after_id: int) -> list[dict[str, Any]]:
    """`method`'s calls newer than call `after_id`; flood control's 429s left out (bot.outbound
    waits them out and makes the call again)."""
    response = await api.get("/sandbox/api/calls", params={"method": method})
    response.raise_for_status()
    return [
        call
        for call in response.json()
        if call["id"] > after_id and call["error_code"] != FLOOD_WAIT
    ]


async def _last_call_id(api: httpx.AsyncClient) -> int:
    response = await api.get("/sandbox/api/calls")
    response.raise_for_status()
    return max((call["id"] for call in response.json()), default=0)


async def _add_document_record(
    ann: SandboxPerson, texts: FluentRuntimeCore, field: str, name: str, data: bytes, title: str
) -> None:
    await ann.press(texts.get("btn-record-add", "en"))
    await ann.press(texts.get("lbl-record-kind-document", "en"))
    await ann.wait_for_text(texts.get("msg-record-ask-file", "en"))
    content_type = "image/png" if name.endswith(".png") else "image/jpeg"
    await ann.send_file(field, name, data, content_type)
    await ann.wait_for(lambda m: "step 2 of 3" in text_of(m))
    await ann.say(title)
    await ann.press(texts.get("btn-record-today", "en"))
    kind = texts.get("lbl-record-kind-document", "en")
    await ann.wait_for(lambda m: text_of(m).startswith(kind) and title in text_of(m))


async def _newest_file(ann: SandboxPerson, after: int) -> Message:
    return await ann.wait_for(
        lambda m: m["message_id"] > after and bool(m.get("photo") or m.get("document"))
    )


async def _last_message_id(ann: SandboxPerson) -> int:
    return max((m["message_id"] for m in await ann.bot_messages()), default=0)


async def test_a_long_receipt_arrives_as_a_document_and_a_photo_as_a_photo(
    sandbox: RunningSandbox, texts: FluentRuntimeCore
) -> None:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as api:
        ann = await SandboxPerson.join(api, "Ann", "en")
        await ann.onboard("English", "Continue", "I agree")
        await ann.say("/pets")
        await ann.press(texts.get("btn-pet-add", "en"))
        await ann.wait_for_text(texts.get("msg-pet-ask-name", "en"))
        await ann.say("Rex")
        await ann.press(texts.get("lbl-pet-species-dog", "en"))
        skip = texts.get("btn-pet-skip", "en", mode="add")
        await ann.press(skip)  # breed
        await ann.press(texts.get("btn-pet-sex-male", "en"))
        await ann.press(texts.get("btn-pet-neutered-unknown", "en"))
        for _ in range(3):  # birth date, weight, photo
            await ann.press(skip)
        await ann.wait_for_text(texts.get("msg-pet-added", "en", name="Rex"))
        await ann.say("/pets")
        await ann.press("Rex")
        await ann.press(texts.get("btn-record-medical-card", "en"))

        await _add_document_record(
            ann, texts, "document", "receipt.png", _long_receipt(), "Clinic receipt"
        )
        await ann.press("◀️ Back")  # to the card's list of entries
        marker, after = await _last_call_id(api), await _last_message_id(ann)
        await ann.press("Clinic receipt")  # the papers first, the entry under them
        receipt = await _newest_file(ann, after)
        assert receipt.get("document") and not receipt.get("photo")
        assert receipt["document"]["file_name"] == "Clinic-receipt.jpg"  # named after the entry
        shown = Image.open(io.BytesIO((await api.get(receipt["file_url"])).content))
        assert shown.height / shown.width > 20  # still the long receipt, whole
        assert await _calls(api, "sendPhoto", marker) == []
        assert [call["ok"] for call in await _calls(api, "sendDocument", marker)] == [True]

        await ann.press("◀️ Back")
        await _add_document_record(
            ann, texts, "photo", "xray.jpg", realistic_jpeg(640, 480), "Paw X-ray"
        )
        marker, after = await _last_call_id(api), await _last_message_id(ann)
        await ann.press(texts.get("btn-record-send-file", "en"))
        photo = await _newest_file(ann, after)
        assert photo.get("photo") and not photo.get("document")
        assert [call["ok"] for call in await _calls(api, "sendPhoto", marker)] == [True]
