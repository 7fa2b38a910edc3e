"""Reading the numbers owners type in the symptom check, without ever reading them down.

An owner answers "For how many hours has there been no urine?" with "2 days", "1 д 12 ч",
"со вчера", "2 или 3", "полтора суток". Each answer becomes either a `Reading` (one value in
the question's own unit) or an `AskBack` (a few candidate values, most urgent first, for the
dialog to offer as buttons) — or an `AnswerError` the dialog turns into a hint.

Under-triage is the error that harms, so every choice here leans the other way:
- a range or alternatives ("2–3", "38.5 or 39") give the candidate that is worse for the
  animal, ranked by the very thresholds the rules use for that detail;
- "more than a day", "less than an hour", "до 3" give the bound itself (the worse end for
  durations and counts);
- a word where a unit should stand ("2 лун"), a relative time ("since yesterday"), a vague
  count ("несколько раз") or a bare Fahrenheit-looking temperature is asked back, never guessed
  silently.

`quick_picks` gives the buttons under each number question: buckets cut at every threshold
the rules use, so a tap stores a value whose triage result is the bucket's own.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from itertools import pairwise, product
from types import MappingProxyType

from core.check_questions import NUMBER_BOUNDS, AnswerError, NumberBounds
from core.time_words import DAYS, WEEKS
from core.triage import RuleSet
from core.triage.conditions import COMPARE, AllCond, AnyCond, Condition, DetailCond, NotCond

# ─── public API ──────────────────────────────────────────────────────────────────────────────


class Quantity(StrEnum):
    """What a number question measures; the dialog picks its unit label by it."""

    MINUTES = "minutes"
    HOURS = "hours"
    COUNT = "count"
    CELSIUS = "celsius"


@dataclass(frozen=True, slots=True)
class Reading:
    """The answer, in the question's own unit (hours, minutes, a count, °C)."""

    value: int | float


@dataclass(frozen=True, slots=True)
class AskBack:
    """The meaning is not certain: candidate values in the question's unit, most urgent first."""

    options: tuple[int | float, ...]


@dataclass(frozen=True, slots=True)
class QuickPick:
    """One button under a number question: a bucket of answers with one triage result.

    `low`/`high` are the bucket's bounds (None: open-ended); `low_closed`/`high_closed` say
    whether the bound itself belongs to the bucket. Durations read "6–12" as 6 ≤ x < 12,
    counts are whole numbers with both ends included ("1", "3 or more"), and the temperature
    band "37.6–39.4" is 37.5 < x < 39.5. `value` is what a tap stores.
    """

    low: float | None
    high: float | None
    value: int | float
    low_closed: bool = True
    high_closed: bool = False

    def contains(self, x: float) -> bool:
        above = self.low is None or (x >= self.low if self.low_closed else x > self.low)
        below = self.high is None or (x <= self.high if self.high_closed else x < self.high)
        return above and below


_QUANTITIES: Mapping[str, Quantity] = MappingProxyType(
    {
        "seizure_minutes": Quantity.MINUTES,
        "bleeding_minutes": Quantity.MINUTES,
        "no_urine_hours": Quantity.HOURS,
        "not_eating_hours": Quantity.HOURS,
        "not_drinking_hours": Quantity.HOURS,
        "seizures_24h": Quantity.COUNT,
        "vomiting_count_24h": Quantity.COUNT,
        "diarrhea_count_24h": Quantity.COUNT,
        "temperature_c": Quantity.CELSIUS,
    }
)


def quantity_of(detail: str) -> Quantity:
    """The quantity a number detail measures; a new detail is judged by its name's suffix."""
    known = _QUANTITIES.get(detail)
    if known is not None:
        return known
    if detail.endswith("_minutes"):
        return Quantity.MINUTES
    if detail.endswith("_hours"):
        return Quantity.HOURS
    if detail.startswith("temperature"):
        return Quantity.CELSIUS
    return Quantity.COUNT


def urgency_rank(detail: str, value: float, rules: RuleSet) -> int:
    """How urgent `value` alone makes `detail`: 0 when no threshold holds, else level rank + 1.

    Only the conditions on this detail are read (species, sex and the other details are taken
    as allowing the rule), so the rank is the worst the value could mean for any animal.
    """
    return _Scale.of(detail, rules).rank(value)


