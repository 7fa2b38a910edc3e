"""Where consultation reports are kept, and how one becomes a PDF.

One report per appointment; amendments are rows of their own, never edits of the submitted
version. The repository never commits: the interactor owns the transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from core.entities import ConsultationReport, ReportAmendment, ReportContent


class ConsultationReportRepository(Protocol):
    """Reports and their amendments, with the medical card entry each one keeps current."""

    async def get_for_appointment(self, appointment_id: int) -> ConsultationReport | None:
        """The report with its amendments (oldest first), or None before the first save."""
        ...

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
        """Insert or overwrite the draft; None when the report is submitted already (a
        submit won meanwhile: the draft never overwrites a submitted report)."""
        ...

    async def mark_submitted(
        self,
        appointment_id: int,
        *,
        notes: str | None,
        content: ReportContent,
        record_id: int,
        at: datetime,
    ) -> bool:
        """Draft → submitted with this final content, atomically; False when it is submitted
        already (of two racing submits exactly one gets True). The draft row must exist."""
        ...

    async def add_amendment(
        self,
        report_id: int,
        *,
        note: str,
        content: ReportContent,
        author_user_id: int | None,
        at: datetime,
    ) -> ReportAmendment:
        """Store a new version of a submitted report."""
        ...

    async def update_card_record(
        self, record_id: int, *, title: str, data: Mapping[str, Any]
    ) -> None:
        """Make the report's medical card entry show its current version. The entry belongs
        to the report (owners cannot edit or delete it), so the report's repository writes it."""
        ...

    async def list_submitted_for_pet(self, pet_id: int) -> list[ConsultationReport]:
        """The pet's submitted reports with their amendments, oldest consultation first."""
        ...


@dataclass(frozen=True, slots=True)
class ReportDocument:
    """What the report's PDF shows, decided in core; the renderer only lays it out."""

    appointment_id: int
    pet_name: str | None  # None once the pet was deleted
    pet_species: str | None
    owner_name: str | None
    vet_name: str
    starts_at: datetime
    content: ReportContent  # the current version
    submitted_at: datetime
    amendments: tuple[tuple[datetime, str], ...]  # (when, why), oldest first
    time_zone: str  # the reader's IANA zone: instants print as their local time
    generated_at: datetime


class ConsultationReportRenderer(Protocol):
    """Renders a report as a PDF in the reader's language; never blocks the event loop."""

    async def render(self, document: ReportDocument, language: str | None) -> bytes:
        """The PDF's bytes; `language` is the reader's stored choice (None: the default).
        Raises `core.ports.reports.ReportUnavailableError` when it cannot render at all."""
        ...
