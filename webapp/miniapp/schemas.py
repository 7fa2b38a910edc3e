"""What the Mini App API answers: small, typed JSON, built from core's results.

Instants are aware UTC datetimes (pydantic writes ISO-8601 with `Z`); calendar dates (a birth
date, a vaccination day) are ISO dates. Files appear as URLs of the authorized file routes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from core.checks import PhotoAnalysis
from core.entities import CheckPhoto, Pet
from core.enums import AppointmentStatus, Sex, Species, Urgency
from core.interactors.consultation_access import (
    AppointmentAccess,
    CallState,
    ConsultationRole,
    TimeWindow,
)
from core.interactors.consultation_brief import CheckBrief, ConsultationBrief, ConsultationOverview
from core.interactors.consultation_card import (
    DocumentLine,
    DoseLine,
    MedicationLine,
    NoteLine,
    PetCardSummary,
    PetCardView,
    WeightLine,
)
from core.interactors.records import DueItem
from core.miniapp_auth import MAX_INIT_DATA_LENGTH
from webapp.miniapp.urls import check_photo_url, pet_photo_url, record_file_url

DetailValue = bool | int | float | str


class Problem(BaseModel):
    """Every refusal: 401 (sign in again), 403 (not yours), 404 (gone)."""

    detail: str


class SessionRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    # The raw `Telegram.WebApp.initData` string, exactly as the Mini App received it.
    init_data: str = Field(max_length=MAX_INIT_DATA_LENGTH)


class SessionResponse(BaseModel):
    token: str
    user_id: int  # the Telegram user id


class Window(BaseModel):
    opens_at: datetime
    closes_at: datetime

    @classmethod
    def of(cls, window: TimeWindow) -> Window:
        return cls(opens_at=window.opens_at, closes_at=window.closes_at)


class CallOut(Window):
    state: CallState
    may_join: bool


class BriefOut(Window):
    may_read: bool


class PetRef(BaseModel):
    id: int
    name: str
    species: Species


class VetRef(BaseModel):
    id: int
    display_name: str


class AppointmentOut(BaseModel):
    id: int
    status: AppointmentStatus
    role: ConsultationRole
    starts_at: datetime
    ends_at: datetime
    reason: str | None
    pet: PetRef
    vet: VetRef | None
    call: CallOut
    brief: BriefOut
    may_read_records: bool

    @classmethod
    def of(cls, overview: ConsultationOverview) -> AppointmentOut:
        access = overview.access
        appointment = access.appointment
        return cls(
            id=appointment.id,
            status=appointment.status,
            role=access.role,
            starts_at=appointment.starts_at,
            ends_at=appointment.ends_at,
            reason=appointment.reason,
            pet=PetRef(id=overview.pet.id, name=overview.pet.name, species=overview.pet.species),
            vet=(
                VetRef(id=overview.vet.id, display_name=overview.vet.display_name)
                if overview.vet is not None
                else None
            ),
            call=_call(access),
            brief=BriefOut(
                opens_at=access.brief_window.opens_at,
                closes_at=access.brief_window.closes_at,
                may_read=access.may_read_brief,
            ),
            may_read_records=access.may_read_records,
        )


def _call(access: AppointmentAccess) -> CallOut:
    return CallOut(
        opens_at=access.call_window.opens_at,
        closes_at=access.call_window.closes_at,
        state=access.call,
        may_join=access.may_join_call,
    )


# --- the pet's card -----------------------------------------------------------------------------


class PetProfile(BaseModel):
    id: int
    name: str
    species: Species
    breed: str | None
    sex: Sex
    neutered: bool | None
    birth_date: date | None
    birth_date_is_approximate: bool
    age_months: int | None
    weight_grams: int | None  # the latest known weight
    # Free-text notes on the profile; the card's entries are listed separately.
    allergies_note: str | None
    chronic_conditions_note: str | None
    archived: bool
    photo_url: str | None

    @classmethod
    def of(cls, pet: Pet, age_months: int | None) -> PetProfile:
        return cls(
            id=pet.id,
            name=pet.name,
            species=pet.species,
            breed=pet.breed,
            sex=pet.sex,
            neutered=pet.neutered,
            birth_date=pet.birth_date,
            birth_date_is_approximate=pet.birth_date_is_approximate,
            age_months=age_months,
            weight_grams=pet.weight_grams,
            allergies_note=pet.allergies,
            chronic_conditions_note=pet.chronic_conditions,
            archived=pet.is_archived,
            photo_url=pet_photo_url(pet.id) if pet.photo_key else None,
        )


class DueOut(BaseModel):
    record_id: int
    kind: str
    title: str
    given_on: date
    next_due: date
    overdue: bool
    days_left: int

    @classmethod
    def of(cls, item: DueItem) -> DueOut:
        return cls(
            record_id=item.record_id,
            kind=item.kind.value,
            title=item.title,
            given_on=item.given_on,
            next_due=item.next_due,
            overdue=item.overdue,
            days_left=item.days_left,
        )


class DoseOut(BaseModel):
    record_id: int
    product: str
    given_on: date
    next_due: date | None
    overdue: bool

    @classmethod
    def of(cls, line: DoseLine) -> DoseOut:
        return cls(
            record_id=line.record_id,
            product=line.product,
            given_on=line.given_on,
            next_due=line.next_due,
            overdue=line.overdue,
        )


class NoteOut(BaseModel):
    record_id: int
    title: str
    date: date
    note: str | None

    @classmethod
    def of(cls, line: NoteLine) -> NoteOut:
        return cls(record_id=line.record_id, title=line.title, date=line.day, note=line.note)


class MedicationOut(BaseModel):
    record_id: int
    drug: str
    dose: str | None
    schedule: str | None
    start: date
    end: date | None
    current: bool

    @classmethod
    def of(cls, line: MedicationLine) -> MedicationOut:
        return cls(
            record_id=line.record_id,
            drug=line.drug,
            dose=line.dose,
            schedule=line.schedule,
            start=line.start,
            end=line.end,
            current=line.current,
        )


class WeightOut(BaseModel):
    record_id: int
    measured_on: date
    grams: int

    @classmethod
    def of(cls, line: WeightLine) -> WeightOut:
        return cls(record_id=line.record_id, measured_on=line.measured_on, grams=line.grams)


class DocumentOut(BaseModel):
    record_id: int
    title: str
    date: date
    content_type: str
    url: str

    @classmethod
    def of(cls, line: DocumentLine) -> DocumentOut:
        return cls(
            record_id=line.record_id,
            title=line.title,
            date=line.day,
            content_type=line.content_type,
            url=record_file_url(line.record_id),
        )


class PetCardOut(BaseModel):
    """The Records screen: the pet's card, read-only."""

    role: ConsultationRole
    pet: PetProfile
    due: list[DueOut]
    vaccinations: list[DoseOut]
    parasite_treatments: list[DoseOut]
    allergies: list[NoteOut]
    chronic_conditions: list[NoteOut]
    medications: list[MedicationOut]
    procedures: list[NoteOut]
    weights: list[WeightOut]  # oldest first
    documents: list[DocumentOut]

    @classmethod
    def of(cls, view: PetCardView) -> PetCardOut:
        card = view.card
        return cls(
            role=view.access.role,
            pet=PetProfile.of(card.pet, card.age_months),
            due=[DueOut.of(item) for item in card.due],
            vaccinations=[DoseOut.of(line) for line in card.vaccinations],
            parasite_treatments=[DoseOut.of(line) for line in card.parasite_treatments],
            allergies=[NoteOut.of(line) for line in card.allergies],
            chronic_conditions=[NoteOut.of(line) for line in card.chronic_conditions],
            medications=[MedicationOut.of(line) for line in card.medications],
            procedures=[NoteOut.of(line) for line in card.procedures],
            weights=[WeightOut.of(line) for line in card.weights],
            documents=[DocumentOut.of(line) for line in card.documents],
        )


