"""The sandbox's own people, as a newcomer meets them: a pet owner to start as, demo vets
who speak the owner's language in their own words, and a demo admin who can invite a vet."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from aiogram_i18n.cores import FluentRuntimeCore

from bot.run_modes import RunningSandbox, running_sandbox
from core.enums import Sex, Species
from core.interactors.pets import AddPet, PetDraft
from core.ports.repositories import UserRepository, VetRepository
from core.ports.uow import UnitOfWork
from sandbox.demo import DEMO_ADMIN, DEMO_OWNER, DEMO_VETS, seed_demo_vets
from tests.conftest import make_settings
from tests.support.chatting import load_texts
from tests.support.sandbox_person import SandboxPerson, button_texts, text_of

CYRILLIC = re.compile("[А-Яа-яЁё]")
ONBOARDING = {
    "en": ("English", "Continue", "I agree"),
    "ru": ("Русский", "Продолжить", "Согласен"),
}


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture(scope="module")
async def sandbox(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningSandbox]:
    root = tmp_path_factory.mktemp("demo-people")
    async with running_sandbox(make_settings(root / "var" / "telemed.db"), port=0) as running:
        yield running


@pytest.fixture
async def api(sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as client:
        yield client


async def test_a_fresh_sandbox_has_an_owner_to_start_as_and_labels_its_vets_and_admin(
    tmp_path: Path,
) -> None:
    settings = make_settings(tmp_path / "var" / "telemed.db")
    data_dir = tmp_path / "sandbox"
    async with (
        running_sandbox(settings, port=0, data_dir=data_dir) as first,
        httpx.AsyncClient(base_url=first.base_url) as api,
    ):
        users = (await api.get("/sandbox/api/users")).json()
    labels = {user["id"]: user["label"] for user in users}
    assert {labels[vet.telegram_id] for vet in DEMO_VETS} == {"vet"}
    assert labels[DEMO_ADMIN.telegram_id] == "admin"
    owners = [user for user in users if user["label"] == "owner"]
    assert [(u["first_name"], u.get("language_code")) for u in owners] == [
        (DEMO_OWNER.first_name, DEMO_OWNER.language)
    ]
    # The labels are the sandbox's, not Telegram's: the bot never sees them.
    assert "label" not in json.dumps(first.app.state.emulator.users[owners[0]["id"]].to_api())

    # A world saved before users had labels still loads; the demo people are labelled again
    # and, as someone else is there already, no second owner is made.
    state_file = data_dir / "state.json"
    saved = json.loads(state_file.read_text(encoding="utf-8"))
    for user in saved["users"]:
        del user["label"]
    state_file.write_text(json.dumps(saved), encoding="utf-8")
    async with (
        running_sandbox(settings, port=0, data_dir=data_dir) as second,
        httpx.AsyncClient(base_url=second.base_url) as api,
    ):
        again = {
            user["id"]: user["label"] for user in (await api.get("/sandbox/api/users")).json()
        }
    assert again == {**labels, owners[0]["id"]: None}


async def test_the_demo_admin_invites_a_vet_who_joins_and_opens_the_review_list(
    api: httpx.AsyncClient, texts: FluentRuntimeCore
) -> None:
    assert DEMO_ADMIN.telegram_id is not None
    admin = SandboxPerson(api, DEMO_ADMIN.telegram_id)
    await admin.say("/vet_invite")
    invite = await admin.wait_for_text("?start=vet_")
    payload = re.search(r"\?start=(vet_\S+)", text_of(invite))
    assert payload is not None
    newcomer = await SandboxPerson.join(api, "Доктор Новикова", "ru")
    await newcomer.say(f"/start {payload.group(1)}")
    accepted = str(texts.get("msg-vet-invite-accepted", "ru")).splitlines()[0]
    await newcomer.wait_for_text(accepted)
    # The admin's review list opens (empty until the new vet submits the profile form).
    await admin.say("/vets_pending")
    await admin.wait_for_text(str(texts.get("msg-vet-pending-empty", DEMO_ADMIN.language)))


async def _vets_offered(
    sandbox: RunningSandbox, api: httpx.AsyncClient, language: str
) -> list[str]:
    """The vet buttons an owner speaking `language` gets when booking for a cat."""
    texts = await load_texts()
    owner = await SandboxPerson.join(api, f"Owner {language}", language)
    await owner.onboard(*ONBOARDING[language])
    async with sandbox.bot_app.container() as request:
        await (await request.get(AddPet))(
            owner.id, PetDraft(name=f"Murka {language}", species=Species.CAT, sex=Sex.FEMALE)
        )
    await owner.say("/book")
    await owner.press(texts.get("lbl-zone-city-moscow", language))  # asked once
    await owner.press(f"Murka {language}")
    await owner.say("Coughing since Monday")
    vets = await owner.wait_for(
        lambda m: (
            str(texts.get("msg-booking-vets", language)) in text_of(m) and bool(button_texts(m))
        )
    )
    return [
        label for label in button_texts(vets) if any(v.display_name in label for v in DEMO_VETS)
    ]


@pytest.mark.parametrize("language", ["en", "ru"])
async def test_owners_see_demo_vets_who_speak_their_language_in_their_own_words(
    sandbox: RunningSandbox, api: httpx.AsyncClient, language: str
) -> None:
    offered = await _vets_offered(sandbox, api, language)
    expected = {vet.display_name for vet in DEMO_VETS if language in vet.languages}
    assert {name for name in expected if any(name in label for label in offered)} == expected
    assert len(offered) == len(expected)
    if language == "en":
        assert not [label for label in offered if CYRILLIC.search(label)]
    for vet in DEMO_VETS:
        # A profile has the one language its vet writes in.
        assert vet.languages == {vet.language}
        assert bool(CYRILLIC.search(vet.display_name + vet.bio)) == (vet.language == "ru")


async def test_a_demo_vet_saved_by_an_older_sandbox_gets_todays_profile(
    sandbox: RunningSandbox,
) -> None:
    ivan = next(vet for vet in DEMO_VETS if vet.first_name == "Иван")
    container = sandbox.bot_app.container
    async with container() as request:
        user = await (await request.get(UserRepository)).get_by_telegram_id(ivan.telegram_id)
        assert user is not None
        vets = await request.get(VetRepository)
        vet = await vets.get_by_user_id(user.id)
        assert vet is not None
        # What older sandboxes seeded: a Russian profile offered to English speakers too.
        await vets.save_profile(
            vet.id,
            display_name=ivan.display_name,
            specialisations="",
            species=ivan.species,
            languages=frozenset({"ru", "en"}),
            years_of_practice=0,
            price_amount=ivan.price_amount,
            bio="Демо-врач: любые питомцы, говорит по-английски.",
            photo_file_id=None,
            submitted_at=vet.created_at,
        )
        await (await request.get(UnitOfWork)).commit()

    await seed_demo_vets(container)

    async with container() as request:
        refreshed = await (await request.get(VetRepository)).get_by_user_id(user.id)
    assert refreshed is not None
    assert (refreshed.languages, refreshed.bio) == (ivan.languages, ivan.bio)
    assert refreshed.verified_at == vet.verified_at
