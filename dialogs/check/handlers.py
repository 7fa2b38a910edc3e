from __future__ import annotations

import logging
import uuid
from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode, StartMode
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Select
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.answer_reading import AskBack, quick_picks, read_number_answer
from core.check_questions import AnswerError, questions_for, screen_item
from core.interactors.symptom_check import StoreCheckPhoto, StoredPhoto, SubmitCheck
from core.photo_errors import UnusablePhotoError
from core.photo_quality import PhotoProblem
from core.triage import DetailValue, RuleSet, Urgency
from core.uploads import PHOTO_POLICY, UploadRejectedError, UploadRejectReason
from dialogs.check.answers import pick_label, value_text
from dialogs.check.state import (
    ID_SCREEN,
    ID_SIGNS,
    KEY_AREA,
    KEY_ASK_OPTIONS,
    KEY_ASK_TEXT,
    KEY_ASKED,
    KEY_DETAILS,
    KEY_EARLIER,
    KEY_IDEMPOTENCY,
    KEY_PET,
    KEY_PHOTOS,
    KEY_QUEUE,
    KEY_REASON,
    KEY_SHOWN,
    MAX_PHOTOS,
)
from dialogs.states import CheckResultSG, CheckSG
from dialogs.widgets.clinics import offer_location
from dialogs.widgets.downloads import DOWNLOAD_FAILURES
from dialogs.widgets.free_text import hear_typed_text
from dialogs.widgets.i18n import i18n_from
from dialogs.widgets.upload_errors import UPLOAD_ERRORS

logger = logging.getLogger(__name__)

PHOTO_PROBLEMS: dict[PhotoProblem, str] = {
    PhotoProblem.TOO_SMALL: "err-photo-too-small",
    PhotoProblem.TOO_DARK: "err-photo-too-dark",
    PhotoProblem.TOO_BRIGHT: "err-photo-too-bright",
    PhotoProblem.BLURRED: "err-photo-blurred",
}
# The typed answer is quoted back when asking which reading was meant; a long one is cut.
MAX_ECHO_CHARS = 60
ANSWER_ERRORS: dict[str, str] = {
    "not_a_number": "err-check-not-a-number",
    "out_of_range": "err-check-out-of-range",
    "not_whole": "err-check-not-whole",
}


async def on_start(start_data: Any, manager: DialogManager) -> None:
    # One key per questionnaire: a double-pressed "submit" stores one check, not two.
    manager.dialog_data[KEY_IDEMPOTENCY] = uuid.uuid4().hex
    manager.dialog_data[KEY_DETAILS] = {}
    manager.dialog_data[KEY_SHOWN] = {}
    manager.dialog_data[KEY_PHOTOS] = []
    if not isinstance(start_data, dict):
        return
    # Started from a typed message: its words go to the vet, the signs it named are ticked.
    if isinstance(start_data.get(KEY_REASON), str) and start_data[KEY_REASON]:
        manager.dialog_data[KEY_REASON] = start_data[KEY_REASON]
    # A re-check (dialogs.navigation.start_recheck): the earlier answers, offered again.
    earlier = start_data.get(KEY_EARLIER)
    if isinstance(earlier, dict) and earlier:
        manager.dialog_data[KEY_EARLIER] = earlier
    signs = manager.find(ID_SIGNS)
    for sign in start_data.get("signs") or []:
        if isinstance(sign, str):
            await signs.set_checked(sign, True)  # type: ignore[union-attr]
    if isinstance(start_data.get(KEY_PET), int):
        manager.dialog_data[KEY_PET] = start_data[KEY_PET]
        await manager.switch_to(CheckSG.EMERGENCY)


async def on_pet_selected(
    callback: CallbackQuery, widget: Select[int], manager: DialogManager, pet_id: int
) -> None:
    manager.dialog_data[KEY_PET] = pet_id
    await manager.switch_to(CheckSG.EMERGENCY)


async def _submit(
    manager: DialogManager,
    submit: SubmitCheck,
    *,
    signs: list[str],
    details: dict[str, DetailValue],
    photos: list[dict[str, Any]],
) -> None:
    sender = manager.middleware_data["event_from_user"]
    outcome = await submit(
        telegram_id=sender.id,
        pet_id=manager.dialog_data[KEY_PET],
        signs=signs,
        details=details,
        photos=[StoredPhoto(**photo) for photo in photos],
        idempotency_key=manager.dialog_data.get(KEY_IDEMPOTENCY),
        reason=manager.dialog_data.get(KEY_REASON),
    )
    await manager.start(
        CheckResultSG.MAIN, data={"check_id": outcome.check_id}, mode=StartMode.RESET_STACK
    )
    if outcome.result.urgency is Urgency.HIGH:
        # Under the card: one tap shares the location that finds the nearest 24/7 clinic.
        await offer_location(manager)


