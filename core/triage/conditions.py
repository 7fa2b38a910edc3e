"""The condition language of rules.toml: parsing (with validation) and pure evaluation.

The grammar is documented at the top of rules.toml. Parsing turns the TOML tables into the
frozen dataclasses below once, at load time, so evaluation never meets a malformed condition.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal, TypeGuard, TypeVar, cast, get_args

from core.triage.errors import RulesError
from core.triage.model import DetailValue, Sex, Species, TriageInput

Op = Literal["==", "!=", ">=", ">", "<=", "<"]
DetailType = Literal["number", "bool", "text"]

_E = TypeVar("_E", Species, Sex)

OPS: tuple[str, ...] = get_args(Op)
DETAIL_TYPES: tuple[str, ...] = get_args(DetailType)
# Order comparisons make sense for numbers only; a flag or a text is equal or not.
_EQUALITY_OPS = frozenset({"==", "!="})
COMPARE: Mapping[str, Callable[[float, float], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
}


@dataclass(frozen=True, slots=True)
class DetailCond:
    detail: str
    op: Op
    value: DetailValue


@dataclass(frozen=True, slots=True)
class SignCond:
    sign: str


@dataclass(frozen=True, slots=True)
class SpeciesCond:
    species: frozenset[Species]


@dataclass(frozen=True, slots=True)
class SexCond:
    sexes: frozenset[Sex]


@dataclass(frozen=True, slots=True)
class YoungCond:
    young: bool


@dataclass(frozen=True, slots=True)
class AllCond:
    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyCond:
    items: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class NotCond:
    item: Condition


Condition = DetailCond | SignCond | SpeciesCond | SexCond | YoungCond | AllCond | AnyCond | NotCond


# ─── evaluation ──────────────────────────────────────────────────────────────────────────────


def is_young(case: TriageInput, young_under_months: float) -> bool:
    # Unknown age is not young: RULES.md defines young by the age, and the rules that need it
    # are read literally (see rules.toml).
    return case.age_months is not None and case.age_months < young_under_months


def evaluate(cond: Condition, case: TriageInput, young_under_months: float) -> bool:
    """Whether `cond` holds for `case`. Pure; assumes a case already checked against the rules."""
    match cond:
        case DetailCond(detail=name, op=op, value=expected):
            actual = case.details.get(name)
            if actual is None:
                # Not reported → the condition does not hold, whatever the op (rules.toml).
                return False
            if isinstance(expected, bool | str):
                # Validation guarantees equality ops here; compare exactly so True != 1.
                same = type(actual) is type(expected) and actual == expected
                return same if op == "==" else not same
            if isinstance(actual, bool | str):
                return False
            return COMPARE[op](float(actual), float(expected))
        case SignCond(sign=sign):
            return sign in case.signs
        case SpeciesCond(species=species):
            return case.species in species
        case SexCond(sexes=sexes):
            return case.sex in sexes
        case YoungCond(young=young):
            return is_young(case, young_under_months) == young
        case AllCond(items=items):
            return all(evaluate(item, case, young_under_months) for item in items)
        case AnyCond(items=items):
            return any(evaluate(item, case, young_under_months) for item in items)
        case NotCond(item=item):
            return not evaluate(item, case, young_under_months)


def walk(cond: Condition) -> Iterator[Condition]:
    """`cond` and every condition nested in it."""
    yield cond
    match cond:
        case AllCond(items=items) | AnyCond(items=items):
            for item in items:
                yield from walk(item)
        case NotCond(item=item):
            yield from walk(item)
        case _:
            pass


# ─── parsing ─────────────────────────────────────────────────────────────────────────────────


class ConditionParser:
    """Builds conditions from TOML tables, checking names against the rules file's catalogues.

    `where` is a human path prefix for messages, e.g. "rules.toml: rule 'seizure.base': when".
    """

    def __init__(self, signs: frozenset[str], details: Mapping[str, DetailType]) -> None:
        self._signs = signs
        self._details = details

    def parse(self, raw: object, where: str) -> Condition:
        if not isinstance(raw, dict):
            raise RulesError(f"{where}: a condition must be a table, got {_kind(raw)}")
        keys = set(raw)
        if "detail" in keys:
            return self._detail(raw, where)
        if len(keys) != 1:
            raise RulesError(
                f"{where}: a condition has exactly one of "
                f"detail/sign/species/sex/young/all/any/not, got {sorted(keys) or 'nothing'}"
            )
        (key,) = keys
        value = raw[key]
        match key:
            case "sign":
                if not isinstance(value, str) or value not in self._signs:
                    raise RulesError(f"{where}.sign: unknown sign {value!r}")
                return SignCond(value)
            case "species":
                return SpeciesCond(_enum_set(Species, value, f"{where}.species"))
            case "sex":
                return SexCond(_enum_set(Sex, value, f"{where}.sex"))
            case "young":
                if not isinstance(value, bool):
                    raise RulesError(f"{where}.young: must be true or false, got {_kind(value)}")
                return YoungCond(value)
            case "all" | "any":
                if not isinstance(value, list) or not value:
                    raise RulesError(f"{where}.{key}: must be a non-empty array of conditions")
                items = tuple(
                    self.parse(item, f"{where}.{key}[{i}]") for i, item in enumerate(value)
                )
                return AllCond(items) if key == "all" else AnyCond(items)
            case "not":
                return NotCond(self.parse(value, f"{where}.not"))
            case _:
                raise RulesError(
                    f"{where}: unknown condition key {key!r} "
                    "(expected detail/sign/species/sex/young/all/any/not)"
                )

    def _detail(self, raw: Mapping[str, object], where: str) -> DetailCond:
        extra = set(raw) - {"detail", "op", "value"}
        if extra or not {"op", "value"} <= set(raw):
            raise RulesError(
                f"{where}: a detail condition is {{detail, op, value}}, got {sorted(raw)}"
            )
        name, op, value = raw["detail"], raw["op"], raw["value"]
        if not isinstance(name, str) or name not in self._details:
            raise RulesError(f"{where}.detail: unknown detail {name!r} (add it to [details])")
        if op not in OPS:
            raise RulesError(f"{where}.op: unknown op {op!r} (expected one of {', '.join(OPS)})")
        detail_type = self._details[name]
        if not value_has_type(value, detail_type):
            raise RulesError(
                f"{where}.value: detail {name!r} is {detail_type}, got {_kind(value)} {value!r}"
            )
        if detail_type != "number" and op not in _EQUALITY_OPS:
            raise RulesError(f"{where}.op: {op!r} needs a number; {name!r} is {detail_type}")
        return DetailCond(detail=name, op=cast(Op, op), value=value)


def value_has_type(value: object, detail_type: DetailType) -> TypeGuard[DetailValue]:
    match detail_type:
        case "bool":
            return isinstance(value, bool)
        case "text":
            return isinstance(value, str)
        case "number":
            # bool is an int in Python; a flag is not a count.
            return (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and math.isfinite(value)
            )


def _enum_set(enum_type: type[_E], raw: object, where: str) -> frozenset[_E]:
    if not isinstance(raw, list) or not raw:
        raise RulesError(f"{where}: must be a non-empty array, got {_kind(raw)}")
    allowed = [member.value for member in enum_type]
    members: set[_E] = set()
    for item in raw:
        if item not in allowed:
            raise RulesError(f"{where}: unknown value {item!r} (expected one of {allowed})")
        members.add(enum_type(item))
    return frozenset(members)


def _kind(value: object) -> str:
    return type(value).__name__
