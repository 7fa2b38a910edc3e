"""Every user-facing string lives in locales/, identically keyed in each language."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from fluent.syntax import FluentParser
from fluent.syntax import ast as fluent_ast
from fluent.syntax.visitor import Visitor as FluentVisitor

from core.locales import DEFAULT_LOCALE, SUPPORTED_LOCALES, resolve_locale

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
CODE_DIRS = ("core", "bot", "dialogs", "webapp", "ai", "db")
KINDS = "msg|btn|err|cmd|feature|lbl|hint|screen|area|sign|q|finding|advice|escalate"
MESSAGE_ID = re.compile(rf"^({KINDS})-[a-z0-9]+(-[a-z0-9]+)*$")


def _messages(locale: str) -> dict[str, fluent_ast.Message]:
    messages: dict[str, fluent_ast.Message] = {}
    for path in sorted((LOCALES / locale).glob("*.ftl")):
        resource = FluentParser().parse(path.read_text(encoding="utf-8"))
        junk = [entry for entry in resource.body if isinstance(entry, fluent_ast.Junk)]
        assert not junk, f"{path}: unparsable Fluent: {[str(j.content)[:60] for j in junk]}"
        for entry in resource.body:
            if isinstance(entry, fluent_ast.Message):
                assert entry.id.name not in messages, f"duplicate id {entry.id.name} in {path}"
                messages[entry.id.name] = entry
    return messages


def _variables(message: fluent_ast.Message) -> set[str]:
    found: set[str] = set()

    class Visitor(FluentVisitor):
        def visit_VariableReference(self, node: fluent_ast.VariableReference) -> None:  # noqa: N802
            found.add(node.id.name)

    Visitor().visit(message)
    return found


def _ids_used_in_code() -> dict[str, str]:
    used: dict[str, str] = {}
    for directory in CODE_DIRS:
        for path in (ROOT / directory).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
                    continue
                if MESSAGE_ID.match(node.value):
                    used[node.value] = str(path.relative_to(ROOT))
    return used


def test_every_locale_has_the_same_message_ids() -> None:
    reference = set(_messages(DEFAULT_LOCALE))
    assert reference, "no messages found in the default locale"
    for locale in SUPPORTED_LOCALES:
        ids = set(_messages(locale))
        assert ids == reference, (
            f"{locale}: missing {sorted(reference - ids)}, extra {sorted(ids - reference)}"
        )


def test_each_message_takes_the_same_variables_in_every_locale() -> None:
    reference = _messages(DEFAULT_LOCALE)
    for locale in SUPPORTED_LOCALES:
        for message_id, message in _messages(locale).items():
            expected = _variables(reference[message_id])
            assert _variables(message) == expected, f"{locale}/{message_id}"


def test_every_message_id_used_in_code_exists() -> None:
    used = _ids_used_in_code()
    assert used, "the scan found no message ids: the pattern or the folders are wrong"
    known = set(_messages(DEFAULT_LOCALE))
    missing = {key: where for key, where in used.items() if key not in known}
    assert not missing, f"message ids used in code but absent from locales: {missing}"


def test_message_ids_follow_the_kind_prefix_convention() -> None:
    for locale in SUPPORTED_LOCALES:
        bad = [key for key in _messages(locale) if not MESSAGE_ID.match(key)]
        assert not bad, f"{locale}: ids without a kind prefix: {bad}"


@pytest.mark.parametrize(
    ("chosen", "telegram", "expected"),
    [
        ("en", "ru", "en"),
        (None, "en-US", "en"),
        (None, "EN", "en"),
        (None, "de", "ru"),
        (None, None, "ru"),
        ("xx", "en", "en"),
    ],
)
def test_locale_is_choice_then_telegram_language_then_russian(
    chosen: str | None, telegram: str | None, expected: str
) -> None:
    assert resolve_locale(chosen, telegram) == expected
