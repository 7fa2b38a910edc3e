"""Micro-batching: requests that arrive together share one forward pass.

A collector task takes the oldest waiting request, then keeps collecting until `max_batch`
requests are in hand or the oldest has waited `max_wait_ms`, and runs the batch function in one
dedicated thread (the model is not thread-safe, and a single forward thread already uses every
core or the GPU). While a batch runs, new requests queue up; they have usually waited their
`max_wait_ms` by the time it ends, so under load batches form back to back with no idle wait.

With `max_in_flight` > 1 the collector forms and starts the next batch while earlier ones still
run (in that many threads): a batch function that decodes first and then takes a forward lock
keeps the decoders busy during the previous batch's forward.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Generic, TypeVar

In = TypeVar("In")
Out = TypeVar("Out")

log = logging.getLogger(__name__)


class BatcherClosedError(RuntimeError):
    """The batcher was closed; the request was not run."""


@dataclass(slots=True)
class BatchStats:
    batches: int = 0
    items: int = 0
    # How many batches of each size ran; the bench reports it.
    sizes: dict[int, int] = field(default_factory=dict)

    def record(self, size: int) -> None:
        self.batches += 1
        self.items += size
        self.sizes[size] = self.sizes.get(size, 0) + 1

    @property
    def mean_batch(self) -> float:
        return self.items / self.batches if self.batches else 0.0


@dataclass(slots=True)
class _Request(Generic[In, Out]):
    item: In
    future: asyncio.Future[Out]
    enqueued: float


_STOP = object()


class MicroBatcher(Generic[In, Out]):
    """Runs `batch_fn(items) -> outputs` (same length, same order) on batches of requests.

    Each caller of `submit` gets its own output, or the exception its batch raised; an output
    that is itself an exception fails only that caller (one bad item, not the whole batch).
    The queue is bounded: when `max_queue` requests wait, `submit` waits too (backpressure, not
    failure). Use from one event loop; the collector starts on the first `submit`.
    """

    def __init__(
        self,
        batch_fn: Callable[[list[In]], Sequence[Out | BaseException]],
        *,
        max_batch: int = 32,
        max_wait_ms: float = 5.0,
        max_queue: int = 4096,
        max_in_flight: int = 1,
        name: str = "batch",
    ) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be ≥ 1")
        if max_wait_ms < 0:
            raise ValueError("max_wait_ms must be ≥ 0")
        if max_queue < max_batch:
            raise ValueError("max_queue must be ≥ max_batch")
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be ≥ 1")
        self._batch_fn = batch_fn
        self.max_batch = max_batch
        self.max_wait_s = max_wait_ms / 1000
        self._queue: asyncio.Queue[_Request[In, Out] | object] = asyncio.Queue(max_queue)
        self._executor = ThreadPoolExecutor(
            max_workers=max_in_flight, thread_name_prefix=f"{name}-forward"
        )
        self._slots = asyncio.Semaphore(max_in_flight)
        self._running: set[asyncio.Task[None]] = set()
        self._collector: asyncio.Task[None] | None = None
        self._closed = False
        self.stats = BatchStats()

    async def submit(self, item: In) -> Out:
        if self._closed:
            raise BatcherClosedError("batcher is closed")
        loop = asyncio.get_running_loop()
        if self._collector is None:
            self._collector = loop.create_task(self._collect(), name="micro-batcher")
        request: _Request[In, Out] = _Request(item, loop.create_future(), time.monotonic())
        await self._queue.put(request)
        return await request.future

    async def submit_many(self, items: Sequence[In]) -> list[Out]:
        """Each item is its own request: a caller's photos may land in different batches."""
        return list(await asyncio.gather(*(self.submit(item) for item in items)))

    async def aclose(self) -> None:
        """Stop taking requests, finish the ones already queued, release the forward thread."""
        if self._closed:
            return
        self._closed = True
        if self._collector is not None:
            await self._queue.put(_STOP)
            await self._collector
        # A submit that was waiting on a full queue may have slipped in behind the stop marker.
        while not self._queue.empty():
            request = self._queue.get_nowait()
            if isinstance(request, _Request) and not request.future.done():
                request.future.set_exception(BatcherClosedError("batcher is closed"))
        self._executor.shutdown(wait=False)

    async def _collect(self) -> None:
        loop = asyncio.get_running_loop()
        stopping = False
        while not stopping:
            # A free slot first, then collect: requests that arrive meanwhile join this batch.
            await self._slots.acquire()
            first = await self._queue.get()
            if first is _STOP:
                self._slots.release()
                break
            assert isinstance(first, _Request)
            batch: list[_Request[In, Out]] = [first]
            deadline = first.enqueued + self.max_wait_s
            while len(batch) < self.max_batch:
                try:
                    # Already queued requests are taken without yielding to the loop.
                    nxt = self._queue.get_nowait()
                except asyncio.QueueEmpty:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    try:
                        nxt = await asyncio.wait_for(self._queue.get(), remaining)
                    except TimeoutError:
                        break
                if nxt is _STOP:
                    stopping = True
                    break
                assert isinstance(nxt, _Request)
                batch.append(nxt)
            task = loop.create_task(self._run_in_slot(loop, batch), name="micro-batch")
            self._running.add(task)
            task.add_done_callback(self._running.discard)
        if self._running:
            await asyncio.gather(*self._running)

    async def _run_in_slot(
        self, loop: asyncio.AbstractEventLoop, batch: list[_Request[In, Out]]
    ) -> None:
        try:
            await self._run(loop, batch)
        finally:
            self._slots.release()

    async def _run(self, loop: asyncio.AbstractEventLoop, batch: list[_Request[In, Out]]) -> None:
        # A caller that gave up (cancelled) costs no compute.
        live = [request for request in batch if not request.future.done()]
        if not live:
            return
        self.stats.record(len(live))
        try:
            outputs = await loop.run_in_executor(
                self._executor, self._batch_fn, [request.item for request in live]
            )
            if len(outputs) != len(live):
                raise RuntimeError(
                    f"batch function returned {len(outputs)} results for {len(live)} items"
                )
        except Exception as exc:
            # The batch failed as a whole: exactly its callers hear about it; the next batch runs.
            log.warning("batch of %d failed: %r", len(live), exc)
            for request in live:
                if not request.future.done():
                    request.future.set_exception(exc)
            return
        for request, output in zip(live, outputs, strict=True):
            if request.future.done():
                continue
            if isinstance(output, BaseException):
                request.future.set_exception(output)
            else:
                request.future.set_result(output)

    async def __aenter__(self) -> MicroBatcher[In, Out]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
