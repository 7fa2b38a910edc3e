"""The medical card through aiogram-dialog's BotClient, on a real SQLite database and files.

Adding every kind of entry, validation in both languages, documents (the real validation,
sanitizer and storage under a faked download), paging, the filter, overdue vaccinations, the
weight trend, triage results, viewers, other people's pets, and unexpected input everywhere.
"""

from __future__ import annotations

import io
import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.methods import AnswerCallbackQuery, SendDocument, SendPhoto
from aiogram.types import (
    Document,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    PhotoSize,
    Sticker,
)
from aiogram_dialog import DialogManager, StartMode
from aiogram_dialog.test_tools.keyboard import InlineButtonTextLocator
from aiogram_i18n.cores import FluentRuntimeCore
from PIL import Image

from core.config import Settings
from core.entities import DEFAULT_TIME_ZONE, MedicalRecord, Pet
from core.enums import AccessLevel, Sex, Species
from core.interactors.onboarding import RegisterUser, TelegramProfile
from core.interactors.pets import AddPet, PetDraft
from core.interactors.records import (
    AddRecord,
    AllergyDraft,
    RecordDraft,
    VaccinationDraft,
    WeightDraft,
)
from core.interactors.symptom_check import SubmitCheck
from core.ports.repositories import MedicalRecordRepository, PetAccessRepository, UserRepository
from core.ports.storage import BlobStorage
from core.ports.uow import UnitOfWork
from core.time_zones import default_time_zone
from dialogs.states import RecordsSG
from tests.support.chatting import USER_ID, Chatting, load_texts, open_chat

OTHER_ID = 5151
LANGUAGE_BUTTON = {"ru": "🇷🇺 Русский", "en": "🇬🇧 English"}
CONTINUE = {"ru": "Продолжить ▶️", "en": "Continue ▶️"}
AGREE = {"ru": "✅ Согласен(на)", "en": "✅ I agree"}
STICKER = Sticker(
    file_id="s1",
    file_unique_id="su1",
    type="regular",
    width=512,
    height=512,
    is_animated=False,
    is_video=False,
)
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


def _crafted_start_router() -> Router:
    """What another feature (or a forged payload) does: open a card with a pet id."""
    router = Router(name="test-records-start")

    @router.message(Command("open_records"))
    async def open_records(
        message: Message, command: CommandObject, dialog_manager: DialogManager
    ) -> None:
        await dialog_manager.start(
            RecordsSG.LIST, data={"pet_id": int(command.args or 0)}, mode=StartMode.RESET_STACK
        )

    return router


class FakeDownloads:
    """The one edge BotClient cannot fake: `bot.download(file_id)` returns these bytes."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.requested: list[str] = []

    async def download(self, file: Any, *args: Any, **kwargs: Any) -> io.BytesIO:
        file_id = file if isinstance(file, str) else file.file_id
        self.requested.append(file_id)
        return io.BytesIO(self.files[file_id])


@pytest.fixture
async def chat(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Chatting]:
    async with open_chat(settings) as opened:
        router = _crafted_start_router()
        opened.dp.include_router(router)
        # Ahead of the dialogs, which would take the command for unexpected input.
        opened.dp.sub_routers.remove(router)
        opened.dp.sub_routers.insert(0, router)
        downloads = FakeDownloads()
        monkeypatch.setattr(opened.bot, "download", downloads.download)
        opened.downloads = downloads  # type: ignore[attr-defined]
        yield opened


# --- helpers ------------------------------------------------------------------------------------


async def _onboard(chat: Chatting, locale: str) -> None:
    await chat.send("/start")
    await chat.click(LANGUAGE_BUTTON[locale])
    await chat.click(CONTINUE[locale])
    await chat.click(AGREE[locale])


def _text(message: Message) -> str:
    return message.text or message.caption or ""


def _buttons(message: Message) -> list[str]:
    markup = message.reply_markup
    if not isinstance(markup, InlineKeyboardMarkup):
        return []
    return [button.text for row in markup.inline_keyboard for button in row]


async def _tap(chat: Chatting, text: str) -> None:
    """Click a button by its visible text, wherever marks (✅, ⚠️) put it."""
    window = chat.window()
    chat.messages.reset_history()
    await chat.client.click(window, InlineButtonTextLocator(f".*{re.escape(text)}.*"))


async def _craft_click(chat: Chatting, widget_data: str) -> None:
    """Press a button the window never showed: the window's intent, any widget data."""
    window = chat.window()
    markup = window.reply_markup
    assert isinstance(markup, InlineKeyboardMarkup)
    real = markup.inline_keyboard[0][0].callback_data
    assert real is not None
    intent, separator, _ = real.partition("\x1d")
    assert separator, f"unexpected callback data layout: {real!r}"
    button = InlineKeyboardButton(text="crafted", callback_data=f"{intent}\x1d{widget_data}")
    crafted = window.model_copy(
        update={"reply_markup": InlineKeyboardMarkup(inline_keyboard=[[button]])}
    )
    chat.messages.reset_history()
    chat.session.reset()
    await chat.client.click(crafted, InlineButtonTextLocator("crafted"))


