"""Storage ports: one repository per aggregate, returning DTOs from `core.entities`.

Repositories never commit (see `core.ports.uow.UnitOfWork`). Methods that change a row
identified by id raise `EntityNotFoundError` when there is no such row; inserts that would
break a uniqueness rule raise `DuplicateEntityError` and leave the unit of work usable.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime, time
from typing import Any, Protocol

from core.entities import (
    AccessiblePet,
    Appointment,
    AppointmentSnapshot,
    AvailabilityException,
    AvailabilityRule,
    CheckPhoto,
    Clinic,
    ConsultationTiming,
    MedicalRecord,
    Payment,
    PaymentSnapshot,
    Pet,
    PetAccess,
    PetInvite,
    ReminderSnapshot,
    Slot,
    SymptomCheck,
    User,
    Vet,
    VetInvite,
)
from core.enums import (
    AccessLevel,
    AppointmentStatus,
    CheckStatus,
    RecordKind,
    ReminderKind,
    Role,
    Sex,
    Species,
    Urgency,
)
from core.errors import DomainError


class EntityNotFoundError(DomainError):
    def __init__(self, entity: str, key: object) -> None:
        super().__init__(f"no {entity} {key!r}")
        self.entity = entity
        self.key = key


class DuplicateEntityError(DomainError):
    def __init__(self, entity: str, key: object) -> None:
        super().__init__(f"{entity} {key!r} already exists")
        self.entity = entity
        self.key = key


class UserRepository(Protocol):
    """Users known to the bot, keyed internally by id and externally by Telegram id.

    One instance serves one request (an update, an HTTP request, a task) and loads each user,
    roles included, at most once in it: middlewares, dialogs and interactors asking again get
    what was loaded, without a query. Writes through the repository are seen by the reads
    that follow; after a rollback the next read goes to the database again.
    """

    async def get_by_telegram_id(self, telegram_id: int) -> User | None:
        """The user with this Telegram id, or None before first contact."""
        ...

    async def get(self, user_id: int) -> User | None:
        """The user with this internal id, or None."""
        ...

    async def add(
        self,
        *,
        telegram_id: int,
        first_name: str,
        username: str | None,
        language: str | None,
        roles: frozenset[Role] = frozenset({Role.OWNER}),
    ) -> User:
        """Create a user (time zone defaults to Europe/Moscow).

        Raises `DuplicateEntityError` when the Telegram id is taken (two first updates racing).
        """
        ...

    async def update_profile(self, user_id: int, *, first_name: str, username: str | None) -> None:
        """Store the name Telegram reports now."""
        ...

    async def set_language(self, user_id: int, language: str) -> None:
        """Remember the locale the user chose."""
        ...

    async def set_consent(self, user_id: int, consented_at: datetime) -> None:
        """Record when the user consented to data processing (aware datetime)."""
        ...

    async def add_role(self, user_id: int, role: Role) -> None:
        """Grant a role; granting one the user already has does nothing."""
        ...

    async def remove_role(self, user_id: int, role: Role) -> None:
        """Take a role away; the user's other roles stay. Removing one they lack does nothing."""
        ...

    async def list_with_role(self, role: Role) -> list[User]:
        """Every user holding this role."""
        ...

    async def mark_bot_blocked(self, telegram_id: int, blocked_at: datetime) -> bool:
        """Record that this user blocked the bot, keeping an earlier mark.

        True when this call set the mark; False when it was set already or nobody has that id.
        """
        ...

    async def clear_bot_blocked(self, user_id: int) -> None:
        """The user is reachable again (they wrote to the bot)."""
        ...

    async def is_bot_blocked(self, telegram_id: int) -> bool:
        """Whether this user is marked as having blocked the bot (False for strangers)."""
        ...


