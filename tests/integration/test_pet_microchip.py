"""Issue #13: the microchip number on the pet card, edited from the card's edit menu, in both
languages; a number that is not ISO's 15 digits gets a hint and keeps the step."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram_i18n.cores import FluentRuntimeCore

from core.config import Settings
from core.entities import Pet
from core.enums import Species
from core.interactors.pets import AddPet, ListMyPets, PetDraft
from tests.support.chatting import USER_ID, Chatting, load_texts, open_chat

LANGUAGE_BUTTON = {"ru": "🇷🇺 Русский", "en": "🇬🇧 English"}
CONTINUE = {"ru": "Продолжить ▶️", "en": "Continue ▶️"}
AGREE = {"ru": "✅ Согласен(на)", "en": "✅ I agree"}


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture
async def chat(settings: Settings) -> AsyncIterator[Chatting]:
    async with open_chat(settings) as opened:
        yield opened


def _text(message: Message) -> str:
    return message.text or message.caption or ""


def _buttons(message: Message) -> list[str]:
    markup = message.reply_markup
    assert isinstance(markup, InlineKeyboardMarkup)
    return [button.text for row in markup.inline_keyboard for button in row]


async def _stored(chat: Chatting) -> Pet:
    async with chat.container() as request:
        [item] = await (await request.get(ListMyPets))(USER_ID)
    pet: Pet = item.pet
    return pet


@pytest.mark.parametrize("locale", ["ru", "en"])
async def test_the_microchip_is_typed_checked_shown_and_cleared(
    chat: Chatting, texts: FluentRuntimeCore, locale: str
) -> None:
    await chat.send("/start")
    await chat.click(LANGUAGE_BUTTON[locale])
    await chat.click(CONTINUE[locale])
    await chat.click(AGREE[locale])
    async with chat.container() as request:
        await (await request.get(AddPet))(USER_ID, PetDraft(name="Rex", species=Species.DOG))
    await chat.send("/pets")
    await chat.click("🐶 Rex")
    assert texts.get("lbl-pet-card-microchip", locale, microchip="").split(":")[0] not in _text(
        chat.window()
    )

    await chat.click(texts.get("btn-pet-edit", locale))
    await chat.click(texts.get("btn-pet-field-microchip", locale))
    asked = _text(chat.window())
    assert asked == texts.get("msg-pet-ask-microchip", locale, name="Rex")
    # Nothing to clear yet.
    assert texts.get("btn-pet-microchip-clear", locale) not in _buttons(chat.window())

    for typo in ("64309410012345", "643 094 100 123 45X", "no chip"):
        chat.session.reset()
        await chat.send(typo)
        assert chat.session.sent_texts() == [texts.get("err-pet-microchip-bad", locale)], typo
        assert _text(chat.window()) == asked
    assert (await _stored(chat)).microchip is None

    await chat.send("643 094 100 123 456")
    card = _text(chat.window())
    assert texts.get("lbl-pet-card-microchip", locale, microchip="643094100123456") in card
    assert (await _stored(chat)).microchip == "643094100123456"

    await chat.click(texts.get("btn-pet-edit", locale))
    await chat.click(texts.get("btn-pet-field-microchip", locale))
    await chat.click(texts.get("btn-pet-microchip-clear", locale))
    assert "643094100123456" not in _text(chat.window())
    assert (await _stored(chat)).microchip is None
