"""Strong references to aiogram's `Response[T]` classes, one per Bot API method used.

aiogram 3.31 checks every Bot API answer with `Response[method.__returning__]`
(`BaseSession.check_response`). pydantic 2.13 keeps parametrized generics in a
`WeakValueDictionary`, and each class sits in reference cycles, so the cyclic GC frees it between
calls and the next call builds it again: ~1.8 ms per call on this machine against ~1 µs for a
cache hit (about a fifth of the event loop in bench_bot.py profiles). Holding each class here
keeps pydantic's cache entry alive; aiogram's own lookup then hits it. Reported upstream:
benchmarks/upstream/README.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

if TYPE_CHECKING:
    from aiogram import Bot


class KeepResponseTypes(BaseRequestMiddleware):
    """A session middleware that builds `Response[T]` once per method type and keeps it.

    Lazy rather than pre-built at import: a process pays only for the methods it calls (the
    41 distinct return types cost ~50 ms to build, which start-up need not pay). The classes
    live as long as the session's middleware, i.e. the Bot.
    """

    def __init__(self) -> None:
        self.kept: dict[type[TelegramMethod[Any]], type[Response[Any]]] = {}

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        method_type = type(method)
        if method_type not in self.kept:
            # A runtime type argument, as in aiogram's own check_response.
            self.kept[method_type] = Response[method.__returning__]  # type: ignore[name-defined]
        return await make_request(bot, method)
