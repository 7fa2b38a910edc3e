"""Handlers of the reminder settings and the time zone choice: validate, call one interactor,
navigate. Typed input that cannot be read gets a short hint and the window again."""

from __future__ import annotations

from datetime import time
from typing import Final

from aiogram.types import (
    CallbackQuery,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Select
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.interactors.reminder_settings import (
    ChooseTimeZone,
    ChosenZone,
    KeepLikelyTimeZone,
    ReminderKindNotSettableError,
    SetQuietHours,
    SwitchReminderKind,
)
from core.quiet_hours import (
    QUIET_HOURS_OFF,
    QuietHoursError,
    QuietHoursErrorReason,
    from_minutes,
    parse_quiet_hours,
)
from core.time_zones import (
    TimeZoneError,
    TimeZoneErrorReason,
    nearest_city,
    parse_time_zone,
    quick_zones,
)
from dialogs.settings.getters import KEY_GUESS_ZONE, TOGGLE_ON
from dialogs.settings.zone_names import zone_by_city_name, zone_display
from dialogs.states import SettingsSG, TimeZoneSG
from dialogs.widgets.events import notify, telegram_id_of
from dialogs.widgets.free_text import hear_typed_text
from dialogs.widgets.i18n import i18n_from

KEY_KEYBOARD_SHOWN = "location_keyboard"  # dialog data: the reply keyboard was sent

# What `done` hands back to the feature that asked (navigation.ask_time_zone).
RESULT_TIME_ZONE = "time_zone"

_QUIET_ERROR_KEYS: Final[dict[QuietHoursErrorReason, str]] = {
    QuietHoursErrorReason.UNREADABLE: "err-quiet-hours-unreadable",
    QuietHoursErrorReason.OUT_OF_RANGE: "err-quiet-hours-out-of-range",
}
_ZONE_ERROR_KEYS: Final[dict[TimeZoneErrorReason, str]] = {
    TimeZoneErrorReason.UNKNOWN: "err-time-zone-unknown",
    TimeZoneErrorReason.OFFSET_OUT_OF_RANGE: "err-time-zone-offset",
    TimeZoneErrorReason.LOCATION_INVALID: "err-time-zone-location",
}


# --- the settings window ---------------------------------------------------------------------


@inject
async def on_kind_toggled(
    callback: CallbackQuery,
    widget: Select[str],
    manager: DialogManager,
    item_id: str,
    switch: FromDishka[SwitchReminderKind],
) -> None:
    kind, _, wish = item_id.rpartition("-")
    try:
        await switch(telegram_id_of(manager), kind, on=wish == TOGGLE_ON)
    except ReminderKindNotSettableError:
        await notify(manager, "err-settings-stale")


@inject
async def on_quiet_preset(
    callback: CallbackQuery,
    widget: Select[str],
    manager: DialogManager,
    item_id: str,
    set_quiet_hours: FromDishka[SetQuietHours],
) -> None:
    start, _, end = item_id.partition("-")
    if not (start.isdigit() and end.isdigit()):
        await notify(manager, "err-settings-stale")
        return
    await _set_quiet(manager, set_quiet_hours, from_minutes(int(start)), from_minutes(int(end)))


@inject
async def on_quiet_off(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    set_quiet_hours: FromDishka[SetQuietHours],
) -> None:
    await _set_quiet(manager, set_quiet_hours, *QUIET_HOURS_OFF)


@inject
async def on_quiet_typed(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    set_quiet_hours: FromDishka[SetQuietHours],
) -> None:
    text = message.text or ""
    try:
        start, end = parse_quiet_hours(text)
    except QuietHoursError as error:
        if await hear_typed_text(text, manager, in_form=True):
            return
        await notify(manager, _QUIET_ERROR_KEYS[error.reason])
        return
    await _set_quiet(manager, set_quiet_hours, start, end)


async def _set_quiet(
    manager: DialogManager, set_quiet_hours: SetQuietHours, start: time, end: time
) -> None:
    await set_quiet_hours(telegram_id_of(manager), start, end)
    await manager.switch_to(SettingsSG.MAIN)


# --- choosing a time zone --------------------------------------------------------------------


@inject
async def on_quick_zone(
    callback: CallbackQuery,
    widget: Select[str],
    manager: DialogManager,
    item_id: str,
    choose: FromDishka[ChooseTimeZone],
) -> None:
    zones = quick_zones(i18n_from(manager).locale)
    if not item_id.isdigit() or int(item_id) >= len(zones):
        await notify(manager, "err-settings-stale")  # a button of another language's list
        return
    await _choose(manager, choose, zones[int(item_id)])


@inject
async def on_zone_typed(
    message: Message,
    widget: MessageInput,
    manager: DialogManager,
    choose: FromDishka[ChooseTimeZone],
) -> None:
    text = message.text or ""
    found = zone_by_city_name(i18n_from(manager), text)
    if found is None:
        try:
            found = parse_time_zone(text)
        except TimeZoneError as error:
            if await hear_typed_text(text, manager, in_form=True):
                return
            await notify(manager, _ZONE_ERROR_KEYS[error.reason])
            return
    await _choose(manager, choose, found)


async def on_location(message: Message, widget: MessageInput, manager: DialogManager) -> None:
    location = message.location
    if location is None:
        return
    try:
        city = nearest_city(location.latitude, location.longitude)
    except TimeZoneError as error:
        await notify(manager, _ZONE_ERROR_KEYS[error.reason])
        return
    # Only the guessed zone is kept, never the point itself.
    manager.dialog_data[KEY_GUESS_ZONE] = city.zone
    await manager.switch_to(TimeZoneSG.CONFIRM)


async def on_share_location(
    callback: CallbackQuery, button: Button, manager: DialogManager
) -> None:
    """A reply keyboard under the window: only it asks Telegram for the location in one tap
    (a window's own keyboard is inline). It goes when the zone is chosen (`_finish`)."""
    i18n = i18n_from(manager)
    keyboard = ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=i18n.get("btn-share-location"), request_location=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )
    await manager.middleware_data["bot"].send_message(
        callback.from_user.id, i18n.get("msg-time-zone-location"), reply_markup=keyboard
    )
    manager.dialog_data[KEY_KEYBOARD_SHOWN] = True
    # The window stays where it is, above the hint: its buttons still work.
    manager.show_mode = ShowMode.NO_UPDATE


