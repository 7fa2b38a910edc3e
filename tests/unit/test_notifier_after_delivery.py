"""The worker's Notifier when Redis fails around the result message (no I/O: real aiogram-dialog
on an in-memory storage that fails on command, a recording bot session).

After the message is in the owner's chat, the dialog saves its state (Redis FSM storage in
production). If that fails, the delivery happened: raising would make `AnalyzeCheck` release
its claim, and the queue would send the owner the same result again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.methods import SendMessage
from aiogram_dialog import Dialog, Window, setup_dialogs
from aiogram_dialog.widgets.text import Const
from redis.exceptions import ConnectionError as RedisConnectionError

from bot import notifier as notifier_module
from bot.notifier import DialogNotifier
from dialogs.states import CheckResultSG
from tests.support.recording_session import RecordingSession

OWNER = 4242
CHECK_ID = 7


class FlakyStorage(MemoryStorage):
    """MemoryStorage that fails like an unreachable Redis once told to."""

    def __init__(self) -> None:
        super().__init__()
        self.fail_reads = False
        self.fail_writes = False

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        if self.fail_reads:
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379.")
        return await super().get_data(key)

    async def set_data(self, key: StorageKey, data: Any) -> None:
        if self.fail_writes:
            raise RedisConnectionError("Connection closed by server.")
        await super().set_data(key, data)


@dataclass
class Chat:
    notifier: DialogNotifier
    storage: FlakyStorage
    session: RecordingSession

    def results_sent(self) -> list[str]:
        return [
            call.text
            for call in self.session.calls
            if isinstance(call, SendMessage) and int(call.chat_id) == OWNER
        ]


@pytest.fixture
async def chat() -> AsyncIterator[Chat]:
    storage = FlakyStorage()
    dp = Dispatcher(storage=storage)
    # A stand-in for the result window: what matters is the dialog machinery around it.
    dp.include_router(Dialog(Window(Const("🟡 result"), state=CheckResultSG.MAIN)))
    factory = setup_dialogs(dp)
    session = RecordingSession()
    bot = Bot("123456:TEST-token", session=session)
    notifier = DialogNotifier()
    notifier.bind(bot, factory)
    yield Chat(notifier, storage, session)
    await bot.session.close()


async def test_redis_failing_after_the_result_was_shown_does_not_undo_the_delivery(
    chat: Chat,
) -> None:
    chat.storage.fail_writes = True

    # Returns normally: the caller keeps its claim, so no redelivery sends it again.
    await chat.notifier.check_result_ready(telegram_id=OWNER, check_id=CHECK_ID)

    assert chat.results_sent() == ["🟡 result"]


async def test_redis_failing_before_the_result_was_shown_is_an_error_for_the_caller(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The dialog cannot load the owner's stack, so nothing is sent; the caller must see an
    # error to release its claim (a later delivery sends the result). The failure surfaces as
    # the notifier's own timeout, shortened here.
    monkeypatch.setattr(notifier_module, "NOTIFY_TIMEOUT_S", 0.5)
    chat.storage.fail_reads = True

    with pytest.raises((RedisConnectionError, TimeoutError)):
        await chat.notifier.check_result_ready(telegram_id=OWNER, check_id=CHECK_ID)

    assert chat.results_sent() == []
