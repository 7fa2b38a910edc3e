"""Triage follow-ups in the sandbox, over real HTTP (issue #12): a check that ends 🟡, the clock
moved on a day, "How is Rex now?" in the chat with its three buttons, "Worse → re-check" → the
check opens for Rex with the earlier answers selected, each one still the owner's to change.
(A second press, a crafted id, Better and Same: tests/integration/test_follow_up_buttons.py.)"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import time

import httpx
import pytest
from aiogram_i18n.cores import FluentRuntimeCore

from bot.run_modes import RunningSandbox, running_sandbox
from core.enums import Sex, Species
from core.interactors.pets import AddPet, PetDraft
from core.interactors.reminder_settings import SetQuietHours
from tests.conftest import make_settings
from tests.support.chatting import load_texts
from tests.support.sandbox_person import SandboxPerson, button_texts, text_of

DAY_S = 24 * 3600
NO_QUIET_HOURS = time(0, 0)


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture(scope="module")
async def sandbox(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningSandbox]:
    root = tmp_path_factory.mktemp("follow-up-walk")
    async with running_sandbox(make_settings(root / "var" / "telemed.db"), port=0) as running:
        yield running


@pytest.fixture
async def api(sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=60) as client:
        yield client


async def _owner_of_rex(sandbox: RunningSandbox, api: httpx.AsyncClient) -> SandboxPerson:
    owner = await SandboxPerson.join(api, "Followed owner", "en")
    await owner.onboard("English", "Continue", "I agree")
    async with sandbox.bot_app.container() as request:
        await (await request.get(AddPet))(
            owner.id, PetDraft(name="Rex", species=Species.DOG, sex=Sex.MALE)
        )
        # The walk must not depend on the hour it runs at: a day on could fall into the quiet
        # hours and wait for the morning (tests/integration/test_follow_ups.py covers that).
        await (await request.get(SetQuietHours))(owner.id, NO_QUIET_HOURS, NO_QUIET_HOURS)
    return owner


def t(texts: FluentRuntimeCore, key: str, **args: object) -> str:
    return str(texts.get(key, "en", **args))


async def test_worse_under_a_follow_up_reopens_the_check_with_the_earlier_answers(
    sandbox: RunningSandbox, api: httpx.AsyncClient, texts: FluentRuntimeCore
) -> None:
    owner = await _owner_of_rex(sandbox, api)

    # A check that ends 🟡: vomited five times in a day, vaccinated.
    await owner.say("/check")
    await owner.press("Rex")
    await owner.press(t(texts, "btn-check-none-of-these"))
    await owner.press(t(texts, "area-digestion"))
    await owner.press(t(texts, "sign-vomiting"))
    await owner.press(t(texts, "btn-continue"))
    await owner.wait_for_text(t(texts, "q-vomiting-count-24h"))
    await owner.say("5")
    await owner.wait_for_text(t(texts, "q-vaccinated"))
    await owner.press(t(texts, "btn-yes"))
    await owner.press(t(texts, "btn-check-skip-photos"))
    await owner.press(t(texts, "btn-check-submit"))
    await owner.wait_for(lambda m: text_of(m).startswith("🟡"))

    better, same, worse = (
        t(texts, f"btn-follow-up-{answer}") for answer in ("better", "same", "worse")
    )
    question = "How is Rex now?"
    messages = await owner.bot_messages()
    assert not any(question in text_of(m) for m in messages)  # nothing before its time

    moved = await api.post("/sandbox/api/clock", json={"seconds": DAY_S})
    assert moved.status_code == 200, moved.text
    asked = await owner.wait_for(lambda m: question in text_of(m))
    assert button_texts(asked) == [better, same, worse]

    await owner.press(worse)
    # The question now shows the answer, without its buttons...
    answered = await owner.wait_for(
        lambda m: m["message_id"] == asked["message_id"] and "Worse" in text_of(m)
    )
    assert button_texts(answered) == []
    assert t(texts, "msg-follow-up-worse", name="Rex").splitlines()[-1] in text_of(answered)
    # ...and the check opens for Rex at its first screen.
    await owner.wait_for_text("Rex: the important things first.")
    await owner.press(t(texts, "btn-check-none-of-these"))
    # The earlier sign is ticked already: Continue goes straight to its questions.
    area = await owner.wait_for_text(t(texts, "msg-check-area"))
    assert "Already ticked: vomiting" in text_of(area)
    await owner.press(t(texts, "btn-continue"))
    count = await owner.wait_for_text(t(texts, "q-vomiting-count-24h"))
    assert "↩ As last time: 5 times" in button_texts(count)
    # Each earlier answer is offered, none forced: this one changes.
    await owner.say("8")
    vaccinated = await owner.wait_for_text(t(texts, "q-vaccinated"))
    assert "↩ As last time: yes" in button_texts(vaccinated)
    await owner.press("As last time: yes")
    await owner.press(t(texts, "btn-check-skip-photos"))
    summary = await owner.wait_for(lambda m: t(texts, "btn-check-submit") in button_texts(m))
    assert "8 times" in text_of(summary)
    assert f"{t(texts, 'q-vaccinated')} — yes" in text_of(summary)