@inject
async def on_screen_done(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    submit: FromDishka[SubmitCheck],
) -> None:
    checked = manager.find(ID_SCREEN).get_checked()  # type: ignore[union-attr]
    if not checked:
        await manager.switch_to(CheckSG.AREA)
        return
    # An emergency: no more questions, the high card at once.
    signs: list[str] = []
    details: dict[str, DetailValue] = {}
    for item_id in checked:
        item = screen_item(item_id)
        if item is None:
            continue
        signs.extend(item.signs)
        details.update(item.details)
    await _submit(manager, submit, signs=signs, details=details, photos=[])


async def on_area_selected(
    callback: CallbackQuery, widget: Select[str], manager: DialogManager, area_id: str
) -> None:
    manager.dialog_data[KEY_AREA] = area_id
    await manager.switch_to(CheckSG.SIGNS)


@inject
async def on_signs_done(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    rules: FromDishka[RuleSet],
) -> None:
    signs = manager.find(ID_SIGNS).get_checked()  # type: ignore[union-attr]
    if not signs:
        await callback.answer(i18n_from(manager).get("err-check-choose-sign"), show_alert=True)
        return
    details: dict[str, Any] = manager.dialog_data.get(KEY_DETAILS, {})
    # Answers to details no longer asked about (a sign was unticked) must not linger.
    wanted = questions_for(signs, rules, known={})
    manager.dialog_data[KEY_DETAILS] = {k: v for k, v in details.items() if k in wanted}
    manager.dialog_data[KEY_QUEUE] = questions_for(signs, rules, known={})
    manager.dialog_data[KEY_ASKED] = []
    await _next_question(manager)


async def _next_question(manager: DialogManager) -> None:
    if manager.dialog_data.get(KEY_QUEUE):
        await manager.switch_to(CheckSG.QUESTION)
    else:
        await manager.switch_to(CheckSG.PHOTOS)


async def _answer(
    manager: DialogManager, value: DetailValue | None, shown: str | None = None
) -> None:
    queue: list[str] = manager.dialog_data[KEY_QUEUE]
    detail = queue.pop(0)
    if value is not None:
        manager.dialog_data[KEY_DETAILS][detail] = value
        if shown is not None:
            manager.dialog_data.setdefault(KEY_SHOWN, {})[detail] = shown
    manager.dialog_data[KEY_ASKED].append(detail)
    await _next_question(manager)