def read_number_answer(detail: str, text: str, rules: RuleSet) -> Reading | AskBack:
    """Read a typed answer to the number question about `detail`.

    Raises AnswerError with reason "not_a_number", "out_of_range" or "not_whole".
    """
    quantity = quantity_of(detail)
    bounds = NUMBER_BOUNDS.get(detail, _DEFAULT_BOUNDS)
    scale = _Scale.of(detail, rules)
    normalized = _normalize(text)

    clock = _CLOCK.search(normalized)
    if clock is not None and quantity is Quantity.MINUTES:
        # "1:30" to a minutes question: 1 h 30 min or 1 min 30 s — both readings are asked.
        values: list[float] = []
        for spelled in (r"\1 h \2 min", r"\1 min \2 s"):
            reading = read_number_answer(detail, _CLOCK.sub(spelled, normalized), rules)
            values.extend(reading.options if isinstance(reading, AskBack) else (reading.value,))
        return _ask_back(values, scale, bounds)
    if clock is not None and quantity is Quantity.HOURS:
        normalized = _CLOCK.sub(r"\1 h \2 min", normalized)

    normalized, relative_hours = _take_relative_time(normalized)
    segments = _parse(_lex(normalized, quantity), quantity)
    if not any(segments):
        if relative_hours and quantity in (Quantity.MINUTES, Quantity.HOURS):
            per_unit = _QUESTION_UNIT_MINUTES[quantity]
            return _ask_back([h * 60 / per_unit for h in relative_hours], scale, bounds)
        raise AnswerError("not_a_number")

    resolver = _RESOLVERS[quantity]
    has_unknown = any(p.unknown for seg in segments for p in seg)
    has_vague = any(p.vague for seg in segments for p in seg)
    unknown_choices: Sequence[_Unit | None] = (
        _UNKNOWN_UNIT_CHOICES.get(quantity, (None,)) if has_unknown else (None,)
    )
    vague_choices: Sequence[float | None] = _VAGUE_VALUES if has_vague else (None,)
    outcomes = [
        resolver(segments, _Choice(unknown, vague), scale, bounds)
        for unknown, vague in product(unknown_choices, vague_choices)
    ]
    if len(outcomes) == 1 and not outcomes[0].confirm:
        return Reading(_checked(outcomes[0].value, bounds))
    return _ask_back([outcome.value for outcome in outcomes], scale, bounds)


def quick_picks(detail: str, rules: RuleSet) -> tuple[QuickPick, ...]:
    """Buttons for a number question, cut at every threshold the rules use for `detail`."""
    quantity = quantity_of(detail)
    bounds = NUMBER_BOUNDS.get(detail, _DEFAULT_BOUNDS)
    scale = _Scale.of(detail, rules)
    if quantity is Quantity.COUNT:
        return _count_picks(scale, bounds)
    return _continuous_picks(scale, bounds, _FRIENDLY_SPLITS.get(quantity, ()))


# ─── the rules' view of one detail ───────────────────────────────────────────────────────────

_DEFAULT_BOUNDS = NumberBounds(0, 10_000, integer=False)
_NORMAL_TEMPERATURE = 38.5


@dataclass(frozen=True, slots=True)
class _Threshold:
    op: str
    value: float
    level: int  # Urgency.rank + 1, so that 0 can mean "no threshold holds"
    negated: bool

    def holds(self, x: float) -> bool:
        return COMPARE[self.op](x, self.value) != self.negated


@dataclass(frozen=True, slots=True)
class _Scale:
    """Every numeric condition the rules put on one detail, and the ranking they imply."""

    quantity: Quantity
    thresholds: tuple[_Threshold, ...]
    # For temperature, ties go to the value farther from the middle of the normal band.
    middle: float

    @classmethod
    def of(cls, detail: str, rules: RuleSet) -> _Scale:
        thresholds = tuple(
            _Threshold(cond.op, float(cond.value), rule.level.rank + 1, negated)
            for rule in rules.rules
            if rule.when is not None
            for cond, negated in _detail_conditions(rule.when, negated=False)
            if cond.detail == detail and _is_number(cond.value)
        )
        quantity = quantity_of(detail)
        return cls(quantity, thresholds, _band_middle(thresholds))

    def rank(self, x: float) -> int:
        return max((t.level for t in self.thresholds if t.holds(x)), default=0)

    def urgency_key(self, x: float) -> tuple[int, float]:
        """Sort key: larger is more urgent (rank first, then the tie rule)."""
        if self.quantity is Quantity.CELSIUS:
            return self.rank(x), abs(x - self.middle)
        return self.rank(x), x

    def signature(self, x: float) -> tuple[bool, ...]:
        return tuple(t.holds(x) for t in self.thresholds)

    @property
    def cut_points(self) -> frozenset[float]:
        return frozenset(t.value for t in self.thresholds)


def _detail_conditions(cond: Condition, *, negated: bool) -> Iterator[tuple[DetailCond, bool]]:
    # Like conditions.walk, but keeping track of `not`, which turns a threshold around.
    match cond:
        case DetailCond():
            yield cond, negated
        case AllCond(items=items) | AnyCond(items=items):
            for item in items:
                yield from _detail_conditions(item, negated=negated)
        case NotCond(item=item):
            yield from _detail_conditions(item, negated=not negated)
        case _:
            pass


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _band_middle(thresholds: Sequence[_Threshold]) -> float:
    lows = [t.value for t in thresholds if t.op in ("<=", "<") and not t.negated]
    highs = [t.value for t in thresholds if t.op in (">=", ">") and not t.negated]
    if lows and highs and max(lows) < min(highs):
        return (max(lows) + min(highs)) / 2
    return _NORMAL_TEMPERATURE


# ─── vocabulary ──────────────────────────────────────────────────────────────────────────────


class _Unit(Enum):
    SECOND = "second"
    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    TIMES = "times"
    DEGREE = "degree"  # a degree of no stated scale: Celsius unless Fahrenheit follows
    CELSIUS = "celsius"
    FAHRENHEIT = "fahrenheit"


