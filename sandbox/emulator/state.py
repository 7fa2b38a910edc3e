"""The emulator's whole in-memory world. It lives on the server's event loop: change it only
through the Bot API or the control API, never from another thread."""

import asyncio
import collections
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sandbox.emulator.errors import CHAT_NOT_FOUND, QUERY_TOO_OLD, bad_request
from sandbox.emulator.files import FileStore
from sandbox.emulator.flood import FloodControl
from sandbox.emulator.models import CallRecord, Charge, Chat, SandboxUser, StoredMessage
from sandbox.emulator.signals import Signal
from sandbox.emulator.updates import UpdateQueue
from sandbox.token import bot_id_from_token

if TYPE_CHECKING:
    from sandbox.emulator.webhook import WebhookDelivery

# Telegram stops accepting answers to a callback query after about 15 s, and waits 10 s for an
# answer to a pre-checkout query before it tells the user the bot did not respond.
CALLBACK_ANSWER_WINDOW_S = 15.0
PRE_CHECKOUT_ANSWER_WINDOW_S = 10.0


@dataclass
class WebhookConfig:
    url: str = ""
    secret_token: str | None = None
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None


class PendingQuery:
    """A callback or pre-checkout query that waits for the bot's answer."""

    def __init__(self, window_s: float) -> None:
        self._expires_at = time.monotonic() + window_s
        self.answer: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()

    def resolve(self, answer: dict[str, Any]) -> None:
        # A second answer, or one after the window, is the classic "query is too old".
        if self.answer.done() or time.monotonic() > self._expires_at:
            raise bad_request(QUERY_TOO_OLD)
        self.answer.set_result(answer)

    async def wait(self, timeout: float) -> dict[str, Any] | None:
        done, _ = await asyncio.wait({self.answer}, timeout=timeout)
        return self.answer.result() if done else None


class EmulatorState:
    def __init__(self, token: str, bot_username: str, bot_first_name: str) -> None:
        self.token = token
        self.bot = SandboxUser(
            id=bot_id_from_token(token),
            first_name=bot_first_name,
            username=bot_username,
            is_bot=True,
        )
        self.users: dict[int, SandboxUser] = {}
        self.chats: dict[int, Chat] = {}
        self.updates = UpdateQueue()
        self.files = FileStore()
        # Bounded: the sandbox run mode may stay up for days.
        self.calls: collections.deque[CallRecord] = collections.deque(maxlen=10_000)
        self._call_counter = 0
        # (scope as canonical JSON, language_code or "") → commands
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        # chat id (None = the default for all private chats) → MenuButton
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        # (method family, language_code) → name / description / short description
        self.profile_texts: dict[tuple[str, str], str] = {}
        self.callback_queries: dict[str, PendingQuery] = {}
        self.pre_checkout_queries: dict[str, PendingQuery] = {}
        self.charges: dict[str, Charge] = {}
        self.webhook = WebhookConfig()
        # Set by the app: delivery needs the method dispatcher, which imports this module.
        self.webhook_delivery: WebhookDelivery | None = None
        # Bumped by every getUpdates: an older long poll sees it and ends with 409 Conflict.
        self.poll_generation = 0
        self.messages_changed = Signal()
        self._revision = 0
        # Wall clock for message dates; tests pass one that can jump 48 hours ahead.
        self.clock: Callable[[], float] = time.time
        self.flood = FloodControl()
        # http:// origins allowed for web_app buttons: the sandbox's own Mini Apps (see app.py).
        self.local_web_app_origins: set[str] = set()
        # Set by every change worth keeping on disk; sandbox/emulator/persistence.py saves the
        # world (debounced) and clears it.
        self.unsaved = asyncio.Event()

    def mark_changed(self) -> None:
        self.unsaved.set()

    # users and chats

    def add_user(
        self,
        first_name: str,
        *,
        user_id: int | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> SandboxUser:
        if user_id is None:
            user_id = self._new_user_id()
        user = self.users.get(user_id)
        if user is None:
            user = SandboxUser(id=user_id, first_name=first_name)
            self.users[user_id] = user
            self.chats[user_id] = Chat(user=user)
        user.first_name = first_name
        user.last_name = last_name
        user.username = username
        user.language_code = language_code
        return user

    def _new_user_id(self) -> int:
        while True:
            user_id = 10**8 + secrets.randbelow(9 * 10**8)
            if user_id not in self.users and user_id != self.bot.id:
                return user_id

    def chat(self, chat_id: int) -> Chat:
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request(CHAT_NOT_FOUND)
        return chat

    # messages

    def add_message(
        self,
        chat: Chat,
        sender: SandboxUser,
        content: dict[str, Any],
        *,
        reply_markup: dict[str, Any] | None = None,
        keyboard: dict[str, Any] | None = None,
        reply_to: StoredMessage | None = None,
        private: dict[str, Any] | None = None,
    ) -> StoredMessage:
        message = StoredMessage(
            message_id=chat.next_message_id(),
            chat=chat.user,
            sender=sender,
            content=content,
            reply_markup=reply_markup,
            keyboard=keyboard,
            reply_to=reply_to,
            private=private or {},
            date=int(self.clock()),
        )
        chat.messages.append(message)
        self.touch(message)
        return message

    def touch(self, message: StoredMessage) -> None:
        """Record that a message appeared or changed, and wake the page's long polls."""
        self._revision += 1
        message.revision = self._revision
        self.messages_changed.notify()

    def emit_user_message(self, message: StoredMessage) -> int:
        return self.updates.push({"message": message.to_api()})

    # queries

    def open_query(self, registry: dict[str, PendingQuery], window_s: float) -> str:
        query_id = str(secrets.randbits(62))
        registry[query_id] = PendingQuery(window_s)
        return query_id

    @staticmethod
    def find_query(registry: dict[str, PendingQuery], query_id: str) -> PendingQuery:
        query = registry.get(query_id)
        if query is None:
            raise bad_request(QUERY_TOO_OLD)
        return query

    # call log

    def log_call(
        self, method: str, params: dict[str, Any], error: tuple[int, str] | None = None
    ) -> None:
        self._call_counter += 1
        record = CallRecord(
            id=self._call_counter,
            method=method,
            params=params,
            time=time.time(),
            ok=error is None,
            error_code=error[0] if error else None,
            description=error[1] if error else None,
        )
        self.calls.append(record)
