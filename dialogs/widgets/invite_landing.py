"""Where a pet invite lands a consented user: the shared pet's card, after one message saying
how the link went (or the main menu, when it was refused).

Both ways in call it: `/start inv_<token>` from someone who consented already, and the consent
button of onboarding that kept the link of a newcomer (nothing is accepted before consent: the
access row is personal data, and "Not now" forgets the person).
"""

from __future__ import annotations

import logging
from typing import Final

from aiogram.types import User as TelegramUser
from aiogram_dialog import DialogManager, ShowMode, StartMode

from core.interactors.sharing import AcceptInvite, AcceptOutcome
from core.sharing_errors import (
    InviteError,
    InviteExpiredError,
    InviteNotFoundError,
    InviteUsedError,
    OwnInviteError,
    TooManyInviteAttemptsError,
)
from dialogs.states import MainMenuSG, PetsSG
from dialogs.widgets.events import say
from dialogs.widgets.i18n import i18n_from
from dialogs.widgets.labels import ACCESS_LABELS
from dialogs.widgets.pet_context import KEY_PET_ID

logger = logging.getLogger(__name__)

INVITE_ERRORS: Final[dict[type[InviteError], str]] = {
    InviteNotFoundError: "err-invite-not-found",
    InviteExpiredError: "err-invite-expired",
    InviteUsedError: "err-invite-used",
    OwnInviteError: "err-invite-own",
}


async def accept_invite_and_land(
    manager: DialogManager, token: str, accept_invite: AcceptInvite
) -> None:
    """Take up the invite for the (consented) sender, tell them, open the card or the menu."""
    sender: TelegramUser = manager.middleware_data["event_from_user"]
    i18n = i18n_from(manager)
    try:
        accepted = await accept_invite(sender.id, token)
    except InviteError as error:
        # Logged without the token: it is a credential until it expires.
        logger.info("invite refused: %s", error)
        if isinstance(error, TooManyInviteAttemptsError):
            await say(manager, "err-invite-too-many-attempts", minutes=error.minutes)
        else:
            await say(manager, INVITE_ERRORS.get(type(error), "err-invite-not-found"))
        await manager.start(MainMenuSG.MAIN, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND)
        return
    key = (
        "msg-invite-accepted"
        if accepted.outcome is AcceptOutcome.GRANTED
        else "msg-invite-already-had"
    )
    level = i18n.get(ACCESS_LABELS[accepted.level])
    await say(manager, key, name=accepted.pet.name, level=level)
    await manager.start(
        PetsSG.CARD,
        data={KEY_PET_ID: accepted.pet.id},
        mode=StartMode.RESET_STACK,
        show_mode=ShowMode.SEND,
    )
