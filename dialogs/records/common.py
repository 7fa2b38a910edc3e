"""What the medical card dialogs share: data keys, message ids per kind, display helpers."""

from __future__ import annotations

import logging
from typing import Any, Final

from aiogram.fsm.state import State
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext

from core.entities import MedicalRecord
from core.enums import RecordKind
from core.interactors.consultation_report import card_report_of
from core.interactors.records import RecordEntry
from core.markup import Markup
from core.record_data import DATA_GRAMS
from core.record_input import RecordInputError, RecordInputErrorReason
from dialogs.states import RecordFormSG
from dialogs.widgets.events import notify
from dialogs.widgets.weights import weight_text

logger = logging.getLogger(__name__)

# dialog_data / start_data: ids and primitives only (STYLE.md, rule 4).
KEY_RECORD_ID = "record_id"
# A consultation entry's share of the card message, per field (the PDF has them whole).
REPORT_FIELD_LIMITS: Final = {"assessment": 700, "diagnosis": 500, "recommendations": 700}
REPORT_PRESCRIPTIONS: Final = 10
REPORT_PRESCRIPTION_LENGTH: Final = 120
KEY_PAGE = "page"
KEY_PICKED = "picked"  # the pet was chosen in this dialog's picker (so "back" returns there)

# Full message ids, never built from parts: the locale test finds every id used in code.
KIND_LABELS: dict[RecordKind, str] = {
    RecordKind.VACCINATION: "lbl-record-kind-vaccination",
    RecordKind.PARASITE_TREATMENT: "lbl-record-kind-parasite-treatment",
    RecordKind.MEDICATION: "lbl-record-kind-medication",
    RecordKind.PROCEDURE: "lbl-record-kind-procedure",
    RecordKind.ALLERGY: "lbl-record-kind-allergy",
    RecordKind.CHRONIC_CONDITION: "lbl-record-kind-chronic-condition",
    RecordKind.WEIGHT: "lbl-record-kind-weight",
    RecordKind.DOCUMENT: "lbl-record-kind-document",
    RecordKind.TRIAGE_RESULT: "lbl-record-kind-triage-result",
    RecordKind.CONSULTATION_REPORT: "lbl-record-kind-consultation-report",
}
INPUT_ERRORS: dict[RecordInputErrorReason, str] = {
    RecordInputErrorReason.TEXT_EMPTY: "err-record-text-empty",
    RecordInputErrorReason.TEXT_TOO_LONG: "err-record-text-too-long",
    RecordInputErrorReason.DATE_UNREADABLE: "err-record-date-unreadable",
    RecordInputErrorReason.DATE_BAD: "err-record-date-bad",
    RecordInputErrorReason.DATE_IN_FUTURE: "err-record-date-in-future",
    RecordInputErrorReason.DATE_TOO_OLD: "err-record-date-too-old",
    RecordInputErrorReason.DUE_UNREADABLE: "err-record-due-unreadable",
    RecordInputErrorReason.DUE_NOT_AFTER: "err-record-due-not-after",
    RecordInputErrorReason.DUE_TOO_FAR: "err-record-due-too-far",
    RecordInputErrorReason.END_UNREADABLE: "err-record-end-unreadable",
    RecordInputErrorReason.END_BEFORE_START: "err-record-end-before-start",
    RecordInputErrorReason.END_TOO_FAR: "err-record-end-too-far",
    RecordInputErrorReason.BATCH_BAD: "err-record-batch-bad",
    RecordInputErrorReason.TIMES_UNREADABLE: "err-record-times-unreadable",
    RecordInputErrorReason.TIMES_TOO_MANY: "err-record-times-too-many",
}
UNKNOWN_URGENCY = "unknown"

# The form's dialog_data: what each step collected (ISO dates, grams, the stored file's key).
KEY_KIND = "kind"
KEY_TITLE = "title"
KEY_DOSE = "dose"
KEY_SCHEDULE = "schedule"
KEY_GRAMS = "grams"
KEY_DATE = "date"
KEY_COURSE_END = "course_end"
KEY_NEXT_DUE = "next_due"
KEY_NOTE = "note"
KEY_BATCH = "batch"
KEY_DOSE_TIMES = "dose_times"  # a list of "HH:MM"
KEY_ATTACHMENT_KEY = "attachment_key"
KEY_ATTACHMENT_TYPE = "attachment_content_type"
# The product of an earlier entry, offered on the name step of a form started "like it" (the
# reminder's "Done ✓"): confirmed with a tap or replaced by typing, never saved unasked.
KEY_SUGGESTED_TITLE = "suggested_title"

