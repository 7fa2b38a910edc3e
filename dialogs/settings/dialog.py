"""/reminders (SettingsSG): a switch per reminder kind, quiet hours, the time zone; and the time
zone choice (TimeZoneSG), opened from the settings or asked once by another feature."""

from __future__ import annotations

from operator import itemgetter

from aiogram.enums import ContentType
from aiogram_dialog import Dialog, StartMode, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import (
    Button,
    Cancel,
    Column,
    Group,
    Select,
    Start,
    SwitchTo,
)

from dialogs.settings.getters import (
    KEY_ASKED,
    KEY_BROWSING,
    KEY_KINDS,
    KEY_PRESETS,
    KEY_QUICK_ZONES,
    KEY_ZONE_GUESSED,
    get_guess,
    get_settings,
    get_time_zone,
)
from dialogs.settings.handlers import (
    on_guess_confirmed,
    on_keep_zone,
    on_kind_toggled,
    on_location,
    on_quick_zone,
    on_quiet_off,
    on_quiet_preset,
    on_quiet_typed,
    on_share_location,
    on_zone_typed,
)
from dialogs.states import MainMenuSG, SettingsSG, TimeZoneSG
from dialogs.widgets.hints import unexpected_input_hint
from dialogs.widgets.i18n import ButtonLabel, I18nFormat

ID_KINDS = "settings_kinds"
ID_QUIET = "settings_quiet"
ID_ZONE = "settings_zone"
ID_HOME = "settings_home"
ID_PRESETS = "quiet_presets"
ID_QUIET_OFF = "quiet_off"
ID_QUIET_BACK = "quiet_back"
ID_QUICK_ZONES = "tz_quick"
ID_TO_LOCATION = "tz_location"
ID_KEEP = "tz_keep"
ID_ZONE_BACK = "tz_back"
ID_GUESS_YES = "tz_guess_yes"
ID_GUESS_NO = "tz_guess_no"

main_window = Window(
    I18nFormat("msg-settings"),
    I18nFormat("lbl-settings-zone-guessed", when=KEY_ZONE_GUESSED),
    Column(
        Select(
            ButtonLabel("{item[0]}"),
            id=ID_KINDS,
            item_id_getter=itemgetter(1),
            items=KEY_KINDS,
            on_click=on_kind_toggled,  # type: ignore[arg-type]  # dishka picks the 3-arg overload
        )
    ),
    SwitchTo(I18nFormat("btn-settings-quiet"), id=ID_QUIET, state=SettingsSG.QUIET_HOURS),
    Start(I18nFormat("btn-settings-zone"), id=ID_ZONE, state=TimeZoneSG.PICK),
    # Not Cancel: /reminders opens this dialog alone, with nothing below to go back to.
    Start(
        I18nFormat("btn-main-menu"), id=ID_HOME, state=MainMenuSG.MAIN, mode=StartMode.RESET_STACK
    ),
    unexpected_input_hint(),
    getter=get_settings,
    state=SettingsSG.MAIN,
)

quiet_window = Window(
    I18nFormat("msg-settings-quiet"),
    Group(
        Select(
            ButtonLabel("🌙 {item[0]}"),
            id=ID_PRESETS,
            item_id_getter=itemgetter(1),
            items=KEY_PRESETS,
            on_click=on_quiet_preset,  # type: ignore[arg-type]
        ),
        width=2,
    ),
    Button(I18nFormat("btn-settings-quiet-off"), id=ID_QUIET_OFF, on_click=on_quiet_off),
    SwitchTo(I18nFormat("btn-back"), id=ID_QUIET_BACK, state=SettingsSG.MAIN),
    MessageInput(on_quiet_typed, content_types=ContentType.TEXT),
    unexpected_input_hint("err-quiet-hours-hint"),
    getter=get_settings,
    state=SettingsSG.QUIET_HOURS,
)

pick_window = Window(
    I18nFormat("msg-time-zone-ask", when=KEY_ASKED),
    I18nFormat("msg-time-zone", when=KEY_BROWSING),
    I18nFormat("lbl-time-zone-how"),
    Group(
        Select(
            ButtonLabel("{item[0]}"),
            id=ID_QUICK_ZONES,
            item_id_getter=itemgetter(1),
            items=KEY_QUICK_ZONES,
            on_click=on_quick_zone,  # type: ignore[arg-type]
        ),
        width=3,
    ),
    Button(I18nFormat("btn-time-zone-location"), id=ID_TO_LOCATION, on_click=on_share_location),
    Button(I18nFormat("btn-time-zone-keep"), id=ID_KEEP, on_click=on_keep_zone, when=KEY_ASKED),
    Cancel(I18nFormat("btn-back"), id=ID_ZONE_BACK, when=KEY_BROWSING),
    MessageInput(on_zone_typed, content_types=ContentType.TEXT),
    MessageInput(on_location, content_types=ContentType.LOCATION),
    unexpected_input_hint("err-time-zone-hint"),
    getter=get_time_zone,
    state=TimeZoneSG.PICK,
)

confirm_window = Window(
    I18nFormat("msg-time-zone-guess"),
    Button(I18nFormat("btn-time-zone-yes"), id=ID_GUESS_YES, on_click=on_guess_confirmed),
    SwitchTo(I18nFormat("btn-time-zone-no"), id=ID_GUESS_NO, state=TimeZoneSG.PICK),
    MessageInput(on_zone_typed, content_types=ContentType.TEXT),
    MessageInput(on_location, content_types=ContentType.LOCATION),
    unexpected_input_hint("err-time-zone-hint"),
    getter=get_guess,
    state=TimeZoneSG.CONFIRM,
)


def build_settings_dialogs() -> list[Dialog]:
    return [
        Dialog(main_window, quiet_window),
        Dialog(pick_window, confirm_window),
    ]
