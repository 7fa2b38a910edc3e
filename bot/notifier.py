"""core's Notifier for the chat: background work shows dialog windows through BgManager."""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError
from aiogram_dialog import BgManagerFactory, ShowMode, StartMode

from bot.outbound import deferred_marks, is_unreachable_error, reachable
from core.ports.notifier import RecipientUnreachableError
from dialogs.states import CheckResultSG

logger = logging.getLogger(__name__)

# A rendering that has not finished by then is stuck (Telegram down, a lock never released):
# fail the task so the queue redelivers it instead of holding a worker slot forever.
NOTIFY_TIMEOUT_S = 60.0


class NotifierNotReadyError(RuntimeError):
    pass


class DialogNotifier:
    """Bound to the bot and the dialogs once the dispatcher exists (it needs the container)."""

    def __init__(self) -> None:
        self._bot: Bot | None = None
        self._dialogs: BgManagerFactory | None = None

    def bind(self, bot: Bot, dialogs: BgManagerFactory) -> None:
        self._bot = bot
        self._dialogs = dialogs

    @property
    def bound(self) -> tuple[Bot, BgManagerFactory] | None:
        """The bot and the dialogs' background factory once bound, for other adapters that
        redraw someone's open window (bot.sharing_notices); None before that."""
        if self._bot is None or self._dialogs is None:
            return None
        return self._bot, self._dialogs

    async def check_result_ready(self, *, telegram_id: int, check_id: int) -> None:
        if self._bot is None or self._dialogs is None:
            raise NotifierNotReadyError("DialogNotifier.bind() was not called")
        manager = self._dialogs.bg(self._bot, user_id=telegram_id, chat_id=telegram_id, load=False)
        # The caller has checked that the owner has not blocked the bot. The window is drawn
        # here while the dialog's update (another task) holds its database session: a 403
        # marks the owner only once that update is over (bot.outbound).
        shown = False
        try:
            async with (
                deferred_marks(),
                asyncio.timeout(NOTIFY_TIMEOUT_S),
                manager.fg() as foreground,
            ):
                with reachable(telegram_id):
                    # On top of whatever the owner is doing: closing it returns them there.
                    await foreground.start(
                        CheckResultSG.MAIN,
                        data={"check_id": check_id},
                        mode=StartMode.NORMAL,
                        show_mode=ShowMode.SEND,
                    )
                    shown = True
        except TelegramForbiddenError as error:
            if not is_unreachable_error(error):
                raise
            # bot.outbound has marked the owner (or refused the send for the mark).
            raise RecipientUnreachableError(telegram_id) from error
        except Exception:
            if not shown:
                raise
            # The message is in the owner's chat; what failed came after it, when the dialog
            # saved its state (Redis FSM storage, the event-isolation lock). Raising would
            # tell the caller nothing was delivered: it would release its claim and the queue
            # would send the result a second time. The result stands; only its buttons may
            # answer with the stale-button hint.
            logger.warning(
                "result of check %s shown, but the dialog state was not saved",
                check_id,
                exc_info=True,
            )
