"""Getters of the medical card dialogs: they reload through interactors and never write."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import ManagedMultiselect
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.enums import RecordKind
from core.interactors.pets import EDITORS, GetPetCard, ListMyPets
from core.interactors.records import (
    AUTOMATIC_KINDS,
    DATA_BATCH,
    DATA_CHECK_ID,
    DATA_COURSE_END,
    DATA_DOSE,
    DATA_SCHEDULE,
    MANUAL_KINDS,
    GetRecord,
    ListRecords,
    RecordNotFoundError,
    WeightHistory,
)
from core.markup import Markup
from core.medication_times import dose_times_of
from core.pets_errors import PetNotFoundError
from core.uploads import IMAGE_CONTENT_TYPES
from dialogs.records.common import (
    KEY_PAGE,
    KEY_PICKED,
    KEY_SUGGESTED_TITLE,
    KIND_LABELS,
    consultation_text,
    entry_title,
    form_position,
    is_root,
    record_id_of,
    yes_no,
)
from dialogs.widgets.events import telegram_id_of
from dialogs.widgets.i18n import i18n_from
from dialogs.widgets.limits import fit_lines
from dialogs.widgets.pet_context import pet_id_of
from dialogs.widgets.pet_labels import pet_list_label
from dialogs.widgets.weights import weight_text

ID_FILTER = "records_filter"

KEY_FOUND = "found"
KEY_NOT_FOUND = "not_found"
KEY_NAME = "name"
KEY_PETS = "pets"  # [(button label, pet id)]
KEY_HAS_PETS = "has_pets"
KEY_NO_PETS = "no_pets"
KEY_ENTRIES = "entries"  # [(button label, record id)]
KEY_HAS_DUE = "has_due"
KEY_DUE_TEXT = "due_text"
KEY_FILTERED = "filtered"
KEY_FILTER_TEXT = "filter_text"
KEY_EMPTY = "empty"
KEY_EMPTY_FILTERED = "empty_filtered"
KEY_HAS_ANY = "has_any"
KEY_PAGED = "paged"
KEY_PAGE_SHOWN = "page"  # 1-based, for the text
KEY_PAGES = "pages"
KEY_HAS_PREV = "has_prev"
KEY_HAS_NEXT = "has_next"
KEY_CAN_EDIT = "can_edit"
KEY_HAS_WEIGHTS = "has_weights"
KEY_BACK_TO_PICKER = "back_to_picker"
KEY_BACK_CLOSES = "back_closes"
KEY_BACK_HOME = "back_home"
KEY_KINDS = "kinds"  # [(label, kind value)]
KEY_KIND = "kind"
KEY_KIND_LABEL = "kind_label"
KEY_TITLE = "title"
KEY_DATE = "date"
KEY_DOSE = "dose"
KEY_BATCH = "batch"
KEY_SCHEDULE = "schedule"
KEY_COURSE_END = "course_end"
KEY_COURSE_ONGOING = "course_ongoing"
KEY_DOSE_TIMES = "times"
KEY_NEXT_DUE = "next_due"
KEY_DUE_AHEAD = "due_ahead"
KEY_OVERDUE = "overdue"
KEY_DAYS = "days"
KEY_NOTE = "note"
KEY_HAS_FILE = "has_file"
KEY_FILE_TYPE = "file_type"
KEY_IS_TRIAGE = "is_triage"
KEY_REPORT_TEXT = "report_text"  # a consultation entry: the vet's report, as HTML lines
KEY_CAN_DELETE = "can_delete"
KEY_TREND_TEXT = "trend_text"
KEY_HAS_POINTS = "has_points"
KEY_NO_POINTS = "no_points"
KEY_HAS_CHANGE = "has_change"
KEY_DIRECTION = "direction"
KEY_CHANGE = "change"
KEY_SUGGESTED = "suggested"  # the earlier entry's product, offered on the name step
KEY_HAS_SUGGESTION = "has_suggestion"
# Of a message's 4096 characters, what the items due may take (the page of records follows).
DUE_BUDGET = 1500


def _back(manager: DialogManager) -> dict[str, bool]:
    """Where "back" leads from the card: the picker, the dialog below, or the main menu."""
    picked = bool(manager.dialog_data.get(KEY_PICKED))
    root = is_root(manager)
    return {
        KEY_BACK_TO_PICKER: picked,
        KEY_BACK_CLOSES: not picked and not root,
        KEY_BACK_HOME: not picked and root,
    }


def filter_kinds(manager: DialogManager) -> list[RecordKind]:
    """The kinds ticked in the filter; ids nobody could tick (crafted ones) are ignored."""
    widget = manager.find(ID_FILTER)
    checked = widget.get_checked() if isinstance(widget, ManagedMultiselect) else []
    return [RecordKind(value) for value in checked if value in set(RecordKind)]


def _direction(change: int | None) -> str:
    if change is None:
        return "first"
    return "up" if change > 0 else "down" if change < 0 else "same"


@inject
async def get_pets(
    dialog_manager: DialogManager, list_my_pets: FromDishka[ListMyPets], **_: Any
) -> dict[str, Any]:
    i18n = i18n_from(dialog_manager)
    pets = await list_my_pets(telegram_id_of(dialog_manager))
    root = is_root(dialog_manager)
    return {
        KEY_PETS: [
            (
                pet_list_label(i18n, item.pet),
                str(item.pet.id),
            )
            for item in pets
        ],
        KEY_HAS_PETS: bool(pets),
        KEY_NO_PETS: not pets,
        KEY_BACK_CLOSES: not root,
        KEY_BACK_HOME: root,
    }


_CARD_NOT_FOUND: dict[str, Any] = {KEY_FOUND: False, KEY_NOT_FOUND: True, KEY_ENTRIES: []}


@inject
async def get_card(
    dialog_manager: DialogManager, list_records: FromDishka[ListRecords], **_: Any
) -> dict[str, Any]:
    back = _back(dialog_manager)
    pet_id = pet_id_of(dialog_manager)
    kinds = filter_kinds(dialog_manager)
    if pet_id is None:
        return {**_CARD_NOT_FOUND, **back}
    try:
        page = await list_records(
            telegram_id_of(dialog_manager),
            pet_id,
            kinds=kinds,
            page=int(dialog_manager.dialog_data.get(KEY_PAGE, 0)),
        )
    except PetNotFoundError:
        return {**_CARD_NOT_FOUND, **back}
    i18n = i18n_from(dialog_manager)
    pet, level = page.pet.pet, page.pet.level
    due_lines = [
        i18n.get(
            "lbl-record-due-item",
            title=item.title,
            due=item.next_due,
            overdue=yes_no(item.overdue),
        )
        for item in page.due
    ]
    entries = [
        (
            i18n.get(
                "lbl-record-item",
                kind=entry.record.kind.value,
                date=entry.day,
                title=entry_title(i18n, entry),
                overdue=yes_no(entry.overdue),
            ),
            str(entry.record.id),
        )
        for entry in page.entries
    ]
    return {
        KEY_FOUND: True,
        KEY_NOT_FOUND: False,
        KEY_NAME: pet.name,
        KEY_HAS_DUE: bool(due_lines),
        # A long care history can have many items due: the card must stay one message.
        KEY_DUE_TEXT: fit_lines(
            due_lines, lambda left: i18n.get("lbl-list-more", count=left), budget=DUE_BUDGET
        ),
        KEY_FILTERED: bool(kinds),
        KEY_FILTER_TEXT: Markup(", ").join(i18n.get(KIND_LABELS[kind]) for kind in kinds),
        KEY_EMPTY: page.total == 0 and not kinds,
        KEY_EMPTY_FILTERED: page.total == 0 and bool(kinds),
        KEY_HAS_ANY: page.total > 0 or bool(kinds),
        KEY_ENTRIES: entries,
        KEY_PAGED: page.pages > 1,
        KEY_PAGE_SHOWN: page.page + 1,
        KEY_PAGES: page.pages,
        KEY_HAS_PREV: page.has_prev,
        KEY_HAS_NEXT: page.has_next,
        KEY_CAN_EDIT: level in EDITORS and not pet.is_archived,
        KEY_HAS_WEIGHTS: page.weight_count > 0,
        **back,
    }


async def get_filter(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    i18n = i18n_from(dialog_manager)
    return {
        KEY_KINDS: [
            (i18n.get(KIND_LABELS[kind]), kind.value)
            for kind in (*MANUAL_KINDS, RecordKind.TRIAGE_RESULT)
        ]
    }


_RECORD_NOT_FOUND = {KEY_FOUND: False, KEY_NOT_FOUND: True, KEY_CAN_DELETE: False}


@inject
async def get_record(
    dialog_manager: DialogManager, get_record: FromDishka[GetRecord], **_: Any
) -> dict[str, Any]:
    record_id = record_id_of(dialog_manager)
    if record_id is None:
        return dict(_RECORD_NOT_FOUND)
    try:
        view = await get_record(
            telegram_id_of(dialog_manager), record_id, pet_id=pet_id_of(dialog_manager)
        )
    except RecordNotFoundError:
        return dict(_RECORD_NOT_FOUND)
    i18n = i18n_from(dialog_manager)
    entry, record = view.entry, view.entry.record
    pet, level = view.pet.pet, view.pet.level
    data = record.data
    due = record.next_due_at.date() if record.next_due_at is not None else None
    course_end = data.get(DATA_COURSE_END)
    content_type = record.attachment_content_type
    return {
        KEY_FOUND: True,
        KEY_NOT_FOUND: False,
        KEY_NAME: pet.name,
        KEY_KIND: record.kind.value,
        KEY_KIND_LABEL: i18n.get(KIND_LABELS[record.kind]),
        KEY_TITLE: entry_title(i18n, entry),
        KEY_DATE: entry.day,
        KEY_DOSE: str(data.get(DATA_DOSE) or ""),
        KEY_SCHEDULE: str(data.get(DATA_SCHEDULE) or ""),
        KEY_DOSE_TIMES: ", ".join(f"{t:%H:%M}" for t in dose_times_of(data)),
        KEY_BATCH: str(data.get(DATA_BATCH) or ""),
        KEY_COURSE_END: date.fromisoformat(course_end) if isinstance(course_end, str) else None,
        KEY_COURSE_ONGOING: record.kind is RecordKind.MEDICATION and not course_end,
        KEY_NEXT_DUE: due,
        KEY_DUE_AHEAD: due is not None and not entry.overdue,
        KEY_OVERDUE: entry.overdue,
        KEY_DAYS: -entry.due.days_left if entry.due is not None and entry.overdue else 0,
        KEY_NOTE: record.details or "",
        KEY_HAS_FILE: record.attachment_key is not None,
        KEY_FILE_TYPE: "image" if content_type in IMAGE_CONTENT_TYPES else "pdf",
        KEY_IS_TRIAGE: record.kind is RecordKind.TRIAGE_RESULT
        and isinstance(data.get(DATA_CHECK_ID), int),
        KEY_REPORT_TEXT: (
            consultation_text(i18n, record)
            if record.kind is RecordKind.CONSULTATION_REPORT
            else ""
        ),
        KEY_CAN_DELETE: level in EDITORS
        and not pet.is_archived
        and record.kind not in AUTOMATIC_KINDS,
    }


@inject
async def get_weights(
    dialog_manager: DialogManager, weight_history: FromDishka[WeightHistory], **_: Any
) -> dict[str, Any]:
    pet_id = pet_id_of(dialog_manager)
    try:
        if pet_id is None:
            raise PetNotFoundError(-1)
        trend = await weight_history(telegram_id_of(dialog_manager), pet_id)
    except PetNotFoundError:
        return {**_CARD_NOT_FOUND, KEY_HAS_POINTS: False, KEY_NO_POINTS: False}
    i18n = i18n_from(dialog_manager)
    lines = [
        i18n.get(
            "lbl-record-weight-point",
            date=point.measured_on,
            weight=weight_text(i18n, point.grams),
            direction=_direction(point.change_grams),
            change=weight_text(i18n, abs(point.change_grams or 0)),
        )
        for point in trend.points
    ]
    total = trend.change_grams
    return {
        KEY_FOUND: True,
        KEY_NOT_FOUND: False,
        KEY_NAME: trend.pet.pet.name,
        KEY_TREND_TEXT: Markup("\n").join(lines),
        KEY_HAS_POINTS: bool(lines),
        KEY_NO_POINTS: not lines,
        KEY_HAS_CHANGE: total is not None,
        KEY_DIRECTION: _direction(total),
        KEY_CHANGE: weight_text(i18n, abs(total or 0)),
    }


@inject
async def get_form(
    dialog_manager: DialogManager, get_pet_card: FromDishka[GetPetCard], **_: Any
) -> dict[str, Any]:
    """The pet the form adds to, and where the form is (its kind, step N of M)."""
    i18n = i18n_from(dialog_manager)
    pet_id = pet_id_of(dialog_manager)
    name = ""
    species = ""
    if pet_id is not None:
        try:
            pet = (await get_pet_card(telegram_id_of(dialog_manager), pet_id)).pet
            name, species = pet.name, pet.species.value
        except PetNotFoundError:
            pet_id = None
    kind, step, steps = form_position(dialog_manager)
    suggested = dialog_manager.dialog_data.get(KEY_SUGGESTED_TITLE)
    return {
        KEY_FOUND: pet_id is not None,
        KEY_NOT_FOUND: pet_id is None,
        KEY_NAME: name,
        # Examples in the questions are the pet's own kind (a cat gets a cat vaccine).
        "species": species,
        KEY_KIND: kind.value if kind else "",
        KEY_KIND_LABEL: i18n.get(KIND_LABELS[kind]) if kind else "",
        "step": step,
        "steps": steps,
        KEY_KINDS: [(i18n.get(KIND_LABELS[item]), item.value) for item in MANUAL_KINDS],
        KEY_SUGGESTED: suggested if isinstance(suggested, str) else "",
        KEY_HAS_SUGGESTION: isinstance(suggested, str),
    }
