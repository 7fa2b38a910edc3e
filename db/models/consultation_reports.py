from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.entities import ReportStatus
from db.base import Base, JsonType, UtcDateTime, str_enum, utcnow


class ConsultationReportModel(Base):
    """The vet's report of one appointment (core.interactors.consultation_report).

    One row per appointment (unique): the draft is saved into it, and submitting is a
    conditional UPDATE (`status = 'draft'`), so a double submit completes once. The columns
    hold the version as submitted; amendments are rows of their own.
    """

    __tablename__ = "consultation_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("appointments.id", ondelete="CASCADE"), unique=True
    )
    # Denormalised from the appointment: /export lists a pet's reports.
    pet_id: Mapped[int] = mapped_column(sa.ForeignKey("pets.id", ondelete="CASCADE"), index=True)
    vet_id: Mapped[int] = mapped_column(sa.ForeignKey("vets.id", ondelete="CASCADE"))
    status: Mapped[ReportStatus] = mapped_column(str_enum(ReportStatus))
    notes: Mapped[str | None] = mapped_column(sa.Text)  # the vet's own, never the owner's
    assessment: Mapped[str | None] = mapped_column(sa.Text)
    diagnosis: Mapped[str | None] = mapped_column(sa.Text)
    recommendations: Mapped[str | None] = mapped_column(sa.Text)
    # [{"drug", "dose", "frequency", "duration"}], at most 20 (checked in core).
    prescriptions: Mapped[list[dict[str, Any]]] = mapped_column(JsonType, default=list)
    follow_up_on: Mapped[date | None] = mapped_column(sa.Date)
    in_person_visit: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    # The medical card entry made on submission (the report stays if the entry goes).
    record_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("medical_records.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ConsultationReportAmendmentModel(Base):
    """A later full version of a submitted report, with why and when (append-only)."""

    __tablename__ = "consultation_report_amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation_reports.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str] = mapped_column(sa.Text)
    # The whole version: {"assessment", "diagnosis", "recommendations", "prescriptions",
    # "follow_up_on", "in_person_visit"}.
    content: Mapped[dict[str, Any]] = mapped_column(JsonType)
    author_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    amended_at: Mapped[datetime] = mapped_column(UtcDateTime())
