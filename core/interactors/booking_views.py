"""Read-only views an owner needs while booking: vets to choose from, appointment cards.

They sit next to `core.interactors.booking` (which changes state) and follow its rules: ids
from buttons are checked against the caller, someone else's appointment reads as missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core.booking_errors import AppointmentNotFoundError
from core.clock import Clock
from core.entities import Appointment, Pet, User, Vet
from core.enums import AppointmentStatus, Urgency
from core.errors import UserNotFoundError
from core.interactors.booking import BOOKERS, DEFAULT_PUBLISH_DAYS
from core.pets_errors import PetNotFoundError
from core.ports.repositories import (
    AppointmentRepository,
    PetAccessRepository,
    PetRepository,
    SlotRepository,
    SymptomCheckRepository,
    UserRepository,
    VetRepository,
)

# /book offers the pet's latest symptom check only while it still describes the pet: a week
# covers "since the weekend" illnesses; an older check would mislead the vet more than help.
RECENT_CHECK_DAYS = 7
# Checks looked at, newest first, to get past unsent drafts to the latest submitted one.
_RECENT_CHECKS_SCANNED = 20
# Past appointments shown in the owner's list: the latest few are enough to remember them.
PAST_SHOWN = 10
_ACTIVE = frozenset({AppointmentStatus.HELD, AppointmentStatus.CONFIRMED})
# Holds that lapsed or were replaced are not appointments the owner ever had.
_NOT_SHOWN = frozenset({AppointmentStatus.HELD, AppointmentStatus.EXPIRED})


@dataclass(frozen=True, slots=True)
class VetOffer:
    """A vet who can see the pet, with their first free time."""

    vet: Vet
    first_free: datetime


@dataclass(frozen=True, slots=True)
class AppointmentCard:
    appointment: Appointment
    vet: Vet
    vet_user: User | None  # None once the vet's account is gone
    pet: Pet | None  # None once the pet was deleted
    owner: User


@dataclass(frozen=True, slots=True)
class MyAppointments:
    upcoming: list[AppointmentCard]
    past: list[AppointmentCard]


async def _user(users: UserRepository, telegram_id: int) -> User:
    user = await users.get_by_telegram_id(telegram_id)
    if user is None:
        raise UserNotFoundError(telegram_id)
    return user


class FindVets:
    """Active vets treating the pet's species (and speaking `language` when any does), who
    have free time in the coming days; soonest first."""

    def __init__(
        self,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        vets: VetRepository,
        slots: SlotRepository,
        clock: Clock,
        days_ahead: int = DEFAULT_PUBLISH_DAYS,
    ) -> None:
        self._users = users
        self._pets = pets
        self._access = access
        self._vets = vets
        self._slots = slots
        self._clock = clock
        self._days_ahead = days_ahead

    async def __call__(self, telegram_id: int, pet_id: int, language: str) -> list[VetOffer]:
        user = await _user(self._users, telegram_id)
        level = await self._access.get_level(user.id, pet_id)
        pet = await self._pets.get(pet_id) if level in BOOKERS else None
        if pet is None:
            raise PetNotFoundError(pet_id)
        vets = await self._vets.list_active(species=pet.species, language=language)
        if not vets:
            # Better a vet in another language than none at all.
            vets = await self._vets.list_active(species=pet.species)
        now = self._clock.now()
        end = now + timedelta(days=self._days_ahead + 1)
        offers: list[VetOffer] = []
        for vet in vets:
            free = await self._slots.list_open(vet.id, start=now, end=end, now=now)
            if free:
                offers.append(VetOffer(vet=vet, first_free=free[0].starts_at))
        return sorted(offers, key=lambda offer: (offer.first_free, offer.vet.id))


class GetAppointmentCard:
    """One of the caller's appointments with its vet, the vet's account and the pet."""

    def __init__(
        self,
        users: UserRepository,
        vets: VetRepository,
        pets: PetRepository,
        appointments: AppointmentRepository,
    ) -> None:
        self._users = users
        self._vets = vets
        self._pets = pets
        self._appointments = appointments

    async def __call__(self, telegram_id: int, appointment_id: int) -> AppointmentCard:
        owner = await _user(self._users, telegram_id)
        appointment = await self._appointments.get(appointment_id)
        if appointment is None or appointment.owner_user_id != owner.id:
            raise AppointmentNotFoundError(appointment_id)
        return await _card(self._users, self._vets, self._pets, owner, appointment)


class ListMyAppointmentCards:
    """The caller's upcoming (held or confirmed, not ended) and latest past appointments."""

    def __init__(
        self,
        users: UserRepository,
        vets: VetRepository,
        pets: PetRepository,
        appointments: AppointmentRepository,
        clock: Clock,
    ) -> None:
        self._users = users
        self._vets = vets
        self._pets = pets
        self._appointments = appointments
        self._clock = clock

    async def __call__(self, telegram_id: int) -> MyAppointments:
        owner = await _user(self._users, telegram_id)
        now = self._clock.now()
        upcoming: list[AppointmentCard] = []
        past: list[AppointmentCard] = []
        for appointment in await self._appointments.list_for_owner(owner.id):
            live = appointment.status in _ACTIVE and appointment.ends_at > now
            if appointment.status is AppointmentStatus.HELD and (
                appointment.hold_expires_at is None or appointment.hold_expires_at <= now
            ):
                continue
            if live:
                upcoming.append(
                    await _card(self._users, self._vets, self._pets, owner, appointment)
                )
            elif appointment.status not in _NOT_SHOWN:
                past.append(await _card(self._users, self._vets, self._pets, owner, appointment))
        past.reverse()  # the latest first
        return MyAppointments(upcoming=upcoming, past=past[:PAST_SHOWN])


