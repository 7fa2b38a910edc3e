"""The one outbound path of every Bot API call: pacing, flood control and blocked users.

`OutboundMiddleware` sits on the Bot's session (bot.factory.create_bot), so dialogs, notices,
refunds and background work all go through it:

- Flood control: Telegram answers 429 with `parameters.retry_after`, "the number of seconds
  left to wait before the request can be repeated"
  (https://core.telegram.org/bots/api#responseparameters). The call waits that long (plus a
  little jitter, so calls refused together do not come back together) and is sent again, a
  bounded number of times (`OutboundSection`); then the error reaches the caller.
- Pacing: messages go out at most at about 1/s per chat and 30/s overall, with short bursts
  (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this), through
  one GCRA limiter per chat and one overall — shared by all the bot's processes through Redis
  when there is one (bot.pacing). Messages to one chat are sent one at a time, in
  order: a flood wait then holds that chat's queue, and the refused message goes first after it.
- Blocked users: a 403 "Forbidden: bot was blocked by the user" or "Forbidden: user is
  deactivated" (Bot API server, tdlib/telegram-bot-api telegram-bot-api/Client.cpp,
  `fail_query_with_error`: USER_IS_BLOCKED, INPUT_USER_DEACTIVATED) marks the user, and calls
  to a marked user's chat are refused here, without asking Telegram, except for the chat of the
  update being answered (whose sender has just written, which cleared the mark). Inside an
  update, checks read through its own database session and marks wait for its end
  (`reads_through`, `deferred_marks`): on SQLite a second session would wait for its lock.
- Waits: the chat's queue, its pace and a flood wait may each last seconds, so the update's
  read-only transaction ends before them (`end_idle_read`), as it does before the request
  itself (bot.idle_reads). Held across a paced message, the transaction kept a pooled
  connection, and on SQLite the write lock, for a second per message: one user's burst of
  twenty answers kept everyone else's update waiting for up to 16 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Protocol, cast

from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramForbiddenError, TelegramRetryAfter
from aiogram.methods import AnswerCallbackQuery
from aiogram.methods.base import Response, TelegramType
from dishka import AsyncContainer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.pacing import Limiter, LocalLimiter
from core.config import OutboundSection
from core.interactors.reachability import IsBotBlocked, MarkBotBlocked
from db.engine import end_if_read_only

if TYPE_CHECKING:
    from aiogram import Bot
    from aiogram.methods import TelegramMethod

logger = logging.getLogger(__name__)

# Texts of the Bot API server for a chat that refuses the bot for good (see the module doc).
BLOCKED_BY_USER: Final = "Forbidden: bot was blocked by the user"
UNREACHABLE_MARKERS: Final = ("bot was blocked by the user", "user is deactivated")
# Up to this much is added to each flood wait.
JITTER_S: Final = 0.25
# Methods that put a message into a chat; sendChatAction is a status, not a message.
MESSAGE_METHOD_PREFIXES: Final = ("send", "copyMessage", "forwardMessage")
NOT_MESSAGES: Final = frozenset({"sendChatAction"})
# Telegram takes one answer per callback query and refuses a second with 400 "query is too old
# and response timeout expired or query ID is invalid" (QUERY_ID_INVALID). aiogram-dialog
# answers every callback once its handler is done (aiogram_dialog/dialog.py,
# Dialog._callback_handler; github.com/Tishka17/aiogram_dialog/issues/145), also one that a
# handler has answered with a notice already ("language changed"), so the repeat ends here.
# The ids of this many recent answers are kept: a query lives for seconds.
ANSWERED_QUERIES_KEPT: Final = 4096

# A private chat known to be reachable in this context: the sender of the update being
# answered (they wrote just now), or a notice's recipient whose mark the caller checked.
_reachable: ContextVar[int | None] = ContextVar("telemed_reachable_chat", default=None)
# The request container of the update being handled: the blocked-user check reads through its
# session. A second session would wait for the first one's lock on SQLite once the update has
# written (db.engine), and costs a pooled connection of its own on either backend.
_reads_through: ContextVar[AsyncContainer | None] = ContextVar(
    "telemed_outbound_reads", default=None
)
# Marks found while the calls of this context run, written once it ends (same reason).
_pending_marks: ContextVar[list[tuple[OutboundMiddleware, int]] | None] = ContextVar(
    "telemed_outbound_marks", default=None
)


@contextlib.contextmanager
def reachable(chat_id: int) -> Iterator[None]:
    """Calls to this private chat inside the block skip the blocked-user check."""
    token = _reachable.set(chat_id)
    try:
        yield
    finally:
        _reachable.reset(token)


@contextlib.contextmanager
def reads_through(request: AsyncContainer) -> Iterator[None]:
    """Blocked-user checks inside the block read through this request scope's session."""
    token = _reads_through.set(request)
    try:
        yield
    finally:
        _reads_through.reset(token)


def update_scope() -> AsyncContainer | None:
    """The request scope of the update being handled in this task, if any (`reads_through`)."""
    return _reads_through.get()


