"""/schedule (VetScheduleSG): the overview, then one editor per change; Back everywhere."""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from aiogram.enums import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Cancel, Column, Group, Select, SwitchTo

from dialogs.states import VetScheduleSG
from dialogs.vet_schedule.getters import (
    KEY_CONFLICT_ITEMS,
    KEY_EXCEPTIONS,
    KEY_FOUND,
    KEY_HAS_EXCEPTIONS,
    KEY_NOT_FOUND,
    KEY_UNVERIFIED,
    KEY_WEEKDAYS,
    get_buffer_bounds,
    get_cancelling,
    get_length_bounds,
    get_schedule,
)
from dialogs.vet_schedule.handlers import (
    ID_REASON_EMERGENCY,
    ID_REASON_ILL,
    ID_REASON_SCHEDULE,
    on_buffer,
    on_cancel_conflict,
    on_cancel_reason_chosen,
    on_cancel_reason_typed,
    on_day_off,
    on_day_selected,
    on_exception_selected,
    on_extra,
    on_hours,
    on_length,
)
from dialogs.widgets.hints import unexpected_input_hint
from dialogs.widgets.i18n import ButtonLabel, I18nFormat

ID_CLOSE = "schedule_close"
ID_TO_MAIN = "schedule_back"
ID_EDIT_DAY = "schedule_edit_day"
ID_EDIT_LENGTH = "schedule_edit_length"
ID_EDIT_BUFFER = "schedule_edit_buffer"
ID_ADD_DAY_OFF = "schedule_add_day_off"
ID_ADD_EXTRA = "schedule_add_extra"
ID_REMOVE = "schedule_remove"
ID_WEEKDAYS = "schedule_weekdays"
ID_EXCEPTIONS = "schedule_exceptions"
ID_CONFLICTS = "schedule_conflicts"
ID_KEEP = "schedule_keep"
ID_CANCEL_BACK = "schedule_cancel_back"
KEY_TEXT_EXPECTED = "err-vet-text-expected"


def _back_to_main() -> SwitchTo:
    return SwitchTo(I18nFormat("btn-back"), id=ID_TO_MAIN, state=VetScheduleSG.MAIN)


def _text_input(handler: Any) -> list[MessageInput]:
    return [
        MessageInput(handler, content_types=ContentType.TEXT),
        unexpected_input_hint(KEY_TEXT_EXPECTED),
    ]


main_window = Window(
    I18nFormat("msg-vet-schedule", when=KEY_FOUND),
    I18nFormat("msg-vet-schedule-unverified", when=KEY_UNVERIFIED),
    I18nFormat("err-vet-only", when=KEY_NOT_FOUND),
    Column(
        SwitchTo(
            I18nFormat("btn-vet-edit-day"), id=ID_EDIT_DAY, state=VetScheduleSG.DAY, when=KEY_FOUND
        ),
        SwitchTo(
            I18nFormat("btn-vet-edit-length"),
            id=ID_EDIT_LENGTH,
            state=VetScheduleSG.LENGTH,
            when=KEY_FOUND,
        ),
        SwitchTo(
            I18nFormat("btn-vet-edit-buffer"),
            id=ID_EDIT_BUFFER,
            state=VetScheduleSG.BUFFER,
            when=KEY_FOUND,
        ),
        SwitchTo(
            I18nFormat("btn-vet-add-day-off"),
            id=ID_ADD_DAY_OFF,
            state=VetScheduleSG.DAY_OFF,
            when=KEY_FOUND,
        ),
        SwitchTo(
            I18nFormat("btn-vet-add-extra"),
            id=ID_ADD_EXTRA,
            state=VetScheduleSG.EXTRA,
            when=KEY_FOUND,
        ),
        SwitchTo(
            I18nFormat("btn-vet-remove-exception"),
            id=ID_REMOVE,
            state=VetScheduleSG.REMOVE,
            when=KEY_HAS_EXCEPTIONS,
        ),
    ),
    Cancel(I18nFormat("btn-back"), id=ID_CLOSE),
    unexpected_input_hint(),
    state=VetScheduleSG.MAIN,
)