class UserSettingsRepository(Protocol):
    """A user's reminder settings: their time zone, reminder kinds off, quiet hours.

    Kept apart from `UserRepository` so its many fakes need not grow; the same request-scoped
    object implements both (`db.repositories.users.SqlUserRepository`), so a write here is
    seen by the user's next read there. The settings themselves come with the `User`.
    """

    async def get_by_telegram_id(self, telegram_id: int) -> User | None:
        """The user with this Telegram id, settings included, or None before first contact."""
        ...

    async def set_time_zone(self, user_id: int, time_zone: str, chosen_at: datetime) -> None:
        """Store the zone the user chose (an IANA name zoneinfo knows) and when."""
        ...

    async def set_likely_time_zone(self, user_id: int, time_zone: str) -> None:
        """Store the zone of the user's language while they have not chosen one: it stays
        "not chosen" (`time_zone_chosen_at` untouched), so they are still asked."""
        ...

    async def set_reminder_kinds_off(
        self, user_id: int, kinds_off: Collection[ReminderKind]
    ) -> None:
        """Replace the set of reminder kinds the user switched off."""
        ...

    async def set_quiet_hours(self, user_id: int, start: time, end: time) -> None:
        """Local quiet hours; `start == end` means none."""
        ...


class PetRepository(Protocol):
    """Pets. Who may see or edit one is `PetAccessRepository`'s business.

    One instance serves one request and loads each pet at most once in it (the handler's
    access check and the getter after it share the load). Writes through the repository are
    seen by the reads that follow; after a rollback or a deletion the next read asks again.
    """

    async def add(
        self,
        *,
        name: str,
        species: Species,
        breed: str | None = None,
        sex: Sex = Sex.UNKNOWN,
        neutered: bool | None = None,
        birth_date: date | None = None,
        birth_date_is_approximate: bool = False,
        weight_grams: int | None = None,
        allergies: str | None = None,
        chronic_conditions: str | None = None,
    ) -> Pet:
        """Create a pet. The caller grants the creator `AccessLevel.OWNER` in the same unit."""
        ...

    async def get(self, pet_id: int) -> Pet | None:
        """The pet, archived or not, or None."""
        ...

    async def list_for_user(
        self, user_id: int, *, include_archived: bool = False
    ) -> list[AccessiblePet]:
        """Pets the user has any access to, with that access level, ordered by name."""
        ...

    async def count_for_user(self, user_id: int, *, archived: bool) -> int:
        """How many of the user's pets are archived (or, with False, active)."""
        ...

    async def update(self, pet: Pet) -> None:
        """Store the editable fields of `pet` (everything but id, archived_at, created_at).

        Build the argument with `dataclasses.replace(pet, ...)` from a freshly loaded pet.
        """
        ...

    async def set_archived(self, pet_id: int, archived_at: datetime | None) -> None:
        """Archive the pet at the given instant, or restore it with None."""
        ...

    async def delete(self, pet_id: int) -> None:
        """Delete the pet with its access rows, records, checks and reminders."""
        ...


class PetAccessRepository(Protocol):
    """Who may see a pet and how: owner, co-owner or viewer.

    Like `PetRepository`, one instance loads each (user, pet) level at most once per request:
    `grant` and `revoke` through it, a rollback and the pet's or the user's deletion make the
    next `get_level` ask the database again. "No access" is never remembered.
    """

    async def grant(
        self,
        *,
        pet_id: int,
        user_id: int,
        level: AccessLevel,
        granted_by_user_id: int | None = None,
        granted_at: datetime,
    ) -> PetAccess:
        """Give the user this level, replacing any level they had."""
        ...

    async def revoke(self, *, pet_id: int, user_id: int) -> None:
        """Remove the user's access; no access to remove is not an error."""
        ...

    async def get_level(self, user_id: int, pet_id: int) -> AccessLevel | None:
        """The user's level for the pet, or None without access."""
        ...

    async def list_for_pet(self, pet_id: int) -> list[PetAccess]:
        """Everyone with access to the pet, strongest level first."""
        ...