async def end_idle_read() -> None:
    """End the current update's transaction if it has only read (db.engine.end_if_read_only).

    For anything about to wait on Telegram or its pace: no pooled connection, snapshot or
    SQLite lock is held meanwhile. Outside an update, or once it wrote, nothing happens.
    """
    scope = update_scope()
    if scope is not None:
        await end_if_read_only(await scope.get(AsyncSession))


@contextlib.asynccontextmanager
async def deferred_marks() -> AsyncIterator[None]:
    """Users found blocked inside the block are marked when it ends, error or not.

    For work that holds a database transaction while it calls Telegram (an update's request
    scope, a dialog shown in the foreground of another task's update).
    """
    pending: list[tuple[OutboundMiddleware, int]] = []
    token = _pending_marks.set(pending)
    try:
        yield
    finally:
        _pending_marks.reset(token)
        for outbound, chat_id in pending:
            await outbound.record_blocked(chat_id)


class RecipientBlockedError(TelegramForbiddenError):
    """Refused before reaching Telegram: the user is marked as having blocked the bot.

    A `TelegramForbiddenError` with Telegram's own text, so callers handle both alike.
    """


def is_unreachable_error(error: Exception) -> bool:
    """A 403 saying this user's chat refuses the bot for good (blocked, deleted account)."""
    if not isinstance(error, TelegramForbiddenError):
        return False
    text = error.message.lower()
    return any(marker in text for marker in UNREACHABLE_MARKERS)


def target_chat(method: TelegramMethod[Any]) -> int | None:
    """The private chat a method acts in, or None (no chat, a group, a channel by @name).

    A private chat's id is its user's id; groups and channels have negative ids. The bot works
    in private chats only, so groups are neither paced nor checked.
    """
    chat_id = getattr(method, "chat_id", None)
    if isinstance(chat_id, int) and not isinstance(chat_id, bool) and chat_id > 0:
        return chat_id
    return None


def message_cost(method: TelegramMethod[Any]) -> int:
    """How many messages a call puts into a chat (0 for everything else: edits, answers...)."""
    name = method.__api_method__
    if name in NOT_MESSAGES or not name.startswith(MESSAGE_METHOD_PREFIXES):
        return 0
    for many in ("media", "message_ids"):  # sendMediaGroup, copyMessages, forwardMessages
        items = getattr(method, many, None)
        if isinstance(items, list):
            return max(1, len(items))
    return 1


class BlockedUsers(Protocol):
    """Where the marks live (the users table, through core interactors)."""

    async def is_blocked(self, telegram_id: int) -> bool:
        """Whether this user is marked as having blocked the bot."""
        ...

    async def mark_blocked(self, telegram_id: int) -> bool:
        """Mark them; True when this call set the mark (False: known already, or a stranger)."""
        ...


class ContainerBlockedUsers:
    """`BlockedUsers` through the process's container.

    A check reads through the current update's request scope when there is one (see
    `reads_through`), else through a scope of its own; a mark always writes in its own scope
    and transaction (`deferred_marks` has let the update's end first).
    """

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container

    async def is_blocked(self, telegram_id: int) -> bool:
        current = _reads_through.get()
        if current is not None:
            return await (await current.get(IsBotBlocked))(telegram_id)
        async with self._container() as request:
            return await (await request.get(IsBotBlocked))(telegram_id)

    async def mark_blocked(self, telegram_id: int) -> bool:
        async with self._container() as request:
            return await (await request.get(MarkBotBlocked))(telegram_id)


