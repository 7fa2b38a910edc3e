"""The entry form (RecordFormSG): choose a kind, then answer its steps (see `FORM_STEPS`).

Every step has "Back" (the previous step of the kind, the first returns to the kinds) and
"Cancel" (leaves the form, nothing saved); optional steps have "Skip". Started like an earlier
entry (dialogs.navigation.start_record_form), it opens on the kind's first step with the earlier
product offered under "The same" — typing another name replaces it.
"""

from __future__ import annotations

from typing import Any

from aiogram.enums import ContentType
from aiogram.fsm.state import State
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Cancel, Group, Row
from aiogram_dialog.widgets.text import Multi

from core.interactors.records import MANUAL_KINDS
from core.medication_times import COMMON_PATTERNS
from dialogs.records.common import KIND_LABELS
from dialogs.records.form_handlers import (
    DUE_PERIODS,
    ID_DUE_PREFIX,
    ID_KIND_PREFIX,
    ID_SKIP_PREFIX,
    ID_TIMES_PREFIX,
    on_batch_entered,
    on_course_end_entered,
    on_date_entered,
    on_dose_entered,
    on_dose_times_chosen,
    on_dose_times_entered,
    on_file,
    on_form_back,
    on_form_cancel,
    on_form_start,
    on_kind_chosen,
    on_next_due_chosen,
    on_next_due_entered,
    on_note_entered,
    on_same_title,
    on_schedule_entered,
    on_skip,
    on_title_entered,
    on_today,
    on_weight_entered,
)
from dialogs.records.getters import KEY_FOUND, KEY_HAS_SUGGESTION, KEY_NOT_FOUND, get_form
from dialogs.states import RecordFormSG
from dialogs.widgets.hints import unexpected_input_hint
from dialogs.widgets.i18n import I18nFormat

ID_FORM_BACK = "record_form_back"
ID_FORM_CANCEL = "record_form_cancel"
ID_KINDS_BACK = "record_kinds_back"
ID_TODAY = "record_today"
ID_SAME_TITLE = "record_same_title"

KEY_TEXT_EXPECTED = "err-record-text-expected"
KEY_FILE_EXPECTED = "err-record-file-expected"

DUE_BUTTONS = {
    "month": "btn-record-due-month",
    "quarter": "btn-record-due-quarter",
    "year": "btn-record-due-year",
}
assert set(DUE_BUTTONS) == set(DUE_PERIODS), "every quick period has a button"
TIMES_BUTTONS = {
    "once": "btn-record-times-once",
    "twice": "btn-record-times-twice",
    "thrice": "btn-record-times-thrice",
}
assert set(TIMES_BUTTONS) == set(COMMON_PATTERNS), "every common pattern has a button"


def _nav() -> Row:
    return Row(
        Button(I18nFormat("btn-back"), id=ID_FORM_BACK, on_click=on_form_back),
        Cancel(I18nFormat("btn-record-form-cancel"), id=ID_FORM_CANCEL, on_click=on_form_cancel),
    )


def _skip(field: str) -> Button:
    return Button(I18nFormat("btn-record-skip"), id=f"{ID_SKIP_PREFIX}{field}", on_click=on_skip)


def _text_input(handler: object) -> list[MessageInput]:
    return [
        MessageInput(handler, content_types=ContentType.TEXT),  # type: ignore[arg-type]
        unexpected_input_hint(KEY_TEXT_EXPECTED),
    ]


def _step(prompt: str, *widgets: Any, state: State) -> Window:
    return Window(
        Multi(I18nFormat("msg-record-form-header"), I18nFormat(prompt), sep="\n\n"),
        *widgets,
        state=state,
    )


