import asyncio
import contextlib
import time


class Signal:
    """Wakes every current waiter on notify(); waiters then re-check their own condition.

    All state lives on the server's event loop, so checking a condition and then waiting on the
    signal cannot miss a notify in between (there is no await between the two).
    """

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, timeout: float) -> None:
        if timeout <= 0:
            return
        event = self._event
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)


# Long polls wake at least this often to notice a client that has gone away.
POLL_SLICE_S = 1.0


class Deadline:
    def __init__(self, seconds: float) -> None:
        self._at = time.monotonic() + seconds

    def left(self) -> float:
        return max(0.0, self._at - time.monotonic())
