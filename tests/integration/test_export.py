"""/export through the chat: a JSON document valid against its schema, and a PDF card per pet
that opens with pypdf and shows the pet and its vaccinations, in the user's language."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiogram.methods import SendDocument
from aiogram.types import BufferedInputFile
from aiogram_i18n.cores import FluentRuntimeCore
from dishka import Provider, Scope, provide
from jsonschema import Draft202012Validator
from PIL import Image
from pypdf import PdfReader

from bot.handlers.account import EXPORT_FILE_NAME
from bot.reports.pet_card_pdf import DEJAVU_DIR, REGULAR_FONT, FpdfPetCardRenderer
from core.config import Settings
from core.enums import AccessLevel, CheckStatus, RecordKind, Species, Urgency
from core.interactors.export import EXPORT_SCHEMA_PATH
from core.interactors.onboarding import RegisterUser, TelegramProfile
from core.interactors.pet_files import StorePetPhoto
from core.interactors.pets import AddPet, EditPet, ListMyPets, PetChanges, PetDraft
from core.interactors.reminder_settings import SetQuietHours, SwitchReminderKind
from core.pet_input import BirthDate
from core.ports.reports import PetCardRenderer
from core.ports.repositories import (
    MedicalRecordRepository,
    PetAccessRepository,
    SymptomCheckRepository,
    UserRepository,
)
from core.ports.uow import UnitOfWork
from tests.support.chatting import USER_ID, Chatting, load_texts, open_chat

OTHER_ID = 5252
LANGUAGE_BUTTON = {"ru": "🇷🇺 Русский", "en": "🇬🇧 English"}
CONTINUE = {"ru": "Продолжить ▶️", "en": "Continue ▶️"}
AGREE = {"ru": "✅ Согласен(на)", "en": "✅ I agree"}

needs_font = pytest.mark.skipif(
    not (DEJAVU_DIR / REGULAR_FONT).is_file(), reason="fonts-dejavu-core is not installed"
)


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(EXPORT_SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


@pytest.fixture
async def chat(settings: Settings) -> AsyncIterator[Chatting]:
    async with open_chat(settings) as opened:
        yield opened


async def _onboard(chat: Chatting, locale: str) -> None:
    await chat.send("/start")
    await chat.click(LANGUAGE_BUTTON[locale])
    await chat.click(CONTINUE[locale])
    await chat.click(AGREE[locale])


async def _seed(chat: Chatting) -> None:
    """Барсик with two vaccinations, a weight record and a triaged check; a viewer's pet."""
    async with chat.container() as request:
        pet = await (await request.get(AddPet))(
            USER_ID, PetDraft(name="Барсик", species=Species.CAT, weight_grams=4500)
        )
        users = await request.get(UserRepository)
        me = await users.get_by_telegram_id(USER_ID)
        assert me is not None
        records = await request.get(MedicalRecordRepository)
        await records.add(
            pet_id=pet.id,
            kind=RecordKind.VACCINATION,
            title="Rabies",
            occurred_at=datetime(2024, 5, 10, 9, tzinfo=UTC),
            data={"vaccine": "Nobivac Rabies", "batch": "RB-2024-17"},
            next_due_at=datetime(2025, 5, 10, 9, tzinfo=UTC),
            author_user_id=me.id,
        )
        await records.add(
            pet_id=pet.id,
            kind=RecordKind.VACCINATION,
            title="Nobivac Tricat Trio",
            occurred_at=datetime(2023, 4, 1, 9, tzinfo=UTC),
        )
        await records.add(
            pet_id=pet.id,
            kind=RecordKind.WEIGHT,
            title="4.5 kg",
            occurred_at=datetime(2024, 6, 1, 9, tzinfo=UTC),
            data={"grams": 4500},
        )
        checks = await request.get(SymptomCheckRepository)
        check = await checks.add(
            pet_id=pet.id,
            user_id=me.id,
            answers={"area": "skin"},
            idempotency_key=None,
            submitted_at=datetime(2024, 7, 1, tzinfo=UTC),
        )
        await checks.add_photo(
            check.id,
            position=0,
            storage_key=f"users/tg-{USER_ID}/checks/abc.jpg",
            content_type="image/jpeg",
            size_bytes=1234,
            telegram_file_id=None,
        )
        await checks.save_result(
            check.id,
            status=CheckStatus.DONE,
            urgency=Urgency.LOW,
            result={"urgency": "low", "reasons": ["itch"]},
            rules_version="1",
            model_used=False,
            model_version=None,
            completed_at=datetime(2024, 7, 1, 0, 5, tzinfo=UTC),
        )
        await (await request.get(UnitOfWork)).commit()

        await (await request.get(RegisterUser))(TelegramProfile(OTHER_ID, "Anna", None, "ru"))
        theirs = await (await request.get(AddPet))(
            OTHER_ID, PetDraft(name="Rex", species=Species.DOG)
        )
        await (await request.get(PetAccessRepository)).grant(
            pet_id=theirs.id, user_id=me.id, level=AccessLevel.VIEWER, granted_at=datetime.now(UTC)
        )
        await (await request.get(UnitOfWork)).commit()


