"""Result advice: every sign an owner can tick has home-care advice and its own red flags, and
every number threshold in the rules can be said against the pet's answer, in every locale."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel import Locale
from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax import ast as fluent_ast
from fluent.syntax.visitor import Visitor as FluentVisitor

from core.check_questions import NUMBER_BOUNDS, PROBLEM_AREAS
from core.locales import SUPPORTED_LOCALES
from core.triage import default_rules
from core.triage.conditions import DetailCond, walk
from tests.unit.test_locales import _messages, _variables

LOCALES = Path(__file__).resolve().parents[2] / "locales"
RULES = default_rules()

# The whole result card must fit one Telegram message (4096) with five signs ticked.
MAX_ADVICE = 220
MAX_ESCALATE = 140
BULLET = "• "
HEADINGS = (
    "msg-result-advice-heading",
    "msg-result-urgent-if-heading",
    "msg-result-vet-soon-if-heading",
)
# Units in °C take no plural; every other threshold counts minutes, hours, times or seizures.
NO_PLURAL = frozenset({"escalate-at-temperature-c-high", "escalate-at-temperature-c-low"})


def _kebab(code: str) -> str:
    return code.replace("_", "-")


SIGNS = tuple(dict.fromkeys(sign for area in PROBLEM_AREAS for sign in area.signs))


def _thresholds() -> dict[str, tuple[str, set[float]]]:
    """escalate-at-* id → the detail and the threshold values the rules compare that detail with.

    A detail compared in one direction (">=", ">") has one message, `escalate-at-<detail>`; a
    detail compared both ways (temperature: fever and hypothermia) has `-high` and `-low`.
    """
    found: dict[tuple[str, str], set[float]] = {}
    for rule in RULES.rules:
        if rule.when is None:
            continue
        for cond in walk(rule.when):
            if not isinstance(cond, DetailCond) or RULES.details[cond.detail] != "number":
                continue
            if cond.op in {"==", "!="}:
                continue
            direction = "high" if cond.op in {">=", ">"} else "low"
            assert isinstance(cond.value, int | float)
            found.setdefault((cond.detail, direction), set()).add(float(cond.value))
    directions: dict[str, set[str]] = {}
    for detail, direction in found:
        directions.setdefault(detail, set()).add(direction)
    ids: dict[str, tuple[str, set[float]]] = {}
    for (detail, direction), values in found.items():
        suffix = "" if directions[detail] == {"high"} else f"-{direction}"
        ids[f"escalate-at-{_kebab(detail)}{suffix}"] = (detail, values)
    return ids


_BY_MESSAGE = _thresholds()
THRESHOLDS = {message_id: values for message_id, (_, values) in _BY_MESSAGE.items()}
ESCALATE_AT_DETAIL = {message_id: detail for message_id, (detail, _) in _BY_MESSAGE.items()}


def _bundle(locale: str) -> FluentBundle:
    bundle = FluentBundle([locale], use_isolating=False)
    for path in sorted((LOCALES / locale).glob("*.ftl")):
        bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
    return bundle


def _render(bundle: FluentBundle, message_id: str, **arguments: float) -> str:
    message = bundle.get_message(message_id)
    assert message.value is not None, message_id
    formatted, errors = bundle.format_pattern(message.value, arguments)
    assert not errors, f"{message_id} {arguments}: {errors}"
    text = str(formatted)
    assert "{" not in text and "}" not in text, f"{message_id}: {text}"
    return text


def _current_samples(message_id: str) -> tuple[float, ...]:
    bounds = NUMBER_BOUNDS[ESCALATE_AT_DETAIL[message_id]]
    # The longest answer an owner can give is the widest rendering: check it against the limit.
    return (bounds.minimum, 1, 2.5, bounds.maximum)


def test_the_rules_have_the_thresholds_this_file_speaks_of() -> None:
    # Guards the tests below against passing on an empty catalogue.
    assert len(SIGNS) == 26
    assert {"escalate-at-temperature-c-high", "escalate-at-temperature-c-low"} <= set(THRESHOLDS)
    assert THRESHOLDS["escalate-at-not-eating-hours"] == {6.0, 12.0, 24.0}
    # Each of them is a number the dialog asks, so the answer has known bounds to test with.
    assert set(ESCALATE_AT_DETAIL.values()) <= set(NUMBER_BOUNDS)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_sign_an_owner_can_tick_has_advice_and_red_flags(locale: str) -> None:
    known = set(_messages(locale))
    wanted = {f"{kind}-{_kebab(sign)}" for sign in SIGNS for kind in ("advice", "escalate")}
    assert not wanted - known, sorted(wanted - known)
    assert not set(HEADINGS) - known


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_number_threshold_in_the_rules_has_its_escalate_at_line(locale: str) -> None:
    present = {key for key in _messages(locale) if key.startswith("escalate-at-")}
    # Both ways: no threshold left unsaid, no line for a threshold the rules no longer have.
    assert present == set(THRESHOLDS)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_advice_and_red_flags_take_no_variables_and_fit_the_card(locale: str) -> None:
    messages = _messages(locale)
    bundle = _bundle(locale)
    for sign in SIGNS:
        advice_id, escalate_id = f"advice-{_kebab(sign)}", f"escalate-{_kebab(sign)}"
        # No variables: in particular no pet name, which Russian would have to decline.
        assert not _variables(messages[advice_id]), advice_id
        assert not _variables(messages[escalate_id]), escalate_id
        advice = _render(bundle, advice_id)
        escalate = _render(bundle, escalate_id)
        assert len(advice) <= MAX_ADVICE, f"{locale}/{advice_id}: {len(advice)} characters"
        assert len(escalate) <= MAX_ESCALATE, f"{locale}/{escalate_id}: {len(escalate)}"
        lines = advice.split("\n")
        assert 1 <= len(lines) <= 3, f"{locale}/{advice_id}"
        assert all(line.startswith(BULLET) for line in lines), f"{locale}/{advice_id}"
        assert "\n" not in escalate and escalate.startswith(BULLET), f"{locale}/{escalate_id}"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_escalate_at_lines_render_against_the_answer_and_fit_the_card(locale: str) -> None:
    messages = _messages(locale)
    bundle = _bundle(locale)
    for message_id, thresholds in THRESHOLDS.items():
        assert _variables(messages[message_id]) == {"threshold", "current"}, message_id
        for threshold in thresholds:
            for current in _current_samples(message_id):
                text = _render(bundle, message_id, threshold=threshold, current=current)
                assert text.startswith(BULLET) and "\n" not in text, f"{locale}/{message_id}"
                assert len(text) <= MAX_ESCALATE, f"{locale}/{message_id}: {len(text)} {text}"


def _threshold_variant_keys(message: fluent_ast.Message) -> list[set[str]]:
    keys: list[set[str]] = []

    class Visitor(FluentVisitor):
        def visit_SelectExpression(self, node: fluent_ast.SelectExpression) -> None:  # noqa: N802
            selector = node.selector
            if (
                isinstance(selector, fluent_ast.VariableReference)
                and selector.id.name == "threshold"
            ):
                names = {
                    v.key.name for v in node.variants if isinstance(v.key, fluent_ast.Identifier)
                }
                keys.append(names)
            self.generic_visit(node)

    Visitor().visit(message)
    return keys


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_counted_units_agree_with_the_threshold_in_every_plural_form(locale: str) -> None:
    messages = _messages(locale)
    bundle = _bundle(locale)
    samples = (1, 2, 5, 21)
    # Spelled out, not assumed: Russian 1 and 21 are "one", 2 "few", 5 "many".
    needed = {Locale.parse(locale).plural_form(n) for n in samples} | {"other"}
    for message_id in THRESHOLDS:
        selects = _threshold_variant_keys(messages[message_id])
        if message_id in NO_PLURAL:
            assert not selects, message_id
            continue
        assert selects, f"{locale}/{message_id}: the unit does not follow $threshold"
        for keys in selects:
            assert needed <= keys, f"{locale}/{message_id}: {sorted(needed - keys)} missing"
        for n in samples:
            _render(bundle, message_id, threshold=n, current=0)


def test_russian_units_decline_with_the_number() -> None:
    assert {Locale.parse("ru").plural_form(n) for n in (1, 2, 5, 21)} == {"one", "few", "many"}
    bundle = _bundle("ru")
    rendered = {
        n: _render(bundle, "escalate-at-no-urine-hours", threshold=n, current=3)
        for n in (1, 2, 5, 21, 24)
    }
    assert "1 час " in rendered[1]
    assert "2 часа " in rendered[2]
    assert "5 часов " in rendered[5]
    assert "21 час " in rendered[21]
    assert "24 часа " in rendered[24]
    vomiting = _render(bundle, "escalate-at-vomiting-count-24h", threshold=3, current=1)
    assert "до 3 раз " in vomiting


def test_russian_temperatures_use_a_decimal_comma() -> None:
    text = _render(_bundle("ru"), "escalate-at-temperature-c-high", threshold=39.5, current=39.2)
    assert "39,5 °C" in text and "39,2 °C" in text


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_the_longest_possible_advice_part_of_a_result_leaves_room_within_telegrams_limit(
    locale: str,
) -> None:
    # The result card shows advice, warnings and threshold lines for at most MAX_ADVISED_SIGNS
    # signs and details: with the longest of each, that part must leave at least 1,500 of
    # Telegram's 4096 characters to the level, the reasons (every sign ticked: ~900), what to
    # do and the disclaimer.
    from dialogs.check_result.getters import MAX_ADVISED_SIGNS

    bundle = _bundle(locale)
    signs = [sign for area in PROBLEM_AREAS for sign in area.signs]

    def longest(prefix: str) -> int:
        lengths = sorted(len(_render(bundle, f"{prefix}-{_kebab(s)}")) for s in signs)
        return sum(lengths[-MAX_ADVISED_SIGNS:])

    thresholds = MAX_ADVISED_SIGNS * MAX_ESCALATE
    assert longest("advice") + longest("escalate") + thresholds <= 4096 - 1500