_UNIT_MINUTES: Mapping[_Unit, float] = MappingProxyType(
    {
        _Unit.SECOND: 1 / 60,
        _Unit.MINUTE: 1,
        _Unit.HOUR: 60,
        _Unit.DAY: 24 * 60,
        _Unit.WEEK: 7 * 24 * 60,
        _Unit.MONTH: 30 * 24 * 60,
    }
)
# "2 ч 30", "1 день 12": a bare number after a unit is in the next smaller one.
_NEXT_SMALLER: Mapping[_Unit, _Unit] = MappingProxyType(
    {
        _Unit.MONTH: _Unit.DAY,
        _Unit.WEEK: _Unit.DAY,
        _Unit.DAY: _Unit.HOUR,
        _Unit.HOUR: _Unit.MINUTE,
        _Unit.MINUTE: _Unit.SECOND,
    }
)
_TEMPERATURE_UNITS = frozenset({_Unit.DEGREE, _Unit.CELSIUS, _Unit.FAHRENHEIT})
_QUESTION_UNIT_MINUTES: Mapping[Quantity, float] = MappingProxyType(
    {Quantity.MINUTES: 1, Quantity.HOURS: 60}
)


def _words(unit: _Unit, *spellings: str) -> dict[str, _Unit]:
    return dict.fromkeys(spellings, unit)


def _wordset(*lines: str) -> frozenset[str]:
    return frozenset(word for line in lines for word in line.split())


_UNIT_WORDS: Mapping[str, _Unit] = MappingProxyType(
    {
        **_words(_Unit.SECOND, "сек", "секунда", "секунды", "секунд", "секунду", "секундочку"),
        **_words(_Unit.SECOND, "s", "sec", "secs", "second", "seconds"),
        **_words(_Unit.MINUTE, "мин", "минута", "минуты", "минут", "минуту", "минутка"),
        **_words(_Unit.MINUTE, "минутки", "минуток", "минуточку"),
        **_words(_Unit.MINUTE, "m", "min", "mins", "minute", "minutes"),
        **_words(_Unit.HOUR, "ч", "час", "часа", "часов", "часу", "часик", "часика", "часиков"),
        **_words(_Unit.HOUR, "h", "hr", "hrs", "hour", "hours"),
        **_words(_Unit.DAY, *DAYS, "сутки", "суток", "сут", "денек", "денька", "деньков"),
        **_words(_Unit.WEEK, *WEEKS, "недельку", "неделька", "недельки"),
        **_words(_Unit.MONTH, "мес", "месяц", "месяца", "месяцев", "month", "months", "mo"),
        **_words(_Unit.TIMES, "раз", "раза", "разa", "times", "time", "x", "х"),
        **_words(_Unit.DEGREE, "градус", "градуса", "градусов", "град", "гр"),
        **_words(_Unit.DEGREE, "deg", "degree", "degrees"),
        **_words(_Unit.CELSIUS, "c", "с", "celsius", "цельсия", "цельсию", "цельсий"),
        **_words(_Unit.FAHRENHEIT, "f", "ф", "fahrenheit", "фаренгейт", "фаренгейта"),
        **_words(_Unit.FAHRENHEIT, "фаренгейту"),
    }
)

_NUMBER_WORDS: Mapping[str, float] = MappingProxyType(
    {
        **dict.fromkeys(("ноль", "нуль", "zero", "none"), 0),
        **dict.fromkeys(("один", "одна", "одну", "одно", "одного", "одной", "one"), 1),
        **dict.fromkeys(("два", "две", "двух", "two", "пара", "пару", "пары"), 2),
        **dict.fromkeys(("couple", "pair", "двое", "двоих"), 2),
        **dict.fromkeys(("три", "трех", "three", "трое", "троих", "тройку", "тройка"), 3),
        **dict.fromkeys(("четыре", "четырех", "four", "четверо"), 4),
        **dict.fromkeys(("пять", "пяти", "five", "пятеро"), 5),
        **dict.fromkeys(("шесть", "шести", "six", "шестеро"), 6),
        **dict.fromkeys(("семь", "семи", "seven", "семеро"), 7),
        **dict.fromkeys(("восемь", "восьми", "eight"), 8),
        **dict.fromkeys(("девять", "девяти", "nine"), 9),
        **dict.fromkeys(("десять", "десяти", "ten"), 10),
        **dict.fromkeys(("одиннадцать", "одиннадцати", "eleven"), 11),
        **dict.fromkeys(("двенадцать", "двенадцати", "twelve", "dozen"), 12),
        **dict.fromkeys(("тринадцать", "тринадцати", "thirteen"), 13),
        **dict.fromkeys(("четырнадцать", "четырнадцати", "fourteen"), 14),
        **dict.fromkeys(("пятнадцать", "пятнадцати", "fifteen"), 15),
        **dict.fromkeys(("шестнадцать", "шестнадцати", "sixteen"), 16),
        **dict.fromkeys(("семнадцать", "семнадцати", "seventeen"), 17),
        **dict.fromkeys(("восемнадцать", "восемнадцати", "eighteen"), 18),
        **dict.fromkeys(("девятнадцать", "девятнадцати", "nineteen"), 19),
        **dict.fromkeys(("двадцать", "двадцати", "twenty"), 20),
        **dict.fromkeys(("тридцать", "тридцати", "thirty"), 30),
        **dict.fromkeys(("сорок", "сорока", "forty"), 40),
        **dict.fromkeys(("пятьдесят", "пятидесяти", "fifty"), 50),
        **dict.fromkeys(("шестьдесят", "шестидесяти", "sixty"), 60),
        **dict.fromkeys(("семьдесят", "семидесяти", "seventy"), 70),
        **dict.fromkeys(("восемьдесят", "восьмидесяти", "eighty"), 80),
        **dict.fromkeys(("девяносто", "девяноста", "ninety"), 90),
        **dict.fromkeys(("сто", "ста", "hundred"), 100),
        **dict.fromkeys(("полтора", "полторы", "полутора"), 1.5),
    }
)
# Words that stand for a number of times on their own: "twice", "разок".
_TIMES_WORDS: Mapping[str, float] = MappingProxyType(
    {
        "once": 1,
        "однажды": 1,
        "единожды": 1,
        "разок": 1,
        "twice": 2,
        "дважды": 2,
        "thrice": 3,
        "трижды": 3,
    }
)
# Only plain cardinals combine into "twenty five"; "пара" or "двое" never do.
_COMBINING = frozenset(
    {
        word
        for word, value in _NUMBER_WORDS.items()
        if value == int(value)
        and word
        not in {"пара", "пару", "пары", "couple", "pair", "dozen", "двое", "двоих", "трое"}
        and word not in {"троих", "тройку", "тройка", "четверо", "пятеро", "шестеро", "семеро"}
    }
)
_HALF_WORDS = frozenset({"half", "пол", "половина", "половину", "половинку"})
_HALF_AFTER = frozenset({"половиной", "половинкой"})
_A_WORDS = frozenset({"a", "an"})
_VAGUE_WORDS = frozenset({"несколько", "нескольких", "few", "several", "some"})
_SEPARATOR_WORDS = frozenset(
    {"или", "либо", "or", "to", "до", "maybe", "может", "возможно", "perhaps", "наверное"}
    | {"наверно", "probably", "vs"}
)
# Count questions: "3 раза в день" is a rate, "3 раза за 2 часа" a window.
_RATE_WORDS = frozenset({"per", "в", "каждый", "каждые", "каждую", "каждое", "every", "each"})
_WITHIN_WORDS = frozenset(
    {"за", "in", "within", "during", "over", "last", "последние", "последних", "течение"}
)
_POINT_WORDS = frozenset({"point", "точка", "запятая"})
# Words owners put next to a number that neither add nor change a thing. Any other word right
# after a number, where a unit would stand, is asked back; elsewhere unknown words are ignored.
_FILLER_WORDS = _wordset(
    "примерно около приблизительно где то уже почти больше меньше более менее не чем",
    "плюс минус кажется вроде наверно назад подряд и а со от между по полных целых",
    "полные целые сегодня сейчас утром вечером ночью днем градусник показал",
    "показывает температура",
    "about approximately approx around roughly nearly almost already more less than",
    "at least most under above below plus ish and of the for from since between ago",
    "now today full whole straight total in or so like just over was it is",
)

