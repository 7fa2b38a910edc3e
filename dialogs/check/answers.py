"""How number answers are offered and shown back: quick-pick labels, units, ask-back options."""

from __future__ import annotations

from aiogram_i18n import I18nContext

from core.answer_reading import Quantity, QuickPick, quantity_of

_UNIT_KEYS = {
    Quantity.MINUTES: "lbl-unit-minutes",
    Quantity.HOURS: "lbl-unit-hours",
    Quantity.CELSIUS: "lbl-unit-celsius",
}
# An open temperature bound is shown as the nearest reading a thermometer gives (0.1 °C).
_THERMOMETER_STEP = 0.1


def number_text(value: float, locale: str) -> str:
    if value == int(value):
        return str(int(value))
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if locale == "ru" else text


def unit_text(i18n: I18nContext, detail: str, value: float) -> str:
    quantity = quantity_of(detail)
    if quantity is Quantity.COUNT:
        return i18n.get("lbl-unit-count", n=int(value))
    return i18n.get(_UNIT_KEYS[quantity])


def value_text(i18n: I18nContext, detail: str, value: float) -> str:
    """An answer as the summary and the ask-back buttons show it: "48 ч", "3 раза"."""
    return i18n.get(
        "lbl-answer-value",
        value=number_text(value, i18n.locale),
        unit=unit_text(i18n, detail, value),
    )


def pick_label(i18n: I18nContext, detail: str, pick: QuickPick) -> str:
    celsius = quantity_of(detail) is Quantity.CELSIUS
    low, high = pick.low, pick.high
    if celsius and low is not None and not pick.low_closed:
        low = round(low + _THERMOMETER_STEP, 1)
    if celsius and high is not None and not pick.high_closed:
        high = round(high - _THERMOMETER_STEP, 1)

    def shown(value: float) -> str:
        return number_text(value, i18n.locale)

    if low is None and high is not None:
        # An open temperature bound was narrowed to a reading above: "37,4 °C и ниже".
        key = "lbl-pick-up-to" if pick.high_closed or celsius else "lbl-pick-below"
        return i18n.get(key, high=shown(high), unit=unit_text(i18n, detail, high))
    if low is not None and high is None:
        return i18n.get("lbl-pick-from", low=shown(low), unit=unit_text(i18n, detail, low))
    if low is not None and high is not None and low == high:
        return i18n.get("lbl-pick-exact", low=shown(low), unit=unit_text(i18n, detail, low))
    assert low is not None and high is not None  # a bucket has at least one bound
    return i18n.get(
        "lbl-pick-between", low=shown(low), high=shown(high), unit=unit_text(i18n, detail, high)
    )
