from __future__ import annotations

import operator

from aiogram import F
from aiogram.enums import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import (
    Button,
    Cancel,
    Column,
    Group,
    Multiselect,
    Row,
    Select,
    SwitchTo,
)

from dialogs.check.getters import (
    KEY_OPTIONS,
    KEY_PICKS,
    get_areas,
    get_ask_back,
    get_pets,
    get_photos,
    get_question,
    get_screen,
    get_signs,
    get_summary,
)
from dialogs.check.handlers import (
    on_area_selected,
    on_as_before,
    on_ask_back_option,
    on_dont_know,
    on_no,
    on_number_text,
    on_pet_selected,
    on_photo,
    on_photos_back,
    on_question_back,
    on_quick_pick,
    on_retype,
    on_screen_done,
    on_signs_done,
    on_start,
    on_submit,
    on_yes,
)
from dialogs.check.state import ID_AREAS, ID_PETS, ID_SCREEN, ID_SIGNS
from dialogs.states import CheckSG
from dialogs.widgets.hints import unexpected_input_hint
from dialogs.widgets.i18n import ButtonLabel, I18nFormat

ID_CANCEL = "check_cancel"
ID_SCREEN_NEXT = "check_screen_next"
ID_SCREEN_BACK = "check_screen_back"
ID_AREA_BACK = "check_area_back"
ID_AREA_NEXT = "check_area_next"
ID_SIGNS_AREAS = "check_signs_areas"
ID_SIGNS_NEXT = "check_signs_next"
ID_YES = "check_yes"
ID_NO = "check_no"
ID_DONT_KNOW = "check_dont_know"
ID_AS_BEFORE = "check_as_before"
ID_QUESTION_BACK = "check_question_back"
ID_PHOTOS_BACK = "check_photos_back"
ID_PHOTOS_NEXT = "check_photos_next"
ID_SUMMARY_BACK = "check_summary_back"
ID_SUBMIT = "check_submit"
ID_QUICK_PICKS = "check_quick_picks"
ID_ASK_OPTIONS = "check_ask_options"
ID_RETYPE = "check_retype"

CHECKED = "✅ {item[0]}"
UNCHECKED = "▫️ {item[0]}"


def _cancel() -> Cancel:
    return Cancel(I18nFormat("btn-check-cancel"), id=ID_CANCEL)


pet_window = Window(
    I18nFormat("msg-check-pet", when="has_pets"),
    I18nFormat("msg-check-no-pets", when="no_pets"),
    Column(
        Select(
            ButtonLabel("🐾 {item[0]}"),
            id=ID_PETS,
            item_id_getter=operator.itemgetter(1),
            items="pets",
            type_factory=int,
            on_click=on_pet_selected,
        )
    ),
    _cancel(),
    unexpected_input_hint(),
    getter=get_pets,
    state=CheckSG.PET,
)

emergency_window = Window(
    I18nFormat("msg-check-emergency"),
    Column(
        Multiselect(
            ButtonLabel(CHECKED),
            ButtonLabel(UNCHECKED),
            id=ID_SCREEN,
            item_id_getter=operator.itemgetter(1),
            items="screen_items",
        )
    ),
    Button(
        I18nFormat("btn-check-emergency-go"),
        id=ID_SCREEN_NEXT,
        on_click=on_screen_done,
        when="any_checked",
    ),
    Button(
        I18nFormat("btn-check-none-of-these"),
        id=f"{ID_SCREEN_NEXT}_none",
        on_click=on_screen_done,
        when=~F["any_checked"],
    ),
    Row(SwitchTo(I18nFormat("btn-back"), id=ID_SCREEN_BACK, state=CheckSG.PET), _cancel()),
    unexpected_input_hint(),
    getter=get_screen,
    state=CheckSG.EMERGENCY,
)

area_window = Window(
    I18nFormat("msg-check-area"),
    I18nFormat("msg-check-chosen", when="chosen_count"),
    Column(
        Select(
            ButtonLabel("{item[0]}"),
            id=ID_AREAS,
            item_id_getter=operator.itemgetter(1),
            items="areas",
            on_click=on_area_selected,
        )
    ),
    Button(
        I18nFormat("btn-continue"), id=ID_AREA_NEXT, on_click=on_signs_done, when="chosen_count"
    ),
    Row(SwitchTo(I18nFormat("btn-back"), id=ID_AREA_BACK, state=CheckSG.EMERGENCY), _cancel()),
    unexpected_input_hint(),
    getter=get_areas,
    state=CheckSG.AREA,
)

