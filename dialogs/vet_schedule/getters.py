"""Getters of /schedule: the template, timing and exceptions in the vet's zone; never write."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.booking_errors import NotAVetError
from core.clock import Clock
from core.dates import DateStyle, format_day
from core.interactors.booking import (
    MAX_BUFFER_MINUTES,
    MAX_CONSULTATION_MINUTES,
    MIN_CONSULTATION_MINUTES,
    GetMySchedule,
)
from core.markup import Markup
from core.schedule import to_local
from dialogs.vet_schedule.handlers import KEY_CANCELLING, KEY_CONFLICTS, weekday_of
from dialogs.widgets.events import telegram_id_of
from dialogs.widgets.i18n import i18n_from
from dialogs.widgets.labels import WEEKDAY_LABELS
from dialogs.widgets.zone_labels import zone_text

KEY_FOUND = "found"
KEY_NOT_FOUND = "not_found"
KEY_UNVERIFIED = "unverified"
KEY_WEEKDAYS = "weekdays"  # [(label, index)]
KEY_EXCEPTIONS = "exception_items"  # [(label, exception id)]
KEY_HAS_EXCEPTIONS = "has_exceptions"
KEY_CONFLICT_ITEMS = "conflict_items"  # [(label, appointment id)]


@inject
async def get_schedule(
    dialog_manager: DialogManager,
    get_my_schedule: FromDishka[GetMySchedule],
    clock: FromDishka[Clock],
    **_: Any,
) -> dict[str, Any]:
    i18n = i18n_from(dialog_manager)
    weekday = weekday_of(dialog_manager)
    common = {
        KEY_WEEKDAYS: [
            (i18n.get(label), str(index)) for index, label in enumerate(WEEKDAY_LABELS)
        ],
        KEY_CONFLICT_ITEMS: [
            (str(label), str(appointment_id))
            for appointment_id, label in dialog_manager.dialog_data.get(KEY_CONFLICTS, [])
        ],
        "day": i18n.get(WEEKDAY_LABELS[weekday]) if weekday is not None else "",
        "count": len(dialog_manager.dialog_data.get(KEY_CONFLICTS, [])),
    }
    try:
        schedule = await get_my_schedule(telegram_id_of(dialog_manager))
    except NotAVetError:
        return {
            **common,
            KEY_FOUND: False,
            KEY_NOT_FOUND: True,
            KEY_EXCEPTIONS: [],
            KEY_HAS_EXCEPTIONS: False,
        }
    time_zone = schedule.vet.time_zone
    lines = []
    for index, label in enumerate(WEEKDAY_LABELS):
        windows = sorted(
            (rule.start_time, rule.end_time) for rule in schedule.rules if rule.weekday == index
        )
        hours = (
            ", ".join(f"{start:%H:%M}–{end:%H:%M}" for start, end in windows)
            if windows
            else i18n.get("lbl-vet-schedule-day-off")
        )
        lines.append(i18n.get("lbl-vet-schedule-day", day=i18n.get(label), hours=hours))
    items = []
    for exception in schedule.exceptions:
        start = to_local(exception.starts_at, time_zone)
        end = to_local(exception.ends_at, time_zone)
        key = "lbl-vet-exception-extra" if exception.is_available else "lbl-vet-exception-off"
        # A whole day off ends at the next midnight: show it as 24:00 of the same day.
        end_text = (
            "24:00" if end.date() > start.date() and end.time().hour == 0 else f"{end:%H:%M}"
        )
        text = i18n.get(
            key,
            date=format_day(start, DateStyle.LONG, i18n.locale),
            start=f"{start:%H:%M}",
            end=end_text,
        )
        items.append((text, str(exception.id)))
    return {
        **common,
        KEY_FOUND: True,
        KEY_NOT_FOUND: False,
        KEY_UNVERIFIED: not (schedule.vet.is_verified and schedule.vet.is_active),
        "zone": zone_text(i18n, time_zone, clock.now()),
        "template": Markup("\n").join(lines),
        "length": schedule.timing.consultation_minutes,
        "buffer": schedule.timing.buffer_minutes,
        "exceptions": Markup("\n").join(text for text, _ in items)
        if items
        else i18n.get("lbl-vet-no-exceptions"),
        KEY_EXCEPTIONS: items,
        KEY_HAS_EXCEPTIONS: bool(items),
    }


async def get_length_bounds(**_: Any) -> dict[str, Any]:
    return {"min": MIN_CONSULTATION_MINUTES, "max": MAX_CONSULTATION_MINUTES}


async def get_buffer_bounds(**_: Any) -> dict[str, Any]:
    return {"max": MAX_BUFFER_MINUTES}


async def get_cancelling(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    """The consultation the vet is about to cancel, as listed among the conflicts."""
    cancelling = dialog_manager.dialog_data.get(KEY_CANCELLING)
    label = cancelling[1] if isinstance(cancelling, list) and len(cancelling) == 2 else ""
    return {"start": label}
