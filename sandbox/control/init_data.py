"""Mini App initData signed with the bot token exactly as Telegram signs it."""

import hashlib
import hmac
import json
import secrets
import time
from urllib.parse import urlencode

from sandbox.emulator.models import SandboxUser


def sign_init_data(token: str, fields: dict[str, str]) -> str:
    """``fields`` plus their ``hash``, urlencoded.

    secret = HMAC_SHA256(key="WebAppData", msg=token); the check string is every field but hash,
    sorted, as ``key=value`` lines joined by "\\n"; hash = hex(HMAC_SHA256(secret, check string)).
    """
    check_string = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    signature = hmac.new(secret, check_string.encode(), hashlib.sha256).hexdigest()
    return urlencode({**fields, "hash": signature})


def make_init_data(token: str, user: SandboxUser, *, auth_date: int | None = None) -> str:
    user_fields = {key: value for key, value in user.to_api().items() if key != "is_bot"}
    user_fields["allows_write_to_pm"] = True
    fields = {
        "query_id": "AAH" + secrets.token_urlsafe(24),
        # Telegram writes compact JSON with non-ASCII characters as they are.
        "user": json.dumps(user_fields, separators=(",", ":"), ensure_ascii=False),
        "auth_date": str(auth_date if auth_date is not None else int(time.time())),
    }
    return sign_init_data(token, fields)
