"""The pets issue's acceptance walk in the sandbox, every step through the chat over HTTP:

a new user adds two pets with photos, records a vaccination and a document, shares one pet
with a second user who sees it read-only, exports everything, and deletes the account —
after which nothing of them is left in the database or the storage (the table-by-table
proof is `tests/integration/test_delete_account.py`; here, as a user would see it).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from aiogram_i18n.cores import FluentRuntimeCore
from PIL import Image
from pypdf import PdfReader

from bot.run_modes import RunningSandbox, running_sandbox
from core.interactors.export import card_file_name
from core.interactors.onboarding import GetUser
from core.interactors.pets import ListMyPets
from core.ports.storage import BlobStorage
from tests.conftest import make_settings
from tests.support.chatting import load_texts
from tests.support.clean_run import assert_clean_run, displayed, last_call_id
from tests.support.hostile_names import (
    HOSTILE_NAME_IDS,
    HOSTILE_NAMES,
    Cast,
    shown,
    shown_live,
)
from tests.support.sandbox_person import SandboxPerson, button_texts, text_of


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture(scope="module")
async def sandbox(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningSandbox]:
    database: Path = tmp_path_factory.mktemp("card-sandbox") / "var" / "telemed.db"
    async with running_sandbox(make_settings(database), port=0) as running:
        yield running


def _photo(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, format="JPEG")
    return buffer.getvalue()


def _pdf() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), (255, 255, 255)).save(buffer, format="PDF")
    return buffer.getvalue()


async def _add_pet(
    ann: SandboxPerson, texts: FluentRuntimeCore, name: str, species_key: str, photo: bytes | None
) -> None:
    await ann.say("/pets")
    await ann.press(texts.get("btn-pet-add", "en"))
    await ann.wait_for_text(displayed(texts.get("msg-pet-ask-name", "en")))
    await ann.say(name)
    await ann.press(texts.get(species_key, "en"))
    skip = texts.get("btn-pet-skip", "en", mode="add")
    await ann.press(skip)  # breed
    await ann.press(texts.get("btn-pet-sex-male", "en"))
    await ann.press(texts.get("btn-pet-neutered-unknown", "en"))
    await ann.press(skip)  # birth date
    await ann.press(skip)  # weight
    await ann.wait_for_text(texts.get("msg-pet-ask-photo", "en"))
    if photo is None:
        await ann.press(skip)
    else:
        await ann.send_file("photo", "pet.jpg", photo, "image/jpeg")
    # The bot stores the name without invisible or direction characters (core/plain_text.py).
    await ann.wait_for_text(displayed(texts.get("msg-pet-added", "en", name=shown(name))))


def _readable(text: str) -> str:
    """Letters, digits and markup characters: what a PDF's text layer keeps of a name for sure
    (the font has no emoji; line breaks and zero-width marks come and go)."""
    return "".join(ch for ch in text if ch.isalnum() or ch in "<>&/")


async def _download(api: httpx.AsyncClient, message: dict[str, object]) -> bytes:
    response = await api.get(str(message["file_url"]))
    response.raise_for_status()
    return response.content


async def test_two_pets_records_sharing_export_and_deletion(
    sandbox: RunningSandbox, texts: FluentRuntimeCore, cast: Cast
) -> None:
    rex, tom = cast("Rex"), cast("Tom")
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as api:
        calls_before = await last_call_id(api)
        ann = await SandboxPerson.join(api, cast("Ann"), "en")
        await ann.onboard("English", "Continue", "I agree")
        await ann.wait_for_text("how can we help")

        await _add_pet(ann, texts, rex, "lbl-pet-species-dog", _photo((200, 120, 40)))
        await _add_pet(ann, texts, tom, "lbl-pet-species-cat", _photo((90, 90, 90)))

        # Both cards show their photos, downloaded from the emulator like Telegram serves them.
        await ann.say("/pets")
        await ann.press(rex)
        rex_card = await ann.wait_for(
            lambda m: cast.shown("Rex") in text_of(m) and bool(m.get("photo"))
        )
        assert Image.open(io.BytesIO(await _download(api, rex_card))).size[0] > 0

        # A vaccination and a document on Rex's medical card.
        await ann.press(texts.get("btn-record-medical-card", "en"))
        await ann.press(texts.get("btn-record-add", "en"))
        await ann.press(texts.get("lbl-record-kind-vaccination", "en"))
        await ann.say("Nobivac DHPPi")
        await ann.press(texts.get("btn-record-today", "en"))
        await ann.press(texts.get("btn-record-due-year", "en"))
        await ann.wait_for_text(texts.get("msg-record-ask-batch", "en"))
        await ann.say("A123B01")
        # The entry itself (the form's prompt also mentions the vaccine as an example).
        await ann.wait_for(lambda m: "Nobivac DHPPi" in text_of(m) and "Given:" in text_of(m))
        await ann.press("◀️ Back")  # from the new entry to the card

        await ann.press(texts.get("btn-record-add", "en"))
        await ann.press(texts.get("lbl-record-kind-document", "en"))
        await ann.wait_for_text(texts.get("msg-record-ask-file", "en"))
        await ann.send_file("document", "blood-test.pdf", _pdf(), "application/pdf")
        await ann.wait_for(lambda m: "step 2 of 3" in text_of(m))
        await ann.say("Blood test")
        await ann.press(texts.get("btn-record-today", "en"))
        document_kind = texts.get("lbl-record-kind-document", "en")
        await ann.wait_for(
            lambda m: text_of(m).startswith(document_kind) and "Blood test" in text_of(m)
        )

        # Share Rex with a pet sitter, read-only.
        await ann.say("/pets")
        await ann.press(rex)
        await ann.press(texts.get("btn-pet-sharing", "en"))
        await ann.press(texts.get("btn-sharing-invite-viewer", "en"))
        invite = await ann.wait_for(lambda m: "start=" in text_of(m))
        payload = re.search(r"start=([A-Za-z0-9_-]+)", text_of(invite))
        assert payload is not None

        bob = await SandboxPerson.join(api, cast("Bob"), "en")
        await bob.say(f"/start {payload.group(1)}")
        # Language and consent first; the invite is taken up once Bob agrees.
        await bob.press("English")
        await bob.press("Continue")
        await bob.press("I agree")
        await bob.wait_for(
            lambda m: cast.shown("Rex") in text_of(m) and "shared with you" in text_of(m)
        )
        await bob.say("/pets")
        await bob.press(rex)
        bob_card = await bob.wait_for(lambda m: "view only" in text_of(m))
        assert cast.shown("Rex") in text_of(bob_card)
        assert not {texts.get("btn-pet-edit", "en"), texts.get("btn-pet-delete", "en")} & set(
            button_texts(bob_card)
        )

        # Everything Ann has, as files.
        await ann.say("/export")
        await ann.wait_for_text(texts.get("msg-export-ready", "en"))
        exported = await ann.wait_for(
            lambda m: (m.get("document") or {}).get("file_name") == "telemed-pet-export.json"
        )
        data = json.loads(await _download(api, exported))
        # The data as typed: the export is not a Telegram message, nothing is dropped.
        assert sorted(pet["name"] for pet in data["pets"]) == sorted([rex, tom])
        exported_rex = next(pet for pet in data["pets"] if pet["name"] == rex)
        kinds = sorted(record["kind"] for record in exported_rex["records"])
        assert kinds == ["document", "vaccination"]
        rex_pdf_name = card_file_name(
            rex, exported_rex["id"], texts.get("lbl-card-file-suffix", "en")
        )
        card_pdf = await ann.wait_for(
            lambda m: (m.get("document") or {}).get("file_name") == rex_pdf_name
        )
        pdf_text = "".join(
            page.extract_text()
            for page in PdfReader(io.BytesIO(await _download(api, card_pdf))).pages
        )
        assert "Nobivac DHPPi" in pdf_text
        assert "A123B01" in pdf_text  # the batch typed in the form
        assert _readable(rex) in _readable(pdf_text)

        async with sandbox.bot_app.container() as request:
            ann_user = await (await request.get(GetUser))(ann.id)
        assert ann_user is not None

        # And then Ann leaves, asked twice.
        await ann.say("/delete_me")
        await ann.press(texts.get("btn-delete-continue", "en"))
        await ann.press(texts.get("btn-delete-confirm", "en"))
        await ann.wait_for_text(texts.get("msg-account-deleted", "en"))

    async with sandbox.bot_app.container() as request:
        assert await (await request.get(GetUser))(ann.id) is None
        # Bob only viewed Rex: the pet went with its only owner.
        assert await (await request.get(ListMyPets))(bob.id) == []
    storage = await sandbox.bot_app.container.get(BlobStorage)
    assert await storage.list_keys(f"users/tg-{ann.id}/") == []
    assert await storage.list_keys("pets/") == []
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as api:
        await assert_clean_run(api, texts, [ann.id, bob.id], calls_after=calls_before)


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=HOSTILE_NAME_IDS)
async def test_a_pet_is_shown_by_the_name_typed_wherever_it_appears(
    sandbox: RunningSandbox, texts: FluentRuntimeCore, name: str
) -> None:
    """Every hostile name through the pets dialog, its card and list, and the medical card
    (the walk above meets only some of them); the owner's Telegram name is the same one."""
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as api:
        calls_before = await last_call_id(api)
        owner = await SandboxPerson.join(api, name, "en")
        await owner.onboard("English", "Continue", "I agree")
        greeting = await owner.wait_for_text("how can we help")
        assert text_of(greeting).startswith(shown_live(name))

        await _add_pet(owner, texts, name, "lbl-pet-species-cat", photo=None)
        await owner.say("/pets")
        # A button label is no HTML, but the name is stored without U+202E or U+200B (they
        # could make a name look empty or read backwards), so the label shows it without them.
        await owner.press(shown(name))
        card_title = displayed(texts.get("msg-pet-card-title", "en", name=shown(name)))
        card = await owner.wait_for_text(card_title)
        assert shown(name) in text_of(card)
        await owner.press(texts.get("btn-record-medical-card", "en"))
        medical = await owner.wait_for_text(
            displayed(texts.get("msg-record-card", "en", name=shown(name)))
        )
        assert shown(name) in text_of(medical)
        await assert_clean_run(api, texts, [owner.id], calls_after=calls_before)


