"""An aiogram session that answers Bot API calls in memory and remembers them.

aiogram-dialog's BotClient fakes only answerCallbackQuery; handlers that send messages of
their own (hints, help, apologies, the command menu) need a bot that answers plausibly.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageCaption,
    EditMessageText,
    GetFile,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import Chat, File, Message, User

from tests.support.telegram_rules import (
    check_callback_answer,
    check_markup,
    check_text,
)


class RecordingSession(BaseSession):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[TelegramMethod[Any]] = []
        # Method type → the exception Telegram would answer with (e.g. a bad file id).
        self.failures: dict[type[TelegramMethod[Any]], Exception] = {}
        # What the file download itself raises (after getFile answered), e.g. an HTTP error.
        self.download_failure: Exception | None = None
        self._next_message_id = 10_000

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        self.calls.append(method)
        _check(method)
        failure = self.failures.get(type(method))
        if failure is not None:
            raise failure
        if isinstance(method, SendMessage):
            self._next_message_id += 1
            sent = Message(
                message_id=self._next_message_id,
                date=datetime.now(UTC),
                chat=Chat(id=int(method.chat_id), type="private"),
                from_user=User(id=bot.id, is_bot=True, first_name="bot"),
                text=method.text,
            )
            return sent  # type: ignore[return-value]
        if isinstance(method, GetFile):
            path = f"files/{method.file_id}"
            return File(file_id=method.file_id, file_unique_id=method.file_id, file_path=path)  # type: ignore[return-value]
        return True  # type: ignore[return-value]

    def stream_content(self, *args: Any, **kwargs: Any) -> Any:
        if self.download_failure is not None:
            raise self.download_failure
        raise NotImplementedError("downloads are tested against the sandbox emulator")

    async def close(self) -> None:
        return None

    def sent_texts(self) -> list[str]:
        return [call.text for call in self.calls if isinstance(call, SendMessage)]

    def calls_of(self, method_type: type[TelegramMethod[Any]]) -> list[Any]:
        return [call for call in self.calls if isinstance(call, method_type)]

    def reset(self) -> None:
        self.calls.clear()


def _check(method: TelegramMethod[Any]) -> None:
    """What Telegram would refuse fails here, as it would in production."""
    if isinstance(method, SendMessage | EditMessageText):
        check_text(method.text, method.parse_mode)
    elif isinstance(method, SendPhoto | SendDocument | EditMessageCaption):
        check_text(method.caption, method.parse_mode, caption=True)
    elif isinstance(method, AnswerCallbackQuery):
        check_callback_answer(method.text)
    check_markup(getattr(method, "reply_markup", None))
