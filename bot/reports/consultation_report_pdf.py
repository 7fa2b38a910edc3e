"""The vet's consultation report as a PDF (fpdf2, DejaVu Sans), in the reader's language.

Like the medical card (bot/reports/pet_card_pdf.py): Russian needs the Unicode font, and
without it the renderer raises `ReportUnavailableError`; the labels are looked up on the event
loop (Fluent, through the locales' own core) and only the layout runs in a worker thread. The
vet's and the owner's words are drawn as they were written, never through Fluent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

from aiogram_i18n.cores import FluentRuntimeCore

from bot.reports.pet_card_pdf import BOLD_FONT, DEJAVU_DIR, REGULAR_FONT
from core.locales import resolve_locale
from core.markup import plain_text
from core.ports.consultation_reports import ReportDocument
from core.ports.reports import ReportUnavailableError
from dialogs.widgets.zone_labels import zone_text

_FAMILY: Final = "dejavu"
# Columns of the prescriptions table, in percent of the text width.
_PRESCRIPTION_COLUMNS: Final = (34, 22, 22, 22)


@dataclass
class _Layout:
    """The report's words, already translated: what the worker thread draws."""

    title: str
    author: str
    facts: list[str] = field(default_factory=list)
    sections: list[tuple[str, str]] = field(default_factory=list)  # heading, text
    prescriptions_heading: str = ""
    prescription_header: tuple[str, str, str, str] = ("", "", "", "")
    prescriptions: list[tuple[str, str, str, str]] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)  # follow-up, in-person visit
    amendments_heading: str = ""
    amendments: list[str] = field(default_factory=list)
    footer: str = ""


class FpdfConsultationReportRenderer:
    """`core.ports.consultation_reports.ConsultationReportRenderer` on fpdf2 with DejaVu Sans."""

    def __init__(self, texts: FluentRuntimeCore, font_dir: Path = DEJAVU_DIR) -> None:
        self._texts = texts
        self._regular = font_dir / REGULAR_FONT
        self._bold = font_dir / BOLD_FONT

    async def render(self, document: ReportDocument, language: str | None) -> bytes:
        if not (self._regular.is_file() and self._bold.is_file()):
            raise ReportUnavailableError(f"font not found: {self._regular} (fonts-dejavu-core)")
        locale = resolve_locale(language, None)

        def t(message_id: str, /, **args: Any) -> str:
            # A PDF has no parse mode: the words as a reader sees them.
            return plain_text(self._texts.get(message_id, locale, **args))

        def zone_at(at: datetime) -> str:
            # "МСК (UTC+3)", as in the chat: an IANA name tells a reader little.
            return plain_text(zone_text(self._texts, document.time_zone, at, locale))

        return await asyncio.to_thread(self._draw, _layout(document, t, zone_at))

    def _draw(self, layout: _Layout) -> bytes:
        # Imported on first use: processes that never print skip loading it.
        from fpdf import FPDF
        from fpdf.fonts import TTFFont

        pdf = FPDF(format="A4")
        pdf.set_author(layout.author)
        pdf.set_title(layout.title)
        pdf.add_font(_FAMILY, "", str(self._regular))
        pdf.add_font(_FAMILY, "B", str(self._bold))
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.add_page()
        font = pdf.fonts[_FAMILY]
        # The characters the font has: emoji and the like would print as empty boxes.
        known = font.cmap if isinstance(font, TTFFont) else {}

        def printable(text: str) -> str:
            return "".join(
                " " if ch in "\u202f\u00a0" else ch
                for ch in text
                if ord(ch) in known or ch in "\n"
            ).strip()

        def paragraph(text: str, size: int = 11, style: str = "", height: float = 6) -> None:
            pdf.set_font(_FAMILY, style, size)
            pdf.multi_cell(0, height, printable(text), new_x="LMARGIN", new_y="NEXT")

        paragraph(layout.title, 16, "B", 9)
        pdf.ln(2)
        for line in layout.facts:
            paragraph(line)
        for heading, text in layout.sections:
            pdf.ln(3)
            paragraph(heading, 13, "B", 8)
            paragraph(text, 11, "", 5.5)
        if layout.prescriptions:
            pdf.ln(3)
            paragraph(layout.prescriptions_heading, 13, "B", 8)
            pdf.set_font(_FAMILY, "", 10)
            with pdf.table(col_widths=_PRESCRIPTION_COLUMNS, text_align="LEFT") as table:
                header = table.row()
                for text in layout.prescription_header:
                    header.cell(printable(text))
                for values in layout.prescriptions:
                    row = table.row()
                    for text in values:
                        row.cell(printable(text))
        if layout.closing:
            pdf.ln(3)
            for line in layout.closing:
                paragraph(line)
        if layout.amendments:
            pdf.ln(3)
            paragraph(layout.amendments_heading, 13, "B", 8)
            for line in layout.amendments:
                paragraph(line, 10, "", 5)
        pdf.ln(6)
        paragraph(layout.footer, 8, "", 5)
        return bytes(pdf.output())


def _layout(document: ReportDocument, t: Any, zone_at: Callable[[datetime], str]) -> _Layout:
    zone = ZoneInfo(document.time_zone)

    def day(value: date) -> str:
        return str(t("lbl-report-pdf-date", date=value))

    def moment(value: datetime) -> str:
        local = value.astimezone(zone)
        return str(
            t(
                "lbl-report-pdf-moment",
                date=local.date(),
                time=f"{local:%H:%M}",
                zone=zone_at(value),
            )
        )

    content = document.content
    layout = _Layout(
        title=t("lbl-report-pdf-title", pet=document.pet_name or "—"),
        author=t("lbl-report-pdf-author"),
    )
    if document.pet_species is not None:
        layout.facts.append(
            t("lbl-report-pdf-pet", pet=document.pet_name or "—", species=document.pet_species)
        )
    if document.owner_name:
        layout.facts.append(t("lbl-report-pdf-owner", owner=document.owner_name))
    layout.facts.append(t("lbl-report-pdf-vet", vet=document.vet_name))
    layout.facts.append(t("lbl-report-pdf-held", when=moment(document.starts_at)))
    for key, text in (
        ("lbl-report-assessment", content.assessment),
        ("lbl-report-diagnosis", content.diagnosis),
        ("lbl-report-recommendations", content.recommendations),
    ):
        if text:
            layout.sections.append((t(key), text))
    layout.prescriptions_heading = t("lbl-report-prescriptions")
    layout.prescription_header = (
        t("lbl-report-drug"),
        t("lbl-report-dose"),
        t("lbl-report-frequency"),
        t("lbl-report-duration"),
    )
    layout.prescriptions = [
        (row.drug, row.dose or "—", row.frequency or "—", row.duration or "—")
        for row in content.prescriptions
    ]
    if content.follow_up_on is not None:
        layout.closing.append(t("lbl-report-follow-up", date=day(content.follow_up_on)))
    layout.closing.append(
        t("lbl-report-in-person", needed="yes" if content.in_person_visit else "no")
    )
    layout.amendments_heading = t("lbl-report-pdf-amendments")
    layout.amendments = [
        t("lbl-report-pdf-amendment", when=moment(when), note=note)
        for when, note in document.amendments
    ]
    layout.footer = t(
        "lbl-report-pdf-footer",
        submitted=moment(document.submitted_at),
        generated=moment(document.generated_at),
    )
    return layout
