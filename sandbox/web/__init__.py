"""The web chat page: static HTML/JS/CSS, no build step."""

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

WEB_DIR = Path(__file__).parent
STATIC_URL = "/sandbox/static"

router = APIRouter(include_in_schema=False)


@router.get("/")
async def chat_page() -> FileResponse:
    # no-cache: the page changes while developing and must never be stale.
    return FileResponse(WEB_DIR / "index.html", headers={"Cache-Control": "no-cache"})