def _documents(chat: Chatting) -> list[BufferedInputFile]:
    sent: list[SendDocument] = chat.session.calls_of(SendDocument)
    files = [call.document for call in sent]
    assert all(isinstance(file, BufferedInputFile) for file in files)
    return files  # type: ignore[return-value]


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


@needs_font
async def test_export_sends_a_valid_json_document_and_a_card_per_pet(
    chat: Chatting, texts: FluentRuntimeCore, schema: dict[str, Any]
) -> None:
    await _onboard(chat, "ru")
    await _seed(chat)
    async with chat.container() as request:
        await (await request.get(SetQuietHours))(USER_ID, time(23, 30), time(7, 0))
    async with chat.container() as request:
        await (await request.get(SwitchReminderKind))(USER_ID, "follow_up", on=False)
    chat.session.reset()

    await chat.send("/export")

    files = _documents(chat)
    assert [file.filename for file in files] == [
        EXPORT_FILE_NAME,
        "Rex-медкарта.pdf",
        "Барсик-медкарта.pdf",
    ]
    assert chat.session.sent_texts() == [texts.get("msg-export-ready", "ru")]

    document = json.loads(files[0].data)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []
    assert document["user"]["telegram_id"] == USER_ID
    # Russian speaker who never chose a zone: Moscow, the language's likely one, not chosen.
    assert (document["user"]["time_zone"], document["user"]["time_zone_chosen_at"]) == (
        "Europe/Moscow",
        None,
    )
    assert document["user"]["reminder_settings"] == {
        "kinds_off": ["follow_up"],
        "quiet_hours": {"start": "23:30", "end": "07:00"},
    }
    pets = {pet["name"]: pet for pet in document["pets"]}
    assert (pets["Барсик"]["access_level"], pets["Rex"]["access_level"]) == ("owner", "viewer")
    barsik = pets["Барсик"]
    assert [r["title"] for r in barsik["records"]] == [
        "Nobivac Tricat Trio",
        "Rabies",
        "4.5 kg",
        "",  # the weight given on the profile: the trend's newest point, dated today
    ]
    assert barsik["records"][-1]["data"]["grams"] == 4500
    [check] = barsik["symptom_checks"]
    assert (check["urgency"], check["by_you"], check["result"]["reasons"]) == (
        "low",
        True,
        ["itch"],
    )
    assert check["photos"] == [
        {"position": 0, "content_type": "image/jpeg", "size_bytes": 1234, "findings": None}
    ]
    # Storage keys are internal: described, never listed.
    assert "users/tg-" not in files[0].data.decode("utf-8")
    assert document["appointments"] == document["payments"] == document["reminders"] == []

    card = _pdf_text(files[2].data)
    assert "Медицинская карта: Барсик" in card
    assert "Nobivac Rabies" in card
    assert "RB-2024-17" in card
    assert "10.05.2024" in card and "10.05.2025" in card  # Russian tables read dates by number
    assert "Вакцинации" in card
    # Oldest vaccination first.
    assert card.index("Nobivac Tricat Trio") < card.index("Nobivac Rabies")
    assert "Вес: 4,5 кг" in card
    assert "Прививок не записано." in _pdf_text(files[1].data)


@needs_font
async def test_the_card_speaks_the_users_language(chat: Chatting) -> None:
    await _onboard(chat, "en")
    await _seed(chat)
    chat.session.reset()

    await chat.send("/export")

    card = _pdf_text(_documents(chat)[2].data)
    assert "Medical card: Барсик" in card
    assert "Vaccinations" in card and "Next due" in card
    assert "10 May 2024" in card
    assert "Weight · 4.5 kg" in card


async def test_without_the_font_the_json_still_comes_and_the_cards_are_explained(
    settings: Settings, texts: FluentRuntimeCore, tmp_path: Path
) -> None:
    class NoFontProvider(Provider):
        @provide(scope=Scope.APP)
        def renderer(self) -> PetCardRenderer:
            return FpdfPetCardRenderer(font_dir=tmp_path / "no-fonts")

    async with open_chat(settings, NoFontProvider()) as chat:
        await _onboard(chat, "en")
        await _seed(chat)
        chat.session.reset()
        await chat.send("/export")

        assert [file.filename for file in _documents(chat)] == [EXPORT_FILE_NAME]
        assert chat.session.sent_texts() == [
            texts.get("err-export-cards-unavailable", "en"),
            texts.get("msg-export-ready", "en"),
        ]


def test_the_schema_is_itself_valid(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)


# --- issue #13: what a border check asks of the card, in the reader's words ------------------

