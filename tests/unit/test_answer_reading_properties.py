"""The safety property of reading typed numbers: an answer is never read less urgent than meant.

Hypothesis plays the owner: it picks a meaning (a value and a unit) and a way of writing it —
bare, with a unit in either language, as the worse end of a range or of alternatives, in
compound units, with "about", with a decimal comma, in words — and the reading must rank at
least as urgent as the meaning, by the thresholds the rules use for that detail. The quick picks
under each question must each hold one triage result and together cover the answers.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from core.answer_reading import (
    AskBack,
    Quantity,
    QuickPick,
    Reading,
    quantity_of,
    quick_picks,
    read_number_answer,
    urgency_rank,
)
from core.check_questions import NUMBER_BOUNDS
from core.triage import default_rules
from core.triage.conditions import DetailCond, walk

RULES = default_rules()
NUMBER_DETAILS = sorted(name for name, kind in RULES.details.items() if kind == "number")
DURATIONS = [d for d in NUMBER_DETAILS if quantity_of(d) in (Quantity.HOURS, Quantity.MINUTES)]
COUNTS = [d for d in NUMBER_DETAILS if quantity_of(d) is Quantity.COUNT]


def thresholds(detail: str) -> list[float]:
    return sorted(
        {
            float(cond.value)
            for rule in RULES.rules
            if rule.when is not None
            for cond in walk(rule.when)
            if isinstance(cond, DetailCond) and cond.detail == detail
        }
    )


THRESHOLDS = [(detail, value) for detail in NUMBER_DETAILS for value in thresholds(detail)]


def rank(detail: str, value: float) -> int:
    return urgency_rank(detail, value, RULES)


def assert_never_less_urgent(detail: str, text: str, meaning: float) -> None:
    result = read_number_answer(detail, text, RULES)
    wanted = rank(detail, meaning)
    if isinstance(result, Reading):
        assert rank(detail, result.value) >= wanted, (text, meaning, result)
        return
    assert isinstance(result, AskBack)
    ranks = [rank(detail, option) for option in result.options]
    assert ranks[0] == max(ranks), (text, result)
    assert max(ranks) >= wanted, (text, meaning, result)


# ─── how owners write ────────────────────────────────────────────────────────────────────────

RU_WORDS = ["ноль", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь"]
RU_WORDS += ["девять", "десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать"]
RU_WORDS += ["пятнадцать", "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать"]
RU_WORDS += ["двадцать"]
EN_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
EN_WORDS += ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"]
EN_WORDS += ["seventeen", "eighteen", "nineteen", "twenty"]

# Spellings per unit, and how many minutes each is.
UNITS: dict[str, tuple[float, list[str]]] = {
    "second": (1 / 60, ["сек", "секунд", "секунды", "s", "sec", "secs", "second", "seconds"]),
    "minute": (1, ["мин", "минут", "минуты", "минута", "min", "mins", "minute", "minutes", "m"]),
    "hour": (60, ["ч", "ч.", "час", "часа", "часов", "h", "hr", "hrs", "hour", "hours"]),
    "day": (1440, ["д", "дн", "день", "дня", "дней", "сут", "суток", "d", "day", "days"]),
    "week": (10080, ["нед", "неделя", "недели", "недель", "w", "wk", "wks", "week", "weeks"]),
}
QUESTION_UNIT = {Quantity.HOURS: "hour", Quantity.MINUTES: "minute"}
MEANING_UNITS = {
    Quantity.HOURS: ["minute", "hour", "day", "week"],
    Quantity.MINUTES: ["second", "minute", "hour"],
}
PREFIXES = ["", "", "примерно ", "около ", "где-то ", "уже ", "about ", "approximately ", "~"]
COUNT_UNITS = ["", "", " раз", " раза", " times", "x", " х"]
CELSIUS_UNITS = ["", "", " °C", "°C", "C", " C", " градусов", "°", " С"]
RANGES = ["{lo}-{hi}{u}", "{lo}–{hi}{u}", "{lo} — {hi}{u}", "от {lo} до {hi}{u}"]
RANGES += ["{lo} to {hi}{u}", "from {lo} to {hi}{u}"]
ALTERNATIVES = ["{lo} или {hi}{u}", "{lo} or {hi}{u}", "{hi}{u} or {lo}{u}"]
ALTERNATIVES += ["{lo}{u}, может {hi}{u}", "{lo}{u} или {hi}{u}"]
FAHRENHEIT_UNITS = [" F", "F", "°F", " °F", " fahrenheit", " по фаренгейту"]


def numeral(draw: st.DrawFn, value: float) -> str:
    """A number as typed: digits (decimal point or comma) or, for small wholes, a word."""
    if value == int(value) and 0 <= value <= 20 and draw(st.booleans()):
        words = draw(st.sampled_from([RU_WORDS, EN_WORDS]))
        return words[int(value)]
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if draw(st.booleans()) else text


def spelled(draw: st.DrawFn, unit: str) -> str:
    word = draw(st.sampled_from(UNITS[unit][1]))
    return draw(st.sampled_from(["", " "])) + word if len(word) > 2 else " " + word


def with_unit(number: str, unit: str) -> str:
    # Digits may touch their unit ("5ч"); a number word never does ("пять ч").
    return number + (" " + unit.lstrip() if number[-1:].isalpha() else unit)


def amounts(question_thresholds: list[float], per_unit: float) -> st.SearchStrategy[float]:
    """Amounts in a unit, biased to just below, at and just above every threshold."""
    near = {
        round(t / per_unit + delta, 2)
        for t in question_thresholds
        for delta in (-1, -0.5, -0.1, -0.01, 0, 0.01, 0.1, 0.5, 1)
    }
    return st.one_of(
        st.sampled_from(sorted(x for x in near if x >= 0) or [0.0]),
        st.integers(0, 60).map(float),
        st.integers(0, 120).map(lambda k: k / 2),
    )


@st.composite
def duration_answer(draw: st.DrawFn, detail: str) -> tuple[str, float]:
    quantity = quantity_of(detail)
    question_minutes = UNITS[QUESTION_UNIT[quantity]][0]
    bounds = NUMBER_BOUNDS[detail]
    unit = draw(st.sampled_from(MEANING_UNITS[quantity]))
    factor = UNITS[unit][0] / question_minutes  # question units per one of `unit`
    amount = draw(amounts(thresholds(detail), factor))
    meaning = amount * factor
    form = draw(st.sampled_from(["bare", "unit", "range", "alternatives", "compound"]))
    if form == "compound":
        # "1 д 12 ч", "2h30m": a whole number of a bigger unit and a rest in the next one.
        big, small = ("day", "hour") if quantity is Quantity.HOURS else ("hour", "minute")
        whole = draw(st.integers(1, 9))
        rest = draw(st.integers(1, 23 if big == "day" else 59))
        meaning = (whole * UNITS[big][0] + rest * UNITS[small][0]) / question_minutes
        glue = draw(st.sampled_from([" ", " и ", " and ", ""]))
        text = f"{whole}{spelled(draw, big)}{glue}{rest}{spelled(draw, small)}".strip()
    elif form == "bare" and unit == QUESTION_UNIT[quantity]:
        text = numeral(draw, amount)
    elif form in ("range", "alternatives"):
        lower = min(amount, round(draw(st.floats(0, amount)), 1))
        low_text, high_text = numeral(draw, lower), numeral(draw, amount)
        unit_text = spelled(draw, unit)
        if form == "range":
            pattern = draw(st.sampled_from(RANGES))
        else:
            pattern = draw(st.sampled_from(ALTERNATIVES))
        text = pattern.format(lo=low_text, hi=high_text, u=" " + unit_text.lstrip())
    else:
        text = with_unit(numeral(draw, amount), spelled(draw, unit))
    assume(meaning <= bounds.maximum)
    return draw(st.sampled_from(PREFIXES)) + text, meaning


@st.composite
def count_answer(draw: st.DrawFn, detail: str) -> tuple[str, float]:
    n = draw(st.one_of(st.integers(0, 50), st.sampled_from([int(t) for t in thresholds(detail)])))
    n = max(0, min(50, n + draw(st.sampled_from([-1, 0, 0, 1]))))
    form = draw(st.sampled_from(["plain", "range", "alternatives"]))
    unit = draw(st.sampled_from(COUNT_UNITS))
    if form == "plain":
        text = with_unit(numeral(draw, n), unit)
    else:
        lower = draw(st.integers(0, n))
        pattern = (
            draw(st.sampled_from(["{lo}-{hi}{u}", "{lo}–{hi}{u}", "от {lo} до {hi}{u}"]))
            if form == "range"
            else draw(st.sampled_from(["{lo} или {hi}{u}", "{lo} or {hi}{u}", "{hi}{u} or {lo}"]))
        )
        text = pattern.format(lo=numeral(draw, lower), hi=numeral(draw, n), u=" " + unit.lstrip())
    return draw(st.sampled_from(PREFIXES)) + text, n


@st.composite
def temperature_answer(draw: st.DrawFn, detail: str) -> tuple[str, float]:
    near = [round(t + d, 1) for t in thresholds(detail) for d in (-0.2, -0.1, 0, 0.1, 0.2)]
    tenths = draw(st.one_of(st.integers(300, 450), st.sampled_from([round(x * 10) for x in near])))
    meaning = tenths / 10

    def celsius(value: float) -> str:
        text = f"{value:.1f}".removesuffix(".0") if draw(st.booleans()) else f"{value:.1f}"
        return text.replace(".", ",") if draw(st.booleans()) else text

    form = draw(st.sampled_from(["celsius", "fahrenheit", "range", "alternatives"]))
    if form == "celsius":
        text = celsius(meaning) + draw(st.sampled_from(CELSIUS_UNITS))
    elif form == "fahrenheit":
        text = f"{meaning * 9 / 5 + 32:.2f}" + draw(st.sampled_from(FAHRENHEIT_UNITS))
    else:
        other = draw(st.integers(300, 450)) / 10
        pattern = draw(
            st.sampled_from(
                ["{a}-{b}", "{a}–{b}", "от {a} до {b}", "{a} или {b}", "{a} or {b}", "{a}/{b}"]
            )
        )
        first, second = draw(st.permutations([meaning, other]))
        text = pattern.format(a=celsius(first), b=celsius(second))
    return draw(st.sampled_from(PREFIXES)) + text, meaning


def answers(detail: str) -> st.SearchStrategy[tuple[str, float]]:
    quantity = quantity_of(detail)
    if quantity is Quantity.COUNT:
        return count_answer(detail)
    if quantity is Quantity.CELSIUS:
        return temperature_answer(detail)
    return duration_answer(detail)


# ─── the safety property ─────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("detail", NUMBER_DETAILS)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_an_answer_is_never_read_less_urgent_than_the_owner_meant(
    detail: str, data: st.DataObject
) -> None:
    text, meaning = data.draw(answers(detail), label="answer")
    assert_never_less_urgent(detail, text, meaning)


@settings(max_examples=200, deadline=None)
@given(days=st.integers(1, 29), hours=st.integers(0, 23))
@example(days=1, hours=0)
@example(days=2, hours=0)
def test_days_are_never_read_as_hours(days: int, hours: int) -> None:
    # The old parser's failure: "2 days" read as 2 hours of no urine.
    written = {
        f"{days} days": days * 24,
        f"{days} дня": days * 24,
        f"{days} д {hours} ч": days * 24 + hours,
        f"{days}d{hours}h": days * 24 + hours,
        f"{days} day {hours} hours": days * 24 + hours,
    }
    for text, meaning in written.items():
        assert read_number_answer("no_urine_hours", text, RULES) == Reading(meaning), text


@settings(max_examples=200, deadline=None)
@given(low=st.integers(0, 40), high=st.integers(0, 40))
def test_alternatives_give_the_worse_end_never_their_digits_glued(low: int, high: int) -> None:
    for detail in DURATIONS + COUNTS:
        for text in (f"{low} or {high}", f"{low} или {high}", f"{low}-{high}", f"{low}–{high}"):
            result = read_number_answer(detail, text, RULES)
            assert result == Reading(max(low, high)), (detail, text)


# ─── explicit examples at every threshold ────────────────────────────────────────────────────


def _written_forms(detail: str, value: float) -> list[str]:
    """`value` (in the question's unit) written in every way that is exact for it."""
    quantity = quantity_of(detail)
    plain = f"{value:g}"
    forms = [plain, plain.replace(".", ","), f"about {plain}", f"примерно {plain}"]
    if quantity is Quantity.HOURS:
        forms += [f"{plain} ч", f"{plain} hours", f"{value * 60:g} минут", f"{value * 60:g} min"]
        if value >= 1:
            forms += [f"{value - 1:g}-{plain}", f"{value - 1:g} or {plain} hours"]
        if value % 24 == 0 and value:
            forms += [f"{value / 24:g} дня", f"{value / 24:g} days", f"{value / 24:g} сут"]
        if value >= 24 and value % 1 == 0:
            forms += [
                f"{value // 24:g} д {value % 24:g} ч",
                f"{value // 24:g} day {value % 24:g} h",
            ]
        if value % 1 == 0.5:
            forms += [f"{math.floor(value)} ч 30 мин", f"{math.floor(value)}h30m"]
    elif quantity is Quantity.MINUTES:
        forms += [f"{plain} мин", f"{plain} minutes", f"{value * 60:g} секунд"]
        if value >= 1:
            forms += [f"{value - 1:g}-{plain} минут", f"{value - 1:g} или {plain}"]
        if value % 60 == 0 and value:
            forms += [f"{value / 60:g} ч", f"{value / 60:g} hours"]
    elif quantity is Quantity.COUNT:
        forms += [f"{plain} раза", f"{plain} times", f"{plain}x"]
        if value >= 1:
            forms += [f"{value - 1:g}-{plain} раз", f"{value - 1:g} or {plain} times"]
    else:
        forms += [f"{plain} °C", f"{plain}C", f"{plain} градусов"]
        forms += [f"{value * 9 / 5 + 32:.2f} F", f"{value * 9 / 5 + 32:.2f}°F"]
    return forms


def _near(detail: str, threshold: float) -> list[float]:
    quantity = quantity_of(detail)
    step = {Quantity.COUNT: 1.0, Quantity.CELSIUS: 0.1}.get(quantity, 0.5)
    bounds = NUMBER_BOUNDS[detail]
    near = [round(threshold - step, 2), threshold, round(threshold + step, 2)]
    return [value for value in near if bounds.minimum <= value <= bounds.maximum]


THRESHOLD_EXAMPLES = [
    (detail, value, text)
    for detail, threshold in THRESHOLDS
    for value in _near(detail, threshold)
    for text in _written_forms(detail, value)
]


@pytest.mark.parametrize(("detail", "meaning", "text"), THRESHOLD_EXAMPLES)
def test_just_below_at_and_just_above_every_threshold(
    detail: str, meaning: float, text: str
) -> None:
    assert_never_less_urgent(detail, text, meaning)
    result = read_number_answer(detail, text, RULES)
    if isinstance(result, Reading) and "-" not in text and " or " not in text:
        assert result.value == pytest.approx(meaning, abs=0.05), text


def test_every_number_detail_has_thresholds_and_bounds() -> None:
    assert set(NUMBER_DETAILS) == set(NUMBER_BOUNDS)
    for detail in NUMBER_DETAILS:
        assert thresholds(detail), detail


@pytest.mark.parametrize(
    ("detail", "text"),
    [
        ("no_urine_hours", "2 days"),
        ("no_urine_hours", "1 day 12 hours"),
        ("no_urine_hours", "2 or 3"),
        ("not_eating_hours", "полсуток"),
        ("seizure_minutes", "2 ч"),
        ("vomiting_count_24h", "2 или 3"),
        ("temperature_c", "38.5 or 39"),
        ("temperature_c", "104 F"),
    ],
)
def test_what_the_old_parser_misread_is_read_right(detail: str, text: str) -> None:
    old = _old_parse(detail, text)
    new = read_number_answer(detail, text, RULES)
    assert isinstance(new, Reading)
    assert old is None or rank(detail, new.value) >= rank(detail, old)
    assert new.value != old


def _old_parse(detail: str, text: str) -> float | None:
    # The parser this module replaced: keep digits, "." and "-", then float().
    cleaned = "".join(ch for ch in text.replace(",", ".") if ch.isdigit() or ch in ".-")
    try:
        return float(cleaned)
    except ValueError:
        return None


# ─── quick picks ─────────────────────────────────────────────────────────────────────────────


def _covered_range(detail: str) -> tuple[float, float]:
    bounds = NUMBER_BOUNDS[detail]
    # Counts start at 1: the sign was reported, and 0 can still be typed.
    low = 1 if quantity_of(detail) is Quantity.COUNT else bounds.minimum
    return low, bounds.maximum


def _values_in(detail: str) -> st.SearchStrategy[float]:
    low, high = _covered_range(detail)
    if quantity_of(detail) is Quantity.COUNT:
        return st.integers(int(low), int(high)).map(float)
    edges = [t for t in thresholds(detail) if low <= t <= high]
    return st.one_of(
        st.floats(low, high, allow_nan=False),
        st.sampled_from(edges),
        st.sampled_from(edges).map(lambda t: math.nextafter(t, -math.inf)),
        st.sampled_from(edges).map(lambda t: math.nextafter(t, math.inf)),
    )


@pytest.mark.parametrize("detail", NUMBER_DETAILS)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_quick_picks_cover_the_answers_once_and_each_holds_one_triage_result(
    detail: str, data: st.DataObject
) -> None:
    picks = quick_picks(detail, RULES)
    x = data.draw(_values_in(detail), label="answer")
    holding = [pick for pick in picks if pick.contains(x)]
    assert len(holding) == 1, (x, holding)
    assert rank(detail, x) == rank(detail, holding[0].value)


@pytest.mark.parametrize("detail", NUMBER_DETAILS)
def test_quick_pick_values_lie_in_their_bucket_and_in_bounds(detail: str) -> None:
    bounds = NUMBER_BOUNDS[detail]
    picks = quick_picks(detail, RULES)
    assert 2 <= len(picks) <= 6
    for pick in picks:
        assert pick.contains(pick.value)
        assert bounds.minimum <= pick.value <= bounds.maximum
        if bounds.integer:
            assert pick.value == int(pick.value)


@pytest.mark.parametrize(("detail", "threshold"), THRESHOLDS)
def test_every_threshold_is_a_quick_pick_boundary(detail: str, threshold: float) -> None:
    edges = {pick.low for pick in quick_picks(detail, RULES)} | {
        pick.high for pick in quick_picks(detail, RULES)
    }
    if quantity_of(detail) is Quantity.COUNT:
        edges |= {pick.high + 1 for pick in quick_picks(detail, RULES) if pick.high is not None}
    assert threshold in edges


def _shape(picks: tuple[QuickPick, ...]) -> list[tuple[float | None, float | None, float]]:
    return [(pick.low, pick.high, pick.value) for pick in picks]


@pytest.mark.parametrize(
    ("detail", "expected"),
    [
        ("not_eating_hours", [(None, 6, 0), (6, 12, 6), (12, 24, 12), (24, None, 24)]),
        ("no_urine_hours", [(None, 6, 0), (6, 12, 6), (12, 24, 12), (24, None, 24)]),
        ("vomiting_count_24h", [(1, 1, 1), (2, 2, 2), (3, None, 3)]),
        ("seizures_24h", [(1, 1, 1), (2, None, 2)]),
        ("seizure_minutes", [(None, 1, 0), (1, 5, 1), (5, None, 5)]),
        (
            "temperature_c",
            [(None, 37.5, 37.5), (37.5, 39.5, 38.5), (39.5, 40, 39.5), (40, None, 40)],
        ),
    ],
)
def test_quick_picks_for_each_question(
    detail: str, expected: list[tuple[float | None, float | None, float]]
) -> None:
    assert _shape(quick_picks(detail, RULES)) == expected


def test_temperature_bands_say_which_ends_belong() -> None:
    cold, normal, fever, hot = quick_picks("temperature_c", RULES)
    assert cold.contains(37.5) and not normal.contains(37.5)
    assert normal.contains(39.4) and not normal.contains(39.5) and fever.contains(39.5)
    assert not fever.contains(40) and hot.contains(40)


@pytest.mark.parametrize(
    ("detail", "quantity"),
    [
        ("seizure_minutes", Quantity.MINUTES),
        ("bleeding_minutes", Quantity.MINUTES),
        ("no_urine_hours", Quantity.HOURS),
        ("not_eating_hours", Quantity.HOURS),
        ("not_drinking_hours", Quantity.HOURS),
        ("seizures_24h", Quantity.COUNT),
        ("vomiting_count_24h", Quantity.COUNT),
        ("diarrhea_count_24h", Quantity.COUNT),
        ("temperature_c", Quantity.CELSIUS),
    ],
)
def test_quantity_of_each_number_detail(detail: str, quantity: Quantity) -> None:
    assert quantity_of(detail) is quantity
