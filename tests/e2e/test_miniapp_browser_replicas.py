"""The call in headless Chromium with the owner's page served by one `telemed-pet webapp`
process and the vet's by another, the two sharing PostgreSQL and Redis (the signalling relay).

The replicas run as in production, so their page loads Telegram's own script from
telegram.org; this machine has no internet, so the browser is handed the sandbox's stand-in
at that address (the page's CSP allows telegram.org for exactly that script).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from init_data_py import UnsignedInitData, User, sign
from playwright.async_api import Browser, BrowserContext, Page, Route, async_playwright

from core.clock import SystemClock
from core.config import MiniAppSection
from db.migrate import upgrade_to_head_async
from sandbox.web import WEB_DIR
from tests.integration.conftest import PostgresServer, postgres_server  # noqa: F401 (fixture)
from tests.support.miniapp_pages import (
    MEDIA_ARGS,
    frames_decoded_grow,
    launch_fragment,
    wait_connected,
)
from tests.support.webapp_replicas import (
    SeededCall,
    WebappReplicas,
    running_webapp_replicas,
    seed_open_call,
)

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def replicas(
    postgres_server: PostgresServer,  # noqa: F811
    redis_url: str,
) -> AsyncIterator[WebappReplicas]:
    database_url = await postgres_server.create_database()
    await upgrade_to_head_async(database_url)
    async with running_webapp_replicas(
        2, database_url=database_url, redis_url=redis_url
    ) as running:
        yield running


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def browser(chromium_path: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(chromium_path), args=MEDIA_ARGS, headless=True
        )
        yield browser
        await browser.close()


async def _telegram_context(browser: Browser) -> BrowserContext:
    context = await browser.new_context()
    stand_in = (WEB_DIR / "telegram-web-app.js").read_bytes()

    async def serve_stand_in(route: Route) -> None:
        await route.fulfill(body=stand_in, content_type="text/javascript")

    await context.route(MiniAppSection().telegram_script_url, serve_stand_in)
    return context


async def _open_page(
    context: BrowserContext, replicas: WebappReplicas, replica: int, call: SeededCall, who: int
) -> Page:
    init_data = sign(
        UnsignedInitData(query_id="AAHbrowser", user=User(id=who, first_name="T")),
        replicas.token,
        auth_date=SystemClock().now(),
    )
    page = await context.new_page()
    page.on("pageerror", lambda error: print(f"[{who}] pageerror: {error}"))
    base = replicas.base_urls[replica]
    await page.goto(
        f"{base}/miniapp/?appointment={call.appointment_id}#{launch_fragment(init_data)}"
    )
    return page


async def test_owner_and_vet_on_different_replicas_hold_a_call(
    replicas: WebappReplicas, browser: Browser
) -> None:
    call = await seed_open_call(replicas)
    owner_context = await _telegram_context(browser)
    vet_context = await _telegram_context(browser)
    try:
        owner = await _open_page(owner_context, replicas, 0, call, call.owner)
        vet = await _open_page(vet_context, replicas, 1, call, call.vet)
        for page in (owner, vet):
            await wait_connected(page)
        for page in (owner, vet):
            assert await frames_decoded_grow(page)
    finally:
        await owner_context.close()
        await vet_context.close()
