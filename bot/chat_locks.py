"""One chat's updates handled one at a time: first among this process's updates, then across
processes.

aiogram's `RedisEventIsolation` is a redis-py lock, and a waiting update polls it every 0.1 s.
So the second of two updates of one chat in one process — a button pressed as soon as the
window showed, the photos of an album, a double tap — waited up to 100 ms after the first one
had finished: through the sandbox on PostgreSQL + Redis, 32 dialog steps/s with a p99 of 121 ms,
where 79 steps/s and 19 ms were possible (issue #14). Here the updates of one chat in one
process queue on an asyncio lock, handed over the moment it is released, and only the update
holding it takes the shared lock that other processes (webhook replicas) take too — normally
free by then. Between replicas, the rare case of one chat's updates arriving at two of them
at once, the shared lock is polled every 20 ms.

One lock per chat, whatever the key's destiny, re-entrant for the update holding it: besides
the chat's own lock (aiogram's FSM middleware, for every update) aiogram-dialog locks the
chat's dialog stack inside the same update — on Redis two more round trips per update, for a
lock that can never be contended. Every writer of a stack is an update that already holds its
chat's lock: aiogram-dialog's background updates (`Updater._process_update`) go through the
dispatcher's update middlewares like any other. So a lock asked for by the task that holds its
chat's lock is granted at once; any other task, in this process or another, waits for the
chat. Ownership is the task's, not a context variable's: a background update starts with a copy
of the context of the update that sent it, and must still wait its turn.

A chat's local lock lives only while an update holds or waits for it (aiogram's
`SimpleEventIsolation` keeps one per chat ever seen, for the life of the process).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace

from aiogram.fsm.storage.base import DEFAULT_DESTINY, BaseEventIsolation, KeyBuilder, StorageKey
from aiogram.fsm.storage.redis import RedisEventIsolation
from redis.asyncio import Redis

# redis-py's Lock: `timeout` frees the lock of a process that died holding it (aiogram's
# default); `sleep` is how often a waiting process asks again (redis-py's default 0.1 s).
SHARED_LOCK_KWARGS = {"timeout": 60, "sleep": 0.02}


@dataclass
class _ChatLock:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0  # updates holding or waiting for it
    holder: asyncio.Task[object] | None = None


def chat_of(key: StorageKey) -> StorageKey:
    """The chat a key belongs to: the key with the default destiny (the FSM's own)."""
    return key if key.destiny == DEFAULT_DESTINY else replace(key, destiny=DEFAULT_DESTINY)


class ChatLocks(BaseEventIsolation):
    """aiogram's events isolation: a process-local lock per chat, then `shared`'s, if any."""

    def __init__(self, shared: BaseEventIsolation | None = None) -> None:
        self._shared = shared
        self._locks: dict[StorageKey, _ChatLock] = {}

    @classmethod
    def over_redis(cls, redis: Redis, key_builder: KeyBuilder) -> ChatLocks:
        return cls(RedisEventIsolation(redis, key_builder, lock_kwargs=SHARED_LOCK_KWARGS))

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        chat_key = chat_of(key)
        task = asyncio.current_task()
        chat = self._locks.get(chat_key)
        if chat is not None and task is not None and chat.holder is task:
            yield  # this update holds its chat's lock already (the dialog stack's, inside it)
            return
        if chat is None:
            chat = self._locks[chat_key] = _ChatLock()
        chat.users += 1
        try:
            async with chat.lock:
                chat.holder = task
                try:
                    if self._shared is None:
                        yield
                    else:
                        async with self._shared.lock(chat_key):
                            yield
                finally:
                    chat.holder = None
        finally:
            chat.users -= 1
            if chat.users == 0 and self._locks.get(chat_key) is chat:
                del self._locks[chat_key]

    @property
    def chats_locked(self) -> int:
        """Chats with an update holding or waiting for their lock in this process."""
        return len(self._locks)

    async def close(self) -> None:
        if self._shared is not None:
            await self._shared.close()
