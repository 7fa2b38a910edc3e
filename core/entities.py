"""What repositories return: immutable snapshots of stored rows.

Plain frozen dataclasses, so interactors, dialogs and tests can build and compare them without
a database. Every datetime is timezone-aware UTC; dates without a time (a birth date) are `date`.
JSON-like payloads are `Mapping[str, Any]`; treat them as read-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from core.enums import (
    AccessLevel,
    AppointmentStatus,
    CheckStatus,
    PaymentStatus,
    RecordKind,
    ReminderKind,
    Role,
    Sex,
    SlotStatus,
    Species,
    Urgency,
)
from core.quiet_hours import DEFAULT_QUIET_END, DEFAULT_QUIET_START

DEFAULT_TIME_ZONE = "Europe/Moscow"


@dataclass(frozen=True, slots=True)
class User:
    id: int  # internal primary key
    telegram_id: int
    first_name: str
    username: str | None
    language: str | None  # locale the user chose ("ru"/"en"); None = not chosen yet
    time_zone: str  # IANA name, default "Europe/Moscow"
    roles: frozenset[Role]
    consented_at: datetime | None  # aware UTC
    created_at: datetime  # aware UTC
    # When a message to them came back "bot was blocked" (or they blocked it); None = reachable.
    # Cleared by their next update. Notices to other people skip them meanwhile.
    blocked_bot_at: datetime | None = None
    # When they chose `time_zone` themselves; None: not yet, so their language's likely zone
    # applies (core.time_zones.effective_time_zone) and the first time a time matters they
    # are asked once.
    time_zone_chosen_at: datetime | None = None
    # Reminder settings (/reminders): kinds switched off, and local quiet hours (equal = none).
    reminder_kinds_off: frozenset[ReminderKind] = frozenset()
    quiet_hours_start: time = DEFAULT_QUIET_START
    quiet_hours_end: time = DEFAULT_QUIET_END


@dataclass(frozen=True, slots=True)
class Pet:
    id: int
    name: str
    species: Species
    breed: str | None
    sex: Sex
    neutered: bool | None  # None = the owner does not know
    # An approximate age is stored as an estimated birth date with the flag set, so the age
    # keeps growing by itself instead of freezing at the value typed in.
    birth_date: date | None
    birth_date_is_approximate: bool
    weight_grams: int | None  # the latest known weight; the history lives in records
    photo_file_id: str | None  # Telegram file_id, to re-send without uploading
    photo_key: str | None  # BlobStorage key of our own copy
    allergies: str | None
    chronic_conditions: str | None
    archived_at: datetime | None
    created_at: datetime
    microchip: str | None = None  # ISO 11784: 15 digits (core.microchip)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


@dataclass(frozen=True, slots=True)
class AccessiblePet:
    """A pet as seen by one user: the pet and that user's access level to it."""

    pet: Pet
    level: AccessLevel


@dataclass(frozen=True, slots=True)
class PetAccess:
    pet_id: int
    user_id: int
    level: AccessLevel
    granted_by_user_id: int | None
    granted_at: datetime


@dataclass(frozen=True, slots=True)
class MedicalRecord:
    id: int
    pet_id: int
    kind: RecordKind
    title: str
    occurred_at: datetime
    details: str | None
    # Kind-specific fields (vaccine name and batch, dose, weight in grams, check id, ...).
    data: Mapping[str, Any]
    next_due_at: datetime | None  # e.g. the next vaccination; drives reminders
    author_user_id: int | None
    attachment_key: str | None  # BlobStorage key of a document or photo
    attachment_content_type: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Vet:
    id: int
    user_id: int
    display_name: str
    bio: str | None
    species: frozenset[Species]
    languages: frozenset[str]  # locales the vet consults in ("ru", "en")
    price_amount: int  # minor units of `currency`; Telegram Stars (XTR) are whole numbers
    currency: str
    consultation_minutes: int
    time_zone: str  # IANA name; the availability template is in this zone
    photo_key: str | None
    is_active: bool
    created_at: datetime
    # The profile the vet fills after accepting an invite (core.interactors.vets). Defaults
    # keep older callers working; owners see a vet only once an admin has verified it.
    specialisations: str | None = None
    years_of_practice: int | None = None
    photo_file_id: str | None = None  # Telegram file_id of the profile photo
    submitted_at: datetime | None = None  # the vet finished the profile form
    verified_at: datetime | None = None  # an admin checked the profile

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


