"""Whatever goes wrong, the user gets an apology in their language and the main menu."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Router
from aiogram.exceptions import TelegramForbiddenError
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.api.exceptions import OutdatedIntent, UnknownIntent, UnknownState
from aiogram_i18n import I18nContext
from dishka import AsyncContainer

from bot.middlewares import ROOT_CONTAINER
from bot.outbound import target_chat
from core.interactors.onboarding import GetUser
from core.interactors.symptom_check import CheckNotFoundError
from core.pets_errors import PetNotFoundError
from dialogs.navigation import start_home

logger = logging.getLogger(__name__)

# A button from before a restart, or of a dialog the storage no longer holds.
STALE_DIALOG_ERRORS = (UnknownIntent, OutdatedIntent, UnknownState)
NOT_FOUND_ERRORS = (PetNotFoundError, CheckNotFoundError)


def build_errors_router() -> Router:
    router = Router(name="errors")

    @router.errors(ExceptionTypeFilter(*STALE_DIALOG_ERRORS))
    async def on_stale_dialog(event: ErrorEvent, **data: Any) -> None:
        logger.info("stale dialog button: %s", event.exception)
        await _apologize_and_go_home(event, data, "err-stale-button")

    @router.errors(ExceptionTypeFilter(*NOT_FOUND_ERRORS))
    async def on_not_found(event: ErrorEvent, **data: Any) -> None:
        # A pet or check the user cannot see: a stale button, a deleted pet, or a crafted id.
        # Logged without a traceback: this is expected, and says nothing about whose it was.
        logger.info("not found for this user: %s", event.exception)
        await _apologize_and_go_home(event, data, "err-not-found")

    async def on_unexpected_error(event: ErrorEvent, **data: Any) -> None:
        logger.exception(
            "unhandled error in update %s", event.update.update_id, exc_info=event.exception
        )
        await _apologize_and_go_home(event, data, "err-internal")

    # Before the catch-all below: error handlers are tried in the order they are registered.
    @router.errors(ExceptionTypeFilter(TelegramForbiddenError))
    async def on_forbidden(event: ErrorEvent, **data: Any) -> None:
        error = event.exception
        assert isinstance(error, TelegramForbiddenError)  # the filter says so
        chat = data.get("event_chat")
        target = target_chat(error.method)
        if chat is not None and target is not None and target != chat.id:
            # Someone else's chat refused a message a handler did not guard: a bug of that
            # handler; the sender is reachable and deserves the apology.
            await on_unexpected_error(event, **data)
            return
        # The sender's own chat refuses the bot: no apology can reach them. bot.outbound has
        # logged it once (and marked a user who blocked the bot); the update just ends.
        logger.debug(
            "update %s ended: the chat refuses the bot (%s)", event.update.update_id, error
        )

    router.errors()(on_unexpected_error)

    return router


async def _apologize_and_go_home(event: ErrorEvent, data: dict[str, Any], key: str) -> None:
    update = event.update
    i18n: I18nContext | None = data.get("i18n")
    manager: DialogManager | None = data.get("dialog_manager")
    sender = data.get("event_from_user")
    if i18n is None or sender is None:
        return  # nothing we could say, in no language we know; the traceback is logged
    text = i18n.get(key)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        chat = data.get("event_chat")
        bot = data.get("bot")
        if chat is not None and bot is not None:
            await bot.send_message(chat.id, text)
        if manager is not None:
            user = None
            # The update's own request scope closed while the error bubbled up (its session
            # with it): read through a fresh one of the root container.
            root: AsyncContainer | None = data.get(ROOT_CONTAINER)
            if root is not None:
                async with root() as request:
                    user = await (await request.get(GetUser))(sender.id)
            await start_home(manager, user, show_mode=ShowMode.SEND)
    except Exception:
        # The apology itself failed (Telegram down, storage gone): log, never loop.
        logger.exception("could not deliver the apology for update %s", update.update_id)
