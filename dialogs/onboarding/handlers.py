from __future__ import annotations

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, StartMode
from aiogram_dialog.widgets.kbd import Button
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.interactors.onboarding import GiveConsent
from dialogs.states import MainMenuSG, OnboardingSG
from dialogs.widgets.i18n import i18n_from

# Button ids carry the locale so one handler serves both buttons.
ID_LANG_PREFIX = "lang_"


def locale_of(button: Button) -> str:
    return button.widget_id.removeprefix(ID_LANG_PREFIX)  # type: ignore[union-attr]


async def on_language_chosen(
    callback: CallbackQuery, button: Button, manager: DialogManager
) -> None:
    # The i18n manager persists the choice (ChooseLanguage) and switches this update's locale,
    # so the next window is already rendered in the new language.
    await i18n_from(manager).set_locale(locale_of(button))
    await manager.switch_to(OnboardingSG.ABOUT)


@inject
async def on_consent_given(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    give_consent: FromDishka[GiveConsent],
) -> None:
    await give_consent(callback.from_user.id)
    await manager.start(MainMenuSG.MAIN, mode=StartMode.RESET_STACK)
