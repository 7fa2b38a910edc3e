"""Vets: onboarding by invite, the profile, verification by an admin, and the vet's day.

The path of a vet: an admin (a Telegram id named in the configuration, which `RegisterUser`
turns into the admin role) issues a one-time link (`https://t.me/<bot>?start=vet_<token>`) →
the vet opens it (`AcceptVetInvite`: the vet role and an inactive, unverified profile) → fills
the profile form (`SaveVetProfile`, which also submits it) → an admin verifies it (`VerifyVet`:
active and verified, slots published from whatever schedule the vet set meanwhile). Owners see
only verified, active vets (`VetRepository.list_active`); an inactive vet takes no bookings.

Invite tokens follow the pet invites (`core.interactors.sharing`): only the SHA-256 is stored,
a conditional UPDATE makes a link work once, and it expires after `VET_INVITE_TTL`.

Interactors take the caller's Telegram id and check the caller's role themselves: a non-admin
gets `NotAnAdminError`, a non-vet `NotAVetError`. They return DTOs, never text.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from core.booking_errors import NotAVetError
from core.clock import Clock
from core.entities import Appointment, User, Vet
from core.enums import AppointmentStatus, Role, Species, Urgency
from core.errors import UserNotFoundError
from core.interactors.booking import PublishResult, PublishSlots
from core.interactors.consultation_access import ConsultationWindows
from core.interactors.sharing import hash_token
from core.invite_guessing import InviteGuessLimit
from core.locales import DEFAULT_LOCALE, SUPPORTED_LOCALES
from core.ports.consultation_notices import Recipient
from core.ports.repositories import (
    AppointmentRepository,
    PetRepository,
    SymptomCheckRepository,
    UserRepository,
    VetInviteRepository,
    VetRepository,
)
from core.ports.uow import UnitOfWork
from core.ports.vet_notices import VetNotices
from core.schedule import local_day_bounds, local_today, to_local
from core.vet_input import VetProfileDraft, check_profile
from core.vets_errors import (
    AlreadyAVetError,
    NotAnAdminError,
    PendingVetNotFoundError,
    VetInviteExpiredError,
    VetInviteNotFoundError,
    VetInviteUsedError,
)

logger = logging.getLogger(__name__)

VET_INVITE_TTL: Final = timedelta(hours=72)
# Telegram's start payload: at most 64 characters of [A-Za-z0-9_-]; "inv_" is a pet invite.
VET_INVITE_PAYLOAD_PREFIX: Final = "vet_"
_TOKEN_BYTES: Final = 16  # token_urlsafe(16): 22 characters, 128 bits
_PAYLOAD = re.compile(rf"{VET_INVITE_PAYLOAD_PREFIX}([A-Za-z0-9_-]{{16,60}})")
QUEUE_DAYS: Final = 7
# A profile exists from the moment the invite is accepted; until the form is sent it holds
# placeholders no owner can see (it is neither active nor verified).
_PLACEHOLDER_PRICE: Final = 0


def vet_invite_token_from_payload(payload: str | None) -> str | None:
    """The vet invite token in a `/start` payload, or None when the payload is none."""
    if not payload:
        return None
    match = _PAYLOAD.fullmatch(payload.strip())
    return match.group(1) if match else None


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IssuedVetInvite:
    """A fresh invite; `start_payload` goes after `?start=` in the bot's link."""

    start_payload: str
    expires_at: datetime
    valid_hours: int


@dataclass(frozen=True, slots=True)
class AcceptedVetInvite:
    vet: Vet
    locale: str  # the vet's language, for the command menu


@dataclass(frozen=True, slots=True)
class PendingVet:
    vet: Vet
    first_name: str
    username: str | None


@dataclass(frozen=True, slots=True)
class VerifiedVet:
    vet: Vet
    published: PublishResult


@dataclass(frozen=True, slots=True)
class RejectedVet:
    display_name: str


@dataclass(frozen=True, slots=True)
class VetAppointment:
    """One confirmed consultation as the vet sees it, in the vet's zone."""

    appointment_id: int
    local_start: datetime
    local_end: datetime
    pet_name: str
    pet_species: Species | None
    reason: str | None
    urgency: Urgency | None  # of the symptom check the owner attached, if any
    # The call window (`ConsultationWindows.call`) is open now: the vet may start the call.
    call_open: bool = False
    # The call window has opened and the report is not in yet (a submitted report completes
    # the appointment, and the agenda lists confirmed ones only).
    report_due: bool = False


