"""How a pet is named on a button: its species emoji, then its name.

Shared by every list of pets (pets, records, booking), so they all read the same.
"""

from __future__ import annotations

import unicodedata

from aiogram_i18n import I18nContext

from core.entities import Pet

# Joiners and presentation selectors inside or after an emoji: not the emoji itself.
_EMOJI_MODIFIERS = {"\u200d", "\ufe0e", "\ufe0f"}


def has_own_emoji(name: str) -> bool:
    """True when the name already starts or ends with a pictograph ("Мурзик 🐱")."""
    visible = [char for char in name.strip() if char not in _EMOJI_MODIFIERS]
    if not visible:
        return False
    return any(unicodedata.category(char) == "So" for char in (visible[0], visible[-1]))


def pet_list_label(i18n: I18nContext, pet: Pet) -> str:
    if has_own_emoji(pet.name):
        # The owner's own emoji stands in for the species one: never two in a row.
        return i18n.get("lbl-pet-list-item-own-emoji", name=pet.name)
    return i18n.get("lbl-pet-list-item", species=pet.species.value, name=pet.name)