def _alerts(chat: Chatting) -> list[str]:
    return [a.text for a in chat.session.calls_of(AnswerCallbackQuery) if a.text]


async def _register(chat: Chatting, telegram_id: int) -> None:
    async with chat.container() as request:
        register = await request.get(RegisterUser)
        await register(TelegramProfile(telegram_id, f"User_{telegram_id}", None, "ru"))


async def _seed_pet(chat: Chatting, telegram_id: int = USER_ID, **draft: Any) -> Pet:
    values: dict[str, Any] = {"name": "Барсик", "species": Species.CAT, **draft}
    async with chat.container() as request:
        pet: Pet = await (await request.get(AddPet))(telegram_id, PetDraft(**values))
        return pet


async def _seed_record(
    chat: Chatting, pet: Pet, draft: RecordDraft, telegram_id: int = USER_ID
) -> MedicalRecord:
    async with chat.container() as request:
        record: MedicalRecord = await (await request.get(AddRecord))(telegram_id, pet.id, draft)
        return record


async def _records(chat: Chatting, pet: Pet) -> list[MedicalRecord]:
    async with chat.container() as request:
        repository = await request.get(MedicalRecordRepository)
        records: list[MedicalRecord] = await repository.list_for_pet(pet.id, limit=100)
        return records


async def _grant(chat: Chatting, pet_id: int, telegram_id: int, level: AccessLevel) -> None:
    async with chat.container() as request:
        user = await (await request.get(UserRepository)).get_by_telegram_id(telegram_id)
        assert user is not None
        access = await request.get(PetAccessRepository)
        await access.grant(
            pet_id=pet_id, user_id=user.id, level=level, granted_at=datetime.now(UTC)
        )
        await (await request.get(UnitOfWork)).commit()


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (55.0, 45.0, 0.0)}  # GPSInfo: latitude
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


# The owner's today, as the card computes it (their time zone, Moscow by default): the
# machine's date differs from it for three hours every evening (UTC), and "overdue by N days"
# would then be off by one.
TODAY = datetime.now(ZoneInfo(DEFAULT_TIME_ZONE)).date()


def _today_of(locale: str) -> date:
    """Today for a user of this language who has not chosen a zone: the card counts days in
    their language's likely zone (London for English), which from 21:00 UTC is a day behind
    Moscow's TODAY (this test once failed then: "overdue by 9 days")."""
    return datetime.now(ZoneInfo(default_time_zone(locale))).date()


# --- adding each kind ---------------------------------------------------------------------------

# Each kind in Russian: the button, then what is typed or pressed, then what the entry shows.
ADD_FLOWS: dict[str, tuple[str, list[str], list[str]]] = {
    "vaccination": (
        "💉 Прививка",
        ["Нобивак Rabies", "05.03.2026", "!Через год", "a123 b01"],
        [
            "💉 Прививка",
            "<b>Нобивак Rabies</b>",
            "Сделана: 5 марта 2026",
            "🗓 Следующая: 5 марта 2027",
            "🏷 Серия: A123B01",
        ],
    ),
    "parasite": (
        "🪲 Обработка от паразитов",
        ["Бравекто", "!📅 Сегодня", "через 12 недель"],
        ["<b>Бравекто</b>", "Проведена:", "🗓 Следующая:"],
    ),
    "medication": (
        "💊 Лекарство",
        ["Синулокс", "50 мг", "2 раза в день с едой", "01.06.2025", "10 дней", "8:00 и 20.00"],
        [
            "<b>Синулокс</b>",
            "Доза: 50 мг",
            "Как часто: 2 раза в день с едой",
            "Начало курса: 1 июня 2025",
            "До: 11 июня 2025",
            "⏰ Напоминать в: 08:00, 20:00",
        ],
    ),
    "procedure": (
        "🩹 Процедура или операция",
        ["Чистка зубов", "12.11.2024", "Под седацией, клиника «Лапа»"],
        ["<b>Чистка зубов</b>", "Проведена: 12 ноября 2024", "📝 Под седацией, клиника «Лапа»"],
    ),
    "allergy": (
        "🤧 Аллергия",
        ["Курица", "вчера", "!Пропустить ⏭"],
        ["🤧 Аллергия", "<b>Курица</b>", "Замечена:"],
    ),
    "chronic": (
        "🫀 Хроническое заболевание",
        ["ХБП", "01.09.2023", "Диета Renal"],
        ["<b>ХБП</b>", "Диагноз поставлен: 1 сентября 2023", "📝 Диета Renal"],
    ),
    "weight": (
        "⚖️ Вес",
        ["4,2 кг", "сегодня"],
        ["⚖️ Вес", "<b>4,2 кг</b>", "Взвешивание:"],
    ),
}