signs_window = Window(
    I18nFormat("msg-check-signs"),
    Column(
        Multiselect(
            ButtonLabel(CHECKED),
            ButtonLabel(UNCHECKED),
            id=ID_SIGNS,
            item_id_getter=operator.itemgetter(1),
            items="signs",
        )
    ),
    Row(
        SwitchTo(I18nFormat("btn-check-other-areas"), id=ID_SIGNS_AREAS, state=CheckSG.AREA),
        Button(I18nFormat("btn-continue"), id=ID_SIGNS_NEXT, on_click=on_signs_done),
    ),
    unexpected_input_hint(),
    getter=get_signs,
    state=CheckSG.SIGNS,
)

question_window = Window(
    I18nFormat("msg-check-question"),
    I18nFormat("msg-check-type-number", when="is_number"),
    Group(
        Select(
            ButtonLabel("{item[0]}"),
            id=ID_QUICK_PICKS,
            item_id_getter=operator.itemgetter(1),
            items=KEY_PICKS,
            on_click=on_quick_pick,  # type: ignore[arg-type]  # dishka picks the 3-arg overload
        ),
        width=2,
        when="is_number",
    ),
    Row(
        Button(I18nFormat("btn-yes"), id=ID_YES, on_click=on_yes),
        Button(I18nFormat("btn-no"), id=ID_NO, on_click=on_no),
        when="is_bool",
    ),
    Button(
        I18nFormat("btn-check-as-before"),
        id=ID_AS_BEFORE,
        on_click=on_as_before,
        when="has_earlier",
    ),
    Button(I18nFormat("btn-check-dont-know"), id=ID_DONT_KNOW, on_click=on_dont_know),
    Row(Button(I18nFormat("btn-back"), id=ID_QUESTION_BACK, on_click=on_question_back), _cancel()),
    MessageInput(on_number_text, content_types=ContentType.TEXT),
    unexpected_input_hint("err-check-type-number"),
    getter=get_question,
    state=CheckSG.QUESTION,
)

ask_back_window = Window(
    I18nFormat("msg-check-question"),
    I18nFormat("msg-check-ask-back"),
    Column(
        Select(
            ButtonLabel("{item[0]}"),
            id=ID_ASK_OPTIONS,
            item_id_getter=operator.itemgetter(1),
            items=KEY_OPTIONS,
            on_click=on_ask_back_option,
        )
    ),
    Row(Button(I18nFormat("btn-check-retype"), id=ID_RETYPE, on_click=on_retype), _cancel()),
    # Typing again is an answer too: the same reading applies.
    MessageInput(on_number_text, content_types=ContentType.TEXT),
    unexpected_input_hint(),
    getter=get_ask_back,
    state=CheckSG.ASK_BACK,
)

photos_window = Window(
    I18nFormat("msg-check-photos"),
    MessageInput(on_photo, content_types=[ContentType.PHOTO, ContentType.DOCUMENT]),
    Row(
        Button(I18nFormat("btn-back"), id=ID_PHOTOS_BACK, on_click=on_photos_back),
        SwitchTo(
            I18nFormat("btn-check-skip-photos"),
            id=f"{ID_PHOTOS_NEXT}_skip",
            state=CheckSG.SUMMARY,
            when="no_photos",
        ),
        SwitchTo(
            I18nFormat("btn-continue"), id=ID_PHOTOS_NEXT, state=CheckSG.SUMMARY, when="has_photos"
        ),
    ),
    unexpected_input_hint("err-check-send-photo"),
    getter=get_photos,
    state=CheckSG.PHOTOS,
)

summary_window = Window(
    I18nFormat("msg-check-summary"),
    I18nFormat("msg-check-reason", when="has_reason"),
    Button(I18nFormat("btn-check-submit"), id=ID_SUBMIT, on_click=on_submit),
    Row(SwitchTo(I18nFormat("btn-back"), id=ID_SUMMARY_BACK, state=CheckSG.PHOTOS), _cancel()),
    unexpected_input_hint(),
    getter=get_summary,
    state=CheckSG.SUMMARY,
)


def build_check_dialog() -> Dialog:
    return Dialog(
        pet_window,
        emergency_window,
        area_window,
        signs_window,
        question_window,
        ask_back_window,
        photos_window,
        summary_window,
        on_start=on_start,
    )
