from __future__ import annotations

import operator

from aiogram import F
from aiogram.enums import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Cancel, Column, RequestLocation, Select
from aiogram_dialog.widgets.markup.reply_keyboard import ReplyKeyboardFactory
from aiogram_dialog.widgets.text import Multi

from dialogs.free_text.getters import get_emergency, get_offer, get_pets
from dialogs.free_text.handlers import (
    on_city,
    on_location,
    on_not_my_pet,
    on_pet_selected,
    on_start,
    on_start_check,
)
from dialogs.free_text.state import ID_PETS
from dialogs.states import FreeTextSG
from dialogs.widgets.hints import unexpected_input_hint
from dialogs.widgets.i18n import ButtonLabel, I18nFormat

ID_NOT_MY_PET = "free_not_my_pet"
ID_BACK = "free_back"
ID_SHARE_LOCATION = "free_share_location"
ID_START_CHECK = "free_start_check"

pet_window = Window(
    I18nFormat("msg-free-emergency-pet"),
    Column(
        Select(
            ButtonLabel("🐾 {item[0]}"),
            id=ID_PETS,
            item_id_getter=operator.itemgetter(1),
            items="pets",
            on_click=on_pet_selected,  # type: ignore[arg-type]  # dishka picks the 3-arg overload
        )
    ),
    Button(I18nFormat("btn-free-not-my-pet"), id=ID_NOT_MY_PET, on_click=on_not_my_pet),
    Cancel(I18nFormat("btn-back"), id=ID_BACK),
    unexpected_input_hint(),
    getter=get_pets,
    state=FreeTextSG.PET,
)

# The general emergency card: a reply keyboard, since only one can ask for a location in a tap.
no_pet_window = Window(
    Multi(
        I18nFormat("msg-free-emergency-generic"),
        I18nFormat("msg-result-todo-high"),
        I18nFormat("msg-result-toxin", when="has_toxin"),
        I18nFormat("msg-result-share-location"),
        I18nFormat("msg-result-disclaimer"),
        sep="\n\n",
    ),
    RequestLocation(I18nFormat("btn-share-location")),
    Cancel(I18nFormat("btn-back"), id=ID_BACK),
    MessageInput(on_location, content_types=ContentType.LOCATION),
    MessageInput(on_city, content_types=ContentType.TEXT),
    unexpected_input_hint("err-send-location-or-city"),
    markup_factory=ReplyKeyboardFactory(resize_keyboard=True, one_time_keyboard=False),
    getter=get_emergency,
    state=FreeTextSG.NO_PET,
)

offer_window = Window(
    Multi(
        I18nFormat("msg-free-offer-check", when="has_signs"),
        I18nFormat("msg-free-offer-check-unsure", when=~F["has_signs"]),
        sep="\n\n",
    ),
    Button(I18nFormat("btn-free-start-check"), id=ID_START_CHECK, on_click=on_start_check),
    Cancel(I18nFormat("btn-back"), id=ID_BACK),
    unexpected_input_hint(),
    getter=get_offer,
    state=FreeTextSG.OFFER,
)


def build_free_text_dialog() -> Dialog:
    return Dialog(pet_window, no_pet_window, offer_window, on_start=on_start)