@pytest.mark.parametrize("flow", list(ADD_FLOWS))
async def test_adding_each_kind_of_entry_in_russian(chat: Chatting, flow: str) -> None:
    await _onboard(chat, "ru")
    pet = await _seed_pet(chat)
    await chat.send("/records")  # one pet: straight to its card
    assert "Барсик: медкарта" in _text(chat.window())
    await _tap(chat, "➕ Добавить запись")
    kind_button, inputs, shown = ADD_FLOWS[flow]
    await _tap(chat, kind_button)
    assert "шаг 1 из" in _text(chat.window())
    chat.session.reset()
    for value in inputs:
        if value.startswith("!"):
            await _tap(chat, value[1:])
        else:
            await chat.send(value)
    assert "✅ Добавлено в медкарту." in chat.session.sent_texts()
    view = _text(chat.window())
    for line in shown:
        assert line in view, (line, view)
    [record] = await _records(chat, pet)
    assert record.author_user_id is not None
    await _tap(chat, "◀️ Назад")
    assert len(_buttons(chat.window())) >= 1
    assert "Барсик: медкарта" in _text(chat.window())


async def test_a_weight_entry_updates_the_pets_weight(chat: Chatting) -> None:
    await _onboard(chat, "en")
    pet = await _seed_pet(chat, name="Rex", species=Species.DOG, weight_grams=12_000)
    await chat.send("/records")
    await _tap(chat, "➕ Add an entry")
    await _tap(chat, "⚖️ Weight")
    await chat.send("12.6")
    await _tap(chat, "📅 Today")
    assert "<b>12.6 kg</b>" in _text(chat.window())
    async with chat.container() as request:
        from core.interactors.pets import GetPetCard

        seen = await (await request.get(GetPetCard))(USER_ID, pet.id)
    assert seen.pet.weight_grams == 12_600


async def test_back_walks_the_steps_and_cancel_saves_nothing(chat: Chatting) -> None:
    await _onboard(chat, "en")
    pet = await _seed_pet(chat, name="Rex", species=Species.DOG)
    await chat.send("/records")
    await _tap(chat, "➕ Add an entry")
    await _tap(chat, "💊 Medication")
    await chat.send("Synulox")
    await chat.send("50 mg")
    assert "step 3 of 6" in _text(chat.window())
    await _tap(chat, "◀️ Back")
    assert "step 2 of 6" in _text(chat.window())
    await _tap(chat, "◀️ Back")
    await _tap(chat, "◀️ Back")
    assert "What would you like to add?" in _text(chat.window())
    await _tap(chat, "💉 Vaccination")
    await _tap(chat, "✖️ Cancel")
    assert "Rex: medical card" in _text(chat.window())
    assert await _records(chat, pet) == []


@pytest.mark.parametrize(
    ("species", "example", "not_example"),
    [
        (Species.CAT, "Purevax RCPCh", "DHPPi"),
        (Species.DOG, "Nobivac DHPPi", "Purevax"),
        (Species.BIRD, "as on the sticker in the passport.", "Nobivac"),
    ],
)
async def test_the_vaccine_example_is_of_the_pets_own_kind(
    chat: Chatting, species: Species, example: str, not_example: str
) -> None:
    await _onboard(chat, "en")
    await _seed_pet(chat, name="Tom", species=species)
    await chat.send("/records")
    await _tap(chat, "➕ Add an entry")
    await _tap(chat, "💉 Vaccination")
    question = _text(chat.window())
    assert example in question
    assert not_example not in question


# --- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["ru", "en"])
async def test_nonsense_dose_times_get_a_hint_and_a_quick_button_saves_the_times(
    chat: Chatting, texts: FluentRuntimeCore, locale: str
) -> None:
    await _onboard(chat, locale)
    pet = await _seed_pet(chat)
    await chat.send("/records")
    await _tap(chat, texts.get("btn-record-add", locale))
    await _tap(chat, texts.get("lbl-record-kind-medication", locale))
    for value in ("Synulox", "50 mg", "twice a day"):
        await chat.send(value)
    await _tap(chat, texts.get("btn-record-today", locale))
    await _tap(chat, texts.get("btn-record-skip", locale))  # ongoing
    question = _text(chat.window())
    assert texts.get("msg-record-ask-dose-times", locale) in question
    for typed, key, args in (
        ("twice a day", "err-record-times-unreadable", {}),
        ("25:00", "err-record-times-unreadable", {}),
        ("9:75 21:00", "err-record-times-unreadable", {}),
        ("1 3 5 7 9 11 13", "err-record-times-too-many", {"max": 6}),
    ):
        chat.session.reset()
        await chat.send(typed)
        assert chat.session.sent_texts() == [texts.get(key, locale, **args)], typed
        assert _text(chat.window()) == question, typed
    assert await _records(chat, pet) == []
    await _tap(chat, texts.get("btn-record-times-twice", locale))
    [record] = await _records(chat, pet)
    assert record.data["dose_times"] == ["09:00", "21:00"]
    assert record.data["schedule"] == "twice a day"  # the free text stays as typed


