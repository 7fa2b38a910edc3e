"""The rule set: loading and validating rules.toml into typed, frozen rules."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import cast

from core.triage.conditions import (
    DETAIL_TYPES,
    Condition,
    ConditionParser,
    DetailCond,
    DetailType,
    walk,
)
from core.triage.errors import RulesError
from core.triage.model import PHOTO_NOTE_CODES, PhotoNoteCode, Urgency

DEFAULT_RULES_RESOURCE = "rules.toml"

_TOP_KEYS = frozenset(
    {"version", "young_under_months", "signs", "details", "sources", "rule", "photo"}
)
_RULE_KEYS = frozenset({"id", "signs", "level", "source", "when", "summary"})
_PHOTO_KEYS = frozenset(
    {"id", "label", "min_score", "raises_to", "note", "note_below", "source", "summary"}
)
# "unknown_finding" is the engine's own note for labels no rule knows; a rule cannot emit it.
_RULE_PHOTO_NOTES = PHOTO_NOTE_CODES - {"unknown_finding"}
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_SOURCE_REF = re.compile(r"\bS\d+\b")


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    signs: tuple[str, ...]
    level: Urgency
    source: str
    when: Condition | None = None
    summary: str = ""

    @property
    def details_read(self) -> frozenset[str]:
        if self.when is None:
            return frozenset()
        return frozenset(c.detail for c in walk(self.when) if isinstance(c, DetailCond))


@dataclass(frozen=True, slots=True)
class PhotoRule:
    id: str
    label: str
    min_score: float
    source: str
    raises_to: Urgency | None = None
    note: PhotoNoteCode | None = None
    note_below: PhotoNoteCode | None = None
    summary: str = ""


@dataclass(frozen=True, slots=True)
class RuleSet:
    version: str
    young_under_months: float
    # The sign catalogue, in the file's order (the order dialogs may ask in).
    signs: tuple[str, ...]
    details: Mapping[str, DetailType]
    sources: Mapping[str, str]
    rules: tuple[Rule, ...]
    photo_rules: tuple[PhotoRule, ...]
    origin: str = "<rules>"
    # Derived from `signs`; kept as a field so membership checks in assess() cost nothing.
    known_signs: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "known_signs", frozenset(self.signs))

    @property
    def finding_labels(self) -> frozenset[str]:
        return frozenset(rule.label for rule in self.photo_rules)

    def emergency_signs(self) -> tuple[str, ...]:
        """Signs that alone make a case high: the emergency screen a dialog asks first."""
        alone_high = {
            rule.signs[0]
            for rule in self.rules
            if rule.level is Urgency.HIGH and rule.when is None and len(rule.signs) == 1
        }
        return tuple(sign for sign in self.signs if sign in alone_high)

    def details_for(self, sign: str) -> tuple[str, ...]:
        """Details the rules of `sign` read: the follow-up questions worth asking about it."""
        read: set[str] = set()
        for rule in self.rules:
            if sign in rule.signs:
                read |= rule.details_read
        return tuple(name for name in self.details if name in read)


# ─── loading ─────────────────────────────────────────────────────────────────────────────────


def load_rules(path: str | Path | None = None) -> RuleSet:
    """Read and validate a rules file; None = the rules.toml shipped with this package."""
    if path is None:
        return default_rules()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesError(f"{path}: cannot read rules file: {exc.strerror or exc}") from exc
    return parse_rules_text(text, origin=str(path))


@functools.cache
def default_rules() -> RuleSet:
    text = resources.files(__package__).joinpath(DEFAULT_RULES_RESOURCE).read_text("utf-8")
    return parse_rules_text(text, origin=DEFAULT_RULES_RESOURCE)


def parse_rules_text(text: str, origin: str = "<rules>") -> RuleSet:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{origin}: not valid TOML: {exc}") from exc
    return parse_rules(data, origin=origin)


def parse_rules(data: Mapping[str, object], origin: str = "<rules>") -> RuleSet:
    """Validate parsed TOML and build the rule set; every problem is a RulesError naming where."""
    _no_unknown_keys(data, _TOP_KEYS, origin)

    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise RulesError(f"{origin}: `version` must be a non-empty string")

    young = data.get("young_under_months", 6)
    if not isinstance(young, int | float) or isinstance(young, bool) or young <= 0:
        raise RulesError(f"{origin}: `young_under_months` must be a positive number")

    signs = _codes(data.get("signs"), f"{origin}: signs")
    details = _details(data.get("details", {}), origin)
    sources = _sources(data.get("sources", {}), origin)

    parser = ConditionParser(frozenset(signs), details)
    raw_rules = _tables(data.get("rule"), f"{origin}: rule", required=True)
    rules = tuple(
        _rule(raw, i, frozenset(signs), sources, parser, origin) for i, raw in enumerate(raw_rules)
    )
    raw_photos = _tables(data.get("photo", []), f"{origin}: photo", required=False)
    photo_rules = tuple(_photo_rule(raw, i, sources, origin) for i, raw in enumerate(raw_photos))

    seen: set[str] = set()
    for rule_id in [r.id for r in rules] + [p.id for p in photo_rules]:
        if rule_id in seen:
            raise RulesError(f"{origin}: duplicate rule id {rule_id!r}")
        seen.add(rule_id)

    read = {sign for rule in rules for sign in rule.signs}
    unread = [sign for sign in signs if sign not in read]
    if unread:
        # A listed sign no rule reads would be silently "low": almost surely a typo or a gap.
        raise RulesError(f"{origin}: sign(s) no rule reads: {', '.join(unread)}")

    return RuleSet(
        version=version,
        young_under_months=float(young),
        signs=signs,
        details=MappingProxyType(details),
        sources=MappingProxyType(sources),
        rules=rules,
        photo_rules=photo_rules,
        origin=origin,
    )


def _rule(
    raw: Mapping[str, object],
    index: int,
    known: frozenset[str],
    sources: Mapping[str, str],
    parser: ConditionParser,
    origin: str,
) -> Rule:
    where = _where(origin, "rule", index, raw)
    _no_unknown_keys(raw, _RULE_KEYS, where)
    rule_id = _required_str(raw, "id", where)
    signs = _codes(raw.get("signs"), f"{where}: signs")
    unknown = [sign for sign in signs if sign not in known]
    if unknown:
        raise RulesError(f"{where}: signs: not in the `signs` catalogue: {', '.join(unknown)}")
    when = raw.get("when")
    return Rule(
        id=rule_id,
        signs=signs,
        level=_level(raw.get("level"), f"{where}: level"),
        source=_source(raw, sources, where),
        when=None if when is None else parser.parse(when, f"{where}: when"),
        summary=_optional_str(raw, "summary", where),
    )


def _photo_rule(
    raw: Mapping[str, object], index: int, sources: Mapping[str, str], origin: str
) -> PhotoRule:
    where = _where(origin, "photo", index, raw)
    _no_unknown_keys(raw, _PHOTO_KEYS, where)
    label = _required_str(raw, "label", where)
    if not _CODE.match(label):
        raise RulesError(f"{where}: label {label!r} is not a snake_case code")
    min_score = raw.get("min_score")
    if (
        not isinstance(min_score, int | float)
        or isinstance(min_score, bool)
        or not 0.0 <= min_score <= 1.0
    ):
        raise RulesError(f"{where}: min_score must be a number in [0, 1], got {min_score!r}")
    raises_to = raw.get("raises_to")
    note = _note(raw.get("note"), f"{where}: note")
    if raises_to is None and note is None:
        raise RulesError(f"{where}: a photo rule needs `raises_to` or `note`, or it does nothing")
    return PhotoRule(
        id=_required_str(raw, "id", where),
        label=label,
        min_score=float(min_score),
        source=_source(raw, sources, where),
        raises_to=None if raises_to is None else _level(raises_to, f"{where}: raises_to"),
        note=note,
        note_below=_note(raw.get("note_below"), f"{where}: note_below"),
        summary=_optional_str(raw, "summary", where),
    )


# ─── small validators ────────────────────────────────────────────────────────────────────────


def _where(origin: str, kind: str, index: int, raw: Mapping[str, object]) -> str:
    rule_id = raw.get("id")
    name = f" {rule_id!r}" if isinstance(rule_id, str) else ""
    return f"{origin}: {kind}[{index}]{name}"


def _no_unknown_keys(raw: Mapping[str, object], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise RulesError(
            f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})"
        )


def _tables(raw: object, where: str, *, required: bool) -> list[Mapping[str, object]]:
    if raw is None or raw == []:
        if required:
            raise RulesError(f"{where}: at least one [[{where.rsplit(' ', 1)[-1]}]] is needed")
        return []
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise RulesError(f"{where}: must be an array of tables ([[...]])")
    return cast(list[Mapping[str, object]], raw)


def _required_str(raw: Mapping[str, object], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RulesError(f"{where}: `{key}` must be a non-empty string")
    return value


def _optional_str(raw: Mapping[str, object], key: str, where: str) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str):
        raise RulesError(f"{where}: `{key}` must be a string")
    return value


def _codes(raw: object, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw:
        raise RulesError(f"{where}: must be a non-empty array of sign codes")
    codes: list[str] = []
    for item in raw:
        if not isinstance(item, str) or not _CODE.match(item):
            raise RulesError(f"{where}: {item!r} is not a snake_case code")
        if item in codes:
            raise RulesError(f"{where}: {item!r} is listed twice")
        codes.append(item)
    return tuple(codes)


def _level(raw: object, where: str) -> Urgency:
    allowed = [level.value for level in Urgency]
    if raw not in allowed:
        raise RulesError(f"{where}: unknown level {raw!r} (expected one of {', '.join(allowed)})")
    return Urgency(raw)


def _note(raw: object, where: str) -> PhotoNoteCode | None:
    if raw is None:
        return None
    if raw not in _RULE_PHOTO_NOTES:
        raise RulesError(
            f"{where}: unknown note {raw!r} "
            f"(expected one of {', '.join(sorted(_RULE_PHOTO_NOTES))})"
        )
    return cast(PhotoNoteCode, raw)


def _source(raw: Mapping[str, object], sources: Mapping[str, str], where: str) -> str:
    source = _required_str(raw, "source", where)
    missing = [ref for ref in _SOURCE_REF.findall(source) if ref not in sources]
    if missing:
        raise RulesError(f"{where}: source cites {', '.join(missing)}, not in [sources]")
    return source


def _details(raw: object, origin: str) -> dict[str, DetailType]:
    if not isinstance(raw, dict):
        raise RulesError(f"{origin}: [details] must be a table of name = type")
    details: dict[str, DetailType] = {}
    for name, detail_type in raw.items():
        if not _CODE.match(name):
            raise RulesError(f"{origin}: details: {name!r} is not a snake_case name")
        if detail_type not in DETAIL_TYPES:
            raise RulesError(
                f"{origin}: details.{name}: unknown type {detail_type!r} "
                f"(expected one of {', '.join(DETAIL_TYPES)})"
            )
        details[name] = cast(DetailType, detail_type)
    return details


def _sources(raw: object, origin: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in raw.items()
    ):
        raise RulesError(f'{origin}: [sources] must be a table of S-code = "reference"')
    return dict(raw)
