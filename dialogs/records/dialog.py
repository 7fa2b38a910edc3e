"""The medical card (RecordsSG): the pet, its entries page by page, a filter, one entry, the
weight trend. Adding an entry is the form in `dialogs.records.form` (RecordFormSG)."""

from __future__ import annotations

from operator import itemgetter

from aiogram_dialog import Dialog, StartMode, Window
from aiogram_dialog.widgets.kbd import (
    Button,
    Cancel,
    Column,
    Group,
    Multiselect,
    Row,
    Select,
    Start,
    SwitchTo,
)
from aiogram_dialog.widgets.text import Multi

from dialogs.records.form import build_record_form_dialog
from dialogs.records.getters import (
    ID_FILTER,
    KEY_BACK_CLOSES,
    KEY_BACK_HOME,
    KEY_BACK_TO_PICKER,
    KEY_BATCH,
    KEY_CAN_DELETE,
    KEY_CAN_EDIT,
    KEY_COURSE_END,
    KEY_COURSE_ONGOING,
    KEY_DOSE,
    KEY_DOSE_TIMES,
    KEY_DUE_AHEAD,
    KEY_EMPTY,
    KEY_EMPTY_FILTERED,
    KEY_ENTRIES,
    KEY_FILTERED,
    KEY_FOUND,
    KEY_HAS_ANY,
    KEY_HAS_CHANGE,
    KEY_HAS_DUE,
    KEY_HAS_FILE,
    KEY_HAS_NEXT,
    KEY_HAS_PETS,
    KEY_HAS_POINTS,
    KEY_HAS_PREV,
    KEY_HAS_WEIGHTS,
    KEY_IS_TRIAGE,
    KEY_KINDS,
    KEY_NO_PETS,
    KEY_NO_POINTS,
    KEY_NOT_FOUND,
    KEY_NOTE,
    KEY_OVERDUE,
    KEY_PAGED,
    KEY_PETS,
    KEY_REPORT_TEXT,
    KEY_SCHEDULE,
    get_card,
    get_filter,
    get_pets,
    get_record,
    get_weights,
)
from dialogs.records.handlers import (
    ID_PAGE_NEWER,
    ID_PAGE_OLDER,
    on_add,
    on_card_start,
    on_delete,
    on_filter_apply,
    on_filter_clear,
    on_form_result,
    on_open_result,
    on_page,
    on_pet_selected,
    on_record_selected,
    on_send_file,
)
from dialogs.states import MainMenuSG, PetsSG, RecordsSG
from dialogs.widgets.hints import unexpected_input_hint
from dialogs.widgets.i18n import ButtonLabel, I18nFormat

ID_PETS = "records_pets"
ID_PETS_HOME = "records_pets_home"
ID_PETS_BACK = "records_pets_back"
ID_OPEN_PETS = "records_open_pets"
ID_RECORDS = "records"
ID_ADD = "records_add"
ID_OPEN_FILTER = "records_open_filter"
ID_OPEN_WEIGHTS = "records_weights"
ID_CARD_TO_PICKER = "records_to_picker"
ID_CARD_BACK = "records_back"
ID_CARD_HOME = "records_home"
ID_FILTER_APPLY = "records_filter_apply"
ID_FILTER_CLEAR = "records_filter_clear"
ID_RECORD_RESULT = "record_result"
ID_RECORD_FILE = "record_file"
ID_RECORD_DELETE = "record_delete"
ID_RECORD_BACK = "record_back"
ID_DELETE_CONFIRM = "record_delete_confirm"
ID_DELETE_BACK = "record_delete_back"
ID_WEIGHTS_BACK = "records_weights_back"

CHECKED = "✅ {item[0]}"
UNCHECKED = "▫️ {item[0]}"


def _home(widget_id: str, when: str) -> Start:
    # Not Cancel: a command opens this dialog alone, with nothing below to go back to.
    return Start(
        I18nFormat("btn-main-menu"),
        id=widget_id,
        state=MainMenuSG.MAIN,
        mode=StartMode.RESET_STACK,
        when=when,
    )


