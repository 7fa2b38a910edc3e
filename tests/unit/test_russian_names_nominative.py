"""Russian declines names, and the bot cannot decline a name it does not know ("карточку Мурзик",
"к Демо Анна Петрова"), so every Russian message keeps a pet's or a person's name in the
nominative: after a colon or a dash, in quotes, or as the subject of the sentence.

Each Russian message is rendered with sentinel names in every variant of its selectors, and the
words right around each name are checked against the patterns that demand another case.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax import ast as fluent_ast
from fluent.syntax.visitor import Visitor as FluentVisitor

from bot.fluent_dates import date_functions
from tests.unit.test_locales import _messages

LOCALE = "ru"
LOCALE_DIR = Path(__file__).resolve().parents[2] / "locales" / LOCALE

PET = "Мурзик"
PERSON = "Демо Анна Петрова"

# Read off every .ftl file: the variables that carry a name. $name is a pet in pets, records,
# sharing and the PDF card, a vet in vets.ftl and the vet list, the user in the main menu and a
# clinic in the clinic list; a pet's sentinel serves them all, since the rules look only at the
# words around a name. $item (a past appointment) and $members (lines of lbl-sharing-member) hold
# names too, but are built from other messages, which are checked on their own.
NAME_SENTINELS: dict[str, str] = {
    "name": PET,
    "pet": PET,
    "pet_name": PET,
    "vet": PERSON,
    "owner": PERSON,
    "member": PERSON,
}
NEUTRAL = "текст"
PLURAL_CATEGORIES = {"zero", "one", "two", "few", "many", "other"}
# One number per Russian plural category that a message may select on: one, few, many, other.
PLURAL_SAMPLES = (1, 2, 5, 1.5)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.replace("ё", "е").split())


# A name right after these words is in the genitive, dative, accusative, instrumental or
# prepositional case.
PREPOSITIONS = _words(
    "к ко для у о об обо с со от про без при по над под за перед между из до после ради кроме "
    "возле около насчет в во на через среди вместо вокруг"
)
# Nouns that take the name as their genitive ("карточку Мурзика", "питомца Мурзика"). Not
# "породы": in "Какой породы Мурзик?" the name is the subject.
GOVERNING_NOUNS = _words(
    "карточка карточку карточке карточки карточкой карта карту карте карты картой "
    "медкарта медкарту медкарте медкарты профиль профиля профилю "
    "питомец питомца питомцу питомцем здоровье здоровья запись записи записью "
    "вакцинация вакцинации прививка прививки прививку прием приема фото владелец владельца "
    "владельцу хозяина вес веса возраст кличка кличку рождения консультация консультацию "
    "консультации осмотр лечение анализы"
)
# Verbs whose object is in the accusative ("взвешивали Мурзика").
GOVERNING_VERBS = _words(
    "взвешивали взвесили взвесить покажите показать отвезите везите записать записали "
    "пригласить осмотреть осмотрел привить привили кормить лечить видит видят вижу ждем"
)
# Words after which the name would have to be in the dative ("Мурзику нужно").
DATIVE_BEFORE = _words(
    "нужно нужна нужен нужны надо необходимо пора стало можно нельзя больно исполнилось"
)

TAG = re.compile(r"<[^>]+>")


def _is_gap(char: str) -> bool:
    """Spaces, emoji and their joiners: a name still touches the word across them.

    A line break does not count: a heading line and the name on the next line are not a phrase.
    """
    if char == "\n":
        return False
    return char.isspace() or unicodedata.category(char) in {"So", "Sk", "Mn", "Cf"}


def _word_before(text: str, end: int) -> str:
    index = end
    while index > 0 and _is_gap(text[index - 1]):
        index -= 1
    start = index
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    return text[start:index].lower().replace("ё", "е")


def _word_after(text: str, start: int) -> str:
    index = start
    while index < len(text) and _is_gap(text[index]):
        index += 1
    end = index
    while end < len(text) and text[end].isalpha():
        end += 1
    return text[index:end].lower().replace("ё", "е")


def case_errors(text: str, names: tuple[str, ...] = (PET, PERSON)) -> list[str]:
    """Each place in `text` where one of `names` cannot stand in the nominative."""
    plain = TAG.sub("", text)
    found: list[str] = []
    for name in names:
        for match in re.finditer(re.escape(name), plain):
            before = _word_before(plain, match.start())
            after = _word_after(plain, match.end())
            snippet = plain[max(0, match.start() - 30) : match.end() + 30].replace("\n", " ")
            if before in PREPOSITIONS:
                found.append(f"preposition «{before}» before a name: …{snippet}…")
            elif before in GOVERNING_NOUNS:
                found.append(f"noun «{before}» governs the name: …{snippet}…")
            elif before in GOVERNING_VERBS:
                found.append(f"verb «{before}» takes the name as its object: …{snippet}…")
            if after in DATIVE_BEFORE:
                found.append(f"«{after}» needs the name in the dative: …{snippet}…")
    return found


class _Shape(FluentVisitor):
    """What a message needs to render: its variables, their selector keys, dates and numbers."""

    def __init__(self) -> None:
        super().__init__()
        self.variables: set[str] = set()
        self.keys: dict[str, set[str | float]] = {}
        self.dates: set[str] = set()
        self.numbers: set[str] = set()

    def visit_VariableReference(self, node: fluent_ast.VariableReference) -> None:  # noqa: N802
        self.variables.add(node.id.name)

    def visit_SelectExpression(self, node: fluent_ast.SelectExpression) -> None:  # noqa: N802
        selector: object = node.selector
        if isinstance(selector, fluent_ast.FunctionReference):
            selector = selector.arguments.positional[0]
        if isinstance(selector, fluent_ast.VariableReference):
            keys = self.keys.setdefault(selector.id.name, set())
            for variant in node.variants:
                key = variant.key
                keys.add(key.name if isinstance(key, fluent_ast.Identifier) else float(key.value))
        self.generic_visit(node)

    def visit_FunctionReference(self, node: fluent_ast.FunctionReference) -> None:  # noqa: N802
        kinds = {"DATE": self.dates, "DATETIME": self.dates, "NUMBER": self.numbers}
        for argument in node.arguments.positional:
            if isinstance(argument, fluent_ast.VariableReference) and node.id.name in kinds:
                kinds[node.id.name].add(argument.id.name)
        self.generic_visit(node)


def _samples(variable: str, shape: _Shape) -> list[Any]:
    keys = shape.keys.get(variable)
    if keys is not None and keys <= PLURAL_CATEGORIES:
        return list(PLURAL_SAMPLES)
    if keys is not None:
        return sorted(keys, key=str)
    if variable in NAME_SENTINELS:
        return [NAME_SENTINELS[variable]]
    if variable in shape.dates:
        return [datetime(2026, 3, 5, 9, 30)]
    if variable in shape.numbers:
        return [2]
    return [NEUTRAL]


def _argument_sets(message: fluent_ast.Message) -> Iterator[dict[str, Any]]:
    """Every combination of selector variants, so no variant's wording goes unchecked."""
    shape = _Shape()
    shape.visit(message)
    variables = sorted(shape.variables)
    for values in itertools.product(*(_samples(variable, shape) for variable in variables)):
        yield dict(zip(variables, values, strict=True))


