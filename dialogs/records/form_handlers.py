"""Handlers of the entry form (RecordFormSG): one step per field, the kind decides which.

Each step checks what was typed and keeps it in dialog_data; the last step of the kind saves
the entry through `AddRecord` and closes the form with {"record_id": ...}. A refused value is
explained and the step stays, with everything entered so far.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Data, DialogManager, ShowMode
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.enums import RecordKind
from core.interactors.pending_uploads import DiscardPendingUpload
from core.interactors.pets import GetPetCard
from core.interactors.records import (
    AddRecord,
    AllergyDraft,
    ChronicConditionDraft,
    DocumentDraft,
    ForeignAttachmentError,
    LocalToday,
    MedicationDraft,
    ParasiteTreatmentDraft,
    ProcedureDraft,
    RecordDraft,
    StoreRecordDocument,
    VaccinationDraft,
    WeightDraft,
)
from core.medication_times import COMMON_PATTERNS, parse_dose_times
from core.pet_input import parse_weight
from core.pets_errors import (
    PetAccessDeniedError,
    PetArchivedError,
    PetInputError,
    PetNotFoundError,
)
from core.record_input import (
    MAX_DOSE_LENGTH,
    MAX_SCHEDULE_LENGTH,
    MAX_TITLE_LENGTH,
    RecordInputError,
    after_period,
    check_next_due,
    parse_batch,
    parse_course_end,
    parse_line,
    parse_next_due,
    parse_note,
    parse_past_date,
)
from core.upload_quota import PendingUploadGoneError, UploadQuotaExceededError
from core.uploads import DOCUMENT_POLICY, UploadRejectedError, UploadRejectReason
from dialogs.navigation import KEY_FORM_KIND, KEY_FORM_TITLE
from dialogs.records.common import (
    FORM_STEPS,
    KEY_ATTACHMENT_KEY,
    KEY_ATTACHMENT_TYPE,
    KEY_BATCH,
    KEY_COURSE_END,
    KEY_DATE,
    KEY_DOSE,
    KEY_DOSE_TIMES,
    KEY_GRAMS,
    KEY_KIND,
    KEY_NEXT_DUE,
    KEY_NOTE,
    KEY_RECORD_ID,
    KEY_SCHEDULE,
    KEY_SUGGESTED_TITLE,
    KEY_TITLE,
    form_kind,
    notify_record_input_error,
)
from dialogs.states import RecordFormSG
from dialogs.widgets.downloads import DOWNLOAD_FAILURES
from dialogs.widgets.events import notify, say, telegram_id_of
from dialogs.widgets.i18n import i18n_from
from dialogs.widgets.pet_context import pet_id_of
from dialogs.widgets.pet_input_errors import notify_input_error
from dialogs.widgets.upload_errors import UPLOAD_ERRORS

logger = logging.getLogger(__name__)

ID_KIND_PREFIX = "record_kind_"
ID_SKIP_PREFIX = "record_skip_"
ID_DUE_PREFIX = "record_due_"
ID_TIMES_PREFIX = "record_times_"
# Set when a saved form's file had expired: the file sent again saves the entry at once.
KEY_RESEND = "attachment_resend"

# The quick next-due buttons: (amount, unit) from the date given.
DUE_PERIODS: dict[str, tuple[int, str]] = {
    "month": (1, "months"),
    "quarter": (3, "months"),
    "year": (1, "years"),
}
# The optional steps "Skip" leaves empty.
SKIPPABLE: dict[str, str] = {
    "course_end": KEY_COURSE_END,
    "next_due": KEY_NEXT_DUE,
    "note": KEY_NOTE,
    "batch": KEY_BATCH,
    "dose_times": KEY_DOSE_TIMES,
}


def _suffix(button: Any, prefix: str) -> str:
    widget_id: str = button.widget_id
    return widget_id.removeprefix(prefix)


def _given(manager: DialogManager) -> date | None:
    raw = manager.dialog_data.get(KEY_DATE)
    return date.fromisoformat(raw) if isinstance(raw, str) else None


# --- moving through the steps -----------------------------------------------------------------


async def on_form_start(start_data: Data, manager: DialogManager) -> None:
    """Started like an earlier entry (dialogs.navigation.start_record_form): its kind is chosen
    already, and its product waits on the name step to be confirmed."""
    if not isinstance(start_data, dict):
        return
    raw = start_data.get(KEY_FORM_KIND)
    kind = RecordKind(raw) if raw in set(RecordKind) else None
    if kind is None or kind not in FORM_STEPS:
        return  # a kind the form does not add (an automatic one): the kinds, as from the card
    manager.dialog_data[KEY_KIND] = kind.value
    title = start_data.get(KEY_FORM_TITLE)
    if isinstance(title, str) and title.strip():
        manager.dialog_data[KEY_SUGGESTED_TITLE] = title
    await manager.switch_to(FORM_STEPS[kind][0])


@inject
async def on_kind_chosen(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    discard: FromDishka[DiscardPendingUpload],
) -> None:
    kind = RecordKind(_suffix(button, ID_KIND_PREFIX))
    # A new kind starts afresh: nothing typed for another kind may leak into this entry, and
    # a file sent for the abandoned one is not kept.
    await _discard_attachment(manager, callback.from_user.id, discard)
    manager.dialog_data.clear()
    manager.dialog_data[KEY_KIND] = kind.value
    await manager.switch_to(FORM_STEPS[kind][0])


async def on_form_back(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    kind = form_kind(manager)
    state = manager.current_context().state
    steps = FORM_STEPS[kind] if kind else ()
    if state not in steps or steps.index(state) == 0:
        await manager.switch_to(RecordFormSG.KIND)
        return
    await manager.switch_to(steps[steps.index(state) - 1])


async def _advance(manager: DialogManager, add_record: AddRecord) -> None:
    """The kind's next step, or the entry saved after its last one."""
    kind = form_kind(manager)
    if kind is None:
        await manager.switch_to(RecordFormSG.KIND)
        return
    steps = FORM_STEPS[kind]
    state = manager.current_context().state
    index = steps.index(state) if state in steps else len(steps) - 1
    if index + 1 < len(steps):
        await manager.switch_to(steps[index + 1])
        return
    await _save(manager, add_record, kind)