@dataclass(frozen=True, slots=True)
class VetAgenda:
    vet: Vet
    first_day: date  # the vet's local date
    last_day: date
    appointments: tuple[VetAppointment, ...]  # by start


# --- helpers ---------------------------------------------------------------------------------


async def _user(users: UserRepository, telegram_id: int) -> User:
    user = await users.get_by_telegram_id(telegram_id)
    if user is None:
        raise UserNotFoundError(telegram_id)
    return user


async def _admin(users: UserRepository, telegram_id: int) -> User:
    user = await users.get_by_telegram_id(telegram_id)
    if user is None or Role.ADMIN not in user.roles:
        raise NotAnAdminError(telegram_id)
    return user


async def _vet_of(users: UserRepository, vets: VetRepository, telegram_id: int) -> Vet:
    user = await _user(users, telegram_id)
    vet = await vets.get_by_user_id(user.id)
    if vet is None:
        raise NotAVetError(telegram_id)
    return vet


def _locale(user: User) -> str:
    return user.language if user.language in SUPPORTED_LOCALES else DEFAULT_LOCALE


# --- invites ---------------------------------------------------------------------------------


class CreateVetInvite:
    """Issue a one-time link that makes whoever opens it a vet (admins only)."""

    def __init__(
        self, uow: UnitOfWork, users: UserRepository, invites: VetInviteRepository, clock: Clock
    ) -> None:
        self._uow = uow
        self._users = users
        self._invites = invites
        self._clock = clock

    async def __call__(self, telegram_id: int) -> IssuedVetInvite:
        admin = await _admin(self._users, telegram_id)
        token = secrets.token_urlsafe(_TOKEN_BYTES)
        now = self._clock.now()
        expires_at = now + VET_INVITE_TTL
        await self._invites.add(
            created_by_user_id=admin.id,
            token_hash=hash_token(token),
            expires_at=expires_at,
            created_at=now,
        )
        await self._uow.commit()
        return IssuedVetInvite(
            start_payload=f"{VET_INVITE_PAYLOAD_PREFIX}{token}",
            expires_at=expires_at,
            valid_hours=int(VET_INVITE_TTL.total_seconds() // 3600),
        )


class AcceptVetInvite:
    """Take up a vet invite: the vet role and an inactive, unverified profile, once.

    Someone who already has a profile is refused and the link stays unused. An inviter who is no
    longer an admin leaves no working links behind.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        vets: VetRepository,
        invites: VetInviteRepository,
        clock: Clock,
        guessing: InviteGuessLimit,
    ) -> None:
        self._uow = uow
        self._users = users
        self._vets = vets
        self._invites = invites
        self._clock = clock
        self._guessing = guessing

    async def __call__(self, telegram_id: int, token: str) -> AcceptedVetInvite:
        await self._guessing.check(telegram_id)
        user = await _user(self._users, telegram_id)
        invite = await self._invites.get_by_token_hash(hash_token(token))
        if invite is None:
            raise await self._guessing.wrong(telegram_id) or VetInviteNotFoundError()
        now = self._clock.now()
        if invite.used_at is not None:
            raise VetInviteUsedError
        if invite.expires_at <= now:
            raise VetInviteExpiredError
        inviter = await self._users.get(invite.created_by_user_id)
        if inviter is None or Role.ADMIN not in inviter.roles:
            raise VetInviteNotFoundError
        if await self._vets.get_by_user_id(user.id) is not None:
            raise AlreadyAVetError
        if not await self._invites.claim(invite.id, user_id=user.id, used_at=now):
            raise VetInviteUsedError  # someone claimed it between our read and our update
        if Role.VET not in user.roles:
            await self._users.add_role(user.id, Role.VET)
        locale = _locale(user)
        vet = await self._vets.add(
            user_id=user.id,
            display_name=user.first_name[:128],
            species=frozenset(),
            languages=frozenset({locale}),
            price_amount=_PLACEHOLDER_PRICE,
            time_zone=user.time_zone,
            is_active=False,
            verified=False,
        )
        await self._uow.commit()
        return AcceptedVetInvite(vet=vet, locale=locale)


# --- the profile -----------------------------------------------------------------------------


class GetMyVetProfile:
    """The calling vet's profile (for the form and its summary)."""

    def __init__(self, users: UserRepository, vets: VetRepository) -> None:
        self._users = users
        self._vets = vets

    async def __call__(self, telegram_id: int) -> Vet:
        return await _vet_of(self._users, self._vets, telegram_id)


class SaveVetProfile:
    """Store the profile form and submit it for verification.

    A verified vet editing the profile stays verified: admins check the person, not each edit.
    A new time zone moves the weekly template with it (09:00 stays 09:00 on the vet's clock):
    the slots are published again.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        vets: VetRepository,
        publish_slots: PublishSlots,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._users = users
        self._vets = vets
        self._publish = publish_slots
        self._clock = clock

    async def __call__(self, telegram_id: int, draft: VetProfileDraft) -> Vet:
        vet = await _vet_of(self._users, self._vets, telegram_id)
        checked = check_profile(draft)
        await self._vets.save_profile(
            vet.id,
            display_name=checked.display_name,
            specialisations=checked.specialisations,
            species=checked.species,
            languages=checked.languages,
            years_of_practice=checked.years_of_practice,
            price_amount=checked.price_amount,
            bio=checked.bio,
            photo_file_id=checked.photo_file_id,
            submitted_at=vet.submitted_at or self._clock.now(),
            time_zone=checked.time_zone,
        )
        await self._uow.commit()
        if checked.time_zone is not None and checked.time_zone != vet.time_zone:
            await self._publish(vet.id)
        saved = await self._vets.get(vet.id)
        if saved is None:
            raise NotAVetError(telegram_id)
        return saved


# --- verification (admins) -------------------------------------------------------------------


class ListPendingVets:
    """Submitted profiles waiting for an admin, oldest first (admins only)."""

    def __init__(self, users: UserRepository, vets: VetRepository) -> None:
        self._users = users
        self._vets = vets

    async def __call__(self, telegram_id: int) -> list[PendingVet]:
        await _admin(self._users, telegram_id)
        pending: list[PendingVet] = []
        for vet in await self._vets.list_pending():
            user = await self._users.get(vet.user_id)
            if user is not None:
                pending.append(PendingVet(vet, user.first_name, user.username))
        return pending


class GetPendingVet:
    """One submitted, unverified profile (admins only)."""

    def __init__(self, users: UserRepository, vets: VetRepository) -> None:
        self._users = users
        self._vets = vets

    async def __call__(self, telegram_id: int, vet_id: int) -> PendingVet:
        await _admin(self._users, telegram_id)
        vet = await self._vets.get(vet_id)
        if vet is None or vet.submitted_at is None or vet.verified_at is not None:
            raise PendingVetNotFoundError(vet_id)
        user = await self._users.get(vet.user_id)
        if user is None:
            raise PendingVetNotFoundError(vet_id)
        return PendingVet(vet, user.first_name, user.username)


class VerifyVet:
    """Verify a submitted profile: owners see the vet from now on; slots are published; the
    vet is told (`VetNotices`) once it is committed."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        vets: VetRepository,
        publish_slots: PublishSlots,
        notices: VetNotices,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._users = users
        self._vets = vets
        self._publish = publish_slots
        self._notices = notices
        self._clock = clock

    async def __call__(self, telegram_id: int, vet_id: int) -> VerifiedVet:
        await _admin(self._users, telegram_id)
        if not await self._vets.verify(vet_id, verified_at=self._clock.now()):
            await self._uow.rollback()
            raise PendingVetNotFoundError(vet_id)
        await self._uow.commit()
        published = await self._publish(vet_id)
        vet = await self._vets.get(vet_id)
        user = None if vet is None else await self._users.get(vet.user_id)
        if vet is None or user is None:  # the account was deleted in between
            raise PendingVetNotFoundError(vet_id)
        await _tell(self._uow, user, vet, self._notices.verified_for_vet)
        return VerifiedVet(vet=vet, published=published)


class RejectVet:
    """Drop a submitted profile an admin would not verify; the person is told (`VetNotices`)
    after the commit and may be invited again."""

    def __init__(
        self, uow: UnitOfWork, users: UserRepository, vets: VetRepository, notices: VetNotices
    ) -> None:
        self._uow = uow
        self._users = users
        self._vets = vets
        self._notices = notices

    async def __call__(self, telegram_id: int, vet_id: int) -> RejectedVet:
        await _admin(self._users, telegram_id)
        vet = await self._vets.get(vet_id)
        user = None if vet is None else await self._users.get(vet.user_id)
        if vet is None or user is None or not await self._vets.delete_unverified(vet_id):
            await self._uow.rollback()
            raise PendingVetNotFoundError(vet_id)
        await self._uow.commit()
        await _tell(self._uow, user, vet, self._notices.rejected_for_vet)
        return RejectedVet(display_name=vet.display_name)


async def _tell(
    uow: UnitOfWork, user: User, vet: Vet, send: Callable[[Recipient], Awaitable[None]]
) -> None:
    """The admin's verdict to the vet, after the commit: the read ends first (SQLite's lock),
    and a failed delivery never undoes the decision."""
    await uow.rollback()
    if user.blocked_bot_at is not None:
        return
    try:
        await send(Recipient(user.telegram_id, user.language, vet.time_zone))
    except Exception:  # the decision stands; the adapter logs its own failures
        logger.exception("vet %s was not told of the admin's decision", vet.id)


# --- the vet's day and queue -----------------------------------------------------------------


class _Agenda:
    """Confirmed appointments of a vet between two local dates, with pet and triage."""

    def __init__(
        self,
        users: UserRepository,
        vets: VetRepository,
        appointments: AppointmentRepository,
        pets: PetRepository,
        checks: SymptomCheckRepository,
        clock: Clock,
        windows: ConsultationWindows,
    ) -> None:
        self._users = users
        self._vets = vets
        self._appointments = appointments
        self._pets = pets
        self._checks = checks
        self._clock = clock
        self._windows = windows

    async def load(self, telegram_id: int, days: int, *, upcoming_only: bool) -> VetAgenda:
        vet = await _vet_of(self._users, self._vets, telegram_id)
        now = self._clock.now()
        first_day = local_today(now, vet.time_zone)
        last_day = first_day + timedelta(days=days - 1)
        start, _ = local_day_bounds(first_day, vet.time_zone)
        _, end = local_day_bounds(last_day, vet.time_zone)
        found = await self._appointments.list_for_vet(
            vet.id, start=start, end=end, statuses=[AppointmentStatus.CONFIRMED]
        )
        shown = [a for a in found if not upcoming_only or a.ends_at > now]
        items = tuple([await self._view(a, vet.time_zone, now) for a in shown])
        return VetAgenda(vet=vet, first_day=first_day, last_day=last_day, appointments=items)

    async def _view(
        self, appointment: Appointment, time_zone: str, now: datetime
    ) -> VetAppointment:
        call = self._windows.call(appointment)
        pet = await self._pets.get(appointment.pet_id)
        check = (
            None if appointment.check_id is None else await self._checks.get(appointment.check_id)
        )
        return VetAppointment(
            appointment_id=appointment.id,
            local_start=to_local(appointment.starts_at, time_zone),
            local_end=to_local(appointment.ends_at, time_zone),
            pet_name="" if pet is None else pet.name,
            pet_species=None if pet is None else pet.species,
            reason=appointment.reason,
            urgency=None if check is None else check.urgency,
            call_open=call.contains(now),
            report_due=now >= call.opens_at,
        )


class GetVetDay:
    """/today: the calling vet's confirmed consultations of the local day, by start."""

    def __init__(
        self,
        users: UserRepository,
        vets: VetRepository,
        appointments: AppointmentRepository,
        pets: PetRepository,
        checks: SymptomCheckRepository,
        clock: Clock,
        windows: ConsultationWindows,
    ) -> None:
        self._agenda = _Agenda(users, vets, appointments, pets, checks, clock, windows)

    async def __call__(self, telegram_id: int) -> VetAgenda:
        # The whole day, the morning's consultations included: the vet looks back at them too.
        return await self._agenda.load(telegram_id, 1, upcoming_only=False)


class GetVetQueue:
    """/queue: the calling vet's confirmed consultations not yet over, in the next 7 days."""

    def __init__(
        self,
        users: UserRepository,
        vets: VetRepository,
        appointments: AppointmentRepository,
        pets: PetRepository,
        checks: SymptomCheckRepository,
        clock: Clock,
        windows: ConsultationWindows,
    ) -> None:
        self._agenda = _Agenda(users, vets, appointments, pets, checks, clock, windows)

    async def __call__(self, telegram_id: int) -> VetAgenda:
        return await self._agenda.load(telegram_id, QUEUE_DAYS, upcoming_only=True)
