"""Every Fluent message, filled with hostile values, is HTML that Telegram accepts and shows the
values exactly as they were given: the i18n layer escapes every variable, once.

The parser is the sandbox emulator's, as strict as Telegram's (tests/unit/test_emulator_html_*).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import pytest_asyncio
from aiogram_i18n.cores import FluentRuntimeCore
from aiogram_i18n.exceptions import FluentMessageError
from fluent.syntax import FluentParser
from fluent.syntax import ast as fluent_ast
from fluent.syntax.visitor import Visitor as FluentVisitor

from bot.i18n import PLAIN_TEXT_PREFIXES, create_i18n_core
from core.locales import SUPPORTED_LOCALES
from core.markup import Markup, escape, plain_text
from sandbox.emulator.errors import BotApiError
from sandbox.emulator.formatting import format_text

LOCALES = Path(__file__).resolve().parents[2] / "locales"

HOSTILE_VALUES = (
    "Маша <3",
    "<Kate>",
    "a & b",
    "</b>",
    "<b>Bold</b>",
    "<script>alert(1)</script>",
    "&lt; &amp; &copy;",
    "\"quoted\" 'single'",
    "Rex" * 21 + "x",  # 64 characters, Telegram's longest first name
    "\u202eevil\u202c",  # right-to-left override
    "Z\u200bero\u200dwidth",
    "🐕‍🦺 🇷🇺",
)
_MARKER = "MARKER-7f3a"
_A_DATE = datetime(2026, 12, 5, 10, 30)


class _Variables(FluentVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: set[str] = set()

    def visit_VariableReference(self, node: fluent_ast.VariableReference) -> None:  # noqa: N802
        self.found.add(node.id.name)


def _message_variables() -> Iterator[tuple[str, str, set[str]]]:
    for locale in SUPPORTED_LOCALES:
        for path in sorted((LOCALES / locale).glob("*.ftl")):
            resource = FluentParser().parse(path.read_text(encoding="utf-8"))
            for entry in resource.body:
                if isinstance(entry, fluent_ast.Message) and entry.value is not None:
                    variables = _Variables()
                    variables.visit(entry)
                    yield locale, entry.id.name, variables.found


MESSAGES = [item for item in _message_variables() if item[2]]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def texts() -> FluentRuntimeCore:
    core = create_i18n_core(LOCALES)
    await core.startup()
    return core


def _baseline(
    core: FluentRuntimeCore, key: str, locale: str, names: set[str]
) -> dict[str, object]:
    """Values that render: numbers (plurals, NUMBER()) or dates (DATETIME()) per variable."""
    ordered = sorted(names)
    for choice in itertools.product((1, _A_DATE), repeat=len(ordered)):
        args = dict(zip(ordered, choice, strict=True))
        try:
            core.get(key, locale, **args)
        except FluentMessageError:
            continue
        return args
    raise AssertionError(f"{key} renders with no combination of numbers and dates")


def _textual(
    core: FluentRuntimeCore, key: str, locale: str, baseline: dict[str, object]
) -> set[str]:
    """The variables that take text; the rest are numbers or dates."""
    textual = set()
    for name in baseline:
        try:
            core.get(key, locale, **{**baseline, name: _MARKER})
        except FluentMessageError:
            continue
        textual.add(name)
    return textual


def _as_telegram_shows(value: str) -> str:
    # Telegram drops the bidirectional embedding and override characters (TDLib's
    # clean_input_string), whoever sent them.
    return re.sub("[\u202a-\u202e]", "", value)


def test_there_are_messages_to_check() -> None:
    assert len(MESSAGES) > 100


@pytest.mark.parametrize(("locale", "key", "names"), MESSAGES, ids=lambda v: str(v))
def test_every_message_is_valid_telegram_html_with_hostile_values(
    texts: FluentRuntimeCore, locale: str, key: str, names: set[str]
) -> None:
    numbers = _baseline(texts, key, locale, names)
    textual = _textual(texts, key, locale, numbers)
    if not textual:  # numbers and dates only: still valid HTML whatever they are
        format_text(texts.get(key, locale, **numbers), "HTML", None)
        return
    shown = texts.get(key, locale, **{**numbers, **dict.fromkeys(textual, _MARKER)})
    for value in HOSTILE_VALUES:
        args = {**numbers, **dict.fromkeys(textual, value)}
        rendered = texts.get(key, locale, **args)
        if key.startswith(PLAIN_TEXT_PREFIXES):
            # Buttons and commands show text as it is: nothing may be escaped there.
            assert not isinstance(rendered, Markup)
            if _MARKER in shown:
                assert value in rendered
            continue
        assert isinstance(rendered, Markup)
        try:
            plain, _ = format_text(rendered, "HTML", None)
        except BotApiError as error:
            pytest.fail(f"{locale} {key} with {value!r}: Telegram refuses it: {error}")
        if _MARKER in shown:
            # Exactly once escaped: the reader sees the value itself, not "&lt;" or a tag.
            assert _as_telegram_shows(value) in plain, (locale, key, value, plain)


def test_markup_is_never_escaped_twice(texts: FluentRuntimeCore) -> None:
    inner = texts.get("lbl-yes", "en")
    assert isinstance(inner, Markup)
    assert escape(inner) is inner
    joined = Markup(", ").join([inner, "<Rex>"])
    assert joined == f"{inner}, &lt;Rex&gt;"
    assert Markup("• {} — {}").format(inner, "a & b") == f"• {inner} — a &amp; b"


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_plain_text_reverses_escaping(value: str) -> None:
    assert plain_text(escape(value)) == value
    assert plain_text(Markup("<b>{}</b>").format(value)) == value
