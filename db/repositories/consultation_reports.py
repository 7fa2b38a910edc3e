from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.entities import (
    ConsultationReport,
    Prescription,
    ReportAmendment,
    ReportContent,
    ReportStatus,
)
from db.base import as_utc
from db.models import (
    ConsultationReportAmendmentModel,
    ConsultationReportModel,
    MedicalRecordModel,
)


class SqlConsultationReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get_for_appointment(self, appointment_id: int) -> ConsultationReport | None:
        row = await self._session.scalar(
            sa.select(ConsultationReportModel)
            .where(ConsultationReportModel.appointment_id == appointment_id)
            # Conditional UPDATEs below bypass the identity map: reload what they changed.
            .execution_options(populate_existing=True)
        )
        if row is None:
            return None
        return _to_report(row, await self._amendments([row.id]))

    async def save_draft(
        self,
        *,
        appointment_id: int,
        pet_id: int,
        vet_id: int,
        notes: str | None,
        content: ReportContent,
        at: datetime,
    ) -> ConsultationReport | None:
        values = {"notes": notes, **_columns(content), "updated_at": as_utc(at)}
        updated = await self._session.execute(
            sa.update(ConsultationReportModel)
            .where(
                ConsultationReportModel.appointment_id == appointment_id,
                ConsultationReportModel.status == ReportStatus.DRAFT,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if not updated.rowcount:  # type: ignore[attr-defined]
            row = ConsultationReportModel(
                appointment_id=appointment_id,
                pet_id=pet_id,
                vet_id=vet_id,
                status=ReportStatus.DRAFT,
                created_at=as_utc(at),
                **values,
            )
            try:
                # The unique appointment_id decides between two first saves; a row that is
                # there already (submitted, or another save's) wins.
                async with self._session.begin_nested():
                    self._session.add(row)
            except IntegrityError:
                existing = await self.get_for_appointment(appointment_id)
                if existing is None:  # some other constraint failed: not a duplicate
                    raise
                if existing.status is not ReportStatus.DRAFT:
                    return None
                return await self.save_draft(
                    appointment_id=appointment_id,
                    pet_id=pet_id,
                    vet_id=vet_id,
                    notes=notes,
                    content=content,
                    at=at,
                )
        return await self.get_for_appointment(appointment_id)

    async def mark_submitted(
        self,
        appointment_id: int,
        *,
        notes: str | None,
        content: ReportContent,
        record_id: int,
        at: datetime,
    ) -> bool:
        moment = as_utc(at)
        result = await self._session.execute(
            sa.update(ConsultationReportModel)
            .where(
                ConsultationReportModel.appointment_id == appointment_id,
                ConsultationReportModel.status == ReportStatus.DRAFT,
            )
            .values(
                status=ReportStatus.SUBMITTED,
                notes=notes,
                record_id=record_id,
                submitted_at=moment,
                updated_at=moment,
                **_columns(content),
            )
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def add_amendment(
        self,
        report_id: int,
        *,
        note: str,
        content: ReportContent,
        author_user_id: int | None,
        at: datetime,
    ) -> ReportAmendment:
        row = ConsultationReportAmendmentModel(
            report_id=report_id,
            note=note,
            content=_content_json(content),
            author_user_id=author_user_id,
            amended_at=as_utc(at),
        )
        self._session.add(row)
        await self._session.execute(
            sa.update(ConsultationReportModel)
            .where(ConsultationReportModel.id == report_id)
            .values(updated_at=as_utc(at))
            .execution_options(synchronize_session=False)
        )
        await self._session.flush()
        return _to_amendment(row)

    async def update_card_record(
        self, record_id: int, *, title: str, data: Mapping[str, Any]
    ) -> None:
        await self._session.execute(
            sa.update(MedicalRecordModel)
            .where(MedicalRecordModel.id == record_id)
            .values(title=title, data=dict(data))
            .execution_options(synchronize_session=False)
        )

    async def list_submitted_for_pet(self, pet_id: int) -> list[ConsultationReport]:
        rows = list(
            await self._session.scalars(
                sa.select(ConsultationReportModel)
                .where(
                    ConsultationReportModel.pet_id == pet_id,
                    ConsultationReportModel.status == ReportStatus.SUBMITTED,
                )
                .order_by(ConsultationReportModel.submitted_at, ConsultationReportModel.id)
                .execution_options(populate_existing=True)
            )
        )
        amendments = await self._amendments([row.id for row in rows])
        return [_to_report(row, amendments) for row in rows]

    async def _amendments(self, report_ids: list[int]) -> dict[int, list[ReportAmendment]]:
        found: dict[int, list[ReportAmendment]] = {report_id: [] for report_id in report_ids}
        if not report_ids:
            return found
        rows = await self._session.scalars(
            sa.select(ConsultationReportAmendmentModel)
            .where(ConsultationReportAmendmentModel.report_id.in_(report_ids))
            .order_by(
                ConsultationReportAmendmentModel.amended_at, ConsultationReportAmendmentModel.id
            )
        )
        for row in rows:
            found[row.report_id].append(_to_amendment(row))
        return found


def _prescriptions_json(content: ReportContent) -> list[dict[str, Any]]:
    return [
        {"drug": row.drug, "dose": row.dose, "frequency": row.frequency, "duration": row.duration}
        for row in content.prescriptions
    ]


def _columns(content: ReportContent) -> dict[str, Any]:
    return {
        "assessment": content.assessment,
        "diagnosis": content.diagnosis,
        "recommendations": content.recommendations,
        "prescriptions": _prescriptions_json(content),
        "follow_up_on": content.follow_up_on,
        "in_person_visit": content.in_person_visit,
    }


def _content_json(content: ReportContent) -> dict[str, Any]:
    columns = _columns(content)
    follow_up = content.follow_up_on
    return {**columns, "follow_up_on": follow_up.isoformat() if follow_up else None}


def _prescriptions(rows: Any) -> tuple[Prescription, ...]:
    return tuple(
        Prescription(
            drug=str(row.get("drug") or ""),
            dose=row.get("dose"),
            frequency=row.get("frequency"),
            duration=row.get("duration"),
        )
        for row in (rows or [])
    )


def _to_amendment(row: ConsultationReportAmendmentModel) -> ReportAmendment:
    stored = row.content
    follow_up = stored.get("follow_up_on")
    return ReportAmendment(
        id=row.id,
        report_id=row.report_id,
        note=row.note,
        content=ReportContent(
            assessment=stored.get("assessment"),
            diagnosis=stored.get("diagnosis"),
            recommendations=stored.get("recommendations"),
            prescriptions=_prescriptions(stored.get("prescriptions")),
            follow_up_on=date.fromisoformat(follow_up) if follow_up else None,
            in_person_visit=bool(stored.get("in_person_visit")),
        ),
        amended_at=row.amended_at,
        author_user_id=row.author_user_id,
    )


def _to_report(
    row: ConsultationReportModel, amendments: dict[int, list[ReportAmendment]]
) -> ConsultationReport:
    return ConsultationReport(
        id=row.id,
        appointment_id=row.appointment_id,
        pet_id=row.pet_id,
        vet_id=row.vet_id,
        status=ReportStatus(row.status),
        notes=row.notes,
        content=ReportContent(
            assessment=row.assessment,
            diagnosis=row.diagnosis,
            recommendations=row.recommendations,
            prescriptions=_prescriptions(row.prescriptions),
            follow_up_on=row.follow_up_on,
            in_person_visit=row.in_person_visit,
        ),
        record_id=row.record_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        submitted_at=row.submitted_at,
        amendments=tuple(amendments.get(row.id, ())),
    )