# Relative times, to hour questions: plausible values, most urgent first. Earlier patterns win
# ("вчера утром" before "вчера"). The answer is asked back: the time of day is not known.
_RELATIVE_TIMES: tuple[tuple[re.Pattern[str], tuple[float, ...]], ...] = (
    (
        re.compile(r"\b(?:(?:с|со|since)\s+)?(?:позавчера|the\s+day\s+before\s+yesterday)\b"),
        (48, 36),
    ),
    (
        re.compile(
            r"\b(?:(?:с|со)\s+)?вчера(?:шнего)?\s+утр(?:а|ом)\b"
            r"|\b(?:since\s+)?yesterday\s+morning\b"
        ),
        (36, 24),
    ),
    (
        re.compile(
            r"\b(?:(?:с|со)\s+)?вчера(?:шнего|шней)?\s+(?:вечер(?:а|ом)|ноч(?:и|ью))\b"
            r"|\bс\s+(?:прошлой\s+)?(?:ночи|вечера)\b"
            r"|\b(?:since\s+)?(?:last|yesterday)\s+(?:night|evening)\b|\bovernight\b"
        ),
        (18, 12),
    ),
    (
        re.compile(r"\b(?:(?:с|со)\s+)?вчера(?:шн\w*(?:\s+дня)?)?\b|\b(?:since\s+)?yesterday\b"),
        (24, 12),
    ),
    (
        re.compile(
            r"\bс\s+(?:самого\s+)?утра\b|\bсегодня\s+утром\b"
            r"|\b(?:since\s+)?this\s+morning\b|\bsince\s+(?:the\s+)?morning\b"
            r"|\bс\s+(?:обеда|полудня)\b|\bsince\s+(?:lunch|noon|midday)\b"
        ),
        (12, 6),
    ),
    (re.compile(r"\bс\s+прошлой\s+недели\b|\bsince\s+last\s+week\b"), (168, 72)),
)

# "h", "ч", "s": a unit this short only counts right after a number ("it's 5" is not 5 s).
_ABBREVIATION_LENGTH = 2
_CLOCK = re.compile(r"\b(\d{1,2}):([0-5]\d)\b")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[a-zа-я]+|\S")
_DASHES = "‐‑‒–—―−﹣－"
_COMBINES_FROM = 20  # "twenty five" combines; "десять пять" is two numbers

# Ask-back choices for a word where a unit should stand, most urgent first.
_UNKNOWN_UNIT_CHOICES: Mapping[Quantity, tuple[_Unit | None, ...]] = MappingProxyType(
    {
        Quantity.HOURS: (_Unit.DAY, _Unit.HOUR),
        Quantity.MINUTES: (_Unit.HOUR, _Unit.MINUTE),
    }
)
# "несколько", "a few": the values offered back.
_VAGUE_VALUES: tuple[float, ...] = (5, 3, 2)
# Extra button boundaries that make the picks easier to choose from, below the top threshold.
_FRIENDLY_SPLITS: Mapping[Quantity, tuple[float, ...]] = MappingProxyType(
    {Quantity.HOURS: (6, 12), Quantity.MINUTES: (1,)}
)
_MAX_OPTIONS = 3
_MAX_SINGLE_COUNTS = 5


