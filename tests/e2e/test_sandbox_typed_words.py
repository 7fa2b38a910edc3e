"""Owners type, and the bot hears what they meant: the sandbox over HTTP, no photo model.

The two acceptance walks of the triage-answers issue: "2 дня" for the no-urine question of a
male cat gives 🔴 (it used to be read as 2 hours: 🟡), and "мой пёс съел шоколад" typed in the
main menu gives the high card with the poison advice.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from aiogram_i18n.cores import FluentRuntimeCore

from bot.run_modes import RunningSandbox, running_sandbox
from core.entities import Pet
from core.enums import Sex, Species
from core.interactors.pets import AddPet, PetDraft
from tests.conftest import make_settings
from tests.support.chatting import load_texts
from tests.support.clean_run import assert_clean_run, last_call_id
from tests.support.hostile_names import URGENT_PET, Cast
from tests.support.sandbox_person import SandboxPerson, button_texts, text_of


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture(scope="module")
async def sandbox(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningSandbox]:
    root = tmp_path_factory.mktemp("typed-sandbox")
    async with running_sandbox(make_settings(root / "var" / "telemed.db"), port=0) as running:
        yield running


@pytest.fixture
async def api(sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=20) as client:
        yield client


async def _russian_owner(api: httpx.AsyncClient, name: str) -> SandboxPerson:
    person = await SandboxPerson.join(api, name, "ru")
    await person.onboard("Русский", "Продолжить", "Согласен")
    return person


async def _add_pet(sandbox: RunningSandbox, owner: SandboxPerson, draft: PetDraft) -> Pet:
    async with sandbox.bot_app.container() as request:
        pet: Pet = await (await request.get(AddPet))(owner.id, draft)
        return pet


async def _to_no_urine_question(
    owner: SandboxPerson, texts: FluentRuntimeCore, pet: str
) -> dict[str, object]:
    await owner.say("/check")
    await owner.press(pet)
    await owner.press(texts.get("btn-check-none-of-these", "ru"))
    await owner.press(texts.get("area-urinary", "ru"))
    await owner.press(texts.get("sign-urination-straining", "ru"))
    await owner.press(texts.get("btn-continue", "ru"))
    # Whether urine comes out is not known: the hours alone must carry the decision.
    await owner.wait_for_text(texts.get("q-producing-urine", "ru"))
    await owner.press(texts.get("btn-check-dont-know", "ru"))
    return await owner.wait_for_text(texts.get("q-no-urine-hours", "ru"))


async def test_two_days_without_urine_typed_in_words_is_an_emergency_for_a_male_cat(
    sandbox: RunningSandbox, api: httpx.AsyncClient, texts: FluentRuntimeCore, cast: Cast
) -> None:
    calls_before = await last_call_id(api)
    ivan = await _russian_owner(api, cast("Ivan"))
    barsik = cast("Барсик", hostile=URGENT_PET)
    await _add_pet(sandbox, ivan, PetDraft(name=barsik, species=Species.CAT, sex=Sex.MALE))

    question = await _to_no_urine_question(ivan, texts, barsik)
    # Typing is optional: the ranges the rules care about are buttons.
    assert any("24" in label for label in button_texts(question)), button_texts(question)
    await ivan.say("2 дня")

    await ivan.wait_for_text("Фото (по желанию)")
    await ivan.press(texts.get("btn-check-skip-photos", "ru"))
    summary = await ivan.wait_for_text("48")
    assert "48" in text_of(summary)
    await ivan.press(texts.get("btn-check-submit", "ru"))

    card = await ivan.wait_for(lambda m: text_of(m).startswith("🔴"))
    assert cast.shown("Барсик") in text_of(card)
    # Going to the clinic comes first: no booking as the main action of a 🔴 card.
    assert texts.get("btn-result-book", "ru") not in button_texts(card)
    # ...and one tap shares the location that finds the nearest 24/7 clinic.
    offer = await ivan.wait_for_text(texts.get("msg-location-offer", "ru")[:20])
    assert offer["reply_markup"]["keyboard"][0][0]["request_location"] is True
    await assert_clean_run(api, texts, [ivan.id], calls_after=calls_before)


async def test_an_ambiguous_unit_is_asked_back_with_both_readings(
    sandbox: RunningSandbox, api: httpx.AsyncClient, texts: FluentRuntimeCore, cast: Cast
) -> None:
    calls_before = await last_call_id(api)
    olga = await _russian_owner(api, cast("Olga"))
    await _add_pet(sandbox, olga, PetDraft(name=cast("Рыжик"), species=Species.CAT, sex=Sex.MALE))
    await _to_no_urine_question(olga, texts, cast("Рыжик"))

    await olga.say("2 лун")
    asked = await olga.wait_for_text("2 лун")
    labels = button_texts(asked)
    # Both readings, the more urgent first; nothing is guessed.
    assert labels[0].startswith("48"), labels
    assert any(label.startswith("2 ") for label in labels), labels
    await olga.press(labels[0])
    await olga.wait_for_text("Фото (по желанию)")
    await assert_clean_run(api, texts, [olga.id], calls_after=calls_before)


async def test_chocolate_typed_in_the_main_menu_gets_the_high_card_with_poison_advice(
    sandbox: RunningSandbox, api: httpx.AsyncClient, texts: FluentRuntimeCore, cast: Cast
) -> None:
    calls_before = await last_call_id(api)
    petr = await _russian_owner(api, cast("Petr"))
    await petr.wait_for_text("чем помочь")
    await _add_pet(sandbox, petr, PetDraft(name=cast("Шарик"), species=Species.DOG, sex=Sex.MALE))

    await petr.say("мой пёс съел шоколад")

    card = await petr.wait_for(lambda m: text_of(m).startswith("🔴"))
    assert cast.shown("Шарик") in text_of(card)
    assert "☠️" in text_of(card)  # the poison advice: bring the package, no home vomiting
    await petr.wait_for_text(texts.get("msg-location-offer", "ru")[:20])
    await assert_clean_run(api, texts, [petr.id], calls_after=calls_before)


async def test_a_symptom_typed_in_the_main_menu_offers_the_check_with_the_words_carried_in(
    sandbox: RunningSandbox, api: httpx.AsyncClient, texts: FluentRuntimeCore, cast: Cast
) -> None:
    calls_before = await last_call_id(api)
    anna = await _russian_owner(api, cast("Anna"))
    await anna.wait_for_text("чем помочь")
    tuzik = cast("Тузик")
    await _add_pet(sandbox, anna, PetDraft(name=tuzik, species=Species.DOG, sex=Sex.FEMALE))

    await anna.say("собаку вырвало два раза")
    offer = await anna.wait_for_text(texts.get("sign-vomiting", "ru"))
    assert texts.get("btn-free-start-check", "ru") in button_texts(offer)
    await anna.press(texts.get("btn-free-start-check", "ru"))
    await anna.press(tuzik)
    await anna.press(texts.get("btn-check-none-of-these", "ru"))
    # The sign named in the message is already ticked: the areas step lists it.
    area_prompt = texts.get("msg-check-area", "ru")[:15]
    vomiting = texts.get("sign-vomiting", "ru")
    await anna.wait_for(lambda m: area_prompt in text_of(m) and vomiting in text_of(m))
    await assert_clean_run(api, texts, [anna.id], calls_after=calls_before)


async def test_a_red_flag_typed_inside_a_form_opens_the_card_and_keeps_the_form(
    sandbox: RunningSandbox, api: httpx.AsyncClient, texts: FluentRuntimeCore, cast: Cast
) -> None:
    calls_before = await last_call_id(api)
    vera = await _russian_owner(api, cast("Vera"))
    druzhok = cast("Дружок")
    await _add_pet(sandbox, vera, PetDraft(name=druzhok, species=Species.DOG, sex=Sex.MALE))
    await vera.say("/check")
    await vera.press(druzhok)
    await vera.press(texts.get("btn-check-none-of-these", "ru"))
    await vera.press(texts.get("area-digestion", "ru"))
    await vera.press(texts.get("sign-vomiting", "ru"))
    await vera.press(texts.get("btn-continue", "ru"))
    question = await vera.wait_for_text(texts.get("q-vomiting-count-24h", "ru"))

    await vera.say("он задыхается и не встаёт")

    card = await vera.wait_for(lambda m: text_of(m).startswith("🔴"))
    assert cast.shown("Дружок") in text_of(card)
    # The questionnaire is still there, as it was, in its own message.
    messages = {m["message_id"]: m for m in await vera.bot_messages()}
    assert question["message_id"] in messages
    await assert_clean_run(api, texts, [vera.id], calls_after=calls_before)


async def test_an_emergency_typed_with_no_pet_in_the_bot_gets_the_general_card_and_clinics(
    api: httpx.AsyncClient, texts: FluentRuntimeCore, cast: Cast
) -> None:
    calls_before = await last_call_id(api)
    gleb = await _russian_owner(api, cast("Gleb"))
    await gleb.wait_for_text("чем помочь")

    await gleb.say("собаку сбила машина")

    card = await gleb.wait_for_text("Похоже на неотложное состояние")
    # The card itself carries the one-tap location button (a reply keyboard).
    assert card["reply_markup"]["keyboard"][0][0]["request_location"] is True
    await gleb.say("Москва")  # where a location cannot be shared, a typed city
    clinics = await gleb.wait_for_text("Ближайшие круглосуточные клиники")
    assert "Маршрут" in text_of(clinics) and "Позвонить" in text_of(clinics)
    await assert_clean_run(api, texts, [gleb.id], calls_after=calls_before)


async def test_an_emergency_typed_before_consent_gets_the_general_card_not_an_apology(
    api: httpx.AsyncClient, texts: FluentRuntimeCore, cast: Cast
) -> None:
    """Found by the monkey (test_sandbox_monkey.py): typed inside a window, a red flag opens its
    card in a new dialog stack, where the general card's location keyboard could not go."""
    calls_before = await last_call_id(api)
    lena = await SandboxPerson.join(api, cast("Lena"), "ru")
    await lena.say("/start")
    await lena.wait_for_text("Выберите язык")

    await lena.say("собаку сбила машина")

    card = await lena.wait_for_text("Похоже на неотложное состояние")
    assert card["reply_markup"]["keyboard"][0][0]["request_location"] is True
    await lena.say("Москва")
    await lena.wait_for_text("Ближайшие круглосуточные клиники")
    await assert_clean_run(api, texts, [lena.id], calls_after=calls_before)


async def test_not_my_pet_on_a_card_opened_inside_a_form_gets_the_general_card(
    sandbox: RunningSandbox, api: httpx.AsyncClient, texts: FluentRuntimeCore, cast: Cast
) -> None:
    calls_before = await last_call_id(api)
    oleg = await _russian_owner(api, cast("Oleg"))
    for name in (cast("Бим"), cast("Мурка")):
        await _add_pet(sandbox, oleg, PetDraft(name=name, species=Species.DOG))
    await oleg.say("/check")
    await oleg.wait_for(lambda m: any(cast("Бим") in label for label in button_texts(m)))

    await oleg.say("собаку сбила машина")
    await oleg.press(texts.get("btn-free-not-my-pet", "ru"))

    card = await oleg.wait_for_text("Похоже на неотложное состояние")
    assert card["reply_markup"]["keyboard"][0][0]["request_location"] is True
    await assert_clean_run(api, texts, [oleg.id], calls_after=calls_before)
