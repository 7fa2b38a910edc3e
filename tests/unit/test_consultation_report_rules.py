"""The report's rules that need no database: validation, draft merging, the card entry."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.entities import ConsultationReport, Prescription, ReportContent, ReportStatus
from core.interactors.consultation_report import (
    DraftChanges,
    card_record_data,
    card_record_title,
    card_report_of,
    check_final,
    normalised,
)
from core.report_errors import ReportInputError, ReportProblem

DAY = date(2025, 6, 2)
GOOD = ReportContent(
    assessment="Alert",
    diagnosis="Strain",
    prescriptions=(Prescription("Meloxicam", "0.1 mg/kg", "daily", "5 days"),),
    follow_up_on=DAY,
)


@pytest.mark.parametrize(
    ("content", "field", "problem"),
    [
        (ReportContent(diagnosis="x"), "assessment", ReportProblem.REQUIRED),
        (ReportContent(assessment="x"), "diagnosis", ReportProblem.REQUIRED),
        (
            ReportContent(assessment="x", diagnosis="y" * 4001),
            "diagnosis",
            ReportProblem.TOO_LONG,
        ),
        (
            ReportContent(assessment="x", diagnosis="y", prescriptions=(Prescription("a"),) * 21),
            "prescriptions",
            ReportProblem.TOO_MANY,
        ),
        (
            ReportContent(assessment="x", diagnosis="y", prescriptions=(Prescription(""),)),
            "prescriptions[0].drug",
            ReportProblem.REQUIRED,
        ),
        (
            ReportContent(assessment="x", diagnosis="y", follow_up_on=date(2025, 6, 1)),
            "follow_up_on",
            ReportProblem.IN_THE_PAST,
        ),
    ],
)
def test_a_final_report_names_the_first_field_it_breaks(
    content: ReportContent, field: str, problem: ReportProblem
) -> None:
    with pytest.raises(ReportInputError) as caught:
        check_final(content, DAY)
    assert (caught.value.field, caught.value.problem) == (field, problem)


def test_a_complete_report_with_a_follow_up_on_the_day_passes() -> None:
    check_final(GOOD, DAY)


def test_blank_text_is_no_text_and_empty_prescription_rows_go() -> None:
    cleaned = normalised(
        ReportContent(assessment="  ", prescriptions=(Prescription(" ", " "), Prescription(" A ")))
    )
    assert cleaned.assessment is None
    assert cleaned.prescriptions == (Prescription("A"),)


def test_a_draft_change_keeps_the_fields_it_does_not_name() -> None:
    stored = ReportContent(assessment="kept", diagnosis="old")
    change = DraftChanges(given=frozenset({"diagnosis"}), content=ReportContent(diagnosis="new"))
    notes, content = change.apply("my notes", stored)
    assert (notes, content.assessment, content.diagnosis) == ("my notes", "kept", "new")


def test_the_card_entry_reads_back_the_current_version_without_notes() -> None:
    at = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)
    report = ConsultationReport(
        id=1,
        appointment_id=2,
        pet_id=3,
        vet_id=4,
        status=ReportStatus.SUBMITTED,
        notes="private",
        content=GOOD,
        record_id=5,
        created_at=at,
        updated_at=at,
        submitted_at=at,
    )
    data = card_record_data(report, "Dr. Vet")
    assert "private" not in str(data)
    read = card_report_of(data)
    assert read.content == GOOD
    assert read.vet_name == "Dr. Vet"
    assert read.amended_at is None


def test_a_long_diagnosis_is_cut_for_the_card_title() -> None:
    title = card_record_title(ReportContent(diagnosis="d" * 1000))
    assert len(title) == 256 and title.endswith("…")
