"""A local Daily.co for tests: its REST API as documented, on a real HTTP port, and its webhooks.

Nothing here reaches Daily. The fake follows https://docs.daily.co/reference/rest-api for what
the adapter (bot/video/daily.py) uses: `POST /rooms` (400 "already exists" for a taken name),
`GET`/`DELETE /rooms/:name` (404 when unknown), `POST /meeting-tokens`, `GET /meetings?room=`
(`{"total_count", "data"}`, paged with `limit` / `starting_after`), every call refused with 401
without `Authorization: Bearer <key>`, and errors shaped `{"error", "info"}`.

Tests drive a meeting with `join` / `leave` (at the moments they choose): the fake keeps the
meeting sessions the meetings API reports and queues the webhook events Daily would send
(`meeting.started`, `participant.joined`, `participant.left`, `meeting.ended`), which `deliver`
POSTs signed as Daily signs them: `X-Webhook-Timestamp` and `X-Webhook-Signature` = base64 of
HMAC-SHA256 over `<timestamp>.<raw body>`, keyed with the base64-decoded webhook secret.

Faults: `fail_next(status, count, path=)` answers the next calls (to `path` only, if given)
with that status; `delay_s` holds every answer that long (for timeouts). The server runs in a
thread of its own (sandbox.testing's BackgroundServer); the state is shared under a lock.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from sandbox.testing import BackgroundServer

DEFAULT_API_KEY: Final = "fake-daily-api-key"
DEFAULT_DOMAIN_URL: Final = "https://telemed-fake.daily.co"
# Daily's room names: letters, digits, '-' and '_'.
_ROOM_NAME: Final = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def sign_webhook(body: bytes, timestamp: str, secret: str) -> str:
    """Daily's webhook signature of `body` sent at `timestamp` with the base64 `secret`."""
    key = base64.b64decode(secret)
    digest = hmac.new(key, timestamp.encode() + b"." + body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _problem(status: int, error: str, info: str) -> JSONResponse:
    return JSONResponse({"error": error, "info": info}, status_code=status)


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


@dataclass
class _Participant:
    user_id: str | None
    user_name: str | None
    session_id: str
    join_time: int
    left_time: int | None = None


@dataclass
class _Meeting:
    id: str
    room: str
    start_time: int
    participants: list[_Participant] = field(default_factory=list)
    end_time: int | None = None

    def present(self) -> list[_Participant]:
        return [p for p in self.participants if p.left_time is None]


class FakeDaily:
    def __init__(
        self,
        *,
        api_key: str = DEFAULT_API_KEY,
        webhook_secret: str | None = None,
        domain_url: str = DEFAULT_DOMAIN_URL,
    ) -> None:
        self.api_key = api_key
        # Daily gives the webhook's `hmac` as base64; so does the fake.
        self.webhook_secret = webhook_secret or base64.b64encode(secrets.token_bytes(32)).decode()
        self.domain_url = domain_url
        self.rooms: dict[str, dict[str, Any]] = {}
        self.deleted_rooms: list[str] = []
        self.tokens: dict[str, dict[str, Any]] = {}
        self.meetings: list[_Meeting] = []
        self.pending_events: list[dict[str, Any]] = []
        self.calls: list[tuple[str, str]] = []
        self.delay_s = 0.0
        self._failures: list[tuple[int, str | None]] = []
        self._lock = threading.Lock()
        self._latest = 0
        self.server = BackgroundServer(self._app())

    @property
    def api_url(self) -> str:
        return f"{self.server.base_url}/v1"

    def start(self) -> FakeDaily:
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    # --- faults -----------------------------------------------------------------------------

    def fail_next(self, status: int = 500, count: int = 1, *, path: str | None = None) -> None:
        """The next `count` calls (to `path` only, when given: e.g. "/v1/meetings") fail."""
        with self._lock:
            self._failures.extend([(status, path)] * count)

    def _take_failure(self, path: str) -> int | None:
        for index, (status, only) in enumerate(self._failures):
            if only is None or only == path:
                del self._failures[index]
                return status
        return None

    def calls_to(self, method: str, path: str) -> int:
        with self._lock:
            return sum(1 for call in self.calls if call == (method, path))

    # --- a meeting, as the tests make it happen ---------------------------------------------

    def join(
        self, room: str, user_id: str | None, at: datetime, *, user_name: str | None = None
    ) -> str:
        """Someone enters `room` at `at` with a token for `user_id`: their session id."""
        moment = _epoch(at)
        with self._lock:
            self._latest = max(self._latest, moment)
            meeting = self._ongoing(room)
            if meeting is None:
                meeting = _Meeting(id=str(uuid.uuid4()), room=room, start_time=moment)
                self.meetings.append(meeting)
                self._event(
                    "meeting.started", {"start_ts": moment, "meeting_id": meeting.id, "room": room}
                )
            session = _Participant(user_id, user_name, str(uuid.uuid4()), moment)
            meeting.participants.append(session)
            self._event(
                "participant.joined",
                {
                    "joined_at": moment,
                    "session_id": session.session_id,
                    "room": room,
                    "user_id": user_id,
                    "user_name": user_name,
                    "owner": bool(user_id and user_id.startswith("vet-")),
                },
            )
            return session.session_id

    def leave(self, room: str, user_id: str | None, at: datetime) -> None:
        """`user_id`'s session in `room` ends at `at`; the meeting ends with its last one."""
        moment = _epoch(at)
        with self._lock:
            self._latest = max(self._latest, moment)
            meeting = self._ongoing(room)
            assert meeting is not None, f"nobody is in {room}"
            [session] = [p for p in meeting.present() if p.user_id == user_id]
            session.left_time = moment
            self._event(
                "participant.left",
                {
                    "joined_at": session.join_time,
                    "duration": moment - session.join_time,
                    "session_id": session.session_id,
                    "room": room,
                    "user_id": user_id,
                    "user_name": session.user_name,
                    "owner": bool(user_id and user_id.startswith("vet-")),
                },
            )
            if not meeting.present():
                meeting.end_time = moment
                self._event(
                    "meeting.ended",
                    {
                        "start_ts": meeting.start_time,
                        "end_ts": moment,
                        "meeting_id": meeting.id,
                        "room": room,
                    },
                )

    def _ongoing(self, room: str) -> _Meeting | None:
        for meeting in self.meetings:
            if meeting.room == room and meeting.end_time is None:
                return meeting
        return None

    def _event(self, kind: str, payload: dict[str, Any]) -> None:
        self.pending_events.append(
            {
                "version": "1.0.0",
                "type": kind,
                "id": f"{kind}-{uuid.uuid4()}",
                "payload": payload,
                "event_ts": time.time(),
            }
        )

    # --- webhooks ---------------------------------------------------------------------------

    def take_events(self) -> list[dict[str, Any]]:
        with self._lock:
            events, self.pending_events = self.pending_events, []
        return events

    @staticmethod
    def encode(event: dict[str, Any]) -> bytes:
        return json.dumps(event, separators=(",", ":")).encode()

    def signed_headers(
        self, body: bytes, *, timestamp: int | None = None, secret: str | None = None
    ) -> dict[str, str]:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        return {
            "Content-Type": "application/json",
            "X-Webhook-Timestamp": stamp,
            "X-Webhook-Signature": sign_webhook(body, stamp, secret or self.webhook_secret),
        }

    async def deliver(self, client: httpx.AsyncClient, url: str) -> list[httpx.Response]:
        """POST every queued event to `url`, signed, in order: the answers."""
        answers = []
        for event in self.take_events():
            body = self.encode(event)
            answers.append(await client.post(url, content=body, headers=self.signed_headers(body)))
        return answers

    # --- the REST API -----------------------------------------------------------------------

    def _app(self) -> FastAPI:
        app = FastAPI()

        @app.middleware("http")
        async def faults_and_auth(
            request: Request, call_next: Callable[[Request], Awaitable[Response]]
        ) -> Response:
            with self._lock:
                self.calls.append((request.method, request.url.path))
                failure = self._take_failure(request.url.path)
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
            if failure is not None:
                return _problem(failure, "server-error", "the fake was told to fail")
            if request.headers.get("authorization") != f"Bearer {self.api_key}":
                return _problem(401, "authentication-error", "bad or missing API key")
            return await call_next(request)

        @app.post("/v1/rooms")
        async def create_room(request: Request) -> Response:
            body = await request.json()
            name = body.get("name") or secrets.token_hex(8)
            if not isinstance(name, str) or not _ROOM_NAME.match(name):
                return _problem(400, "invalid-request-error", "invalid room name")
            with self._lock:
                if name in self.rooms:
                    return _problem(
                        400, "invalid-request-error", f"a room named {name} already exists"
                    )
                room = {
                    "id": str(uuid.uuid4()),
                    "name": name,
                    "api_created": True,
                    "privacy": body.get("privacy", "public"),
                    "url": f"{self.domain_url}/{name}",
                    "created_at": datetime.now(UTC).isoformat(),
                    "config": dict(body.get("properties") or {}),
                }
                self.rooms[name] = room
            return JSONResponse(room)

        @app.get("/v1/rooms/{name}")
        async def get_room(name: str) -> Response:
            with self._lock:
                room = self.rooms.get(name)
            if room is None:
                return _problem(404, "not-found", f"room {name} was not found")
            return JSONResponse(room)

        @app.delete("/v1/rooms/{name}")
        async def delete_room(name: str) -> Response:
            with self._lock:
                if self.rooms.pop(name, None) is None:
                    return _problem(404, "not-found", f"room {name} was not found")
                self.deleted_rooms.append(name)
            return JSONResponse({"deleted": True, "name": name})

        @app.post("/v1/meeting-tokens")
        async def create_token(request: Request) -> Response:
            properties = (await request.json()).get("properties")
            if not isinstance(properties, dict) or not properties.get("room_name"):
                return _problem(400, "invalid-request-error", "properties.room_name is required")
            token = f"fake.{secrets.token_urlsafe(24)}"
            with self._lock:
                self.tokens[token] = properties
            return JSONResponse({"token": token})

        @app.get("/v1/meetings")
        async def list_meetings(
            room: str | None = None, limit: int = 100, starting_after: str | None = None
        ) -> Response:
            with self._lock:
                found = [m for m in self.meetings if room is None or m.room == room]
                if starting_after is not None:
                    ids = [m.id for m in found]
                    found = found[ids.index(starting_after) + 1 :] if starting_after in ids else []
                page = [self._meeting_json(m) for m in found[:limit]]
                total = len(found)
            return JSONResponse({"total_count": total, "data": page})

        return app

    def _meeting_json(self, meeting: _Meeting) -> dict[str, Any]:
        # An ongoing meeting's durations run to the latest moment the test has simulated.
        end = meeting.end_time if meeting.end_time is not None else self._latest
        return {
            "id": meeting.id,
            "room": meeting.room,
            "start_time": meeting.start_time,
            "duration": end - meeting.start_time,
            "ongoing": meeting.end_time is None,
            "max_participants": len(meeting.participants),
            "participants": [
                {
                    "user_id": p.user_id,
                    "user_name": p.user_name,
                    "participant_id": p.session_id,
                    "join_time": p.join_time,
                    "duration": (p.left_time if p.left_time is not None else end) - p.join_time,
                }
                for p in meeting.participants
            ],
        }


@contextmanager
def running_fake_daily(**options: Any) -> Iterator[FakeDaily]:
    fake = FakeDaily(**options).start()
    try:
        yield fake
    finally:
        fake.stop()
