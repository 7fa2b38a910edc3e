from __future__ import annotations

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, StartMode
from aiogram_dialog.widgets.kbd import Button
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.interactors.onboarding import DeclineConsent, GiveConsent, TelegramProfile
from core.interactors.sharing import AcceptInvite
from dialogs.states import MainMenuSG, OnboardingSG
from dialogs.widgets.i18n import i18n_from
from dialogs.widgets.invite_landing import accept_invite_and_land
from dialogs.widgets.language_buttons import locale_of

# start_data: the token of a pet invite the newcomer opened, taken up once they consent. It is
# a credential until it expires, kept only in this dialog's state; "Not now" keeps it (the
# consent screen is one tap away), /start without it drops it.
KEY_INVITE_TOKEN = "invite_token"


async def start_onboarding(manager: DialogManager, *, invite_token: str | None = None) -> None:
    data = {KEY_INVITE_TOKEN: invite_token} if invite_token else None
    await manager.start(OnboardingSG.LANGUAGE, data=data, mode=StartMode.RESET_STACK)


def invite_token_of(manager: DialogManager) -> str | None:
    data = manager.start_data
    token = data.get(KEY_INVITE_TOKEN) if isinstance(data, dict) else None
    return token if isinstance(token, str) else None


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
    accept_invite: FromDishka[AcceptInvite],
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
    token = invite_token_of(manager)
    if token is not None:
        # Came by a pet invite: taken up now, and they land on that pet's card.
        await accept_invite_and_land(manager, token, accept_invite)
        return
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
