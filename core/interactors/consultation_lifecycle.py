"""The consultation's video room over time: made when the call window opens, announced to both
sides, joined and left, closed when the window is over, with the time both were in it.

The scheduler (bot/periodic.py) runs `OpenDueRooms` and `CloseEndedRooms` every 30 s; the call
page's API runs `JoinConsultation`, `RecordJoin` and `RecordLeave`; the owner's appointment card
asks `GetCallLink`. The call window is `ConsultationWindows.call` (MINIAPP__CALL_*), the same one
the API lets people join in, so the room exists exactly while joining is allowed.

Once-only steps (the room made, the Join messages, the apology, the close and the duration) are
conditional updates in the database (core.ports.consultation_rooms), so an overlapping or
restarted scheduler never repeats them. Messages go out after the commit, at most once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final

from core.clock import Clock
from core.consultation_errors import (
    CallNotOpenError,
    CallRoomNotReadyError,
    ConsultationAccessDeniedError,
    ConsultationNotFoundError,
)
from core.entities import Appointment, ConsultationRoom, User
from core.interactors.consultation_access import (
    AppointmentAccess,
    CallState,
    ConsultationAccessGuard,
    ConsultationRole,
    ConsultationWindows,
)
from core.miniapp_links import MiniAppLinks
from core.ports.consultation_notices import ConsultationNotice, ConsultationNotices, Recipient
from core.ports.consultation_rooms import ConsultationRoomRepository
from core.ports.repositories import (
    AppointmentRepository,
    PetRepository,
    UserRepository,
    VetRepository,
)
from core.ports.uow import UnitOfWork
from core.ports.video import (
    JoinCredentials,
    ParticipantRole,
    Presence,
    RoomSpec,
    VideoRoom,
    VideoRooms,
)

logger = logging.getLogger(__name__)

# Stored errors are for people reading the table, not whole tracebacks.
MAX_ERROR_LENGTH: Final = 500
ROOM_NAME_PREFIX: Final = "telemed-pet-"

Interval = tuple[datetime, datetime]


@dataclass(frozen=True, slots=True)
class RoomRetryPolicy:
    """How soon a room the provider failed to make is tried again: `first` after the first
    failure, twice as long after each further one, never longer than `longest`."""

    first: timedelta = timedelta(seconds=30)
    longest: timedelta = timedelta(minutes=2)

    def delay(self, failures: int) -> timedelta:
        doublings = min(max(failures - 1, 0), 20)  # 2**20 × 30 s is far past any bound
        return min(self.first * (1 << doublings), self.longest)


def room_name(appointment_id: int) -> str:
    """Our stable name of an appointment's room (RoomSpec.name)."""
    return f"{ROOM_NAME_PREFIX}{appointment_id}"


def participant_id(role: ParticipantRole, user_id: int) -> str:
    """`owner-12` / `vet-7`: the role is in the id, so a provider's attendance report (which
    knows only ids) can be read back by role."""
    return f"{role.value}-{user_id}"


def role_of(participant: str) -> ParticipantRole | None:
    prefix, _, _ = participant.partition("-")
    try:
        return ParticipantRole(prefix)
    except ValueError:
        return None