MICROCHIP = "643094100123456"
CARD_FILES = {
    "ru": ["Rex-медкарта.pdf", "Барсик-медкарта.pdf"],
    "en": ["Rex-medical-card.pdf", "Барсик-medical-card.pdf"],
}
CARD_WORDS: dict[str, dict[str, str]] = {
    "ru": {
        "microchip": f"Микрочип: {MICROCHIP}",
        "owner": f"Владелец: User_{USER_ID}",
        "their_owner": "Владелец: Anna, Telegram @anna_owner",
        "overdue": "10.05.2025 — просрочено",
        "triage": "Проверка симптомов · можно наблюдать дома",
        "weight": "Вес · 5,1 кг",
        "no_microchip": "Микрочип: не указан",
        "age": "Возраст: примерно 3 года (со слов владельца)",
        "born": "Дата рождения",
    },
    "en": {
        "microchip": f"Microchip: {MICROCHIP}",
        "owner": f"Owner: User_{USER_ID}",
        "their_owner": "Owner: Anna, Telegram @anna_owner",
        "overdue": "10 May 2025 — overdue",
        "triage": "Symptom check · can be watched at home",
        "weight": "Weight · 5.1 kg",
        "no_microchip": "Microchip: not given",
        "age": "Age: about 3 years (estimated by the owner)",
        "born": "Date of birth",
    },
}


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 120, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


async def _seed_border_check(chat: Chatting) -> None:
    """On top of `_seed`: Барсик's microchip and photo, a weight entry as the form stores it
    (no title), a triage entry whose check was refined to low; Rex's owner Anna consented."""
    async with chat.container() as request:
        users = await request.get(UserRepository)
        me = await users.get_by_telegram_id(USER_ID)
        assert me is not None
        [barsik] = [
            item.pet
            for item in await (await request.get(ListMyPets))(USER_ID)
            if item.pet.name == "Барсик"
        ]
        # "3 years" as the owner typed it, some days ago: an estimate, not a birth date.
        born = BirthDate(date.today() - timedelta(days=3 * 365 + 12), approximate=True)
        await (await request.get(EditPet))(
            USER_ID, barsik.id, PetChanges(microchip=MICROCHIP, birth=born)
        )
        await (await request.get(StorePetPhoto))(USER_ID, barsik.id, _jpeg())
        records = await request.get(MedicalRecordRepository)
        await records.add(
            pet_id=barsik.id,
            kind=RecordKind.WEIGHT,
            title="",
            occurred_at=datetime(2024, 8, 1, 9, tzinfo=UTC),
            data={"grams": 5100},
        )
        [check] = await (await request.get(SymptomCheckRepository)).list_for_pet(barsik.id)
        await records.add(
            pet_id=barsik.id,
            kind=RecordKind.TRIAGE_RESULT,
            title="medium",  # the level it was added with; the check says low now
            occurred_at=datetime(2024, 7, 1, 9, tzinfo=UTC),
            data={"check_id": check.id},
        )
        anna = await users.get_by_telegram_id(OTHER_ID)
        assert anna is not None
        await users.update_profile(anna.id, first_name="Anna", username="anna_owner")
        await users.set_consent(anna.id, datetime(2024, 1, 1, tzinfo=UTC))
        await (await request.get(UnitOfWork)).commit()


@needs_font
@pytest.mark.parametrize("locale", ["ru", "en"])
async def test_the_card_has_what_a_border_check_asks_for_in_the_readers_words(
    chat: Chatting, locale: str
) -> None:
    await _onboard(chat, locale)
    await _seed(chat)
    await _seed_border_check(chat)
    chat.session.reset()

    await chat.send("/export")

    words = CARD_WORDS[locale]
    files = _documents(chat)
    # The file is named in the reader's language, after the pet.
    assert [file.filename for file in files[1:]] == CARD_FILES[locale]
    # Words only: the table wraps a cell's text onto lines of its own.
    rex, barsik = (" ".join(_pdf_text(file.data).split()) for file in files[1:])
    for expected in ("microchip", "owner", "overdue", "triage", "weight", "age"):
        assert words[expected] in barsik, (expected, barsik)
    assert "RB-2024-17" in barsik  # the batch column
    assert words["born"] not in barsik  # an estimated age never becomes an exact date
    exported = {pet["name"]: pet for pet in json.loads(files[0].data)["pets"]}["Барсик"]
    assert (exported["birth_date"], exported["birth_date_is_approximate"]) == (None, True)
    age = exported["approximate_age"]
    assert (age["years"], age["months"], age["weeks"]) == (3, 0, 0)
    # Raw values never reach the reader.
    assert "· medium" not in barsik and "· low" not in barsik
    # The vaccine given without a next date is not overdue.
    assert barsik.count(words["overdue"].split()[-1]) == 1
    [page] = PdfReader(io.BytesIO(files[2].data)).pages
    assert len(page.images) == 1  # the pet's photo
    # A shared pet's card names its owner, with the Telegram username to reach them.
    assert words["their_owner"] in rex
    assert words["no_microchip"] in rex
    assert not PdfReader(io.BytesIO(files[1].data)).pages[0].images