# The steps each kind asks, in order. The date comes before what is counted from it (the next
# dose, the end of a course); a document's file comes first, so a refused file costs nothing.
FORM_STEPS: dict[RecordKind, tuple[State, ...]] = {
    # The batch number last and optional: many owners have no sticker at hand.
    RecordKind.VACCINATION: (
        RecordFormSG.TITLE,
        RecordFormSG.DATE,
        RecordFormSG.NEXT_DUE,
        RecordFormSG.BATCH,
    ),
    RecordKind.PARASITE_TREATMENT: (
        RecordFormSG.TITLE,
        RecordFormSG.DATE,
        RecordFormSG.NEXT_DUE,
    ),
    RecordKind.MEDICATION: (
        RecordFormSG.TITLE,
        RecordFormSG.DOSE,
        RecordFormSG.SCHEDULE,
        RecordFormSG.DATE,
        RecordFormSG.COURSE_END,
        # Last: the reminders close the form, once the course's days are known.
        RecordFormSG.DOSE_TIMES,
    ),
    RecordKind.PROCEDURE: (RecordFormSG.TITLE, RecordFormSG.DATE, RecordFormSG.NOTE),
    RecordKind.ALLERGY: (RecordFormSG.TITLE, RecordFormSG.DATE, RecordFormSG.NOTE),
    RecordKind.CHRONIC_CONDITION: (RecordFormSG.TITLE, RecordFormSG.DATE, RecordFormSG.NOTE),
    RecordKind.WEIGHT: (RecordFormSG.WEIGHT, RecordFormSG.DATE),
    RecordKind.DOCUMENT: (RecordFormSG.FILE, RecordFormSG.TITLE, RecordFormSG.DATE),
}


def form_kind(manager: DialogManager) -> RecordKind | None:
    raw = manager.dialog_data.get(KEY_KIND)
    kind = RecordKind(raw) if raw in set(RecordKind) else None
    return kind if kind in FORM_STEPS else None


def form_position(manager: DialogManager) -> tuple[RecordKind | None, int, int]:
    """The form's kind and which of its steps is shown: (kind, step N, of M); 0 off the steps."""
    kind = form_kind(manager)
    if kind is None:
        return None, 0, 0
    steps = FORM_STEPS[kind]
    state = manager.current_context().state
    step = steps.index(state) + 1 if state in steps else 0
    return kind, step, len(steps)


def record_id_of(manager: DialogManager) -> int | None:
    value = manager.dialog_data.get(KEY_RECORD_ID)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def is_root(manager: DialogManager) -> bool:
    """Nothing below this dialog (opened by a command): "back" must lead to the main menu."""
    return len(manager.current_stack().intents) <= 1


def yes_no(value: bool) -> str:
    """Fluent selects on strings; the widget drops booleans from its arguments."""
    return "yes" if value else "no"


def entry_title(i18n: I18nContext, entry: RecordEntry) -> str:
    """What an entry is called on the card, raw (buttons); escape it for message texts."""
    record = entry.record
    if record.kind is RecordKind.WEIGHT:
        grams = record.data.get(DATA_GRAMS)
        return weight_text(i18n, grams) if isinstance(grams, int) else ""
    if record.kind is RecordKind.TRIAGE_RESULT:
        urgency = entry.urgency.value if entry.urgency is not None else UNKNOWN_URGENCY
        return i18n.get("lbl-record-urgency", urgency=urgency)
    return record.title


def consultation_text(i18n: I18nContext, record: MedicalRecord) -> Markup:
    """A consultation entry's report, readable in the card's message: each field cut to its
    share of Telegram's 4096 characters (the PDF and the Mini App show it whole)."""
    report = card_report_of(record.data)
    content = report.content
    lines: list[str] = []
    for field, value in (
        ("diagnosis", content.diagnosis),
        ("assessment", content.assessment),
        ("recommendations", content.recommendations),
    ):
        if value:
            lines.append(
                i18n.get(f"lbl-report-line-{field}", text=cut(value, REPORT_FIELD_LIMITS[field]))
            )
    if content.prescriptions:
        lines.append(i18n.get("lbl-report-line-prescriptions"))
        for row in content.prescriptions[:REPORT_PRESCRIPTIONS]:
            details = ", ".join(part for part in (row.dose, row.frequency, row.duration) if part)
            lines.append(
                i18n.get(
                    "lbl-report-line-prescription",
                    drug=cut(row.drug, REPORT_PRESCRIPTION_LENGTH),
                    details=cut(details, REPORT_PRESCRIPTION_LENGTH) or "none",
                )
            )
        left = len(content.prescriptions) - REPORT_PRESCRIPTIONS
        if left > 0:
            lines.append(i18n.get("lbl-report-line-more-prescriptions", count=left))
    if content.follow_up_on is not None:
        lines.append(i18n.get("lbl-report-line-follow-up", date=content.follow_up_on))
    if content.in_person_visit:
        lines.append(i18n.get("lbl-report-line-in-person"))
    if report.vet_name:
        lines.append(i18n.get("lbl-record-view-report-vet", vet=report.vet_name))
    if report.amended_at is not None:
        lines.append(i18n.get("lbl-record-view-report-amended", date=report.amended_at.date()))
    return Markup("\n").join(Markup(line) for line in lines)


def cut(text: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis marking what was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


async def notify_record_input_error(manager: DialogManager, error: RecordInputError) -> None:
    # Logged once here, without the text itself: it is the user's, and the reason says enough.
    logger.info("record input refused: %s", error.reason.value)
    args: dict[str, Any] = {}
    if error.max_length is not None:
        args["max"] = error.max_length
    if error.years is not None:
        args["years"] = error.years
    await notify(manager, INPUT_ERRORS[error.reason], **args)