async def test_skipping_the_dose_times_saves_a_course_without_reminders(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat, "en")
    pet = await _seed_pet(chat)
    await chat.send("/records")
    await _tap(chat, texts.get("btn-record-add", "en"))
    await _tap(chat, texts.get("lbl-record-kind-medication", "en"))
    for value in ("Synulox", "50 mg", "daily", "today", "5 days"):
        await chat.send(value)
    await _tap(chat, texts.get("btn-record-times-skip", "en"))
    [record] = await _records(chat, pet)
    assert "dose_times" not in record.data
    assert "Reminders at" not in _text(chat.window())


@pytest.mark.parametrize("locale", ["ru", "en"])
async def test_typos_get_a_localized_reason_and_keep_the_step(
    chat: Chatting, texts: FluentRuntimeCore, locale: str
) -> None:
    await _onboard(chat, locale)
    pet = await _seed_pet(chat, name="Кеша", species=Species.BIRD)
    await chat.send("/records")

    async def refused(typed: str, key: str, **args: Any) -> None:
        before = _text(chat.window())
        chat.session.reset()
        await chat.send(typed)
        assert chat.session.sent_texts() == [texts.get(key, locale, **args)], typed
        assert _text(chat.window()) == before

    await _tap(chat, texts.get("btn-record-add", locale))
    await _tap(chat, texts.get("lbl-record-kind-vaccination", locale))
    await refused("N" * 121, "err-record-text-too-long", max=120)
    await refused("   ", "err-record-text-empty")
    await chat.send("Nobivac")
    await refused("весной", "err-record-date-unreadable")
    await refused("31.02.2025", "err-record-date-bad")
    await refused((TODAY + timedelta(days=2)).strftime("%d.%m.%Y"), "err-record-date-in-future")
    await refused("01.01.1970", "err-record-date-too-old", years=40)
    await chat.send("01.02.2025")
    await refused("скоро", "err-record-due-unreadable")
    await refused("01.01.2025", "err-record-due-not-after")
    await refused("через 10 лет", "err-record-due-too-far", years=5)
    await chat.send("через 1 год")
    await refused("не помню 🤷", "err-record-batch-bad", max=32)
    await refused("A" * 33, "err-record-text-too-long", max=32)
    await _tap(chat, texts.get("btn-record-skip", locale))  # the batch is optional
    [record] = await _records(chat, pet)
    assert record.next_due_at is not None and record.next_due_at.date() == date(2026, 2, 1)
    assert "batch" not in record.data

    # A course that ends before it starts; a weight out of the species' range (the pets message).
    await _tap(chat, texts.get("btn-back", locale))
    await _tap(chat, texts.get("btn-record-add", locale))
    await _tap(chat, texts.get("lbl-record-kind-medication", locale))
    for value in ("Baytril", "0.1 ml", "daily", "10.06.2025"):
        await chat.send(value)
    await refused("01.06.2025", "err-record-end-before-start")
    await refused("for a while", "err-record-end-unreadable")
    await _tap(chat, texts.get("btn-record-form-cancel", locale))
    await _tap(chat, texts.get("btn-record-add", locale))
    await _tap(chat, texts.get("lbl-record-kind-weight", locale))
    too_high = {
        "min": texts.get("lbl-pet-weight-grams", locale, grams=2),
        "max": texts.get("lbl-pet-weight-kg", locale, kg=20),
    }
    await refused("35", "err-pet-weight-too-high", **too_high)
    await chat.send("35 g")
    assert texts.get("msg-record-ask-date", locale, kind="weight", name="Кеша") in _text(
        chat.window()
    )
    assert len(await _records(chat, pet)) == 1  # the weight waits for its date


# --- documents ----------------------------------------------------------------------------------


async def test_a_pdf_is_stored_and_sent_back_from_the_entry(chat: Chatting) -> None:
    await _onboard(chat, "en")
    pet = await _seed_pet(chat, name="Rex", species=Species.DOG)
    chat.downloads.files["pdf-1"] = PDF_BYTES  # type: ignore[attr-defined]
    await chat.send("/records")
    await _tap(chat, "➕ Add an entry")
    await _tap(chat, "📄 Document")
    await chat.send_content(
        document=Document(
            file_id="pdf-1", file_unique_id="u1", file_name="blood.pdf", file_size=len(PDF_BYTES)
        )
    )
    assert "What is this document?" in _text(chat.window())
    await chat.send("Blood test")
    await chat.send("10.06.2025")
    view = _text(chat.window())
    assert "<b>Blood test</b>" in view and "📎 PDF document" in view

    [record] = await _records(chat, pet)
    assert record.attachment_content_type == "application/pdf"
    assert record.attachment_key is not None
    assert re.fullmatch(rf"pets/{pet.id}/records/[0-9a-f]{{32}}\.pdf", record.attachment_key)
    async with chat.container() as request:
        stored = await (await request.get(BlobStorage)).get(record.attachment_key)
    assert stored == PDF_BYTES  # PDFs as they are

    # Opening the entry from the list sends the file first, the window under it.
    await _tap(chat, "◀️ Back")
    chat.session.reset()
    await _tap(chat, "Blood test")
    [sent] = chat.session.calls_of(SendDocument)
    assert sent.document.data == PDF_BYTES
    # Named after the entry, not after an internal id.
    assert sent.document.filename == "Blood-test.pdf"
    chat.session.reset()
    await _tap(chat, "📎 Send the file")
    assert len(chat.session.calls_of(SendDocument)) == 1