class MedicalRecordRepository(Protocol):
    """Entries of a pet's medical card."""

    async def add(
        self,
        *,
        pet_id: int,
        kind: RecordKind,
        title: str,
        occurred_at: datetime,
        details: str | None = None,
        data: Mapping[str, Any] | None = None,
        next_due_at: datetime | None = None,
        author_user_id: int | None = None,
        attachment_key: str | None = None,
        attachment_content_type: str | None = None,
    ) -> MedicalRecord:
        """Add an entry; `data` must be JSON-serializable."""
        ...

    async def get(self, record_id: int) -> MedicalRecord | None:
        """The entry, or None."""
        ...

    async def list_for_pet(
        self,
        pet_id: int,
        *,
        kinds: Collection[RecordKind] | None = None,
        limit: int | None = 20,
        offset: int = 0,
    ) -> list[MedicalRecord]:
        """A page of the pet's entries, newest `occurred_at` first; `kinds` filters if given;
        `limit` None: all of them."""
        ...

    async def count_by_kind(self, pet_id: int) -> Mapping[RecordKind, int]:
        """How many entries the pet has of each kind (kinds with none left out), in one
        statement: a window that needs several counts asks once."""
        ...

    async def delete(self, record_id: int) -> None:
        """Remove the entry; raises `EntityNotFoundError` when absent."""
        ...


class VetRepository(Protocol):
    """Vet profiles shown to owners when booking."""

    async def add(
        self,
        *,
        user_id: int,
        display_name: str,
        species: frozenset[Species],
        languages: frozenset[str],
        price_amount: int,
        currency: str = "XTR",
        consultation_minutes: int = 30,
        time_zone: str = "Europe/Moscow",
        bio: str | None = None,
        is_active: bool = True,
        verified: bool = True,
    ) -> Vet:
        """Create the profile of a user who is a vet (one profile per user).

        Profiles seeded directly (demo, tests, admin tooling) are verified and active by
        default; the invite flow passes `is_active=False, verified=False`."""
        ...

    async def get(self, vet_id: int) -> Vet | None:
        """The profile, active or not, or None."""
        ...

    async def get_by_user_id(self, user_id: int) -> Vet | None:
        """The profile of this user, or None when they are not a vet."""
        ...

    async def list_active(
        self, *, species: Species | None = None, language: str | None = None
    ) -> list[Vet]:
        """Active and verified vets (what owners may see), optionally only those treating
        `species` / speaking `language`."""
        ...

    async def save_profile(
        self,
        vet_id: int,
        *,
        display_name: str,
        specialisations: str,
        species: frozenset[Species],
        languages: frozenset[str],
        years_of_practice: int,
        price_amount: int,
        bio: str | None,
        photo_file_id: str | None,
        submitted_at: datetime,
        time_zone: str | None = None,
    ) -> None:
        """Replace the profile's fields with what the vet's form collected (`time_zone`
        None: keep the current one)."""
        ...

    async def list_pending(self) -> list[Vet]:
        """Submitted profiles an admin has not verified yet, oldest submission first."""
        ...

    async def verify(self, vet_id: int, *, verified_at: datetime) -> bool:
        """Mark a submitted, unverified profile verified and active; False when it is not
        one (verified meanwhile by another admin, never submitted, gone)."""
        ...

    async def delete_unverified(self, vet_id: int) -> bool:
        """Drop a profile that was never verified (rejected); False when there is none."""
        ...


class ClinicRepository(Protocol):
    """The directory of clinics for in-person care."""

    async def add(
        self,
        *,
        name: str,
        city: str,
        address: str,
        phone: str | None = None,
        website: str | None = None,
        is_24_7: bool = False,
        latitude: float | None = None,
        longitude: float | None = None,
        species: frozenset[Species] = frozenset(),
    ) -> Clinic:
        """Add a clinic to the directory."""
        ...

    async def get(self, clinic_id: int) -> Clinic | None:
        """The clinic, or None."""
        ...

    async def search(
        self,
        *,
        city: str | None = None,
        species: Species | None = None,
        only_24_7: bool = False,
    ) -> list[Clinic]:
        """Clinics ordered by name; a species filter keeps clinics that list no species."""
        ...


