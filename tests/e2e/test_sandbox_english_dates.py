"""Issue #13, "English dates are ambiguous and mixed", walked in the sandbox in English over
HTTP: the prompts show "5 Mar 2024", typed "12/4/26" is refused with a hint naming the forms
that read one way, "Mar 5, 2025" and "2026-03-05" are taken, and every date the bot shows —
the pet card, the entry, the card's list buttons, the booking day buttons — is "5 Mar 2025" or
"Sat 5 Dec", never a numeric day and month side by side."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from aiogram_i18n.cores import FluentRuntimeCore

from bot.run_modes import RunningSandbox, running_sandbox
from tests.conftest import make_settings
from tests.support.ambiguous_dates import NUMERIC_DAY_AND_MONTH
from tests.support.chatting import load_texts
from tests.support.clean_run import assert_clean_run, displayed, last_call_id
from tests.support.sandbox_person import SandboxPerson, button_texts, text_of

EN = "en"
RU = "ru"
# "Sat 5 Dec": the weekday, the day, the month's short name.
DAY_BUTTON = re.compile(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2}")


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture(scope="module")
async def sandbox(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningSandbox]:
    database: Path = tmp_path_factory.mktemp("dates-sandbox") / "var" / "telemed.db"
    async with running_sandbox(make_settings(database), port=0) as running:
        yield running


async def _refused_then_taken(
    person: SandboxPerson, ambiguous: str, hint: str, accepted: str
) -> None:
    """The ambiguous form gets the hint; the next message, in an accepted form, goes on."""
    await person.say(ambiguous)
    await person.wait_for_text(displayed(hint))
    await person.say(accepted)


async def _add_pet_typing_its_birthday(
    person: SandboxPerson,
    t: Callable[..., str],
    name: str,
    species_key: str,
    example: str,
    birthday: str,
) -> None:
    """A pet whose birthday is typed: first the ambiguous way, then as the prompt shows."""
    await person.say("/pets")
    await person.press(t("btn-pet-add"))
    await person.wait_for_text(displayed(t("msg-pet-ask-name")))
    await person.say(name)
    await person.press(t(species_key))
    skip = t("btn-pet-skip", mode="add")
    await person.press(skip)  # breed
    await person.press(t("btn-pet-sex-male"))
    await person.press(t("btn-pet-neutered-unknown"))
    prompt = await person.wait_for_text(displayed(t("msg-pet-ask-birth")))
    assert example in text_of(prompt) and "DD.MM" not in text_of(prompt)
    await _refused_then_taken(person, "12/4/2023", t("err-pet-birth-unreadable"), birthday)
    # The weight question shows the birthday was taken (the skip button of the birthday
    # question is still on screen until then).
    await person.wait_for_text(displayed(t("msg-pet-ask-weight", name=name)))
    await person.press(skip)  # weight
    await person.wait_for_text(t("msg-pet-ask-photo"))
    await person.press(skip)
    await person.wait_for_text(displayed(t("msg-pet-added", name=name)))


async def test_english_dates_read_one_way_when_typed_and_when_shown(
    sandbox: RunningSandbox, texts: FluentRuntimeCore
) -> None:
    def t(key: str, **values: object) -> str:
        return str(texts.get(key, EN, **values))

    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as api:
        calls_before = await last_call_id(api)
        ann = await SandboxPerson.join(api, "Ann", EN)
        await ann.onboard("English", "Continue", "I agree")
        await ann.wait_for_text("how can we help")

        await _add_pet_typing_its_birthday(
            ann, t, "Rex", "lbl-pet-species-dog", "5 Mar 2021", "Dec 4, 2023"
        )

        await ann.say("/pets")
        await ann.press("Rex")
        await ann.wait_for_text("Born: 4 Dec 2023")

        # A vaccination: the given date and the next dose typed in English forms.
        await ann.press(t("btn-record-medical-card"))
        await ann.press(t("btn-record-add"))
        await ann.press(t("lbl-record-kind-vaccination"))
        await ann.say("Nobivac DHPPi")
        date_prompt = await ann.wait_for_text("5 Mar 2024")  # the example the prompt gives
        assert "DD.MM" not in text_of(date_prompt)
        await _refused_then_taken(ann, "12/4/26", t("err-record-date-unreadable"), "Mar 5, 2025")
        await ann.wait_for_text(displayed(t("msg-record-ask-next-due")))
        await _refused_then_taken(ann, "3/5/2026", t("err-record-due-unreadable"), "2026-03-05")
        await ann.wait_for_text(t("msg-record-ask-batch"))
        await ann.say("A123B01")
        entry = await ann.wait_for(
            lambda m: "Nobivac DHPPi" in text_of(m) and "Given:" in text_of(m)
        )
        assert "Given: 5 Mar 2025" in text_of(entry)
        assert "5 Mar 2026" in text_of(entry)  # the next dose
        await ann.press("◀️ Back")  # from the entry to the card
        card = await ann.wait_for(
            lambda m: any("Nobivac DHPPi" in label for label in button_texts(m))
        )
        [row] = [label for label in button_texts(card) if "Nobivac DHPPi" in label]
        assert "5 Mar 2025 · Nobivac DHPPi" in row

        # Booking: the day buttons name the weekday and the month ("Sat 5 Dec").
        await ann.say("/book")
        await ann.press(t("lbl-zone-city-moscow"))  # asked once, at the first booking
        await ann.press("Rex")
        await ann.wait_for_text("What is the matter?")
        await ann.say("Limping")
        vets = await ann.wait_for(
            lambda m: displayed(t("msg-booking-vets")) in text_of(m) and bool(button_texts(m))
        )
        await ann.press(button_texts(vets)[0])
        days = await ann.wait_for(
            lambda m: displayed(t("msg-booking-day")) in text_of(m) and bool(button_texts(m))
        )
        day_labels = [label for label in button_texts(days) if DAY_BUTTON.fullmatch(label)]
        assert day_labels, button_texts(days)

        # Nowhere in the whole chat a numeric day and month an English reader could swap.
        shown = [
            piece
            for message in await ann.bot_messages()
            for piece in (text_of(message), *button_texts(message))
        ]
        assert [piece for piece in shown if NUMERIC_DAY_AND_MONTH.search(piece)] == []

        await assert_clean_run(api, texts, [ann.id], calls_after=calls_before)


async def test_russian_dates_are_typed_and_shown_the_russian_way(
    sandbox: RunningSandbox, texts: FluentRuntimeCore
) -> None:
    def t(key: str, **values: object) -> str:
        return str(texts.get(key, RU, **values))

    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as api:
        calls_before = await last_call_id(api)
        olga = await SandboxPerson.join(api, "Olga", RU)
        await olga.onboard("Русский", "Продолжить", "Согласен")
        await _add_pet_typing_its_birthday(
            olga, t, "Барсик", "lbl-pet-species-cat", "05.03.2021", "4 декабря 2023"
        )
        await olga.say("/pets")
        await olga.press("Барсик")
        await olga.wait_for_text("Дата рождения: 4 декабря 2023")
        await assert_clean_run(api, texts, [olga.id], calls_after=calls_before)
