"""What the pets dialogs share: data keys, message ids per value, and display helpers."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal
from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram.types import User as TelegramUser
from aiogram_dialog import DialogManager, ShowMode
from aiogram_i18n import I18nContext

from core.enums import AccessLevel, Species
from core.markup import plain_text
from core.pet_input import age_on, age_words
from core.pets_errors import PetInputError, PetInputErrorReason
from dialogs.widgets.i18n import i18n_from

logger = logging.getLogger(__name__)

# dialog_data / start_data: ids and primitives only (STYLE.md, rule 4).
KEY_PET_ID = "pet_id"
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

# Full message ids, never built from parts: the locale test finds every id used in code.
SPECIES_LABELS: dict[Species, str] = {
    Species.DOG: "lbl-pet-species-dog",
    Species.CAT: "lbl-pet-species-cat",
    Species.RABBIT: "lbl-pet-species-rabbit",
    Species.GUINEA_PIG: "lbl-pet-species-guinea-pig",
    Species.RODENT: "lbl-pet-species-rodent",
    Species.FERRET: "lbl-pet-species-ferret",
    Species.BIRD: "lbl-pet-species-bird",
    Species.REPTILE: "lbl-pet-species-reptile",
    Species.OTHER: "lbl-pet-species-other",
}
ACCESS_LABELS: dict[AccessLevel, str] = {
    AccessLevel.OWNER: "lbl-pet-access-owner",
    AccessLevel.CO_OWNER: "lbl-pet-access-co-owner",
    AccessLevel.VIEWER: "lbl-pet-access-viewer",
}
# One message per species, one breed per line: translators keep the list in one place.
BREED_SUGGESTIONS: dict[Species, str] = {
    Species.DOG: "lbl-pet-breeds-dog",
    Species.CAT: "lbl-pet-breeds-cat",
}
INPUT_ERRORS: dict[PetInputErrorReason, str] = {
    PetInputErrorReason.NAME_EMPTY: "err-pet-name-empty",
    PetInputErrorReason.NAME_TOO_LONG: "err-pet-name-too-long",
    PetInputErrorReason.BREED_EMPTY: "err-pet-breed-empty",
    PetInputErrorReason.BREED_TOO_LONG: "err-pet-breed-too-long",
    PetInputErrorReason.BIRTH_UNREADABLE: "err-pet-birth-unreadable",
    PetInputErrorReason.BIRTH_BAD_DATE: "err-pet-birth-bad-date",
    PetInputErrorReason.BIRTH_IN_FUTURE: "err-pet-birth-in-future",
    PetInputErrorReason.BIRTH_TOO_OLD: "err-pet-birth-too-old",
    PetInputErrorReason.AGE_ZERO: "err-pet-age-zero",
    PetInputErrorReason.WEIGHT_UNREADABLE: "err-pet-weight-unreadable",
    PetInputErrorReason.WEIGHT_TOO_LOW: "err-pet-weight-too-low",
    PetInputErrorReason.WEIGHT_TOO_HIGH: "err-pet-weight-too-high",
    PetInputErrorReason.MICROCHIP_BAD: "err-pet-microchip-bad",
}


def telegram_id_of(manager: DialogManager) -> int:
    sender: TelegramUser = manager.middleware_data["event_from_user"]
    return sender.id


def pet_id_of(manager: DialogManager) -> int | None:
    """The pet this dialog is about: chosen in it, else given by whoever started it."""
    value = manager.dialog_data.get(KEY_PET_ID)
    if value is None and isinstance(manager.start_data, dict):
        value = manager.start_data.get(KEY_PET_ID)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


async def notify(manager: DialogManager, key: str, **args: Any) -> None:
    """A short answer to the current event: an alert on a button, a message after a message."""
    text = i18n_from(manager).get(key, **args)
    event = manager.event
    if isinstance(event, CallbackQuery):
        # An alert shows no markup: the text the user reads.
        await event.answer(plain_text(text), show_alert=True)
    elif isinstance(event, Message):
        await event.answer(text)
        # The window again under the answer, with what the user entered so far.
        manager.show_mode = ShowMode.DELETE_AND_SEND


async def say(manager: DialogManager, key: str, **args: Any) -> None:
    """A message that stays in the chat (unlike an alert); the window follows below it."""
    event = manager.event
    text = i18n_from(manager).get(key, **args)
    if isinstance(event, CallbackQuery):
        # aiogram-dialog answers the callback itself; a private chat's id is the user's.
        await manager.middleware_data["bot"].send_message(event.from_user.id, text)
    elif isinstance(event, Message):
        await event.answer(text)
    manager.show_mode = ShowMode.SEND


async def notify_input_error(manager: DialogManager, error: PetInputError) -> None:
    # Logged once here, without the text itself: it is the user's, and the reason says enough.
    logger.info("pet input refused: %s", error.reason.value)
    i18n = i18n_from(manager)
    args: dict[str, Any] = {}
    if error.max_length is not None:
        args["max"] = error.max_length
    if error.min_grams is not None and error.max_grams is not None:
        args["min"] = weight_text(i18n, error.min_grams)
        args["max"] = weight_text(i18n, error.max_grams)
    await notify(manager, INPUT_ERRORS[error.reason], **args)


def weight_text(i18n: I18nContext, grams: int) -> str:
    if grams < 1000:
        return i18n.get("lbl-pet-weight-grams", grams=grams)
    return i18n.get("lbl-pet-weight-kg", kg=Decimal(grams) / Decimal(1000))


def age_text(i18n: I18nContext, born: date, today: date) -> str:
    key, args = age_words(age_on(born, today))
    return i18n.get(key, **args)


def breed_suggestions(i18n: I18nContext, species: Species | None) -> list[str]:
    key = BREED_SUGGESTIONS.get(species) if species is not None else None
    if key is None:
        return []
    return [line.strip() for line in i18n.get(key).splitlines() if line.strip()]
