"""The pet's medical card as a PDF (fpdf2), as a boarding kennel or a border check asks for it.

Russian needs a Unicode font: Debian's DejaVu Sans (package fonts-dejavu-core, which .ci/run
installs). Without it the renderer raises `ReportUnavailableError`, and the chat says the
cards are unavailable instead of printing empty boxes. Every word comes from the caller's
`Translate` (Fluent), in the reader's language; the words are looked up on the event loop and
only the layout runs in a worker thread (fpdf2 is synchronous and CPU-bound).
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

from core.entities import MedicalRecord
from core.enums import RecordKind
from core.interactors.consultation_report import card_report_of
from core.pet_input import age_on, age_words
from core.ports.reports import PetCard, ReportUnavailableError, Translate, VaccinationRow
from core.record_data import DATA_GRAMS

DEJAVU_DIR: Final = Path("/usr/share/fonts/truetype/dejavu")
REGULAR_FONT: Final = "DejaVuSans.ttf"
BOLD_FONT: Final = "DejaVuSans-Bold.ttf"
_FAMILY: Final = "dejavu"
# Column widths of the vaccination table, in percent of the text width.
_VACCINATION_COLUMNS: Final = (40, 20, 20, 20)
_PHOTO_WIDTH_MM: Final = 45

logger = logging.getLogger(__name__)


@dataclass
class _Layout:
    """The card's words, already translated: what the worker thread draws."""

    title: str
    photo: bytes | None = None
    profile: list[str] = field(default_factory=list)
    vaccinations_heading: str = ""
    vaccination_header: tuple[str, str, str, str] = ("", "", "", "")
    vaccination_rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    no_vaccinations: str = ""
    records_heading: str = ""
    records: list[tuple[str, str | None]] = field(default_factory=list)  # heading, details
    no_records: str = ""
    footer: str = ""
    author: str = ""