async def test_a_photo_of_papers_is_re_encoded_without_exif(chat: Chatting) -> None:
    await _onboard(chat, "en")
    pet = await _seed_pet(chat, name="Rex", species=Species.DOG)
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif()  # the GPS is there to begin with
    chat.downloads.files["big"] = original  # type: ignore[attr-defined]
    await chat.send("/records")
    await _tap(chat, "➕ Add an entry")
    await _tap(chat, "📄 Document")
    await chat.send_content(
        photo=[
            PhotoSize(file_id="small", file_unique_id="s", width=90, height=67),
            PhotoSize(file_id="big", file_unique_id="b", width=1280, height=960),
        ]
    )
    assert chat.downloads.requested == ["big"]  # type: ignore[attr-defined]
    await chat.send("Discharge summary")
    await _tap(chat, "📅 Today")
    assert "📎 Photo of the document" in _text(chat.window())

    [record] = await _records(chat, pet)
    assert record.attachment_key is not None and record.attachment_key.endswith(".jpg")
    async with chat.container() as request:
        stored = await (await request.get(BlobStorage)).get(record.attachment_key)
    assert stored != original
    assert not Image.open(io.BytesIO(stored)).getexif()
    chat.session.reset()
    await _tap(chat, "📎 Send the file")
    [sent] = chat.session.calls_of(SendPhoto)
    assert sent.photo.data == stored


async def test_a_refused_file_is_explained_and_the_step_stays(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat, "ru")
    pet = await _seed_pet(chat)
    chat.downloads.files["zip"] = b"PK\x03\x04 not a document"  # type: ignore[attr-defined]
    await chat.send("/records")
    await _tap(chat, "➕ Добавить запись")
    await _tap(chat, "📄 Документ")
    step = _text(chat.window())

    chat.session.reset()
    await chat.send_content(
        document=Document(file_id="zip", file_unique_id="z", file_name="a.pdf")
    )
    [refusal] = chat.session.sent_texts()
    assert refusal == texts.get("err-upload-unsupported-type", "ru")
    assert _text(chat.window()) == step

    chat.session.reset()
    huge = Document(file_id="huge", file_unique_id="h", file_name="x.pdf", file_size=25 * 2**20)
    await chat.send_content(document=huge)
    assert chat.session.sent_texts() == [texts.get("err-upload-too-large", "ru", max_mb=20)]
    assert "huge" not in chat.downloads.requested  # type: ignore[attr-defined]
    assert _text(chat.window()) == step
    assert await _records(chat, pet) == []


# --- the card: paging, filter, overdue, weight trend, triage ------------------------------------


async def test_the_card_pages_through_entries_newest_first(chat: Chatting) -> None:
    await _onboard(chat, "en")
    pet = await _seed_pet(chat, name="Rex", species=Species.DOG)
    for day in range(1, 15):
        await _seed_record(chat, pet, AllergyDraft(f"Allergen {day:02}", date(2025, 3, day)))
    await chat.send("/records")
    first = chat.window()
    assert "Page 1 of 3" in _text(first)
    labels = [b for b in _buttons(first) if "Allergen" in b]
    assert [label[-2:] for label in labels] == ["14", "13", "12", "11", "10", "09"]
    assert "◀️ Newer" not in _buttons(first)
    await _tap(chat, "Older ▶️")
    assert "Page 2 of 3" in _text(chat.window())
    await _tap(chat, "Older ▶️")
    last = chat.window()
    assert "Page 3 of 3" in _text(last)
    assert [b[-2:] for b in _buttons(last) if "Allergen" in b] == ["02", "01"]
    assert "Older ▶️" not in _buttons(last)
    await _tap(chat, "◀️ Newer")
    assert "Page 2 of 3" in _text(chat.window())


