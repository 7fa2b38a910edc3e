"""`VIDEO__PROVIDER=daily`: the consultation's room on Daily.co, through its REST API.

https://docs.daily.co/reference/rest-api — what is used:
- `POST /rooms` makes a private room that expires with the call window (`exp`, and
  `eject_at_room_exp` so nobody stays past it). Our room name is stable per appointment; Daily
  answers a second create of the same name with 400 "already exists", and the room it made
  the first time is then read back (`GET /rooms/:name`): a retry after a lost answer makes no
  second room.
- `POST /meeting-tokens` gives each participant a token for that room alone: `is_owner` for the
  vet, `user_id` = our participant id (it comes back in the meetings API and the webhooks),
  expiring with the room.
- `DELETE /rooms/:name` ends the room (a room already gone is fine).
- `GET /meetings?room=` is who was in the room and for how long: the call's duration.

Anything Daily refuses or fails to answer (network, timeout, 4xx, 5xx, 429, a body not
shaped as documented) is a `VideoProviderError`; the scheduler tries again later.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import httpx

from core.ports.video import (
    JoinCredentials,
    ParticipantRole,
    Presence,
    RoomSpec,
    VideoProviderError,
    VideoRoom,
)

PROVIDER: Final = "daily"
# Daily's page size for /meetings goes up to 100; one appointment's room has a few meetings.
MEETINGS_PAGE: Final = 100
# A room of ours that somehow has more meetings than this is not worth more requests.
MAX_MEETING_PAGES: Final = 10
_ALREADY_EXISTS: Final = "already exists"


class DailyVideoRooms:
    def __init__(
        self,
        api_url: str,
        api_key: str,
        *,
        timeout: httpx.Timeout,
        max_participants: int = 2,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._client = httpx.AsyncClient(
            base_url=api_url.rstrip("/"),
            headers={"Authorization": f"Bearer {api_key}"},
            timeout=timeout,
            transport=transport,
        )
        self._max_participants = max_participants

    @property
    def provider(self) -> str:
        return PROVIDER

    async def aclose(self) -> None:
        await self._client.aclose()

    async def create_room(self, spec: RoomSpec) -> VideoRoom:
        body = {
            "name": spec.name,
            "privacy": "private",
            "properties": {
                "exp": _epoch(spec.expires_at),
                "eject_at_room_exp": True,
                "max_participants": self._max_participants,
                # The Mini App is the lobby: Daily's own pre-join screen and knocking would
                # only stand between a participant with a token and the call.
                "enable_prejoin_ui": False,
                "enable_knocking": False,
            },
        }
        response = await self._request("POST", "/rooms", json=body)
        if response.status_code == httpx.codes.BAD_REQUEST and _already_exists(response):
            response = await self._request("GET", f"/rooms/{spec.name}")
        room = _json_object(_expect_ok(response, "create room"), "create room")
        name, url = room.get("name"), room.get("url")
        if not isinstance(name, str) or not isinstance(url, str):
            raise VideoProviderError(f"Daily's room has no name or url: {_short(response)}")
        return VideoRoom(provider=PROVIDER, room_id=name, expires_at=spec.expires_at, url=url)

    async def issue_credentials(
        self,
        room: VideoRoom,
        *,
        participant_id: str,
        role: ParticipantRole,
        display_name: str,
        now: datetime,
    ) -> JoinCredentials:
        body = {
            "properties": {
                "room_name": room.room_id,
                "is_owner": role is ParticipantRole.VET,
                "user_name": display_name,
                "user_id": participant_id,
                "exp": _epoch(room.expires_at),
                "eject_at_token_exp": True,
            }
        }
        response = await self._request("POST", "/meeting-tokens", json=body)
        token = _json_object(_expect_ok(response, "issue a token"), "issue a token").get("token")
        if not isinstance(token, str) or not token:
            raise VideoProviderError(f"Daily's answer has no token: {_short(response)}")
        return JoinCredentials(
            provider=PROVIDER,
            room_id=room.room_id,
            participant_id=participant_id,
            role=role,
            expires_at=room.expires_at,
            token=token,
            url=room.url,
        )

    async def close_room(self, room: VideoRoom) -> None:
        response = await self._request("DELETE", f"/rooms/{room.room_id}")
        if response.status_code == httpx.codes.NOT_FOUND:
            return  # expired and removed by Daily, or closed by an earlier run
        _expect_ok(response, "delete room")

    async def attendance(self, room: VideoRoom) -> Sequence[Presence] | None:
        presences: list[Presence] = []
        params: dict[str, str | int] = {"room": room.room_id, "limit": MEETINGS_PAGE}
        for _ in range(MAX_MEETING_PAGES):
            response = await self._request("GET", "/meetings", params=params)
            page = _json_object(_expect_ok(response, "list meetings"), "list meetings")
            meetings = page.get("data")
            if not isinstance(meetings, list):
                raise VideoProviderError(f"Daily's meetings are not a list: {_short(response)}")
            for meeting in meetings:
                presences.extend(_presences(meeting))
            if len(meetings) < MEETINGS_PAGE:
                break
            last = meetings[-1]
            if not isinstance(last, Mapping) or not isinstance(last.get("id"), str):
                break
            params["starting_after"] = last["id"]
        return presences

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self._client.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            # The message names the call, never the headers (the API key is one of them).
            raise VideoProviderError(
                f"Daily {method} {path}: {type(error).__name__} {error}".strip()
            ) from error


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def _short(response: httpx.Response) -> str:
    return f"{response.status_code} {response.text[:200]}"


def _already_exists(response: httpx.Response) -> bool:
    try:
        body = response.json()
    except ValueError:
        return False
    info = body.get("info") if isinstance(body, dict) else None
    return isinstance(info, str) and _ALREADY_EXISTS in info


def _expect_ok(response: httpx.Response, what: str) -> httpx.Response:
    if not response.is_success:
        raise VideoProviderError(f"Daily refused to {what}: {_short(response)}")
    return response


def _json_object(response: httpx.Response, what: str) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise VideoProviderError(f"Daily's answer to {what} is not an object: {_short(response)}")
    return body


def _presences(meeting: object) -> list[Presence]:
    if not isinstance(meeting, Mapping):
        raise VideoProviderError("a Daily meeting is not an object")
    participants = meeting.get("participants")
    if not isinstance(participants, list):
        raise VideoProviderError(f"Daily meeting {meeting.get('id')} has no participant list")
    found: list[Presence] = []
    for participant in participants:
        if not isinstance(participant, Mapping):
            continue
        user_id = participant.get("user_id")
        joined, duration = participant.get("join_time"), participant.get("duration")
        if not isinstance(user_id, str):
            continue  # not joined with one of our tokens: not a side of the consultation
        if not isinstance(joined, int | float) or not isinstance(duration, int | float):
            raise VideoProviderError(f"Daily participant {user_id} has no join_time/duration")
        start = _from_epoch(joined)
        found.append(
            Presence(
                participant_id=user_id,
                joined_at=start,
                left_at=start + timedelta(seconds=duration),
            )
        )
    return found
