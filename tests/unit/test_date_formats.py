"""One unambiguous way to show and to type a date per locale (issue #13, "English dates are
ambiguous and mixed"): the styles of `core.dates`, the Fluent `DATE()` every message uses, and
the typed forms the parsers accept or refuse."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from aiogram_i18n.cores import FluentRuntimeCore
from fluent.syntax import FluentParser, ast, visitor

from core.dates import DateStyle, NoSuchDateError, UnreadableDateError, format_day, read_date
from core.pet_input import BirthDate, parse_birth
from core.pets_errors import PetInputError, PetInputErrorReason
from core.record_input import (
    RecordInputError,
    RecordInputErrorReason,
    parse_course_end,
    parse_next_due,
    parse_past_date,
)
from core.vet_input import parse_date, parse_date_and_interval
from core.vets_errors import VetInputError
from tests.support.ambiguous_dates import NUMERIC_DAY_AND_MONTH
from tests.support.chatting import load_texts

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
DAY = date(2026, 12, 5)  # a Saturday
TODAY = date(2026, 12, 20)


@pytest.mark.parametrize(
    ("style", "english", "russian"),
    [
        (DateStyle.LONG, "5 Dec 2026", "5 декабря 2026"),
        (DateStyle.COMPACT, "5 Dec 2026", "05.12.2026"),
        (DateStyle.WEEKDAY, "Sat 5 Dec", "сб 5 дек."),
        (DateStyle.DAY_MONTH, "5 Dec", "5 дек."),
    ],
)
def test_every_style_renders_in_both_locales(style: DateStyle, english: str, russian: str) -> None:
    assert format_day(DAY, style, "en") == english
    assert format_day(DAY, style, "ru") == russian
    assert not NUMERIC_DAY_AND_MONTH.search(format_day(DAY, style, "en"))


def test_a_moment_is_shown_by_its_own_calendar_date_and_unknown_locales_fall_back() -> None:
    assert format_day(datetime(2026, 12, 5, 23, 30, tzinfo=UTC), DateStyle.LONG, "en") == (
        "5 Dec 2026"
    )
    assert format_day(DAY, DateStyle.LONG, "de") == format_day(DAY, DateStyle.LONG, "ru")
    assert format_day(DAY, DateStyle.LONG, None) == format_day(DAY, DateStyle.LONG, "ru")


def _date_messages(locale: str) -> dict[str, tuple[set[str], set[str]]]:
    """Each message using DATE(): (the variables given to DATE, every other variable)."""

    class Collect(visitor.Visitor):
        def __init__(self) -> None:
            self.dated: set[str] = set()
            self.other: set[str] = set()

        def visit_FunctionReference(self, node: ast.FunctionReference) -> None:  # noqa: N802
            if node.id.name == "DATE":
                for argument in node.arguments.positional:
                    if isinstance(argument, ast.VariableReference):
                        self.dated.add(argument.id.name)
            self.generic_visit(node)

        def visit_VariableReference(self, node: ast.VariableReference) -> None:  # noqa: N802
            self.other.add(node.id.name)

    found: dict[str, tuple[set[str], set[str]]] = {}
    for path in sorted((LOCALES / locale).glob("*.ftl")):
        for entry in FluentParser().parse(path.read_text(encoding="utf8")).body:
            if isinstance(entry, ast.Message):
                collect = Collect()
                collect.visit(entry)
                if collect.dated:
                    found[entry.id.name] = (collect.dated, collect.other - collect.dated)
    return found


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.mark.parametrize(("locale", "shown"), [("en", "5 Dec 2026"), ("ru", "2026")])
def test_every_message_with_a_date_shows_the_locales_form(
    texts: FluentRuntimeCore, locale: str, shown: str
) -> None:
    messages = _date_messages(locale)
    assert len(messages) >= 15  # records, pets, checks, reports, the PDF card
    for key, (dated, other) in messages.items():
        values: dict[str, object] = dict.fromkeys(other, "x")
        values.update(dict.fromkeys(dated, DAY))
        text = str(texts.get(key, locale, **values))
        assert shown in text or format_day(DAY, DateStyle.LONG, locale) in text, (key, text)
        if locale == "en":
            assert not NUMERIC_DAY_AND_MONTH.search(text), (key, text)


def test_no_user_visible_date_is_formatted_outside_core_dates() -> None:
    """Fluent's DATETIME() gives "12/4/26" (babel's English "short"); an f-string "%d.%m" gives
    "05.12", which an English reader takes for May 12. Both must go through `core.dates`."""
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(LOCALES.glob("*/*.ftl"))
        for number, line in enumerate(path.read_text(encoding="utf8").splitlines(), start=1)
        if "DATETIME(" in line
    ]
    directive = re.compile(r":%[dmyYbBaAj]|strftime\([^)]*%[dmyYbBaAj]")
    for folder in ("core", "dialogs", "bot", "webapp", "sandbox"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == ROOT / "core" / "dates.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf8").splitlines(), 1):
                if directive.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


@pytest.mark.parametrize(
    "typed",
    [
        "4 Dec 2026",
        "4 December 2026",
        "Dec 4 2026",
        "Dec 4, 2026",
        "december 4th, 2026",
        "2026-12-04",
        "04.12.2026",
        "4.12.2026",
        "4 дек 2026",
        "4 декабря 2026 г.",
        "04.12.2026.",  # a sentence's full stop
    ],
)
def test_typed_dates_in_each_accepted_form(typed: str) -> None:
    assert read_date(typed) == date(2026, 12, 4)


def test_a_slash_date_with_one_reading_is_read_either_way() -> None:
    assert read_date("24/12/2026") == read_date("12/24/2026") == date(2026, 12, 24)
    assert read_date("4/4/2026") == date(2026, 4, 4)
    assert read_date("5 мая 2026") == date(2026, 5, 5)
    assert read_date("5 марта 2026") == date(2026, 3, 5)


@pytest.mark.parametrize("typed", ["12/4/2026", "12/4/26", "04.12.26", "12-04-2026"])
def test_an_ambiguous_typed_date_is_refused(typed: str) -> None:
    with pytest.raises(UnreadableDateError):
        read_date(typed)


@pytest.mark.parametrize("typed", ["31.02.2026", "31/02/2026", "Feb 30 2026", "2026-13-01"])
def test_a_date_the_calendar_lacks_is_told_apart(typed: str) -> None:
    with pytest.raises(NoSuchDateError):
        read_date(typed)


@pytest.mark.parametrize("typed", ["3 years", "2 y 3 mo", "in 12 months", "10 days", "4 Foo 2026"])
def test_what_is_no_date_is_left_to_the_caller(typed: str) -> None:
    assert read_date(typed) is None


def test_the_parsers_take_the_english_forms_and_refuse_the_ambiguous_one() -> None:
    assert parse_past_date("Dec 4, 2026", TODAY) == date(2026, 12, 4)
    assert parse_past_date("2026-12-04", TODAY) == date(2026, 12, 4)
    assert parse_next_due("4 Dec 2027", date(2026, 12, 4), TODAY) == date(2027, 12, 4)
    assert parse_next_due("in 12 months", date(2026, 12, 4), TODAY) == date(2027, 12, 4)
    assert parse_course_end("Dec 14 2026", date(2026, 12, 4), TODAY) == date(2026, 12, 14)
    assert parse_birth("4 Dec 2023", TODAY) == BirthDate(date(2023, 12, 4), approximate=False)
    assert parse_date("31 Dec 2026", TODAY) == date(2026, 12, 31)
    assert parse_date_and_interval("31 Dec 2026 10:00-12:00", TODAY)[0] == date(2026, 12, 31)
    with pytest.raises(RecordInputError) as record:
        parse_past_date("12/4/26", TODAY)
    assert record.value.reason is RecordInputErrorReason.DATE_UNREADABLE
    with pytest.raises(RecordInputError) as due:
        parse_next_due("1/2/2027", date(2026, 12, 4), TODAY)
    assert due.value.reason is RecordInputErrorReason.DUE_UNREADABLE
    with pytest.raises(PetInputError) as birth:
        parse_birth("12/4/2023", TODAY)
    assert birth.value.reason is PetInputErrorReason.BIRTH_UNREADABLE
    with pytest.raises(VetInputError):
        parse_date("1/2/2027", TODAY)


@pytest.mark.parametrize(
    ("key", "example"),
    [
        ("msg-record-ask-date", "5 Mar 2024"),
        ("err-record-date-unreadable", "5 Mar 2024"),
        ("err-pet-birth-unreadable", "5 Mar 2021"),
        ("msg-vet-ask-day-off", "31 Dec 2026"),
    ],
)
def test_english_prompts_and_hints_show_an_example_that_is_read_back(
    texts: FluentRuntimeCore, key: str, example: str
) -> None:
    text = str(texts.get(key, "en", kind="vaccination", zone="UTC"))
    assert example in text and "DD.MM" not in text
    assert read_date(example) is not None
