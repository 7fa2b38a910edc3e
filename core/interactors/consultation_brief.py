"""An appointment as the Mini App shows it, and the vet's brief before the consultation.

The brief is what `/queue` could not show: the pet's card (profile, allergies, chronic
conditions, current medications, vaccinations with their next dose, weights over time), the
owner's reason, and the symptom check the owner attached, with every answer, the level, the
rules that fired and the photos with what the photo model found in them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from core.checks import (
    ANSWER_DETAILS,
    ANSWER_REASON,
    ANSWER_SIGNS,
    PhotoAnalysis,
    result_from_json,
)
from core.clock import Clock
from core.consultation_errors import ConsultationAccessDeniedError, ConsultationNotFoundError
from core.entities import Appointment, CheckPhoto, Pet, SymptomCheck, Vet
from core.interactors.consultation_access import AppointmentAccess, ConsultationAccessGuard
from core.interactors.consultation_card import PetCardSummary, load_card, reader_today
from core.ports.repositories import (
    MedicalRecordRepository,
    PetRepository,
    SymptomCheckRepository,
    VetRepository,
)
from core.triage import DetailValue, TriageResult


@dataclass(frozen=True, slots=True)
class ConsultationOverview:
    access: AppointmentAccess
    pet: Pet
    vet: Vet | None  # None once the vet's profile is gone


@dataclass(frozen=True, slots=True)
class CheckBrief:
    """The attached symptom check as the vet reads it."""

    check: SymptomCheck
    signs: tuple[str, ...]
    details: Mapping[str, DetailValue]
    owner_words: str | None  # what the owner typed, when the check started from a message
    result: TriageResult | None  # None while a check has no result yet
    analysis: PhotoAnalysis | None
    photos: tuple[CheckPhoto, ...]  # in the order the owner sent them


@dataclass(frozen=True, slots=True)
class ConsultationBrief:
    access: AppointmentAccess
    card: PetCardSummary
    check: CheckBrief | None


class GetConsultationOverview:
    """What the appointment is, the caller's role in it, and whether the call is open."""

    def __init__(
        self, guard: ConsultationAccessGuard, pets: PetRepository, vets: VetRepository
    ) -> None:
        self._guard = guard
        self._pets = pets
        self._vets = vets

    async def __call__(self, telegram_id: int, appointment_id: int) -> ConsultationOverview:
        access = await self._guard.appointment(telegram_id, appointment_id)
        pet = await _pet_of(self._pets, access.appointment)
        return ConsultationOverview(access, pet, await self._vets.get(access.appointment.vet_id))


class GetConsultationBrief:
    """The vet's brief: for the booked vet inside the brief window, and for admins."""

    def __init__(
        self,
        guard: ConsultationAccessGuard,
        pets: PetRepository,
        records: MedicalRecordRepository,
        checks: SymptomCheckRepository,
        clock: Clock,
    ) -> None:
        self._guard = guard
        self._pets = pets
        self._records = records
        self._checks = checks
        self._clock = clock

    async def __call__(self, telegram_id: int, appointment_id: int) -> ConsultationBrief:
        access = await self._guard.appointment(telegram_id, appointment_id)
        if not access.may_read_brief:
            raise ConsultationAccessDeniedError(f"brief of appointment {appointment_id}", "read")
        pet = await _pet_of(self._pets, access.appointment)
        today = reader_today(self._clock, access.caller.time_zone)
        card = await load_card(self._records, pet, today)
        return ConsultationBrief(access, card, await self._check(access.appointment))

    async def _check(self, appointment: Appointment) -> CheckBrief | None:
        if appointment.check_id is None:
            return None
        check = await self._checks.get(appointment.check_id)
        # Booking attaches only the pet's own checks; a mismatch would show another pet's.
        if check is None or check.pet_id != appointment.pet_id:
            return None
        result, analysis = (
            result_from_json(check.result) if check.result is not None else (None, None)
        )
        owner_words = check.answers.get(ANSWER_REASON)
        return CheckBrief(
            check=check,
            signs=tuple(str(sign) for sign in check.answers.get(ANSWER_SIGNS, ())),
            details=dict(check.answers.get(ANSWER_DETAILS, {})),
            owner_words=owner_words if isinstance(owner_words, str) else None,
            result=result,
            analysis=analysis,
            photos=tuple(await self._checks.list_photos(check.id)),
        )


async def _pet_of(pets: PetRepository, appointment: Appointment) -> Pet:
    # Deleting a pet deletes its appointments; a pet gone mid-request reads as gone.
    pet = await pets.get(appointment.pet_id)
    if pet is None:
        raise ConsultationNotFoundError(f"appointment {appointment.id}")
    return pet
