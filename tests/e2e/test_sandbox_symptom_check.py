"""The symptom check end to end in the sandbox: HTTP to the emulator, a real photo upload, the
in-process queue, the real photo model (a tiny ViT built here) and the worker's result."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from aiogram_i18n.cores import FluentRuntimeCore

from bot.run_modes import RunningSandbox, running_sandbox
from core.entities import Pet
from core.enums import CheckStatus, Sex, Species, Urgency
from core.interactors.pets import AddPet, PetDraft
from core.ports.repositories import SymptomCheckRepository
from tests.conftest import make_settings
from tests.photos import realistic_jpeg
from tests.support.chatting import load_texts
from tests.support.clean_run import assert_clean_run, displayed, last_call_id
from tests.support.hostile_names import URGENT_PET, Cast
from tests.support.models import save_wound_model
from tests.support.sandbox_person import SandboxPerson, text_of

pytest.importorskip("torch", reason="the photo model needs the `ai` extra (torch)")
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


@pytest.fixture
async def api(sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=20) as client:
        yield client


async def _english_owner(api: httpx.AsyncClient, name: str) -> SandboxPerson:
    person = await SandboxPerson.join(api, name, "en")
    await person.onboard("English", "Continue", "I agree")
    await person.wait_for_text("how can we help")
    return person


async def _add_pet(sandbox: RunningSandbox, owner: SandboxPerson, draft: PetDraft) -> Pet:
    # The pets dialog has its own end-to-end walk below; here the pet is only a precondition.
    async with sandbox.bot_app.container() as request:
        pet: Pet = await (await request.get(AddPet))(owner.id, draft)
        return pet


def _photo(width: int = 800, height: int = 600) -> bytes:
    # Photo-like: the photo step refuses flat, dark or blurred pictures.
    return realistic_jpeg(width, height)


async def _to_photo_step(
    owner: SandboxPerson, texts: FluentRuntimeCore, pet: str, sign: str
) -> None:
    await owner.say("/check")
    await owner.press(pet)
    await owner.press(texts.get("btn-check-none-of-these", "en"))
    await owner.press(texts.get("area-skin", "en"))
    await owner.press(texts.get(sign, "en"))
    await owner.press("Continue")
    await owner.wait_for_text("Photos (optional)")


async def test_dog_with_a_wound_photo_gets_its_result_from_the_worker(
    sandbox: RunningSandbox, api: httpx.AsyncClient, texts: FluentRuntimeCore, cast: Cast
) -> None:
    calls_before = await last_call_id(api)
    ann = await _english_owner(api, cast("Ann"))
    rex = cast("Rex")
    pet = await _add_pet(sandbox, ann, PetDraft(name=rex, species=Species.DOG, sex=Sex.MALE))
    await _to_photo_step(ann, texts, rex, "sign-skin-lump")

    await ann.send_file("photo", "wound.jpg", _photo(), "image/jpeg")
    await ann.wait_for(lambda m: text_of(m).startswith("Photo 1 received"))
    await ann.wait_for_text("Added: 1 of 3")
    await ann.press("Continue")
    await ann.press(texts.get("btn-check-submit", "en"))

    # At once: the answer-based result (a skin lump alone is "monitor"), saying the photo is
    # being analysed...
    first = await ann.wait_for(lambda m: text_of(m).startswith("🟢"))
    assert "photos are being analysed" in text_of(first)
    assert cast.shown("Rex") in text_of(first)
    # ...then the worker's result: the open wound the model saw raises it to "vet in 24 h".
    refined = await ann.wait_for(lambda m: text_of(m).startswith("🟡"))
    assert "refined with the photos" in text_of(refined)
    assert texts.get("finding-wound-open", "en") in text_of(refined)
    assert refined["message_id"] > first["message_id"]
    assert cast.shown("Rex") in text_of(refined)
    await assert_clean_run(api, texts, [ann.id], calls_after=calls_before)

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
    sandbox: RunningSandbox, api: httpx.AsyncClient, texts: FluentRuntimeCore, cast: Cast
) -> None:
    calls_before = await last_call_id(api)
    bo = await _english_owner(api, cast("Bo"))
    await _add_pet(sandbox, bo, PetDraft(name=cast("Tom"), species=Species.CAT))
    await _to_photo_step(bo, texts, cast("Tom"), "sign-itching")

    # A PDF named like a photo: the content decides, not the name.
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    await bo.send_file("document", "photo.jpg", pdf, "image/jpeg")
    await bo.wait_for(lambda m: text_of(m) == texts.get("err-upload-unsupported-type", "en"))
    again = await bo.wait_for_text("Photos (optional)")
    assert "Added: 0 of 3" in text_of(again)
    await assert_clean_run(api, texts, [bo.id], calls_after=calls_before)


async def test_new_user_with_a_male_cat_straining_without_urine_gets_the_high_card_first(
    api: httpx.AsyncClient, texts: FluentRuntimeCore, cast: Cast
) -> None:
    """The issue's acceptance walk, every step through the chat as a person would."""
    calls_before = await last_call_id(api)
    ivan = await SandboxPerson.join(api, cast("Ivan"), "ru")
    await ivan.onboard("Русский", "Продолжить", "Согласен")
    barsik = cast("Барсик", hostile=URGENT_PET)

    await ivan.say("/pets")
    await ivan.press(texts.get("btn-pet-add", "ru"))
    await ivan.wait_for_text(displayed(texts.get("msg-pet-ask-name", "ru")))
    await ivan.say(barsik)
    await ivan.press(texts.get("lbl-pet-species-cat", "ru"))
    skip = texts.get("btn-pet-skip", "ru", mode="add")
    await ivan.press(skip)  # breed
    await ivan.press(texts.get("btn-pet-sex-male", "ru"))
    await ivan.press(texts.get("btn-pet-neutered-unknown", "ru"))
    await ivan.press(skip)  # birth date
    await ivan.press(skip)  # weight
    await ivan.press(skip)  # photo
    await ivan.wait_for_text(displayed(texts.get("msg-pet-added", "ru", name=barsik)))

    await ivan.say("/check")
    await ivan.press(barsik)
    await ivan.press(texts.get("screen-urinary-blockage", "ru"))
    await ivan.press(texts.get("btn-check-emergency-go", "ru"))

    card = await ivan.wait_for(lambda m: text_of(m).startswith("🔴"))
    assert cast.shown("Барсик") in text_of(card)
    assert texts.get("sign-urination-straining", "ru") in text_of(card)
    await assert_clean_run(api, texts, [ivan.id], calls_after=calls_before)
