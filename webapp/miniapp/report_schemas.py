"""What the report routes take and answer (the Mini App's report form and page)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from core.entities import Prescription, ReportAmendment, ReportContent, ReportStatus
from core.interactors.consultation_report import (
    MAX_FIELD_LENGTH,
    MAX_PRESCRIPTION_FIELD_LENGTH,
    MAX_PRESCRIPTIONS,
    DraftChanges,
    ReportView,
)
from core.report_errors import ReportInputError, ReportNotOpenError
from webapp.miniapp.urls import MINIAPP_API_PREFIX


def report_pdf_url(appointment_id: int) -> str:
    return f"{MINIAPP_API_PREFIX}/appointments/{appointment_id}/report.pdf"


# The schema's own bounds are generous on purpose: core checks the real ones and says which
# field broke which (ReportProblemOut); these only keep absurd bodies out.
_TEXT = Field(default=None, max_length=MAX_FIELD_LENGTH * 2)
_CELL = Field(default=None, max_length=MAX_PRESCRIPTION_FIELD_LENGTH * 2)


class PrescriptionIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    drug: str | None = _CELL
    dose: str | None = _CELL
    frequency: str | None = _CELL
    duration: str | None = _CELL

    def to_core(self) -> Prescription:
        return Prescription(
            drug=self.drug or "", dose=self.dose, frequency=self.frequency, duration=self.duration
        )


class ReportContentIn(BaseModel):
    """One version of the report, as the form sends it."""

    model_config = ConfigDict(extra="ignore")

    assessment: str | None = _TEXT
    diagnosis: str | None = _TEXT
    recommendations: str | None = _TEXT
    prescriptions: list[PrescriptionIn] | None = Field(
        default=None, max_length=MAX_PRESCRIPTIONS * 2
    )
    follow_up_on: date | None = None
    in_person_visit: bool | None = None

    def to_core(self) -> ReportContent:
        return ReportContent(
            assessment=self.assessment,
            diagnosis=self.diagnosis,
            recommendations=self.recommendations,
            prescriptions=tuple(row.to_core() for row in self.prescriptions or ()),
            follow_up_on=self.follow_up_on,
            in_person_visit=bool(self.in_person_visit),
        )


class ReportDraftIn(ReportContentIn):
    """Every field optional; the ones left out keep their saved value."""

    notes: str | None = _TEXT

    def to_changes(self) -> DraftChanges:
        return DraftChanges(
            given=frozenset(self.model_fields_set), notes=self.notes, content=self.to_core()
        )


class ReportSubmitIn(ReportContentIn):
    notes: str | None = _TEXT


class ReportAmendmentIn(ReportContentIn):
    """Why the vet amends it, and the full new version."""

    note: str = Field(max_length=MAX_FIELD_LENGTH * 2)


class PrescriptionOut(BaseModel):
    drug: str
    dose: str | None
    frequency: str | None
    duration: str | None


class AmendmentOut(BaseModel):
    amended_at: datetime
    note: str

    @classmethod
    def of(cls, amendment: ReportAmendment) -> AmendmentOut:
        return cls(amended_at=amendment.amended_at, note=amendment.note)


class ReportOut(BaseModel):
    appointment_id: int
    status: ReportStatus
    notes: str | None  # the vet's own notes; null for everyone else
    assessment: str | None
    diagnosis: str | None
    recommendations: str | None
    prescriptions: list[PrescriptionOut]
    follow_up_on: date | None
    in_person_visit: bool
    submitted_at: datetime | None
    amendments: list[AmendmentOut]
    may_edit: bool
    may_amend: bool
    pdf_url: str | None

    @classmethod
    def of(cls, view: ReportView) -> ReportOut:
        content = view.content
        return cls(
            appointment_id=view.appointment_id,
            status=view.status,
            notes=view.notes,
            assessment=content.assessment,
            diagnosis=content.diagnosis,
            recommendations=content.recommendations,
            prescriptions=[
                PrescriptionOut(
                    drug=row.drug, dose=row.dose, frequency=row.frequency, duration=row.duration
                )
                for row in content.prescriptions
            ],
            follow_up_on=content.follow_up_on,
            in_person_visit=content.in_person_visit,
            submitted_at=view.submitted_at,
            amendments=[AmendmentOut.of(item) for item in view.amendments],
            may_edit=view.may_edit,
            may_amend=view.may_amend,
            pdf_url=report_pdf_url(view.appointment_id) if view.has_pdf else None,
        )


class ReportInputProblem(BaseModel):
    """422: which field was refused and why (`required`, `too_long`, `too_many`,
    `in_the_past`), with the bound it broke."""

    detail: str
    field: str
    problem: str
    limit: int | None

    @classmethod
    def of(cls, error: ReportInputError) -> ReportInputProblem:
        return cls(
            detail=str(error), field=error.field, problem=error.problem.value, limit=error.limit
        )


class ReportStateProblem(BaseModel):
    """409: the report cannot change like that now. `state`: `not_open_yet` (with `opens_at`),
    `not_active`, `submitted` (a second submit) or `draft` (an amendment before submitting)."""

    detail: str
    state: str
    opens_at: datetime | None = None

    @classmethod
    def not_open(cls, error: ReportNotOpenError) -> ReportStateProblem:
        return cls(detail=str(error), state=error.state, opens_at=error.opens_at)