def _merged(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(interval for interval in intervals if interval[0] < interval[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def seconds_together(owner: Iterable[Interval], vet: Iterable[Interval]) -> int:
    """How long both sides were in the room at once: the overlap of the owner's stretches
    (co-owners included) with the vet's, each side's overlapping stretches counted once."""
    first, second = _merged(owner), _merged(vet)
    total = timedelta()
    i = j = 0
    while i < len(first) and j < len(second):
        start = max(first[i][0], second[j][0])
        end = min(first[i][1], second[j][1])
        if start < end:
            total += end - start
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return int(total.total_seconds())


def _clip(start: datetime, left: datetime | None, until: datetime) -> Interval:
    # Someone whose leave was never reported was there until the room ended.
    return (start, min(left, until) if left is not None else until)


def recorded_duration(appointment: Appointment, until: datetime) -> int:
    """From the joins and leaves the call page reported: each side's first join to their
    last leave (a drop and reconnect in between counts as present)."""
    owner: list[Interval] = []
    vet: list[Interval] = []
    if appointment.owner_joined_at is not None:
        owner.append(_clip(appointment.owner_joined_at, appointment.owner_left_at, until))
    if appointment.vet_joined_at is not None:
        vet.append(_clip(appointment.vet_joined_at, appointment.vet_left_at, until))
    return seconds_together(owner, vet)


def reported_duration(presences: Sequence[Presence], until: datetime) -> int:
    """From the provider's own record of who was in the room (ids as `participant_id`)."""
    stretches: dict[ParticipantRole, list[Interval]] = {role: [] for role in ParticipantRole}
    for presence in presences:
        role = role_of(presence.participant_id)
        if role is not None:
            stretches[role].append(_clip(presence.joined_at, presence.left_at, until))
    return seconds_together(stretches[ParticipantRole.OWNER], stretches[ParticipantRole.VET])


def _describe(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}"
    return text[:MAX_ERROR_LENGTH]


def _video_room(room: ConsultationRoom) -> VideoRoom:
    assert room.provider_room_id is not None  # only rooms the provider made get here
    return VideoRoom(
        provider=room.provider,
        room_id=room.provider_room_id,
        expires_at=room.expires_at,
        url=room.provider_url,
    )


def _participant_role(access: AppointmentAccess) -> ParticipantRole:
    return ParticipantRole.VET if access.role is ConsultationRole.VET else ParticipantRole.OWNER


class _Announcer:
    """Who the two sides are, and the messages to them (failures logged, never raised: the
    room is made and recorded whatever happens to a message)."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        vets: VetRepository,
        pets: PetRepository,
        notices: ConsultationNotices,
        links: MiniAppLinks,
    ) -> None:
        self._uow = uow
        self._users = users
        self._vets = vets
        self._pets = pets
        self._notices = notices
        self._links = links

    async def _people(
        self, appointment: Appointment
    ) -> tuple[Recipient | None, Recipient | None, ConsultationNotice] | None:
        owner = await self._users.get(appointment.owner_user_id)
        vet = await self._vets.get(appointment.vet_id)
        vet_user = await self._users.get(vet.user_id) if vet is not None else None
        pet = await self._pets.get(appointment.pet_id)
        # End the reading transaction before talking to Telegram: on SQLite every transaction
        # holds the write lock (db.engine), and the outbound path reads in its own session.
        await self._uow.rollback()
        if owner is None or vet is None:
            return None  # an account deleted meanwhile: nobody to call
        notice = ConsultationNotice(
            appointment_id=appointment.id,
            starts_at=appointment.starts_at,
            ends_at=appointment.ends_at,
            pet_name=pet.name if pet is not None else None,
            vet_name=vet.display_name,
            owner_name=owner.first_name,
            reason=appointment.reason,
            join_url=self._links.call_page(appointment.id),
        )
        return (
            _recipient(owner, owner.time_zone),
            _recipient(vet_user, vet.time_zone) if vet_user is not None else None,
            notice,
        )

    async def call_ready(self, appointment: Appointment) -> None:
        people = await self._people(appointment)
        if people is None:
            return
        owner, vet, notice = people
        if notice.join_url is None:
            logger.warning(
                "no public URL (WEBAPP_URL) for the Join button of appointment %s: the "
                "messages go without it",
                appointment.id,
            )
        if owner is not None:
            await self._safely(self._notices.call_ready_for_owner(owner, notice), appointment)
        if vet is not None:
            await self._safely(self._notices.call_ready_for_vet(vet, notice), appointment)

    async def room_failed(self, appointment: Appointment) -> None:
        people = await self._people(appointment)
        if people is None:
            return
        owner, vet, notice = people
        if vet is not None:
            await self._safely(self._notices.room_failed_for_vet(vet, notice), appointment)
        if owner is not None:
            await self._safely(self._notices.room_failed_for_owner(owner, notice), appointment)

    @staticmethod
    async def _safely(sending: Awaitable[None], appointment: Appointment) -> None:
        try:
            await sending
        except Exception:
            logger.exception("a notice about appointment %s was not delivered", appointment.id)


def _recipient(user: User, time_zone: str) -> Recipient | None:
    if user.blocked_bot_at is not None:
        return None  # they blocked the bot: a message would only bounce (bot.outbound)
    return Recipient(telegram_id=user.telegram_id, language=user.language, time_zone=time_zone)


@dataclass
class RoomsOpened:
    """What one run did, by appointment id (for logs and tests)."""

    opened: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    told_of_failure: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ClosedCall:
    appointment_id: int
    duration_seconds: int | None  # None: the room was never made


class OpenDueRooms:
    """Every confirmed appointment whose call window has opened gets its room, once, and both
    sides their Join message (periodic).

    A room the provider fails to make is tried again on later runs (RoomRetryPolicy). If it
    is still missing at the start time, the vet and the owner are told, once, and it is logged
    once; the tries go on until the window closes, and a room made late is announced as usual.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        rooms: ConsultationRoomRepository,
        users: UserRepository,
        vets: VetRepository,
        pets: PetRepository,
        video: VideoRooms,
        notices: ConsultationNotices,
        links: MiniAppLinks,
        windows: ConsultationWindows,
        retry: RoomRetryPolicy,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._rooms = rooms
        self._video = video
        self._windows = windows
        self._retry = retry
        self._clock = clock
        self._announcer = _Announcer(uow, users, vets, pets, notices, links)

    async def __call__(self) -> RoomsOpened:
        now = self._clock.now()
        report = RoomsOpened()
        due = await self._rooms.list_awaiting_room(
            starts_before=now + self._windows.call_opens_before,
            ends_after=now - self._windows.call_closes_after,
        )
        for appointment in due:
            await self._open(appointment, now, report)
        return report

    async def _open(self, appointment: Appointment, now: datetime, report: RoomsOpened) -> None:
        window = self._windows.call(appointment)
        if not window.contains(now):
            return
        room = await self._rooms.add_if_absent(
            appointment_id=appointment.id,
            provider=self._video.provider,
            expires_at=window.closes_at,
            at=now,
        )
        # The row is the claim: it is there before the provider is asked.
        await self._uow.commit()
        if room.provider_room_id is not None:
            return
        failing = room.failures > 0
        if room.next_attempt_at is None or room.next_attempt_at <= now:
            try:
                made = await self._video.create_room(
                    RoomSpec(
                        name=room_name(appointment.id),
                        appointment_id=appointment.id,
                        expires_at=window.closes_at,
                    )
                )
            except Exception as error:
                failures = await self._rooms.mark_failed(
                    room.id,
                    error=_describe(error),
                    next_attempt_at=now + self._retry.delay(room.failures + 1),
                )
                await self._uow.commit()
                report.failed.append(appointment.id)
                failing = True
                # Each try is not worth an alarm; the first one and the one at the start are.
                if failures == 1:
                    logger.warning(
                        "the video room of appointment %s could not be made (%s); retrying",
                        appointment.id,
                        _describe(error),
                    )
            else:
                await self._rooms.mark_opened(
                    room.id, provider_room_id=made.room_id, provider_url=made.url, at=now
                )
                announce = await self._rooms.claim_join_notice(room.id, at=now)
                await self._uow.commit()
                report.opened.append(appointment.id)
                if announce:
                    await self._announcer.call_ready(appointment)
                return
        if failing and now >= appointment.starts_at and room.failure_told_at is None:
            tell = await self._rooms.claim_failure_notice(room.id, at=now)
            await self._uow.commit()
            if tell:
                stored = await self._rooms.get(appointment.id)
                logger.error(
                    "the video room of appointment %s is still missing at its start after %s "
                    "tries (last: %s); the owner and the vet are told",
                    appointment.id,
                    stored.failures if stored is not None else room.failures,
                    stored.last_error if stored is not None else room.last_error,
                )
                report.told_of_failure.append(appointment.id)
                await self._announcer.room_failed(appointment)


class CloseEndedRooms:
    """Rooms whose call window is over (or whose appointment was cancelled) are closed, once,
    and the appointment gets `call_ended_at` and the time both sides were in the call
    (periodic). A provider that fails to close is asked again on the next run."""

    def __init__(
        self,
        uow: UnitOfWork,
        rooms: ConsultationRoomRepository,
        appointments: AppointmentRepository,
        video: VideoRooms,
        windows: ConsultationWindows,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._rooms = rooms
        self._appointments = appointments
        self._video = video
        self._windows = windows
        self._clock = clock

    async def __call__(self) -> list[ClosedCall]:
        now = self._clock.now()
        closed: list[ClosedCall] = []
        rooms = await self._rooms.list_to_close(ended_before=now - self._windows.call_closes_after)
        # No transaction stays open across the provider's calls (a hosted provider is a network
        # round trip; on SQLite an open transaction holds the write lock).
        await self._uow.rollback()
        for room in rooms:
            call = await self._close(room, now)
            if call is not None:
                closed.append(call)
        return closed

    async def _close(self, room: ConsultationRoom, now: datetime) -> ClosedCall | None:
        presences: Sequence[Presence] | None = None
        if room.provider_room_id is not None:
            video_room = _video_room(room)
            try:
                await self._video.close_room(video_room)
            except Exception as error:
                await self._rooms.mark_failed(room.id, error=_describe(error), next_attempt_at=now)
                await self._uow.commit()
                logger.warning("the video room of appointment %s did not close", room.id)
                return None
            try:
                presences = await self._video.attendance(video_room)
            except Exception:
                # The duration then comes from what the call page reported.
                logger.warning(
                    "no attendance from the provider for appointment %s",
                    room.appointment_id,
                    exc_info=True,
                )
        if not await self._rooms.mark_closed(room.id, at=now):
            await self._uow.rollback()
            return None
        duration: int | None = None
        appointment = await self._appointments.get(room.appointment_id)
        if room.provider_room_id is not None and appointment is not None:
            # Nobody was in a room after it expired, however late the scheduler runs.
            until = min(now, room.expires_at)
            duration = (
                reported_duration(presences, until)
                if presences is not None
                else recorded_duration(appointment, until)
            )
            await self._rooms.finish_call(appointment.id, ended_at=now, duration_seconds=duration)
        await self._uow.commit()
        return ClosedCall(room.appointment_id, duration)


# --- the call page -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CallTicket:
    """What the call page needs to enter the room."""

    access: AppointmentAccess
    role: ParticipantRole
    credentials: JoinCredentials


async def _joinable(
    guard: ConsultationAccessGuard,
    rooms: ConsultationRoomRepository,
    telegram_id: int,
    appointment_id: int,
) -> tuple[AppointmentAccess, ConsultationRoom]:
    access = await guard.appointment(telegram_id, appointment_id)
    if access.call is CallState.NOT_A_PARTICIPANT:
        raise ConsultationAccessDeniedError(f"appointment {appointment_id}", "join the call of")
    if not access.may_join_call:
        raise CallNotOpenError(appointment_id, access.call.value, access.call_window.opens_at)
    room = await rooms.get(appointment_id)
    if room is None or not room.is_open:
        raise CallRoomNotReadyError(appointment_id)
    return access, room


class JoinConsultation:
    """Join credentials for the caller, issued per session: the owner (or a co-owner) or the
    booked vet, while the call window is open and the room exists. `CallNotOpenError` says
    when the window opens; `CallRoomNotReadyError` asks the page to try again shortly."""

    def __init__(
        self,
        guard: ConsultationAccessGuard,
        rooms: ConsultationRoomRepository,
        vets: VetRepository,
        video: VideoRooms,
        clock: Clock,
    ) -> None:
        self._guard = guard
        self._rooms = rooms
        self._vets = vets
        self._video = video
        self._clock = clock

    async def __call__(self, telegram_id: int, appointment_id: int) -> CallTicket:
        access, room = await _joinable(self._guard, self._rooms, telegram_id, appointment_id)
        role = _participant_role(access)
        name = access.caller.first_name
        if role is ParticipantRole.VET:
            vet = await self._vets.get(access.appointment.vet_id)
            name = vet.display_name if vet is not None else name
        credentials = await self._video.issue_credentials(
            _video_room(room),
            participant_id=participant_id(role, access.caller.id),
            role=role,
            display_name=name,
            now=self._clock.now(),
        )
        return CallTicket(access=access, role=role, credentials=credentials)


class RecordJoin:
    """The caller is in the call now (the call page reports it when media flows). The first
    join of each side is kept: `vet_joined_at` is what spares the vet the no-show refund."""

    def __init__(
        self,
        uow: UnitOfWork,
        guard: ConsultationAccessGuard,
        rooms: ConsultationRoomRepository,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._guard = guard
        self._rooms = rooms
        self._clock = clock

    async def __call__(self, appointment_id: int, telegram_id: int) -> ParticipantRole:
        access, _ = await _joinable(self._guard, self._rooms, telegram_id, appointment_id)
        role = _participant_role(access)
        await self._rooms.record_join(appointment_id, role=role, at=self._clock.now())
        await self._uow.commit()
        return role


class RecordLeave:
    """The caller left the call (hung up, or the page lost the connection). Allowed after
    the window closed too: a leave reported late still ends their stretch."""

    def __init__(
        self,
        uow: UnitOfWork,
        guard: ConsultationAccessGuard,
        rooms: ConsultationRoomRepository,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._guard = guard
        self._rooms = rooms
        self._clock = clock

    async def __call__(self, appointment_id: int, telegram_id: int) -> ParticipantRole:
        access = await self._guard.appointment(telegram_id, appointment_id)
        if access.call is CallState.NOT_A_PARTICIPANT:
            raise ConsultationAccessDeniedError(f"appointment {appointment_id}", "leave")
        role = _participant_role(access)
        await self._rooms.record_leave(appointment_id, role=role, at=self._clock.now())
        await self._uow.commit()
        return role


class GetCallLink:
    """The call page's address for the caller's appointment card, while they may join and the
    room is open; None otherwise (the card then shows no Join button)."""

    def __init__(
        self,
        guard: ConsultationAccessGuard,
        rooms: ConsultationRoomRepository,
        links: MiniAppLinks,
    ) -> None:
        self._guard = guard
        self._rooms = rooms
        self._links = links

    async def __call__(self, telegram_id: int, appointment_id: int) -> str | None:
        try:
            await _joinable(self._guard, self._rooms, telegram_id, appointment_id)
        except (
            ConsultationAccessDeniedError,
            ConsultationNotFoundError,
            CallNotOpenError,
            CallRoomNotReadyError,
        ):
            return None
        return self._links.call_page(appointment_id)