async def test_the_filter_shows_only_the_chosen_types(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat, "en")
    pet = await _seed_pet(chat, name="Rex", species=Species.DOG)
    await _seed_record(chat, pet, VaccinationDraft("Nobivac DHPPi", date(2025, 2, 1)))
    await _seed_record(chat, pet, WeightDraft(12_000, date(2025, 2, 2)))
    await _seed_record(chat, pet, AllergyDraft("Chicken", date(2025, 2, 3)))
    await chat.send("/records")
    assert len([b for b in _buttons(chat.window()) if "·" in b]) == 3

    await _tap(chat, "🔎 Filter by type")
    await _tap(chat, "💉 Vaccination")
    assert "✅ 💉 Vaccination" in _buttons(chat.window())
    await _tap(chat, "🤧 Allergy")
    await _tap(chat, "✅ Show")
    card = chat.window()
    entries = [b for b in _buttons(card) if "·" in b]
    assert len(entries) == 2 and not any("12 kg" in b for b in entries)
    assert "🔎 Showing: 💉 Vaccination, 🤧 Allergy" in _text(card)

    await _tap(chat, "🔎 Filter by type")
    await _tap(chat, "✅ 💉 Vaccination")
    await _tap(chat, "✅ 🤧 Allergy")
    await _tap(chat, "⚖️ Weight")
    await _tap(chat, "✅ Show")
    assert [b for b in _buttons(chat.window()) if "·" in b] == [
        b for b in _buttons(chat.window()) if "12 kg" in b
    ]
    await _tap(chat, "🔎 Filter by type")
    await _tap(chat, "🩺 Symptom check")
    await _tap(chat, "🔄 Show everything")
    assert len([b for b in _buttons(chat.window()) if "·" in b]) == 3
    assert "Showing" not in _text(chat.window())

    # Only weights, and there are none of another type: the empty text for a filter.
    await _tap(chat, "🔎 Filter by type")
    await _tap(chat, "📄 Document")
    await _tap(chat, "✅ Show")
    assert texts.get("msg-record-card-empty-filtered", "en") in _text(chat.window())


async def test_an_overdue_vaccination_is_marked_and_a_later_dose_clears_it(
    chat: Chatting,
) -> None:
    await _onboard(chat, "en")
    pet = await _seed_pet(chat, name="Rex", species=Species.DOG)
    today = _today_of("en")
    overdue_since = today - timedelta(days=10)
    await _seed_record(
        chat,
        pet,
        VaccinationDraft("Nobivac Rabies", overdue_since - timedelta(days=365), overdue_since),
    )
    await _seed_record(
        chat,
        pet,
        VaccinationDraft("Nobivac DHPPi", today - timedelta(days=30), today + timedelta(days=300)),
    )
    await chat.send("/records")
    card = chat.window()
    assert "<b>Next doses</b>" in _text(card)
    assert "⚠️ Nobivac Rabies — overdue since" in _text(card)
    assert "🗓 Nobivac DHPPi —" in _text(card)
    [rabies] = [b for b in _buttons(card) if "Rabies" in b]
    [dhppi] = [b for b in _buttons(card) if "DHPPi" in b]
    assert rabies.endswith("⚠️") and not dhppi.endswith("⚠️")
    await _tap(chat, "Nobivac Rabies")
    assert "overdue by 10 days" in _text(chat.window())
    await _tap(chat, "◀️ Back")

    # The owner gives the dose and enters it: the old entry is no longer overdue.
    await _tap(chat, "➕ Add an entry")
    await _tap(chat, "💉 Vaccination")
    await chat.send("nobivac rabies")
    await _tap(chat, "📅 Today")
    await _tap(chat, "In 1 year")
    await _tap(chat, "◀️ Back")
    card = chat.window()
    assert "overdue" not in _text(card)
    assert not any(b.endswith("⚠️") for b in _buttons(card))


async def test_the_weight_trend_shows_each_change(chat: Chatting) -> None:
    await _onboard(chat, "en")
    pet = await _seed_pet(chat, name="Rex", species=Species.DOG)
    await chat.send("/records")
    assert "📈 Weight trend" not in _buttons(chat.window())
    for day, grams in ((1, 12_000), (2, 12_400), (3, 12_400), (4, 11_900)):
        await _seed_record(chat, pet, WeightDraft(grams, date(2025, 4, day)))
    await chat.send("/records")
    await _tap(chat, "📈 Weight trend")
    trend = _text(chat.window())
    assert "<b>Rex: weight</b>" in trend
    assert "1 Apr 2025 — 12 kg\n" in trend
    assert "2 Apr 2025 — 12.4 kg ↑ +400 g" in trend
    assert "3 Apr 2025 — 12.4 kg →" in trend
    assert "4 Apr 2025 — 11.9 kg ↓ −500 g" in trend
    assert "Lost 100 g over this period." in trend
    await _tap(chat, "◀️ Back")
    assert "Rex: medical card" in _text(chat.window())


