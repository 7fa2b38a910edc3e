"""The Mini App inside the sandbox's web chat, as a newcomer uses it: the chat page of a given
user (`/?user=<id>`, one per browser tab) opens the Mini App in its frame with Telegram's
launch parameters and theme; the chat draws the MainButton and the Back button the Mini App
asks for, sends their presses back, shows haptic feedback, and passes a theme change on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, async_playwright, expect

from bot.run_modes import RunningSandbox, running_sandbox
from core.config import Settings
from tests.conftest import make_settings
from tests.support.miniapp_pages import MEDIA_ARGS
from tests.support.webapp_replicas import seed_call

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return make_settings(tmp_path_factory.mktemp("miniapp-webchat") / "var" / "telemed.db")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def sandbox(settings: Settings) -> AsyncIterator[RunningSandbox]:
    async with running_sandbox(settings, port=0) as running:
        yield running


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def browser(chromium_path: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(chromium_path), args=MEDIA_ARGS, headless=True
        )
        yield browser
        await browser.close()


async def test_the_web_chat_hosts_the_mini_app_with_telegrams_buttons_and_theme(
    sandbox: RunningSandbox, settings: Settings, browser: Browser
) -> None:
    call = await seed_call(settings, sandbox.token, starts_in=timedelta(minutes=5))
    emulator = sandbox.app.state.emulator
    emulator.add_user("Owner", user_id=call.owner, language_code="en")
    emulator.add_user("Doctor", user_id=call.vet, language_code="en")
    context = await browser.new_context(color_scheme="light")
    try:
        # Another tab chose the owner last: the URL's user still wins in this one.
        owner_tab = await context.new_page()
        await owner_tab.goto(f"{sandbox.base_url}/?user={call.owner}")
        await expect(owner_tab.locator("body[data-ready=true]")).to_have_count(1)
        page = await context.new_page()
        await page.goto(f"{sandbox.base_url}/?user={call.vet}")
        await expect(page.locator("body[data-ready=true]")).to_have_count(1)
        await expect(page.get_by_test_id("user-select")).to_have_value(str(call.vet))

        url = f"{sandbox.base_url}/miniapp/?appointment={call.appointment_id}&screen=report"
        # As a web_app button of the vet's Join message would (openWebApp is the chat's own).
        await page.evaluate("([url]) => openWebApp(url, 'Report')", [url])
        iframe = page.get_by_test_id("webapp-frame")
        await expect(iframe).to_have_attribute("allow", "camera; microphone; autoplay")
        frame = page.frame_locator('[data-testid="webapp-frame"]')
        await expect(page.get_by_test_id("webapp")).to_have_attribute("data-ready", "true")
        await expect(frame.locator("html")).to_have_attribute("data-scheme", "light")

        # The report screen asks for a MainButton: the chat draws it and its press submits.
        await frame.get_by_test_id("report-assessment").fill("Bright and alert")
        await frame.get_by_test_id("report-diagnosis").fill("Healthy")
        main_button = page.get_by_test_id("webapp-main-button")
        await expect(main_button).to_have_text("Submit report")
        await main_button.click()
        await expect(frame.get_by_test_id("report-view")).to_contain_text("Healthy")
        await expect(main_button).to_be_hidden()

        # Another tab: a haptic tick, and the Back button the Mini App now shows returns.
        await frame.get_by_test_id("tab-brief").click()
        await expect(page.get_by_test_id("webapp-haptic")).to_contain_text("selection_change")
        await expect(frame.get_by_test_id("pet-name")).to_have_text("Murka")
        back = page.get_by_test_id("webapp-back")
        await expect(back).to_be_visible()
        await back.click()
        await expect(frame.get_by_test_id("screen-report")).to_be_visible()
        await expect(back).to_be_hidden()

        # The chat goes dark: the Mini App follows (theme_changed).
        await page.emulate_media(color_scheme="dark")
        await expect(frame.locator("html")).to_have_attribute("data-scheme", "dark")
    finally:
        await context.close()
