"""Driving the Mini App's call page in headless Chromium (tests/e2e/test_miniapp_browser_*)."""

from __future__ import annotations

import asyncio
import json
from typing import Final
from urllib.parse import urlencode

from playwright.async_api import Page

from tests.conftest import CHROMIUM_ARGS

# A fake camera (a test pattern) and microphone (a beep), and every permission prompt accepted.
MEDIA_ARGS: Final = [
    *CHROMIUM_ARGS,
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    # Headless pages are never "visible": media must still play without a click.
    "--autoplay-policy=no-user-gesture-required",
]

# Telegram's web client's day theme, as the sandbox's web chat hands it to its frame.
LIGHT_THEME: Final = {"bg_color": "#ffffff", "text_color": "#000000", "button_color": "#3390ec"}


def launch_fragment(init_data: str) -> str:
    """The URL fragment Telegram opens a Mini App with."""
    return urlencode(
        {
            "tgWebAppData": init_data,
            "tgWebAppVersion": "8.0",
            "tgWebAppPlatform": "web",
            "tgWebAppThemeParams": json.dumps(LIGHT_THEME),
        }
    )


async def wait_connected(page: Page, timeout_ms: float = 30_000) -> None:
    """Until the page's RTCPeerConnection (`window.__call.pc`) is `connected`."""
    await page.wait_for_function(
        "() => window.__call && window.__call.pc"
        " && window.__call.pc.connectionState === 'connected'",
        timeout=timeout_ms,
    )


_FRAMES_DECODED = """
async () => {
  const stats = await window.__call.pc.getStats();
  let frames = 0;
  stats.forEach((report) => {
    if (report.type === "inbound-rtp" && report.kind === "video") {
      frames += report.framesDecoded || 0;
    }
  });
  return frames;
}
"""


async def frames_decoded(page: Page) -> int:
    frames: int = await page.evaluate(_FRAMES_DECODED)
    return frames


async def frames_decoded_grow(page: Page, timeout_s: float = 15) -> bool:
    """The other side's video is decoded here and keeps coming: framesDecoded of inbound-rtp
    video goes above zero, then above that. False if it stalls for `timeout_s`."""
    deadline = asyncio.get_running_loop().time() + timeout_s
    seen: list[int] = []
    while asyncio.get_running_loop().time() < deadline:
        frames = await frames_decoded(page)
        if frames > 0 and (not seen or frames > seen[-1] > 0):
            seen.append(frames)
            if len(seen) >= 2:
                return True
        await asyncio.sleep(0.25)
    return False
