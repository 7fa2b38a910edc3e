"""Whatever goes wrong, the user gets an apology in their language and the main menu — except
when a backing service is down: then the update is left unhandled, so that the webhook answers
5xx and Telegram delivers it again once the service is back (bot/infrastructure_errors.py).
Under long polling nothing is delivered again, so the user is asked to repeat instead."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.exceptions import TelegramForbiddenError
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.api.exceptions import OutdatedIntent, UnknownIntent, UnknownState
from aiogram_i18n import I18nContext, I18nMiddleware
from dishka import AsyncContainer

from bot.infrastructure_errors import UPDATES_REDELIVERED, is_infrastructure_error
from bot.middlewares import ROOT_CONTAINER
from bot.outbound import target_chat
from core.interactors.onboarding import GetUser
from core.interactors.symptom_check import CheckNotFoundError
from core.locales import DEFAULT_LOCALE, SUPPORTED_LOCALES
from core.pets_errors import PetNotFoundError
from db.errors import is_id_out_of_range
from dialogs.navigation import start_home

logger = logging.getLogger(__name__)

# A button from before a restart, or of a dialog the storage no longer holds.
STALE_DIALOG_ERRORS = (UnknownIntent, OutdatedIntent, UnknownState)
NOT_FOUND_ERRORS = (PetNotFoundError, CheckNotFoundError)


def _infrastructure_failure(event: ErrorEvent) -> bool:
    return is_infrastructure_error(event.exception)


def _id_out_of_range(event: ErrorEvent) -> bool:
    return is_id_out_of_range(event.exception)


def _our_failure(event: ErrorEvent) -> bool:
    return not is_infrastructure_error(event.exception)


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

    @router.errors(_id_out_of_range)
    async def on_id_out_of_range(event: ErrorEvent, **data: Any) -> None:
        # A crafted id larger than any column (a huge integer in callback data or a command
        # argument): no row can have it, so it is the same "not found" as someone else's id.
        # A warning without a traceback: nothing of ours broke.
        logger.warning(
            "update %s names an id out of range: %s",
            event.update.update_id,
            _one_line(event.exception),
        )
        await _apologize_and_go_home(event, data, "err-not-found")

    @router.errors(_infrastructure_failure)
    async def on_infrastructure_error(event: ErrorEvent, **data: Any) -> Any:
        # One line, no traceback: while PostgreSQL is down every update fails the same way.
        logger.warning(
            "update %s not processed, a backing service is unreachable: %s",
            event.update.update_id,
            _one_line(event.exception),
        )
        if data.get(UPDATES_REDELIVERED):
            # Unhandled: the dispatcher re-raises, the webhook answers 5xx, Telegram retries.
            return UNHANDLED
        await _ask_to_repeat(event, data)
        return None

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

    router.errors(_our_failure)(on_unexpected_error)

    return router


def _one_line(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}".splitlines()
    return text[0][:300] if text else type(error).__name__


def _text_without_database(data: dict[str, Any], key: str) -> str | None:
    """The user's locale comes from their row; when the failure came first, Telegram's
    language of the sender (if we speak it) or the default locale."""
    i18n: I18nContext | None = data.get("i18n")
    if i18n is not None:
        return i18n.get(key)
    middleware: I18nMiddleware | None = data.get("i18n_middleware")
    if middleware is None:
        return None
    sender = data.get("event_from_user")
    language = sender.language_code if sender is not None else None
    locale = language if language in SUPPORTED_LOCALES else DEFAULT_LOCALE
    return middleware.core.get(key, locale)


async def _ask_to_repeat(event: ErrorEvent, data: dict[str, Any]) -> None:
    """Long polling: this update is gone for good. Nothing is read from the database (it may
    be what is down); the dialog's state lives elsewhere and is kept, so what the user entered
    before stays."""
    chat = data.get("event_chat")
    bot = data.get("bot")
    text = _text_without_database(data, "err-temporary-failure")
    if text is None or chat is None or bot is None:
        return
    try:
        if event.update.callback_query is not None:
            await event.update.callback_query.answer()
        await bot.send_message(chat.id, text)
    except Exception:
        logger.warning("could not ask the sender of update %s to repeat", event.update.update_id)


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
