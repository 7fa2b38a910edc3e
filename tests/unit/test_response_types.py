"""aiogram's `Response[T]` classes are built once per method type, not once per Bot API call.

pydantic caches parametrized generics weakly; without a strong reference the cyclic GC frees
the class between two calls and aiogram's check_response builds it again (bot/response_types.py).
"""

from __future__ import annotations

import asyncio
import gc
import weakref
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import TelegramObject

from bot.factory import create_bot
from bot.response_types import KeepResponseTypes


class _ProbeAnswer(TelegramObject):
    """An answer type of this module's own: no other test (or bot kept alive by one) holds
    `Response[_ProbeAnswer]`, so whether it survives GC depends on this module alone."""

    value: int


class _Probe(TelegramMethod[_ProbeAnswer]):
    __returning__ = _ProbeAnswer
    __api_method__ = "probe"


METHOD = _Probe()
ANSWER = '{"ok": true, "result": {"value": 1}}'


class JsonAnswers(BaseSession):
    """Answers every call with ANSWER through aiogram's own check_response, as over HTTP."""

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        return self.check_response(bot, method, 200, ANSWER).result  # type: ignore[return-value]

    def stream_content(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def close(self) -> None:
        return None


def _response_class_after_a_call_and_gc(session: BaseSession) -> weakref.ref[type[Any]]:
    bot = Bot("123456:TEST-token", session=session)

    async def call() -> None:
        await bot(METHOD)

    asyncio.run(call())
    built = weakref.ref(Response[METHOD.__returning__])  # type: ignore[name-defined]
    gc.collect()
    return built


def test_without_a_strong_reference_the_class_is_freed_and_rebuilt() -> None:
    # The control: shows the rebuild happens here, so the test below can fail.
    assert _response_class_after_a_call_and_gc(JsonAnswers())() is None


def test_the_response_class_survives_gc_and_is_reused_by_the_next_call() -> None:
    session = JsonAnswers()
    session.middleware(KeepResponseTypes())
    built = _response_class_after_a_call_and_gc(session)

    kept = built()
    assert kept is not None
    assert Response[METHOD.__returning__] is kept  # type: ignore[name-defined]


def test_bots_built_by_the_factory_keep_their_response_classes() -> None:
    bot = create_bot("123456:TEST-token", api_base_url="http://127.0.0.1:9")
    assert any(isinstance(m, KeepResponseTypes) for m in bot.session.middleware)
