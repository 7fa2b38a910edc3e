"""The bodies of `/start <invite>` and `/export`; `bot.handlers.commands` registers them."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Final

from aiogram.types import BufferedInputFile, Message
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext

from core.entities import User
from core.interactors.export import ExportMyData
from core.interactors.sharing import AcceptInvite, invite_token_from_payload
from core.markup import plain_text
from dialogs.onboarding.handlers import start_onboarding
from dialogs.widgets.invite_landing import accept_invite_and_land

logger = logging.getLogger(__name__)

EXPORT_FILE_NAME: Final = "telemed-pet-export.json"


async def open_invite_from_start(
    manager: DialogManager,
    payload: str | None,
    user: User | None,
    accept_invite: Callable[[], Awaitable[AcceptInvite]],
) -> bool:
    """`/start inv_<token>`: whether the payload was a pet invite (then it is dealt with).

    Someone who has consented takes it up at once and lands on the pet's card. A newcomer goes
    through language and consent first, the link kept in onboarding's state: nothing about
    them (an access row included) is stored before they agree.
    """
    token = invite_token_from_payload(payload)
    if token is None:
        return False
    if user is None or user.consented_at is None:
        await start_onboarding(manager, invite_token=token)
        return True
    await accept_invite_and_land(manager, token, await accept_invite())
    return True


def nothing_stored(document: dict[str, Any]) -> bool:
    """Whether an export holds nothing about the person but their Telegram id.

    Before consent nothing personal is kept (core.interactors.onboarding), a pet invite
    included: it is taken up only after consent (open_invite_from_start).
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