class FpdfPetCardRenderer:
    """`core.ports.reports.PetCardRenderer` on fpdf2 with DejaVu Sans."""

    def __init__(self, font_dir: Path = DEJAVU_DIR) -> None:
        self._regular = font_dir / REGULAR_FONT
        self._bold = font_dir / BOLD_FONT

    async def render(self, card: PetCard, translate: Translate) -> bytes:
        if not (self._regular.is_file() and self._bold.is_file()):
            raise ReportUnavailableError(f"font not found: {self._regular} (fonts-dejavu-core)")
        layout = _layout(card, translate)
        return await asyncio.to_thread(self._draw, layout)

    def _draw(self, layout: _Layout) -> bytes:
        # Imported on first use: processes that never export skip loading it.
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

        pdf.set_font(_FAMILY, "B", 16)
        pdf.multi_cell(0, 9, printable(layout.title), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        photo_bottom = _place_photo(pdf, layout.photo) if layout.photo is not None else None
        # The profile beside the photo (0: the whole width when there is none).
        text_width = 0.0 if photo_bottom is None else pdf.epw - _PHOTO_WIDTH_MM - 4
        pdf.set_font(_FAMILY, "", 11)
        for line in layout.profile:
            pdf.multi_cell(text_width, 6, printable(line), new_x="LMARGIN", new_y="NEXT")
        if photo_bottom is not None:
            # Below the photo when the profile is shorter than the picture is high.
            pdf.set_y(max(pdf.get_y(), photo_bottom))

        pdf.ln(4)
        pdf.set_font(_FAMILY, "B", 13)
        pdf.cell(0, 8, printable(layout.vaccinations_heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(_FAMILY, "", 10)
        if layout.vaccination_rows:
            with pdf.table(col_widths=_VACCINATION_COLUMNS, text_align="LEFT") as table:
                header = table.row()
                for text in layout.vaccination_header:
                    header.cell(printable(text))
                for values in layout.vaccination_rows:
                    row = table.row()
                    for text in values:
                        row.cell(printable(text))
        else:
            pdf.multi_cell(0, 6, printable(layout.no_vaccinations), new_x="LMARGIN", new_y="NEXT")

        pdf.ln(4)
        pdf.set_font(_FAMILY, "B", 13)
        pdf.cell(0, 8, printable(layout.records_heading), new_x="LMARGIN", new_y="NEXT")
        if not layout.records:
            pdf.set_font(_FAMILY, "", 10)
            pdf.multi_cell(0, 6, printable(layout.no_records), new_x="LMARGIN", new_y="NEXT")
        for heading, details in layout.records:
            pdf.set_font(_FAMILY, "B", 10)
            pdf.multi_cell(0, 6, printable(heading), new_x="LMARGIN", new_y="NEXT")
            if details:
                pdf.set_font(_FAMILY, "", 10)
                pdf.multi_cell(0, 5, printable(details), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)

        pdf.ln(6)
        pdf.set_font(_FAMILY, "", 8)
        pdf.multi_cell(0, 5, printable(layout.footer), new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())


def _place_photo(pdf: Any, photo: bytes) -> float | None:
    """The pet's photo at the top right, returning where it ends; None when fpdf2 cannot read
    the picture (the card is printed without it rather than not at all)."""
    top = pdf.get_y()
    try:
        info = pdf.image(
            io.BytesIO(photo), x=pdf.l_margin + pdf.epw - _PHOTO_WIDTH_MM, y=top, w=_PHOTO_WIDTH_MM
        )
    except Exception:
        logger.warning("pet photo left out of the card", exc_info=True)
        return None
    return float(top + info.rendered_height)


def _heading(record: MedicalRecord, t: Translate) -> str:
    """What an entry is called: a weight by its value, a triage result by its level in the
    reader's words; other entries by the title the owner typed."""
    if record.kind is RecordKind.WEIGHT:
        grams = record.data.get(DATA_GRAMS)
        if isinstance(grams, int):
            return t("lbl-card-weight-value", kg=Decimal(grams) / Decimal(1000))
        return ""
    if record.kind is RecordKind.TRIAGE_RESULT:
        return t("lbl-card-triage-level", urgency=record.title)
    return record.title


def _details(
    record: MedicalRecord, t: Translate, day: Callable[[date], str], zone: ZoneInfo
) -> str | None:
    """A consultation entry prints the vet's report (its current version); others their note."""
    if record.kind is not RecordKind.CONSULTATION_REPORT:
        return record.details
    report = card_report_of(record.data)
    content = report.content
    lines = []
    if report.vet_name:
        lines.append(t("lbl-report-pdf-vet", vet=report.vet_name))
    for key, text in (
        ("lbl-report-diagnosis", content.diagnosis),
        ("lbl-report-assessment", content.assessment),
        ("lbl-report-recommendations", content.recommendations),
    ):
        if text:
            lines.append(f"{t(key)}: {text}")
    if content.prescriptions:
        lines.append(f"{t('lbl-report-prescriptions')}:")
        lines.extend(
            " — ".join(part for part in (row.drug, row.dose, row.frequency, row.duration) if part)
            for row in content.prescriptions
        )
    if content.follow_up_on is not None:
        lines.append(t("lbl-report-follow-up", date=day(content.follow_up_on)))
    if content.in_person_visit:
        lines.append(t("lbl-report-in-person", needed="yes"))
    if report.amended_at is not None:
        lines.append(
            t("lbl-report-card-amended", date=day(report.amended_at.astimezone(zone).date()))
        )
    return "\n".join(lines)


def _next_due(row: VaccinationRow, t: Translate, day: Callable[[date], str]) -> str:
    if row.next_due_on is None:
        return "—"
    if row.overdue:
        return t("lbl-card-vaccine-overdue", date=day(row.next_due_on))
    return day(row.next_due_on)


def _layout(card: PetCard, t: Translate) -> _Layout:
    pet = card.pet
    zone = ZoneInfo(card.time_zone)

    def day(value: date) -> str:
        return t("lbl-card-date", date=value)

    layout = _Layout(
        title=t("lbl-card-title", name=pet.name), author=t("lbl-card-author"), photo=card.photo
    )
    profile = layout.profile
    profile.append(t("lbl-card-species", species=pet.species.value))
    if pet.breed:
        profile.append(t("lbl-card-breed", breed=pet.breed))
    neutered = {True: "yes", False: "no", None: "unknown"}[pet.neutered]
    profile.append(t("lbl-card-sex", sex=pet.sex.value, neutered=neutered))
    if pet.birth_date is not None and pet.birth_date_is_approximate:
        # The owner gave an age, not a date: print the age, never an invented birth date.
        key, args = age_words(age_on(pet.birth_date, card.generated_at.astimezone(zone).date()))
        profile.append(t("lbl-card-age-approximately", age=t(key, **args)))
    elif pet.birth_date is not None:
        profile.append(t("lbl-card-born", born=day(pet.birth_date)))
    if pet.weight_grams is not None:
        profile.append(t("lbl-card-weight", kg=Decimal(pet.weight_grams) / Decimal(1000)))
    if pet.allergies:
        profile.append(t("lbl-card-allergies", allergies=pet.allergies))
    if pet.chronic_conditions:
        profile.append(t("lbl-card-chronic", conditions=pet.chronic_conditions))
    profile.append(t("lbl-card-microchip", number=pet.microchip or "none"))
    if card.owner is not None:
        owner = card.owner
        profile.append(t("lbl-card-owner", name=owner.name, username=owner.username or "none"))

    layout.vaccinations_heading = t("lbl-card-vaccinations")
    layout.vaccination_header = (
        t("lbl-card-vaccine-product"),
        t("lbl-card-vaccine-batch"),
        t("lbl-card-vaccine-date"),
        t("lbl-card-vaccine-next-due"),
    )
    layout.vaccination_rows = [
        (
            row.product,
            row.batch or "—",
            day(row.given_on),
            _next_due(row, t, day),
        )
        for row in card.vaccinations
    ]
    layout.no_vaccinations = t("lbl-card-no-vaccinations")
    layout.records_heading = t("lbl-card-records")
    layout.records = [
        (
            t(
                "lbl-card-record",
                date=day(record.occurred_at.astimezone(zone).date()),
                kind=record.kind.value,
                title=_heading(record, t),
            ),
            _details(record, t, day, zone),
        )
        for record in card.other_records
    ]
    layout.no_records = t("lbl-card-no-records")
    layout.footer = t("lbl-card-generated", date=day(card.generated_at.astimezone(zone).date()))
    return layout
