"""Which failures leave an update unacknowledged (bot/infrastructure_errors.py)."""

from __future__ import annotations

import pytest
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import SendMessage
from botocore.exceptions import EndpointConnectionError
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from bot.infrastructure_errors import is_infrastructure_error


def _caused(outer: BaseException, cause: BaseException) -> BaseException:
    outer.__cause__ = cause
    return outer


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("SELECT 1", {}, ConnectionRefusedError(111, "refused")),
        DBAPIError("SELECT 1", {}, Exception("gone"), connection_invalidated=True),
        RedisConnectionError("Connection refused"),
        EndpointConnectionError(endpoint_url="http://127.0.0.1:9"),
        ConnectionResetError(104, "reset"),
        _caused(RuntimeError("while saving"), ConnectionRefusedError(111, "refused")),
    ],
    ids=["db-refused", "db-invalidated", "redis", "s3", "reset", "caused-by"],
)
def test_unreachable_services_are_infrastructure(error: BaseException) -> None:
    assert is_infrastructure_error(error)


@pytest.mark.parametrize(
    "error",
    [
        ValueError("a bug of ours"),
        IntegrityError("INSERT", {}, Exception("duplicate key")),
        DBAPIError("SELECT 1", {}, Exception("syntax"), connection_invalidated=False),
        # Telegram unreachable: a redelivery could repeat what the handler committed.
        _caused(
            TelegramNetworkError(SendMessage(chat_id=1, text="x"), "timeout"),
            ConnectionResetError(104, "reset"),
        ),
    ],
    ids=["bug", "integrity", "sql-error", "telegram"],
)
def test_our_own_failures_are_not(error: BaseException) -> None:
    assert not is_infrastructure_error(error)
