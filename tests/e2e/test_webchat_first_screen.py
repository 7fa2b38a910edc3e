"""A fresh sandbox's web chat opens as a pet owner, and its switcher says who the demo vets
and the demo admin are (it used to open as the newest demo vet, with no hint)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, async_playwright, expect

from bot.run_modes import RunningSandbox, running_sandbox
from sandbox.demo import DEMO_ADMIN, DEMO_OWNER, DEMO_VETS
from tests.conftest import CHROMIUM_ARGS, make_settings
from tests.support.chatting import load_texts

pytestmark = [pytest.mark.browser]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def sandbox(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningSandbox]:
    database = tmp_path_factory.mktemp("first-screen") / "var" / "telemed.db"
    async with running_sandbox(make_settings(database), port=0) as running:
        yield running


@pytest_asyncio.fixture(loop_scope="session")
async def page(chromium_path: Path) -> AsyncIterator[Page]:
    async with async_playwright() as playwright:
        browser: Browser = await playwright.chromium.launch(
            executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True
        )
        context = await browser.new_context()
        yield await context.new_page()
        await browser.close()


async def test_a_fresh_sandbox_opens_as_an_owner_with_vets_and_admin_labelled(
    sandbox: RunningSandbox, page: Page
) -> None:
    texts = await load_texts()
    await page.goto(sandbox.base_url)
    await page.wait_for_selector("body[data-ready]")

    chosen = page.locator('[data-testid="user-select"] option:checked')
    await expect(chosen).to_have_attribute("data-label", "owner")
    await expect(chosen).to_contain_text(f"{DEMO_OWNER.first_name} — 🐾 owner")
    options = page.get_by_test_id("user-select").locator("option")
    for vet in DEMO_VETS:
        await expect(options.filter(has_text=f"{vet.first_name} — 🩺 vet")).to_have_count(1)
    await expect(options.filter(has_text=f"{DEMO_ADMIN.first_name} — 🛡️ admin")).to_have_count(1)

    # The owner has not met the bot yet: /start begins the onboarding.
    await page.get_by_test_id("message-input").fill("/start")
    await page.get_by_test_id("message-input").press("Enter")
    reply = page.locator('[data-testid="message"][data-from-bot="true"]').last
    await expect(reply.get_by_test_id("message-text")).to_have_text(
        texts.get("msg-choose-language", DEMO_OWNER.language)
    )
