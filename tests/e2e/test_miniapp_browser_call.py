"""The Mini App in headless Chromium against a running sandbox: the owner's page and the vet's
page hold a call through the `builtin` provider (fake camera and microphone), reconnect after
the vet's page reloads, fall back to audio when the camera is refused; the Records screen shows
the pet's card.

Each page opens the sandbox's Mini App as Telegram would: `/miniapp/?appointment=<id>` with the
launch parameters in the fragment (initData from the control API, signed with the sandbox
bot's token), and the sandbox's stand-in for Telegram's script.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

from bot.run_modes import RunningSandbox, running_sandbox
from core.config import Settings
from core.interactors.records import AddRecord, VaccinationDraft, WeightDraft
from tests.conftest import make_settings
from tests.support.miniapp_pages import (
    MEDIA_ARGS,
    frames_decoded_grow,
    launch_fragment,
    wait_connected,
)
from tests.support.webapp_replicas import SeededCall, seed_call

pytestmark = [pytest.mark.browser]

# The contract: a peer that drops and comes back is in the call again within 10 s.
RECONNECT_WITHIN_MS = 10_000


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return make_settings(tmp_path_factory.mktemp("miniapp-browser") / "var" / "telemed.db")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def sandbox(settings: Settings) -> AsyncIterator[RunningSandbox]:
    async with running_sandbox(settings, port=0) as running:
        yield running


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def api(sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as client:
        yield client


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def browser(chromium_path: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(chromium_path), args=MEDIA_ARGS, headless=True
        )
        yield browser
        await browser.close()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def camera_refusing_browser(chromium_path: Path) -> AsyncIterator[Browser]:
    """Fake devices but no fake permission prompt: each context grants only what it is told."""
    async with async_playwright() as playwright:
        args = [arg for arg in MEDIA_ARGS if arg != "--use-fake-ui-for-media-stream"]
        browser = await playwright.chromium.launch(
            executable_path=str(chromium_path), args=args, headless=True
        )
        yield browser
        await browser.close()


async def _open_call(sandbox: RunningSandbox, settings: Settings) -> SeededCall:
    """An appointment starting in 5 minutes (its call window open), its room made by the
    scheduler's job; the owner and the vet are chat users of the sandbox."""
    call = await seed_call(settings, sandbox.token, starts_in=timedelta(minutes=5))
    emulator = sandbox.app.state.emulator
    emulator.add_user("Owner", user_id=call.owner, language_code="en")
    emulator.add_user("Vet", user_id=call.vet, language_code="en")
    emulator.add_user("Viewer", user_id=call.viewer, language_code="ru")
    return call


async def _open_page(
    context: BrowserContext,
    api: httpx.AsyncClient,
    appointment_id: int,
    telegram_id: int,
    screen: str | None = None,
) -> Page:
    response = await api.get(f"/sandbox/api/users/{telegram_id}/webapp_init_data")
    response.raise_for_status()
    query = f"appointment={appointment_id}" + (f"&screen={screen}" if screen else "")
    page = await context.new_page()
    page.on("console", lambda message: print(f"[{telegram_id}] {message.type}: {message.text}"))
    page.on("pageerror", lambda error: print(f"[{telegram_id}] pageerror: {error}"))
    fragment = launch_fragment(response.json()["init_data"])
    await page.goto(f"{api.base_url}/miniapp/?{query}#{fragment}")
    return page


async def test_owner_and_vet_hold_a_call_and_each_reloads_back_into_it(
    sandbox: RunningSandbox, settings: Settings, api: httpx.AsyncClient, browser: Browser
) -> None:
    call = await _open_call(sandbox, settings)
    owner_context = await browser.new_context()
    vet_context = await browser.new_context()
    try:
        owner = await _open_page(owner_context, api, call.appointment_id, call.owner)
        await expect(owner.get_by_test_id("call-status")).to_have_text("Waiting for the vet…")
        vet = await _open_page(vet_context, api, call.appointment_id, call.vet)

        for page in (owner, vet):
            await wait_connected(page)
        for page in (owner, vet):
            assert await frames_decoded_grow(page)
        await expect(vet.get_by_test_id("call-status")).to_have_text("Connected")
        await expect(vet.get_by_test_id("call-quality")).not_to_be_empty()
        await expect(vet.get_by_test_id("call-notes")).to_be_visible()
        await expect(owner.get_by_test_id("call-notes")).to_have_count(0)

        # The vet's page drops out and comes back (a reload: a new page, a new connection).
        await vet.reload()
        for page in (vet, owner):
            await wait_connected(page, timeout_ms=RECONNECT_WITHIN_MS)
        for page in (owner, vet):
            assert await frames_decoded_grow(page)
        # And the owner's (the answering side's) page too.
        await owner.reload()
        for page in (owner, vet):
            await wait_connected(page, timeout_ms=RECONNECT_WITHIN_MS)
        assert await frames_decoded_grow(owner)

        await owner.get_by_test_id("call-hang-up").click()
        await expect(owner.get_by_test_id("call-status")).to_have_text("The call has ended.")
        await expect(vet.get_by_test_id("call-status")).to_have_text("Waiting for the owner…")
    finally:
        await owner_context.close()
        await vet_context.close()


