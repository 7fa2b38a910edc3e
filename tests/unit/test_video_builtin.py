"""The `builtin` video provider: ICE servers from settings, TURN credentials as coturn checks
them under `use-auth-secret` (https://github.com/coturn/coturn/wiki/turnserver#turn-rest-api,
draft-uberti-behave-turn-rest-00 §2.2): username "<unix expiry>:<user>", credential
base64(HMAC-SHA1(secret, username))."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.video.builtin import BuiltinVideoRooms
from bot.video.turn import turn_credentials
from core.config import Settings, VideoSection
from core.ports.video import IceServer, ParticipantRole, RoomSpec

NOW = datetime(2025, 6, 2, 1, 0, tzinfo=UTC)  # Unix 1748826000
HOUR = timedelta(hours=1)


def test_a_known_vector_matches_openssl() -> None:
    # printf '1748829600:owner-42' | openssl dgst -sha1 -hmac north -binary | base64
    issued = turn_credentials("north", "owner-42", now=NOW, ttl=HOUR)
    assert issued.username == "1748829600:owner-42"
    assert issued.credential == "IXrwZHfsKv7dpbnpxMlEfU/1Rao="
    assert issued.expires_at == datetime(2025, 6, 2, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("secret", "participant", "ttl_s"),
    [("s3cret", "vet-7", 7200), ("пароль", "owner-1", 60), ("x" * 64, "owner-999999", 86400)],
)
def test_credentials_are_the_hmac_of_the_username_with_the_expiry_first(
    secret: str, participant: str, ttl_s: int
) -> None:
    now = NOW + timedelta(seconds=0.75)  # a fraction of a second rounds down, as Unix time does
    issued = turn_credentials(secret, participant, now=now, ttl=timedelta(seconds=ttl_s))

    match = re.fullmatch(r"(\d+):(.+)", issued.username)
    assert match is not None
    assert int(match.group(1)) == int(NOW.timestamp()) + ttl_s
    assert match.group(2) == participant
    expected = base64.b64encode(
        hmac.new(secret.encode(), issued.username.encode(), hashlib.sha1).digest()
    ).decode()
    assert issued.credential == expected


def test_a_participant_id_with_the_separator_is_refused() -> None:
    with pytest.raises(ValueError, match="contains"):
        turn_credentials("secret", "owner:1", now=NOW, ttl=HOUR)


async def test_no_ice_servers_by_default_so_nothing_reaches_the_internet() -> None:
    section = Settings(_env_file=None).video  # type: ignore[call-arg]
    assert section.provider == "builtin"
    assert section.ice_servers == ()
    rooms = BuiltinVideoRooms(section.ice_servers, turn_secret=None, turn_ttl=HOUR)
    room = await rooms.create_room(RoomSpec("telemed-pet-1", 1, NOW + HOUR))
    credentials = await rooms.issue_credentials(
        room, participant_id="owner-1", role=ParticipantRole.OWNER, display_name="A", now=NOW
    )
    assert credentials.ice_servers == ()
    assert credentials.provider == "builtin"
    assert credentials.room_id == room.room_id


async def test_turn_urls_get_per_participant_credentials_and_stun_urls_none() -> None:
    rooms = BuiltinVideoRooms(
        ("stun:turn.example.org:3478", "turn:turn.example.org:3478?transport=udp", "turns:t:5349"),
        turn_secret="north",
        turn_ttl=HOUR,
    )
    room = await rooms.create_room(RoomSpec("telemed-pet-1", 1, NOW + HOUR))
    owner = await rooms.issue_credentials(
        room, participant_id="owner-42", role=ParticipantRole.OWNER, display_name="A", now=NOW
    )
    vet = await rooms.issue_credentials(
        room, participant_id="vet-7", role=ParticipantRole.VET, display_name="B", now=NOW
    )
    stun, turn = owner.ice_servers
    assert stun == IceServer(urls=("stun:turn.example.org:3478",))
    assert turn.urls == ("turn:turn.example.org:3478?transport=udp", "turns:t:5349")
    assert (turn.username, turn.credential) == (
        "1748829600:owner-42",
        "IXrwZHfsKv7dpbnpxMlEfU/1Rao=",
    )
    # Each participant has their own: one leaked credential names one person.
    assert vet.ice_servers[1].username == "1748829600:vet-7"
    assert vet.ice_servers[1].credential != turn.credential


async def test_without_a_secret_turn_urls_go_as_they_are() -> None:
    rooms = BuiltinVideoRooms(("turn:t:3478",), turn_secret=None, turn_ttl=HOUR)
    room = await rooms.create_room(RoomSpec("telemed-pet-1", 1, NOW + HOUR))
    credentials = await rooms.issue_credentials(
        room, participant_id="vet-7", role=ParticipantRole.VET, display_name="B", now=NOW
    )
    assert credentials.ice_servers == (IceServer(urls=("turn:t:3478",)),)


async def test_each_room_gets_an_unguessable_id_of_its_own() -> None:
    rooms = BuiltinVideoRooms((), turn_secret=None, turn_ttl=HOUR)
    spec = RoomSpec("telemed-pet-5", 5, NOW + HOUR)
    first, second = await rooms.create_room(spec), await rooms.create_room(spec)
    assert first.room_id.startswith("telemed-pet-5-")
    assert first.room_id != second.room_id
    assert len(first.room_id) >= len("telemed-pet-5-") + 20
    assert await rooms.attendance(first) is None  # the call page reports joins instead


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        ("stun:a:3478,turn:b:3478", ("stun:a:3478", "turn:b:3478")),
        ("stun:a:3478 turn:b:3478", ("stun:a:3478", "turn:b:3478")),
        ('["stun:a:3478", "turns:b:5349"]', ("stun:a:3478", "turns:b:5349")),
        ("", ()),
    ],
)
def test_ice_servers_are_read_from_a_list_or_a_json_array(
    raw: str, parsed: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VIDEO__ICE_SERVERS", raw)
    monkeypatch.setenv("VIDEO__TURN_SECRET", "north")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.video.ice_servers == parsed
    assert settings.video.turn_secret is not None
    assert settings.video.turn_secret.get_secret_value() == "north"


def test_an_unknown_provider_is_refused() -> None:
    with pytest.raises(ValueError, match="builtin"):
        VideoSection(provider="zoom")  # type: ignore[arg-type]
