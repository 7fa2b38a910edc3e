"""Mini App sign-in rules: initData checked as Telegram prescribes, and our session tokens.

Source of every initData rule: https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app
(data-check-string = all received fields but `hash`, sorted, `key=value` joined by "\\n";
secret_key = HMAC_SHA256(key "WebAppData", msg bot token); hash = hex HMAC_SHA256(secret_key,
data-check-string); `auth_date` is checked "to prevent the use of outdated data").

Valid initData is signed with `init_data_py` (PyPI init-data-py), an implementation nobody here
wrote, so the checker is tested against Telegram's scheme rather than against itself; aiogram's
checker (`aiogram.utils.web_app.check_webapp_signature`) is a second independent opinion.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, quote, urlencode

import pytest
from aiogram.utils.web_app import check_webapp_signature
from init_data_py import UnsignedInitData, User, sign

from core.miniapp_auth import (
    AUTH_DATE_SKEW,
    InitDataError,
    InitDataProblem,
    SessionTokenError,
    SessionTokenProblem,
    SessionTokens,
    derive_session_key,
    init_data_secret,
    verify_init_data,
)

TOKEN = "7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"
OTHER_BOT_TOKEN = "7987654321:AAFoRmI4sHlYOIgF3Jj9c5gCqSeD3Vjw2QA"
NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
MAX_AGE = timedelta(hours=1)
USER_ID = 279058397


def signed(
    *,
    token: str = TOKEN,
    auth_date: datetime = NOW,
    user_id: int = USER_ID,
    first_name: str = "Vladislav",
) -> str:
    """initData as Telegram would send it, signed by init_data_py."""
    payload = UnsignedInitData(
        query_id="AAHdF6IQAAAAAN0XohDhrOrc",
        user=User(id=user_id, first_name=first_name, language_code="ru"),
    )
    return sign(payload, token, auth_date=auth_date)


def replace_field(raw: str, key: str, value: str) -> str:
    """The same query string with one field changed and the old hash kept."""
    pairs = [(k, value if k == key else v) for k, v in parse_qsl(raw, keep_blank_values=True)]
    return urlencode(pairs)


def drop_field(raw: str, key: str) -> str:
    return urlencode([(k, v) for k, v in parse_qsl(raw, keep_blank_values=True) if k != key])


def verify(raw: str, token: str = TOKEN, now: datetime = NOW) -> int:
    return verify_init_data(raw, token, now=now, max_age=MAX_AGE).telegram_id


# --- accepted -----------------------------------------------------------------------------------


def test_init_data_signed_by_an_independent_library_is_accepted() -> None:
    raw = signed()
    assert verify(raw) == USER_ID
    # aiogram's checker agrees: the data really is signed as Telegram signs it.
    assert check_webapp_signature(TOKEN, raw)


def test_the_user_and_the_signing_time_are_read() -> None:
    checked = verify_init_data(signed(first_name="Мурка 🐾"), TOKEN, now=NOW, max_age=MAX_AGE)
    assert checked.user["first_name"] == "Мурка 🐾"  # non-ASCII names, percent-encoded UTF-8
    assert checked.auth_date == NOW


def test_spaces_written_as_percent_20_or_plus_both_verify() -> None:
    # Telegram percent-encodes; other encoders write spaces as "+". Both decode to the same
    # value, and the signature is over decoded values.
    raw = signed(first_name="Anna Maria")
    plus = raw.replace("%20", "+")
    percent = raw.replace("+", "%20")
    assert verify(plus) == verify(percent) == USER_ID


def test_a_field_telegram_adds_later_is_part_of_the_signature() -> None:
    # "all received fields": a field we do not know (e.g. Bot API 8.0's `signature`) is hashed
    # too, so adding or changing one after signing breaks the hash.
    payload = UnsignedInitData(
        user=User(id=USER_ID, first_name="A"), extra={"signature": "abc", "new_field": "1"}
    )
    raw = sign(payload, TOKEN, auth_date=NOW)
    assert verify(raw) == USER_ID
    with pytest.raises(InitDataError) as refused:
        verify(replace_field(raw, "new_field", "2"))
    assert refused.value.problem is InitDataProblem.BAD_SIGNATURE


@pytest.mark.parametrize(
    "age",
    [timedelta(0), MAX_AGE, -AUTH_DATE_SKEW],
    ids=["fresh", "exactly-max-age", "slightly-ahead-of-our-clock"],
)
def test_init_data_within_its_lifetime_is_accepted(age: timedelta) -> None:
    assert verify(signed(auth_date=NOW - age)) == USER_ID


# --- refused ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    name: str
    make: Callable[[], str]
    problem: InitDataProblem


def _duplicate_user() -> str:
    # A second `user` after the signed one: which one would a parser keep?
    other = json.dumps({"id": 1, "first_name": "Eve"})
    return signed() + "&user=" + quote(other)


def _tampered_hash() -> str:
    raw = signed()
    digest = dict(parse_qsl(raw))["hash"]
    flipped = ("0" if digest[0] != "0" else "1") + digest[1:]
    return replace_field(raw, "hash", flipped)


REFUSALS = [
    Refusal("tampered-hash", _tampered_hash, InitDataProblem.BAD_SIGNATURE),
    Refusal(
        "tampered-user",
        lambda: replace_field(signed(), "user", json.dumps({"id": 1, "first_name": "Eve"})),
        InitDataProblem.BAD_SIGNATURE,
    ),
    Refusal(
        "tampered-auth-date",
        lambda: replace_field(signed(), "auth_date", str(int(NOW.timestamp()) + 1)),
        InitDataProblem.BAD_SIGNATURE,
    ),
    Refusal(
        "uppercase-hash",
        lambda: replace_field(signed(), "hash", dict(parse_qsl(signed()))["hash"].upper()),
        InitDataProblem.BAD_SIGNATURE,
    ),
    Refusal(
        "short-hash", lambda: replace_field(signed(), "hash", "abc"), InitDataProblem.BAD_SIGNATURE
    ),
    Refusal("missing-hash", lambda: drop_field(signed(), "hash"), InitDataProblem.NO_HASH),
    Refusal(
        "signed-for-another-bot",
        lambda: signed(token=OTHER_BOT_TOKEN),
        InitDataProblem.BAD_SIGNATURE,
    ),
    Refusal("duplicate-keys", _duplicate_user, InitDataProblem.MALFORMED),
    Refusal(
        "stale",
        lambda: signed(auth_date=NOW - MAX_AGE - timedelta(seconds=1)),
        InitDataProblem.STALE,
    ),
    Refusal(
        "future-beyond-skew",
        lambda: signed(auth_date=NOW + AUTH_DATE_SKEW + timedelta(seconds=1)),
        InitDataProblem.FROM_THE_FUTURE,
    ),
    Refusal(
        "signed-without-auth-date",
        # Signed by hand: init_data_py always adds auth_date.
        lambda: _sign_by_hand({"user": json.dumps({"id": USER_ID, "first_name": "A"})}),
        InitDataProblem.MALFORMED,
    ),
    Refusal(
        "signed-with-a-non-numeric-auth-date",
        lambda: _sign_by_hand({"auth_date": "+1717318800", "user": '{"id":1}'}),
        InitDataProblem.MALFORMED,
    ),
    Refusal(
        "signed-without-user",
        lambda: sign(UnsignedInitData(query_id="AAH"), TOKEN, auth_date=NOW),
        InitDataProblem.NO_USER,
    ),
    Refusal(
        "signed-user-without-integer-id",
        lambda: _sign_by_hand({"auth_date": _now(), "user": '{"id":"279058397"}'}),
        InitDataProblem.NO_USER,
    ),
    Refusal(
        "signed-user-that-is-not-json",
        lambda: _sign_by_hand({"auth_date": _now(), "user": "{id:1"}),
        InitDataProblem.MALFORMED,
    ),
    Refusal("not-utf-8", lambda: signed() + "&x=%FF%FE", InitDataProblem.MALFORMED),
    Refusal("empty", lambda: "", InitDataProblem.MALFORMED),
    Refusal("garbage", lambda: "this is not a query string", InitDataProblem.MALFORMED),
    Refusal("empty-pair", lambda: signed().replace("&", "&&", 1), InitDataProblem.MALFORMED),
    Refusal("empty-key", lambda: signed() + "&=1", InitDataProblem.MALFORMED),
    Refusal("huge", lambda: "a=" + "b" * 20_000 + "&hash=" + "0" * 64, InitDataProblem.MALFORMED),
    Refusal(
        "too-many-fields",
        lambda: "&".join(f"k{i}=v" for i in range(100)),
        InitDataProblem.MALFORMED,
    ),
    Refusal("lone-surrogate", lambda: signed() + "&x=\udcff", InitDataProblem.MALFORMED),
]


def _now() -> str:
    return str(int(NOW.timestamp()))


def _sign_by_hand(fields: dict[str, str]) -> str:
    """Signed with init_data_py's building blocks, for field sets its `sign` will not make."""
    from init_data_py import _crypto

    pairs = sorted(fields.items())
    digest = _crypto.compute_hash(
        _crypto.build_data_check_string(pairs), _crypto.secret_key(TOKEN)
    )
    return urlencode([*pairs, ("hash", digest)])


