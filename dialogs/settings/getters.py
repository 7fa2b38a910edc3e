"""Getters of the reminder settings and the time zone choice: read through the interactors."""

from __future__ import annotations

from typing import Any, Final

from aiogram_dialog import DialogManager
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.clock import Clock
from core.enums import ReminderKind
from core.interactors.reminder_settings import SETTABLE_KINDS, GetReminderSettings
from core.quiet_hours import QUIET_PRESETS, format_quiet_hours, quiet_hours_off, to_minutes
from core.time_zones import quick_zones, zone_label
from dialogs.navigation import KEY_TIME_ZONE_ASKED
from dialogs.settings.zone_names import city_name, zone_display, zone_label_text
from dialogs.widgets.events import telegram_id_of
from dialogs.widgets.i18n import i18n_from

KEY_ZONE = "zone"  # "Москва, МСК (UTC+3)"
KEY_ZONE_LABEL = "zone_label"  # "МСК (UTC+3)", no city
KEY_ZONE_GUESSED = "zone_guessed"  # not chosen yet: the language's likely zone
KEY_QUIET = "quiet"  # "22:00–08:00", or the word for none
KEY_KINDS = "kinds"  # (button text, item id)
KEY_PRESETS = "presets"  # (label, item id "start-end" in minutes)
KEY_QUICK_ZONES = "quick_zones"  # (city, index into quick_zones(locale))
# Start data: a feature asked (navigation.ask_time_zone), not the settings.
KEY_ASKED = KEY_TIME_ZONE_ASKED
KEY_BROWSING = "browsing"  # the opposite: opened from the settings
KEY_GUESS_ZONE = "guess_zone"  # dialog data: the zone a shared location points to
KEY_GUESS_CITY = "guess_city"

# Item ids of the kind toggles say what a press does: "vaccination-off" switches it off, so a
# stale double press repeats the same wish instead of flipping it back.
TOGGLE_ON = "on"
TOGGLE_OFF = "off"

KIND_KEYS: Final[dict[ReminderKind, str]] = {
    ReminderKind.VACCINATION: "lbl-settings-kind-vaccination",
    ReminderKind.PARASITE_TREATMENT: "lbl-settings-kind-parasite-treatment",
    ReminderKind.MEDICATION: "lbl-settings-kind-medication",
    ReminderKind.APPOINTMENT: "lbl-settings-kind-appointment",
    ReminderKind.FOLLOW_UP: "lbl-settings-kind-follow-up",
}
MARK_ON = "✅"
MARK_OFF = "🔕"


def preset_id(start_minutes: int, end_minutes: int) -> str:
    return f"{start_minutes}-{end_minutes}"


@inject
async def get_settings(
    dialog_manager: DialogManager,
    get_reminder_settings: FromDishka[GetReminderSettings],
    **_: Any,
) -> dict[str, Any]:
    i18n = i18n_from(dialog_manager)
    settings = await get_reminder_settings(telegram_id_of(dialog_manager), i18n.locale)
    kinds = []
    for kind in SETTABLE_KINDS:
        on = kind not in settings.kinds_off
        text = f"{MARK_ON if on else MARK_OFF} {i18n.get(KIND_KEYS[kind])}"
        kinds.append((text, f"{kind.value}-{TOGGLE_OFF if on else TOGGLE_ON}"))
    quiet = (
        i18n.get("lbl-settings-quiet-none")
        if settings.quiet_hours_off
        else format_quiet_hours(settings.quiet_start, settings.quiet_end)
    )
    presets = [
        (format_quiet_hours(start, end), preset_id(to_minutes(start), to_minutes(end)))
        for start, end in QUIET_PRESETS
        if not quiet_hours_off(start, end)
    ]
    return {
        KEY_ZONE: zone_display(i18n, settings.time_zone, settings.zone_label),
        KEY_ZONE_GUESSED: not settings.zone_chosen,
        KEY_QUIET: quiet,
        KEY_KINDS: kinds,
        KEY_PRESETS: presets,
    }


@inject
async def get_time_zone(
    dialog_manager: DialogManager,
    get_reminder_settings: FromDishka[GetReminderSettings],
    **_: Any,
) -> dict[str, Any]:
    i18n = i18n_from(dialog_manager)
    settings = await get_reminder_settings(telegram_id_of(dialog_manager), i18n.locale)
    start_data = dialog_manager.start_data
    asked = isinstance(start_data, dict) and bool(start_data.get(KEY_ASKED))
    quick = [
        (city_name(i18n, name) or name, str(index))
        for index, name in enumerate(quick_zones(i18n.locale))
    ]
    return {
        KEY_ZONE: zone_display(i18n, settings.time_zone, settings.zone_label),
        KEY_ZONE_LABEL: zone_label_text(i18n, settings.zone_label),
        KEY_QUICK_ZONES: quick,
        KEY_ASKED: asked,
        KEY_BROWSING: not asked,
    }


@inject
async def get_guess(
    dialog_manager: DialogManager, clock: FromDishka[Clock], **_: Any
) -> dict[str, Any]:
    i18n = i18n_from(dialog_manager)
    name = str(dialog_manager.dialog_data.get(KEY_GUESS_ZONE) or "UTC")
    return {
        KEY_GUESS_CITY: city_name(i18n, name) or name,
        KEY_ZONE_LABEL: zone_label_text(i18n, zone_label(name, clock.now())),
    }