class SymptomCheckRepository(Protocol):
    """Symptom checks and their photos (the photo bytes live in BlobStorage)."""

    async def add(
        self,
        *,
        pet_id: int,
        user_id: int,
        answers: Mapping[str, Any],
        idempotency_key: str | None,
        submitted_at: datetime,
    ) -> SymptomCheck:
        """A submitted check. DuplicateEntityError when the idempotency key was used before."""
        ...

    async def get(self, check_id: int) -> SymptomCheck | None: ...

    async def get_by_idempotency_key(self, key: str) -> SymptomCheck | None: ...

    async def add_photo(
        self,
        check_id: int,
        *,
        position: int,
        storage_key: str,
        content_type: str,
        size_bytes: int,
        telegram_file_id: str | None,
    ) -> CheckPhoto: ...

    async def list_photos(self, check_id: int) -> list[CheckPhoto]:
        """In the order the owner sent them."""
        ...

    async def set_photo_findings(
        self, photo_id: int, findings: Collection[Mapping[str, Any]]
    ) -> None: ...

    async def save_result(
        self,
        check_id: int,
        *,
        status: CheckStatus,
        urgency: Urgency,
        result: Mapping[str, Any],
        rules_version: str,
        model_used: bool,
        model_version: str | None,
        completed_at: datetime | None,
        error: str | None = None,
    ) -> None: ...

    async def start_attempt(self, check_id: int) -> int:
        """Mark the check as being analysed and return the attempt number (1 for the first)."""
        ...

    async def mark_notified(self, check_id: int, notified_at: datetime) -> None: ...

    async def claim_notification(self, check_id: int, notified_at: datetime) -> bool:
        """Atomically set `notified_at` if it is unset; True for the one caller that did.

        Two deliveries of one task may run at once (a slow worker's message reclaimed by
        another); only the claimant sends the result, so the owner gets it once.
        """
        ...

    async def release_notification(self, check_id: int) -> None:
        """Undo a claim whose message could not be sent, so a redelivery can try again."""
        ...

    async def list_undelivered(
        self, *, unchanged_since: datetime, submitted_after: datetime, limit: int
    ) -> list[int]:
        """Ids of submitted checks whose result has not reached the owner, untouched since
        `unchanged_since` and submitted after `submitted_after`; oldest first."""
        ...

    async def touch(self, check_ids: Collection[int], at: datetime) -> None:
        """Record that these checks were just acted on (queued again) at `at`."""
        ...

    async def list_for_pet(self, pet_id: int, *, limit: int = 20) -> list[SymptomCheck]:
        """Newest first."""
        ...


class InviteRepository(Protocol):
    """One-time invitations to a pet, found by the SHA-256 of their token."""

    async def add(
        self,
        *,
        pet_id: int,
        created_by_user_id: int,
        level: AccessLevel,
        token_hash: str,
        expires_at: datetime,
        created_at: datetime,
    ) -> PetInvite:
        """Store an invite; `token_hash` is the hex SHA-256 of the token (never the token)."""
        ...

    async def get_by_token_hash(self, token_hash: str) -> PetInvite | None:
        """The invite with this token hash, used or not, expired or not; None if unknown."""
        ...

    async def claim(self, invite_id: int, *, user_id: int, used_at: datetime) -> bool:
        """Mark the invite used by `user_id`, atomically, if it is unused and unexpired at
        `used_at`; True for the one caller that did (two people racing for one link)."""
        ...


class AccountDataRepository(Protocol):
    """What is stored about one user outside the pets' own aggregates, read for the data
    export, and the erasure of the user's row (which cascades to their roles, access rows,
    symptom checks, reminders, appointments and invites; payments keep an anonymous row)."""

    async def list_appointments(self, user_id: int) -> list[AppointmentSnapshot]:
        """The user's appointments, oldest first."""
        ...

    async def list_payments(self, user_id: int) -> list[PaymentSnapshot]:
        """The user's payments, oldest first."""
        ...

    async def list_reminders(self, user_id: int) -> list[ReminderSnapshot]:
        """The user's reminders, by due time."""
        ...

    async def delete_user(self, user_id: int) -> None:
        """Delete the user row; the database cascades or nulls every reference to it."""
        ...


# --- booking and payments -------------------------------------------------------------------


