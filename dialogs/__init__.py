"""aiogram-dialog features; `build_dialogs()` makes fresh Dialog routers (one Dispatcher each)."""

from __future__ import annotations

from aiogram import Router


def build_dialogs() -> list[Router]:
    # Imported here: a Dialog attaches to one Dispatcher only, so each call builds new ones.
    from dialogs.account.dialog import build_account_dialog
    from dialogs.booking.dialog import build_booking_dialogs
    from dialogs.check.dialog import build_check_dialog
    from dialogs.check_result.dialog import build_check_result_dialog
    from dialogs.free_text.dialog import build_free_text_dialog
    from dialogs.language.dialog import build_language_dialog
    from dialogs.main_menu.dialog import build_main_menu_dialog
    from dialogs.onboarding.dialog import build_onboarding_dialog
    from dialogs.pets.dialog import build_pets_dialogs
    from dialogs.records.dialog import build_records_dialogs
    from dialogs.settings.dialog import build_settings_dialogs
    from dialogs.sharing.dialog import build_sharing_dialog
    from dialogs.support.dialog import build_support_dialog
    from dialogs.vet_admin.dialog import build_vet_admin_dialog
    from dialogs.vet_onboarding.dialog import build_vet_profile_dialog
    from dialogs.vet_schedule.dialog import build_vet_schedule_dialog

    return [
        build_onboarding_dialog(),
        build_main_menu_dialog(),
        build_language_dialog(),
        *build_pets_dialogs(),
        *build_records_dialogs(),
        *build_settings_dialogs(),
        build_check_dialog(),
        build_check_result_dialog(),
        build_free_text_dialog(),
        build_sharing_dialog(),
        build_account_dialog(),
        *build_booking_dialogs(),
        build_vet_profile_dialog(),
        build_vet_admin_dialog(),
        build_vet_schedule_dialog(),
        build_support_dialog(),
    ]