pet_window = Window(
    I18nFormat("msg-record-pets", when=KEY_HAS_PETS),
    I18nFormat("msg-record-no-pets", when=KEY_NO_PETS),
    Column(
        Select(
            ButtonLabel("{item[0]}"),
            id=ID_PETS,
            item_id_getter=itemgetter(1),
            items=KEY_PETS,
            on_click=on_pet_selected,  # type: ignore[arg-type]  # dishka picks the 3-arg overload
        )
    ),
    Start(
        I18nFormat("btn-record-open-pets"),
        id=ID_OPEN_PETS,
        state=PetsSG.LIST,
        mode=StartMode.RESET_STACK,
        when=KEY_NO_PETS,
    ),
    Cancel(I18nFormat("btn-back"), id=ID_PETS_BACK, when=KEY_BACK_CLOSES),
    _home(ID_PETS_HOME, KEY_BACK_HOME),
    unexpected_input_hint(),
    getter=get_pets,
    state=RecordsSG.PET,
)

card_window = Window(
    Multi(
        I18nFormat("err-pet-not-found", when=KEY_NOT_FOUND),
        I18nFormat("msg-record-card", when=KEY_FOUND),
        I18nFormat("lbl-record-due", when=KEY_HAS_DUE),
        I18nFormat("lbl-record-filter", when=KEY_FILTERED),
        I18nFormat("msg-record-card-empty", when=KEY_EMPTY),
        I18nFormat("msg-record-card-empty-filtered", when=KEY_EMPTY_FILTERED),
        I18nFormat("lbl-record-page", when=KEY_PAGED),
        sep="\n\n",
    ),
    Column(
        Select(
            ButtonLabel("{item[0]}"),
            id=ID_RECORDS,
            item_id_getter=itemgetter(1),
            items=KEY_ENTRIES,
            on_click=on_record_selected,  # type: ignore[arg-type]  # dishka: 3-arg overload
        )
    ),
    Row(
        Button(
            I18nFormat("btn-record-newer"), id=ID_PAGE_NEWER, on_click=on_page, when=KEY_HAS_PREV
        ),
        Button(
            I18nFormat("btn-record-older"), id=ID_PAGE_OLDER, on_click=on_page, when=KEY_HAS_NEXT
        ),
    ),
    Button(I18nFormat("btn-record-add"), id=ID_ADD, on_click=on_add, when=KEY_CAN_EDIT),
    Row(
        SwitchTo(
            I18nFormat("btn-record-filter"),
            id=ID_OPEN_FILTER,
            state=RecordsSG.FILTER,
            when=KEY_HAS_ANY,
        ),
        SwitchTo(
            I18nFormat("btn-record-weight-trend"),
            id=ID_OPEN_WEIGHTS,
            state=RecordsSG.WEIGHT,
            when=KEY_HAS_WEIGHTS,
        ),
    ),
    SwitchTo(
        I18nFormat("btn-back"), id=ID_CARD_TO_PICKER, state=RecordsSG.PET, when=KEY_BACK_TO_PICKER
    ),
    Cancel(I18nFormat("btn-back"), id=ID_CARD_BACK, when=KEY_BACK_CLOSES),
    _home(ID_CARD_HOME, KEY_BACK_HOME),
    unexpected_input_hint(),
    getter=get_card,
    state=RecordsSG.LIST,
)

filter_window = Window(
    I18nFormat("msg-record-filter"),
    Group(
        Multiselect(
            ButtonLabel(CHECKED),
            ButtonLabel(UNCHECKED),
            id=ID_FILTER,
            item_id_getter=itemgetter(1),
            items=KEY_KINDS,
        ),
        width=2,
    ),
    Row(
        Button(
            I18nFormat("btn-record-filter-apply"), id=ID_FILTER_APPLY, on_click=on_filter_apply
        ),
        Button(
            I18nFormat("btn-record-filter-clear"), id=ID_FILTER_CLEAR, on_click=on_filter_clear
        ),
    ),
    unexpected_input_hint(),
    getter=get_filter,
    state=RecordsSG.FILTER,
)

