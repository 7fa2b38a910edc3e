"""Red flags and symptoms in an owner's free text, read with the vocabulary of red_flags.toml.

A frightened owner types outside the buttons ("мой пёс съел шоколад", "he's not breathing").
`scan_free_text` says which emergency-screen items the words point to (the chat sends the high
card at once) and which ordinary signs they mention (the chat offers a symptom check). Every
word, its source and the phrase syntax live in core/triage/red_flags.toml; this module only
normalises, matches and validates. Over-triage is acceptable, under-triage is not: negation never
silences a red flag by guesswork (see the file's header for the exact rules).
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal, cast

from core.check_questions import EMERGENCY_SCREEN
from core.triage import RulesError, RuleSet, default_rules

DEFAULT_RED_FLAGS_RESOURCE = "red_flags.toml"

# RULES.md, `toxin_ingestion`: the codes `details.toxin` may carry (the poison-hotline card).
TOXIN_CODES = frozenset(
    {
        "chocolate",
        "xylitol",
        "lily",
        "antifreeze",
        "rodenticide",
        "human_medication",
        "grapes",
        "other",
    }
)

GroupKind = Literal["red_flag", "symptom", "benign"]
GROUP_KINDS: tuple[GroupKind, ...] = ("red_flag", "symptom", "benign")

# A word or stem this long (without `*`) also matches a word one edit away: a typo.
FUZZY_MIN_LENGTH = 6
# How far negation travels over "рвоты и поноса": enough for a short list of signs.
_MAX_COORDINATED = 3
_MAX_FILLERS = 2

_TOP_KEYS = frozenset({"version", "grammar", "words", *GROUP_KINDS})
_GRAMMAR_KEYS = frozenset(
    {
        "max_gap",
        "negations",
        "fillers",
        "negations_after",
        "neutral_after_not",
        "gap_stoppers",
        "coordinators",
        "real_words",
    }
)
_GROUP_KEYS: Mapping[GroupKind, frozenset[str]] = {
    "red_flag": frozenset({"id", "screen_item", "toxin", "source", "phrases", "with"}),
    "symptom": frozenset({"id", "signs", "source", "phrases", "with"}),
    "benign": frozenset({"id", "source", "phrases"}),
}
_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
_SOURCE_REF = re.compile(r"\bS\d+\b")
_CLASS_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class RedFlagsError(RulesError):
    """red_flags.toml is invalid; the message says where (`origin: red_flag 'id': what`)."""


# ─── normalisation ───────────────────────────────────────────────────────────────────────────

_APOSTROPHES = str.maketrans("", "", "'’ʼ‘`´")
# Sentence punctuation ends a clause; a hyphen inside a word ("что-то") only separates words.
_CLAUSE_BREAK = re.compile(r"[.,!?;:…()\[\]{}\"«»„“”\n\r—–]+|\s-+\s")
_WORD = re.compile(r"\d+|[^\W\d_]+")


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).lower()
    return folded.replace("ё", "е").replace("ъ", "ь").translate(_APOSTROPHES)


def _clauses(text: str) -> list[list[str]]:
    return [_WORD.findall(part) for part in _CLAUSE_BREAK.split(_fold(text))]


def normalize_text(text: str) -> str:
    """The words the matcher sees: "Мой пёс СЪЕЛ шоколад!" → "мой пес сьел шоколад"."""
    return " ".join(word for clause in _clauses(text) for word in clause)


# ─── phrases ─────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class _Alt:
    text: str
    prefix: bool  # `stem*`

    @property
    def fuzzy(self) -> bool:
        return len(self.text) >= FUZZY_MIN_LENGTH


@dataclass(frozen=True, slots=True)
class _Slot:
    """One word of a phrase: any of its alternatives."""

    alts: tuple[_Alt, ...]


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str  # as written in the file
    slots: tuple[_Slot, ...]
    # The phrase says "not …" itself ("не дышит", "can't pee"): it is a sign, never negated.
    negates: bool


@dataclass(frozen=True, slots=True)
class Grammar:
    max_gap: int
    negations: frozenset[str]
    fillers: frozenset[str]
    negations_after: frozenset[str]
    neutral_after_not: frozenset[str]
    gap_stoppers: frozenset[str]
    coordinators: frozenset[str]
    real_words: tuple[_Alt, ...]


@dataclass(frozen=True, slots=True)
class PhraseGroup:
    id: str
    kind: GroupKind
    source: str
    phrases: tuple[Phrase, ...]
    with_phrases: tuple[Phrase, ...] = ()
    screen_item: str | None = None
    toxin: str | None = None
    signs: tuple[str, ...] = ()

    @property
    def target(self) -> str:
        """What a match reports, for documentation: "toxin (chocolate)", "vomiting", "—"."""
        if self.screen_item is not None:
            return self.screen_item + (f" ({self.toxin})" if self.toxin else "")
        return ", ".join(self.signs) or "—"


@dataclass(frozen=True, slots=True)
class RedFlagVocabulary:
    version: str
    grammar: Grammar
    word_classes: Mapping[str, tuple[str, ...]]
    groups: tuple[PhraseGroup, ...]
    origin: str = "<red flags>"
    # Every word and stem the vocabulary spells out: a message word matching one of them is a
    # real word, never read as a typo of another ("родить" is not "ходить").
    known: tuple[_Alt, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        alts = {
            alt
            for group in self.groups
            for phrase in (*group.phrases, *group.with_phrases)
            for slot in phrase.slots
            for alt in slot.alts
        }
        alts |= set(self.grammar.real_words)
        object.__setattr__(self, "known", tuple(sorted(alts, key=lambda a: (a.text, a.prefix))))


# ─── results ─────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class RedFlagMatch:
    screen_item: str  # an id of core.check_questions.EMERGENCY_SCREEN
    toxin: str | None  # a RULES.md toxin code when screen_item is "toxin"
    group: str
    words: tuple[str, ...]  # the message's words that matched, normalised, in message order


@dataclass(frozen=True, slots=True)
class FreeTextScan:
    red_flags: tuple[RedFlagMatch, ...] = ()
    symptoms: tuple[str, ...] = ()  # non-emergency sign codes of rules.toml

    @property
    def is_empty(self) -> bool:
        return not self.red_flags and not self.symptoms

    @property
    def screen_items(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(flag.screen_item for flag in self.red_flags))

    @property
    def toxins(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.toxin for f in self.red_flags if f.toxin is not None))


# ─── loading ─────────────────────────────────────────────────────────────────────────────────


def load_red_flags(
    path: str | Path | None = None, rules: RuleSet | None = None
) -> RedFlagVocabulary:
    """Read and validate a vocabulary file; None = the red_flags.toml shipped with core.triage."""
    if path is None:
        return default_red_flags()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RedFlagsError(f"{path}: cannot read vocabulary: {exc.strerror or exc}") from exc
    return parse_red_flags_text(text, origin=str(path), rules=rules)


@functools.cache
def default_red_flags() -> RedFlagVocabulary:
    text = resources.files("core.triage").joinpath(DEFAULT_RED_FLAGS_RESOURCE).read_text("utf-8")
    return parse_red_flags_text(text, origin=DEFAULT_RED_FLAGS_RESOURCE)


def parse_red_flags_text(
    text: str, origin: str = "<red flags>", rules: RuleSet | None = None
) -> RedFlagVocabulary:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RedFlagsError(f"{origin}: not valid TOML: {exc}") from exc
    return parse_red_flags(data, origin=origin, rules=rules)


def parse_red_flags(
    data: Mapping[str, object], origin: str = "<red flags>", rules: RuleSet | None = None
) -> RedFlagVocabulary:
    """Validate parsed TOML against the rules (signs, sources) and the emergency screen."""
    rules = rules if rules is not None else default_rules()
    _no_unknown_keys(data, _TOP_KEYS, origin)
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise RedFlagsError(f"{origin}: `version` must be a non-empty string")

    classes = _word_classes(data.get("words", {}), origin)
    grammar = _grammar(data.get("grammar"), origin)
    compiler = _Compiler(classes, grammar.negations)
    context = _Context(rules, origin, compiler)

    groups: list[PhraseGroup] = []
    for kind in GROUP_KINDS:
        raw_groups = data.get(kind, [])
        if not isinstance(raw_groups, list) or not all(isinstance(g, dict) for g in raw_groups):
            raise RedFlagsError(f"{origin}: `{kind}` must be an array of tables ([[{kind}]])")
        groups += [context.group(kind, raw, i) for i, raw in enumerate(raw_groups)]
    if not any(group.kind == "red_flag" for group in groups):
        raise RedFlagsError(f"{origin}: at least one [[red_flag]] is needed")
    seen: set[str] = set()
    for group in groups:
        if group.id in seen:
            raise RedFlagsError(f"{origin}: duplicate group id {group.id!r}")
        seen.add(group.id)
    return RedFlagVocabulary(
        version=version, grammar=grammar, word_classes=classes, groups=tuple(groups), origin=origin
    )


@dataclass(frozen=True, slots=True)
class _Context:
    rules: RuleSet
    origin: str
    compiler: _Compiler
    screen_ids: frozenset[str] = field(
        default_factory=lambda: frozenset(item.id for item in EMERGENCY_SCREEN)
    )

    def group(self, kind: GroupKind, raw: Mapping[str, object], index: int) -> PhraseGroup:
        raw_id = raw.get("id")
        where = f"{self.origin}: {kind}[{index}]" + (
            f" {raw_id!r}" if isinstance(raw_id, str) else ""
        )
        _no_unknown_keys(raw, _GROUP_KEYS[kind], where)
        if not isinstance(raw_id, str) or not _ID.match(raw_id):
            raise RedFlagsError(f"{where}: `id` must be a kebab-case identifier")
        source = self._source(raw.get("source"), where)
        phrases = self._phrases(raw.get("phrases"), f"{where}: phrases", required=True)
        with_phrases = self._phrases(raw.get("with", []), f"{where}: with", required=False)
        if kind == "red_flag":
            screen_item, toxin = self._target(raw, where)
            return PhraseGroup(
                raw_id, kind, source, phrases, with_phrases, screen_item=screen_item, toxin=toxin
            )
        if kind == "symptom":
            return PhraseGroup(
                raw_id, kind, source, phrases, with_phrases, signs=self._signs(raw, where)
            )
        return PhraseGroup(raw_id, kind, source, phrases)

    def _source(self, raw: object, where: str) -> str:
        if not isinstance(raw, str) or not raw.strip():
            raise RedFlagsError(f"{where}: `source` must be a non-empty string")
        missing = [ref for ref in _SOURCE_REF.findall(raw) if ref not in self.rules.sources]
        if missing:
            raise RedFlagsError(
                f"{where}: source cites {', '.join(missing)}, not in the rules' [sources]"
            )
        return raw

    def _phrases(self, raw: object, where: str, *, required: bool) -> tuple[Phrase, ...]:
        if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
            raise RedFlagsError(f"{where}: must be an array of strings")
        if required and not raw:
            raise RedFlagsError(f"{where}: must not be empty")
        return tuple(self.compiler.phrase(text, where) for text in cast(list[str], raw))

    def _target(self, raw: Mapping[str, object], where: str) -> tuple[str, str | None]:
        screen_item = raw.get("screen_item")
        if screen_item not in self.screen_ids:
            raise RedFlagsError(
                f"{where}: unknown screen_item {screen_item!r} "
                f"(expected an id of EMERGENCY_SCREEN: {', '.join(sorted(self.screen_ids))})"
            )
        toxin = raw.get("toxin")
        if screen_item == "toxin":
            if toxin not in TOXIN_CODES:
                raise RedFlagsError(
                    f"{where}: unknown toxin {toxin!r} "
                    f"(expected one of {', '.join(sorted(TOXIN_CODES))})"
                )
        elif toxin is not None:
            raise RedFlagsError(f"{where}: `toxin` belongs to screen_item 'toxin' only")
        return screen_item, toxin

    def _signs(self, raw: Mapping[str, object], where: str) -> tuple[str, ...]:
        signs = raw.get("signs")
        if not isinstance(signs, list) or not signs or not all(isinstance(s, str) for s in signs):
            raise RedFlagsError(f"{where}: `signs` must be a non-empty array of sign codes")
        emergency = set(self.rules.emergency_signs())
        for sign in signs:
            if sign not in self.rules.known_signs:
                raise RedFlagsError(f"{where}: unknown sign code {sign!r} (not in rules.toml)")
            if sign in emergency:
                # An emergency sign belongs to a [[red_flag]] with its screen item, which sends
                # the card at once; as a symptom it would only offer a questionnaire.
                raise RedFlagsError(f"{where}: {sign!r} is an emergency sign: use a [[red_flag]]")
        return tuple(cast(list[str], signs))


class _Compiler:
    """Turns the phrase syntax of red_flags.toml into slots, expanding @classes."""

    def __init__(self, classes: Mapping[str, tuple[str, ...]], negations: frozenset[str]) -> None:
        self._classes = classes
        self._negations = negations

    def phrase(self, text: str, where: str) -> Phrase:
        words = text.split()
        if not words:
            raise RedFlagsError(f"{where}: empty phrase")
        slots = tuple(self._slot(word, f"{where}: {text!r}") for word in words)
        negates = any(
            not alt.prefix and alt.text in self._negations for slot in slots for alt in slot.alts
        )
        return Phrase(text, slots, negates)

    def _slot(self, word: str, where: str) -> _Slot:
        alts: list[_Alt] = []
        for option in word.split("|"):
            if option.startswith("@"):
                name = option[1:]
                if name not in self._classes:
                    raise RedFlagsError(f"{where}: unknown word class @{name}")
                alts += [_alt(entry, f"{where}: @{name}") for entry in self._classes[name]]
            else:
                alts.append(_alt(option, where))
        return _Slot(tuple(dict.fromkeys(alts)))


def _alt(option: str, where: str) -> _Alt:
    prefix = option.endswith("*")
    core = option[:-1] if prefix else option
    if not core or "*" in core or "@" in core:
        raise RedFlagsError(f"{where}: bad word {option!r} (`*` only at the end of a stem)")
    words = normalize_text(core).split()
    if len(words) != 1 or not re.fullmatch(r"[\w'’-]+", core):
        raise RedFlagsError(
            f"{where}: {option!r} is not one word (write several words as a phrase, "
            "alternatives with |)"
        )
    if prefix and len(words[0]) < 2:
        raise RedFlagsError(f"{where}: stem {option!r} is too short")
    return _Alt(words[0], prefix)


def _word_classes(raw: object, origin: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise RedFlagsError(f"{origin}: [words] must be a table of name = [words]")
    classes: dict[str, tuple[str, ...]] = {}
    for name, entries in raw.items():
        if not _CLASS_NAME.match(name):
            raise RedFlagsError(f"{origin}: words: {name!r} is not a snake_case name")
        if not isinstance(entries, list) or not entries:
            raise RedFlagsError(f"{origin}: words.{name}: must be a non-empty array of words")
        for entry in entries:
            if not isinstance(entry, str) or " " in entry.strip() or "|" in entry:
                raise RedFlagsError(f"{origin}: words.{name}: {entry!r} is not one word")
            _alt(entry, f"{origin}: words.{name}")
        classes[name] = tuple(entries)
    return classes


def _grammar(raw: object, origin: str) -> Grammar:
    where = f"{origin}: grammar"
    if not isinstance(raw, dict):
        raise RedFlagsError(f"{where}: a [grammar] table is needed")
    _no_unknown_keys(raw, _GRAMMAR_KEYS, where)
    max_gap = raw.get("max_gap")
    if not isinstance(max_gap, int) or isinstance(max_gap, bool) or not 0 <= max_gap <= 5:
        raise RedFlagsError(f"{where}: `max_gap` must be a whole number from 0 to 5")

    def words(key: str) -> frozenset[str]:
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            raise RedFlagsError(f"{where}: `{key}` must be an array of words")
        return frozenset(_alt(w, f"{where}.{key}").text for w in value)

    negations = words("negations")
    if not negations:
        raise RedFlagsError(f"{where}: `negations` must not be empty")
    real = raw.get("real_words", [])
    if not isinstance(real, list) or not all(isinstance(w, str) for w in real):
        raise RedFlagsError(f"{where}: `real_words` must be an array of words")
    return Grammar(
        max_gap=max_gap,
        negations=negations,
        fillers=words("fillers"),
        negations_after=words("negations_after"),
        neutral_after_not=words("neutral_after_not"),
        gap_stoppers=words("gap_stoppers"),
        coordinators=words("coordinators"),
        real_words=tuple(_alt(w, f"{where}.real_words") for w in real),
    )


def _no_unknown_keys(raw: Mapping[str, object], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise RedFlagsError(
            f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})"
        )


# ─── matching ────────────────────────────────────────────────────────────────────────────────


def _one_edit_apart(a: str, b: str) -> bool:
    """At most one substitution, insertion, deletion or swap of neighbours (a typo)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            return True
        i = diff[0]
        return len(diff) == 2 and diff[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1 :]


