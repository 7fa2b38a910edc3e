"""aiogram rebuilds `Response[T]` on Bot API calls: a standalone reproduction (aiogram + pydantic).

    python benchmarks/upstream/aiogram_response_generic.py [--calls 2000]

`BaseSession.check_response` parametrizes `Response[method.__returning__]` on every call.
pydantic caches parametrized generics in a `WeakValueDictionary` (pydantic._internal._generics),
and a model class sits in reference cycles, so once nothing else holds it the cyclic GC frees it
and the next call builds the class again (schema, validator, serializer). An application only
has to allocate enough between two calls for the GC to get there: here each call is followed by
the allocations of a small unrelated workload (a stand-in for the handler, FSM, database code
that runs between two Bot API calls in a bot).

The same calls are timed twice in one process, interleaved: without any reference to the class
(aiogram as released), and with one strong reference kept (the workaround). Prints JSON: calls
per second, how many calls had to build `Response[Message]` again, and the speed-up.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import time
import weakref
from typing import Any

import aiogram
import pydantic
from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import Response, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Message

ANSWER = json.dumps(
    {
        "ok": True,
        "result": {
            "message_id": 1,
            "date": 1_700_000_000,
            "chat": {"id": 42, "type": "private"},
            "from": {"id": 1, "is_bot": True, "first_name": "bot"},
            "text": "hello",
        },
    }
)


class InMemorySession(BaseSession):
    """Answers every call with ANSWER, through aiogram's own check_response (no network)."""

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        return self.check_response(bot, method, 200, ANSWER).result  # type: ignore[return-value]

    def stream_content(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def close(self) -> None:
        return None


def _other_work() -> None:
    # What a bot allocates between two Bot API calls (objects in cycles included), enough
    # for the collector to run its older generations now and then, as it does in a real bot.
    for _ in range(200):
        node: dict[str, Any] = {"payload": list(range(20))}
        node["self"] = node


def measure(calls: int, keep: bool) -> dict[str, Any]:
    session = InMemorySession()
    bot = Bot("123456:TEST-token", session=session)
    method = SendMessage(chat_id=42, text="hello")
    kept = Response[Message] if keep else None
    gc.collect()
    elapsed = 0.0
    rebuilt = 0
    last: weakref.ref[type[Any]] | None = None
    for _ in range(calls):
        if last is not None and last() is None:
            rebuilt += 1  # the class the previous call used was freed: this call builds it
        started = time.perf_counter()
        session.check_response(bot, method, 200, ANSWER)
        elapsed += time.perf_counter() - started
        last = weakref.ref(Response[Message])
        _other_work()
    del kept
    return {
        "calls_per_s": round(calls / elapsed, 1),
        "us_per_call": round(elapsed / calls * 1e6, 1),
        "calls_that_rebuilt_the_class": rebuilt,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs: dict[str, list[dict[str, Any]]] = {"without_reference": [], "with_reference": []}
    for _ in range(args.repeat):
        runs["without_reference"].append(measure(args.calls, keep=False))
        runs["with_reference"].append(measure(args.calls, keep=True))
    best = {name: max(run["calls_per_s"] for run in found) for name, found in runs.items()}
    print(
        json.dumps(
            {
                "python": platform.python_version(),
                "aiogram": aiogram.__version__,
                "pydantic": pydantic.VERSION,
                "calls": args.calls,
                "runs": runs,
                "speedup_with_reference": round(
                    best["with_reference"] / best["without_reference"], 2
                ),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