@pytest.mark.parametrize("case", REFUSALS, ids=lambda case: case.name)
def test_init_data_is_refused_with_its_reason(case: Refusal) -> None:
    raw = case.make()
    with pytest.raises(InitDataError) as refused:
        verify(raw)
    assert refused.value.problem is case.problem
    # The reason only, nothing of the data itself: the error may be logged.
    assert str(refused.value) == f"init data refused: {case.problem.value}"


def test_the_hand_signer_agrees_with_the_library() -> None:
    # Guards the table above: `_sign_by_hand` signs what `sign` signs.
    pairs = {"auth_date": _now(), "user": '{"id":5,"first_name":"A"}'}
    assert verify(_sign_by_hand(pairs)) == 5
    assert check_webapp_signature(TOKEN, _sign_by_hand(pairs))


# --- session tokens -----------------------------------------------------------------------------

KEY = derive_session_key(TOKEN)
TTL = timedelta(minutes=30)


def test_a_session_token_carries_the_user_until_it_expires() -> None:
    tokens = SessionTokens(KEY, TTL)
    token, expires_at = tokens.issue(USER_ID, NOW)
    assert expires_at == NOW + TTL
    assert tokens.verify(token, NOW) == USER_ID
    assert tokens.verify(token, NOW + TTL - timedelta(seconds=1)) == USER_ID