async def _keep(manager: DialogManager, add_record: AddRecord, key: str, value: Any) -> None:
    manager.dialog_data[key] = value
    await _advance(manager, add_record)


async def _save(manager: DialogManager, add_record: AddRecord, kind: RecordKind) -> None:
    pet_id = pet_id_of(manager)
    try:
        if pet_id is None:
            raise PetNotFoundError(-1)
        record = await add_record(telegram_id_of(manager), pet_id, _draft(manager, kind))
    except RecordInputError as error:
        await notify_record_input_error(manager, error)
        return
    except PetInputError as error:
        await notify_input_error(manager, error)
        return
    except (PetNotFoundError, ForeignAttachmentError):
        await notify(manager, "err-pet-not-found")
        await manager.done()
        return
    except PendingUploadGoneError:
        # The file expired while the form stood open: ask for it again, keep the rest.
        manager.dialog_data.pop(KEY_ATTACHMENT_KEY, None)
        manager.dialog_data.pop(KEY_ATTACHMENT_TYPE, None)
        manager.dialog_data[KEY_RESEND] = True
        await notify(manager, "err-upload-pending-gone")
        await manager.switch_to(RecordFormSG.FILE)
        return
    except PetAccessDeniedError:
        await notify(manager, "err-record-not-allowed")
        await manager.done()
        return
    except PetArchivedError:
        await notify(manager, "err-record-pet-archived")
        await manager.done()
        return
    await say(manager, "msg-record-added")
    await manager.done({KEY_RECORD_ID: record.id})