class AvailabilityRepository(Protocol):
    """A vet's weekly template, its dated exceptions, and how windows are cut into slots."""

    async def list_rules(self, vet_id: int) -> list[AvailabilityRule]:
        """The weekly windows, by weekday and start time."""
        ...

    async def replace_rules(
        self, vet_id: int, windows: Collection[tuple[int, time, time]]
    ) -> list[AvailabilityRule]:
        """Replace the whole template with these (weekday, local start, local end) windows."""
        ...

    async def list_exceptions(
        self, vet_id: int, *, start: datetime, end: datetime
    ) -> list[AvailabilityException]:
        """Exceptions overlapping [start, end), by start."""
        ...

    async def add_exception(
        self,
        vet_id: int,
        *,
        starts_at: datetime,
        ends_at: datetime,
        is_available: bool,
        reason: str | None = None,
    ) -> AvailabilityException: ...

    async def get_exception(self, exception_id: int) -> AvailabilityException | None: ...

    async def delete_exception(self, exception_id: int) -> None:
        """Remove it; raises `EntityNotFoundError` when absent."""
        ...

    async def get_timing(self, vet_id: int) -> ConsultationTiming:
        """Consultation length and buffer; raises `EntityNotFoundError` for an unknown vet."""
        ...

    async def set_timing(self, vet_id: int, timing: ConsultationTiming) -> None: ...


class SlotRepository(Protocol):
    """Bookable times, unique per (vet, start). Taken or free is decided by appointments."""

    async def add(self, *, vet_id: int, starts_at: datetime, ends_at: datetime) -> Slot:
        """A new open slot; `DuplicateEntityError` when the vet has one at that start."""
        ...

    async def get(self, slot_id: int) -> Slot | None: ...

    async def list_for_vet(self, vet_id: int, *, start: datetime, end: datetime) -> list[Slot]:
        """Every slot (open or closed) starting in [start, end), by start."""
        ...

    async def list_open(
        self, vet_id: int, *, start: datetime, end: datetime, now: datetime
    ) -> list[Slot]:
        """Open slots starting in [start, end) that nobody holds or booked at `now`, by start.

        A hold past its expiry counts as free: placing a hold expires it first.
        """
        ...

    async def list_occupied_ids(self, slot_ids: Collection[int]) -> set[int]:
        """Those of the slots that have an active (held or confirmed) appointment."""
        ...

    async def reopen(self, slot_id: int, *, ends_at: datetime) -> None:
        """Set the slot open with this end (a re-published time, perhaps with a new length)."""
        ...

    async def close_if_free(self, slot_id: int) -> bool:
        """Close the slot, atomically, unless an appointment occupies it; True if closed."""
        ...


