"""Mini App sign-in: Telegram's initData checked with the bot token, and our session tokens.

Pure functions over strings and instants (no framework, no I/O): the rules are unit-tested as a
table, and the web edge only maps `InitDataError` / `SessionTokenError` to 401.

initData, as https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app
defines it: a query string of fields plus `hash`. The data-check-string is every received field
but `hash`, sorted by key, written `key=value` and joined by "\\n";
secret_key = HMAC_SHA256(key="WebAppData", msg=bot_token); the data is Telegram's when
hex(HMAC_SHA256(key=secret_key, msg=data_check_string)) equals `hash`. `auth_date` (Unix time)
says when the Mini App was opened, and "to prevent the use of outdated data" it is checked too.

Nothing here puts the initData itself, or any part of it, into an exception message: the caller
may log an error, and initData is a credential until it goes stale.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Final
from urllib.parse import parse_qsl

from core.errors import DomainError

# The HMAC key Telegram derives the initData secret with (the page above).
WEB_APP_DATA_KEY: Final = b"WebAppData"
# Real initData is a few hundred bytes to about 2 KB (user JSON with a photo URL, chat,
# receiver); anything far larger is not from Telegram and is refused before any work.
MAX_INIT_DATA_LENGTH: Final = 16 * 1024
MAX_INIT_DATA_FIELDS: Final = 32
# Telegram's clock and ours may disagree a little; an auth_date further in the future than
# this was not signed by Telegram "now" and is refused like a stale one.
AUTH_DATE_SKEW: Final = timedelta(seconds=60)
_HEX_DIGITS: Final = frozenset("0123456789abcdef")

# Session tokens: "v1.<telegram id>.<expiry, Unix seconds>.<signature>".
SESSION_TOKEN_VERSION: Final = "v1"
MAX_SESSION_TOKEN_LENGTH: Final = 200
# Domain separation: the session key is never Telegram's initData secret, whatever it is
# derived from, so nothing Telegram signs can pass for one of our tokens or the reverse.
_SESSION_KEY_LABEL_BOT: Final = b"telemed-pet/miniapp-session/bot-token"
_SESSION_KEY_LABEL_SECRET: Final = b"telemed-pet/miniapp-session/secret"


class InitDataProblem(StrEnum):
    """Why initData was refused; the API says this to the Mini App (never the data)."""

    MALFORMED = "malformed"  # not a query string, bad UTF-8, duplicate keys, bad field
    NO_HASH = "no_hash"
    # Tampered with, or signed with another bot's token: the two cannot be told apart.
    BAD_SIGNATURE = "bad_signature"
    STALE = "stale"
    FROM_THE_FUTURE = "from_the_future"
    NO_USER = "no_user"  # signed, but opened without a user (e.g. from an attachment menu)


class InitDataError(DomainError):
    def __init__(self, problem: InitDataProblem) -> None:
        super().__init__(f"init data refused: {problem.value}")
        self.problem = problem


class SessionTokenProblem(StrEnum):
    INVALID = "invalid"  # not ours, tampered with, or signed with another key
    EXPIRED = "expired"


class SessionTokenError(DomainError):
    def __init__(self, problem: SessionTokenProblem) -> None:
        super().__init__(f"session token refused: {problem.value}")
        self.problem = problem


@dataclass(frozen=True, slots=True)
class VerifiedInitData:
    """What a valid initData tells: who opened the Mini App, and when Telegram signed it."""

    telegram_id: int
    auth_date: datetime  # aware UTC
    user: Mapping[str, Any]  # Telegram's WebAppUser object, as sent


def init_data_secret(bot_token: str) -> bytes:
    return hmac.new(WEB_APP_DATA_KEY, bot_token.encode(), hashlib.sha256).digest()


def data_check_string(fields: Mapping[str, str]) -> str:
    """Every field but `hash`, sorted by key, as `key=value` lines joined by "\\n"."""
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def parse_init_data(raw: str) -> dict[str, str]:
    """The fields of an initData query string, decoded; `InitDataError(MALFORMED)` if it is not
    one. Duplicate keys are refused: Telegram never sends them, and with two values the
    data-check-string would depend on which one a parser keeps."""
    if not raw or len(raw) > MAX_INIT_DATA_LENGTH:
        raise InitDataError(InitDataProblem.MALFORMED)
    try:
        pairs = parse_qsl(
            raw,
            keep_blank_values=True,
            strict_parsing=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_INIT_DATA_FIELDS,
        )
    except ValueError:  # also UnicodeDecodeError: percent-escapes that are not UTF-8
        raise InitDataError(InitDataProblem.MALFORMED) from None
    fields: dict[str, str] = {}
    for key, value in pairs:
        if not key or key in fields:
            raise InitDataError(InitDataProblem.MALFORMED)
        fields[key] = value
    return fields


def verify_init_data(
    raw: str, bot_token: str, *, now: datetime, max_age: timedelta
) -> VerifiedInitData:
    """Check initData as Telegram prescribes; raise `InitDataError` saying why it is refused.

    The signature is checked before anything inside is trusted; then `auth_date` must be no
    older than `max_age` and not in the future beyond `AUTH_DATE_SKEW`; then there must be a
    user with an integer id.
    """
    fields = parse_init_data(raw)
    received = fields.get("hash")
    if received is None:
        raise InitDataError(InitDataProblem.NO_HASH)
    # SHA-256 in lowercase hex, as Telegram writes it; checked first so that the comparison
    # below compares two ASCII strings of one length.
    if len(received) != 64 or not set(received) <= _HEX_DIGITS:
        raise InitDataError(InitDataProblem.BAD_SIGNATURE)
    try:
        message = data_check_string(fields).encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: no client sends them
        raise InitDataError(InitDataProblem.MALFORMED) from None
    expected = hmac.new(init_data_secret(bot_token), message, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, received):
        raise InitDataError(InitDataProblem.BAD_SIGNATURE)

    auth_date = _auth_date(fields.get("auth_date"))
    if auth_date > now + AUTH_DATE_SKEW:
        raise InitDataError(InitDataProblem.FROM_THE_FUTURE)
    if now - auth_date > max_age:
        raise InitDataError(InitDataProblem.STALE)

    raw_user = fields.get("user")
    if raw_user is None:
        raise InitDataError(InitDataProblem.NO_USER)
    try:
        user = json.loads(raw_user)
    except ValueError:
        raise InitDataError(InitDataProblem.MALFORMED) from None
    if not isinstance(user, dict):
        raise InitDataError(InitDataProblem.MALFORMED)
    telegram_id = user.get("id")
    # bool is an int in Python; JSON `true` is no user id.
    if not isinstance(telegram_id, int) or isinstance(telegram_id, bool) or telegram_id <= 0:
        raise InitDataError(InitDataProblem.NO_USER)
    return VerifiedInitData(telegram_id=telegram_id, auth_date=auth_date, user=user)


def _auth_date(raw: str | None) -> datetime:
    # Unix seconds in ASCII digits; int() alone would also take "+1", " 1" and "1_0".
    if raw is None or not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        raise InitDataError(InitDataProblem.MALFORMED)
    return datetime.fromtimestamp(int(raw), UTC)


# --- session tokens -----------------------------------------------------------------------------


def derive_session_key(bot_token: str, secret: str | None = None) -> bytes:
    """The key that signs session tokens: from `MINIAPP__SECRET` when set, else the bot token.

    Derived through HMAC with a label of our own, so it never equals the initData secret
    (HMAC("WebAppData", token)) even when both come from the bot token.
    """
    if secret:
        return hmac.new(_SESSION_KEY_LABEL_SECRET, secret.encode(), hashlib.sha256).digest()
    return hmac.new(_SESSION_KEY_LABEL_BOT, bot_token.encode(), hashlib.sha256).digest()


@dataclass(frozen=True, slots=True)
class SessionTokens:
    """Short-lived bearer tokens of the Mini App API, carrying a Telegram id and an expiry.

    Stateless (an HMAC, nothing stored), so any webapp replica verifies what another issued.
    """

    key: bytes = field(repr=False)
    ttl: timedelta

    def issue(self, telegram_id: int, now: datetime) -> tuple[str, datetime]:
        """A token for this user and when it expires."""
        expires_at = now + self.ttl
        body = f"{SESSION_TOKEN_VERSION}.{telegram_id}.{int(expires_at.timestamp())}"
        return f"{body}.{self._sign(body)}", expires_at

    def verify(self, token: str, now: datetime) -> int:
        """The Telegram id the token was issued to; `SessionTokenError` when it is not valid."""
        if not token or len(token) > MAX_SESSION_TOKEN_LENGTH or not token.isascii():
            raise SessionTokenError(SessionTokenProblem.INVALID)
        parts = token.split(".")
        if len(parts) != 4 or parts[0] != SESSION_TOKEN_VERSION:
            raise SessionTokenError(SessionTokenProblem.INVALID)
        _, user_part, expiry_part, signature = parts
        if not (user_part.isdigit() and expiry_part.isdigit()):
            raise SessionTokenError(SessionTokenProblem.INVALID)
        expected = self._sign(f"{parts[0]}.{user_part}.{expiry_part}")
        if not hmac.compare_digest(expected, signature):
            raise SessionTokenError(SessionTokenProblem.INVALID)
        # Checked after the signature: an expiry we did not sign means nothing.
        if now.timestamp() >= int(expiry_part):
            raise SessionTokenError(SessionTokenProblem.EXPIRED)
        telegram_id = int(user_part)
        if telegram_id <= 0:
            raise SessionTokenError(SessionTokenProblem.INVALID)
        return telegram_id

    def _sign(self, body: str) -> str:
        digest = hmac.new(self.key, body.encode("ascii"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True, slots=True)
class MiniAppAuth:
    """Everything sign-in needs, built once per process from settings and the bot's token."""

    bot_token: str = field(repr=False)
    sessions: SessionTokens
    init_data_max_age: timedelta
