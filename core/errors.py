"""Typed domain errors. Edges turn them into localized messages or HTTP problems."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""


class UnsupportedLocaleError(DomainError):
    def __init__(self, locale: str) -> None:
        super().__init__(f"unsupported locale: {locale!r}")
        self.locale = locale


class UserNotFoundError(DomainError):
    def __init__(self, telegram_id: int) -> None:
        super().__init__(f"no user with telegram id {telegram_id}")
        self.telegram_id = telegram_id