def _draft(manager: DialogManager, kind: RecordKind) -> RecordDraft:
    data = manager.dialog_data
    title = str(data.get(KEY_TITLE) or "")
    given = _given(manager) or date.min
    note = data.get(KEY_NOTE)
    next_due = date.fromisoformat(data[KEY_NEXT_DUE]) if data.get(KEY_NEXT_DUE) else None
    match kind:
        case RecordKind.VACCINATION:
            batch = data.get(KEY_BATCH)
            return VaccinationDraft(title, given, next_due, str(batch) if batch else None)
        case RecordKind.PARASITE_TREATMENT:
            return ParasiteTreatmentDraft(title, given, next_due)
        case RecordKind.MEDICATION:
            end = data.get(KEY_COURSE_END)
            times = data.get(KEY_DOSE_TIMES)
            return MedicationDraft(
                title,
                str(data.get(KEY_DOSE) or ""),
                str(data.get(KEY_SCHEDULE) or ""),
                given,
                date.fromisoformat(end) if end else None,
                tuple(str(t) for t in times) if isinstance(times, list) else (),
            )
        case RecordKind.PROCEDURE:
            return ProcedureDraft(title, given, note)
        case RecordKind.ALLERGY:
            return AllergyDraft(title, given, note)
        case RecordKind.CHRONIC_CONDITION:
            return ChronicConditionDraft(title, given, note)
        case RecordKind.WEIGHT:
            return WeightDraft(int(data.get(KEY_GRAMS) or 0), given)
        case _:
            return DocumentDraft(
                title,
                given,
                str(data.get(KEY_ATTACHMENT_KEY) or ""),
                str(data.get(KEY_ATTACHMENT_TYPE) or ""),
            )


# --- the steps --------------------------------------------------------------------------------


async def _line(
    message: Message, manager: DialogManager, add_record: AddRecord, key: str, limit: int
) -> None:
    try:
        value = parse_line(message.text or "", limit)
    except RecordInputError as error:
        await notify_record_input_error(manager, error)
        return
    await _keep(manager, add_record, key, value)


@inject
async def on_title_entered(
    message: Message, widget: MessageInput, manager: DialogManager, add: FromDishka[AddRecord]
) -> None:
    await _line(message, manager, add, KEY_TITLE, MAX_TITLE_LENGTH)


@inject
async def on_same_title(
    callback: CallbackQuery, button: Button, manager: DialogManager, add: FromDishka[AddRecord]
) -> None:
    """The suggested product, confirmed: checked as if typed (it is the earlier entry's)."""
    suggested = manager.dialog_data.get(KEY_SUGGESTED_TITLE)
    if not isinstance(suggested, str):
        return  # the button shows only with a suggestion; a stale press changes nothing
    try:
        title = parse_line(suggested, MAX_TITLE_LENGTH)
    except RecordInputError as error:
        await notify_record_input_error(manager, error)
        return
    await _keep(manager, add, KEY_TITLE, title)


@inject
async def on_dose_entered(
    message: Message, widget: MessageInput, manager: DialogManager, add: FromDishka[AddRecord]
) -> None:
    await _line(message, manager, add, KEY_DOSE, MAX_DOSE_LENGTH)


@inject
async def on_schedule_entered(
    message: Message, widget: MessageInput, manager: DialogManager, add: FromDishka[AddRecord]
) -> None:
    await _line(message, manager, add, KEY_SCHEDULE, MAX_SCHEDULE_LENGTH)


@inject
async def on_note_entered(
    message: Message, widget: MessageInput, manager: DialogManager, add: FromDishka[AddRecord]
) -> None:
    try:
        note = parse_note(message.text or "")
    except RecordInputError as error:
        await notify_record_input_error(manager, error)
        return
    await _keep(manager, add, KEY_NOTE, note)


@inject
async def on_batch_entered(
    message: Message, widget: MessageInput, manager: DialogManager, add: FromDishka[AddRecord]
) -> None:
    try:
        batch = parse_batch(message.text or "")
    except RecordInputError as error:
        await notify_record_input_error(manager, error)
        return
    await _keep(manager, add, KEY_BATCH, batch)


