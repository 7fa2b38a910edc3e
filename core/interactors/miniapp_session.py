"""Signing in to the Mini App API: initData in, a short-lived session token out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.clock import Clock
from core.miniapp_auth import MiniAppAuth, verify_init_data


@dataclass(frozen=True, slots=True)
class MiniAppSession:
    token: str
    telegram_id: int
    expires_at: datetime


class OpenMiniAppSession:
    """Check the raw `Telegram.WebApp.initData` and issue a session token for its user.

    Raises `InitDataError` (stale, tampered, foreign bot, malformed, no user). The user need
    not be known to the bot yet: access to anything is decided per route, and a stranger's
    session reaches nothing.
    """

    def __init__(self, auth: MiniAppAuth, clock: Clock) -> None:
        self._auth = auth
        self._clock = clock

    async def __call__(self, init_data: str) -> MiniAppSession:
        now = self._clock.now()
        verified = verify_init_data(
            init_data, self._auth.bot_token, now=now, max_age=self._auth.init_data_max_age
        )
        token, expires_at = self._auth.sessions.issue(verified.telegram_id, now)
        return MiniAppSession(token, verified.telegram_id, expires_at)


class AuthenticateMiniApp:
    """The Telegram id a session token was issued to; `SessionTokenError` when it is invalid
    or expired."""

    def __init__(self, auth: MiniAppAuth, clock: Clock) -> None:
        self._auth = auth
        self._clock = clock

    async def __call__(self, token: str) -> int:
        return self._auth.sessions.verify(token, self._clock.now())
