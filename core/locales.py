"""Which locale a user is answered in."""

from __future__ import annotations

SUPPORTED_LOCALES: tuple[str, ...] = ("ru", "en")
DEFAULT_LOCALE = "ru"


def resolve_locale(chosen: str | None, telegram_language_code: str | None) -> str:
    """The user's own choice, else Telegram's language when we speak it, else Russian.

    Telegram sends IETF tags such as ``en-US`` or ``pt-br``; only the primary subtag matters here.
    """
    if chosen in SUPPORTED_LOCALES:
        return chosen
    if telegram_language_code:
        primary = telegram_language_code.split("-", 1)[0].lower()
        if primary in SUPPORTED_LOCALES:
            return primary
    return DEFAULT_LOCALE
