"""The answer to refused pet input (name, birth date, weight, microchip), wherever it is typed."""

from __future__ import annotations

import logging
from typing import Any

from aiogram_dialog import DialogManager

from core.pets_errors import PetInputError, PetInputErrorReason
from dialogs.widgets.events import notify
from dialogs.widgets.i18n import i18n_from
from dialogs.widgets.weights import weight_text

logger = logging.getLogger(__name__)

# Full message ids, never built from parts: the locale test finds every id used in code.
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
