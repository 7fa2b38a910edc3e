"""Bot tokens never reach a log line.

aiogram puts the token in every Bot API URL (`/bot<token>/sendMessage`, `/file/bot<token>/...`),
and an HTTP error from a file download carries that URL into its message and traceback
(`aiohttp.ClientResponseError`). Redacting the finished line covers every path at once: the
message, its arguments, the traceback and whatever a library logs.
"""

from __future__ import annotations

import logging
import re
from typing import Final

# Telegram's token shape (https://core.telegram.org/bots/api#authorizing-your-bot):
# "<bot id>:<secret>", the secret 35 characters of [A-Za-z0-9_-]. Longer secrets are matched
# too, so a future format still disappears. No word boundary before the id: in URLs it follows
# "bot" directly (`/bot123:AA.../`).
TOKEN_PATTERN: Final = re.compile(r"(?<![0-9])\d{5,}:[A-Za-z0-9_-]{30,}")
REDACTED: Final = "<bot-token>"


def redact(text: str) -> str:
    return TOKEN_PATTERN.sub(REDACTED, text)


class RedactingFormatter(logging.Formatter):
    """Formats with `inner` (the handler's own layout), then replaces bot tokens."""

    def __init__(self, inner: logging.Formatter | None = None) -> None:
        super().__init__()
        self._inner = inner if inner is not None else logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        return redact(self._inner.format(record))


def install_redaction(logger: logging.Logger | None = None) -> None:
    """Wrap the formatter of every handler of `logger` (the root logger by default)."""
    target = logger if logger is not None else logging.getLogger()
    for handler in target.handlers:
        if not isinstance(handler.formatter, RedactingFormatter):
            handler.setFormatter(RedactingFormatter(handler.formatter))