async def test_camera_refused_joins_with_audio_only_and_still_sees_the_vet(
    sandbox: RunningSandbox,
    settings: Settings,
    api: httpx.AsyncClient,
    browser: Browser,
    camera_refusing_browser: Browser,
) -> None:
    call = await _open_call(sandbox, settings)
    owner_context = await camera_refusing_browser.new_context()
    await owner_context.grant_permissions(["microphone"])  # the camera is refused
    vet_context = await browser.new_context()
    try:
        owner = await _open_page(owner_context, api, call.appointment_id, call.owner)
        await expect(owner.locator("[data-media]")).to_have_attribute("data-media", "audio")
        await expect(owner.get_by_test_id("call-notice")).to_contain_text("refused the camera")
        await expect(owner.get_by_test_id("call-camera")).to_be_disabled()
        vet = await _open_page(vet_context, api, call.appointment_id, call.vet)
        for page in (owner, vet):
            await wait_connected(page)
        # The owner sends no video, yet sees the vet's.
        assert await frames_decoded_grow(owner)
    finally:
        await owner_context.close()
        await vet_context.close()


async def test_joining_before_the_window_says_when_it_opens(
    sandbox: RunningSandbox, settings: Settings, api: httpx.AsyncClient, browser: Browser
) -> None:
    call = await seed_call(settings, sandbox.token, starts_in=timedelta(hours=3), room=False)
    sandbox.app.state.emulator.add_user("Early", user_id=call.owner, language_code="en")
    context = await browser.new_context(timezone_id="Asia/Tokyo")
    try:
        page = await _open_page(context, api, call.appointment_id, call.owner)
        opens = datetime.now(UTC) + timedelta(hours=3) - timedelta(minutes=10)
        tokyo = (opens + timedelta(hours=9)).strftime("%H:")  # the user's local time
        status = page.get_by_test_id("call-status")
        await expect(status).to_contain_text("The call opens at")
        await expect(status).to_contain_text(tokyo)
    finally:
        await context.close()


async def test_records_screen_shows_the_pets_card(
    sandbox: RunningSandbox, settings: Settings, api: httpx.AsyncClient, browser: Browser
) -> None:
    call = await _open_call(sandbox, settings)
    today = datetime.now(UTC).date()
    async with sandbox.bot_app.container() as request:
        add = await request.get(AddRecord)
        await add(
            call.owner,
            call.pet_id,
            VaccinationDraft(
                product="Nobivac Tricat",
                given_on=today - timedelta(days=400),
                next_due=today - timedelta(days=35),
            ),
        )
        await add(call.owner, call.pet_id, WeightDraft(grams=4200, measured_on=today))
    context = await browser.new_context()
    try:
        page = await _open_page(context, api, call.appointment_id, call.owner, screen="records")
        await expect(page.get_by_test_id("pet-name")).to_have_text("Murka")
        vaccinations = page.get_by_test_id("vaccinations")
        await expect(vaccinations).to_contain_text("Nobivac Tricat")
        await expect(vaccinations.get_by_test_id("overdue")).to_have_text("overdue")
        await expect(page.get_by_test_id("weights")).to_contain_text("4.2 kg")
        # The tab bar leads back to the call; Telegram's BackButton returns to the card.
        await page.get_by_test_id("tab-call").click()
        await expect(page.get_by_test_id("screen-call")).to_be_visible()
        await page.get_by_test_id("tg-back-button").click()
        await expect(page.get_by_test_id("screen-records")).to_be_visible()

        # A viewer of the pet (ru) gets the card first, with no call tab, in Russian.
        viewer = await _open_page(context, api, call.appointment_id, call.viewer)
        await expect(viewer.get_by_test_id("pet-name")).to_have_text("Murka")
        await expect(viewer.get_by_test_id("tab-call")).to_have_count(0)
        await expect(viewer.get_by_test_id("vaccinations")).to_contain_text("просрочено")
    finally:
        await context.close()
