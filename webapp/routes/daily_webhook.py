"""`POST /webhooks/daily`: Daily.co's events about our rooms (VIDEO__PROVIDER=daily).

Authenticity: Daily signs each delivery with the webhook's `hmac` secret (DAILY__WEBHOOK_SECRET,
base64 as Daily gives it): `X-Webhook-Signature` is the base64 HMAC-SHA256, keyed with the
decoded secret, of `<X-Webhook-Timestamp>.<raw body>`. A bad or missing signature, or a
timestamp further than DAILY__WEBHOOK_TOLERANCE_S from our clock (a replay), is answered 401.
https://docs.daily.co/reference/rest-api/webhooks

What is recorded, keeping one source of truth per fact:
- The call's duration has one source, Daily's own record of the meeting sessions
  (`GET /meetings`), read when `CloseEndedRooms` closes the room
  (`DailyVideoRooms.attendance`). Nothing here computes a duration: a second figure could only
  disagree with the first.
- The joins and leaves on the appointment (`owner_joined_at`, `vet_left_at`...) are the same
  columns, written by the same repository calls, as the call page's `RecordJoin` /
  `RecordLeave`; Daily's events are a second witness of the same facts, and the columns merge
  them (the first join is kept). `participant.joined` → that side's join, `participant.left`
  → their leave, `meeting.ended` → a leave for a side still marked present (the room is empty
  at `end_ts`). They matter before and beside the close: `vet_joined_at` spares the vet the
  no-show refund (`HandleVetNoShow`) even when their page could not report the join, and if
  the meetings API fails at the close, `CloseEndedRooms` falls back to these columns, so the
  duration is still known.
- Marking the room for an early close on `meeting.ended` was not chosen: a meeting ends
  whenever both drop at once, and the window lets them come back.

Redelivery (Daily retries; order is not guaranteed) changes nothing twice: a join keeps the
first one, a join older than that side's recorded leave is stale and skipped, and a leave never
moves a recorded leave earlier. Events for rooms that are not ours (another deployment on the
same Daily domain) are acknowledged and ignored, or Daily would keep retrying them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Annotated, Any, Final

from dishka import AsyncContainer
from fastapi import APIRouter, Header, HTTPException, Request, status

from core.config import Settings
from core.entities import Appointment
from core.interactors.consultation_lifecycle import ROOM_NAME_PREFIX, role_of
from core.ports.consultation_rooms import ConsultationRoomRepository
from core.ports.repositories import AppointmentRepository
from core.ports.uow import UnitOfWork
from core.ports.video import ParticipantRole

logger = logging.getLogger(__name__)

DAILY_WEBHOOK_PATH: Final = "/webhooks/daily"
PROVIDER: Final = "daily"
# Daily checks a new webhook's endpoint with this unsigned body before it starts sending.
_VERIFICATION_PING: Final = {"test": "test"}
# Seconds since the epoch are ten digits until 2286; a longer stamp is in milliseconds.
_MILLISECONDS_FROM: Final = 10**11


def webhook_signature(body: bytes, timestamp: str, secret: str) -> str:
    """Daily's signature of `body` sent at `timestamp`, with the base64 webhook `secret`."""
    key = base64.b64decode(secret, validate=True)
    digest = hmac.new(key, timestamp.encode() + b"." + body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def is_authentic(
    body: bytes,
    *,
    timestamp: str | None,
    signature: str | None,
    secret: str,
    now: float,
    tolerance_s: float,
) -> bool:
    if not timestamp or not signature:
        return False
    try:
        sent = float(timestamp)
        expected = webhook_signature(body, timestamp, secret)
    except (ValueError, binascii.Error):
        return False
    if sent >= _MILLISECONDS_FROM:
        sent /= 1000
    if abs(now - sent) > tolerance_s:
        return False
    return hmac.compare_digest(expected, signature.strip())


def _at(seconds: object) -> datetime | None:
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        return None
    return datetime.fromtimestamp(seconds, tz=UTC)


def _appointment_id(room: object) -> int | None:
    if not isinstance(room, str) or not room.startswith(ROOM_NAME_PREFIX):
        return None
    digits = room.removeprefix(ROOM_NAME_PREFIX)
    return int(digits) if digits.isdigit() else None


class DailyEventRecorder:
    """Daily's participant and meeting events as joins and leaves of the appointment's sides
    (see the module's docstring for why these and only these)."""

    def __init__(
        self,
        uow: UnitOfWork,
        rooms: ConsultationRoomRepository,
        appointments: AppointmentRepository,
    ) -> None:
        self._uow = uow
        self._rooms = rooms
        self._appointments = appointments

    async def __call__(self, kind: str, payload: Mapping[str, Any]) -> bool:
        """True if the event was about one of our rooms and was applied (or was stale)."""
        appointment = await self._our_appointment(payload.get("room"))
        if appointment is None:
            return False
        if kind == "participant.joined":
            await self._joined(appointment, payload)
        elif kind == "participant.left":
            await self._left(appointment, payload)
        elif kind == "meeting.ended":
            await self._ended(appointment, payload)
        else:
            return False
        await self._uow.commit()
        return True

    async def _our_appointment(self, room: object) -> Appointment | None:
        appointment_id = _appointment_id(room)
        if appointment_id is None:
            return None
        stored = await self._rooms.get(appointment_id)
        if stored is None or stored.provider != PROVIDER or stored.provider_room_id != room:
            return None
        return await self._appointments.get(appointment_id)

    async def _joined(self, appointment: Appointment, payload: Mapping[str, Any]) -> None:
        role, at = _side(payload), _at(payload.get("joined_at"))
        if role is None or at is None:
            return
        left = _left_at(appointment, role)
        if left is not None and at < left:
            return  # a redelivered join from before the leave already recorded
        await self._rooms.record_join(appointment.id, role=role, at=at)

    async def _left(self, appointment: Appointment, payload: Mapping[str, Any]) -> None:
        role, joined = _side(payload), _at(payload.get("joined_at"))
        duration = payload.get("duration")
        if role is None or joined is None or not isinstance(duration, int | float):
            return
        await self._leave(appointment, role, _at(joined.timestamp() + duration))

    async def _ended(self, appointment: Appointment, payload: Mapping[str, Any]) -> None:
        ended = _at(payload.get("end_ts"))
        for role in ParticipantRole:
            if _joined_at(appointment, role) is not None and _left_at(appointment, role) is None:
                await self._leave(appointment, role, ended)

    async def _leave(
        self, appointment: Appointment, role: ParticipantRole, at: datetime | None
    ) -> None:
        left = _left_at(appointment, role)
        if at is None or (left is not None and left >= at):
            return
        await self._rooms.record_leave(appointment.id, role=role, at=at)


def _side(payload: Mapping[str, Any]) -> ParticipantRole | None:
    user_id = payload.get("user_id")
    return role_of(user_id) if isinstance(user_id, str) else None


def _joined_at(appointment: Appointment, role: ParticipantRole) -> datetime | None:
    if role is ParticipantRole.VET:
        return appointment.vet_joined_at
    return appointment.owner_joined_at


def _left_at(appointment: Appointment, role: ParticipantRole) -> datetime | None:
    if role is ParticipantRole.VET:
        return appointment.vet_left_at
    return appointment.owner_left_at


def build_daily_webhook_router(
    container: AsyncContainer, settings: Settings, *, clock: Callable[[], float] = time.time
) -> APIRouter | None:
    """The route, when VIDEO__PROVIDER=daily and DAILY__WEBHOOK_SECRET is set; else None.
    `clock` (seconds since the epoch) judges the timestamps' freshness."""
    if settings.video.provider != PROVIDER:
        return None
    if settings.daily.webhook_secret is None:
        logger.warning(
            "DAILY__WEBHOOK_SECRET is not set: %s is not served; call durations come from "
            "Daily's meetings API when rooms close",
            DAILY_WEBHOOK_PATH,
        )
        return None
    secret = settings.daily.webhook_secret.get_secret_value()
    tolerance = settings.daily.webhook_tolerance_s
    router = APIRouter(tags=["daily"])

    @router.post(DAILY_WEBHOOK_PATH, include_in_schema=False)
    async def daily_webhook(
        request: Request,
        signature: Annotated[str | None, Header(alias="X-Webhook-Signature")] = None,
        timestamp: Annotated[str | None, Header(alias="X-Webhook-Timestamp")] = None,
    ) -> dict[str, bool]:
        """Daily's webhook delivery: signed events about rooms, recorded once (401 when the
        signature or its timestamp does not hold)."""
        body = await request.body()
        try:
            event = json.loads(body)
        except ValueError:
            event = None
        if signature is None and timestamp is None and event == _VERIFICATION_PING:
            return {"ok": True}  # Daily checking the endpoint exists; it carries nothing
        if not is_authentic(
            body,
            timestamp=timestamp,
            signature=signature,
            secret=secret,
            now=clock(),
            tolerance_s=tolerance,
        ):
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "bad or stale webhook signature")
        if not isinstance(event, dict) or not isinstance(event.get("payload"), dict):
            raise HTTPException(status.HTTP_400_BAD_REQUEST, "not a Daily webhook event")
        kind = event.get("type")
        async with container() as scope:
            recorder = DailyEventRecorder(
                await scope.get(UnitOfWork),
                await scope.get(ConsultationRoomRepository),
                await scope.get(AppointmentRepository),
            )
            applied = await recorder(str(kind), event["payload"])
        if not applied:
            logger.debug("Daily event %s (%s) is not for a room of ours", event.get("id"), kind)
        return {"ok": True}

    return router
