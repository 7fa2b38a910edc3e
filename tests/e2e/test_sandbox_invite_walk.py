"""The invite a newcomer opens, walked in the sandbox over HTTP, in both languages.

An owner shares a pet from its card (the link comes with a Share button Telegram accepts); a
newcomer opens the link and goes through language and consent FIRST — nothing is granted
before — then lands on the shared pet's card; the owner is told in their own language, and
their open sharing screen now lists the newcomer.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from aiogram_i18n.cores import FluentRuntimeCore

from bot.run_modes import RunningSandbox, running_sandbox
from core.enums import AccessLevel, Species
from core.interactors.pets import AddPet, ListMyPets, PetDraft
from tests.conftest import make_settings
from tests.support.chatting import load_texts
from tests.support.clean_run import assert_clean_run, displayed, last_call_id
from tests.support.sandbox_person import SandboxPerson, button_texts, keyboard, text_of

PAYLOAD = re.compile(r"https://t\.me/[A-Za-z0-9_]+\?start=(inv_[A-Za-z0-9_-]+)")


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture(scope="module")
async def sandbox(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningSandbox]:
    database: Path = tmp_path_factory.mktemp("invite-sandbox") / "var" / "telemed.db"
    async with running_sandbox(make_settings(database), port=0) as running:
        yield running


async def _onboard(person: SandboxPerson, texts: FluentRuntimeCore, locale: str) -> None:
    await person.press(texts.get(f"btn-lang-{locale}", locale))
    await person.press(texts.get("btn-continue", locale))
    await person.press(texts.get("btn-consent-agree", locale))


async def _shared_pets(sandbox: RunningSandbox, telegram_id: int) -> list[tuple[str, AccessLevel]]:
    async with sandbox.bot_app.container() as request:
        listed = await (await request.get(ListMyPets))(telegram_id)
    return [(item.pet.name, item.level) for item in listed]


@pytest.mark.parametrize(
    ("owner_locale", "newcomer_locale"), [("ru", "en"), ("en", "ru")], ids=["ru-owner", "en-owner"]
)
async def test_a_newcomer_agrees_first_then_lands_on_the_shared_card_and_the_owner_is_told(
    sandbox: RunningSandbox, texts: FluentRuntimeCore, owner_locale: str, newcomer_locale: str
) -> None:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as api:
        calls_before = await last_call_id(api)
        anna = await SandboxPerson.join(api, "Anna", owner_locale)
        await anna.say("/start")
        await _onboard(anna, texts, owner_locale)
        await anna.wait_for(lambda m: texts.get("btn-menu-pets", owner_locale) in button_texts(m))
        pet_name = f"Мурзик {owner_locale}"
        async with sandbox.bot_app.container() as request:
            await (await request.get(AddPet))(
                anna.id, PetDraft(name=pet_name, species=Species.CAT)
            )

        # Anna opens the card → Sharing → a viewer invite, with a Share button.
        await anna.say("/pets")
        await anna.press(pet_name)
        await anna.press(texts.get("btn-pet-sharing", owner_locale))
        await anna.press(texts.get("btn-sharing-invite-viewer", owner_locale))
        invite = await anna.wait_for(lambda m: PAYLOAD.search(text_of(m)) is not None)
        found = PAYLOAD.search(text_of(invite))
        assert found is not None
        link, payload = found.group(0), found.group(1)
        [[share]] = keyboard(invite)
        assert share["text"] == texts.get("btn-sharing-share", owner_locale)
        shared = urlsplit(share["url"])
        assert (shared.netloc, shared.path) == ("t.me", "/share/url")
        assert parse_qs(shared.query)["url"] == [link]
        assert pet_name in parse_qs(shared.query)["text"][0]
        # Her sharing screen stays open under the link, listing only her.
        sharing_screen = await anna.wait_for(
            lambda m: "Anna" in text_of(m) and any(button for button in keyboard(m))
        )
        assert "Bob" not in text_of(sharing_screen)

        # Bob opens the link: language and consent first, nothing granted before.
        bob = await SandboxPerson.join(api, "Bob", newcomer_locale)
        await bob.say(f"/start {payload}")
        language_button = texts.get("btn-lang-en", newcomer_locale)
        await bob.wait_for(lambda m: language_button in button_texts(m))
        # The first thing he sees is the language choice: no "access granted" before it.
        assert [text_of(m) for m in await bob.bot_messages()] == [
            displayed(texts.get("msg-choose-language", newcomer_locale))
        ]
        assert await _shared_pets(sandbox, bob.id) == []
        await _onboard(bob, texts, newcomer_locale)

        viewer = texts.get("lbl-pet-access-viewer", newcomer_locale)
        await bob.wait_for_text(
            displayed(
                texts.get("msg-invite-accepted", newcomer_locale, name=pet_name, level=viewer)
            )
        )
        # He lands on the shared pet's card, not the main menu.
        card = (await bob.bot_messages())[-1]
        assert pet_name in text_of(card)
        assert displayed(texts.get("lbl-pet-card-access", newcomer_locale, access=viewer)) in (
            text_of(card)
        )
        assert await _shared_pets(sandbox, bob.id) == [(pet_name, AccessLevel.VIEWER)]

        # Anna is told, in her language, and her sharing screen lists Bob now.
        await anna.wait_for_text(
            displayed(
                texts.get(
                    "msg-sharing-invite-accepted-owner",
                    owner_locale,
                    member="Bob",
                    name=pet_name,
                    level=texts.get("lbl-pet-access-viewer", owner_locale),
                )
            )
        )
        await anna.wait_for(
            lambda m: m["message_id"] == sharing_screen["message_id"] and "Bob" in text_of(m)
        )
        await assert_clean_run(api, texts, [anna.id, bob.id], calls_after=calls_before)