async def _card(
    users: UserRepository,
    vets: VetRepository,
    pets: PetRepository,
    owner: User,
    appointment: Appointment,
) -> AppointmentCard:
    vet = await vets.get(appointment.vet_id)
    if vet is None:
        raise AppointmentNotFoundError(appointment.id)
    return AppointmentCard(
        appointment=appointment,
        vet=vet,
        vet_user=await users.get(vet.user_id),
        pet=await pets.get(appointment.pet_id),
        owner=owner,
    )


class GetAppointmentCardForVet:
    """An appointment of the calling vet, with its owner and pet: to tell the owner about it."""

    def __init__(
        self,
        users: UserRepository,
        vets: VetRepository,
        pets: PetRepository,
        appointments: AppointmentRepository,
    ) -> None:
        self._users = users
        self._vets = vets
        self._pets = pets
        self._appointments = appointments

    async def __call__(self, vet_telegram_id: int, appointment_id: int) -> AppointmentCard:
        caller = await _user(self._users, vet_telegram_id)
        vet = await self._vets.get_by_user_id(caller.id)
        appointment = await self._appointments.get(appointment_id)
        if vet is None or appointment is None or appointment.vet_id != vet.id:
            raise AppointmentNotFoundError(appointment_id)
        owner = await self._users.get(appointment.owner_user_id)
        if owner is None:
            raise AppointmentNotFoundError(appointment_id)
        return await _card(self._users, self._vets, self._pets, owner, appointment)


@dataclass(frozen=True, slots=True)
class RecentCheck:
    """The pet's latest submitted symptom check, to offer for attaching to a booking."""

    check_id: int
    pet_name: str
    submitted_at: datetime
    urgency: Urgency | None  # None while it is still being analysed


class FindRecentCheck:
    """The pet's latest check submitted within `RECENT_CHECK_DAYS`, for an owner or co-owner
    booking for it; None when there is none (or the caller may not book for the pet)."""

    def __init__(
        self,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        checks: SymptomCheckRepository,
        clock: Clock,
    ) -> None:
        self._users = users
        self._pets = pets
        self._access = access
        self._checks = checks
        self._clock = clock

    async def __call__(self, telegram_id: int, pet_id: int) -> RecentCheck | None:
        user = await _user(self._users, telegram_id)
        level = await self._access.get_level(user.id, pet_id)
        pet = await self._pets.get(pet_id) if level in BOOKERS else None
        if pet is None:
            return None
        since = self._clock.now() - timedelta(days=RECENT_CHECK_DAYS)
        for check in await self._checks.list_for_pet(pet_id, limit=_RECENT_CHECKS_SCANNED):
            submitted = check.submitted_at
            if submitted is not None and submitted >= since:
                return RecentCheck(check.id, pet.name, submitted, check.urgency)
        return None
