"""Who may see what of a consultation: the one place every Mini App route asks.

The caller is a Telegram id (from the Mini App's session token); what they may do follows from
who they are to the appointment or the pet:

- **owner, co-owner, viewer** of the pet (`core.enums.AccessLevel`, as in chat): read the
  appointment and the pet's card at any time; owners and co-owners join the call while it is
  open, viewers never (read-only).
- **the booked vet**: the appointment at any time (it is on their agenda anyway); the brief
  and the pet's card only inside the brief window around a confirmed (or completed)
  appointment: from `brief_opens_before` the start until `brief_closes_after` the end. The
  pet's card is theirs to read while any such window of theirs with that pet is open. They
  join the call while it is open. After the window they may only write the report.
- **an admin** (`Role.ADMIN`): reads everything, at any time; joins no call.
- **anyone else**: `ConsultationAccessDeniedError` (403).

Unknown ids: `ConsultationNotFoundError` (404) only for an admin, the one caller who could have
seen any id; everyone else gets 403 for an id they may not see whether it exists or not, so ids
cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from core.clock import Clock
from core.consultation_errors import ConsultationAccessDeniedError, ConsultationNotFoundError
from core.entities import Appointment, Pet, User
from core.enums import AccessLevel, AppointmentStatus, Role
from core.ports.consultations import ConsultationRepository
from core.ports.repositories import (
    AppointmentRepository,
    PetAccessRepository,
    PetRepository,
    UserRepository,
    VetRepository,
)

# Appointments that give their vet a brief window: paid for, and not cancelled or missed.
VET_READABLE_STATUSES: Final = frozenset(
    {AppointmentStatus.CONFIRMED, AppointmentStatus.COMPLETED}
)
CALLERS: Final = frozenset({AccessLevel.OWNER, AccessLevel.CO_OWNER})


class ConsultationRole(StrEnum):
    """The caller's part in an appointment (or towards a pet), strongest first: the booked vet,
    then the caller's access level to the pet, then admin."""

    OWNER = "owner"
    CO_OWNER = "co_owner"
    VIEWER = "viewer"
    VET = "vet"
    ADMIN = "admin"


class CallState(StrEnum):
    """Whether the caller may join the call now, and if not, why."""

    OPEN = "open"
    NOT_OPEN_YET = "not_open_yet"  # the front end says when: `call_window.opens_at`
    CLOSED = "closed"  # past the window, or the consultation is completed
    NOT_ACTIVE = "not_active"  # held (unpaid), cancelled, expired or missed by the vet
    NOT_A_PARTICIPANT = "not_a_participant"  # viewers and admins watch no call


@dataclass(frozen=True, slots=True)
class TimeWindow:
    opens_at: datetime
    closes_at: datetime

    def contains(self, moment: datetime) -> bool:
        return self.opens_at <= moment < self.closes_at


@dataclass(frozen=True, slots=True)
class ConsultationWindows:
    """When the brief may be read and the call joined, relative to the slot (MINIAPP__*).

    The scheduler's room lifecycle should read the call window from here too, so that the
    room exists exactly while the API lets people join it.
    """

    brief_opens_before: timedelta = timedelta(minutes=30)
    brief_closes_after: timedelta = timedelta(hours=24)
    call_opens_before: timedelta = timedelta(minutes=10)
    call_closes_after: timedelta = timedelta(minutes=15)

    def brief(self, appointment: Appointment) -> TimeWindow:
        return TimeWindow(
            appointment.starts_at - self.brief_opens_before,
            appointment.ends_at + self.brief_closes_after,
        )

    def call(self, appointment: Appointment) -> TimeWindow:
        return TimeWindow(
            appointment.starts_at - self.call_opens_before,
            appointment.ends_at + self.call_closes_after,
        )


@dataclass(frozen=True, slots=True)
class AppointmentAccess:
    """The caller's standing towards one appointment, decided at one instant."""

    appointment: Appointment
    caller: User
    role: ConsultationRole
    is_admin: bool
    brief_window: TimeWindow
    call_window: TimeWindow
    may_read_brief: bool
    may_read_records: bool
    call: CallState
    # The booked vet, once the consultation has started (and not been cancelled); the report
    # slice may narrow this.
    may_write_report: bool

    @property
    def may_join_call(self) -> bool:
        return self.call is CallState.OPEN


@dataclass(frozen=True, slots=True)
class PetReadAccess:
    """The caller may read this pet's card (and its files), in this role."""

    pet: Pet
    caller: User
    role: ConsultationRole
    level: AccessLevel | None  # the caller's own access to the pet, if any


