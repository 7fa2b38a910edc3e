"""The web chat page reopens on the user chosen last, and its "+ user" form takes an id."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, async_playwright, expect

from sandbox import create_sandbox_app
from sandbox.testing import BackgroundServer
from sandbox.token import load_or_make_token
from tests.conftest import CHROMIUM_ARGS

pytestmark = [pytest.mark.browser]

DEMO_VET_ID = 5_550_001


@pytest.fixture
def server(tmp_path: Path) -> Iterator[BackgroundServer]:
    server = BackgroundServer(create_sandbox_app(load_or_make_token(tmp_path), data_dir=tmp_path))
    server.start()
    yield server
    server.stop()


@pytest_asyncio.fixture(loop_scope="session")
async def browser(chromium_path: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        await browser.close()


async def test_the_page_reopens_on_the_last_chosen_user_not_the_first_one(
    server: BackgroundServer, browser: Browser
) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as api:
        # The sandbox creates its demo vets first: they must not be what the page falls back to.
        await api.post("/sandbox/api/users", json={"id": DEMO_VET_ID, "first_name": "Анна"})

        context = await browser.new_context()
        page = await context.new_page()
        await page.goto(server.base_url)
        await page.wait_for_selector("body[data-ready]")
        if not await page.get_by_test_id("new-user-form").is_visible():
            await page.get_by_test_id("new-user-toggle").click()
        await page.get_by_test_id("new-user-name").fill("Маша")
        await page.get_by_test_id("new-user-id").fill("4040")
        await page.get_by_test_id("new-user-submit").click()
        await expect(page.get_by_test_id("user-select")).to_have_value("4040")
        assert 4040 in {user["id"] for user in (await api.get("/sandbox/api/users")).json()}

        # Someone else appears; a reload still opens Маша's chat, remembered by the page.
        await api.post("/sandbox/api/users", json={"id": 4141, "first_name": "Петя"})
        await page.goto(server.base_url)
        await page.wait_for_selector("body[data-ready]")
        await expect(page.get_by_test_id("user-select")).to_have_value("4040")
        await context.close()

        # A browser that remembers nobody opens the newest user, not the first (a demo vet).
        fresh = await browser.new_context()
        page = await fresh.new_page()
        await page.goto(server.base_url)
        await page.wait_for_selector("body[data-ready]")
        await expect(page.get_by_test_id("user-select")).to_have_value("4141")
        await fresh.close()