kind_window = Window(
    I18nFormat("msg-record-ask-kind", when=KEY_FOUND),
    I18nFormat("err-pet-not-found", when=KEY_NOT_FOUND),
    Group(
        *(
            Button(
                I18nFormat(KIND_LABELS[kind]),
                id=f"{ID_KIND_PREFIX}{kind.value}",
                on_click=on_kind_chosen,
            )
            for kind in MANUAL_KINDS
        ),
        width=2,
        when=KEY_FOUND,
    ),
    Cancel(I18nFormat("btn-back"), id=ID_KINDS_BACK),
    unexpected_input_hint(),
    state=RecordFormSG.KIND,
)

file_window = _step(
    "msg-record-ask-file",
    _nav(),
    MessageInput(on_file, content_types=[ContentType.PHOTO, ContentType.DOCUMENT]),
    unexpected_input_hint(KEY_FILE_EXPECTED),
    state=RecordFormSG.FILE,
)
title_window = Window(
    Multi(
        I18nFormat("msg-record-form-header"),
        I18nFormat("msg-record-ask-title"),
        I18nFormat("msg-record-suggested-title", when=KEY_HAS_SUGGESTION),
        sep="\n\n",
    ),
    Button(
        I18nFormat("btn-record-same-title"),
        id=ID_SAME_TITLE,
        on_click=on_same_title,
        when=KEY_HAS_SUGGESTION,
    ),
    _nav(),
    *_text_input(on_title_entered),
    state=RecordFormSG.TITLE,
)
dose_window = _step(
    "msg-record-ask-dose", _nav(), *_text_input(on_dose_entered), state=RecordFormSG.DOSE
)
schedule_window = _step(
    "msg-record-ask-schedule",
    _nav(),
    *_text_input(on_schedule_entered),
    state=RecordFormSG.SCHEDULE,
)
weight_window = _step(
    "msg-record-ask-weight", _nav(), *_text_input(on_weight_entered), state=RecordFormSG.WEIGHT
)
date_window = _step(
    "msg-record-ask-date",
    Button(I18nFormat("btn-record-today"), id=ID_TODAY, on_click=on_today),
    _nav(),
    *_text_input(on_date_entered),
    state=RecordFormSG.DATE,
)
course_end_window = _step(
    "msg-record-ask-course-end",
    _skip("course_end"),
    _nav(),
    *_text_input(on_course_end_entered),
    state=RecordFormSG.COURSE_END,
)
next_due_window = _step(
    "msg-record-ask-next-due",
    Row(
        *(
            Button(I18nFormat(label), id=f"{ID_DUE_PREFIX}{period}", on_click=on_next_due_chosen)
            for period, label in DUE_BUTTONS.items()
        )
    ),
    _skip("next_due"),
    _nav(),
    *_text_input(on_next_due_entered),
    state=RecordFormSG.NEXT_DUE,
)
note_window = _step(
    "msg-record-ask-note",
    _skip("note"),
    _nav(),
    *_text_input(on_note_entered),
    state=RecordFormSG.NOTE,
)

batch_window = _step(
    "msg-record-ask-batch",
    _skip("batch"),
    _nav(),
    *_text_input(on_batch_entered),
    state=RecordFormSG.BATCH,
)

dose_times_window = _step(
    "msg-record-ask-dose-times",
    Group(
        *(
            Button(I18nFormat(label), id=f"{ID_TIMES_PREFIX}{name}", on_click=on_dose_times_chosen)
            for name, label in TIMES_BUTTONS.items()
        ),
        width=1,
    ),
    Button(
        I18nFormat("btn-record-times-skip"),
        id=f"{ID_SKIP_PREFIX}dose_times",
        on_click=on_skip,
    ),
    _nav(),
    *_text_input(on_dose_times_entered),
    state=RecordFormSG.DOSE_TIMES,
)


def build_record_form_dialog() -> Dialog:
    return Dialog(
        kind_window,
        file_window,
        title_window,
        dose_window,
        schedule_window,
        weight_window,
        date_window,
        course_end_window,
        next_due_window,
        note_window,
        batch_window,
        dose_times_window,
        getter=get_form,
        on_start=on_form_start,
    )