day_window = Window(
    I18nFormat("msg-vet-choose-day"),
    Group(
        Select(
            ButtonLabel("{item[0]}"),
            id=ID_WEEKDAYS,
            item_id_getter=itemgetter(1),
            items=KEY_WEEKDAYS,
            on_click=on_day_selected,
        ),
        width=2,
    ),
    _back_to_main(),
    unexpected_input_hint(),
    state=VetScheduleSG.DAY,
)

hours_window = Window(
    I18nFormat("msg-vet-ask-hours"),
    SwitchTo(I18nFormat("btn-back"), id="schedule_hours_back", state=VetScheduleSG.DAY),
    *_text_input(on_hours),
    state=VetScheduleSG.HOURS,
)

length_window = Window(
    I18nFormat("msg-vet-ask-length"),
    _back_to_main(),
    *_text_input(on_length),
    getter=get_length_bounds,
    state=VetScheduleSG.LENGTH,
)

buffer_window = Window(
    I18nFormat("msg-vet-ask-buffer"),
    _back_to_main(),
    *_text_input(on_buffer),
    getter=get_buffer_bounds,
    state=VetScheduleSG.BUFFER,
)

day_off_window = Window(
    I18nFormat("msg-vet-ask-day-off"),
    _back_to_main(),
    *_text_input(on_day_off),
    state=VetScheduleSG.DAY_OFF,
)

extra_window = Window(
    I18nFormat("msg-vet-ask-extra"),
    _back_to_main(),
    *_text_input(on_extra),
    state=VetScheduleSG.EXTRA,
)

remove_window = Window(
    I18nFormat("msg-vet-choose-exception"),
    Column(
        Select(
            ButtonLabel("{item[0]}"),
            id=ID_EXCEPTIONS,
            item_id_getter=itemgetter(1),
            items=KEY_EXCEPTIONS,
            on_click=on_exception_selected,  # type: ignore[arg-type]  # dishka's 3-arg overload
        ),
    ),
    _back_to_main(),
    unexpected_input_hint(),
    state=VetScheduleSG.REMOVE,
)

conflicts_window = Window(
    I18nFormat("msg-vet-conflicts"),
    Column(
        Select(
            ButtonLabel("❌ {item[0]}"),
            id=ID_CONFLICTS,
            item_id_getter=itemgetter(1),
            items=KEY_CONFLICT_ITEMS,
            on_click=on_cancel_conflict,
        ),
    ),
    SwitchTo(I18nFormat("btn-vet-keep-appointments"), id=ID_KEEP, state=VetScheduleSG.MAIN),
    unexpected_input_hint(),
    state=VetScheduleSG.CONFLICTS,
)

# Cancelling a paid consultation is confirmed with a reason the owner reads (a full refund).
cancel_reason_window = Window(
    I18nFormat("msg-money-vet-cancel-ask"),
    Column(
        Button(
            I18nFormat("btn-money-vet-reason-ill"),
            id=ID_REASON_ILL,
            on_click=on_cancel_reason_chosen,
        ),
        Button(
            I18nFormat("btn-money-vet-reason-emergency"),
            id=ID_REASON_EMERGENCY,
            on_click=on_cancel_reason_chosen,
        ),
        Button(
            I18nFormat("btn-money-vet-reason-schedule"),
            id=ID_REASON_SCHEDULE,
            on_click=on_cancel_reason_chosen,
        ),
    ),
    SwitchTo(I18nFormat("btn-back"), id=ID_CANCEL_BACK, state=VetScheduleSG.CONFLICTS),
    MessageInput(on_cancel_reason_typed, content_types=ContentType.TEXT),
    unexpected_input_hint(),
    getter=get_cancelling,
    state=VetScheduleSG.CANCEL_REASON,
)


def build_vet_schedule_dialog() -> Dialog:
    return Dialog(
        main_window,
        day_window,
        hours_window,
        length_window,
        buffer_window,
        day_off_window,
        extra_window,
        remove_window,
        conflicts_window,
        cancel_reason_window,
        getter=get_schedule,
    )
