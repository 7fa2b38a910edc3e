"""The Mini App's pages: `GET /miniapp/` and its static files, served by the webapp itself.

The front end is plain ES modules under `static/` (no build step, nothing from a CDN). The one
script from elsewhere is Telegram's `telegram-web-app.js`, which every Mini App loads from
telegram.org; the sandbox passes the URL of its stand-in instead.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

STATIC_DIR: Final = Path(__file__).parent / "static"
PAGE_PATH: Final = "/miniapp/"
STATIC_PATH: Final = "/miniapp/static"
_SCRIPT_MARKER: Final = "{{telegram_script_url}}"

# Deployed files change without a new name (no build step hashes them): the browser keeps
# them but asks again each time, answered 304 while they are unchanged.
_REVALIDATE: Final = "no-cache"


# Daily.co's call (VIDEO__PROVIDER=daily): daily-js is served from here, but the call itself
# loads Daily's media engine from, and talks to, Daily's own domains.
_DAILY_ORIGINS: Final = ("https://*.daily.co", "wss://*.daily.co")


def call_provider_origins(provider: str) -> tuple[str, ...]:
    """The origins a video provider's call needs besides this one (none for `builtin`)."""
    return _DAILY_ORIGINS if provider == "daily" else ()


def content_security_policy(telegram_script_url: str, call_origins: tuple[str, ...] = ()) -> str:
    """Only this origin, plus Telegram's script origin when the script comes from elsewhere,
    plus `call_origins` (call_provider_origins) for the calls of an outside video provider.

    Images are `blob:` because the card's files are fetched with the bearer token and shown
    through object URLs; media adds `mediastream:` for the camera preview and the peer's video.
    """
    script_sources = ["'self'"]
    parts = urlsplit(telegram_script_url)
    if parts.scheme in ("http", "https") and parts.netloc:
        script_sources.append(f"{parts.scheme}://{parts.netloc}")
    extra = "".join(f" {origin}" for origin in call_origins)
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(script_sources) + extra,
        "style-src": "'self'",
        "img-src": "'self' blob: data:",
        "media-src": "'self' blob: mediastream:",
        # 'self' covers the signalling WebSocket of the same host (CSP level 3).
        "connect-src": "'self'" + extra,
        "frame-src": "'self'" + extra,
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def _security_headers(csp: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        # The page's URL holds the appointment id; Telegram's launch data is in the fragment,
        # which is never sent, but nothing about the page needs to leave with a link either.
        "Referrer-Policy": "no-referrer",
    }


def build_miniapp_pages_router(
    telegram_script_url: str, call_origins: tuple[str, ...] = ()
) -> APIRouter:
    """`GET /miniapp/` (the page, never cached) and `GET /miniapp/static/{path}`."""
    csp = content_security_policy(telegram_script_url, call_origins)
    # The script URL is configuration, not user input; it still goes through the HTML escaper
    # of an attribute value so a stray quote cannot break the page.
    page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    page = page.replace(_SCRIPT_MARKER, html.escape(telegram_script_url, quote=True))
    files = StaticFiles(directory=STATIC_DIR)
    router = APIRouter(include_in_schema=False)

    @router.get(PAGE_PATH)
    async def miniapp_page() -> HTMLResponse:
        """The Mini App: `?appointment=<id>&screen=call|brief|records|report`."""
        headers = {"Cache-Control": "no-cache, no-store", **_security_headers(csp)}
        return HTMLResponse(page, headers=headers)

    @router.get(STATIC_PATH + "/{path:path}")
    async def miniapp_static(path: str, request: Request) -> Response:
        """The page's scripts and styles (ETag / If-None-Match answered with 304)."""
        if path.endswith((".py", ".pyc")) or "__pycache__" in path:
            raise HTTPException(status.HTTP_404_NOT_FOUND)
        response = await files.get_response(path, request.scope)
        if response.status_code < 400:
            response.headers["Cache-Control"] = _REVALIDATE
            response.headers.update(_security_headers(csp))
        return response

    return router