# ─── normalizing and lexing ──────────────────────────────────────────────────────────────────


def _normalize(text: str) -> str:
    text = text.lower().replace("ё", "е")
    for dash in _DASHES:
        text = text.replace(dash, "-")
    text = re.sub(r"(\d)\s*½", r"\1.5", text).replace("½", " 0.5 ")
    text = re.sub(r"°\s*f\b", " fahrenheit ", text)
    text = re.sub(r"°\s*[cс]\b", " celsius ", text)
    text = text.replace("°", " degrees ")
    text = re.sub(r"['’]s\b", "", text)  # "it's", "that's"
    text = re.sub(r"\bни\s+разу\b|\bnever\b|\bnot\s+once\b", " 0 раз ", text)
    # "2-х часов", "5-ти минут": Russian case endings written after digits.
    return re.sub(r"(\d)-(?:х|ух|ех|ти|и|ми)\b", r"\1", text)


def _take_relative_time(text: str) -> tuple[str, tuple[float, ...]]:
    for pattern, hours in _RELATIVE_TIMES:
        if pattern.search(text):
            return pattern.sub(" ", text), hours
    return text, ()


class _Kind(Enum):
    NUM = "num"
    UNIT = "unit"
    AND_HALF = "and_half"
    A = "a"
    VAGUE = "vague"
    SEP = "sep"
    RATE = "rate"
    WITHIN = "within"
    POINT = "point"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class _Lex:
    kind: _Kind
    value: float = 0.0
    unit: _Unit | None = None
    word: str = ""

    @property
    def abbreviation(self) -> bool:
        return len(self.word) <= _ABBREVIATION_LENGTH


def _lex(text: str, quantity: Quantity) -> list[_Lex]:
    raw = _TOKEN.findall(text)
    out: list[_Lex] = []
    negative = False
    i = 0
    while i < len(raw):
        token = raw[i]
        i += 1
        if token[0].isdigit():
            value = float(token.replace(",", "."))
            out.append(_Lex(_Kind.NUM, -value if negative else value, word=token))
            negative = False
            continue
        negative = False
        if token == "-":
            previous = raw[i - 2] if i >= 2 else ""
            if _is_amount_token(previous):
                out.append(_Lex(_Kind.SEP))  # "2-3", "два-три": a range
            elif i < len(raw) and raw[i][0].isdigit():
                negative = True  # "-3", "−39": a minus sign
            continue
        if token in {",", ";", "/"}:
            out.append(_Lex(_Kind.SEP))
            continue
        if not token.isalpha():
            continue  # "~", "+", "<", ">", "≥", "?", "(": approximations and punctuation
        i = _lex_word(token, raw, i, out, quantity)
    return out


def _is_amount_token(token: str) -> bool:
    return bool(token) and (
        token[0].isdigit()
        or token in _NUMBER_WORDS
        or token in _UNIT_WORDS
        or token in _TIMES_WORDS
        or token in _VAGUE_WORDS
    )


def _lex_word(word: str, raw: list[str], i: int, out: list[_Lex], quantity: Quantity) -> int:
    """Lex one word at raw[i - 1]; returns the index of the next raw token to read."""
    if word in _NUMBER_WORDS:
        value = _NUMBER_WORDS[word]
        while word in _COMBINING:
            # "двадцать пять", "twenty-five", "сто двадцать": smaller places add up.
            j = i + 1 if i < len(raw) and raw[i] == "-" else i
            nxt = raw[j] if j < len(raw) else ""
            if nxt not in _COMBINING or not 0 < _NUMBER_WORDS[nxt] < _place(value):
                break
            value += _NUMBER_WORDS[nxt]
            word, i = nxt, j + 1
        out.append(_Lex(_Kind.NUM, value, word=word))
        return i
    if word in _TIMES_WORDS:
        out.append(_Lex(_Kind.NUM, _TIMES_WORDS[word], word=word))
        out.append(_Lex(_Kind.UNIT, unit=_Unit.TIMES, word=word))
        return i
    if word in {"с", "and"}:
        # "час с половиной", "an hour and a half": half of the unit just said.
        j = i + 1 if i < len(raw) and raw[i] == "a" else i
        if j < len(raw) and (raw[j] in _HALF_AFTER or (word == "and" and raw[j] == "half")):
            out.append(_Lex(_Kind.AND_HALF))
            return j + 1
    if word in _HALF_WORDS:
        out.append(_Lex(_Kind.NUM, 0.5, word=word))
        return i
    if word.startswith("пол") and word[3:] in _UNIT_WORDS and len(word) > 4:
        # "полчаса", "полдня", "полсуток": half of the unit.
        out.append(_Lex(_Kind.NUM, 0.5, word="пол"))
        out.append(_Lex(_Kind.UNIT, unit=_UNIT_WORDS[word[3:]], word=word))
        return i
    if word in _UNIT_WORDS and not (word == "с" and quantity is not Quantity.CELSIUS):
        # A lone Cyrillic "с" is Celsius to a temperature question; elsewhere it may mean
        # seconds or сутки, so it is left unknown (and asked back when it follows a number).
        out.append(_Lex(_Kind.UNIT, unit=_UNIT_WORDS[word], word=word))
        return i
    if word in _A_WORDS:
        out.append(_Lex(_Kind.A))
    elif word in _VAGUE_WORDS:
        out.append(_Lex(_Kind.VAGUE))
    elif word in _SEPARATOR_WORDS:
        out.append(_Lex(_Kind.SEP))
    elif word in _RATE_WORDS and quantity is Quantity.COUNT:
        out.append(_Lex(_Kind.RATE))
    elif word in _WITHIN_WORDS and quantity is Quantity.COUNT:
        out.append(_Lex(_Kind.WITHIN))
    elif word in _POINT_WORDS or (word in {"и", "and"} and quantity is Quantity.CELSIUS):
        # "тридцать девять и пять" is how 39.5 is said aloud.
        out.append(_Lex(_Kind.POINT, word=word))
    elif word not in _FILLER_WORDS and word not in _RATE_WORDS and word not in _WITHIN_WORDS:
        out.append(_Lex(_Kind.UNKNOWN, word=word))
    return i


