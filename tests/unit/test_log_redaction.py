"""Bot tokens never reach a log line (bot/log_redaction.py)."""

from __future__ import annotations

import io
import logging

from aiohttp import ClientResponseError, RequestInfo
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from bot.log_redaction import REDACTED, install_redaction
from sandbox.token import make_token


def _logger_to(stream: io.StringIO) -> logging.Logger:
    logger = logging.getLogger(f"redaction-test-{id(stream)}")
    logger.propagate = False
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    install_redaction(logger)
    return logger


def test_a_download_error_with_its_traceback_is_logged_without_the_token() -> None:
    token = make_token()
    url = URL(f"https://api.telegram.org/file/bot{token}/documents/file_1.pdf")
    stream = io.StringIO()
    logger = _logger_to(stream)
    try:
        raise ClientResponseError(
            RequestInfo(url, "GET", CIMultiDictProxy(CIMultiDict()), url), (), status=502
        )
    except ClientResponseError:
        logger.exception("download of %s failed", url)
    output = stream.getvalue()
    assert token not in output
    assert token.split(":")[1] not in output
    assert output.count(REDACTED) >= 2  # the message and the exception text
    assert output.startswith("ERROR redaction-test-")  # the handler's own layout is kept


def test_lines_without_a_token_are_left_alone() -> None:
    stream = io.StringIO()
    _logger_to(stream).warning("appointment %s at 12:30 for user 123456789", 7)
    assert stream.getvalue() == (
        f"WARNING redaction-test-{id(stream)}: appointment 7 at 12:30 for user 123456789\n"
    )


def test_installing_twice_wraps_once() -> None:
    stream = io.StringIO()
    logger = _logger_to(stream)
    install_redaction(logger)
    logger.error("token %s", make_token())
    assert stream.getvalue().count(REDACTED) == 1