@dataclass
class _Lane:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class ChatLanes:
    """One FIFO lock per chat, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._lanes: dict[int, _Lane] = {}

    @contextlib.asynccontextmanager
    async def hold(self, chat_id: int) -> AsyncIterator[None]:
        lane = self._lanes.setdefault(chat_id, _Lane())
        lane.users += 1
        try:
            async with lane.lock:
                yield
        finally:
            lane.users -= 1
            if lane.users == 0:
                del self._lanes[chat_id]


# The one key of the overall limiter.
_OVERALL: Final = 0


class OutboundMiddleware(BaseRequestMiddleware):
    """Flood control, pacing and blocked users for one Bot (see the module doc).

    `blocked_users` is bound after the container exists (`bind`), since the container needs
    the Bot first; until then nothing is marked or refused, flood control works regardless.
    """

    def __init__(
        self,
        settings: OutboundSection,
        *,
        blocked_users: BlockedUsers | None = None,
        limiters: tuple[Limiter, Limiter] | None = None,
    ) -> None:
        """`limiters`: per chat and overall (bot.pacing); None: this process's own, at the
        rates of `settings`."""
        self._settings = settings
        self._blocked_users = blocked_users
        self._per_chat, self._overall = limiters or (
            LocalLimiter(settings.chat_rate_per_s, settings.chat_burst),
            LocalLimiter(settings.global_rate_per_s, settings.global_burst),
        )
        self._lanes = ChatLanes()
        # The end of the flood wait being reported: later 429s before it are the same incident.
        self._incident_until = 0.0
        self._answered_queries: OrderedDict[str, None] = OrderedDict()

    def bind(self, blocked_users: BlockedUsers) -> None:
        self._blocked_users = blocked_users

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if self._answered_already(method):
            # The user has seen the first answer; the repeat reads as done, as that one did.
            return Response[TelegramType](ok=True, result=cast("TelegramType", True))
        chat_id = target_chat(method)
        if chat_id is not None and chat_id != _reachable.get():
            await self._refuse_if_blocked(chat_id, method)
        cost = message_cost(method) if chat_id is not None else 0
        if chat_id is None or cost == 0:
            return await self._send(make_request, bot, method, chat_id, 0)
        # The blocked-user check above may have read: the chat's queue and pace come next.
        await end_idle_read()
        async with self._lanes.hold(chat_id):
            return await self._send(make_request, bot, method, chat_id, cost)

    async def _send(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
        chat_id: int | None,
        cost: int,
    ) -> Response[TelegramType]:
        retries = 0
        waited = 0.0
        while True:
            if chat_id is not None and cost:
                await self._pace(chat_id, cost)
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as error:
                delay = error.retry_after + random.uniform(0.0, JITTER_S)
                if (
                    retries >= self._settings.max_retries
                    or waited + delay > self._settings.max_retry_wait_s
                ):
                    raise
                self._report_flood(method, chat_id, error.retry_after)
                retries += 1
                waited += delay
                await end_idle_read()
                await asyncio.sleep(delay)
            except TelegramForbiddenError as error:
                if chat_id is not None:
                    await self._chat_refused(chat_id, method, error)
                raise

    def _answered_already(self, method: TelegramMethod[Any]) -> bool:
        """Whether this is a repeated answer to one callback query (see ANSWERED_QUERIES_KEPT);
        a first answer is remembered."""
        if not isinstance(method, AnswerCallbackQuery):
            return False
        query_id = method.callback_query_id
        if query_id in self._answered_queries:
            logger.debug("callback query %s answered already; the repeat is not sent", query_id)
            return True
        self._answered_queries[query_id] = None
        if len(self._answered_queries) > ANSWERED_QUERIES_KEPT:
            self._answered_queries.popitem(last=False)
        return False

    async def _pace(self, chat_id: int, cost: int) -> None:
        # The chat's slot first: a message waiting for its chat holds no overall slot meanwhile.
        delay = await self._per_chat.reserve(chat_id, cost)
        if delay > 0:
            await asyncio.sleep(delay)
        delay = await self._overall.reserve(_OVERALL, cost)
        if delay > 0:
            await asyncio.sleep(delay)

    def _report_flood(
        self, method: TelegramMethod[Any], chat_id: int | None, retry_after: int
    ) -> None:
        # Once per incident: a burst refused together would otherwise log every message.
        now = asyncio.get_running_loop().time()
        if now >= self._incident_until:
            logger.warning(
                "flood control: Telegram asks to wait %ss (%s, chat %s); waiting and retrying, "
                "further 429s in this wait are not logged",
                retry_after,
                method.__api_method__,
                chat_id,
            )
        self._incident_until = max(self._incident_until, now + retry_after)

    async def _refuse_if_blocked(self, chat_id: int, method: TelegramMethod[Any]) -> None:
        if self._blocked_users is None:
            return
        try:
            blocked = await self._blocked_users.is_blocked(chat_id)
        except Exception:
            # Sending to a user who may have blocked us costs one 403; silence costs a message.
            logger.warning(
                "could not check whether chat %s blocked the bot", chat_id, exc_info=True
            )
            return
        if blocked:
            logger.info(
                "not sending %s to chat %s: the user has blocked the bot",
                method.__api_method__,
                chat_id,
            )
            raise RecipientBlockedError(method=method, message=BLOCKED_BY_USER)

    async def _chat_refused(
        self, chat_id: int, method: TelegramMethod[Any], error: TelegramForbiddenError
    ) -> None:
        # The one log line of a 403: callers catch it quietly (a notice that cannot arrive).
        if not is_unreachable_error(error) or self._blocked_users is None:
            logger.info("chat %s refuses %s: %s", chat_id, method.__api_method__, error.message)
            return
        pending = _pending_marks.get()
        if pending is None:
            await self.record_blocked(chat_id)
        elif (self, chat_id) not in pending:
            pending.append((self, chat_id))

    async def record_blocked(self, chat_id: int) -> None:
        """Mark the user of this chat as having blocked the bot; never raises."""
        if self._blocked_users is None:
            return
        try:
            marked = await self._blocked_users.mark_blocked(chat_id)
        except Exception:
            logger.warning("could not mark chat %s as blocking the bot", chat_id, exc_info=True)
            return
        if marked:
            logger.info("chat %s has blocked the bot: marked, notices to them stop", chat_id)
