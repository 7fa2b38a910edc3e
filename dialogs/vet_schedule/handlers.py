"""Handlers of /schedule: parse what the vet typed, call the booking interactor, navigate.

Times typed here are the vet's wall-clock times in the vet's zone; the booking domain stores
the template as such and exceptions as UTC instants.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Select
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.booking_errors import (
    AppointmentNotCancellableError,
    AppointmentNotFoundError,
    AvailabilityExceptionNotFoundError,
    NotAVetError,
    ReasonTooLongError,
    ScheduleInputError,
)
from core.clock import Clock
from core.dates import DateStyle, format_day
from core.entities import ConsultationTiming
from core.interactors.booking import (
    MAX_BUFFER_MINUTES,
    MAX_CANCEL_REASON_LENGTH,
    MAX_CONSULTATION_MINUTES,
    MIN_CONSULTATION_MINUTES,
    AddException,
    CancelByVet,
    GetMySchedule,
    RemoveException,
    SetWeeklyTemplate,
    VetSchedule,
)
from core.interactors.booking_views import GetAppointmentCardForVet
from core.schedule import WeeklyWindow, local_day_bounds, local_today, to_local, zone
from core.vet_input import parse_date, parse_date_and_interval, parse_day_hours, parse_minutes
from core.vets_errors import VetInputError
from dialogs.states import VetScheduleSG
from dialogs.widgets.events import notify, say, telegram_id_of
from dialogs.widgets.i18n import i18n_from
from dialogs.widgets.vet_input_errors import notify_schedule_error, notify_vet_input_error

KEY_WEEKDAY = "weekday"
KEY_CONFLICTS = "conflicts"  # [[appointment id, "5 Dec 2026 14:00" in the vet's zone]]
KEY_CANCELLING = "cancelling"  # [appointment id, label]: awaiting the vet's reason
ID_REASON_ILL = "schedule_reason_ill"
ID_REASON_EMERGENCY = "schedule_reason_emergency"
ID_REASON_SCHEDULE = "schedule_reason_schedule"
# The offered reasons: button → the text the owner reads, in the owner's language.
CANCEL_REASONS = {
    ID_REASON_ILL: "lbl-money-vet-reason-ill",
    ID_REASON_EMERGENCY: "lbl-money-vet-reason-emergency",
    ID_REASON_SCHEDULE: "lbl-money-vet-reason-schedule",
}


def weekday_of(manager: DialogManager) -> int | None:
    value = manager.dialog_data.get(KEY_WEEKDAY)
    return value if isinstance(value, int) and 0 <= value <= 6 else None


def _windows(schedule: VetSchedule) -> list[WeeklyWindow]:
    return [WeeklyWindow(r.weekday, r.start_time, r.end_time) for r in schedule.rules]


async def _saved(manager: DialogManager) -> None:
    await say(manager, "msg-vet-schedule-saved")
    await manager.switch_to(VetScheduleSG.MAIN)


async def _not_a_vet(manager: DialogManager) -> None:
    await notify(manager, "err-vet-only")
    await manager.done()


async def on_day_selected(
    callback: CallbackQuery, widget: Select[str], manager: DialogManager, item_id: str
) -> None:
    if not item_id.isdigit() or not 0 <= int(item_id) <= 6:
        await notify(manager, "err-use-buttons")
        return
    manager.dialog_data[KEY_WEEKDAY] = int(item_id)
    await manager.switch_to(VetScheduleSG.HOURS)


@inject
async def on_hours(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    get_my_schedule: FromDishka[GetMySchedule],
    set_weekly_template: FromDishka[SetWeeklyTemplate],
) -> None:
    weekday = weekday_of(manager)
    if weekday is None:
        await manager.switch_to(VetScheduleSG.DAY)
        return
    telegram_id = telegram_id_of(manager)
    try:
        windows = parse_day_hours(message.text or "", weekday)
        schedule = await get_my_schedule(telegram_id)
        others = [w for w in _windows(schedule) if w.weekday != weekday]
        await set_weekly_template(telegram_id, [*others, *windows])
    except VetInputError as error:
        await notify_vet_input_error(manager, error)
        return
    except ScheduleInputError as error:
        await notify_schedule_error(manager, error)
        return
    except NotAVetError:
        await _not_a_vet(manager)
        return
    await _saved(manager)


async def _set_timing(
    manager: DialogManager,
    text: str,
    get_my_schedule: GetMySchedule,
    set_weekly_template: SetWeeklyTemplate,
    *,
    length: bool,
) -> None:
    telegram_id = telegram_id_of(manager)
    try:
        if length:
            minutes = parse_minutes(
                text, low=MIN_CONSULTATION_MINUTES, high=MAX_CONSULTATION_MINUTES
            )
        else:
            minutes = parse_minutes(text, low=0, high=MAX_BUFFER_MINUTES)
        schedule = await get_my_schedule(telegram_id)
        current = schedule.timing
        timing = ConsultationTiming(
            consultation_minutes=minutes if length else current.consultation_minutes,
            buffer_minutes=current.buffer_minutes if length else minutes,
        )
        await set_weekly_template(telegram_id, _windows(schedule), timing)
    except VetInputError as error:
        await notify_vet_input_error(manager, error)
        return
    except ScheduleInputError as error:
        await notify_schedule_error(manager, error)
        return
    except NotAVetError:
        await _not_a_vet(manager)
        return
    await _saved(manager)


@inject
async def on_length(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    get_my_schedule: FromDishka[GetMySchedule],
    set_weekly_template: FromDishka[SetWeeklyTemplate],
) -> None:
    await _set_timing(
        manager, message.text or "", get_my_schedule, set_weekly_template, length=True
    )


@inject
async def on_buffer(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    get_my_schedule: FromDishka[GetMySchedule],
    set_weekly_template: FromDishka[SetWeeklyTemplate],
) -> None:
    await _set_timing(
        manager, message.text or "", get_my_schedule, set_weekly_template, length=False
    )


def _instant(day: date, wall: time, time_zone: str) -> datetime:
    return datetime.combine(day, wall, tzinfo=zone(time_zone)).astimezone(UTC)


async def _add_exception(
    manager: DialogManager,
    add_exception: AddException,
    *,
    starts_at: datetime,
    ends_at: datetime,
    is_available: bool,
    time_zone: str,
) -> None:
    try:
        added = await add_exception(
            telegram_id_of(manager),
            starts_at=starts_at,
            ends_at=ends_at,
            is_available=is_available,
        )
    except ScheduleInputError as error:
        await notify_schedule_error(manager, error)
        return
    except NotAVetError:
        await _not_a_vet(manager)
        return
    if not added.conflicting:
        await _saved(manager)
        return
    # Booked consultations stay: cancelling them is the vet's explicit choice, one by one.
    manager.dialog_data[KEY_CONFLICTS] = [
        [a.id, _moment(to_local(a.starts_at, time_zone), i18n_from(manager).locale)]
        for a in added.conflicting
    ]
    await say(manager, "msg-vet-schedule-saved")
    await manager.switch_to(VetScheduleSG.CONFLICTS)


@inject
async def on_day_off(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    get_my_schedule: FromDishka[GetMySchedule],
    add_exception: FromDishka[AddException],
    clock: FromDishka[Clock],
) -> None:
    try:
        schedule = await get_my_schedule(telegram_id_of(manager))
        time_zone = schedule.vet.time_zone
        day = parse_date(message.text or "", local_today(clock.now(), time_zone))
    except VetInputError as error:
        await notify_vet_input_error(manager, error)
        return
    except NotAVetError:
        await _not_a_vet(manager)
        return
    starts_at, ends_at = local_day_bounds(day, time_zone)
    await _add_exception(
        manager,
        add_exception,
        starts_at=starts_at,
        ends_at=ends_at,
        is_available=False,
        time_zone=time_zone,
    )


@inject
async def on_extra(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    get_my_schedule: FromDishka[GetMySchedule],
    add_exception: FromDishka[AddException],
    clock: FromDishka[Clock],
) -> None:
    try:
        schedule = await get_my_schedule(telegram_id_of(manager))
        time_zone = schedule.vet.time_zone
        day, start, end = parse_date_and_interval(
            message.text or "", local_today(clock.now(), time_zone)
        )
    except VetInputError as error:
        await notify_vet_input_error(manager, error)
        return
    except NotAVetError:
        await _not_a_vet(manager)
        return
    await _add_exception(
        manager,
        add_exception,
        starts_at=_instant(day, start, time_zone),
        ends_at=_instant(day, end, time_zone),
        is_available=True,
        time_zone=time_zone,
    )


@inject
async def on_exception_selected(
    callback: CallbackQuery,
    widget: Select[str],
    manager: DialogManager,
    item_id: str,
    remove_exception: FromDishka[RemoveException],
) -> None:
    try:
        await remove_exception(telegram_id_of(manager), int(item_id))
    except (ValueError, AvailabilityExceptionNotFoundError):
        await notify(manager, "err-vet-exception-not-found")
        return
    except NotAVetError:
        await _not_a_vet(manager)
        return
    await _saved(manager)


async def on_cancel_conflict(
    callback: CallbackQuery, widget: Select[str], manager: DialogManager, item_id: str
) -> None:
    """A paid consultation is not cancelled on one tap: the vet confirms with a reason."""
    conflicts = [
        item for item in manager.dialog_data.get(KEY_CONFLICTS, []) if str(item[0]) == item_id
    ]
    if not conflicts:
        await notify(manager, "err-use-buttons")
        return
    manager.dialog_data[KEY_CANCELLING] = list(conflicts[0])
    await manager.switch_to(VetScheduleSG.CANCEL_REASON)


@inject
async def on_cancel_reason_chosen(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    cancel_by_vet: FromDishka[CancelByVet],
    get_card: FromDishka[GetAppointmentCardForVet],
) -> None:
    reason_key = CANCEL_REASONS.get(button.widget_id or "")
    if reason_key is None:
        await notify(manager, "err-use-buttons")
        return
    await _cancel_with_reason(manager, cancel_by_vet, get_card, reason_key=reason_key)


@inject
async def on_cancel_reason_typed(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    cancel_by_vet: FromDishka[CancelByVet],
    get_card: FromDishka[GetAppointmentCardForVet],
) -> None:
    reason = (message.text or "").strip()
    if not reason or len(reason) > MAX_CANCEL_REASON_LENGTH:
        await notify(manager, "err-money-vet-reason-text", max=MAX_CANCEL_REASON_LENGTH)
        return
    await _cancel_with_reason(manager, cancel_by_vet, get_card, reason=reason)


async def _cancel_with_reason(
    manager: DialogManager,
    cancel_by_vet: CancelByVet,
    get_card: GetAppointmentCardForVet,
    *,
    reason: str | None = None,
    reason_key: str | None = None,
) -> None:
    cancelling = manager.dialog_data.pop(KEY_CANCELLING, None)
    if not isinstance(cancelling, list) or len(cancelling) != 2:
        await notify(manager, "err-use-buttons")
        await manager.switch_to(VetScheduleSG.CONFLICTS)
        return
    appointment_id, label = int(cancelling[0]), str(cancelling[1])
    # The owner reads a typed reason as it is; an offered one in the owner's own language.
    stored = reason if reason is not None else i18n_from(manager).get(reason_key or "")
    try:
        await cancel_by_vet(
            telegram_id_of(manager), appointment_id, reason=stored, offered_reason=reason_key
        )
    except (AppointmentNotFoundError, AppointmentNotCancellableError):
        await notify(manager, "err-vet-appointment-not-cancellable")
    except ReasonTooLongError:
        await notify(manager, "err-money-vet-reason-text", max=MAX_CANCEL_REASON_LENGTH)
        manager.dialog_data[KEY_CANCELLING] = cancelling
        return
    except NotAVetError:
        await _not_a_vet(manager)
        return
    else:
        # The owner is told by CancelByVet, through the BookingNotices port.
        await say(manager, "msg-vet-appointment-cancelled", start=label)
    item_id = str(appointment_id)
    remaining = [
        item for item in manager.dialog_data.get(KEY_CONFLICTS, []) if str(item[0]) != item_id
    ]
    manager.dialog_data[KEY_CONFLICTS] = remaining
    await manager.switch_to(VetScheduleSG.CONFLICTS if remaining else VetScheduleSG.MAIN)


def _moment(local: datetime, locale: str) -> str:
    return f"{format_day(local, DateStyle.LONG, locale)} {local:%H:%M}"
