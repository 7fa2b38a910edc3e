"""Which failures are the infrastructure's (database, Redis, file storage unreachable), not ours.

An update that failed because PostgreSQL was down is not "handled": acknowledging it would lose
what the user did (a `successful_payment` with no payment row: Stars charged, nothing recorded).
The error handler leaves such failures unhandled, so the webhook answers 5xx and Telegram
delivers the update again later (bot/handlers/errors.py, webapp/routes/webhook.py); every other
failure is a bug of ours, answered with an apology, because delivering it again would only fail
again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from aiogram.exceptions import TelegramNetworkError
from botocore.exceptions import ConnectionError as BotoConnectionError
from botocore.exceptions import HTTPClientError
from redis.exceptions import BusyLoadingError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

# Dispatcher data: True where a failed update is delivered again (webhook mode: Telegram retries
# a non-2xx answer). Long polling moves its offset on whatever happens.
UPDATES_REDELIVERED: Final = "updates_redelivered"

# Cause chains are short; the bound only guards against a cycle built by hand.
_MAX_CHAIN: Final = 16

_UNREACHABLE: Final = (
    OperationalError,  # the server went away, refused, or SQLite's "database is locked"
    InterfaceError,  # a connection closed under us
    PoolTimeoutError,  # no connection to be had within the pool's timeout
    RedisConnectionError,
    RedisTimeoutError,
    BusyLoadingError,  # Redis restarting, still loading its data
    BotoConnectionError,  # S3 endpoint unreachable, connect/read timeouts
    HTTPClientError,
    ConnectionError,  # OSError subclasses: refused, reset, aborted
)


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen and len(seen) < _MAX_CHAIN:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def is_infrastructure_error(error: BaseException) -> bool:
    """True when `error`, or what caused it, says a backing service could not be reached."""
    for link in _chain(error):
        if isinstance(link, TelegramNetworkError):
            # Telegram itself unreachable: a handler may have committed before it tried to
            # answer, and a redelivery would do that again. Logged and dropped, as before.
            return False
        if isinstance(link, DBAPIError) and link.connection_invalidated:
            return True
        if isinstance(link, _UNREACHABLE):
            return True
    return False
