"""MicroBatcher: concurrent requests share batches, each caller gets its own outcome."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from ai.batching import BatcherClosedError, MicroBatcher


class Recorder:
    """A batch function that doubles numbers and remembers every batch it saw."""

    def __init__(self, delay_s: float = 0.0, fail_on: int | None = None) -> None:
        self.batches: list[list[int]] = []
        self.threads: set[str] = set()
        self.delay_s = delay_s
        self.fail_on = fail_on

    def __call__(self, items: list[int]) -> list[int]:
        self.batches.append(list(items))
        self.threads.add(threading.current_thread().name)
        if self.delay_s:
            time.sleep(self.delay_s)  # blocking on purpose: the loop must not notice
        if self.fail_on is not None and self.fail_on in items:
            raise ValueError(f"bad item {self.fail_on}")
        return [item * 2 for item in items]


async def test_concurrent_requests_share_forward_calls_and_get_their_own_answers() -> None:
    fn = Recorder()
    async with MicroBatcher(fn, max_batch=4, max_wait_ms=50) as batcher:
        results = await asyncio.gather(*(batcher.submit(i) for i in range(10)))

    assert results == [i * 2 for i in range(10)]
    assert [len(batch) for batch in fn.batches] == [4, 4, 2]
    assert batcher.stats.batches == 3
    assert batcher.stats.items == 10


async def test_submit_many_keeps_order() -> None:
    async with MicroBatcher(Recorder(), max_batch=8, max_wait_ms=5) as batcher:
        assert await batcher.submit_many([3, 1, 2]) == [6, 2, 4]


async def test_a_failing_batch_fails_exactly_its_own_callers() -> None:
    fn = Recorder(fail_on=-1)
    async with MicroBatcher(fn, max_batch=2, max_wait_ms=50) as batcher:
        results = await asyncio.gather(
            *(batcher.submit(i) for i in (1, -1, 3, 4)), return_exceptions=True
        )

    assert fn.batches == [[1, -1], [3, 4]]
    assert isinstance(results[0], ValueError)
    assert isinstance(results[1], ValueError)
    assert results[2:] == [6, 8]


async def test_wrong_number_of_outputs_is_an_error_for_the_batch() -> None:
    def one_output(items: list[int]) -> list[int]:
        return [0]

    async with MicroBatcher(one_output, max_batch=4, max_wait_ms=20) as batcher:
        results = await asyncio.gather(
            batcher.submit(1), batcher.submit(2), return_exceptions=True
        )

    assert all(isinstance(result, RuntimeError) for result in results)


async def test_batches_never_exceed_max_batch() -> None:
    fn = Recorder(delay_s=0.01)
    async with MicroBatcher(fn, max_batch=3, max_wait_ms=5) as batcher:
        await asyncio.gather(*(batcher.submit(i) for i in range(20)))

    assert max(len(batch) for batch in fn.batches) <= 3
    assert sorted(item for batch in fn.batches for item in batch) == list(range(20))


async def test_a_lone_request_waits_at_most_max_wait() -> None:
    async with MicroBatcher(Recorder(), max_batch=8, max_wait_ms=80) as batcher:
        start = time.perf_counter()
        assert await batcher.submit(1) == 2
        elapsed = time.perf_counter() - start

    assert 0.07 <= elapsed < 1.0


async def test_a_full_batch_does_not_wait_for_the_deadline() -> None:
    async with MicroBatcher(Recorder(), max_batch=2, max_wait_ms=10_000) as batcher:
        start = time.perf_counter()
        await asyncio.gather(batcher.submit(1), batcher.submit(2))

        assert time.perf_counter() - start < 1.0


async def test_the_event_loop_stays_free_while_a_batch_runs() -> None:
    fn = Recorder(delay_s=0.3)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    async with MicroBatcher(fn, max_batch=4, max_wait_ms=0) as batcher:
        ticking = asyncio.create_task(ticker())
        try:
            await batcher.submit(1)
        finally:
            ticking.cancel()
            with pytest.raises(asyncio.CancelledError):
                await ticking

    assert ticks >= 10
    assert fn.threads and threading.current_thread().name not in fn.threads


async def test_requests_arriving_during_a_batch_form_the_next_one() -> None:
    fn = Recorder(delay_s=0.2)
    async with MicroBatcher(fn, max_batch=8, max_wait_ms=0) as batcher:
        first = asyncio.create_task(batcher.submit(0))
        await asyncio.sleep(0.05)  # the first batch is running now
        rest = await asyncio.gather(*(batcher.submit(i) for i in range(1, 6)))
        await first

    assert rest == [2, 4, 6, 8, 10]
    assert fn.batches == [[0], [1, 2, 3, 4, 5]]


async def test_a_cancelled_caller_costs_no_compute() -> None:
    fn = Recorder(delay_s=0.1)
    async with MicroBatcher(fn, max_batch=1, max_wait_ms=0) as batcher:
        running = asyncio.create_task(batcher.submit(1))
        await asyncio.sleep(0.02)
        abandoned = asyncio.create_task(batcher.submit(2))
        kept = asyncio.create_task(batcher.submit(3))
        await asyncio.sleep(0.01)
        abandoned.cancel()
        assert await running == 2
        assert await kept == 6

    assert [2] not in fn.batches


async def test_close_finishes_queued_requests_then_refuses_new_ones() -> None:
    fn = Recorder(delay_s=0.05)
    batcher: MicroBatcher[int, int] = MicroBatcher(fn, max_batch=2, max_wait_ms=1)
    pending = [asyncio.create_task(batcher.submit(i)) for i in range(5)]
    await asyncio.sleep(0)  # let them enqueue

    await batcher.aclose()

    assert [task.result() for task in pending] == [0, 2, 4, 6, 8]
    with pytest.raises(BatcherClosedError):
        await batcher.submit(9)


async def test_bounded_queue_applies_backpressure() -> None:
    fn = Recorder(delay_s=0.05)
    async with MicroBatcher(fn, max_batch=1, max_wait_ms=0, max_queue=2) as batcher:
        results = await asyncio.gather(*(batcher.submit(i) for i in range(6)))

    assert results == [0, 2, 4, 6, 8, 10]


def test_invalid_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        MicroBatcher(Recorder(), max_batch=0)
    with pytest.raises(ValueError):
        MicroBatcher(Recorder(), max_batch=4, max_queue=2)
