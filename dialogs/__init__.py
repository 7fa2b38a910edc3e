"""aiogram-dialog features; `build_dialogs()` makes fresh Dialog routers (one Dispatcher each)."""

from __future__ import annotations

from aiogram import Router


def build_dialogs() -> list[Router]:
    # Imported here: a Dialog attaches to one Dispatcher only, so each call builds new ones.
    from dialogs.language.dialog import build_language_dialog
    from dialogs.main_menu.dialog import build_main_menu_dialog
    from dialogs.onboarding.dialog import build_onboarding_dialog

    return [build_onboarding_dialog(), build_main_menu_dialog(), build_language_dialog()]
