from __future__ import annotations

from typing import Any

from aiogram.types import User as TelegramUser
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.answer_reading import quick_picks
from core.check_questions import PROBLEM_AREAS, area, screen_for, signs_of_area
from core.interactors.pets import GetPetCard, ListMyPets
from core.markup import Markup
from core.triage import RuleSet
from dialogs.check.answers import pick_label, value_text
from dialogs.check.state import (
    ID_SCREEN,
    ID_SIGNS,
    KEY_AREA,
    KEY_ASK_OPTIONS,
    KEY_ASK_TEXT,
    KEY_DETAILS,
    KEY_EARLIER,
    KEY_PET,
    KEY_PHOTOS,
    KEY_QUEUE,
    KEY_REASON,
    KEY_SHOWN,
    MAX_PHOTOS,
)
from dialogs.widgets.i18n import i18n_from
from dialogs.widgets.triage_labels import area_label, detail_question, screen_label, sign_label

KEY_PICKS = "picks"
KEY_OPTIONS = "options"


def _sender_id(manager: DialogManager) -> int:
    sender: TelegramUser = manager.middleware_data["event_from_user"]
    return sender.id


@inject
async def get_pets(
    dialog_manager: DialogManager, list_pets: FromDishka[ListMyPets], **_: Any
) -> dict[str, Any]:
    pets = await list_pets(_sender_id(dialog_manager))
    return {
        "pets": [(item.pet.name, item.pet.id) for item in pets],
        "has_pets": bool(pets),
        "no_pets": not pets,
    }


@inject
async def get_screen(
    dialog_manager: DialogManager, get_card: FromDishka[GetPetCard], **_: Any
) -> dict[str, Any]:
    i18n = i18n_from(dialog_manager)
    card = await get_card(_sender_id(dialog_manager), dialog_manager.dialog_data[KEY_PET])
    items = screen_for(card.pet.species, card.pet.sex)
    return {
        "pet_name": card.pet.name,
        "screen_items": [(i18n.get(screen_label(item.id)), item.id) for item in items],
        "any_checked": bool(dialog_manager.find(ID_SCREEN).get_checked()),  # type: ignore[union-attr]
    }


async def get_areas(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_from(dialog_manager)
    chosen = dialog_manager.find(ID_SIGNS).get_checked()  # type: ignore[union-attr]
    return {
        "areas": [(i18n.get(area_label(item.id)), item.id) for item in PROBLEM_AREAS],
        "chosen_count": len(chosen),
        "chosen_text": Markup(", ").join(i18n.get(sign_label(sign)) for sign in chosen),
    }


@inject
async def get_signs(
    dialog_manager: DialogManager, get_card: FromDishka[GetPetCard], **_: Any
) -> dict[str, Any]:
    i18n = i18n_from(dialog_manager)
    card = await get_card(_sender_id(dialog_manager), dialog_manager.dialog_data[KEY_PET])
    chosen_area = area(dialog_manager.dialog_data.get(KEY_AREA, ""))
    signs = signs_of_area(chosen_area, card.pet.species) if chosen_area else ()
    return {
        "area_name": i18n.get(area_label(chosen_area.id)) if chosen_area else "",
        "signs": [(i18n.get(sign_label(sign)), sign) for sign in signs],
    }


@inject
async def get_question(
    dialog_manager: DialogManager, rules: FromDishka[RuleSet], **_: Any
) -> dict[str, Any]:
    queue: list[str] = dialog_manager.dialog_data.get(KEY_QUEUE, [])
    detail = queue[0] if queue else ""
    kind = rules.details.get(detail, "number")
    i18n = i18n_from(dialog_manager)
    picks = quick_picks(detail, rules) if detail and kind != "bool" else ()
    earlier: dict[str, Any] = dialog_data_earlier(dialog_manager)
    return {
        "question": i18n.get(detail_question(detail)) if detail else "",
        # A re-check: the answer given last time, one tap to give it again.
        "has_earlier": detail in earlier,
        "earlier": shown_answer(i18n, detail, earlier[detail]) if detail in earlier else "",
        "is_bool": kind == "bool",
        "is_number": kind != "bool",
        "remaining": len(queue),
        # Typing stays possible; a tap on a range the rules care about is enough.
        KEY_PICKS: [
            (pick_label(i18n, detail, pick), str(index)) for index, pick in enumerate(picks)
        ],
    }


def dialog_data_earlier(manager: DialogManager) -> dict[str, Any]:
    earlier = manager.dialog_data.get(KEY_EARLIER)
    return earlier if isinstance(earlier, dict) else {}


def shown_answer(i18n: I18nContext, detail: str, value: Any) -> str:
    """An answer as the summary shows it: "yes", "48 h"."""
    if isinstance(value, bool):
        return i18n.get("lbl-yes" if value else "lbl-no")
    if isinstance(value, int | float):
        return value_text(i18n, detail, value)
    return str(value)


async def get_ask_back(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_from(dialog_manager)
    queue: list[str] = dialog_manager.dialog_data.get(KEY_QUEUE, [])
    detail = queue[0] if queue else ""
    options: list[float] = dialog_manager.dialog_data.get(KEY_ASK_OPTIONS, [])
    return {
        "question": i18n.get(detail_question(detail)) if detail else "",
        "answer": dialog_manager.dialog_data.get(KEY_ASK_TEXT, ""),
        KEY_OPTIONS: [
            (value_text(i18n, detail, value), str(index)) for index, value in enumerate(options)
        ]
        if detail
        else [],
    }


async def get_photos(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    photos = dialog_manager.dialog_data.get(KEY_PHOTOS, [])
    return {
        "photo_count": len(photos),
        "max_photos": MAX_PHOTOS,
        "has_photos": bool(photos),
        "no_photos": not photos,
        "can_add": len(photos) < MAX_PHOTOS,
    }


@inject
async def get_summary(
    dialog_manager: DialogManager, get_card: FromDishka[GetPetCard], **_: Any
) -> dict[str, Any]:
    i18n = i18n_from(dialog_manager)
    card = await get_card(_sender_id(dialog_manager), dialog_manager.dialog_data[KEY_PET])
    signs = dialog_manager.find(ID_SIGNS).get_checked()  # type: ignore[union-attr]
    details: dict[str, Any] = dialog_manager.dialog_data.get(KEY_DETAILS, {})
    reason: str = dialog_manager.dialog_data.get(KEY_REASON, "")
    shown_as: dict[str, str] = dialog_manager.dialog_data.get(KEY_SHOWN, {})
    answer_lines = []
    for detail, value in details.items():
        if isinstance(value, bool):
            shown = i18n.get("lbl-yes" if value else "lbl-no")
        else:
            shown = shown_as.get(detail) or value_text(i18n, detail, value)
        answer_lines.append(Markup("• {} — {}").format(i18n.get(detail_question(detail)), shown))
    return {
        "pet_name": card.pet.name,
        "signs_text": Markup("\n").join(
            Markup("• {}").format(i18n.get(sign_label(sign))) for sign in signs
        ),
        "answers_text": Markup("\n").join(answer_lines) or "—",
        "photo_count": len(dialog_manager.dialog_data.get(KEY_PHOTOS, [])),
        "has_reason": bool(reason),
        "reason": reason,
    }
