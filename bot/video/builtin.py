"""`VIDEO__PROVIDER=builtin`: 1:1 WebRTC between the two Mini App pages, no outside service.

The room is our own row (consultation_rooms): making it only draws an unguessable id for the
signalling channel, closing it has nothing to tell anyone, and attendance is what the call page
reports (RecordJoin / RecordLeave), so `attendance` returns None. Join credentials are the ICE
servers from VIDEO__ICE_SERVERS; with VIDEO__TURN_SECRET the TURN ones carry credentials of
this participant, issued per session (bot/video/turn.py).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Final

from bot.video.turn import is_turn_url, turn_credentials
from core.ports.video import (
    IceServer,
    JoinCredentials,
    ParticipantRole,
    Presence,
    RoomSpec,
    VideoRoom,
)

PROVIDER: Final = "builtin"
# 128 bits: the channel id is never the only guard (the API checks the caller's access), but
# it must not be guessable either.
ROOM_ID_BYTES: Final = 16


class BuiltinVideoRooms:
    def __init__(
        self, ice_servers: Sequence[str], *, turn_secret: str | None, turn_ttl: timedelta
    ) -> None:
        self._stun = tuple(url for url in ice_servers if not is_turn_url(url))
        self._turn = tuple(url for url in ice_servers if is_turn_url(url))
        self._turn_secret = turn_secret
        self._turn_ttl = turn_ttl

    @property
    def provider(self) -> str:
        return PROVIDER

    async def create_room(self, spec: RoomSpec) -> VideoRoom:
        # A retried create draws a new id: the earlier one was never stored, so nobody has it.
        return VideoRoom(
            provider=PROVIDER,
            room_id=f"{spec.name}-{secrets.token_urlsafe(ROOM_ID_BYTES)}",
            expires_at=spec.expires_at,
        )

    async def issue_credentials(
        self,
        room: VideoRoom,
        *,
        participant_id: str,
        role: ParticipantRole,
        display_name: str,
        now: datetime,
    ) -> JoinCredentials:
        return JoinCredentials(
            provider=PROVIDER,
            room_id=room.room_id,
            participant_id=participant_id,
            role=role,
            expires_at=room.expires_at,
            ice_servers=self.ice_servers(participant_id, now=now),
        )

    def ice_servers(self, participant_id: str, *, now: datetime) -> tuple[IceServer, ...]:
        servers: list[IceServer] = []
        if self._stun:
            servers.append(IceServer(urls=self._stun))
        if self._turn:
            if self._turn_secret is None:
                servers.append(IceServer(urls=self._turn))
            else:
                issued = turn_credentials(
                    self._turn_secret, participant_id, now=now, ttl=self._turn_ttl
                )
                servers.append(
                    IceServer(
                        urls=self._turn, username=issued.username, credential=issued.credential
                    )
                )
        return tuple(servers)

    async def close_room(self, room: VideoRoom) -> None:
        # The row's closed_at is the close; the call page stops accepting the room then.
        return None

    async def attendance(self, room: VideoRoom) -> Sequence[Presence] | None:
        return None
