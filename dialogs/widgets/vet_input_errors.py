"""The answer to refused vet input (profile, working hours, exceptions), in any vet dialog."""

from __future__ import annotations

import logging
from typing import Final

from aiogram_dialog import DialogManager

from core.booking_errors import ScheduleInputError, ScheduleInputErrorReason
from core.vets_errors import VetInputError, VetInputErrorReason
from dialogs.widgets.events import notify

logger = logging.getLogger(__name__)

# Full message ids, never built from parts: the locale test finds every id used in code.
VET_INPUT_ERRORS: Final[dict[VetInputErrorReason, str]] = {
    VetInputErrorReason.NAME_EMPTY: "err-vet-name-empty",
    VetInputErrorReason.NAME_TOO_LONG: "err-vet-name-too-long",
    VetInputErrorReason.SPECIALISATIONS_EMPTY: "err-vet-specialisations-empty",
    VetInputErrorReason.SPECIALISATIONS_TOO_LONG: "err-vet-specialisations-too-long",
    VetInputErrorReason.SPECIES_EMPTY: "err-vet-species-empty",
    VetInputErrorReason.LANGUAGES_EMPTY: "err-vet-languages-empty",
    VetInputErrorReason.LANGUAGE_UNKNOWN: "err-vet-language-unknown",
    VetInputErrorReason.YEARS_UNREADABLE: "err-vet-years-unreadable",
    VetInputErrorReason.YEARS_OUT_OF_RANGE: "err-vet-years-out-of-range",
    VetInputErrorReason.PRICE_UNREADABLE: "err-vet-price-unreadable",
    VetInputErrorReason.PRICE_OUT_OF_RANGE: "err-vet-price-out-of-range",
    VetInputErrorReason.BIO_TOO_LONG: "err-vet-bio-too-long",
    VetInputErrorReason.TIME_ZONE_UNKNOWN: "err-vet-zone-unknown",
    VetInputErrorReason.HOURS_UNREADABLE: "err-vet-hours-unreadable",
    VetInputErrorReason.MINUTES_UNREADABLE: "err-vet-minutes-unreadable",
    VetInputErrorReason.DATE_UNREADABLE: "err-vet-date-unreadable",
    VetInputErrorReason.DATE_IN_PAST: "err-vet-date-in-past",
}
SCHEDULE_ERRORS: Final[dict[ScheduleInputErrorReason, str]] = {
    ScheduleInputErrorReason.WEEKDAY: "err-vet-schedule-weekday",
    ScheduleInputErrorReason.WINDOW_EMPTY: "err-vet-schedule-window-empty",
    ScheduleInputErrorReason.WINDOWS_OVERLAP: "err-vet-schedule-windows-overlap",
    ScheduleInputErrorReason.WINDOW_TOO_SHORT: "err-vet-schedule-window-too-short",
    ScheduleInputErrorReason.CONSULTATION_LENGTH: "err-vet-schedule-consultation-length",
    ScheduleInputErrorReason.BUFFER_LENGTH: "err-vet-schedule-buffer-length",
    ScheduleInputErrorReason.EXCEPTION_EMPTY: "err-vet-schedule-exception-empty",
    ScheduleInputErrorReason.EXCEPTION_IN_PAST: "err-vet-schedule-exception-in-past",
    ScheduleInputErrorReason.EXCEPTION_TOO_LONG: "err-vet-schedule-exception-too-long",
}


async def notify_vet_input_error(manager: DialogManager, error: VetInputError) -> None:
    # Logged once here, without the text itself: the reason says enough.
    logger.info("vet input refused: %s", error.reason.value)
    await notify(manager, VET_INPUT_ERRORS[error.reason], limit=error.limit or 0)


async def notify_schedule_error(manager: DialogManager, error: ScheduleInputError) -> None:
    logger.info("schedule input refused: %s", error.reason.value)
    await notify(manager, SCHEDULE_ERRORS[error.reason])