@inject
async def on_weight_entered(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    add: FromDishka[AddRecord],
    get_pet_card: FromDishka[GetPetCard],
) -> None:
    pet_id = pet_id_of(manager)
    try:
        if pet_id is None:
            raise PetNotFoundError(-1)
        # The species' bounds catch "450" typed for a hamster meaning grams, on the spot.
        seen = await get_pet_card(telegram_id_of(manager), pet_id)
        grams = parse_weight(message.text or "", seen.pet.species)
    except PetNotFoundError:
        await notify(manager, "err-pet-not-found")
        await manager.done()
        return
    except PetInputError as error:
        await notify_input_error(manager, error)
        return
    await _keep(manager, add, KEY_GRAMS, grams)


async def _dated(manager: DialogManager, add_record: AddRecord, text: str, today: date) -> None:
    try:
        day = parse_past_date(text, today)
    except RecordInputError as error:
        await notify_record_input_error(manager, error)
        return
    await _keep(manager, add_record, KEY_DATE, day.isoformat())


@inject
async def on_date_entered(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    add: FromDishka[AddRecord],
    local_today: FromDishka[LocalToday],
) -> None:
    await _dated(manager, add, message.text or "", await local_today(message.chat.id))


@inject
async def on_today(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    add: FromDishka[AddRecord],
    local_today: FromDishka[LocalToday],
) -> None:
    today = await local_today(callback.from_user.id)
    await _keep(manager, add, KEY_DATE, today.isoformat())


@inject
async def on_course_end_entered(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    add: FromDishka[AddRecord],
    local_today: FromDishka[LocalToday],
) -> None:
    start = _given(manager)
    if start is None:  # the date step was never passed (a crafted state): ask it first
        await manager.switch_to(RecordFormSG.DATE)
        return
    try:
        end = parse_course_end(message.text or "", start, await local_today(message.chat.id))
    except RecordInputError as error:
        await notify_record_input_error(manager, error)
        return
    await _keep(manager, add, KEY_COURSE_END, end.isoformat())


@inject
async def on_next_due_entered(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    add: FromDishka[AddRecord],
    local_today: FromDishka[LocalToday],
) -> None:
    given = _given(manager)
    if given is None:
        await manager.switch_to(RecordFormSG.DATE)
        return
    try:
        due = parse_next_due(message.text or "", given, await local_today(message.chat.id))
    except RecordInputError as error:
        await notify_record_input_error(manager, error)
        return
    await _keep(manager, add, KEY_NEXT_DUE, due.isoformat())


@inject
async def on_next_due_chosen(
    callback: CallbackQuery, button: Button, manager: DialogManager, add: FromDishka[AddRecord]
) -> None:
    given = _given(manager)
    if given is None:
        await manager.switch_to(RecordFormSG.DATE)
        return
    amount, unit = DUE_PERIODS[_suffix(button, ID_DUE_PREFIX)]
    due = after_period(given, amount, unit)
    try:
        check_next_due(due, given)
    except RecordInputError as error:  # pragma: no cover - the buttons' periods are valid
        await notify_record_input_error(manager, error)
        return
    await _keep(manager, add, KEY_NEXT_DUE, due.isoformat())


@inject
async def on_dose_times_entered(
    message: Message, widget: MessageInput, manager: DialogManager, add: FromDishka[AddRecord]
) -> None:
    try:
        times = parse_dose_times(message.text or "")
    except RecordInputError as error:
        await notify_record_input_error(manager, error)
        return
    await _keep(manager, add, KEY_DOSE_TIMES, list(times))


@inject
async def on_dose_times_chosen(
    callback: CallbackQuery, button: Button, manager: DialogManager, add: FromDishka[AddRecord]
) -> None:
    times = COMMON_PATTERNS[_suffix(button, ID_TIMES_PREFIX)]
    await _keep(manager, add, KEY_DOSE_TIMES, list(times))


