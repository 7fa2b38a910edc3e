"""The web chat page: static HTML/JS/CSS, no build step."""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

WEB_DIR = Path(__file__).parent
STATIC_URL = "/sandbox/static"
# The sandbox's stand-in for https://telegram.org/js/telegram-web-app.js: the Mini App page
# served by the sandbox loads this instead (webapp/miniapp/pages.py).
TELEGRAM_SCRIPT_PATH = "/sandbox/telegram-web-app.js"

router = APIRouter(include_in_schema=False)


@router.get("/")
async def chat_page() -> FileResponse:
    # no-cache: the page changes while developing and must never be stale.
    return FileResponse(WEB_DIR / "index.html", headers={"Cache-Control": "no-cache"})


@router.get(TELEGRAM_SCRIPT_PATH)
async def telegram_web_app_script() -> FileResponse:
    return FileResponse(
        WEB_DIR / "telegram-web-app.js",
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache"},
    )