# --- the vet's brief ----------------------------------------------------------------------------


class FindingOut(BaseModel):
    label: str
    score: float


class CheckPhotoOut(BaseModel):
    position: int
    url: str
    content_type: str
    # What the photo model saw; None when it has not looked (no model, or not yet).
    findings: list[FindingOut] | None

    @classmethod
    def of(cls, photo: CheckPhoto) -> CheckPhotoOut:
        return cls(
            position=photo.position,
            url=check_photo_url(photo.check_id, photo.position),
            content_type=photo.content_type,
            findings=(
                [_finding(finding) for finding in photo.findings]
                if photo.findings is not None
                else None
            ),
        )


def _finding(raw: Mapping[str, Any]) -> FindingOut:
    score = raw.get("score")
    return FindingOut(
        label=str(raw.get("label", "")),
        score=float(score) if isinstance(score, int | float) else 0.0,
    )


class FiredRuleOut(BaseModel):
    rule_id: str
    level: Urgency
    source: str
    signs: list[str]
    finding: str | None
    summary: str


class SymptomCheckOut(BaseModel):
    id: int
    submitted_at: datetime | None
    # Every answer: the signs ticked, the follow-up answers by question, the owner's words.
    signs: list[str]
    details: dict[str, DetailValue]
    owner_words: str | None
    urgency: Urgency | None
    reasons: list[str]
    fired_rules: list[FiredRuleOut]
    rules_version: str | None
    photo_analysis: PhotoAnalysis | None
    model_used: bool
    photos: list[CheckPhotoOut]

    @classmethod
    def of(cls, brief: CheckBrief) -> SymptomCheckOut:
        result = brief.result
        return cls(
            id=brief.check.id,
            submitted_at=brief.check.submitted_at,
            signs=list(brief.signs),
            details={key: _detail(value) for key, value in brief.details.items()},
            owner_words=brief.owner_words,
            urgency=result.urgency if result is not None else brief.check.urgency,
            reasons=list(result.reasons) if result is not None else [],
            fired_rules=[
                FiredRuleOut(
                    rule_id=rule.rule_id,
                    level=rule.level,
                    source=rule.source,
                    signs=list(rule.signs),
                    finding=rule.finding,
                    summary=rule.summary,
                )
                for rule in (result.fired if result is not None else ())
            ],
            rules_version=result.rules_version if result is not None else None,
            photo_analysis=brief.analysis,
            model_used=brief.check.model_used,
            photos=[CheckPhotoOut.of(photo) for photo in brief.photos],
        )


