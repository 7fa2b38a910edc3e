"""One chat's updates one at a time: queued in the process, then the shared (Redis) lock.

aiogram's Redis lock is polled every 0.1 s by a waiter; updates of one chat in one process now
wait on a local lock instead, so the shared lock is only ever asked for by one of them at a
time. These tests check that shape (and the exclusion itself, within and across processes),
not timings: those are in benchmarks/README.md.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from aiogram.fsm.storage.base import BaseEventIsolation, DefaultKeyBuilder, StorageKey
from redis.asyncio import Redis

from bot.chat_locks import ChatLocks
from bot.factory import create_fsm
from tests.conftest import make_settings

BOT_ID = 42


def chat(chat_id: int) -> StorageKey:
    return StorageKey(bot_id=BOT_ID, chat_id=chat_id, user_id=chat_id, destiny="default")


def dialog_stack(chat_id: int) -> StorageKey:
    """The key aiogram-dialog locks for a chat's dialog stack (the default stack)."""
    return StorageKey(bot_id=BOT_ID, chat_id=chat_id, user_id=chat_id, destiny="aiogd:stack:")


class RecordingShared(BaseEventIsolation):
    """A shared lock that records how many of this process's updates ask for it at once."""

    def __init__(self) -> None:
        self.asking: dict[StorageKey, int] = {}
        self.most_asking = 0
        self.taken = 0

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        self.asking[key] = self.asking.get(key, 0) + 1
        self.most_asking = max(self.most_asking, self.asking[key])
        await asyncio.sleep(0)  # a round trip's worth of other tasks running meanwhile
        self.taken += 1
        try:
            yield
        finally:
            self.asking[key] -= 1

    async def close(self) -> None:
        return None


class Inside:
    """Counts updates inside the critical section; an overlap is remembered."""

    def __init__(self) -> None:
        self.now = 0
        self.most = 0
        self.order: list[int] = []

    async def hold(self, locks: BaseEventIsolation, key: StorageKey, name: int) -> None:
        async with locks.lock(key):
            self.now += 1
            self.most = max(self.most, self.now)
            self.order.append(name)
            await asyncio.sleep(0.005)
            self.now -= 1


async def test_one_chats_updates_take_turns_and_ask_the_shared_lock_one_at_a_time() -> None:
    shared = RecordingShared()
    locks = ChatLocks(shared)
    inside = Inside()
    await asyncio.gather(*(inside.hold(locks, chat(1), n) for n in range(8)))
    assert inside.most == 1
    assert inside.order == list(range(8))  # in arrival order, as asyncio.Lock hands over
    assert shared.taken == 8
    assert shared.most_asking == 1  # the others waited here, not polling the shared lock
    assert locks.chats_locked == 0


@asynccontextmanager
async def held_by_another_update(locks: ChatLocks, key: StorageKey) -> AsyncIterator[None]:
    """`key`'s lock held by another update while the block runs."""
    inside, release = asyncio.Event(), asyncio.Event()

    async def update() -> None:
        async with locks.lock(key):
            inside.set()
            await release.wait()

    task = asyncio.create_task(update())
    await inside.wait()
    try:
        yield
    finally:
        release.set()
        await task


async def test_other_chats_do_not_wait() -> None:
    locks = ChatLocks(RecordingShared())
    async with held_by_another_update(locks, chat(1)), asyncio.timeout(5), locks.lock(chat(2)):
        assert locks.chats_locked == 2
    assert locks.chats_locked == 0


async def test_a_failed_or_cancelled_update_leaves_no_lock_behind() -> None:
    locks = ChatLocks()
    with pytest.raises(RuntimeError):
        async with locks.lock(chat(1)):
            raise RuntimeError("the handler failed")
    assert locks.chats_locked == 0

    async def wait_for_it() -> None:
        async with locks.lock(chat(1)):
            pytest.fail("the cancelled waiter must never get the lock")

    async with held_by_another_update(locks, chat(1)):
        waiter = asyncio.create_task(wait_for_it())
        await asyncio.sleep(0.01)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
    assert locks.chats_locked == 0
    async with locks.lock(chat(1)):  # and the chat's lock still works
        pass


async def test_an_update_takes_its_dialog_stacks_lock_at_once_without_asking_again() -> None:
    shared = RecordingShared()
    locks = ChatLocks(shared)
    # The stack's lock taken inside the update, as aiogram-dialog does.
    async with asyncio.timeout(5), locks.lock(chat(1)), locks.lock(dialog_stack(1)):
        assert shared.taken == 1
    assert shared.taken == 1
    assert locks.chats_locked == 0


async def test_anyone_else_waits_for_the_chat_whatever_key_they_ask_for() -> None:
    locks = ChatLocks(RecordingShared())
    order: list[str] = []

    async def stack_writer() -> None:
        async with locks.lock(dialog_stack(1)):
            order.append("stack written")

    async with held_by_another_update(locks, chat(1)):
        writer = asyncio.create_task(stack_writer())
        await asyncio.sleep(0.02)
        order.append("update done")
    await writer
    assert order == ["update done", "stack written"]


async def test_a_background_update_sent_from_inside_an_update_waits_for_it() -> None:
    # aiogram-dialog starts a background update as a task with a copy of the sender's context:
    # it is not the sender and must wait for the chat like any other update.
    locks = ChatLocks(RecordingShared())
    order: list[str] = []

    async def background_update() -> None:
        async with locks.lock(chat(1)), locks.lock(dialog_stack(1)):
            order.append("background update")

    async with locks.lock(chat(1)):
        background = asyncio.create_task(background_update())
        await asyncio.sleep(0.02)
        order.append("sender done")
    await background
    assert order == ["sender done", "background update"]


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


async def test_two_processes_exclude_each_other_through_redis(redis: Redis) -> None:
    # Two ChatLocks over one Redis stand for two webhook replicas: local locks cannot see each
    # other, the shared one must.
    key_builder = DefaultKeyBuilder(
        prefix=f"test-chat-locks-{uuid.uuid4().hex}", with_destiny=True
    )
    replicas = [ChatLocks.over_redis(redis, key_builder) for _ in range(2)]
    inside = Inside()
    await asyncio.gather(*(inside.hold(replicas[n % 2], chat(7), n) for n in range(8)))
    assert inside.most == 1
    assert sorted(inside.order) == list(range(8))
    assert [replica.chats_locked for replica in replicas] == [0, 0]


async def test_one_redis_lock_per_chat_held_for_the_whole_update(redis: Redis) -> None:
    prefix = f"test-chat-locks-{uuid.uuid4().hex}"
    locks = ChatLocks.over_redis(redis, DefaultKeyBuilder(prefix=prefix, with_destiny=True))
    async with locks.lock(chat(3)), locks.lock(dialog_stack(3)):
        held = sorted([key.decode() async for key in redis.scan_iter(f"{prefix}:*")])
    assert held == [f"{prefix}:3:3:default:lock"]
    assert [key async for key in redis.scan_iter(f"{prefix}:*")] == []


def test_both_run_modes_isolate_chats_this_way(redis_url: str, tmp_path: Path) -> None:
    memory = create_fsm(make_settings(tmp_path / "a.db"))[1]
    shared = create_fsm(make_settings(tmp_path / "b.db", redis_url=redis_url))[1]
    assert isinstance(memory, ChatLocks)
    assert isinstance(shared, ChatLocks)