def _exact(alt: _Alt, word: str) -> bool:
    return word.startswith(alt.text) if alt.prefix else word == alt.text


def _typo(alt: _Alt, word: str) -> bool:
    if not alt.fuzzy:
        return False
    if not alt.prefix:
        return _one_edit_apart(alt.text, word)
    size = len(alt.text)
    return any(
        _one_edit_apart(alt.text, word[:length])
        for length in (size - 1, size, size + 1)
        if length <= len(word)
    )


class _Message:
    def __init__(self, text: str, vocabulary: RedFlagVocabulary) -> None:
        grammar = vocabulary.grammar
        self.words: list[str] = []
        self.clause: list[int] = []
        for number, clause in enumerate(_clauses(text)):
            self.words += clause
            self.clause += [number] * len(clause)
        self._grammar = grammar
        self._real = [any(_exact(alt, w) for alt in vocabulary.known) for w in self.words]
        self._cache: dict[tuple[int, _Slot], bool] = {}

    def fits(self, slot: _Slot, position: int) -> bool:
        key = (position, slot)
        if key not in self._cache:
            word = self.words[position]
            self._cache[key] = any(_exact(alt, word) for alt in slot.alts) or (
                not self._real[position] and any(_typo(alt, word) for alt in slot.alts)
            )
        return self._cache[key]

    def find(self, phrase: Phrase) -> list[tuple[int, ...]]:
        """Every place the phrase matches: one tuple of word positions per starting word."""
        found: list[tuple[int, ...]] = []
        for start in range(len(self.words)):
            if self.fits(phrase.slots[0], start):
                rest = self._extend(phrase.slots[1:], (start,))
                if rest is not None:
                    found.append(rest)
        return found

    def _extend(self, slots: Sequence[_Slot], taken: tuple[int, ...]) -> tuple[int, ...] | None:
        if not slots:
            return taken
        last = taken[-1]
        for position in range(last + 1, min(last + 2 + self._grammar.max_gap, len(self.words))):
            if self.clause[position] != self.clause[last]:
                return None
            skipped = self.words[last + 1 : position]
            if any(word in self._grammar.gap_stoppers for word in skipped):
                return None
            if self.fits(slots[0], position):
                found = self._extend(slots[1:], (*taken, position))
                if found is not None:
                    return found
        return None

    def same_clause(self, a: int, b: int) -> bool:
        return (
            0 <= a < len(self.words)
            and 0 <= b < len(self.words)
            and (self.clause[a] == self.clause[b])
        )


