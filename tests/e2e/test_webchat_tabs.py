"""Many web chat tabs at once, in one Chromium: none waits on another's connection.

The page used to hold a 25-s long poll per tab; Chromium opens at most six HTTP/1.1
connections per host for all tabs together, so with seven or more tabs a message sent from
one tab waited for someone else's poll to end (1.5–25 s). Now each page keeps one WebSocket,
which does not count against that limit, and no HTTP request stays open while it is idle.
"""

import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from aiogram import Bot, Dispatcher, F
from aiogram.types import Message
from playwright.async_api import Browser, Page, Request, WebSocket, async_playwright, expect

from sandbox.testing import EmulatorServer, polling
from tests.conftest import CHROMIUM_ARGS

pytestmark = [pytest.mark.browser]

# More tabs than the six connections Chromium allows one host.
TABS = 8
# Generous: a reply takes tens of milliseconds; the old page took up to 25 s from tab 7 on.
REPLY_BOUND_MS = 5_000


def _echo_dispatcher() -> Dispatcher:
    dispatcher = Dispatcher()

    @dispatcher.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(f"Эхо: {message.text}")

    return dispatcher


@pytest_asyncio.fixture(loop_scope="session")
async def browser(chromium_path: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        await browser.close()


class OpenRequests:
    """The page's HTTP requests to the control API that have not finished yet."""

    def __init__(self, page: Page) -> None:
        self.open: set[Request] = set()
        self.sockets: list[WebSocket] = []
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)
        page.on("websocket", self._socket)

    def _started(self, request: Request) -> None:
        if "/sandbox/api/" in request.url:
            self.open.add(request)

    def _ended(self, request: Request) -> None:
        self.open.discard(request)

    def _socket(self, socket: WebSocket) -> None:
        self.sockets.append(socket)


async def test_eight_tabs_each_get_their_reply_quickly_over_one_socket_per_page(
    emulator_server: EmulatorServer,
    emulator_bot: Bot,
    control_api: httpx.AsyncClient,
    browser: Browser,
) -> None:
    context = await browser.new_context()
    pages: list[tuple[Page, OpenRequests]] = []
    user_ids = []
    for number in range(TABS):
        created = await control_api.post(
            "/sandbox/api/users", json={"first_name": f"Вкладка {number}", "language_code": "ru"}
        )
        user_ids.append(created.json()["id"])
    for user_id in user_ids:
        page = await context.new_page()
        requests = OpenRequests(page)
        await page.goto(f"{emulator_server.base_url}/?user={user_id}")
        await page.wait_for_selector("body[data-ready][data-stream=open]")
        pages.append((page, requests))

    async with polling(_echo_dispatcher(), emulator_bot):
        took_ms = []
        for number, (page, requests) in enumerate(pages):
            # Idle, a page holds its one WebSocket and no HTTP request.
            assert not requests.open, [request.url for request in requests.open]
            assert [socket.url for socket in requests.sockets if not socket.is_closed()] == [
                socket.url for socket in requests.sockets[-1:]
            ]
            started = time.monotonic()
            await page.get_by_test_id("message-input").fill(f"вкладка {number}")
            await page.get_by_test_id("message-input").press("Enter")
            reply = page.locator('[data-testid="message"][data-from-bot="true"]').last
            await expect(reply.get_by_test_id("message-text")).to_have_text(
                f"Эхо: вкладка {number}", timeout=REPLY_BOUND_MS
            )
            took_ms.append(round((time.monotonic() - started) * 1000))
        print(f"reply times over {TABS} tabs, ms: {took_ms}")
    # The first tab, switched to another tab's user, drops its socket for that user's.
    page, requests = pages[0]
    old_socket = requests.sockets[-1]
    other_user = str(user_ids[1])
    async with page.expect_websocket() as opened:
        await page.get_by_test_id("user-select").select_option(other_user)
    new_socket = await opened.value
    if not old_socket.is_closed():
        await old_socket.wait_for_event("close")
    assert f"/chats/{other_user}/stream" in new_socket.url
    assert [socket for socket in requests.sockets if not socket.is_closed()] == [new_socket]
    # …and shows that user's chat, sent before it looked.
    await expect(page.get_by_test_id("message-text").last).to_have_text("Эхо: вкладка 1")
    await context.close()