class AppointmentRepository(Protocol):
    """Appointments. At most one active (held or confirmed) per slot, enforced by the
    database: every change that could break this raises `DuplicateEntityError`."""

    async def add_hold(
        self,
        *,
        slot_id: int,
        vet_id: int,
        owner_user_id: int,
        pet_id: int,
        reason: str | None,
        check_id: int | None,
        price_amount: int,
        currency: str,
        hold_expires_at: datetime,
    ) -> Appointment:
        """A held appointment; `DuplicateEntityError` when the slot is occupied (also when
        another transaction occupied it a moment ago: the unique index decides)."""
        ...

    async def move_to_slot(
        self, appointment_id: int, *, slot_id: int, refund_until: datetime | None = None
    ) -> None:
        """Move an active appointment to another slot of its vet (rescheduling); when given,
        `refund_until` is stored as the appointment's refund deadline.

        DuplicateEntityError when the slot has an active appointment already: the same
        partial unique index that makes double booking impossible decides here too.
        """
        ...

    async def get(self, appointment_id: int) -> Appointment | None: ...

    async def get_active_for_slot(self, slot_id: int) -> Appointment | None: ...

    async def expire_holds(self, *, now: datetime, slot_id: int | None = None) -> int:
        """Mark holds past their expiry expired (of one slot, or all); how many changed."""
        ...

    async def release_holds_of_owner(self, owner_user_id: int, *, except_id: int) -> int:
        """Expire the owner's other holds, live or not: a new choice replaces the previous."""
        ...

    async def extend_hold(self, appointment_id: int, *, until: datetime) -> bool:
        """Push a live hold's expiry to at least `until`; False unless it is held."""
        ...

    async def confirm(self, appointment_id: int, *, confirmed_at: datetime) -> bool:
        """Confirm a held or expired appointment whose slot is open and starts after
        `confirmed_at`, atomically. False when it is in another state or the slot is gone;
        `DuplicateEntityError` when another appointment occupies the slot."""
        ...

    async def set_status(
        self,
        appointment_id: int,
        *,
        status: AppointmentStatus,
        expected: Collection[AppointmentStatus],
        at: datetime,
    ) -> bool:
        """Move the appointment to `status` if it is in one of `expected`, atomically (two
        cancellations racing: one wins). Cancelled and no-show statuses set `cancelled_at`,
        completed sets `completed_at`. True for the caller that changed it."""
        ...

    async def mark_vet_no_show(self, appointment_id: int, *, at: datetime) -> bool:
        """Confirmed and the vet never joined → no-show, atomically (a vet joining at that
        very moment wins). True for the caller that changed it."""
        ...

    async def list_vet_no_shows(self, *, started_before: datetime) -> list[Appointment]:
        """Confirmed appointments starting before then that the vet has not joined."""
        ...

    async def list_for_owner(
        self,
        owner_user_id: int,
        *,
        statuses: Collection[AppointmentStatus] | None = None,
        starts_after: datetime | None = None,
    ) -> list[Appointment]:
        """By start time."""
        ...

    async def list_for_vet(
        self,
        vet_id: int,
        *,
        start: datetime,
        end: datetime,
        statuses: Collection[AppointmentStatus] | None = None,
    ) -> list[Appointment]:
        """Appointments whose slot starts in [start, end), by start time."""
        ...


class PaymentRepository(Protocol):
    """Successful payments, unique by Telegram's charge id, and their refunds."""

    async def add_if_absent(
        self,
        *,
        telegram_payment_charge_id: str,
        provider_payment_charge_id: str | None,
        appointment_id: int | None,
        user_id: int | None,
        invoice_payload: str,
        amount: int,
        currency: str,
        paid_at: datetime,
    ) -> tuple[Payment, bool]:
        """Insert-or-ignore on the charge id: (the stored payment, whether this call added
        it). A redelivered update gets the first one's row and False."""
        ...

    async def get(self, payment_id: int) -> Payment | None: ...

    async def get_by_charge_id(self, telegram_payment_charge_id: str) -> Payment | None: ...

    async def list_for_appointment(self, appointment_id: int) -> list[Payment]:
        """Oldest first."""
        ...

    async def request_refund(self, payment_id: int) -> bool:
        """Paid → refund pending, atomically; True for the one caller that did."""
        ...

    async def record_refund(self, payment_id: int, *, refunded_at: datetime) -> None:
        """The money went back: refunded, error cleared."""
        ...

    async def record_refund_error(self, payment_id: int, *, error: str, final: bool) -> None:
        """A refund attempt failed: `final` marks it for a person (refund failed), otherwise
        it stays pending for the next retry; the error is kept either way."""
        ...

    async def list_pending_refunds(self, *, limit: int = 100) -> list[Payment]:
        """Refunds still to do, oldest payment first."""
        ...


class VetInviteRepository(Protocol):
    """One-time invitations to become a vet, found by the SHA-256 of their token."""

    async def add(
        self,
        *,
        created_by_user_id: int,
        token_hash: str,
        expires_at: datetime,
        created_at: datetime,
    ) -> VetInvite:
        """Store an invite; `token_hash` is the hex SHA-256 of the token (never the token)."""
        ...

    async def get_by_token_hash(self, token_hash: str) -> VetInvite | None:
        """The invite with this token hash, used or not, expired or not; None if unknown."""
        ...

    async def claim(self, invite_id: int, *, user_id: int, used_at: datetime) -> bool:
        """Mark the invite used by `user_id`, atomically, if it is unused and unexpired at
        `used_at`; True for the one caller that did."""
        ...
