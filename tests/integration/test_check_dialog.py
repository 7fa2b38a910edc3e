"""The symptom check through aiogram-dialog's BotClient, on a real SQLite database."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from aiogram.methods import AnswerCallbackQuery
from aiogram.types import PhotoSize, Sticker
from aiogram_dialog.test_tools.keyboard import InlineButtonTextLocator
from aiogram_i18n.cores import FluentRuntimeCore

from core.config import Settings
from core.entities import Pet
from core.enums import CheckStatus, RecordKind, Sex, Species, Urgency
from core.interactors.pets import AddPet, PetDraft
from core.pet_input import BirthDate
from core.ports.repositories import MedicalRecordRepository, SymptomCheckRepository
from tests.support.chatting import USER_ID, Chatting, load_texts, open_chat


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture
async def chat(settings: Settings) -> AsyncIterator[Chatting]:
    async with open_chat(settings) as opened:
        await opened.send("/start")
        await opened.click("🇬🇧 English")
        await opened.click("Continue ▶️")
        await opened.click("✅ I agree")
        yield opened


async def _add_pet(chat: Chatting, **fields: Any) -> Pet:
    async with chat.container() as request:
        add_pet = await request.get(AddPet)
        pet: Pet = await add_pet(USER_ID, PetDraft(**fields))
        return pet


async def _checks(chat: Chatting) -> list[Any]:
    async with chat.container() as request:
        checks = await request.get(SymptomCheckRepository)
        first: list[Any] = await checks.list_for_pet(1, limit=50)
        second: list[Any] = await checks.list_for_pet(2, limit=50)
        return first + second


def _buttons(chat: Chatting) -> list[str]:
    markup = chat.window().reply_markup
    assert markup is not None
    return [button.text for row in markup.inline_keyboard for button in row]


async def _tap(chat: Chatting, text: str) -> None:
    """Click a button by its visible text, wherever checkbox marks put it."""
    window = chat.window()
    chat.messages.reset_history()
    await chat.client.click(window, InlineButtonTextLocator(f".*{re.escape(text)}.*"))


async def test_male_cat_straining_without_urine_gets_the_high_card_before_anything_else(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _add_pet(chat, name="Barsik", species=Species.CAT, sex=Sex.MALE)
    await chat.send("/check")
    await _tap(chat, "Barsik")
    window = chat.window().text or ""
    assert "the important things first" in window
    assert texts.get("screen-urinary-blockage", "en") in _buttons(chat)[4]

    await _tap(chat, texts.get("screen-urinary-blockage", "en"))
    await _tap(chat, texts.get("btn-check-emergency-go", "en"))

    result = chat.window().text or ""
    assert result.startswith("🔴")
    assert "Barsik" in result
    assert texts.get("sign-urination-straining", "en") in result
    [check] = await _checks(chat)
    assert check.urgency is Urgency.HIGH
    assert check.status is CheckStatus.DONE
    assert check.answers == {
        "signs": ["urination_straining"],
        "details": {"producing_urine": False},
    }


async def test_dog_vomiting_five_times_is_a_medium_case_with_questions(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _add_pet(
        chat,
        name="Rex",
        species=Species.DOG,
        sex=Sex.MALE,
        birth=BirthDate(date.today() - timedelta(days=3 * 365), approximate=True),
    )
    await chat.send("/check")
    await _tap(chat, "Rex")
    # No emergency sign: the questionnaire goes on.
    await _tap(chat, texts.get("btn-check-none-of-these", "en"))
    await _tap(chat, texts.get("area-digestion", "en"))
    await _tap(chat, texts.get("sign-vomiting", "en"))
    await _tap(chat, "Continue ▶️")
    assert chat.window().text == texts.get("q-vomiting-count-24h", "en") + "\n" + texts.get(
        "msg-check-type-number", "en"
    )

    # A typo is explained and the question stays.
    chat.session.reset()
    await chat.send("lots")
    assert chat.session.sent_texts() == [texts.get("err-check-not-a-number", "en")]
    assert (chat.window().text or "").startswith(texts.get("q-vomiting-count-24h", "en"))

    await chat.send("5")
    assert (chat.window().text or "").startswith(texts.get("q-vaccinated", "en"))
    await _tap(chat, "Yes")
    assert "Photos (optional)" in (chat.window().text or "")
    await _tap(chat, texts.get("btn-check-skip-photos", "en"))
    summary = chat.window().text or ""
    assert "Rex" in summary and texts.get("sign-vomiting", "en") in summary

    await _tap(chat, texts.get("btn-check-submit", "en"))
    result = chat.window().text or ""
    assert result.startswith("🟡")
    assert texts.get("btn-result-book", "en") in _buttons(chat)
    [check] = await _checks(chat)
    assert check.urgency is Urgency.MEDIUM
    assert check.answers["details"] == {"vomiting_count_24h": 5, "vaccinated": True}

    async with chat.container() as request:
        records = await request.get(MedicalRecordRepository)
        [record] = await records.list_for_pet(check.pet_id)
    assert record.kind is RecordKind.TRIAGE_RESULT
    assert record.data == {"check_id": check.id}


async def test_back_from_a_question_undoes_its_answer(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _add_pet(chat, name="Rex", species=Species.DOG)
    await chat.send("/check")
    await _tap(chat, "Rex")
    await _tap(chat, texts.get("btn-check-none-of-these", "en"))
    await _tap(chat, texts.get("area-movement", "en"))
    await _tap(chat, texts.get("sign-seizure", "en"))
    await _tap(chat, "Continue ▶️")
    await chat.send("2")
    assert (chat.window().text or "").startswith(texts.get("q-seizures-24h", "en"))
    await _tap(chat, "◀️ Back")
    assert (chat.window().text or "").startswith(texts.get("q-seizure-minutes", "en"))
    await chat.send("7")
    await _tap(chat, texts.get("btn-check-dont-know", "en"))
    await _tap(chat, texts.get("btn-check-dont-know", "en"))
    await _tap(chat, texts.get("btn-check-skip-photos", "en"))
    await _tap(chat, texts.get("btn-check-submit", "en"))
    [check] = await _checks(chat)
    assert check.answers["details"] == {"seizure_minutes": 7}
    assert check.urgency is Urgency.HIGH


async def test_a_yes_no_question_answers_typing_with_a_hint(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _add_pet(chat, name="Rex", species=Species.DOG)
    await chat.send("/check")
    await _tap(chat, "Rex")
    await _tap(chat, texts.get("btn-check-none-of-these", "en"))
    await _tap(chat, texts.get("area-movement", "en"))
    await _tap(chat, texts.get("sign-lameness", "en"))
    await _tap(chat, "Continue ▶️")
    assert (chat.window().text or "").startswith(texts.get("q-weight-bearing", "en"))
    chat.session.reset()
    await chat.send("kind of")
    assert chat.session.sent_texts() == [texts.get("err-use-buttons", "en")]
    assert (chat.window().text or "").startswith(texts.get("q-weight-bearing", "en"))


async def test_continue_without_a_sign_is_refused_with_a_hint(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _add_pet(chat, name="Rex", species=Species.DOG)
    await chat.send("/check")
    await _tap(chat, "Rex")
    await _tap(chat, texts.get("btn-check-none-of-these", "en"))
    await _tap(chat, texts.get("area-skin", "en"))
    chat.session.reset()
    await _tap(chat, "Continue ▶️")
    answers = chat.session.calls_of(AnswerCallbackQuery)
    assert answers[-1].text == texts.get("err-check-choose-sign", "en")
    assert (chat.window().text or "").startswith("<b>" + texts.get("area-skin", "en")) or (
        texts.get("area-skin", "en") in (chat.window().text or "")
    )


async def test_without_pets_the_check_sends_the_owner_to_add_one(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await chat.send("/check")
    assert chat.window().text == texts.get("msg-check-no-pets", "en")


async def test_another_users_pet_cannot_be_checked(
    settings: Settings, chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _add_pet(chat, name="Rex", species=Species.DOG)
    async with open_chat(settings) as stranger_chat:
        # A second user, crafting start data with the first user's pet id.
        stranger_chat.client.user = stranger_chat.client.user.model_copy(update={"id": 777})
        stranger_chat.client.chat = stranger_chat.client.chat.model_copy(update={"id": 777})
        await stranger_chat.send("/start")
        await stranger_chat.click("🇬🇧 English")
        await stranger_chat.click("Continue ▶️")
        await stranger_chat.click("✅ I agree")
        await stranger_chat.send("/check")
        assert stranger_chat.window().text == texts.get("msg-check-no-pets", "en")


@pytest.mark.parametrize(
    "content",
    [
        {"text": "hello"},
        {
            "sticker": Sticker(
                file_id="s",
                file_unique_id="s",
                type="regular",
                width=1,
                height=1,
                is_animated=False,
                is_video=False,
            )
        },
        {"photo": [PhotoSize(file_id="p", file_unique_id="p", width=9, height=9)]},
    ],
    ids=["text", "sticker", "photo"],
)
async def test_unexpected_input_on_the_emergency_screen_gets_a_hint_and_keeps_the_ticks(
    chat: Chatting, texts: FluentRuntimeCore, content: dict[str, Any]
) -> None:
    await _add_pet(chat, name="Rex", species=Species.DOG)
    await chat.send("/check")
    await _tap(chat, "Rex")
    await _tap(chat, texts.get("screen-choking", "en"))
    chat.session.reset()
    await chat.send_content(**content)
    assert chat.session.sent_texts() == [texts.get("err-use-buttons", "en")]
    # What the owner already ticked is still ticked.
    assert any(
        label.startswith("✅") and texts.get("screen-choking", "en") in label
        for label in _buttons(chat)
    )


async def test_check_result_is_saved_with_its_time(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    before = datetime.now(UTC)
    await _add_pet(chat, name="Tom", species=Species.CAT, sex=Sex.FEMALE)
    await chat.send("/check")
    await _tap(chat, "Tom")
    await _tap(chat, texts.get("btn-check-none-of-these", "en"))
    await _tap(chat, texts.get("area-skin", "en"))
    await _tap(chat, texts.get("sign-itching", "en"))
    await _tap(chat, "Continue ▶️")
    await _tap(chat, texts.get("btn-check-skip-photos", "en"))
    await _tap(chat, texts.get("btn-check-submit", "en"))
    assert (chat.window().text or "").startswith("🟢")
    [check] = await _checks(chat)
    assert check.completed_at is not None and check.completed_at >= before


async def test_a_crafted_callback_with_another_users_pet_id_is_refused(
    settings: Settings, chat: Chatting, texts: FluentRuntimeCore
) -> None:
    from aiogram.types import InlineKeyboardButton, Update

    rex = await _add_pet(chat, name="Rex", species=Species.DOG)
    async with open_chat(settings) as stranger:
        stranger.client.user = stranger.client.user.model_copy(update={"id": 777})
        stranger.client.chat = stranger.client.chat.model_copy(update={"id": 777})
        await stranger.send("/start")
        await stranger.click("🇬🇧 English")
        await stranger.click("Continue ▶️")
        await stranger.click("✅ I agree")
        await stranger.send("/check")
        window = stranger.window()
        assert window.reply_markup is not None
        cancel = window.reply_markup.inline_keyboard[-1][0].callback_data or ""
        intent = cancel.split("\x1d")[0]
        # The pet list's own callback format, carrying an id the stranger was never shown.
        crafted = InlineKeyboardButton(text="x", callback_data=f"{intent}\x1dcheck_pets:{rex.id}")
        stranger.messages.reset_history()
        stranger.session.reset()
        callback = stranger.client._new_callback(window, crafted)
        await stranger.dp.feed_update(
            stranger.bot, Update(update_id=9001, callback_query=callback)
        )
        assert stranger.session.sent_texts() == [texts.get("err-not-found", "en")]
        assert "Rex" not in (stranger.window().text or "")
        assert stranger.window().text == texts.get("msg-main-menu", "en", name="User_4242")


async def test_high_card_lists_the_nearest_24_7_clinics_for_a_shared_location(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    from aiogram.types import Location

    from sandbox.demo import seed_demo_clinics

    assert await seed_demo_clinics(chat.container) == 4
    await _add_pet(chat, name="Kesha", species=Species.BIRD)
    await chat.send("/check")
    await _tap(chat, "Kesha")
    await _tap(chat, texts.get("screen-cage-floor", "en"))
    await _tap(chat, texts.get("btn-check-emergency-go", "en"))
    assert texts.get("msg-result-share-location", "en") in (chat.window().text or "")

    chat.session.reset()
    await chat.send_content(location=Location(latitude=55.74, longitude=37.65))
    [reply] = chat.session.sent_texts()
    assert reply.startswith(texts.get("msg-clinics-nearby", "en"))
    # The bird clinic is the closest 24/7 one that treats birds; the dog-and-cat one is left out
    # and so is the daytime clinic.
    assert "Экзоты и птицы" in reply
    assert "«Хвост»" not in reply and "«Усы»" not in reply
    assert reply.index("Экзоты") < reply.index("«Лапа»")


async def _reach(chat: Chatting, texts: FluentRuntimeCore, state: str) -> None:
    await chat.send("/check")
    steps = {
        "pet": [],
        "emergency": ["Rex"],
        "area": ["Rex", texts.get("btn-check-none-of-these", "en")],
        "signs": ["Rex", texts.get("btn-check-none-of-these", "en"), texts.get("area-skin", "en")],
        "photos": [
            "Rex",
            texts.get("btn-check-none-of-these", "en"),
            texts.get("area-skin", "en"),
            texts.get("sign-itching", "en"),
            "Continue ▶️",
        ],
        "summary": [
            "Rex",
            texts.get("btn-check-none-of-these", "en"),
            texts.get("area-skin", "en"),
            texts.get("sign-itching", "en"),
            "Continue ▶️",
            texts.get("btn-check-skip-photos", "en"),
        ],
        "result": [
            "Rex",
            texts.get("btn-check-none-of-these", "en"),
            texts.get("area-skin", "en"),
            texts.get("sign-itching", "en"),
            "Continue ▶️",
            texts.get("btn-check-skip-photos", "en"),
            texts.get("btn-check-submit", "en"),
        ],
    }[state]
    for step in steps:
        await _tap(chat, step)


HINTS = {
    "pet": "err-use-buttons",
    "emergency": "err-use-buttons",
    "area": "err-use-buttons",
    "signs": "err-use-buttons",
    "photos": "err-check-send-photo",
    "summary": "err-use-buttons",
    "result": "err-use-buttons",
}


@pytest.mark.parametrize("state", list(HINTS))
@pytest.mark.parametrize("kind", ["text", "sticker"])
async def test_unexpected_input_in_every_check_window_gets_a_hint_and_the_window_again(
    chat: Chatting, texts: FluentRuntimeCore, state: str, kind: str
) -> None:
    await _add_pet(chat, name="Rex", species=Species.DOG)
    await _reach(chat, texts, state)
    window = chat.window().text
    chat.session.reset()
    content: dict[str, Any] = (
        {"text": "what now?"}
        if kind == "text"
        else {
            "sticker": Sticker(
                file_id="s",
                file_unique_id="s",
                type="regular",
                width=1,
                height=1,
                is_animated=False,
                is_video=False,
            )
        }
    )
    await chat.send_content(**content)
    assert chat.session.sent_texts() == [texts.get(HINTS[state], "en")]
    assert chat.window().text == window


async def test_an_oversized_file_sent_as_the_photo_is_refused_before_download(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    from aiogram.types import Document

    await _add_pet(chat, name="Rex", species=Species.DOG)
    await _reach(chat, texts, "photos")
    chat.session.reset()
    # Too big to download: refused from the size Telegram reports, before any download.
    await chat.send_content(
        document=Document(
            file_id="d", file_unique_id="d", file_name="x.jpg", file_size=30 * 1024 * 1024
        )
    )
    assert chat.session.sent_texts() == [texts.get("err-upload-too-large", "en", max_mb=10)]
    assert "Added: 0 of 3" in (chat.window().text or "")


async def test_a_photo_telegram_cannot_hand_over_is_asked_again_and_nothing_is_lost(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    from aiogram.exceptions import TelegramBadRequest
    from aiogram.methods import GetFile

    await _add_pet(chat, name="Rex", species=Species.DOG)
    await _reach(chat, texts, "photos")
    chat.session.reset()
    chat.session.failures[GetFile] = TelegramBadRequest(
        method=GetFile(file_id="p"),
        message="Bad Request: wrong file identifier/HTTP URL specified",
    )
    await chat.send_content(
        photo=[PhotoSize(file_id="p", file_unique_id="p", width=90, height=90)]
    )
    assert chat.session.sent_texts() == [texts.get("err-upload-download-failed", "en")]
    # Still the photo step, with the answers given so far: no apology, no main menu.
    assert "Added: 0 of 3" in (chat.window().text or "")
    await _tap(chat, texts.get("btn-check-skip-photos", "en"))
    assert texts.get("sign-itching", "en") in (chat.window().text or "")


async def test_a_photo_whose_download_breaks_is_asked_again_and_the_token_stays_out_of_logs(
    chat: Chatting, texts: FluentRuntimeCore, caplog: pytest.LogCaptureFixture
) -> None:
    """The file URL answered an HTTP error: aiohttp's error holds that URL, bot token and all."""
    from aiohttp import ClientResponseError, RequestInfo
    from multidict import CIMultiDict, CIMultiDictProxy
    from yarl import URL

    await _add_pet(chat, name="Rex", species=Species.DOG)
    await _reach(chat, texts, "photos")
    chat.session.reset()
    token = chat.bot.token
    url = URL(f"https://api.telegram.org/file/bot{token}/files/p")
    chat.session.download_failure = ClientResponseError(
        RequestInfo(url, "GET", CIMultiDictProxy(CIMultiDict()), url), (), status=502
    )
    await chat.send_content(
        photo=[PhotoSize(file_id="p", file_unique_id="p", width=90, height=90)]
    )
    assert chat.session.sent_texts() == [texts.get("err-upload-download-failed", "en")]
    assert "Added: 0 of 3" in (chat.window().text or "")  # the form is kept
    assert token not in caplog.text