def _detail(value: object) -> DetailValue:
    # Stored answers are JSON the dialog wrote (DetailValue); anything else is shown as text.
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


class ConsultationBriefOut(BaseModel):
    """What the vet reads before the call."""

    appointment_id: int
    starts_at: datetime
    ends_at: datetime
    reason: str | None  # the owner's reason, as typed when booking
    pet: PetProfile
    allergies: list[NoteOut]
    chronic_conditions: list[NoteOut]
    current_medications: list[MedicationOut]
    vaccinations: list[DoseOut]
    due: list[DueOut]
    weights: list[WeightOut]  # oldest first
    symptom_check: SymptomCheckOut | None

    @classmethod
    def of(cls, brief: ConsultationBrief) -> ConsultationBriefOut:
        appointment = brief.access.appointment
        card: PetCardSummary = brief.card
        return cls(
            appointment_id=appointment.id,
            starts_at=appointment.starts_at,
            ends_at=appointment.ends_at,
            reason=appointment.reason,
            pet=PetProfile.of(card.pet, card.age_months),
            allergies=[NoteOut.of(line) for line in card.allergies],
            chronic_conditions=[NoteOut.of(line) for line in card.chronic_conditions],
            current_medications=[MedicationOut.of(line) for line in card.current_medications],
            vaccinations=[DoseOut.of(line) for line in card.vaccinations],
            due=[DueOut.of(item) for item in card.due],
            weights=[WeightOut.of(line) for line in card.weights],
            symptom_check=SymptomCheckOut.of(brief.check) if brief.check is not None else None,
        )