@dataclass(slots=True)
class _Candidate:
    group: PhraseGroup
    positions: tuple[int, ...]
    with_positions: tuple[int, ...]
    specificity: int
    negated: bool = False

    @property
    def covers(self) -> frozenset[int]:
        return frozenset(self.positions) | frozenset(self.with_positions)


def _negated(
    message: _Message,
    phrase: Phrase,
    positions: tuple[int, ...],
    symptom_spans: Iterable[tuple[int, int]] | None,
) -> bool:
    """Is this match denied by the message ("не рвёт", "no vomiting", "кровь не идёт")?

    `symptom_spans` (symptoms only) lets a negation carry over a coordination: "нет рвоты и
    поноса". Red flags never get it: "не рвёт и задыхается" must stay breathing.
    """
    if phrase.negates:
        return False
    grammar, words = message._grammar, message.words
    first, last = positions[0], positions[-1]
    if any(words[k] in grammar.negations for k in range(first, last + 1) if k not in positions):
        return True
    spans = list(symptom_spans or ())
    ends = {end: start for start, end in spans}
    starts = dict(spans)

    k, fillers, hops = first - 1, 0, 0
    while message.same_clause(k, first):
        word = words[k]
        if word in grammar.negations:
            return True
        if word in grammar.fillers and fillers < _MAX_FILLERS:
            k, fillers = k - 1, fillers + 1
        elif word in grammar.coordinators and k - 1 in ends and hops < _MAX_COORDINATED:
            k, hops = ends[k - 1] - 1, hops + 1
        else:
            break

    k, fillers, hops = last + 1, 0, 0
    while message.same_clause(k, last):
        word = words[k]
        if word in grammar.negations_after:
            return True
        if (
            word in grammar.negations
            and message.same_clause(k + 1, last)
            and words[k + 1] in grammar.neutral_after_not
        ):
            return True
        if word in grammar.fillers and fillers < _MAX_FILLERS:
            k, fillers = k + 1, fillers + 1
        elif word in grammar.coordinators and k + 1 in starts and hops < _MAX_COORDINATED:
            k, hops = starts[k + 1] + 1, hops + 1
        else:
            break
    return False


