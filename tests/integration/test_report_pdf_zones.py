"""The consultation report's PDF names the reader's zone as the chat does ("МСК (UTC+3)"), at
each instant's own offset (a summer consultation amended in winter), never the IANA name.

Integration: the real renderer (fpdf2 with Debian's DejaVu fonts) and the real locales; the
text is read back from the PDF with pypdf."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from aiogram_i18n.cores import FluentRuntimeCore
from pypdf import PdfReader

from bot.reports.consultation_report_pdf import FpdfConsultationReportRenderer
from bot.reports.pet_card_pdf import DEJAVU_DIR, REGULAR_FONT
from core.entities import ReportContent
from core.ports.consultation_reports import ReportDocument
from tests.conftest import service_unavailable
from tests.support.chatting import load_texts

SUMMER = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
WINTER = datetime(2026, 12, 1, 15, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


def _document(time_zone: str) -> ReportDocument:
    return ReportDocument(
        appointment_id=1,
        pet_name="Мурзик",
        pet_species="cat",
        owner_name="Anna",
        vet_name="Dr Ivanova",
        starts_at=SUMMER,
        content=ReportContent(diagnosis="Mild gastritis"),
        submitted_at=SUMMER,
        amendments=((WINTER, "Dose corrected"),),
        time_zone=time_zone,
        generated_at=WINTER,
    )


async def _text(texts: FluentRuntimeCore, time_zone: str, language: str) -> str:
    if not (DEJAVU_DIR / REGULAR_FONT).is_file():
        service_unavailable("the DejaVu fonts are not installed (fonts-dejavu-core)")
    pdf = await FpdfConsultationReportRenderer(texts).render(_document(time_zone), language)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


async def test_moscow_reads_msk_in_russian(texts: FluentRuntimeCore) -> None:
    text = await _text(texts, "Europe/Moscow", "ru")
    assert "12:00 МСК (UTC+3)" in text  # the consultation
    assert "18:30 МСК (UTC+3)" in text  # the amendment and the footer
    assert "Europe/Moscow" not in text


async def test_each_instant_has_its_own_offset(texts: FluentRuntimeCore) -> None:
    text = await _text(texts, "America/New_York", "en")
    assert "05:00 EDT (UTC−4)" in text  # summer
    assert "10:30 EST (UTC−5)" in text  # winter
    assert "America/New_York" not in text