record_window = Window(
    I18nFormat("err-record-not-found", when=KEY_NOT_FOUND),
    I18nFormat("msg-record-view", when=KEY_FOUND),
    I18nFormat("lbl-record-view-date", when=KEY_FOUND),
    I18nFormat("lbl-record-view-dose", when=KEY_DOSE),
    I18nFormat("lbl-record-view-schedule", when=KEY_SCHEDULE),
    I18nFormat("lbl-record-view-dose-times", when=KEY_DOSE_TIMES),
    I18nFormat("lbl-record-view-course-end", when=KEY_COURSE_END),
    I18nFormat("lbl-record-view-course-ongoing", when=KEY_COURSE_ONGOING),
    I18nFormat("lbl-record-view-next-due", when=KEY_DUE_AHEAD),
    I18nFormat("lbl-record-view-batch", when=KEY_BATCH),
    I18nFormat("lbl-record-view-overdue", when=KEY_OVERDUE),
    I18nFormat("lbl-record-view-report", when=KEY_REPORT_TEXT),
    I18nFormat("lbl-record-view-note", when=KEY_NOTE),
    I18nFormat("lbl-record-view-file", when=KEY_HAS_FILE),
    Button(
        I18nFormat("btn-record-open-result"),
        id=ID_RECORD_RESULT,
        on_click=on_open_result,
        when=KEY_IS_TRIAGE,
    ),
    Button(
        I18nFormat("btn-record-send-file"),
        id=ID_RECORD_FILE,
        on_click=on_send_file,
        when=KEY_HAS_FILE,
    ),
    SwitchTo(
        I18nFormat("btn-record-delete"),
        id=ID_RECORD_DELETE,
        state=RecordsSG.DELETE,
        when=KEY_CAN_DELETE,
    ),
    SwitchTo(I18nFormat("btn-back"), id=ID_RECORD_BACK, state=RecordsSG.LIST),
    unexpected_input_hint(),
    getter=get_record,
    state=RecordsSG.RECORD,
)

delete_window = Window(
    I18nFormat("err-record-not-found", when=KEY_NOT_FOUND),
    I18nFormat("msg-record-delete-ask", when=KEY_FOUND),
    Button(
        I18nFormat("btn-record-delete-confirm"),
        id=ID_DELETE_CONFIRM,
        on_click=on_delete,
        when=KEY_CAN_DELETE,
    ),
    SwitchTo(I18nFormat("btn-back"), id=ID_DELETE_BACK, state=RecordsSG.RECORD),
    unexpected_input_hint(),
    getter=get_record,
    state=RecordsSG.DELETE,
)

weight_window = Window(
    I18nFormat("err-pet-not-found", when=KEY_NOT_FOUND),
    I18nFormat("msg-record-weight-trend", when=KEY_HAS_POINTS),
    I18nFormat("lbl-record-weight-total", when=KEY_HAS_CHANGE),
    I18nFormat("msg-record-weight-empty", when=KEY_NO_POINTS),
    SwitchTo(I18nFormat("btn-back"), id=ID_WEIGHTS_BACK, state=RecordsSG.LIST),
    unexpected_input_hint(),
    getter=get_weights,
    state=RecordsSG.WEIGHT,
)


def build_records_dialog() -> Dialog:
    return Dialog(
        pet_window,
        card_window,
        filter_window,
        record_window,
        delete_window,
        weight_window,
        on_start=on_card_start,
        on_process_result=on_form_result,
    )


def build_records_dialogs() -> list[Dialog]:
    """Both medical card dialogs, fresh: the card, and the entry form it starts."""
    return [build_records_dialog(), build_record_form_dialog()]