@dataclass(frozen=True, slots=True)
class Clinic:
    id: int
    name: str
    city: str
    address: str
    phone: str | None
    website: str | None
    is_24_7: bool
    latitude: float | None
    longitude: float | None
    species: frozenset[Species]  # empty = not specified


@dataclass(frozen=True, slots=True)
class SymptomCheck:
    """One symptom check: the owner's answers and, once triaged, the result.

    `result` is the serialized triage result (see `core.checks`); `notified_at` says the owner
    has been sent the final result, which makes re-delivered queue messages harmless.
    """

    id: int
    pet_id: int
    user_id: int
    status: CheckStatus
    answers: Mapping[str, Any]
    urgency: Urgency | None
    result: Mapping[str, Any] | None
    rules_version: str | None
    model_used: bool
    model_version: str | None
    error: str | None
    attempts: int
    created_at: datetime
    submitted_at: datetime | None
    completed_at: datetime | None
    notified_at: datetime | None


@dataclass(frozen=True, slots=True)
class CheckPhoto:
    id: int
    check_id: int
    position: int
    storage_key: str
    content_type: str
    size_bytes: int
    telegram_file_id: str | None
    # Serialized findings ({"label", "score"} items), None until the model has looked.
    findings: tuple[Mapping[str, Any], ...] | None


# --- sharing and account data (export, erasure) ---------------------------------------------


@dataclass(frozen=True, slots=True)
class PetInvite:
    """A one-time, expiring invitation to a pet. Only a SHA-256 of its token is stored."""

    id: int
    pet_id: int
    created_by_user_id: int
    level: AccessLevel  # co-owner or viewer, never owner
    expires_at: datetime
    used_at: datetime | None
    used_by_user_id: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AppointmentSnapshot:
    """An appointment as the owner's data export shows it."""

    id: int
    pet_id: int
    vet_id: int
    status: str  # an AppointmentStatus value
    reason: str | None
    starts_at: datetime | None  # from the slot
    price_amount: int
    currency: str
    created_at: datetime
    confirmed_at: datetime | None
    cancelled_at: datetime | None
    completed_at: datetime | None


@dataclass(frozen=True, slots=True)
class PaymentSnapshot:
    """A payment as the owner's data export shows it."""

    id: int
    appointment_id: int | None
    amount: int
    currency: str
    status: str  # a PaymentStatus value
    telegram_payment_charge_id: str
    paid_at: datetime
    refunded_at: datetime | None


@dataclass(frozen=True, slots=True)
class ReminderSnapshot:
    """A reminder as the owner's data export shows it."""

    id: int
    pet_id: int | None
    kind: str  # a ReminderKind value
    due_at: datetime
    sent_at: datetime | None
    cancelled_at: datetime | None
    created_at: datetime


# --- booking and payments -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AvailabilityRule:
    """A weekly working window in the vet's own time zone (local wall-clock times)."""

    id: int
    vet_id: int
    weekday: int  # 0 = Monday, as date.weekday()
    start_time: time
    end_time: time


@dataclass(frozen=True, slots=True)
class AvailabilityException:
    """A dated change to the weekly rules: time off, or extra hours (`is_available`)."""

    id: int
    vet_id: int
    starts_at: datetime
    ends_at: datetime
    is_available: bool
    reason: str | None


@dataclass(frozen=True, slots=True)
class ConsultationTiming:
    """How a vet's windows are cut into slots: the consultation, then a pause."""

    consultation_minutes: int
    buffer_minutes: int


