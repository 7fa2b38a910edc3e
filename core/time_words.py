"""How owners write dates and spans of time, in Russian and English; shared by every parser.

Pure vocabulary: each parser decides what a unit means in its own context (an age, a course
length, the next dose).
"""

from __future__ import annotations

# Typed calendar dates are read by `core.dates.read_date`.

DAYS = frozenset({"d", "day", "days", "д", "дн", "день", "дня", "дней"})
WEEKS = frozenset(
    {"w", "wk", "wks", "week", "weeks", "н", "нед", "неделя", "недели", "неделю", "недель"}
)
MONTHS = frozenset(
    {"m", "mo", "mos", "mon", "month", "months", "м", "мес", "месяц", "месяца", "месяцев"}
)
YEARS = frozenset({"y", "yr", "yrs", "year", "years", "г", "год", "года", "лет", "л"})
