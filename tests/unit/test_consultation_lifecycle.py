"""The video room's lifecycle rules on in-memory repositories and a movable clock (no I/O):
when a room is made, how failures are retried and told, how long a call lasted."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest

from core.entities import Appointment, ConsultationRoom, User, Vet
from core.enums import AppointmentStatus, Species
from core.interactors.consultation_access import ConsultationWindows
from core.interactors.consultation_lifecycle import (
    CloseEndedRooms,
    OpenDueRooms,
    RoomRetryPolicy,
    participant_id,
    recorded_duration,
    reported_duration,
    role_of,
    seconds_together,
)
from core.miniapp_links import MiniAppLinks
from core.ports.consultation_notices import ConsultationNotice, Recipient
from core.ports.video import (
    JoinCredentials,
    ParticipantRole,
    Presence,
    RoomSpec,
    VideoProviderError,
    VideoRoom,
)
from tests.support.booking import MutableClock

START = datetime(2025, 6, 2, 7, 0, tzinfo=UTC)
END = START + timedelta(minutes=30)
MIN = timedelta(minutes=1)
WINDOWS = ConsultationWindows()  # the call window: 10 min before the start to 15 after the end
OWNER_TG, VET_TG = 101, 202


def at(minutes: float) -> datetime:
    """Minutes from the start (negative: before it)."""
    return START + timedelta(minutes=minutes)


# --- pure rules --------------------------------------------------------------------------------


def test_retries_wait_twice_as_long_each_time_up_to_the_bound() -> None:
    policy = RoomRetryPolicy(first=timedelta(seconds=30), longest=timedelta(minutes=2))
    delays = [policy.delay(failures).total_seconds() for failures in range(1, 7)]
    assert delays == [30, 60, 120, 120, 120, 120]
    assert policy.delay(10_000) == timedelta(minutes=2)


@pytest.mark.parametrize(
    ("owner", "vet", "seconds"),
    [
        ([(0, 30)], [(5, 25)], 20 * 60),  # the vet came late and left early
        ([(0, 10)], [(10, 20)], 0),  # one after the other: never together
        ([(0, 10), (12, 30)], [(0, 30)], 28 * 60),  # the owner dropped for 2 minutes
        ([(0, 20), (5, 25)], [(0, 30)], 25 * 60),  # two owner pages at once count once
        ([], [(0, 30)], 0),  # the owner never came
    ],
)
def test_duration_is_the_time_both_were_in_the_call(
    owner: list[tuple[int, int]], vet: list[tuple[int, int]], seconds: int
) -> None:
    def stretches(pairs: list[tuple[int, int]]) -> list[tuple[datetime, datetime]]:
        return [(at(start), at(end)) for start, end in pairs]

    assert seconds_together(stretches(owner), stretches(vet)) == seconds


def test_recorded_duration_runs_to_the_room_end_for_someone_still_in_it() -> None:
    appointment = dataclasses.replace(
        _appointment(),
        owner_joined_at=at(-2),
        vet_joined_at=at(1),
        vet_left_at=at(26),
    )
    assert recorded_duration(appointment, until=at(45)) == 25 * 60
    still_there = dataclasses.replace(appointment, vet_left_at=None)
    assert recorded_duration(still_there, until=at(45)) == 44 * 60


def test_reported_duration_reads_roles_from_participant_ids() -> None:
    assert participant_id(ParticipantRole.VET, 7) == "vet-7"
    assert role_of("owner-12") is ParticipantRole.OWNER
    assert role_of("guest-1") is None
    presences = [
        Presence("owner-12", at(0), at(10)),
        Presence("owner-12", at(11), None),  # back after a drop, there till the end
        Presence("vet-7", at(2), at(30)),
        Presence("guest-1", at(0), at(30)),  # not ours: ignored
    ]
    assert reported_duration(presences, until=at(40)) == 27 * 60


def test_the_call_page_link_carries_the_appointment_id() -> None:
    assert MiniAppLinks("https://pet.example.org/").call_page(42) == (
        "https://pet.example.org/miniapp/?appointment=42"
    )
    assert MiniAppLinks(None).call_page(42) is None


# --- the scheduler's rules, in memory --------------------------------------------------------


def _appointment(**changes: Any) -> Appointment:
    base = Appointment(
        id=1,
        slot_id=1,
        vet_id=7,
        owner_user_id=10,
        pet_id=3,
        status=AppointmentStatus.CONFIRMED,
        reason="coughing",
        check_id=None,
        price_amount=100,
        currency="XTR",
        starts_at=START,
        ends_at=END,
        hold_expires_at=None,
        confirmed_at=START - timedelta(days=1),
        cancelled_at=None,
        completed_at=None,
        vet_joined_at=None,
        created_at=START - timedelta(days=1),
    )
    return dataclasses.replace(base, **changes)


class Uow:
    async def commit(self) -> None:
        return None

    async def rollback(self) -> None:
        return None


class Rooms:
    """ConsultationRoomRepository over dicts, with the same once-only semantics."""

    def __init__(self, *appointments: Appointment) -> None:
        self.appointments = {a.id: a for a in appointments}
        self.rooms: dict[int, ConsultationRoom] = {}

    async def list_awaiting_room(
        self, *, starts_before: datetime, ends_after: datetime
    ) -> list[Appointment]:
        def waiting(a: Appointment) -> bool:
            room = self.rooms.get(a.id)
            return room is None or (room.provider_room_id is None and room.closed_at is None)

        return [
            a
            for a in self.appointments.values()
            if a.status is AppointmentStatus.CONFIRMED
            and a.starts_at <= starts_before
            and a.ends_at > ends_after
            and waiting(a)
        ]

    async def get(self, appointment_id: int) -> ConsultationRoom | None:
        return self.rooms.get(appointment_id)

    async def add_if_absent(
        self, *, appointment_id: int, provider: str, expires_at: datetime, at: datetime
    ) -> ConsultationRoom:
        if appointment_id not in self.rooms:
            self.rooms[appointment_id] = ConsultationRoom(
                id=appointment_id,
                appointment_id=appointment_id,
                provider=provider,
                provider_room_id=None,
                provider_url=None,
                created_at=at,
                opened_at=None,
                expires_at=expires_at,
                closed_at=None,
                failures=0,
                last_error=None,
                next_attempt_at=None,
                join_sent_at=None,
                failure_told_at=None,
            )
        return self.rooms[appointment_id]

    def _set_once(self, room_id: int, stamp: str, **values: Any) -> bool:
        if getattr(self.rooms[room_id], stamp) is not None:
            return False
        self.rooms[room_id] = dataclasses.replace(self.rooms[room_id], **values)
        return True

    async def mark_opened(
        self, room_id: int, *, provider_room_id: str, provider_url: str | None, at: datetime
    ) -> bool:
        return self._set_once(
            room_id,
            "provider_room_id",
            provider_room_id=provider_room_id,
            provider_url=provider_url,
            opened_at=at,
        )

    async def mark_failed(self, room_id: int, *, error: str, next_attempt_at: datetime) -> int:
        room = self.rooms[room_id]
        self.rooms[room_id] = dataclasses.replace(
            room, failures=room.failures + 1, last_error=error, next_attempt_at=next_attempt_at
        )
        return room.failures + 1

    async def claim_join_notice(self, room_id: int, *, at: datetime) -> bool:
        return self._set_once(room_id, "join_sent_at", join_sent_at=at)

    async def claim_failure_notice(self, room_id: int, *, at: datetime) -> bool:
        return self._set_once(room_id, "failure_told_at", failure_told_at=at)

    async def list_to_close(self, *, ended_before: datetime) -> list[ConsultationRoom]:
        keeping = {AppointmentStatus.CONFIRMED, AppointmentStatus.COMPLETED}
        return [
            room
            for room in self.rooms.values()
            if room.closed_at is None
            and (
                self.appointments[room.appointment_id].ends_at <= ended_before
                or self.appointments[room.appointment_id].status not in keeping
            )
        ]

    async def mark_closed(self, room_id: int, *, at: datetime) -> bool:
        return self._set_once(room_id, "closed_at", closed_at=at)

    async def record_join(
        self, appointment_id: int, *, role: ParticipantRole, at: datetime
    ) -> bool:
        raise NotImplementedError  # the page's side: tests/integration

    async def record_leave(
        self, appointment_id: int, *, role: ParticipantRole, at: datetime
    ) -> None:
        raise NotImplementedError

    async def finish_call(
        self, appointment_id: int, *, ended_at: datetime, duration_seconds: int | None
    ) -> bool:
        appointment = self.appointments[appointment_id]
        if appointment.call_ended_at is not None:
            return False
        self.appointments[appointment_id] = dataclasses.replace(
            appointment, call_ended_at=ended_at, duration_seconds=duration_seconds
        )
        return True

    async def get_appointment(self, appointment_id: int) -> Appointment | None:
        return self.appointments.get(appointment_id)


class Appointments:
    def __init__(self, rooms: Rooms) -> None:
        self._rooms = rooms

    async def get(self, appointment_id: int) -> Appointment | None:
        return await self._rooms.get_appointment(appointment_id)


class People:
    """UserRepository, VetRepository and PetRepository: the `get` each of them needs."""

    def __init__(self, items: dict[int, Any]) -> None:
        self._items = items

    async def get(self, item_id: int) -> Any:
        return self._items.get(item_id)


def _user(user_id: int, telegram_id: int, name: str) -> User:
    return User(
        id=user_id,
        telegram_id=telegram_id,
        first_name=name,
        username=None,
        language="en",
        time_zone="Europe/Moscow",
        roles=frozenset(),
        consented_at=None,
        created_at=START,
    )


VET = Vet(
    id=7,
    user_id=20,
    display_name="Dr. Paws",
    bio=None,
    species=frozenset({Species.CAT}),
    languages=frozenset({"en"}),
    price_amount=100,
    currency="XTR",
    consultation_minutes=30,
    time_zone="Asia/Yekaterinburg",
    photo_key=None,
    is_active=True,
    created_at=START,
)


class Video:
    """A provider that fails the first `failures` creates."""

    def __init__(self, failures: int = 0) -> None:
        self.failures_left = failures
        self.created: list[RoomSpec] = []
        self.closed: list[str] = []
        self.presences: Sequence[Presence] | None = None

    @property
    def provider(self) -> str:
        return "fake"

    async def create_room(self, spec: RoomSpec) -> VideoRoom:
        if self.failures_left > 0:
            self.failures_left -= 1
            raise VideoProviderError("503 from the provider")
        self.created.append(spec)
        return VideoRoom("fake", f"room-{spec.appointment_id}", spec.expires_at)

    async def issue_credentials(self, room: VideoRoom, **_: Any) -> JoinCredentials:
        raise NotImplementedError

    async def close_room(self, room: VideoRoom) -> None:
        self.closed.append(room.room_id)

    async def attendance(self, room: VideoRoom) -> Sequence[Presence] | None:
        return self.presences


class Notices:
    def __init__(self) -> None:
        self.sent: list[tuple[str, int, ConsultationNotice]] = []

    async def call_ready_for_owner(self, owner: Recipient, notice: ConsultationNotice) -> None:
        self.sent.append(("join", owner.telegram_id, notice))

    async def call_ready_for_vet(self, vet: Recipient, notice: ConsultationNotice) -> None:
        self.sent.append(("join", vet.telegram_id, notice))

    async def room_failed_for_owner(self, owner: Recipient, notice: ConsultationNotice) -> None:
        self.sent.append(("failed", owner.telegram_id, notice))

    async def room_failed_for_vet(self, vet: Recipient, notice: ConsultationNotice) -> None:
        self.sent.append(("failed", vet.telegram_id, notice))


class World:
    def __init__(self, appointment: Appointment, *, failures: int = 0) -> None:
        self.clock = MutableClock(at(-30))
        self.rooms = Rooms(appointment)
        self.video = Video(failures)
        self.notices = Notices()
        users = People({10: _user(10, OWNER_TG, "Anna"), 20: _user(20, VET_TG, "Vet")})
        self.open = OpenDueRooms(
            cast(Any, Uow()),
            cast(Any, self.rooms),
            cast(Any, users),
            cast(Any, People({7: VET})),
            cast(Any, People({})),  # the pet was deleted: its name shows as missing
            cast(Any, self.video),
            cast(Any, self.notices),
            MiniAppLinks("https://pet.example.org"),
            WINDOWS,
            RoomRetryPolicy(),
            self.clock,
        )
        self.close = CloseEndedRooms(
            cast(Any, Uow()),
            cast(Any, self.rooms),
            cast(Any, Appointments(self.rooms)),
            cast(Any, self.video),
            WINDOWS,
            self.clock,
        )

    def kinds(self) -> list[tuple[str, int]]:
        return [(kind, chat) for kind, chat, _ in self.notices.sent]


async def test_no_room_before_the_window_then_exactly_one_with_join_for_both() -> None:
    world = World(_appointment())
    world.clock.current = at(-10) - timedelta(seconds=1)
    assert (await world.open()).opened == []
    assert world.rooms.rooms == {}

    world.clock.current = at(-10)
    assert (await world.open()).opened == [1]
    world.clock.advance(seconds=30)
    assert (await world.open()).opened == []
    assert [spec.name for spec in world.video.created] == ["telemed-pet-1"]
    assert world.video.created[0].expires_at == END + timedelta(minutes=15)
    assert world.kinds() == [("join", OWNER_TG), ("join", VET_TG)]
    notice = world.notices.sent[0][2]
    assert notice.join_url == "https://pet.example.org/miniapp/?appointment=1"
    assert (notice.pet_name, notice.vet_name, notice.owner_name) == (None, "Dr. Paws", "Anna")


async def test_a_failing_provider_is_retried_with_backoff_then_both_are_told_once() -> None:
    world = World(_appointment(), failures=100)
    tries: list[float] = []
    world.clock.current = at(-10)
    while world.clock.current < at(3):
        report = await world.open()
        if report.failed:
            tries.append((world.clock.current - at(-10)).total_seconds())
        world.clock.advance(seconds=30)
    # 30 s, 60 s, then every 2 min (the bound), on a 30-second beat.
    assert tries[:5] == [0, 30, 90, 210, 330]
    assert all(b - a <= 120 for a, b in itertools.pairwise(tries))
    assert world.kinds() == [("failed", VET_TG), ("failed", OWNER_TG)]
    told_at = world.rooms.rooms[1].failure_told_at
    assert told_at is not None and at(0) <= told_at < at(0.5)
    assert world.rooms.rooms[1].last_error == "VideoProviderError: 503 from the provider"

    # The provider recovers: the room is made late and announced as usual, the apology is not
    # repeated.
    world.video.failures_left = 0
    world.clock.current = at(5)
    await world.open()
    world.clock.advance(minutes=2)
    await world.open()
    assert world.kinds()[2:] == [("join", OWNER_TG), ("join", VET_TG)]
    assert len(world.video.created) == 1


async def test_a_room_made_before_the_start_tells_nobody_of_failures() -> None:
    world = World(_appointment(), failures=1)
    world.clock.current = at(-10)
    assert (await world.open()).failed == [1]
    world.clock.advance(seconds=30)
    assert (await world.open()).opened == [1]
    assert world.kinds() == [("join", OWNER_TG), ("join", VET_TG)]


async def test_the_room_closes_after_the_window_once_with_the_duration() -> None:
    world = World(_appointment())
    world.clock.current = at(-9)
    await world.open()
    world.rooms.appointments[1] = dataclasses.replace(
        world.rooms.appointments[1],
        owner_joined_at=at(-1),
        vet_joined_at=at(2),
        vet_left_at=at(31),
        owner_left_at=at(32),
    )
    world.clock.current = at(44)  # the window closes 15 min after the end (at 45)
    assert await world.close() == []
    world.clock.current = at(45)
    [closed] = await world.close()
    assert closed.duration_seconds == 29 * 60
    assert world.video.closed == ["room-1"]
    world.clock.advance(minutes=1)
    assert await world.close() == []
    appointment = world.rooms.appointments[1]
    assert appointment.call_ended_at == at(45)
    assert appointment.duration_seconds == 29 * 60


async def test_the_providers_attendance_wins_over_the_reported_joins() -> None:
    world = World(_appointment())
    world.clock.current = at(-9)
    await world.open()
    world.video.presences = [Presence("owner-10", at(0), at(12)), Presence("vet-20", at(1), None)]
    world.clock.current = at(50)
    [closed] = await world.close()
    # The vet never left: counted until the room expired (45), not the late close (50).
    assert closed.duration_seconds == 11 * 60


async def test_a_cancelled_appointment_closes_its_room_at_once() -> None:
    world = World(_appointment())
    world.clock.current = at(-9)
    await world.open()
    world.rooms.appointments[1] = dataclasses.replace(
        world.rooms.appointments[1], status=AppointmentStatus.CANCELLED_BY_VET
    )
    world.clock.current = at(-8)
    [closed] = await world.close()
    assert closed.duration_seconds == 0
    assert world.video.closed == ["room-1"]


async def test_a_room_never_made_is_closed_without_asking_the_provider() -> None:
    world = World(_appointment(), failures=1000)
    world.clock.current = at(-10)
    while world.clock.current < at(46):
        await world.open()
        await world.close()
        world.clock.advance(seconds=30)
    room = world.rooms.rooms[1]
    assert room.closed_at is not None and room.provider_room_id is None
    assert world.video.closed == []
    assert world.rooms.appointments[1].call_ended_at is None
    assert [kind for kind, _ in world.kinds()] == ["failed", "failed"]