async def test_a_symptom_check_is_on_the_card_with_its_urgency_and_opens_the_result(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat, "en")
    pet = await _seed_pet(chat, name="Tom", species=Species.CAT, sex=Sex.MALE)
    async with chat.container() as request:
        submit = await request.get(SubmitCheck)
        await submit(
            telegram_id=USER_ID,
            pet_id=pet.id,
            signs=["urination_straining"],
            details={"producing_urine": False},
        )
    await chat.send("/records")
    [entry] = [b for b in _buttons(chat.window()) if "·" in b]
    assert entry.startswith("🩺 ") and entry.endswith("🔴 Urgent: see a vet now")
    await _tap(chat, "🔴 Urgent")
    view = chat.window()
    assert "🩺 Symptom check" in _text(view)
    assert "🗑 Delete the entry" not in _buttons(view)  # the service's own entry stays
    await _tap(chat, "🩺 Open the result")
    # A past result says when it was, and Back returns to the entry in the card.
    assert _text(chat.window()).startswith("🗓 Check of")
    assert "\n\n🔴" in _text(chat.window())
    assert texts.get("btn-result-pet-card", "en") in _buttons(chat.window())
    assert texts.get("btn-main-menu", "en") not in _buttons(chat.window())
    await _tap(chat, texts.get("btn-back", "en"))
    assert "🩺 Symptom check" in _text(chat.window())


async def test_deleting_an_entry_after_confirmation(chat: Chatting) -> None:
    await _onboard(chat, "en")
    pet = await _seed_pet(chat, name="Rex", species=Species.DOG)
    await _seed_record(chat, pet, AllergyDraft("Chicken", date(2025, 2, 3)))
    await chat.send("/records")
    await _tap(chat, "Chicken")
    await _tap(chat, "🗑 Delete the entry")
    assert "Delete this entry for good?" in _text(chat.window())
    await _tap(chat, "◀️ Back")
    await _tap(chat, "🗑 Delete the entry")
    chat.session.reset()
    await _tap(chat, "🗑 Yes, delete")
    assert chat.session.sent_texts() == ["The entry has been deleted."]
    assert "No entries yet" in _text(chat.window())
    assert await _records(chat, pet) == []


# --- where the card opens -----------------------------------------------------------------------


