"""No database connection waits on Telegram: an update's read-only transaction ends before
each Bot API call.

An update reads (the user, the dialog's getters), then sends or edits a message, which takes
a network round trip, tens of milliseconds to seconds under Telegram's flood control. Until
the request scope closed, the session kept its transaction, and with it a pooled connection
(and on PostgreSQL a snapshot) for that whole wait: at 100 concurrent users the pool
(5 + 10 connections) ran dry and updates failed waiting for it. A transaction that has only
read is ended here (db.engine.end_if_read_only); one that wrote is its interactor's to
commit, and is left alone. Innermost of the session middlewares, so the blocked-user check
of bot.outbound, which may read through the same session, comes before it; bot.outbound ends
the transaction before its own waits too (the chat's queue, pacing, flood waits).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

from bot.outbound import end_idle_read

if TYPE_CHECKING:
    from aiogram import Bot


class EndIdleReads(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        await end_idle_read()
        return await make_request(bot, method)