async def on_yes(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await _answer(manager, True)


async def on_no(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await _answer(manager, False)


async def on_as_before(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    queue: list[str] = manager.dialog_data.get(KEY_QUEUE, [])
    earlier: dict[str, DetailValue] = manager.dialog_data.get(KEY_EARLIER, {})
    if not queue or queue[0] not in earlier:
        return  # a button of an older window
    value = earlier[queue[0]]
    shown = (
        None if isinstance(value, bool | str) else value_text(i18n_from(manager), queue[0], value)
    )
    await _answer(manager, value, shown)


async def on_dont_know(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    # Not reported: the rules read absent details literally, never as a guess.
    await _answer(manager, None)


@inject
async def on_quick_pick(
    callback: CallbackQuery,
    widget: Select[str],
    manager: DialogManager,
    item_id: str,
    rules: FromDishka[RuleSet],
) -> None:
    queue: list[str] = manager.dialog_data.get(KEY_QUEUE, [])
    if not queue or not item_id.isdigit():
        return
    picks = quick_picks(queue[0], rules)
    index = int(item_id)
    if index >= len(picks):
        return  # a button of an older questionnaire
    pick = picks[index]
    await _answer(manager, pick.value, pick_label(i18n_from(manager), queue[0], pick))


@inject
async def on_number_text(
    message: Message, widget: MessageInput, manager: DialogManager, rules: FromDishka[RuleSet]
) -> None:
    i18n = i18n_from(manager)
    manager.show_mode = ShowMode.DELETE_AND_SEND
    queue: list[str] = manager.dialog_data.get(KEY_QUEUE, [])
    if not queue or not message.text:
        await message.answer(i18n.get("err-check-type-number"))
        return
    detail = queue[0]
    if rules.details.get(detail) == "bool":
        # A yes/no question: typed words are ambiguous ("maybe", "да вроде"); buttons are not.
        if not await hear_typed_text(message.text, manager, in_form=True):
            await message.answer(i18n.get("err-use-buttons"))
        return
    try:
        reading = read_number_answer(detail, message.text, rules)
    except AnswerError as error:
        # "He's not breathing" typed into a number question is heard, not refused.
        if not await hear_typed_text(message.text, manager, in_form=True):
            await message.answer(i18n.get(ANSWER_ERRORS[error.reason]))
        return
    if isinstance(reading, AskBack):
        # Two readings that triage differently: the owner says which, we never guess.
        manager.dialog_data[KEY_ASK_OPTIONS] = list(reading.options)
        manager.dialog_data[KEY_ASK_TEXT] = message.text[:MAX_ECHO_CHARS]
        await manager.switch_to(CheckSG.ASK_BACK)
        return
    await _answer(manager, reading.value, value_text(i18n, detail, reading.value))


async def on_ask_back_option(
    callback: CallbackQuery, widget: Select[str], manager: DialogManager, item_id: str
) -> None:
    options: list[float] = manager.dialog_data.get(KEY_ASK_OPTIONS, [])
    queue: list[str] = manager.dialog_data.get(KEY_QUEUE, [])
    if not queue or not item_id.isdigit() or int(item_id) >= len(options):
        return
    value = options[int(item_id)]
    manager.dialog_data.pop(KEY_ASK_OPTIONS, None)
    manager.dialog_data.pop(KEY_ASK_TEXT, None)
    await _answer(manager, value, value_text(i18n_from(manager), queue[0], value))


async def on_retype(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    manager.dialog_data.pop(KEY_ASK_OPTIONS, None)
    manager.dialog_data.pop(KEY_ASK_TEXT, None)
    await manager.switch_to(CheckSG.QUESTION)


async def on_question_back(
    callback: CallbackQuery, button: Button, manager: DialogManager
) -> None:
    asked: list[str] = manager.dialog_data.get(KEY_ASKED, [])
    if not asked:
        await manager.switch_to(CheckSG.SIGNS)
        return
    previous = asked.pop()
    manager.dialog_data[KEY_DETAILS].pop(previous, None)
    manager.dialog_data.get(KEY_SHOWN, {}).pop(previous, None)
    manager.dialog_data[KEY_QUEUE].insert(0, previous)
    await manager.switch_to(CheckSG.QUESTION)


async def on_photos_back(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    if manager.dialog_data.get(KEY_ASKED):
        await on_question_back(callback, button, manager)
    else:
        await manager.switch_to(CheckSG.SIGNS)


@inject
async def on_photo(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    store_photo: FromDishka[StoreCheckPhoto],
) -> None:
    i18n = i18n_from(manager)
    manager.show_mode = ShowMode.DELETE_AND_SEND
    photos: list[dict[str, Any]] = manager.dialog_data.setdefault(KEY_PHOTOS, [])
    if len(photos) >= MAX_PHOTOS:
        await message.answer(i18n.get("err-check-too-many-photos", max_photos=MAX_PHOTOS))
        return
    if message.photo:
        file_id, file_size = message.photo[-1].file_id, message.photo[-1].file_size
    elif message.document:
        file_id, file_size = message.document.file_id, message.document.file_size
    else:
        await message.answer(i18n.get("err-check-send-photo"))
        return
    try:
        if file_size is not None and file_size > PHOTO_POLICY.max_bytes:
            # Refuse before downloading: the size Telegram reports is enough to know.
            raise UploadRejectedError(
                UploadRejectReason.TOO_LARGE, max_bytes=PHOTO_POLICY.max_bytes
            )
        downloaded = await message.bot.download(file_id)  # type: ignore[union-attr]
        data = downloaded.read() if downloaded else b""
        stored = await store_photo(message.chat.id, data, telegram_file_id=file_id)
    except UploadRejectedError as error:
        await message.answer(i18n.get(UPLOAD_ERRORS[error.reason], **error.message_args))
        return
    except UnusablePhotoError as error:
        # Too dark, blurred...: a tip for a better photo; nothing was stored.
        await message.answer(i18n.get(PHOTO_PROBLEMS[error.problem]))
        return
    except DOWNLOAD_FAILURES as error:
        # Telegram could not hand the file over: ask again, keep everything answered so far.
        logger.warning("could not download a check photo: %s", type(error).__name__)
        await message.answer(i18n.get("err-upload-download-failed"))
        return
    photos.append(
        {
            "storage_key": stored.storage_key,
            "content_type": stored.content_type,
            "size_bytes": stored.size_bytes,
            "telegram_file_id": stored.telegram_file_id,
        }
    )
    await message.answer(i18n.get("msg-check-photo-received", count=len(photos)))


@inject
async def on_submit(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    submit: FromDishka[SubmitCheck],
) -> None:
    await _submit(
        manager,
        submit,
        signs=list(manager.find(ID_SIGNS).get_checked()),  # type: ignore[union-attr]
        details=dict(manager.dialog_data.get(KEY_DETAILS, {})),
        photos=list(manager.dialog_data.get(KEY_PHOTOS, [])),
    )
