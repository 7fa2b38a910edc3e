"""Getters of the vet profile form: labels for the choices and the summary; they never write."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from aiogram_dialog import DialogManager
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.booking_errors import NotAVetError
from core.enums import Species
from core.interactors.vets import GetMyVetProfile
from core.markup import Markup
from core.vet_input import VET_LANGUAGES
from dialogs.vet_onboarding.handlers import (
    ID_LANGUAGES,
    ID_SPECIES,
    KEY_BIO,
    KEY_NAME,
    KEY_PHOTO_FILE_ID,
    KEY_PRICE,
    KEY_SPECIALISATIONS,
    KEY_TIME_ZONE,
    KEY_YEARS,
    checked,
)
from dialogs.widgets.events import telegram_id_of
from dialogs.widgets.i18n import i18n_from
from dialogs.widgets.labels import SPECIES_LABELS, VET_LANGUAGE_LABELS

KEY_STEP = "step"
KEY_TOTAL = "total"
KEY_SPECIES_ITEMS = "species_items"  # [(label, value)]
KEY_LANGUAGE_ITEMS = "language_items"
TOTAL_STEPS = 9
KEY_ZONES = "zones"  # [(zone, zone)]
KEY_CURRENT_ZONE = "current_zone"
# Offered as buttons; any other IANA name can be typed.
ZONE_PRESETS = (
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Novosibirsk",
    "Asia/Vladivostok",
    "Europe/London",
    "Europe/Berlin",
)


def step(number: int) -> Callable[..., Coroutine[Any, Any, dict[str, Any]]]:
    async def get_step(**_: Any) -> dict[str, Any]:
        return {KEY_STEP: number, KEY_TOTAL: TOTAL_STEPS}

    return get_step


async def _current_zone(manager: DialogManager, get_profile: GetMyVetProfile) -> str:
    try:
        return (await get_profile(telegram_id_of(manager))).time_zone
    except NotAVetError:
        return ""


@inject
async def get_zone(
    dialog_manager: DialogManager, get_my_vet_profile: FromDishka[GetMyVetProfile], **_: Any
) -> dict[str, Any]:
    return {
        KEY_STEP: 8,
        KEY_TOTAL: TOTAL_STEPS,
        KEY_CURRENT_ZONE: await _current_zone(dialog_manager, get_my_vet_profile),
        KEY_ZONES: [(name, name) for name in ZONE_PRESETS],
    }


async def get_choices(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_from(dialog_manager)
    return {
        KEY_SPECIES_ITEMS: [(i18n.get(SPECIES_LABELS[s]), s.value) for s in Species],
        KEY_LANGUAGE_ITEMS: [
            (i18n.get(VET_LANGUAGE_LABELS[code]), code) for code in sorted(VET_LANGUAGES)
        ],
    }


@inject
async def get_summary(
    dialog_manager: DialogManager, get_my_vet_profile: FromDishka[GetMyVetProfile], **_: Any
) -> dict[str, Any]:
    i18n = i18n_from(dialog_manager)
    data = dialog_manager.dialog_data
    species = [Species(s) for s in checked(dialog_manager, ID_SPECIES) if s in set(Species)]
    languages = [c for c in checked(dialog_manager, ID_LANGUAGES) if c in VET_LANGUAGE_LABELS]
    return {
        "name": str(data.get(KEY_NAME, "")),
        "specialisations": str(data.get(KEY_SPECIALISATIONS, "")),
        "species": Markup(", ").join(i18n.get(SPECIES_LABELS[s]) for s in species),
        "languages": Markup(", ").join(
            i18n.get(VET_LANGUAGE_LABELS[c]) for c in sorted(languages)
        ),
        "years": str(data.get(KEY_YEARS, "")),
        "price": str(data.get(KEY_PRICE, "")),
        "bio": str(data.get(KEY_BIO) or i18n.get("lbl-vet-no-bio")),
        "zone": data.get(KEY_TIME_ZONE) or await _current_zone(dialog_manager, get_my_vet_profile),
        "photo": i18n.get(
            "lbl-vet-photo-yes" if data.get(KEY_PHOTO_FILE_ID) else "lbl-vet-photo-no"
        ),
    }