def scan_free_text(text: str, vocabulary: RedFlagVocabulary | None = None) -> FreeTextScan:
    """The red flags and symptoms an owner's message mentions (see red_flags.toml's header)."""
    vocabulary = vocabulary if vocabulary is not None else default_red_flags()
    message = _Message(text, vocabulary)
    if not message.words:
        return FreeTextScan()

    found: list[tuple[_Candidate, Phrase]] = []
    for group in vocabulary.groups:
        with_positions: tuple[int, ...] = ()
        if group.with_phrases:
            hits = [
                positions
                for phrase in group.with_phrases
                for positions in message.find(phrase)
                if not _negated(message, phrase, positions, None)
            ]
            if not hits:
                continue
            with_positions = tuple(sorted({k for hit in hits for k in hit}))
        bonus = 1 if group.with_phrases else 0
        for phrase in group.phrases:
            for positions in message.find(phrase):
                candidate = _Candidate(group, positions, with_positions, len(phrase.slots) + bonus)
                found.append((candidate, phrase))

    spans = [(c.positions[0], c.positions[-1]) for c, _ in found if c.group.kind == "symptom"]
    for candidate, phrase in found:
        carry = spans if candidate.group.kind == "symptom" else None
        candidate.negated = _negated(message, phrase, candidate.positions, carry)

    candidates = [candidate for candidate, _ in found]
    # Specific beats generic; a negated or benign match still outranks what it explains.
    kept = [
        c
        for c in candidates
        if not c.negated
        and c.group.kind != "benign"
        and not any(
            other.specificity > c.specificity and not other.covers.isdisjoint(c.positions)
            for other in candidates
        )
    ]
    kept.sort(key=lambda c: (c.positions[0], -c.specificity))

    red_flags: dict[str, RedFlagMatch] = {}
    symptoms: dict[str, None] = {}
    for c in kept:
        if c.group.kind == "red_flag" and c.group.id not in red_flags:
            words = tuple(message.words[k] for k in sorted(c.covers))
            red_flags[c.group.id] = RedFlagMatch(
                screen_item=cast(str, c.group.screen_item),
                toxin=c.group.toxin,
                group=c.group.id,
                words=words,
            )
        elif c.group.kind == "symptom":
            symptoms.update(dict.fromkeys(c.group.signs))
    return FreeTextScan(red_flags=tuple(red_flags.values()), symptoms=tuple(symptoms))


