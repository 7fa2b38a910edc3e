"""MicroBatcher pieces the batch photo path relies on: batches in flight, per-item failures."""

from __future__ import annotations

import asyncio
import threading

import pytest

from ai.batching import MicroBatcher


async def test_with_two_in_flight_the_next_batch_starts_while_one_runs() -> None:
    release = threading.Event()
    started: list[list[int]] = []

    def batch_fn(items: list[int]) -> list[int]:
        started.append(list(items))
        if items == [0]:
            # The first batch holds until a second one has started beside it.
            assert release.wait(5), "the second batch never started"
        else:
            release.set()
        return items

    async with MicroBatcher(batch_fn, max_batch=1, max_wait_ms=0, max_in_flight=2) as batcher:
        results = await asyncio.gather(batcher.submit(0), batcher.submit(1))

    assert list(results) == [0, 1]
    assert started == [[0], [1]]


async def test_in_flight_batches_are_bounded() -> None:
    running = 0
    most = 0
    lock = threading.Lock()

    def batch_fn(items: list[int]) -> list[int]:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        threading.Event().wait(0.02)
        with lock:
            running -= 1
        return items

    async with MicroBatcher(batch_fn, max_batch=1, max_wait_ms=0, max_in_flight=2) as batcher:
        assert await asyncio.gather(*(batcher.submit(i) for i in range(8))) == list(range(8))

    assert most == 2


async def test_an_exception_output_fails_only_its_caller() -> None:
    def batch_fn(items: list[int]) -> list[int | BaseException]:
        return [ValueError(f"bad {item}") if item < 0 else item * 2 for item in items]

    async with MicroBatcher(batch_fn, max_batch=4, max_wait_ms=50) as batcher:
        results = await asyncio.gather(
            *(batcher.submit(i) for i in (1, -2, 3)), return_exceptions=True
        )

    assert results[0] == 2 and results[2] == 6
    assert isinstance(results[1], ValueError) and str(results[1]) == "bad -2"


async def test_close_waits_for_every_batch_in_flight() -> None:
    def batch_fn(items: list[int]) -> list[int]:
        threading.Event().wait(0.05)
        return items

    batcher: MicroBatcher[int, int] = MicroBatcher(
        batch_fn, max_batch=1, max_wait_ms=0, max_in_flight=3
    )
    pending = [asyncio.create_task(batcher.submit(i)) for i in range(5)]
    await asyncio.sleep(0)

    await batcher.aclose()

    assert [task.result() for task in pending] == list(range(5))


def test_in_flight_below_one_is_refused() -> None:
    with pytest.raises(ValueError):
        MicroBatcher(lambda items: items, max_in_flight=0)