@inject
async def on_guess_confirmed(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    choose: FromDishka[ChooseTimeZone],
) -> None:
    guess = manager.dialog_data.get(KEY_GUESS_ZONE)
    if not isinstance(guess, str):
        await manager.switch_to(TimeZoneSG.PICK)
        return
    await _choose(manager, choose, guess)


@inject
async def on_keep_zone(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    keep: FromDishka[KeepLikelyTimeZone],
) -> None:
    await _finish(manager, await keep(telegram_id_of(manager), i18n_from(manager).locale))


async def _choose(manager: DialogManager, choose: ChooseTimeZone, name: str) -> None:
    try:
        chosen = await choose(telegram_id_of(manager), name)
    except TimeZoneError as error:
        await notify(manager, _ZONE_ERROR_KEYS[error.reason])
        return
    await _finish(manager, chosen)


async def _finish(manager: DialogManager, chosen: ChosenZone) -> None:
    i18n = i18n_from(manager)
    text = i18n.get("msg-time-zone-set", zone=zone_display(i18n, chosen.time_zone, chosen.label))
    # The location keyboard, if one was offered, leaves with this message.
    markup = ReplyKeyboardRemove() if manager.dialog_data.get(KEY_KEYBOARD_SHOWN) else None
    await manager.middleware_data["bot"].send_message(
        telegram_id_of(manager), text, reply_markup=markup
    )
    manager.show_mode = ShowMode.SEND
    # The feature that asked gets the zone back (aiogram-dialog's on_process_result).
    await manager.done({RESULT_TIME_ZONE: chosen.time_zone})