# ─── documentation ───────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class VocabularyRow:
    group: str
    kind: GroupKind
    target: str
    source: str
    phrases: tuple[str, ...]
    with_phrases: tuple[str, ...]


def describe_vocabulary(vocabulary: RedFlagVocabulary | None = None) -> tuple[VocabularyRow, ...]:
    """Each group, what it reports, its source and its phrases as written in the file."""
    vocabulary = vocabulary if vocabulary is not None else default_red_flags()
    return tuple(
        VocabularyRow(
            group=group.id,
            kind=group.kind,
            target=group.target,
            source=group.source,
            phrases=tuple(p.text for p in group.phrases),
            with_phrases=tuple(p.text for p in group.with_phrases),
        )
        for group in vocabulary.groups
    )


def vocabulary_markdown(vocabulary: RedFlagVocabulary | None = None) -> str:
    """The vocabulary as a Markdown table (word classes first), for notes and reviews."""
    vocabulary = vocabulary if vocabulary is not None else default_red_flags()
    lines = [f"Free-text vocabulary {vocabulary.version} ({vocabulary.origin})", ""]
    lines += [
        f"- `@{name}`: {', '.join(words)}" for name, words in vocabulary.word_classes.items()
    ]
    lines += ["", "| group | kind | reports | source | phrases |", "|---|---|---|---|---|"]
    for row in describe_vocabulary(vocabulary):
        phrases = "; ".join(row.phrases)
        if row.with_phrases:
            phrases += f" — with: {'; '.join(row.with_phrases)}"
        lines.append(f"| {row.group} | {row.kind} | {row.target} | {row.source} | {phrases} |")
    return "\n".join(lines) + "\n"
