"""Ways from one feature into another, by the target's state (dialogs/states.py) and start data.

A feature never imports another feature's handlers: its buttons call these starters instead.
Where a user lands: the main menu once they consented, onboarding before that.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aiogram.fsm.state import State
from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, ShowMode, StartMode
from dishka import AsyncContainer
from dishka.integrations.aiogram import CONTAINER_NAME

from core.entities import User
from core.enums import RecordKind
from core.interactors.reminder_settings import GetReminderSettings
from dialogs.states import (
    CheckSG,
    MainMenuSG,
    OnboardingSG,
    RecordFormSG,
    RecordsSG,
    SharingSG,
    TimeZoneSG,
)
from dialogs.widgets.events import notify, telegram_id_of
from dialogs.widgets.i18n import i18n_from
from dialogs.widgets.pet_context import KEY_PET_ID, pet_id_of


async def start_home(
    manager: DialogManager,
    user: User | None,
    *,
    show_mode: ShowMode | None = None,
) -> None:
    if user is None or user.consented_at is None:
        await manager.start(OnboardingSG.LANGUAGE, mode=StartMode.RESET_STACK, show_mode=show_mode)
    else:
        await manager.start(MainMenuSG.MAIN, mode=StartMode.RESET_STACK, show_mode=show_mode)


# Start data of TimeZoneSG: a feature asked, so the window explains why and offers to keep the
# likely zone (dialogs/settings/getters.py reads it under the same name).
KEY_TIME_ZONE_ASKED = "asked"


async def ask_time_zone(manager: DialogManager) -> bool:
    """Ask the user's time zone once, the first time it matters (booking, reminders).

    True when the question window opened: it returns to the caller with `done`, the chosen
    zone under "time_zone" in the result (aiogram-dialog's `on_process_result`). False when the
    user chose a zone already: the caller goes on at once.
    """
    # Resolved here rather than injected, so any handler can call this with its manager alone.
    container: AsyncContainer = manager.middleware_data[CONTAINER_NAME]
    get_settings = await container.get(GetReminderSettings)
    settings = await get_settings(telegram_id_of(manager), i18n_from(manager).locale)
    if settings.zone_chosen:
        return False
    await manager.start(TimeZoneSG.PICK, data={KEY_TIME_ZONE_ASKED: True})
    return True


# Start data of RecordFormSG beyond the pet: a new entry like an earlier one, so the form skips
# the kinds and offers the earlier product for a tap (dialogs/records/form_handlers.py reads them).
KEY_FORM_KIND = "prefill_kind"
KEY_FORM_TITLE = "prefill_title"


async def start_record_form(
    manager: DialogManager, pet_id: int, kind: RecordKind, title: str
) -> None:
    """A new medical card entry of `kind` for the pet, its product `title` offered to confirm
    ("Done ✓" under a reminder). The pet's card lies under the form, unseen until the form
    closes: saving then shows the new entry there, "Cancel" the card itself."""
    await manager.start(
        RecordsSG.LIST,
        data={KEY_PET_ID: pet_id},
        mode=StartMode.RESET_STACK,
        show_mode=ShowMode.NO_UPDATE,
    )
    # A new message: whatever led here (the reminder, its answer) stays above the form.
    await manager.start(
        RecordFormSG.KIND,
        data={KEY_PET_ID: pet_id, KEY_FORM_KIND: kind.value, KEY_FORM_TITLE: title},
        show_mode=ShowMode.SEND,
    )


# Start data of CheckSG besides the pet and the ticked signs (dialogs/check reads it under
# this name): the answers of the check it follows, each offered again when its question comes.
KEY_CHECK_SIGNS = "signs"
KEY_CHECK_REASON = "reason"
KEY_CHECK_EARLIER_DETAILS = "earlier_details"


async def start_recheck(
    manager: DialogManager,
    pet_id: int,
    *,
    signs: Sequence[str],
    details: Mapping[str, Any],
    reason: str | None,
) -> None:
    """A new symptom check of the pet, starting from an earlier one's answers ("Worse →
    re-check" under a follow-up): its signs ticked, its answers offered again, each one the
    owner's to change. Starts at the emergency screen, as any check of a chosen pet does."""
    data: dict[str, Any] = {
        KEY_PET_ID: pet_id,
        KEY_CHECK_SIGNS: list(signs),
        KEY_CHECK_EARLIER_DETAILS: dict(details),
    }
    if reason:
        data[KEY_CHECK_REASON] = reason
    # A new message below the question, whatever dialog was open.
    await manager.start(
        CheckSG.PET, data=data, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND
    )


async def on_open_medical_card(
    callback: CallbackQuery, button: Any, manager: DialogManager
) -> None:
    """The pet card's button: this pet's medical card on top of it."""
    await _start_about_current_pet(manager, RecordsSG.LIST)


async def on_open_sharing(callback: CallbackQuery, button: Any, manager: DialogManager) -> None:
    """The pet card's "Sharing" button: the sharing dialog on top of the card, about its pet."""
    await _start_about_current_pet(manager, SharingSG.MAIN)


async def _start_about_current_pet(manager: DialogManager, state: State) -> None:
    pet_id = pet_id_of(manager)
    if pet_id is None:
        await notify(manager, "err-pet-not-found")
        return
    await manager.start(state, data={KEY_PET_ID: pet_id})