def decide_appointment_access(
    appointment: Appointment,
    caller: User,
    *,
    caller_vet_id: int | None,
    pet_level: AccessLevel | None,
    windows: ConsultationWindows,
    now: datetime,
) -> AppointmentAccess:
    """The rules of the module docstring for one appointment; `ConsultationAccessDeniedError`
    for a caller with no part in it."""
    is_admin = Role.ADMIN in caller.roles
    is_vet = caller_vet_id is not None and caller_vet_id == appointment.vet_id
    if is_vet:
        role = ConsultationRole.VET
    elif pet_level is not None:
        role = ConsultationRole(pet_level.value)
    elif is_admin:
        role = ConsultationRole.ADMIN
    else:
        raise ConsultationAccessDeniedError(f"appointment {appointment.id}", "read")
    brief_window = windows.brief(appointment)
    call_window = windows.call(appointment)
    vet_reads = (
        is_vet and appointment.status in VET_READABLE_STATUSES and brief_window.contains(now)
    )
    participant = is_vet or pet_level in CALLERS
    return AppointmentAccess(
        appointment=appointment,
        caller=caller,
        role=role,
        is_admin=is_admin,
        brief_window=brief_window,
        call_window=call_window,
        may_read_brief=vet_reads or is_admin,
        may_read_records=vet_reads or pet_level is not None or is_admin,
        call=_call_state(appointment, participant, call_window, now),
        may_write_report=(
            is_vet and appointment.status in VET_READABLE_STATUSES and now >= appointment.starts_at
        ),
    )


def _call_state(
    appointment: Appointment, participant: bool, window: TimeWindow, now: datetime
) -> CallState:
    if not participant:
        return CallState.NOT_A_PARTICIPANT
    if appointment.status is AppointmentStatus.COMPLETED:
        return CallState.CLOSED
    if appointment.status is not AppointmentStatus.CONFIRMED:
        return CallState.NOT_ACTIVE
    if now < window.opens_at:
        return CallState.NOT_OPEN_YET
    if now >= window.closes_at:
        return CallState.CLOSED
    return CallState.OPEN


class ConsultationAccessGuard:
    """Loads what the rules need and applies them; shared by the consultation interactors."""

    def __init__(
        self,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        vets: VetRepository,
        appointments: AppointmentRepository,
        consultations: ConsultationRepository,
        windows: ConsultationWindows,
        clock: Clock,
    ) -> None:
        self._users = users
        self._pets = pets
        self._access = access
        self._vets = vets
        self._appointments = appointments
        self._consultations = consultations
        self._windows = windows
        self._clock = clock

    @property
    def windows(self) -> ConsultationWindows:
        return self._windows

    async def caller(self, telegram_id: int) -> User | None:
        return await self._users.get_by_telegram_id(telegram_id)

    async def missing(self, telegram_id: int, what: str) -> Exception:
        """The error for an id that names nothing: 404 to an admin, 403 to anyone else."""
        caller = await self.caller(telegram_id)
        if caller is None:
            return ConsultationAccessDeniedError(what, "read")
        return _unknown(caller, what)

    async def appointment(self, telegram_id: int, appointment_id: int) -> AppointmentAccess:
        what = f"appointment {appointment_id}"
        caller = await self.caller(telegram_id)
        if caller is None:
            raise ConsultationAccessDeniedError(what, "read")
        appointment = await self._appointments.get(appointment_id)
        if appointment is None:
            raise _unknown(caller, what)
        vet = await self._vets.get_by_user_id(caller.id)
        level = await self._access.get_level(caller.id, appointment.pet_id)
        return decide_appointment_access(
            appointment,
            caller,
            caller_vet_id=vet.id if vet is not None else None,
            pet_level=level,
            windows=self._windows,
            now=self._clock.now(),
        )

    async def pet(self, telegram_id: int, pet_id: int) -> PetReadAccess:
        """May the caller read this pet's card: a member, its vet inside a brief window, or
        an admin."""
        what = f"pet {pet_id}"
        caller = await self.caller(telegram_id)
        if caller is None:
            raise ConsultationAccessDeniedError(what, "read")
        pet = await self._pets.get(pet_id)
        if pet is None:
            raise _unknown(caller, what)
        level = await self._access.get_level(caller.id, pet_id)
        if level is not None:
            return PetReadAccess(pet, caller, ConsultationRole(level.value), level)
        if await self._vet_window_open(caller, pet_id):
            return PetReadAccess(pet, caller, ConsultationRole.VET, None)
        if Role.ADMIN in caller.roles:
            return PetReadAccess(pet, caller, ConsultationRole.ADMIN, None)
        raise ConsultationAccessDeniedError(what, "read")

    async def _vet_window_open(self, caller: User, pet_id: int) -> bool:
        vet = await self._vets.get_by_user_id(caller.id)
        if vet is None:
            return False
        now = self._clock.now()
        booked = await self._consultations.list_for_vet_and_pet(
            vet.id, pet_id, statuses=VET_READABLE_STATUSES
        )
        return any(self._windows.brief(appointment).contains(now) for appointment in booked)


def _unknown(caller: User, what: str) -> Exception:
    if Role.ADMIN in caller.roles:
        return ConsultationNotFoundError(what)
    return ConsultationAccessDeniedError(what, "read")


class CheckAppointmentAccess:
    """The caller's role in an appointment and what it lets them do now (the call page and
    the report form ask this before anything else)."""

    def __init__(self, guard: ConsultationAccessGuard) -> None:
        self._guard = guard

    async def __call__(self, telegram_id: int, appointment_id: int) -> AppointmentAccess:
        return await self._guard.appointment(telegram_id, appointment_id)


class CheckPetAccess:
    """Whether, and as whom, the caller may read a pet's card and files."""

    def __init__(self, guard: ConsultationAccessGuard) -> None:
        self._guard = guard

    async def __call__(self, telegram_id: int, pet_id: int) -> PetReadAccess:
        return await self._guard.pet(telegram_id, pet_id)