@inject
async def on_skip(
    callback: CallbackQuery, button: Button, manager: DialogManager, add: FromDishka[AddRecord]
) -> None:
    await _keep(manager, add, SKIPPABLE[_suffix(button, ID_SKIP_PREFIX)], None)


@inject
async def on_file(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    add: FromDishka[AddRecord],
    store_document: FromDishka[StoreRecordDocument],
    discard: FromDishka[DiscardPendingUpload],
) -> None:
    i18n = i18n_from(manager)
    if message.photo:
        # Telegram sends several sizes of one photo; keep the largest.
        largest = max(message.photo, key=lambda size: size.width * size.height)
        file_id, file_size = largest.file_id, largest.file_size
    elif message.document:
        file_id, file_size = message.document.file_id, message.document.file_size
    else:  # pragma: no cover - the input only takes photos and documents
        return
    pet_id = pet_id_of(manager)
    try:
        if pet_id is None:
            raise PetNotFoundError(-1)
        if file_size is not None and file_size > DOCUMENT_POLICY.max_bytes:
            # Refused from the size Telegram reports: the Bot API would not hand it over anyway.
            raise UploadRejectedError(
                UploadRejectReason.TOO_LARGE, max_bytes=DOCUMENT_POLICY.max_bytes
            )
        downloaded = await message.bot.download(file_id)  # type: ignore[union-attr]
        data = downloaded.read() if downloaded else b""
        replaces = manager.dialog_data.get(KEY_ATTACHMENT_KEY)
        stored = await store_document(
            message.chat.id,
            pet_id,
            data,
            replaces=replaces if isinstance(replaces, str) else None,
        )
    except UploadRejectedError as error:
        logger.info("record document refused: %s", error.reason.value)
        await message.answer(i18n.get(UPLOAD_ERRORS[error.reason], **error.message_args))
        manager.show_mode = ShowMode.DELETE_AND_SEND
        return
    except UploadQuotaExceededError as error:
        logger.info("record document refused: the user's upload quota is used up")
        await message.answer(i18n.get("err-upload-quota-exceeded", **error.message_args))
        manager.show_mode = ShowMode.DELETE_AND_SEND
        return
    except DOWNLOAD_FAILURES as error:
        # Telegram could not hand the file over: ask again, the form keeps what it has.
        logger.warning("could not download a record document: %s", type(error).__name__)
        await message.answer(i18n.get("err-upload-download-failed"))
        manager.show_mode = ShowMode.DELETE_AND_SEND
        return
    except PetNotFoundError:
        await notify(manager, "err-pet-not-found")
        await manager.done()
        return
    except (PetAccessDeniedError, PetArchivedError):
        await notify(manager, "err-record-not-allowed")
        await manager.done()
        return
    replaced = manager.dialog_data.get(KEY_ATTACHMENT_KEY)
    if isinstance(replaced, str) and replaced != stored.storage_key:
        # Back to this step with another file: the first one is no longer wanted.
        await discard(message.chat.id, replaced)
    manager.dialog_data[KEY_ATTACHMENT_TYPE] = stored.content_type
    if manager.dialog_data.pop(KEY_RESEND, False):
        # Every other step was answered already: what the owner typed is saved as it was.
        manager.dialog_data[KEY_ATTACHMENT_KEY] = stored.storage_key
        await _save(manager, add, RecordKind.DOCUMENT)
        return
    await _keep(manager, add, KEY_ATTACHMENT_KEY, stored.storage_key)


@inject
async def on_form_cancel(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    discard: FromDishka[DiscardPendingUpload],
) -> None:
    """Leaving the form without saving: its file goes now rather than at the expiry."""
    await _discard_attachment(manager, callback.from_user.id, discard)


async def _discard_attachment(
    manager: DialogManager, telegram_id: int, discard: DiscardPendingUpload
) -> None:
    key = manager.dialog_data.pop(KEY_ATTACHMENT_KEY, None)
    manager.dialog_data.pop(KEY_ATTACHMENT_TYPE, None)
    if isinstance(key, str):
        await discard(telegram_id, key)
