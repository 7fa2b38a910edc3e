"""The bodies of `/start <invite>` and `/export`; `bot.handlers.commands` registers them."""

from __future__ import annotations

import json
import logging
from typing import Any, Final

from aiogram.types import BufferedInputFile, Message
from aiogram_i18n import I18nContext

from core.interactors.export import ExportMyData
from core.interactors.sharing import AcceptInvite, AcceptOutcome, invite_token_from_payload
from core.markup import plain_text
from core.sharing_errors import (
    InviteError,
    InviteExpiredError,
    InviteNotFoundError,
    InviteUsedError,
    OwnInviteError,
    TooManyInviteAttemptsError,
)
from dialogs.pets.common import ACCESS_LABELS

logger = logging.getLogger(__name__)

EXPORT_FILE_NAME: Final = "telemed-pet-export.json"
INVITE_ERRORS: Final[dict[type[InviteError], str]] = {
    InviteNotFoundError: "err-invite-not-found",
    InviteExpiredError: "err-invite-expired",
    InviteUsedError: "err-invite-used",
    OwnInviteError: "err-invite-own",
}


async def accept_invite_from_start(
    message: Message, payload: str | None, i18n: I18nContext, accept_invite: AcceptInvite
) -> int | None:
    """Take up the invite in a `/start` payload, telling the user how it went.

    Returns the shared pet's id, or None when the payload is no invite or it was refused.
    Accepting needs no consent first: opening the link is the user's own explicit act, and the
    middleware has registered them already.
    """
    token = invite_token_from_payload(payload)
    if token is None or message.from_user is None:
        return None
    try:
        accepted = await accept_invite(message.from_user.id, token)
    except InviteError as error:
        # Logged without the token: it is a credential until it expires.
        logger.info("invite refused: %s", error)
        if isinstance(error, TooManyInviteAttemptsError):
            await message.answer(i18n.get("err-invite-too-many-attempts", minutes=error.minutes))
            return None
        await message.answer(i18n.get(INVITE_ERRORS.get(type(error), "err-invite-not-found")))
        return None
    key = (
        "msg-invite-accepted"
        if accepted.outcome is AcceptOutcome.GRANTED
        else "msg-invite-already-had"
    )
    await message.answer(
        i18n.get(key, name=accepted.pet.name, level=i18n.get(ACCESS_LABELS[accepted.level]))
    )
    return accepted.pet.id


def nothing_stored(document: dict[str, Any]) -> bool:
    """Whether an export holds nothing about the person but their Telegram id.

    Before consent nothing personal is kept (core.interactors.onboarding); someone who opened
    a pet shared with them before deciding still has that pet to export.
    """
    user = document["user"]
    held = ("pets", "appointments", "payments", "reminders")
    return user.get("consented_at") is None and not any(document[key] for key in held)


async def send_export(message: Message, i18n: I18nContext, export_my_data: ExportMyData) -> None:
    """The JSON document, then a PDF card per pet, as documents."""
    if message.from_user is None:
        return

    def plain_words(message_id: str, /, **args: Any) -> str:
        # The JSON and the PDFs are not Telegram HTML: their words are what a reader sees.
        return plain_text(i18n.get(message_id, **args))

    export = await export_my_data(message.from_user.id, plain_words)
    if nothing_stored(export.document):
        await message.answer(i18n.get("msg-export-nothing-stored"))
        return
    document = json.dumps(export.document, ensure_ascii=False, indent=2).encode("utf-8")
    await message.answer_document(BufferedInputFile(document, filename=EXPORT_FILE_NAME))
    for card in export.pet_cards:
        await message.answer_document(BufferedInputFile(card.data, filename=card.file_name))
    if export.cards_unavailable:
        await message.answer(i18n.get("err-export-cards-unavailable"))
    await message.answer(i18n.get("msg-export-ready"))
