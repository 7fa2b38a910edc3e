"""My pets through aiogram-dialog's BotClient, on a real SQLite database.

Adding a pet step by step, validation in both languages, "back" at every step, the photo step,
list → card → edit → archive → delete, unexpected input in every window, and access: a pet of
someone else is "not found" whatever id a button or a start payload carries.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.methods import AnswerCallbackQuery
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

from core.config import Settings
from core.entities import AccessiblePet, Pet
from core.enums import AccessLevel, Sex, Species
from core.interactors.onboarding import RegisterUser, TelegramProfile
from core.interactors.pets import AddPet, ListMyPets, PetDraft
from core.interactors.records import WeightHistory
from core.markup import plain_text
from core.pet_input import BirthDate
from core.ports.repositories import PetAccessRepository, UserRepository
from core.ports.uow import UnitOfWork
from dialogs.states import PetAddSG, PetsSG
from tests.support.chatting import USER_ID, Chatting, load_texts, open_chat

OTHER_ID = 5151

LANGUAGE_BUTTON = {"ru": "🇷🇺 Русский", "en": "🇬🇧 English"}
CONTINUE = {"ru": "Продолжить ▶️", "en": "Continue ▶️"}
AGREE = {"ru": "✅ Согласен(на)", "en": "✅ I agree"}

PHOTO_SIZES = [
    PhotoSize(file_id="small", file_unique_id="u-small", width=90, height=67),
    PhotoSize(file_id="big", file_unique_id="u-big", width=1280, height=960),
    PhotoSize(file_id="medium", file_unique_id="u-medium", width=320, height=240),
]
UNEXPECTED: dict[str, dict[str, Any]] = {
    "text": {"text": "hello?"},
    "photo": {"photo": [PhotoSize(file_id="p1", file_unique_id="u1", width=90, height=90)]},
    "sticker": {
        "sticker": Sticker(
            file_id="s1",
            file_unique_id="su1",
            type="regular",
            width=512,
            height=512,
            is_animated=False,
            is_video=False,
        )
    },
    "document": {"document": Document(file_id="d1", file_unique_id="du1", file_name="x.jpg")},
}


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


def _start_with_payload_router() -> Router:
    """What another feature does: open a pets window with a pet id in the start data."""
    router = Router(name="test-start-payload")

    @router.message(Command("open_card"))
    async def open_card(
        message: Message, command: CommandObject, dialog_manager: DialogManager
    ) -> None:
        await dialog_manager.start(
            PetsSG.CARD, data={"pet_id": int(command.args or 0)}, mode=StartMode.RESET_STACK
        )

    @router.message(Command("edit_name"))
    async def edit_name(
        message: Message, command: CommandObject, dialog_manager: DialogManager
    ) -> None:
        await dialog_manager.start(PetAddSG.NAME, data={"pet_id": int(command.args or 0)})

    return router


@pytest.fixture
async def chat(settings: Settings) -> AsyncIterator[Chatting]:
    async with open_chat(settings) as opened:
        # Ahead of the dialogs, which would take the command for unexpected input.
        router = _start_with_payload_router()
        opened.dp.include_router(router)
        opened.dp.sub_routers.remove(router)
        opened.dp.sub_routers.insert(0, router)
        yield opened


async def _onboard(chat: Chatting, locale: str) -> None:
    await chat.send("/start")
    await chat.click(LANGUAGE_BUTTON[locale])
    await chat.click(CONTINUE[locale])
    await chat.click(AGREE[locale])


def _text(message: Message) -> str:
    return message.text or message.caption or ""


def _buttons(message: Message) -> list[str]:
    markup = message.reply_markup
    assert isinstance(markup, InlineKeyboardMarkup)
    return [button.text for row in markup.inline_keyboard for button in row]


async def _craft_click(chat: Chatting, widget_data: str) -> None:
    """Press a button the window never showed: the intent of the window, any widget data."""
    window = chat.window()
    markup = window.reply_markup
    assert isinstance(markup, InlineKeyboardMarkup)
    real = markup.inline_keyboard[0][0].callback_data
    assert real is not None
    intent, separator, _ = real.partition("\x1d")
    assert separator, f"unexpected callback data layout: {real!r}"
    crafted = window.model_copy(
        update={
            "reply_markup": InlineKeyboardMarkup(
                inline_keyboard=[
                    [
                        InlineKeyboardButton(
                            text="crafted", callback_data=f"{intent}\x1d{widget_data}"
                        )
                    ]
                ]
            )
        }
    )
    chat.messages.reset_history()
    chat.session.reset()
    await chat.client.click(crafted, InlineButtonTextLocator("crafted"))


async def _callback_data_of(chat: Chatting, text: str) -> str:
    markup = chat.window().reply_markup
    assert isinstance(markup, InlineKeyboardMarkup)
    for row in markup.inline_keyboard:
        for button in row:
            if button.text == text and button.callback_data:
                return button.callback_data.partition("\x1d")[2]
    raise AssertionError(f"no button {text!r} in {_buttons(chat.window())}")


async def _register(chat: Chatting, telegram_id: int) -> None:
    async with chat.container() as request:
        register = await request.get(RegisterUser)
        await register(TelegramProfile(telegram_id, f"User_{telegram_id}", None, "ru"))


async def _seed_pet(chat: Chatting, telegram_id: int = USER_ID, **draft: Any) -> Pet:
    values: dict[str, Any] = {"name": "Барсик", "species": Species.CAT, **draft}
    async with chat.container() as request:
        add_pet = await request.get(AddPet)
        pet: Pet = await add_pet(telegram_id, PetDraft(**values))
        return pet


async def _grant(chat: Chatting, pet_id: int, telegram_id: int, level: AccessLevel) -> None:
    async with chat.container() as request:
        users = await request.get(UserRepository)
        user = await users.get_by_telegram_id(telegram_id)
        assert user is not None
        access = await request.get(PetAccessRepository)
        await access.grant(
            pet_id=pet_id, user_id=user.id, level=level, granted_at=datetime.now(UTC)
        )
        await (await request.get(UnitOfWork)).commit()


async def _my_pets(chat: Chatting, *, archived: bool = False) -> list[AccessiblePet]:
    async with chat.container() as request:
        list_pets = await request.get(ListMyPets)
        pets: list[AccessiblePet] = await list_pets(USER_ID, archived=archived)
        return pets


def _header(texts: FluentRuntimeCore, locale: str, step: int) -> str:
    return texts.get("msg-pet-form-header", locale, mode="add", step=step, name="")


# --- adding -----------------------------------------------------------------------------------


async def test_adding_a_pet_step_by_step_in_russian(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat, "ru")
    await chat.send("/pets")
    assert _text(chat.window()) == texts.get("msg-pets-list-empty", "ru")

    await chat.click("➕ Добавить питомца")
    assert _text(chat.window()).startswith(_header(texts, "ru", 1))
    await chat.send("  Барсик  ")
    assert texts.get("msg-pet-ask-species", "ru", name="Барсик") in _text(chat.window())
    await chat.click("🐱 Кошка")
    breed_window = chat.window()
    assert "Мейн-кун" in _buttons(breed_window)
    assert "Лабрадор-ретривер" not in _buttons(breed_window)
    await chat.click("Мейн-кун")
    assert texts.get("msg-pet-ask-sex", "ru", name="Барсик") in _text(chat.window())
    await chat.click("♂️ Мальчик")
    assert "Барсик кастрирован?" in _text(chat.window())
    await chat.click("Да")
    await chat.send("3 года")
    await chat.send("4,5 кг")
    assert _text(chat.window()).startswith(_header(texts, "ru", 8))
    chat.session.reset()
    await chat.send_content(photo=PHOTO_SIZES, caption="это он")

    assert chat.session.sent_texts() == [texts.get("msg-pet-added", "ru", name="Барсик")]
    card = chat.window()
    assert card.photo is not None
    assert card.photo[-1].file_id == "big"
    caption = _text(card)
    assert "🐾 <b>Барсик</b>" in caption
    assert "Вид: 🐱 Кошка" in caption
    assert "Порода: Мейн-кун" in caption
    assert "Пол: мальчик, кастрирован" in caption
    assert "Возраст: ≈ 3 года" in caption
    assert "Вес: 4,5 кг" in caption

    [mine] = await _my_pets(chat)
    pet = mine.pet
    assert mine.level is AccessLevel.OWNER
    assert (pet.name, pet.species, pet.breed, pet.sex, pet.neutered) == (
        "Барсик",
        Species.CAT,
        "Мейн-кун",
        Sex.MALE,
        True,
    )
    assert pet.birth_date_is_approximate is True
    assert pet.birth_date is not None
    assert date.today().year - pet.birth_date.year == 3
    assert (pet.weight_grams, pet.photo_file_id) == (4500, "big")


async def test_adding_in_english_with_every_optional_step_skipped(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat, "en")
    await chat.click("🐾 My pets")
    await chat.click("➕ Add a pet")
    await chat.send("Rex")
    await chat.click("🐶 Dog")
    assert "Labrador Retriever" in _buttons(chat.window())
    await chat.click("Skip ⏭")
    await chat.click("Not sure")
    assert "Is Rex neutered or spayed?" in _text(chat.window())
    await chat.click("Not sure")
    await chat.send("07.04.2020")
    await chat.click("Skip ⏭")
    await chat.click("Skip ⏭")

    card = _text(chat.window())
    assert chat.window().photo is None
    assert "🐾 <b>Rex</b>" in card
    assert "Sex: not specified" in card
    assert "Born: 7 Apr 2020 (" in card
    assert "Breed" not in card and "Weight" not in card
    [mine] = await _my_pets(chat)
    assert (mine.pet.breed, mine.pet.weight_grams, mine.pet.photo_file_id) == (None, None, None)
    assert (mine.pet.birth_date, mine.pet.birth_date_is_approximate) == (date(2020, 4, 7), False)


async def test_a_small_pet_takes_grams_and_months(chat: Chatting) -> None:
    await _onboard(chat, "en")
    await chat.click("🐾 My pets")
    await chat.click("➕ Add a pet")
    await chat.send("Kesha")
    await chat.click("🦜 Bird")
    await chat.click("Skip ⏭")
    await chat.click("♀️ Girl")
    assert "Is Kesha spayed?" in _text(chat.window())
    await chat.click("No")
    await chat.send("8 months")
    await chat.send("35 g")
    await chat.click("Skip ⏭")
    assert "Sex: female, not spayed" in _text(chat.window())
    assert "Weight: 35 g" in _text(chat.window())
    assert "Age: ≈ 8 months" in _text(chat.window())


@pytest.mark.parametrize(
    ("locale", "typed", "shown"),
    [("ru", "2 г 3 мес", "Возраст: ≈ 2 года 3 мес."), ("en", "2 y 3 mo", "Age: ≈ 2 years 3 mo")],
)
async def test_an_approximate_age_keeps_its_months_and_the_weight_starts_the_trend(
    chat: Chatting, texts: FluentRuntimeCore, locale: str, typed: str, shown: str
) -> None:
    await _onboard(chat, locale)
    await chat.send("/pets")
    await chat.click(texts.get("btn-pet-add", locale))
    await chat.send("Мурка")
    await chat.click(texts.get("lbl-pet-species-cat", locale))
    await chat.click(texts.get("btn-pet-skip", locale, mode="add"))
    await chat.click(texts.get("btn-pet-sex-female", locale))
    await chat.click(texts.get("btn-pet-neutered-no", locale))
    await chat.send(typed)
    await chat.send("4.2 kg" if locale == "en" else "4,2 кг")
    await chat.click(texts.get("btn-pet-skip", locale, mode="add"))
    assert shown in _text(chat.window())

    [mine] = await _my_pets(chat)
    async with chat.container() as request:
        history = await request.get(WeightHistory)
        trend = await history(USER_ID, mine.pet.id)
    assert [point.grams for point in trend.points] == [4200]


@pytest.mark.parametrize("locale", ["ru", "en"])
async def test_typos_get_a_localized_reason_and_keep_what_was_entered(
    chat: Chatting, texts: FluentRuntimeCore, locale: str
) -> None:
    await _onboard(chat, locale)
    await chat.send("/pets")
    await chat.click(texts.get("btn-pet-add", locale))

    async def refused(typed: str, key: str, **args: Any) -> None:
        before = _text(chat.window())
        chat.session.reset()
        await chat.send(typed)
        assert chat.session.sent_texts() == [texts.get(key, locale, **args)]
        assert _text(chat.window()) == before

    await refused("Ж" * 65, "err-pet-name-too-long", max=64)
    await refused("   ", "err-pet-name-empty")
    await chat.send("Хома")
    await chat.click(texts.get("lbl-pet-species-rodent", locale))
    await chat.send("сирийский")
    await chat.click(texts.get("btn-pet-sex-male", locale))
    await chat.click(texts.get("btn-pet-neutered-no", locale))
    await refused("31.02.2023", "err-pet-birth-bad-date")
    await refused("01.01.2999", "err-pet-birth-in-future")
    await refused("когда-то", "err-pet-birth-unreadable")
    await refused("45", "err-pet-birth-too-old")
    await chat.send("1 год")
    too_high = {
        "min": texts.get("lbl-pet-weight-grams", locale, grams=2),
        "max": texts.get("lbl-pet-weight-kg", locale, kg=10),
    }
    await refused("150", "err-pet-weight-too-high", **too_high)
    await refused("сто грамм", "err-pet-weight-unreadable")
    await chat.send("150 г")
    await chat.click(texts.get("btn-pet-skip", locale, mode="add"))

    [mine] = await _my_pets(chat)
    assert (mine.pet.name, mine.pet.species, mine.pet.breed) == (
        "Хома",
        Species.RODENT,
        "сирийский",
    )
    assert (mine.pet.sex, mine.pet.neutered, mine.pet.weight_grams) == (Sex.MALE, False, 150)


async def test_back_at_every_step_returns_to_the_step_before(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat, "ru")
    await chat.send("/pets")
    await chat.click("➕ Добавить питомца")
    await chat.send("Шарик")
    await chat.click("🐶 Собака")
    await chat.click("Метис")
    await chat.click("♂️ Мальчик")
    await chat.click("Нет")
    await chat.send("2 г 3 мес")
    await chat.send("12")
    for step in range(8, 1, -1):
        assert _text(chat.window()).startswith(_header(texts, "ru", step))
        await chat.click("◀️ Назад")
    assert _text(chat.window()).startswith(_header(texts, "ru", 1))
    await chat.click("◀️ Назад")
    assert _text(chat.window()) == texts.get("msg-pets-list-empty", "ru")
    assert await _my_pets(chat) == []


async def test_the_photo_step_takes_only_a_photo(chat: Chatting, texts: FluentRuntimeCore) -> None:
    await _onboard(chat, "ru")
    await chat.send("/pets")
    await chat.click("➕ Добавить питомца")
    await chat.send("Мурка")
    await chat.click("🐱 Кошка")
    for button in ("Пропустить ⏭", "♀️ Девочка", "Не знаю", "Пропустить ⏭", "Пропустить ⏭"):
        await chat.click(button)
    photo_window = _text(chat.window())
    for kind in ("document", "sticker", "text"):
        chat.session.reset()
        await chat.send_content(**UNEXPECTED[kind])
        assert chat.session.sent_texts() == [texts.get("err-pet-photo-expected", "ru")]
        assert _text(chat.window()) == photo_window
    await chat.send_content(photo=PHOTO_SIZES)
    [mine] = await _my_pets(chat)
    assert mine.pet.photo_file_id == "big"


# --- the list, the card, editing, archive, deletion -------------------------------------------


async def test_list_card_edit_archive_restore_and_delete(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat, "ru")
    pet = await _seed_pet(chat, weight_grams=4000, birth=BirthDate(date(2021, 3, 5), False))
    await chat.send("/pets")
    assert _text(chat.window()) == texts.get("msg-pets-list", "ru")
    await chat.click("🐱 Барсик")
    card = _text(chat.window())
    assert "Дата рождения: 5 марта 2021" in card
    assert "Вес: 4 кг" in card
    assert "Ваш доступ" not in card

    # Edit the name: the field's window, the new value, back on the card.
    await chat.click("✏️ Изменить")
    assert _text(chat.window()) == texts.get("msg-pet-edit-menu", "ru", name="Барсик")
    await chat.click("Кличка")
    assert _text(chat.window()).startswith(
        texts.get("msg-pet-form-header", "ru", mode="edit", name="Барсик", step=1)
    )
    await chat.send("Барсик <Второй>")
    assert "🐾 <b>Барсик &lt;Второй&gt;</b>" in _text(chat.window())

    # A weight out of range while editing keeps the field's window; "back" leaves unchanged.
    await chat.click("✏️ Изменить")
    await chat.click("Вес")
    chat.session.reset()
    await chat.send("45")
    assert len(chat.session.sent_texts()) == 1
    assert chat.session.sent_texts()[0].startswith("Слишком много для этого вида")
    await chat.click("◀️ Назад")
    assert _text(chat.window()) == texts.get("msg-pet-edit-menu", "ru", name="Барсик <Второй>")
    await chat.click("Вес")
    await chat.click("🚫 Очистить")
    assert "Вес:" not in _text(chat.window())

    # A new photo through the edit menu.
    await chat.click("✏️ Изменить")
    await chat.click("Фото")
    await chat.send_content(photo=PHOTO_SIZES)
    assert chat.window().photo is not None

    # Archive, kindly worded, then restore.
    await chat.click("🗂 В архив")
    assert _text(chat.window()) == texts.get("msg-pet-archive-ask", "ru", name="Барсик <Второй>")
    chat.session.reset()
    await chat.click("🏡 Живёт в другой семье")
    assert chat.session.sent_texts() == [
        texts.get("msg-pet-archived-rehomed", "ru", name="Барсик <Второй>")
    ]
    assert _text(chat.window()) == texts.get("msg-pets-list-empty", "ru")
    await chat.click("🗂 Архив (1)")
    await chat.click("🐱 Барсик <Второй>")
    assert "В архиве с" in _text(chat.window())
    assert "✏️ Изменить" not in _buttons(chat.window())
    chat.session.reset()
    await chat.click("↩️ Вернуть из архива")
    [answer] = [a for a in chat.session.calls_of(AnswerCallbackQuery) if a.text]
    # An alert shows no markup: the name as it was typed.
    assert answer.text == plain_text(texts.get("msg-pet-restored", "ru", name="Барсик <Второй>"))
    assert "В архиве с" not in _text(chat.window())
    assert [p.pet.id for p in await _my_pets(chat)] == [pet.id]

    # Delete, after a confirmation that offers the archive instead.
    await chat.click("🗑 Удалить")
    assert "перенести в архив" in _text(chat.window())
    await chat.click("◀️ Назад")
    await chat.click("🗑 Удалить")
    chat.session.reset()
    await chat.click("🗑 Да, удалить навсегда")
    assert chat.session.sent_texts() == [texts.get("msg-pet-deleted", "ru")]
    assert _text(chat.window()) == texts.get("msg-pets-list-empty", "ru")
    assert await _my_pets(chat) == [] and await _my_pets(chat, archived=True) == []


async def test_archiving_a_pet_that_died_offers_condolences(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat, "en")
    await _seed_pet(chat, name="Charlie", species=Species.DOG)
    await chat.send("/pets")
    await chat.click("🐶 Charlie")
    await chat.click("🗂 Archive")
    chat.session.reset()
    await chat.click("🕊 They have passed away")
    assert chat.session.sent_texts() == [
        texts.get("msg-pet-archived-deceased", "en", name="Charlie")
    ]
    [archived] = await _my_pets(chat, archived=True)
    assert archived.pet.is_archived


# --- access -----------------------------------------------------------------------------------


async def test_a_crafted_callback_with_someone_elses_pet_is_not_found(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat, "en")
    await _register(chat, OTHER_ID)
    theirs = await _seed_pet(chat, OTHER_ID, name="Secret")
    await _seed_pet(chat, name="Mine")
    await chat.send("/pets")
    own_button = await _callback_data_of(chat, "🐱 Mine")
    widget = own_button.rsplit(":", 1)[0]

    for forged in (str(theirs.id), "999999", "not-a-number"):
        await _craft_click(chat, f"{widget}:{forged}")
        answers = [a.text for a in chat.session.calls_of(AnswerCallbackQuery) if a.text]
        assert answers == [texts.get("err-pet-not-found", "en")]
        assert "Secret" not in _text(chat.window())


async def test_start_data_with_someone_elses_pet_shows_not_found(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat, "en")
    await _register(chat, OTHER_ID)
    theirs = await _seed_pet(chat, OTHER_ID, name="Secret")

    await chat.send(f"/open_card {theirs.id}")
    window = chat.window()
    assert _text(window) == texts.get("err-pet-not-found", "en")
    assert _buttons(window) == ["◀️ Back"]

    # The edit form started on their pet: saving is refused, nothing changes.
    await chat.send("/pets")
    await chat.send(f"/edit_name {theirs.id}")
    assert "Secret" not in _text(chat.window())
    chat.session.reset()
    await chat.send("Mine now")
    assert chat.session.sent_texts() == [texts.get("err-pet-not-found", "en")]
    async with chat.container() as request:
        others = await (await request.get(ListMyPets))(OTHER_ID)
    assert [item.pet.name for item in others] == ["Secret"]


async def test_a_viewer_sees_the_card_but_cannot_edit_archive_or_delete(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat, "en")
    await _register(chat, OTHER_ID)
    shared = await _seed_pet(chat, OTHER_ID, name="Shared")
    await _grant(chat, shared.id, USER_ID, AccessLevel.VIEWER)

    await chat.send("/pets")
    await chat.click("🐱 Shared")
    card = chat.window()
    assert "👥 Your access: view only" in _text(card)
    # A viewer reads the medical card (and sees who shares the pet), but changes nothing.
    assert "📋 Medical card" in _buttons(card)
    assert "👥 Sharing" in _buttons(card)
    assert not {"✏️ Edit", "🗂 Archive", "🗑 Delete"} & set(_buttons(card))
    assert _buttons(card)[-1] == "◀️ Back"

    # Buttons hidden from a viewer still exist in the dialog: a forged press reaches the
    # window behind them, and the action itself is refused.
    forgeries = {
        ("card_edit", "edit_name"): "err-pet-not-allowed",
        ("card_archive", "archive_deceased"): "err-pet-not-allowed",
        ("card_delete", "delete_confirm"): "err-pet-not-owner",
        ("card_restore",): "err-pet-not-allowed",
    }
    for presses, expected in forgeries.items():
        await chat.send("/pets")
        await chat.click("🐱 Shared")
        for press in presses:
            await _craft_click(chat, press)
        answers = [a.text for a in chat.session.calls_of(AnswerCallbackQuery) if a.text]
        assert answers == [texts.get(expected, "en")], presses

    [item] = await _my_pets(chat)
    assert (item.pet.name, item.pet.is_archived, item.level) == (
        "Shared",
        False,
        AccessLevel.VIEWER,
    )


# --- unexpected input --------------------------------------------------------------------------


async def _to_state(chat: Chatting, state: str) -> None:
    """Walk (in Russian) to a window of the pets dialogs."""
    await _onboard(chat, "ru")
    if state in {"card", "edit_menu", "archive", "delete", "archived"}:
        await _seed_pet(chat, name="Дымок")
    await chat.send("/pets")
    steps = {
        "list": [],
        "card": ["🐱 Дымок"],
        "edit_menu": ["🐱 Дымок", "✏️ Изменить"],
        "archive": ["🐱 Дымок", "🗂 В архив"],
        "delete": ["🐱 Дымок", "🗑 Удалить"],
        "archived": ["🐱 Дымок", "🗂 В архив", "🏡 Живёт в другой семье", "🗂 Архив (1)"],
        "name": ["➕ Добавить питомца"],
        "species": ["➕ Добавить питомца", "name"],
        "breed": ["➕ Добавить питомца", "name", "🐶 Собака"],
        "sex": ["➕ Добавить питомца", "name", "🐶 Собака", "Пропустить ⏭"],
        "neutered": ["➕ Добавить питомца", "name", "🐶 Собака", "Пропустить ⏭", "Не знаю"],
        "birth": ["➕ Добавить питомца", "name", "🐶 Собака", "Пропустить ⏭", "Не знаю", "Да"],
        "weight": [
            *("➕ Добавить питомца", "name", "🐶 Собака", "Пропустить ⏭", "Не знаю", "Да"),
            "Пропустить ⏭",
        ],
        "photo": [
            *("➕ Добавить питомца", "name", "🐶 Собака", "Пропустить ⏭", "Не знаю", "Да"),
            *("Пропустить ⏭", "Пропустить ⏭"),
        ],
    }[state]
    for step in steps:
        if step == "name":
            await chat.send("Бобик")
        else:
            await chat.click(step)


TEXT_STEPS = {"name", "breed", "birth", "weight"}


@pytest.mark.parametrize(
    "state",
    [
        *("list", "archived", "card", "edit_menu", "archive", "delete"),
        *("name", "species", "breed", "sex", "neutered", "birth", "weight", "photo"),
    ],
)
async def test_unexpected_input_in_every_window_gets_a_hint_and_the_window_again(
    chat: Chatting, texts: FluentRuntimeCore, state: str
) -> None:
    await _to_state(chat, state)
    window_text = _text(chat.window())
    if state in TEXT_STEPS:
        kinds, hint = ["photo", "sticker", "document"], "err-pet-text-expected"
    elif state == "photo":
        kinds, hint = ["text", "sticker", "document"], "err-pet-photo-expected"
    else:
        kinds, hint = list(UNEXPECTED), "err-use-buttons"
    for kind in kinds:
        chat.session.reset()
        await chat.send_content(**UNEXPECTED[kind])
        assert chat.session.sent_texts() == [texts.get(hint, "ru")], kind
        assert _text(chat.window()) == window_text, kind


async def test_the_main_menu_button_opens_my_pets_and_comes_back(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat, "en")
    await chat.click("🐾 My pets")
    assert _text(chat.window()) == texts.get("msg-pets-list-empty", "en")
    await chat.click("🏠 Main menu")
    assert _text(chat.window()) == texts.get("msg-main-menu", "en", name=f"User_{USER_ID}")


async def test_a_name_with_its_own_emoji_gets_no_second_one_in_the_list(chat: Chatting) -> None:
    await _onboard(chat, "en")
    await _seed_pet(chat, name="Мурзик 🐱", species=Species.CAT)
    await _seed_pet(chat, name="Rex", species=Species.DOG)
    await chat.send("/pets")
    buttons = _buttons(chat.window())
    assert "Мурзик 🐱" in buttons
    assert "🐶 Rex" in buttons
    assert not any(label.count("🐱") > 1 for label in buttons)
