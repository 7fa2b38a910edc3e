"""What owners type into the medical card: dates, next doses, course ends and texts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.record_input import (
    MAX_NOTE_LENGTH,
    MAX_TITLE_LENGTH,
    RecordInputError,
    RecordInputErrorReason,
    add_months,
    midday_utc,
    parse_course_end,
    parse_line,
    parse_next_due,
    parse_note,
    parse_past_date,
    today_in,
)

TODAY = date(2025, 6, 15)
R = RecordInputErrorReason


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("05.03.2024", date(2024, 3, 5)),
        ("25/3/2024", date(2024, 3, 25)),  # a slash date with one reading only
        ("2024-03-05", date(2024, 3, 5)),
        (" 15.06.2025 ", TODAY),
        ("today", TODAY),
        ("Сегодня", TODAY),
        ("сегодня.", TODAY),
        ("вчера", date(2025, 6, 14)),
        ("yesterday", date(2025, 6, 14)),
    ],
)
def test_past_dates_are_read_in_both_languages(typed: str, expected: date) -> None:
    assert parse_past_date(typed, TODAY) == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", R.DATE_UNREADABLE),
        ("last spring", R.DATE_UNREADABLE),
        ("5/3/2024", R.DATE_UNREADABLE),  # 5 March or May 3: reads two ways (core/dates.py)
        ("05.03.24", R.DATE_UNREADABLE),
        ("31.02.2024", R.DATE_BAD),
        ("00.01.2024", R.DATE_BAD),
        ("16.06.2025", R.DATE_IN_FUTURE),
        ("01.01.1980", R.DATE_TOO_OLD),
    ],
)
def test_a_bad_date_is_refused_with_its_reason(typed: str, reason: RecordInputErrorReason) -> None:
    with pytest.raises(RecordInputError) as caught:
        parse_past_date(typed, TODAY)
    assert caught.value.reason is reason
    if reason is R.DATE_TOO_OLD:
        assert caught.value.years == 40


GIVEN = date(2025, 1, 31)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("31.01.2026", date(2026, 1, 31)),
        ("in 12 months", date(2026, 1, 31)),
        ("через 12 месяцев", date(2026, 1, 31)),
        ("через 1 год", date(2026, 1, 31)),
        ("через год", date(2026, 1, 31)),
        ("in a year", date(2026, 1, 31)),
        ("1 year", date(2026, 1, 31)),
        ("год", date(2026, 1, 31)),
        # The month's end is kept: a month after 31 January is 28 February.
        ("in 1 month", date(2025, 2, 28)),
        ("через 3 недели", date(2025, 2, 21)),
        ("in 10 days", date(2025, 2, 10)),
        ("2 года", date(2027, 1, 31)),
    ],
)
def test_next_due_is_a_date_or_a_period_from_the_dose_given(typed: str, expected: date) -> None:
    assert parse_next_due(typed, GIVEN, TODAY) == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("soon", R.DUE_UNREADABLE),
        ("через", R.DUE_UNREADABLE),
        ("in 0 months", R.DUE_UNREADABLE),
        ("12", R.DUE_UNREADABLE),
        ("days", R.DUE_UNREADABLE),
        ("30.01.2025", R.DUE_NOT_AFTER),
        ("31.01.2025", R.DUE_NOT_AFTER),
        ("in 6 years", R.DUE_TOO_FAR),
        ("31.02.2026", R.DATE_BAD),
    ],
)
def test_a_bad_next_due_is_refused(typed: str, reason: RecordInputErrorReason) -> None:
    with pytest.raises(RecordInputError) as caught:
        parse_next_due(typed, GIVEN, TODAY)
    assert caught.value.reason is reason


def test_a_next_due_may_lie_in_the_past_it_is_then_overdue() -> None:
    assert parse_next_due("in 1 month", date(2024, 1, 10), TODAY) == date(2024, 2, 10)


def test_a_course_ends_on_a_date_or_after_a_duration_from_its_start() -> None:
    start = date(2025, 6, 10)
    assert parse_course_end("10 дней", start, TODAY) == date(2025, 6, 20)
    assert parse_course_end("2 weeks", start, TODAY) == date(2025, 6, 24)
    assert parse_course_end("10.06.2025", start, TODAY) == start  # a one-day course
    for typed, reason in [
        ("09.06.2025", R.END_BEFORE_START),
        ("for a while", R.END_UNREADABLE),
        ("через 7 лет", R.END_TOO_FAR),
    ]:
        with pytest.raises(RecordInputError) as caught:
            parse_course_end(typed, start, TODAY)
        assert caught.value.reason is reason


def test_lines_are_trimmed_and_limited() -> None:
    assert parse_line("  Нобивак   DHPPi \n", MAX_TITLE_LENGTH) == "Нобивак DHPPi"
    with pytest.raises(RecordInputError) as empty:
        parse_line("   ", MAX_TITLE_LENGTH)
    assert empty.value.reason is R.TEXT_EMPTY
    with pytest.raises(RecordInputError) as long:
        parse_line("x" * (MAX_TITLE_LENGTH + 1), MAX_TITLE_LENGTH)
    assert (long.value.reason, long.value.max_length) == (R.TEXT_TOO_LONG, MAX_TITLE_LENGTH)


def test_notes_keep_their_lines() -> None:
    assert parse_note("  itching\n  swollen   paws ") == "itching\nswollen paws"
    with pytest.raises(RecordInputError):
        parse_note("a" * (MAX_NOTE_LENGTH + 1))


def test_today_is_the_owners_calendar_date() -> None:
    late_utc = datetime(2025, 6, 14, 22, 30, tzinfo=UTC)  # 01:30 on the 15th in Moscow
    assert today_in(late_utc, "Europe/Moscow") == date(2025, 6, 15)
    assert today_in(late_utc, "America/New_York") == date(2025, 6, 14)
    assert today_in(late_utc, "Not/AZone") == date(2025, 6, 14)


def test_dates_are_stored_at_noon_utc_and_months_clamp() -> None:
    assert midday_utc(TODAY) == datetime(2025, 6, 15, 12, tzinfo=UTC)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
