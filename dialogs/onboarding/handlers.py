from __future__ import annotations

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, StartMode
from aiogram_dialog.widgets.kbd import Button
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.interactors.onboarding import DeclineConsent, GiveConsent, TelegramProfile
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
    sender = callback.from_user
    # The profile is stored from this moment on, never before (see core.interactors.onboarding).
    await give_consent(
        TelegramProfile(
            telegram_id=sender.id,
            first_name=sender.first_name,
            username=sender.username,
            language_code=sender.language_code,
        )
    )
    await manager.start(MainMenuSG.MAIN, mode=StartMode.RESET_STACK)


@inject
async def on_consent_declined(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    decline_consent: FromDishka[DeclineConsent],
) -> None:
    # The window after this is still in the language picked, though the choice is forgotten:
    # this update's locale was set before the row went.
    await decline_consent(callback.from_user.id)
    await manager.switch_to(OnboardingSG.DECLINED)