def _bundle() -> FluentBundle:
    # No bidi isolation marks: they would sit between a name and the word next to it.
    bundle = FluentBundle([LOCALE], functions=date_functions(), use_isolating=False)
    for path in sorted(LOCALE_DIR.glob("*.ftl")):
        bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
    return bundle


def _renderings() -> Iterator[tuple[str, fluent_ast.Message, str]]:
    bundle = _bundle()
    for message_id, message in _messages(LOCALE).items():
        compiled = bundle.get_message(message_id)
        patterns = [compiled.value, *compiled.attributes.values()]
        for arguments in _argument_sets(message):
            for pattern in patterns:
                if pattern is None:
                    continue
                text, errors = bundle.format_pattern(pattern, arguments)
                assert not errors, f"{message_id} with {arguments}: {errors}"
                yield message_id, message, str(text)


def test_every_name_in_a_russian_message_stands_in_the_nominative() -> None:
    problems: list[str] = []
    for message_id, _, text in _renderings():
        problems.extend(f"{message_id}: {problem}" for problem in case_errors(text))
    unique = sorted(set(problems))
    assert not unique, "names in an oblique case:\n" + "\n".join(unique)


def test_every_message_with_a_name_variable_renders_the_name() -> None:
    # Guards the test above against passing vacuously: a renderer that lost the names (bidi
    # marks, a variable left unfilled) would find no name to check.
    with_names: set[str] = set()
    rendered: set[str] = set()
    for message_id, message, text in _renderings():
        shape = _Shape()
        shape.visit(message)
        if shape.variables & NAME_SENTINELS.keys():
            with_names.add(message_id)
            if PET in text or PERSON in text:
                rendered.add(message_id)
    assert len(with_names) > 40, sorted(with_names)
    assert with_names == rendered, sorted(with_names - rendered)


def test_detector_flags_a_name_after_a_preposition() -> None:
    assert case_errors("Отменить запись к Демо Анна Петрова на 5 марта?")
    assert case_errors("🔗 <b>Приглашение совладельца для Мурзик</b>.")
    assert case_errors("У Демо Анна Петрова больше нет доступа к Мурзик.")


def test_detector_flags_a_name_governed_by_a_noun_or_a_verb() -> None:
    assert case_errors("👥 <b>Кто видит карточку Мурзик</b>")
    assert case_errors("Консультация для питомца Мурзик отменена.")
    assert case_errors("Когда взвешивали Мурзик?")


def test_detector_flags_a_name_that_needs_the_dative() -> None:
    assert case_errors("🔴 Срочно: Мурзик 🐱 нужно в клинику.")
    assert case_errors("Мурзик пора на прививку.")


def test_detector_accepts_a_name_in_the_nominative() -> None:
    good = [
        "🔴 <b>Срочно: Мурзик — в круглосуточную клинику прямо сейчас.</b>",
        "Карточка питомца: Мурзик",
        "Запись к врачу: Демо Анна Петрова",
        "Перенести карту «Мурзик» в архив?",
        "Мурзик: можно наблюдать дома.",
        "Ветеринар Демо Анна Петрова отменил консультацию. Питомец: Мурзик.",
        "Какой породы Мурзик? Сколько весит Мурзик?",
        "Нам очень жаль. Светлая память, Мурзик 🕊",
        "🩺 <b>Проверьте профиль</b>\n\n<b>Демо Анна Петрова</b>",
    ]
    for text in good:
        assert not case_errors(text), text