async def test_records_before_consent_leads_to_onboarding(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await chat.send("/records")
    assert _text(chat.window()) == texts.get("msg-choose-language", "ru")


async def test_the_menu_opens_a_pet_picker_and_the_pet_card_opens_its_medical_card(
    chat: Chatting,
) -> None:
    await _onboard(chat, "en")
    await _seed_pet(chat, name="Rex", species=Species.DOG)
    await _seed_pet(chat, name="Tom", species=Species.CAT)
    await _tap(chat, "📋 Records")
    assert "Whose card shall we open?" in _text(chat.window())
    await _tap(chat, "🐱 Tom")
    assert "Tom: medical card" in _text(chat.window())
    await _tap(chat, "◀️ Back")  # to the picker
    await _tap(chat, "◀️ Back")  # to the main menu
    assert "how can we help?" in _text(chat.window())

    await chat.send("/pets")
    await _tap(chat, "🐶 Rex")
    await _tap(chat, "📋 Medical card")
    assert "Rex: medical card" in _text(chat.window())
    await _tap(chat, "◀️ Back")
    assert "🐾 <b>Rex</b>" in _text(chat.window())


async def test_without_pets_the_card_sends_the_owner_to_add_one(chat: Chatting) -> None:
    await _onboard(chat, "en")
    await chat.send("/records")
    assert "Add your pet first" in _text(chat.window())
    assert _buttons(chat.window()) == ["🐾 My pets", "🏠 Main menu"]
    await _tap(chat, "🐾 My pets")
    assert "My pets" in _text(chat.window())


# --- access -------------------------------------------------------------------------------------


async def test_a_viewer_reads_but_cannot_add_or_delete(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat, "en")
    await _register(chat, OTHER_ID)
    shared = await _seed_pet(chat, OTHER_ID, name="Shared", species=Species.DOG)
    record = await _seed_record(chat, shared, AllergyDraft("Chicken", date(2025, 1, 1)), OTHER_ID)
    await _grant(chat, shared.id, USER_ID, AccessLevel.VIEWER)

    await chat.send("/records")
    card = chat.window()
    assert "Shared: medical card" in _text(card)
    assert "➕ Add an entry" not in _buttons(card)
    await _craft_click(chat, "records_add")
    assert _alerts(chat) == [texts.get("err-record-not-allowed", "en")]

    await chat.send("/records")
    await _tap(chat, "Chicken")
    assert "🗑 Delete the entry" not in _buttons(chat.window())
    await _craft_click(chat, "record_delete")
    await _craft_click(chat, "record_delete_confirm")
    assert _alerts(chat) == [texts.get("err-record-not-allowed", "en")]
    assert [r.id for r in await _records(chat, shared)] == [record.id]


async def test_someone_elses_pet_or_entry_is_not_found_whatever_the_ids(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat, "en")
    await _register(chat, OTHER_ID)
    theirs = await _seed_pet(chat, OTHER_ID, name="Secret", species=Species.DOG)
    secret = await _seed_record(
        chat, theirs, AllergyDraft("Secret allergy", date(2025, 1, 1)), OTHER_ID
    )
    mine = await _seed_pet(chat, name="Mine", species=Species.DOG)
    await _seed_pet(chat, name="Mine too", species=Species.CAT)
    await _seed_record(chat, mine, AllergyDraft("Dust", date(2025, 1, 1)))

    # Start data naming their pet.
    await chat.send(f"/open_records {theirs.id}")
    window = chat.window()
    assert _text(window) == texts.get("err-pet-not-found", "en")
    assert "Secret" not in _text(window)
    assert _buttons(window) == ["🏠 Main menu"]

    # The picker's callback with their pet id (and garbage).
    await chat.send("/records")
    for forged in (str(theirs.id), "999999", "x"):
        await _craft_click(chat, f"records_pets:{forged}")
        assert _alerts(chat) == [texts.get("err-pet-not-found", "en")]
        assert "Secret" not in _text(chat.window())

    # The card's entry list with their entry's id.
    await _tap(chat, "🐶 Mine")
    for forged in (str(secret.id), "999999", "x"):
        await _craft_click(chat, f"records:{forged}")
        assert _alerts(chat) == [texts.get("err-record-not-found", "en")]
        assert "Secret" not in _text(chat.window())
    assert [r.id for r in await _records(chat, theirs)] == [secret.id]


# --- unexpected input ---------------------------------------------------------------------------

TEXT_STEPS = {
    *("title", "dose", "schedule", "weight_step", "date", "course_end", "next_due", "note"),
    "dose_times",
}
PATHS: dict[str, list[str]] = {
    "pet": [],
    "list": ["🐶 Rex"],
    "filter": ["🐶 Rex", "🔎 Filter by type"],
    "record": ["🐶 Rex", "Chicken"],
    "delete": ["🐶 Rex", "Chicken", "🗑 Delete the entry"],
    "weight": ["🐶 Rex", "📈 Weight trend"],
    "kind": ["🐶 Rex", "➕ Add an entry"],
    "file": ["🐶 Rex", "➕ Add an entry", "📄 Document"],
    "title": ["🐶 Rex", "➕ Add an entry", "💊 Medication"],
    "dose": ["🐶 Rex", "➕ Add an entry", "💊 Medication", "=Synulox"],
    "schedule": ["🐶 Rex", "➕ Add an entry", "💊 Medication", "=Synulox", "=50 mg"],
    "date": ["🐶 Rex", "➕ Add an entry", "💊 Medication", "=Synulox", "=50 mg", "=daily"],
    "course_end": [
        *("🐶 Rex", "➕ Add an entry", "💊 Medication", "=Synulox", "=50 mg", "=daily"),
        "📅 Today",
    ],
    "dose_times": [
        *("🐶 Rex", "➕ Add an entry", "💊 Medication", "=Synulox", "=50 mg", "=daily"),
        *("📅 Today", "Skip ⏭"),
    ],
    "next_due": ["🐶 Rex", "➕ Add an entry", "💉 Vaccination", "=Nobivac", "📅 Today"],
    "note": ["🐶 Rex", "➕ Add an entry", "🤧 Allergy", "=Dust", "📅 Today"],
    "weight_step": ["🐶 Rex", "➕ Add an entry", "⚖️ Weight"],
}


@pytest.mark.parametrize("state", list(PATHS))
async def test_unexpected_input_in_every_window_gets_a_hint_and_the_window_again(
    chat: Chatting, texts: FluentRuntimeCore, state: str
) -> None:
    await _onboard(chat, "en")
    rex = await _seed_pet(chat, name="Rex", species=Species.DOG)
    await _seed_pet(chat, name="Tom", species=Species.CAT)
    await _seed_record(chat, rex, AllergyDraft("Chicken", date(2025, 1, 1)))
    await _seed_record(chat, rex, WeightDraft(12_000, date(2025, 1, 2)))
    await chat.send("/records")
    for step in PATHS[state]:
        if step.startswith("="):
            await chat.send(step[1:])
        else:
            await _tap(chat, step)
    window_text = _text(chat.window())
    if state in TEXT_STEPS:
        contents: list[dict[str, Any]] = [
            {"sticker": STICKER},
            {"photo": [PhotoSize(file_id="p", file_unique_id="p", width=9, height=9)]},
        ]
        hint = "err-record-text-expected"
    elif state == "file":
        contents, hint = [{"sticker": STICKER}, {"text": "here it is"}], "err-record-file-expected"
    else:
        contents, hint = [{"sticker": STICKER}, {"text": "hello?"}], "err-use-buttons"
    for content in contents:
        chat.session.reset()
        await chat.send_content(**content)
        assert chat.session.sent_texts() == [texts.get(hint, "en")], content
        assert _text(chat.window()) == window_text, content
