"""What the pets dialogs share: data keys, neutered values and the breed and age helpers."""

from __future__ import annotations

from datetime import date

from aiogram_i18n import I18nContext

from core.enums import Species
from core.pet_input import age_on, age_words

# dialog_data / start_data: ids and primitives only (STYLE.md, rule 4). The pet's id is
# dialogs.widgets.pet_context.KEY_PET_ID: other features pass it too.
KEY_SAVED = "saved"  # the result of a finished edit
KEY_NAME = "name"
KEY_SPECIES = "species"
KEY_BREED = "breed"
KEY_SEX = "sex"
KEY_NEUTERED = "neutered"  # "yes" / "no" / "unknown"
KEY_BIRTH_DATE = "birth_date"  # ISO date
KEY_BIRTH_APPROXIMATE = "birth_approximate"
KEY_WEIGHT_GRAMS = "weight_grams"
KEY_PHOTO_FILE_ID = "photo_file_id"

NEUTERED_YES = "yes"
NEUTERED_NO = "no"
NEUTERED_UNKNOWN = "unknown"
NEUTERED_VALUES: dict[str, bool | None] = {
    NEUTERED_YES: True,
    NEUTERED_NO: False,
    NEUTERED_UNKNOWN: None,
}

# One message per species, one breed per line: translators keep the list in one place.
BREED_SUGGESTIONS: dict[Species, str] = {
    Species.DOG: "lbl-pet-breeds-dog",
    Species.CAT: "lbl-pet-breeds-cat",
}


def age_text(i18n: I18nContext, born: date, today: date) -> str:
    key, args = age_words(age_on(born, today))
    return i18n.get(key, **args)


def breed_suggestions(i18n: I18nContext, species: Species | None) -> list[str]:
    key = BREED_SUGGESTIONS.get(species) if species is not None else None
    if key is None:
        return []
    return [line.strip() for line in i18n.get(key).splitlines() if line.strip()]
