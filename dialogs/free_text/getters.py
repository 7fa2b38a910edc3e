from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.interactors.pets import ListMyPets
from core.markup import Markup
from dialogs.free_text.state import KEY_ITEMS, KEY_SIGNS, KEY_TOXIN, start_value
from dialogs.widgets.i18n import i18n_from
from dialogs.widgets.triage_labels import sign_label

KEY_PETS = "pets"
KEY_HAS_TOXIN = "has_toxin"
KEY_SIGNS_TEXT = "signs_text"


@inject
async def get_pets(
    dialog_manager: DialogManager, pets: FromDishka[ListMyPets], **_: Any
) -> dict[str, Any]:
    sender = dialog_manager.middleware_data["event_from_user"]
    return {KEY_PETS: [(item.pet.name, item.pet.id) for item in await pets(sender.id)]}


async def get_emergency(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    return {KEY_HAS_TOXIN: bool(start_value(dialog_manager, KEY_TOXIN))}


async def get_offer(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_from(dialog_manager)
    signs = list(start_value(dialog_manager, KEY_SIGNS) or [])
    return {
        KEY_SIGNS_TEXT: Markup(", ").join(i18n.get(sign_label(sign)) for sign in signs),
        "has_signs": bool(signs),
        "had_emergency": bool(start_value(dialog_manager, KEY_ITEMS)),
    }
