"""The video room of a consultation, behind one interface whatever provider runs it.

The shape follows what a hosted provider needs, Daily.co's REST API being the model
(https://docs.daily.co/reference/rest-api): a private room created ahead with an expiry
(`POST /rooms`, `properties.exp`), a meeting token per participant naming the room and whether
they own it (`POST /meeting-tokens`, `is_owner`: the vet), the room deleted afterwards
(`DELETE /rooms/:name`) and, if asked, who was in it when (`GET /meetings`). The embedded
`builtin` provider fits the same calls: its room is a row of ours, its credentials are ICE
servers (with TURN credentials when configured) for a 1:1 WebRTC call between the two pages.

Adapters raise `VideoProviderError` for anything the provider refused or failed to answer; the
scheduler retries (core.interactors.consultation_lifecycle).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class ParticipantRole(StrEnum):
    """Who a participant is in the call: the vet owns the room (Daily: `is_owner`)."""

    OWNER = "owner"  # the pet's owner or a co-owner
    VET = "vet"


class VideoProviderError(Exception):
    """The provider refused or failed (network, 5xx, quota): worth trying again later."""


@dataclass(frozen=True, slots=True)
class RoomSpec:
    """What to create: `name` is ours and stable for one appointment, so that a provider
    which keeps rooms by name can answer a retried create with the room it already made."""

    name: str
    appointment_id: int
    # Nobody may join after this (Daily: `exp`); the room is closed by then anyway.
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class VideoRoom:
    """A room the provider has made. `room_id` is the provider's handle (stored with the
    appointment); `url` is where a hosted call page lives, None for `builtin`."""

    provider: str
    room_id: str
    expires_at: datetime
    url: str | None = None


@dataclass(frozen=True, slots=True)
class IceServer:
    """One entry of `RTCConfiguration.iceServers` (https://www.w3.org/TR/webrtc/#rtciceserver-dictionary)."""

    urls: tuple[str, ...]
    username: str | None = None
    credential: str | None = None


@dataclass(frozen=True, slots=True)
class JoinCredentials:
    """What one participant's page needs to enter the room, valid until `expires_at`.

    `builtin`: the ICE servers (TURN ones with credentials of this participant). A hosted
    provider: its meeting `token` and the room `url`.
    """

    provider: str
    room_id: str
    participant_id: str
    role: ParticipantRole
    expires_at: datetime
    ice_servers: tuple[IceServer, ...] = ()
    token: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Presence:
    """One stretch of a participant in the room, as the provider saw it (`left_at` None:
    still there)."""

    participant_id: str
    joined_at: datetime
    left_at: datetime | None


class VideoRooms(Protocol):
    """A video provider (VIDEO__PROVIDER)."""

    @property
    def provider(self) -> str:
        """The name stored with each room, so a room is always closed by the provider that
        made it."""
        ...

    async def create_room(self, spec: RoomSpec) -> VideoRoom:
        """A private room that expires at `spec.expires_at`. Creating the same `spec.name`
        again returns the same room (a retry after a lost answer makes no second room)."""
        ...

    async def issue_credentials(
        self,
        room: VideoRoom,
        *,
        participant_id: str,
        role: ParticipantRole,
        display_name: str,
        now: datetime,
    ) -> JoinCredentials:
        """Join credentials of one participant, issued per session (a reconnect asks again).
        `participant_id` is ours (`<role>-<user id>`) and comes back in `attendance`."""
        ...

    async def close_room(self, room: VideoRoom) -> None:
        """End the room: whoever is still in it is sent out. Closing a room that is gone
        already is not an error."""
        ...

    async def attendance(self, room: VideoRoom) -> Sequence[Presence] | None:
        """Who was in the room, when, if the provider records it (Daily's meetings API);
        None when it does not, and the joins the call page reported are used instead."""
        ...
