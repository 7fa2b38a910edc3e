"""`DATE($value, style: "long")` for the locales: Fluent's own DATETIME() speaks babel's
"medium"/"short" styles, and English "short" is "12/4/26", which reads both ways. Every date in
a message goes through `core.dates` instead, so a locale has one set of forms."""

from __future__ import annotations

from datetime import date
from typing import Any

from babel import Locale
from fluent.runtime.types import FluentType

from core.dates import DateStyle, format_day


class FluentDay(FluentType):
    """A date waiting for the message's locale (a Fluent function is not told the locale; the
    value it returns is formatted with it)."""

    def __init__(self, value: date, style: DateStyle) -> None:
        self.value = value
        self.style = style

    def format(self, locale: Locale) -> str:
        return format_day(self.value, self.style, str(locale))


def fluent_date(value: Any, style: str = DateStyle.LONG) -> FluentDay:
    if not isinstance(value, date):  # a wrong argument is a programming error: fail loudly
        raise TypeError(f"DATE() takes a date, not {type(value).__name__}")
    return FluentDay(value, DateStyle(style))


def date_functions() -> dict[str, Any]:
    """Fresh each time: aiogram-i18n's core adds its own functions to the dict it is given."""
    return {"DATE": fluent_date}
