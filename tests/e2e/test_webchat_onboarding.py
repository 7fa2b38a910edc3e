"""A newcomer's first minute, in a real browser: open the web chat, /start, click, read."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, async_playwright, expect

from bot.run_modes import RunningSandbox, running_sandbox
from tests.conftest import CHROMIUM_ARGS, make_settings
from tests.support.chatting import load_texts

pytestmark = [pytest.mark.browser]

SLOW_USER_CREATION = """() => {
  const fetch = window.fetch;
  window.fetch = async (url, options = {}) => {
    if (String(url).endsWith("/sandbox/api/users") && options.method === "POST") {
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    return fetch(url, options);
  };
}"""


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def sandbox(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningSandbox]:
    database = tmp_path_factory.mktemp("webchat") / "var" / "telemed.db"
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


async def test_newcomer_starts_the_bot_and_picks_english_in_the_web_chat(
    sandbox: RunningSandbox, page: Page, tmp_path: Path
) -> None:
    texts = await load_texts()
    await page.goto(sandbox.base_url)
    await page.wait_for_selector("body[data-ready]")
    if not await page.get_by_test_id("new-user-form").is_visible():
        await page.get_by_test_id("new-user-toggle").click()
    await page.get_by_test_id("new-user-name").fill("Maria")
    await page.get_by_test_id("new-user-language").select_option("en")

    # A slow answer to "create the user" (a loaded machine), delayed in the page itself so the
    # test goes on typing meanwhile: /start typed at once must still reach the newcomer, not
    # the user whose chat was on screen before.
    await page.evaluate(SLOW_USER_CREATION)
    await page.get_by_test_id("new-user-submit").click()

    await page.get_by_test_id("message-input").fill("/start")
    await page.get_by_test_id("message-input").press("Enter")
    # The newcomer's own chat shows what they typed (it did not go to the previous user).
    await expect(page.get_by_test_id("user-select").locator("option:checked")).to_contain_text(
        "Maria"
    )
    typed = page.locator('[data-testid="message"][data-from-bot="false"]').first
    await expect(typed.get_by_test_id("message-text")).to_have_text("/start")
    window = page.locator('[data-testid="message"][data-from-bot="true"]').last
    await expect(window.get_by_test_id("message-text")).to_have_text(
        texts.get("msg-choose-language", "en")
    )

    await window.get_by_test_id("inline-button").filter(has_text="English").click()
    await expect(window.get_by_test_id("message-text")).to_contain_text(
        "What we don't do", timeout=15_000
    )
    # The HTML the bot sent is rendered as markup, not shown as tags.
    await expect(window.locator("b").first).to_have_text("Telemed-Pet")
    await window.get_by_test_id("inline-button").filter(has_text="Continue").click()
    await window.get_by_test_id("inline-button").filter(has_text="I agree").click()
    await expect(window.get_by_test_id("message-text")).to_contain_text("how can we help?")
    await expect(window.get_by_test_id("inline-button")).to_contain_text(
        ["🐾 My pets", "🩺 Symptom check", "📅 Book a vet", "📋 Records", "🌐 Language"]
    )
    await page.screenshot(path=str(tmp_path / "webchat-main-menu.png"))
    if shot := os.environ.get("TELEMED_SCREENSHOT"):
        await page.screenshot(path=shot)


async def test_high_card_and_nearest_clinics_in_the_browser(
    sandbox: RunningSandbox, page: Page
) -> None:
    from core.enums import Sex, Species
    from core.interactors.pets import AddPet, PetDraft

    texts = await load_texts()
    await page.goto(sandbox.base_url)
    await page.wait_for_selector("body[data-ready]")
    if not await page.get_by_test_id("new-user-form").is_visible():
        await page.get_by_test_id("new-user-toggle").click()
    await page.get_by_test_id("new-user-name").fill("Oleg")
    await page.get_by_test_id("new-user-language").select_option("en")
    await page.get_by_test_id("new-user-submit").click()
    await page.get_by_test_id("message-input").fill("/start")
    await page.get_by_test_id("message-input").press("Enter")
    window = page.locator('[data-testid="message"][data-from-bot="true"]').last
    for label in ("English", "Continue", "I agree"):
        await window.get_by_test_id("inline-button").filter(has_text=label).click()
    await expect(window.get_by_test_id("message-text")).to_contain_text("how can we help?")

    user_id = int(await page.get_by_test_id("user-select").input_value())
    async with sandbox.bot_app.container() as request:
        await (await request.get(AddPet))(
            user_id, PetDraft(name="Murzik", species=Species.CAT, sex=Sex.MALE)
        )
    await page.get_by_test_id("message-input").fill("/check")
    await page.get_by_test_id("message-input").press("Enter")
    window = page.locator('[data-testid="message"][data-from-bot="true"]').last
    await window.get_by_test_id("inline-button").filter(has_text="Murzik").click()
    await (
        window.get_by_test_id("inline-button")
        .filter(has_text=texts.get("screen-urinary-blockage", "en"))
        .click()
    )
    await (
        window.get_by_test_id("inline-button")
        .filter(has_text=texts.get("btn-check-emergency-go", "en"))
        .click()
    )
    await expect(page.get_by_test_id("chat")).to_contain_text(
        "take Murzik to a 24/7 clinic right now"
    )
    # Under the card, the one-tap location request (a reply keyboard in Telegram).
    last = page.locator('[data-testid="message"][data-from-bot="true"]').last
    await expect(last.get_by_test_id("message-text")).to_contain_text("Send my location")

    page.once("dialog", lambda dialog: asyncio.ensure_future(dialog.accept("55.74, 37.65")))
    await page.get_by_test_id("location-button").click()
    await expect(page.get_by_test_id("chat")).to_contain_text("Nearest 24/7 clinics")
    await expect(page.get_by_test_id("chat")).to_contain_text("Ветклиника «Лапа» 24/7")
    if shot := os.environ.get("TELEMED_SCREENSHOT_CHECK"):
        await page.screenshot(path=shot, full_page=True)