def test_an_expired_session_token_is_refused() -> None:
    tokens = SessionTokens(KEY, TTL)
    token, _ = tokens.issue(USER_ID, NOW)
    with pytest.raises(SessionTokenError) as refused:
        tokens.verify(token, NOW + TTL)
    assert refused.value.problem is SessionTokenProblem.EXPIRED


def _tamper_user(token: str) -> str:
    version, _, expiry, signature = token.split(".")
    return f"{version}.1.{expiry}.{signature}"


def _tamper_expiry(token: str) -> str:
    version, user, expiry, signature = token.split(".")
    return f"{version}.{user}.{int(expiry) + 3600}.{signature}"


def _tamper_signature(token: str) -> str:
    head, signature = token.rsplit(".", 1)
    return f"{head}.{('A' if signature[0] != 'A' else 'B')}{signature[1:]}"


@pytest.mark.parametrize(
    "mangle",
    [
        _tamper_user,
        _tamper_expiry,
        _tamper_signature,
        lambda token: token.replace("v1.", "v2.", 1),
        lambda token: token + ".extra",
        lambda token: "",
        lambda token: "not-a-token",
        lambda token: token + "é",
        lambda token: "v1.-5.99999999999." + token.rsplit(".", 1)[1],
    ],
    ids=[
        "other-user",
        "longer-expiry",
        "signature",
        "version",
        "extra-part",
        "empty",
        "garbage",
        "non-ascii",
        "negative-user",
    ],
)
def test_a_tampered_session_token_is_refused(mangle: Callable[[str], str]) -> None:
    tokens = SessionTokens(KEY, TTL)
    token, _ = tokens.issue(USER_ID, NOW)
    with pytest.raises(SessionTokenError) as refused:
        tokens.verify(mangle(token), NOW)
    assert refused.value.problem is SessionTokenProblem.INVALID


def test_a_token_signed_with_another_key_is_refused() -> None:
    theirs = SessionTokens(derive_session_key(OTHER_BOT_TOKEN), TTL)
    token, _ = theirs.issue(USER_ID, NOW)
    with pytest.raises(SessionTokenError) as refused:
        SessionTokens(KEY, TTL).verify(token, NOW)
    assert refused.value.problem is SessionTokenProblem.INVALID


def test_the_session_key_comes_from_the_secret_when_set_and_is_never_telegrams() -> None:
    from_token = derive_session_key(TOKEN)
    from_secret = derive_session_key(TOKEN, "rotate-me")
    assert from_secret != from_token
    assert derive_session_key(TOKEN, "rotate-me") == from_secret  # stable across replicas
    assert init_data_secret(TOKEN) not in {from_token, from_secret}
    # A token made with the bot-token key is refused once a secret is configured.
    token, _ = SessionTokens(from_token, TTL).issue(USER_ID, NOW)
    with pytest.raises(SessionTokenError):
        SessionTokens(from_secret, TTL).verify(token, NOW)