def _place(value: float) -> float:
    """The smallest place `value` fills (20 → 10, 100 → 100, 120 → 10); 0 below twenty."""
    whole = int(value)
    if whole < _COMBINES_FROM or whole != value:
        return 0
    place = 1
    while whole % 10 == 0:
        whole //= 10
        place *= 10
    return place


# ─── parsing into alternatives of amounts ────────────────────────────────────────────────────


@dataclass(slots=True)
class _Part:
    """One amount as written: a number, its unit, or both ("3", "дня", "2 дня")."""

    number: float | None = None
    unit: _Unit | None = None
    vague: bool = False
    unknown: str = ""  # a word standing where the unit should
    rate: bool = False  # count questions: the window of "3 раза в день"
    window: bool = False  # count questions: the window of "3 раза за 2 часа"


_Segment = list[_Part]


@dataclass(slots=True)
class _Parser:
    lexemes: Sequence[_Lex]
    quantity: Quantity
    segments: list[_Segment] = field(default_factory=lambda: [[]])
    current: _Part | None = None
    mode: _Kind | None = None  # RATE or WITHIN, for the next time unit

    def close(self) -> None:
        if self.current is not None:
            self.segments[-1].append(self.current)
        self.current = None

    def split(self) -> None:
        self.close()
        self.segments.append([])
        self.mode = None

    def next_kind(self, i: int) -> _Kind | None:
        return self.lexemes[i + 1].kind if i + 1 < len(self.lexemes) else None

    def run(self) -> list[_Segment]:
        i = 0
        while i < len(self.lexemes):
            i = self.step(i, self.lexemes[i])
        self.close()
        return [segment for segment in self.segments if segment]

    def step(self, i: int, lex: _Lex) -> int:
        match lex.kind:
            case _Kind.NUM:
                self.number(lex.value, followed_by_unit=self.next_kind(i) is _Kind.UNIT)
            case _Kind.UNIT:
                assert lex.unit is not None
                cur = self.current
                if lex.abbreviation and (cur is None or cur.number is None):
                    return i + 1
                self.unit(lex.unit)
            case _Kind.AND_HALF:
                part = self.current or (self.segments[-1][-1] if self.segments[-1] else None)
                if part is not None:
                    part.number = (1 if part.number is None else part.number) + 0.5
            case _Kind.A:
                cur = self.current
                if self.next_kind(i) is _Kind.UNIT and (cur is None or cur.number is None):
                    # "an hour", "a day"; to a count question "3 times a day" is a rate.
                    counting = self.quantity is Quantity.COUNT
                    if (
                        counting
                        and self.mode is None
                        and self.lexemes[i + 1].unit in _UNIT_MINUTES
                    ):
                        self.close()
                        self.mode = _Kind.RATE
                    self.number(1, followed_by_unit=True)
            case _Kind.VAGUE:
                if self.current is None or self.current.unit is not None:
                    self.close()
                    self.current = _Part(vague=True)
            case _Kind.SEP:
                self.split()
            case _Kind.RATE | _Kind.WITHIN:
                self.close()
                self.mode = lex.kind
            case _Kind.POINT:
                nxt = self.lexemes[i + 1] if i + 1 < len(self.lexemes) else None
                cur = self.current
                if (
                    cur is not None
                    and cur.number is not None
                    and cur.unit is None
                    and nxt is not None
                    and nxt.kind is _Kind.NUM
                    and nxt.value >= 0
                    and (lex.word in _POINT_WORDS or nxt.value in range(10))
                ):
                    digits = nxt.word if nxt.word[:1].isdigit() else f"{int(nxt.value)}"
                    cur.number = float(f"{int(cur.number)}.{digits}")
                    return i + 2
            case _Kind.UNKNOWN:
                cur = self.current
                if cur is not None and cur.number is not None and cur.unit is None:
                    cur.unknown = cur.unknown or lex.word
        return i + 1

    def number(self, value: float, *, followed_by_unit: bool) -> None:
        cur = self.current
        if cur is None:
            self.current = _Part(number=value)
        elif cur.number is None and cur.unit is not None and not followed_by_unit:
            cur.number = value  # "часов 5": the unit first, Russian for "about 5 hours"
            # (an abbreviation never stands first: the parser drops it, see step())
        elif cur.number is None and cur.vague:
            cur.number, cur.vague = value, False  # "some 5 hours"
        elif cur.unit is None:
            # Two bare numbers side by side ("2 3", "2 maybe 3") are alternatives.
            self.split()
            self.current = _Part(number=value)
        else:
            self.close()
            self.current = _Part(number=value)

    def unit(self, unit: _Unit) -> None:
        cur = self.current
        if cur is not None and cur.unit is None:
            cur.unit, cur.unknown = unit, ""
        elif (
            cur is not None
            and cur.unit is _Unit.DEGREE
            and unit in (_Unit.CELSIUS, _Unit.FAHRENHEIT)
        ):
            cur.unit = unit  # "градусов по Фаренгейту"
        else:
            self.close()
            self.current = _Part(unit=unit)
        assert self.current is not None
        if self.mode is not None and unit in _UNIT_MINUTES:
            self.current.rate = self.mode is _Kind.RATE
            self.current.window = self.mode is _Kind.WITHIN
            self.mode = None


