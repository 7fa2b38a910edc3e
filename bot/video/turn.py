"""Time-limited TURN credentials, as coturn checks them with `use-auth-secret`.

coturn's "TURN REST API" (https://github.com/coturn/coturn/wiki/turnserver#turn-rest-api, and
the `--use-auth-secret` / `--static-auth-secret` options of turnserver(1)) follows
draft-uberti-behave-turn-rest-00 §2.2 (https://datatracker.ietf.org/doc/html/draft-uberti-behave-turn-rest-00):

- username = "<expiry as a Unix timestamp>:<user id>" (`:` is coturn's default
  `--rest-api-separator`); coturn refuses it once the timestamp has passed;
- credential = base64(HMAC-SHA1(key = the shared secret, message = username)).

Nothing is stored or sent to coturn: it recomputes the HMAC from the username it is given.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

SEPARATOR: Final = ":"  # coturn's default --rest-api-separator


@dataclass(frozen=True, slots=True)
class TurnCredentials:
    username: str
    credential: str
    expires_at: datetime


def turn_credentials(
    secret: str, participant_id: str, *, now: datetime, ttl: timedelta
) -> TurnCredentials:
    """Credentials of one participant, valid from `now` for `ttl` (whole seconds, rounded
    down: coturn compares Unix seconds)."""
    if SEPARATOR in participant_id:
        # coturn reads the timestamp up to the separator; one user part per username keeps
        # it unambiguous for anyone else reading it (logs, a TURN admin).
        raise ValueError(f"participant id {participant_id!r} contains {SEPARATOR!r}")
    expiry = int((now + ttl).timestamp())
    username = f"{expiry}{SEPARATOR}{participant_id}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return TurnCredentials(
        username=username,
        credential=base64.b64encode(digest).decode("ascii"),
        expires_at=datetime.fromtimestamp(expiry, tz=now.tzinfo),
    )


def is_turn_url(url: str) -> bool:
    """TURN URIs (RFC 7065: `turn:` / `turns:`) take credentials; STUN URIs (RFC 7064) do not."""
    return url.lower().startswith(("turn:", "turns:"))