@dataclass(frozen=True, slots=True)
class Slot:
    """One bookable time. Whether it is taken is the business of its active appointment."""

    id: int
    vet_id: int
    starts_at: datetime
    ends_at: datetime
    status: SlotStatus
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Appointment:
    """A booking of one slot; `starts_at`/`ends_at` are the slot's, copied for convenience."""

    id: int
    slot_id: int
    vet_id: int
    owner_user_id: int
    pet_id: int
    status: AppointmentStatus
    reason: str | None
    check_id: int | None
    price_amount: int  # minor units of `currency`, fixed when the hold was placed
    currency: str
    starts_at: datetime
    ends_at: datetime
    hold_expires_at: datetime | None
    confirmed_at: datetime | None
    cancelled_at: datetime | None  # also when a no-show was recorded
    completed_at: datetime | None
    vet_joined_at: datetime | None
    created_at: datetime
    # The video call (core.interactors.consultation_lifecycle): each side's first join and, when
    # they are not in the call now, their last leave; when the room was closed, and how long
    # both were in it together. Defaults: most code builds appointments before any call.
    owner_joined_at: datetime | None = None
    owner_left_at: datetime | None = None
    vet_left_at: datetime | None = None
    call_ended_at: datetime | None = None
    duration_seconds: int | None = None
    # Set by a reschedule: refunds stop here, not at the new start's cutoff (money rules).
    refund_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class ConsultationRoom:
    """The video room of one appointment, from the first try to create it until it is closed.

    `provider_room_id` is None until the provider has made the room; `failures` and
    `next_attempt_at` pace the retries; `join_sent_at` / `failure_told_at` record that the
    Join message, or the apology for a room that could not be made, went out (once).
    """

    id: int
    appointment_id: int
    provider: str
    provider_room_id: str | None
    provider_url: str | None
    created_at: datetime
    opened_at: datetime | None
    expires_at: datetime
    closed_at: datetime | None
    failures: int
    last_error: str | None
    next_attempt_at: datetime | None
    join_sent_at: datetime | None
    failure_told_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.provider_room_id is not None and self.closed_at is None


@dataclass(frozen=True, slots=True)
class Payment:
    """A successful payment and its refund state.

    `user_telegram_id` is the payer's Telegram id (refunds need it); None once the payer's
    account was deleted.
    """

    id: int
    appointment_id: int | None
    user_id: int | None
    user_telegram_id: int | None
    telegram_payment_charge_id: str
    provider_payment_charge_id: str | None
    invoice_payload: str
    amount: int
    currency: str
    status: PaymentStatus
    paid_at: datetime
    refunded_at: datetime | None
    refund_error: str | None


@dataclass(frozen=True, slots=True)
class VetInvite:
    """A one-time, expiring invitation to become a vet. Only a SHA-256 of its token is stored."""

    id: int
    created_by_user_id: int
    expires_at: datetime
    used_at: datetime | None
    used_by_user_id: int | None
    created_at: datetime


class ReportStatus(StrEnum):
    """A consultation report is the vet's draft until submitted; amendments follow, never edits.
    Stored verbatim, like core.enums."""

    DRAFT = "draft"
    SUBMITTED = "submitted"


@dataclass(frozen=True, slots=True)
class Prescription:
    drug: str
    dose: str | None = None
    frequency: str | None = None  # how often
    duration: str | None = None  # for how long


@dataclass(frozen=True, slots=True)
class ReportContent:
    """What the vet writes for the owner: one version of a report (the original, or an
    amendment's full new version). Every field may be empty in a draft."""

    assessment: str | None = None
    diagnosis: str | None = None
    recommendations: str | None = None
    prescriptions: tuple[Prescription, ...] = ()
    follow_up_on: date | None = None
    in_person_visit: bool = False


@dataclass(frozen=True, slots=True)
class ReportAmendment:
    """A later version of a submitted report, with why and when; the original stays."""

    id: int
    report_id: int
    note: str
    content: ReportContent
    amended_at: datetime
    author_user_id: int | None


@dataclass(frozen=True, slots=True)
class ConsultationReport:
    """The vet's report of one appointment (one per appointment).

    `content` is the version as submitted (or the draft so far); `amendments` come oldest
    first and the newest is the current version. `notes` are the vet's own, never shown to
    the owner. `record_id` is the medical card entry made on submission.
    """

    id: int
    appointment_id: int
    pet_id: int
    vet_id: int
    status: ReportStatus
    notes: str | None
    content: ReportContent
    record_id: int | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    amendments: tuple[ReportAmendment, ...] = ()

    @property
    def current(self) -> ReportContent:
        return self.amendments[-1].content if self.amendments else self.content

    @property
    def amended_at(self) -> datetime | None:
        return self.amendments[-1].amended_at if self.amendments else None