def _parse(lexemes: Sequence[_Lex], quantity: Quantity) -> list[_Segment]:
    return _Parser(lexemes, quantity).run()


# ─── resolving alternatives into one value ───────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class _Choice:
    """One interpretation of the uncertain parts of an answer."""

    unknown_unit: _Unit | None
    vague_value: float | None


@dataclass(frozen=True, slots=True)
class _Outcome:
    value: float
    confirm: bool = False  # a reading the owner should confirm (a bare Fahrenheit number)


_Resolver = Callable[[Sequence[_Segment], _Choice, _Scale, NumberBounds], _Outcome]


def _amount(part: _Part, choice: _Choice) -> float:
    if part.number is not None:
        return part.number
    if part.vague and choice.vague_value is not None:
        return choice.vague_value
    return 1  # "час", "сутки", "an hour": a unit alone is one of it


def _unit(part: _Part, choice: _Choice) -> _Unit | None:
    if part.unit is None and part.unknown:
        return choice.unknown_unit
    return part.unit


def _resolve_duration(
    segments: Sequence[_Segment], choice: _Choice, scale: _Scale, bounds: NumberBounds
) -> _Outcome:
    per_unit = _QUESTION_UNIT_MINUTES[scale.quantity]
    firsts = [_unit(segment[0], choice) for segment in segments]
    candidates: list[float] = []
    for index, segment in enumerate(segments):
        units: list[_Unit] = []
        for position, part in enumerate(segment):
            unit = _unit(part, choice)
            if unit is None and position > 0 and units[-1] in _NEXT_SMALLER:
                unit = _NEXT_SMALLER[units[-1]]  # "2 ч 30", "1 день 12"
            if unit is None:
                # "2–3 дня", "2 часа или 3": a bare end takes its neighbour's unit.
                right = [u for u in firsts[index + 1 :] if u is not None]
                left = [u for u in firsts[:index] if u is not None]
                unit = right[0] if right else left[-1] if left else None
            if unit is None:
                units.append(_Unit.HOUR if per_unit == 60 else _Unit.MINUTE)
            elif unit not in _UNIT_MINUTES:
                raise AnswerError("not_a_number")  # "3 раза", "39 градусов" for a duration
            else:
                units.append(unit)
        minutes = [
            _amount(part, choice) * _UNIT_MINUTES[unit]
            for part, unit in zip(segment, units, strict=True)
        ]
        descending = all(_UNIT_MINUTES[a] > _UNIT_MINUTES[b] for a, b in pairwise(units))
        if descending:
            candidates.append(sum(minutes) / per_unit)  # "1 day 12 hours"
        else:
            candidates.extend(m / per_unit for m in minutes)
    return _Outcome(_rounded(_worst(candidates, scale), scale, 2))


def _resolve_count(
    segments: Sequence[_Segment], choice: _Choice, scale: _Scale, bounds: NumberBounds
) -> _Outcome:
    counts: list[float] = []
    factor = 1
    for segment in segments:
        for part in segment:
            unit = _unit(part, choice)
            if unit in _TEMPERATURE_UNITS:
                raise AnswerError("not_a_number")
            if unit is not None and unit in _UNIT_MINUTES:
                if part.rate:
                    # "раз в час", "every 2 hours": extrapolated to 24 hours.
                    window = _amount(part, choice) * _UNIT_MINUTES[unit]
                    if 0 < window < 24 * 60:
                        factor = max(factor, math.ceil(24 * 60 / window))
                continue
            counts.append(_amount(part, choice))
    if not counts:
        if factor == 1:
            raise AnswerError("not_a_number")  # "3 дня" to "how many times?"
        counts.append(1)  # "каждый час", "every hour"
    worst = _worst(counts, scale) * factor
    if factor > 1:
        # An extrapolated rate says "often", not an exact count: the plausible top will do.
        worst = min(worst, bounds.maximum)
    return _Outcome(worst)


def _resolve_temperature(
    segments: Sequence[_Segment], choice: _Choice, scale: _Scale, bounds: NumberBounds
) -> _Outcome:
    stated_f = any(part.unit is _Unit.FAHRENHEIT for segment in segments for part in segment)
    candidates: list[float] = []
    confirm = False
    for segment in segments:
        for part in segment:
            if part.number is None or part.vague or part.unit not in {None, *_TEMPERATURE_UNITS}:
                raise AnswerError("not_a_number")
            value = part.number
            fahrenheit_range = _FAHRENHEIT_MIN <= value <= _FAHRENHEIT_MAX
            loose = part.unit is None or part.unit is _Unit.DEGREE
            if part.unit is _Unit.FAHRENHEIT or (loose and fahrenheit_range):
                # A bare 90..113 is Fahrenheit or a typo; either way the owner confirms it.
                confirm = confirm or (part.unit is not _Unit.FAHRENHEIT and not stated_f)
                confirm = confirm or bool(part.unknown)
                candidates.append(_rounded((value - 32) * 5 / 9, scale, 1))
            else:
                confirm = confirm or bool(part.unknown)
                candidates.append(value)
    return _Outcome(_rounded(_worst(candidates, scale), scale, 2), confirm=confirm)


