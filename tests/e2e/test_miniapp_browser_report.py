"""The vet's Brief and Report screens and the owner's view of the report, in headless Chromium
against a running sandbox: notes typed during the call are part of the draft, the draft
autosaves and survives a reload, Submit on Telegram's MainButton, an amendment with its note,
and the owner reads the submitted report with its PDF."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

from bot.run_modes import RunningSandbox, running_sandbox
from core.config import Settings
from tests.conftest import make_settings
from tests.support.miniapp_pages import MEDIA_ARGS, launch_fragment
from tests.support.webapp_replicas import SeededCall, seed_call

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return make_settings(tmp_path_factory.mktemp("miniapp-report") / "var" / "telemed.db")


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


@pytest_asyncio.fixture(loop_scope="session")
async def call(sandbox: RunningSandbox, settings: Settings) -> SeededCall:
    seeded = await seed_call(settings, sandbox.token, starts_in=timedelta(minutes=5))
    emulator = sandbox.app.state.emulator
    emulator.add_user("Owner", user_id=seeded.owner, language_code="en")
    emulator.add_user("Vet", user_id=seeded.vet, language_code="en")
    return seeded


async def _open_page(
    context: BrowserContext, api: httpx.AsyncClient, call: SeededCall, who: int, screen: str
) -> Page:
    response = await api.get(f"/sandbox/api/users/{who}/webapp_init_data")
    response.raise_for_status()
    page = await context.new_page()
    page.on("pageerror", lambda error: print(f"[{who}] pageerror: {error}"))
    fragment = launch_fragment(response.json()["init_data"])
    await page.goto(
        f"{api.base_url}/miniapp/?appointment={call.appointment_id}&screen={screen}#{fragment}"
    )
    return page


async def test_vet_reads_the_brief(
    api: httpx.AsyncClient, browser: Browser, call: SeededCall
) -> None:
    context = await browser.new_context()
    try:
        page = await _open_page(context, api, call, call.vet, "brief")
        await expect(page.get_by_test_id("pet-name")).to_have_text("Murka")
        await expect(page.get_by_test_id("reason")).to_contain_text("Sneezing")
        await expect(page.get_by_test_id("symptom-check")).to_contain_text("No symptom check")
        await expect(page.get_by_test_id("tab-report")).to_be_visible()
    finally:
        await context.close()


async def test_vet_writes_submits_and_amends_the_report_the_owner_reads_it(
    api: httpx.AsyncClient, browser: Browser, call: SeededCall
) -> None:
    vet_context = await browser.new_context()
    owner_context = await browser.new_context(accept_downloads=True)
    try:
        vet = await _open_page(vet_context, api, call, call.vet, "call")
        await vet.get_by_test_id("call-notes").fill("Sneezes twice a minute on camera")
        await expect(vet.get_by_test_id("notes-status")).to_have_text("Saved")

        await vet.get_by_test_id("tab-report").click()
        form = vet.get_by_test_id("report-form")
        await expect(vet.get_by_test_id("report-notes")).to_have_value(
            "Sneezes twice a minute on camera"
        )
        await vet.get_by_test_id("report-assessment").fill("Alert, mild nasal discharge")
        await vet.get_by_test_id("report-diagnosis").fill("Feline rhinitis")
        await vet.get_by_test_id("prescription-add").click()
        row = form.get_by_test_id("prescription-row").last
        for name, value in (
            ("drug", "Doxycycline"),
            ("dose", "25 mg"),
            ("frequency", "once a day"),
            ("duration", "7 days"),
        ):
            await row.locator(f'[name="{name}"]').fill(value)
        await vet.get_by_test_id("report-in-person").check()
        await expect(vet.get_by_test_id("report-save-status")).to_have_text("Saved")

        # The draft was saved: a new page has it.
        await vet.reload()
        await expect(vet.get_by_test_id("report-diagnosis")).to_have_value("Feline rhinitis")
        await expect(
            vet.get_by_test_id("prescription-row").locator('[name="drug"]')
        ).to_have_value("Doxycycline")
        await expect(vet.get_by_test_id("report-in-person")).to_be_checked()

        main_button = vet.get_by_test_id("tg-main-button")
        await expect(main_button).to_have_text("Submit report")
        await main_button.click()
        view = vet.get_by_test_id("report-view")
        await expect(view).to_contain_text("Feline rhinitis")
        await expect(view).to_contain_text("Doxycycline")
        await expect(main_button).to_be_hidden()

        await vet.get_by_test_id("report-amend").click()
        await vet.get_by_test_id("report-diagnosis").fill("Feline viral rhinitis")
        await vet.get_by_test_id("amend-note").fill("Viral, by the discharge")
        await expect(main_button).to_have_text("Save the amendment")
        await main_button.click()
        await expect(vet.get_by_test_id("report-amendments")).to_contain_text(
            "Viral, by the discharge"
        )
        await expect(vet.get_by_test_id("report-diagnosis")).to_contain_text(
            "Feline viral rhinitis"
        )

        owner = await _open_page(owner_context, api, call, call.owner, "report")
        owner_view = owner.get_by_test_id("report-view")
        await expect(owner_view).to_contain_text("Feline viral rhinitis")
        await expect(owner_view).not_to_contain_text("Sneezes twice")  # the vet's notes
        async with owner.expect_download() as download_info:
            await owner.get_by_test_id("report-pdf").click()
        download = await download_info.value
        pdf = await asyncio.to_thread((await download.path()).read_bytes)
        assert pdf.startswith(b"%PDF")
    finally:
        await vet_context.close()
        await owner_context.close()


async def test_owner_sees_a_short_message_before_the_report_exists(
    api: httpx.AsyncClient, browser: Browser, call: SeededCall
) -> None:
    context = await browser.new_context()
    try:
        page = await _open_page(context, api, call, call.owner, "report")
        await expect(page.get_by_test_id("report-not-ready")).to_be_visible()
    finally:
        await context.close()