# --- issue #13: the card a border check asks for, walked in both languages --------------------

LANGUAGES = {
    "ru": ("Русский", "Продолжить", "Согласен"),
    "en": ("English", "Continue", "I agree"),
}
# What a reader of each language finds in the PDF (whitespace folded: table cells wrap).
BORDER_CARD = {
    "ru": {
        "file": "Мурзик-медкарта.pdf",
        "microchip": "Микрочип: 643094100123456",
        "owner": "Telegram @murzik_owner",
        "batch": "A123B01",
        "overdue": "— просрочено",
        "weight": "Вес · 5,2 кг",
        "typed_weight": "5,2",
    },
    "en": {
        "file": "Murzik-medical-card.pdf",
        "microchip": "Microchip: 643094100123456",
        "owner": "Telegram @murzik_owner",
        "batch": "A123B01",
        "overdue": "— overdue",
        "weight": "Weight · 5.2 kg",
        "typed_weight": "5.2",
    },
}


@pytest.mark.parametrize("locale", ["ru", "en"])
async def test_the_medical_card_pdf_has_what_a_border_check_asks_for(
    sandbox: RunningSandbox, texts: FluentRuntimeCore, locale: str
) -> None:
    """Microchip from the pet card, a vaccination with its batch (overdue by now), a weight
    entry, the photo and the owner's contact, all in the PDF named in the owner's language."""
    words = BORDER_CARD[locale]
    name = "Murzik" if locale == "en" else "Мурзик"

    def t(key: str, **args: object) -> str:
        return str(texts.get(key, locale, **args))

    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as api:
        calls_before = await last_call_id(api)
        joined = await api.post(
            "/sandbox/api/users",
            json={"first_name": "Owner", "username": "murzik_owner", "language_code": locale},
        )
        joined.raise_for_status()
        owner = SandboxPerson(api, int(joined.json()["id"]))
        await owner.onboard(*LANGUAGES[locale])

        await owner.say("/pets")
        await owner.press(t("btn-pet-add"))
        await owner.wait_for_text(displayed(t("msg-pet-ask-name")))
        await owner.say(name)
        await owner.press(t("lbl-pet-species-cat"))
        skip = t("btn-pet-skip", mode="add")
        await owner.press(skip)  # breed
        await owner.press(t("btn-pet-sex-male"))
        await owner.press(t("btn-pet-neutered-unknown"))
        await owner.press(skip)  # birth date
        await owner.press(skip)  # weight
        await owner.wait_for_text(t("msg-pet-ask-photo"))
        await owner.send_file("photo", "pet.jpg", _photo((120, 90, 60)), "image/jpeg")
        await owner.wait_for_text(displayed(t("msg-pet-added", name=name)))

        # The microchip, from the pet card's edit menu: a typo gets a hint, then the number.
        await owner.say("/pets")
        await owner.press(name)
        await owner.press(t("btn-pet-edit"))
        await owner.press(t("btn-pet-field-microchip"))
        await owner.wait_for_text(displayed(t("msg-pet-ask-microchip", name=name)))
        await owner.say("12345")
        await owner.wait_for_text(t("err-pet-microchip-bad"))
        await owner.say("643 094 100 123 456")
        await owner.wait_for_text(t("lbl-pet-card-microchip", microchip="643094100123456"))

        # A vaccination given long ago, with its batch: its next dose is overdue by now.
        await owner.press(t("btn-record-medical-card"))
        await owner.press(t("btn-record-add"))
        await owner.press(t("lbl-record-kind-vaccination"))
        await owner.say("Purevax RCP")
        await owner.say("01.02.2024")
        await owner.say("01.02.2025")
        await owner.wait_for_text(t("msg-record-ask-batch"))
        await owner.say("lot?!")
        await owner.wait_for_text(t("err-record-batch-bad", max=32))
        await owner.say("a123 b01")
        await owner.wait_for_text(t("lbl-record-view-batch", batch="A123B01"))
        await owner.press(t("btn-back"))

        # A weight entry: the PDF prints its value.
        await owner.press(t("btn-record-add"))
        await owner.press(t("lbl-record-kind-weight"))
        await owner.say(words["typed_weight"])
        await owner.press(t("btn-record-today"))
        await owner.wait_for_text(t("msg-record-added"))

        await owner.say("/export")
        await owner.wait_for_text(t("msg-export-ready"))
        card = await owner.wait_for(
            lambda m: (m.get("document") or {}).get("file_name") == words["file"]
        )
        reader = PdfReader(io.BytesIO(await _download(api, card)))
        pdf_text = " ".join("".join(page.extract_text() for page in reader.pages).split())
        for key in ("microchip", "owner", "batch", "overdue", "weight"):
            assert words[key] in pdf_text, (key, pdf_text)
        assert sum(len(page.images) for page in reader.pages) == 1  # the pet's photo
        await assert_clean_run(api, texts, [owner.id], calls_after=calls_before)