_FAHRENHEIT_MIN = 90
_FAHRENHEIT_MAX = 113

_RESOLVERS: Mapping[Quantity, _Resolver] = MappingProxyType(
    {
        Quantity.MINUTES: _resolve_duration,
        Quantity.HOURS: _resolve_duration,
        Quantity.COUNT: _resolve_count,
        Quantity.CELSIUS: _resolve_temperature,
    }
)


def _worst(candidates: Sequence[float], scale: _Scale) -> float:
    return max(candidates, key=scale.urgency_key)


def _rounded(value: float, scale: _Scale, digits: int) -> float:
    # Rounding may never make a value less urgent than the one the owner meant.
    rounded = round(value, digits)
    return rounded if scale.rank(rounded) >= scale.rank(value) else value


def _whole(value: float) -> int | float:
    return int(value) if value == int(value) else value


def _checked(value: float, bounds: NumberBounds) -> int | float:
    if not bounds.minimum <= value <= bounds.maximum:
        raise AnswerError("out_of_range")
    if bounds.integer and value != int(value):
        raise AnswerError("not_whole")
    return _whole(value)


def _ask_back(values: Sequence[float], scale: _Scale, bounds: NumberBounds) -> AskBack:
    kept: list[int | float] = []
    error = "out_of_range"
    for value in values:
        try:
            checked = _checked(value, bounds)
        except AnswerError as exc:
            error = exc.reason if error == "out_of_range" else error
            continue
        if checked not in kept:
            kept.append(checked)
    if not kept:
        raise AnswerError(error)
    kept.sort(key=scale.urgency_key, reverse=True)
    return AskBack(tuple(kept[:_MAX_OPTIONS]))


# ─── quick picks ─────────────────────────────────────────────────────────────────────────────


def _count_picks(scale: _Scale, bounds: NumberBounds) -> tuple[QuickPick, ...]:
    start = max(1, math.ceil(bounds.minimum))
    top = math.floor(bounds.maximum)
    # The first whole number each threshold lets in or out.
    cuts = {
        math.floor(t.value) + 1 if t.op in ("<=", ">") else math.ceil(t.value)
        for t in scale.thresholds
    }
    cuts = {cut for cut in cuts if start < cut <= top}
    first = min(cuts, default=start + 1)
    cuts |= set(range(start + 1, min(first, start + _MAX_SINGLE_COUNTS) + 1))
    edges = [start, *sorted(cuts)]
    picks = [QuickPick(low, high - 1, low, high_closed=True) for low, high in pairwise(edges)]
    picks.append(QuickPick(edges[-1], None, edges[-1]))
    return tuple(picks)


@dataclass(frozen=True, slots=True)
class _Region:
    low: float | None
    high: float | None
    low_closed: bool
    high_closed: bool


def _continuous_picks(
    scale: _Scale, bounds: NumberBounds, friendly: Sequence[float]
) -> tuple[QuickPick, ...]:
    thresholds = sorted(scale.cut_points)
    top = max(thresholds, default=bounds.maximum)
    points = sorted(
        {p for p in thresholds if bounds.minimum < p <= bounds.maximum}
        | {p for p in friendly if bounds.minimum < p < top}
    )
    regions: list[_Region] = [_Region(None, points[0] if points else None, False, False)]
    for index, point in enumerate(points):
        before = regions[-1]
        after_high = points[index + 1] if index + 1 < len(points) else None
        after_sample = point + 1 if after_high is None else (point + after_high) / 2
        if scale.signature(point) == scale.signature(after_sample):
            regions.append(_Region(point, after_high, True, False))  # ">= point"
        elif scale.signature(point) == scale.signature(_sample(before, point)):
            regions[-1] = _Region(before.low, point, before.low_closed, True)  # "<= point"
            regions.append(_Region(point, after_high, False, False))
        else:
            regions.append(_Region(point, point, True, True))
            regions.append(_Region(point, after_high, False, False))
    return tuple(_pick(region, scale, bounds) for region in regions)


def _sample(region: _Region, high: float) -> float:
    return high - 1 if region.low is None else (region.low + high) / 2


def _pick(region: _Region, scale: _Scale, bounds: NumberBounds) -> QuickPick:
    low, high = region.low, region.high
    if low is not None and region.low_closed:
        value = low  # ">=" thresholds: the lower bound
    elif high is not None and region.high_closed:
        value = high  # "<=" thresholds: the upper bound
    elif low is None:
        value = bounds.minimum
    elif high is None:
        value = low + 1
    elif scale.quantity is Quantity.CELSIUS and low < scale.middle < high:
        value = scale.middle
    else:
        value = (low + high) / 2
    return QuickPick(
        None if low is None else _whole(low),
        None if high is None else _whole(high),
        _whole(value),
        region.low_closed,
        region.high_closed,
    )
