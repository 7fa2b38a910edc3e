"""Addresses of the Mini App's pages, for the web_app buttons the bot sends.

Telegram opens a web_app button only at an HTTPS URL (https://core.telegram.org/bots/api#webappinfo),
so production uses `WEBAPP_URL`; the sandbox uses its own base URL, which its emulator allows
over plain http on loopback (sandbox/app.py, `local_web_app_origins`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final
from urllib.parse import urlencode

# The page the front end serves; `appointment` tells it which consultation to open.
MINIAPP_PAGE_PATH: Final = "/miniapp/"


@dataclass(frozen=True, slots=True)
class MiniAppLinks:
    """`base_url` None: this process knows no public address, and no button can be made."""

    base_url: str | None

    def call_page(self, appointment_id: int) -> str | None:
        """`{base}/miniapp/?appointment=<id>`: the call screen of one consultation."""
        return self._page(appointment=appointment_id)

    def brief_page(self, appointment_id: int) -> str | None:
        """The vet's brief of one consultation (`screen=brief`)."""
        return self._page(appointment=appointment_id, screen="brief")

    def report_page(self, appointment_id: int) -> str | None:
        """The vet's report form of one consultation (`screen=report`)."""
        return self._page(appointment=appointment_id, screen="report")

    def records_page(self, appointment_id: int) -> str | None:
        """The pet's card, read-only, from one consultation (`screen=records`)."""
        return self._page(appointment=appointment_id, screen="records")

    def _page(self, **query: int | str) -> str | None:
        if not self.base_url:
            return None
        return f"{self.base_url.rstrip('/')}{MINIAPP_PAGE_PATH}?{urlencode(query)}"
