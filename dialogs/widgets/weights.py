"""How a weight reads: grams under a kilogram, kilograms above (the pet card, the records)."""

from __future__ import annotations

from decimal import Decimal

from aiogram_i18n import I18nContext


def weight_text(i18n: I18nContext, grams: int) -> str:
    if grams < 1000:
        return i18n.get("lbl-pet-weight-grams", grams=grams)
    return i18n.get("lbl-pet-weight-kg", kg=Decimal(grams) / Decimal(1000))
