"""The vet's consultation report: a draft during and after the call, submitted once, amended.

Who may do what (on top of `ConsultationAccessGuard`, which turns strangers and other vets away
with 403 and keeps ids from being probed):
- **the booked vet** reads the report at any time (an empty draft before the first save) and
  writes it from the opening of the call window (`ConsultationWindows.call`) while the
  appointment is confirmed, or completed without a report: drafts until it is submitted, then
  amendments only.
- **owners, co-owners, viewers and admins** read the submitted report, never the vet's notes;
  before submission it is `ConsultationNotFoundError` (404) to them.

Submitting stores the final version, adds a `RecordKind.CONSULTATION_REPORT` entry to the pet's
card (its `data` holds the current version, see `card_record_data`), and completes the
appointment, in one transaction; the owner and co-owners get the summary and the PDF after the
commit. An amendment is stored beside the original, the card entry shows the new version and
when it was amended, and the owner is told with the new PDF.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Final

from core.clock import Clock
from core.consultation_errors import ConsultationAccessDeniedError, ConsultationNotFoundError
from core.entities import (
    Appointment,
    ConsultationReport,
    Prescription,
    ReportAmendment,
    ReportContent,
    ReportStatus,
    User,
)
from core.enums import AccessLevel, AppointmentStatus, RecordKind
from core.file_names import file_stem
from core.interactors.consultation_access import (
    AppointmentAccess,
    ConsultationAccessGuard,
    ConsultationRole,
)
from core.ports.consultation_notices import ConsultationNotices, Recipient, ReportNotice
from core.ports.consultation_reports import (
    ConsultationReportRenderer,
    ConsultationReportRepository,
    ReportDocument,
)
from core.ports.reports import ReportUnavailableError
from core.ports.repositories import (
    AppointmentRepository,
    MedicalRecordRepository,
    PetAccessRepository,
    PetRepository,
    UserRepository,
    VetRepository,
)
from core.ports.uow import UnitOfWork
from core.report_errors import (
    ReportAlreadySubmittedError,
    ReportInputError,
    ReportNotOpenError,
    ReportNotSubmittedError,
    ReportProblem,
)
from core.schedule import to_local

logger = logging.getLogger(__name__)

MAX_FIELD_LENGTH: Final = 4000  # each text field, notes included
MAX_PRESCRIPTIONS: Final = 20
MAX_PRESCRIPTION_FIELD_LENGTH: Final = 200
MAX_TITLE_LENGTH: Final = 256  # medical_records.title
# Who gets the report in chat: the people who look after the pet, not read-only viewers.
REPORT_RECIPIENTS: Final = frozenset({AccessLevel.OWNER, AccessLevel.CO_OWNER})
# Confirmed, or completed another way (an admin) without a report yet.
WRITABLE_STATUSES: Final = frozenset({AppointmentStatus.CONFIRMED, AppointmentStatus.COMPLETED})

# Keys of the card entry's `data` (RecordKind.CONSULTATION_REPORT).
DATA_REPORT_ID: Final = "report_id"
DATA_APPOINTMENT_ID: Final = "appointment_id"
DATA_VET_NAME: Final = "vet_name"
DATA_ASSESSMENT: Final = "assessment"
DATA_DIAGNOSIS: Final = "diagnosis"
DATA_RECOMMENDATIONS: Final = "recommendations"
DATA_PRESCRIPTIONS: Final = "prescriptions"
DATA_FOLLOW_UP_ON: Final = "follow_up_on"  # ISO date or None
DATA_IN_PERSON_VISIT: Final = "in_person_visit"
DATA_SUBMITTED_AT: Final = "submitted_at"  # ISO instant
DATA_AMENDED_AT: Final = "amended_at"  # ISO instant of the newest amendment, or None


# --- validation -------------------------------------------------------------------------------


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    stripped = value.strip()
    return stripped or None


def _check_length(field: str, value: str | None, limit: int) -> None:
    if value is not None and len(value) > limit:
        raise ReportInputError(field, ReportProblem.TOO_LONG, limit)


def normalised(content: ReportContent) -> ReportContent:
    """Blank text is no text; prescriptions with nothing in them are dropped."""
    rows = []
    for row in content.prescriptions:
        cleaned = Prescription(
            drug=(row.drug or "").strip(),
            dose=_clean(row.dose),
            frequency=_clean(row.frequency),
            duration=_clean(row.duration),
        )
        if cleaned.drug or cleaned.dose or cleaned.frequency or cleaned.duration:
            rows.append(cleaned)
    return replace(
        content,
        assessment=_clean(content.assessment),
        diagnosis=_clean(content.diagnosis),
        recommendations=_clean(content.recommendations),
        prescriptions=tuple(rows),
    )


def check_draft(content: ReportContent, notes: str | None) -> None:
    """The bounds every saved version keeps, complete or not."""
    _check_length("notes", notes, MAX_FIELD_LENGTH)
    _check_length("assessment", content.assessment, MAX_FIELD_LENGTH)
    _check_length("diagnosis", content.diagnosis, MAX_FIELD_LENGTH)
    _check_length("recommendations", content.recommendations, MAX_FIELD_LENGTH)
    if len(content.prescriptions) > MAX_PRESCRIPTIONS:
        raise ReportInputError("prescriptions", ReportProblem.TOO_MANY, MAX_PRESCRIPTIONS)
    for index, row in enumerate(content.prescriptions):
        for name in ("drug", "dose", "frequency", "duration"):
            _check_length(
                f"prescriptions[{index}].{name}",
                getattr(row, name),
                MAX_PRESCRIPTION_FIELD_LENGTH,
            )


def check_final(content: ReportContent, appointment_day: date) -> None:
    """A version the owner will read: assessment and diagnosis written, every prescription
    names its drug, a follow-up not before the consultation's own day."""
    check_draft(content, None)
    if content.assessment is None:
        raise ReportInputError("assessment", ReportProblem.REQUIRED)
    if content.diagnosis is None:
        raise ReportInputError("diagnosis", ReportProblem.REQUIRED)
    for index, row in enumerate(content.prescriptions):
        if not row.drug:
            raise ReportInputError(f"prescriptions[{index}].drug", ReportProblem.REQUIRED)
    if content.follow_up_on is not None and content.follow_up_on < appointment_day:
        raise ReportInputError("follow_up_on", ReportProblem.IN_THE_PAST)


# --- the card entry ---------------------------------------------------------------------------


def card_record_title(content: ReportContent) -> str:
    diagnosis = content.diagnosis or ""
    if len(diagnosis) <= MAX_TITLE_LENGTH:
        return diagnosis
    return diagnosis[: MAX_TITLE_LENGTH - 1].rstrip() + "…"


def card_record_data(report: ConsultationReport, vet_name: str) -> dict[str, Any]:
    """The card entry's `data`: the report's current version, so the chat card, the PDF card
    and /export read it without reaching for the report itself."""
    content = report.current
    amended_at = report.amended_at
    return {
        DATA_REPORT_ID: report.id,
        DATA_APPOINTMENT_ID: report.appointment_id,
        DATA_VET_NAME: vet_name,
        DATA_ASSESSMENT: content.assessment,
        DATA_DIAGNOSIS: content.diagnosis,
        DATA_RECOMMENDATIONS: content.recommendations,
        DATA_PRESCRIPTIONS: [
            {
                "drug": row.drug,
                "dose": row.dose,
                "frequency": row.frequency,
                "duration": row.duration,
            }
            for row in content.prescriptions
        ],
        DATA_FOLLOW_UP_ON: content.follow_up_on.isoformat() if content.follow_up_on else None,
        DATA_IN_PERSON_VISIT: content.in_person_visit,
        DATA_SUBMITTED_AT: report.submitted_at.isoformat() if report.submitted_at else None,
        DATA_AMENDED_AT: amended_at.isoformat() if amended_at else None,
    }


@dataclass(frozen=True, slots=True)
class CardReport:
    """A consultation entry of the card, read back from its `data` (tolerant of gaps)."""

    vet_name: str | None
    content: ReportContent
    amended_at: datetime | None


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) and value else None


def card_report_of(data: Mapping[str, Any]) -> CardReport:
    rows = data.get(DATA_PRESCRIPTIONS)
    prescriptions = tuple(
        Prescription(
            drug=str(row.get("drug") or ""),
            dose=_text(row, "dose"),
            frequency=_text(row, "frequency"),
            duration=_text(row, "duration"),
        )
        for row in (rows if isinstance(rows, list) else [])
        if isinstance(row, Mapping)
    )
    follow_up = _text(data, DATA_FOLLOW_UP_ON)
    amended = _text(data, DATA_AMENDED_AT)
    return CardReport(
        vet_name=_text(data, DATA_VET_NAME),
        content=ReportContent(
            assessment=_text(data, DATA_ASSESSMENT),
            diagnosis=_text(data, DATA_DIAGNOSIS),
            recommendations=_text(data, DATA_RECOMMENDATIONS),
            prescriptions=prescriptions,
            follow_up_on=date.fromisoformat(follow_up) if follow_up else None,
            in_person_visit=data.get(DATA_IN_PERSON_VISIT) is True,
        ),
        amended_at=datetime.fromisoformat(amended) if amended else None,
    )


def report_file_name(pet_name: str | None, appointment_id: int) -> str:
    """`<petname>-consultation-<id>.pdf`, kept to letters, digits, `_` and `-`."""
    stem = file_stem(pet_name, "pet")
    return f"{stem}-consultation-{appointment_id}.pdf"


# --- what the API shows -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportView:
    """The report as the caller may see it."""

    appointment_id: int
    status: ReportStatus
    notes: str | None  # the booked vet's own notes; None for everyone else
    content: ReportContent  # the current version
    submitted_at: datetime | None
    amendments: tuple[ReportAmendment, ...]
    may_edit: bool  # the booked vet may save a draft now
    may_amend: bool  # the booked vet may amend it (submitted)
    has_pdf: bool  # submitted: report.pdf answers


def _view(
    appointment_id: int, report: ConsultationReport | None, *, is_vet: bool, may_edit: bool
) -> ReportView:
    submitted = report is not None and report.status is ReportStatus.SUBMITTED
    return ReportView(
        appointment_id=appointment_id,
        status=report.status if report is not None else ReportStatus.DRAFT,
        notes=report.notes if report is not None and is_vet else None,
        content=report.current if report is not None else ReportContent(),
        submitted_at=report.submitted_at if report is not None else None,
        amendments=report.amendments if report is not None else (),
        may_edit=may_edit and not submitted,
        may_amend=is_vet and submitted,
        has_pdf=submitted,
    )


def _is_vet(access: AppointmentAccess) -> bool:
    return access.role is ConsultationRole.VET


def _refuse_unless_vet(access: AppointmentAccess, action: str) -> None:
    if not _is_vet(access):
        raise ConsultationAccessDeniedError(f"appointment {access.appointment.id}", action)


def _open_for_writing(access: AppointmentAccess, now: datetime) -> None:
    """The booked vet's report may be written now, or `ReportNotOpenError` says why not."""
    appointment = access.appointment
    opens_at = access.call_window.opens_at
    if appointment.status not in WRITABLE_STATUSES:
        raise ReportNotOpenError(appointment.id, "not_active", opens_at)
    if now < opens_at:
        raise ReportNotOpenError(appointment.id, "not_open_yet", opens_at)


def _may_edit(access: AppointmentAccess, now: datetime) -> bool:
    try:
        _open_for_writing(access, now)
    except ReportNotOpenError:
        return False
    return True


async def _readable(
    guard: ConsultationAccessGuard,
    reports: ConsultationReportRepository,
    telegram_id: int,
    appointment_id: int,
) -> tuple[AppointmentAccess, ConsultationReport | None]:
    """The report for its vet (perhaps none yet), or the submitted one for the pet's people and
    admins; 404 to them before that."""
    access = await guard.appointment(telegram_id, appointment_id)
    report = await reports.get_for_appointment(appointment_id)
    if _is_vet(access):
        return access, report
    if report is None or report.status is not ReportStatus.SUBMITTED:
        raise ConsultationNotFoundError(f"the report of appointment {appointment_id}")
    return access, report


class GetReport:
    """The report of an appointment as the caller may see it: the booked vet always gets one
    (an empty draft at first); others the submitted report, without the vet's notes."""

    def __init__(
        self,
        guard: ConsultationAccessGuard,
        reports: ConsultationReportRepository,
        clock: Clock,
    ) -> None:
        self._guard = guard
        self._reports = reports
        self._clock = clock

    async def __call__(self, telegram_id: int, appointment_id: int) -> ReportView:
        access, report = await _readable(self._guard, self._reports, telegram_id, appointment_id)
        is_vet = _is_vet(access)
        return _view(
            appointment_id,
            report,
            is_vet=is_vet,
            may_edit=is_vet and _may_edit(access, self._clock.now()),
        )


@dataclass(frozen=True, slots=True)
class DraftChanges:
    """What the vet changed in the draft: only the fields named in `given` are saved, the
    others keep their stored value (notes during the call, the form after it)."""

    given: frozenset[str]
    notes: str | None = None
    content: ReportContent = field(default_factory=ReportContent)

    def apply(self, notes: str | None, content: ReportContent) -> tuple[str | None, ReportContent]:
        fields = {
            name: getattr(self.content, name)
            for name in (
                "assessment",
                "diagnosis",
                "recommendations",
                "prescriptions",
                "follow_up_on",
                "in_person_visit",
            )
            if name in self.given
        }
        return (
            self.notes if "notes" in self.given else notes,
            replace(content, **fields),
        )


class SaveReportDraft:
    """The booked vet saves the report so far (every field optional), from the opening of the
    call window until the report is submitted."""

    def __init__(
        self,
        uow: UnitOfWork,
        guard: ConsultationAccessGuard,
        reports: ConsultationReportRepository,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._guard = guard
        self._reports = reports
        self._clock = clock

    async def __call__(
        self, telegram_id: int, appointment_id: int, changes: DraftChanges
    ) -> ReportView:
        access = await self._guard.appointment(telegram_id, appointment_id)
        _refuse_unless_vet(access, "write the report of")
        now = self._clock.now()
        stored = await self._reports.get_for_appointment(appointment_id)
        if stored is not None and stored.status is ReportStatus.SUBMITTED:
            raise ReportAlreadySubmittedError(appointment_id)
        _open_for_writing(access, now)
        notes, content = changes.apply(
            stored.notes if stored is not None else None,
            stored.content if stored is not None else ReportContent(),
        )
        notes, content = _clean(notes), normalised(content)
        check_draft(content, notes)
        appointment = access.appointment
        saved = await self._reports.save_draft(
            appointment_id=appointment_id,
            pet_id=appointment.pet_id,
            vet_id=appointment.vet_id,
            notes=notes,
            content=content,
            at=now,
        )
        if saved is None:
            await self._uow.rollback()
            raise ReportAlreadySubmittedError(appointment_id)
        await self._uow.commit()
        return _view(appointment_id, saved, is_vet=True, may_edit=True)


@dataclass(frozen=True, slots=True)
class _People:
    owner: User | None
    recipients: tuple[tuple[User, str], ...]  # (user, time zone) of owners and co-owners
    vet_name: str
    vet_time_zone: str
    pet_name: str | None
    pet_species: str | None


class _ReportDelivery:
    """Who the report concerns, its PDF, and the owner's messages after the commit (failures
    logged, never raised: the report is stored whatever happens to a message)."""

    def __init__(
        self,
        users: UserRepository,
        vets: VetRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        renderer: ConsultationReportRenderer,
        notices: ConsultationNotices,
        clock: Clock,
    ) -> None:
        self._users = users
        self._vets = vets
        self._pets = pets
        self._access = access
        self._renderer = renderer
        self._notices = notices
        self._clock = clock

    async def people(self, appointment: Appointment) -> _People:
        vet = await self._vets.get(appointment.vet_id)
        pet = await self._pets.get(appointment.pet_id)
        owner = await self._users.get(appointment.owner_user_id)
        recipients: list[tuple[User, str]] = []
        for member in await self._access.list_for_pet(appointment.pet_id):
            if member.level not in REPORT_RECIPIENTS:
                continue
            user = await self._users.get(member.user_id)
            if user is not None:
                recipients.append((user, user.time_zone))
        return _People(
            owner=owner,
            recipients=tuple(recipients),
            vet_name=vet.display_name if vet is not None else "",
            vet_time_zone=vet.time_zone if vet is not None else "UTC",
            pet_name=pet.name if pet is not None else None,
            pet_species=pet.species.value if pet is not None else None,
        )

    def document(
        self, appointment: Appointment, report: ConsultationReport, people: _People, zone: str
    ) -> ReportDocument:
        assert report.submitted_at is not None  # only submitted reports are printed
        return ReportDocument(
            appointment_id=appointment.id,
            pet_name=people.pet_name,
            pet_species=people.pet_species,
            owner_name=people.owner.first_name if people.owner is not None else None,
            vet_name=people.vet_name,
            starts_at=appointment.starts_at,
            content=report.current,
            submitted_at=report.submitted_at,
            amendments=tuple((item.amended_at, item.note) for item in report.amendments),
            time_zone=zone,
            generated_at=self._clock.now(),
        )

    async def pdf(self, document: ReportDocument, language: str | None) -> bytes | None:
        try:
            return await self._renderer.render(document, language)
        except ReportUnavailableError as error:
            logger.warning("report PDF not rendered: %s", error.why)
            return None

    async def tell_owners(
        self, appointment: Appointment, report: ConsultationReport, people: _People
    ) -> None:
        amendment = report.amendments[-1] if report.amendments else None
        for user, zone in people.recipients:
            if user.blocked_bot_at is not None:
                continue  # a message would only bounce (bot.outbound)
            recipient = Recipient(user.telegram_id, user.language, zone)
            try:
                notice = ReportNotice(
                    appointment_id=appointment.id,
                    starts_at=appointment.starts_at,
                    pet_name=people.pet_name,
                    vet_name=people.vet_name,
                    content=report.current,
                    amended_at=amendment.amended_at if amendment is not None else None,
                    amendment_note=amendment.note if amendment is not None else None,
                    pdf=await self.pdf(
                        self.document(appointment, report, people, zone), user.language
                    ),
                    pdf_file_name=report_file_name(people.pet_name, appointment.id),
                )
                if amendment is None:
                    await self._notices.report_ready_for_owner(recipient, notice)
                else:
                    await self._notices.report_amended_for_owner(recipient, notice)
            except Exception:
                logger.exception("the report of appointment %s was not delivered", appointment.id)


def _appointment_day(appointment: Appointment, time_zone: str) -> date:
    return to_local(appointment.starts_at, time_zone).date()


class SubmitReport:
    """The booked vet submits the report: it is stored, added to the pet's card and the
    appointment completed, in one transaction; then the owner and co-owners get the summary
    and the PDF. A second submit is `ReportAlreadySubmittedError` (409)."""

    def __init__(
        self,
        uow: UnitOfWork,
        guard: ConsultationAccessGuard,
        reports: ConsultationReportRepository,
        records: MedicalRecordRepository,
        appointments: AppointmentRepository,
        users: UserRepository,
        vets: VetRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        renderer: ConsultationReportRenderer,
        notices: ConsultationNotices,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._guard = guard
        self._reports = reports
        self._records = records
        self._appointments = appointments
        self._clock = clock
        self._delivery = _ReportDelivery(users, vets, pets, access, renderer, notices, clock)

    async def __call__(
        self,
        telegram_id: int,
        appointment_id: int,
        content: ReportContent,
        notes: str | None = None,
    ) -> ReportView:
        access = await self._guard.appointment(telegram_id, appointment_id)
        _refuse_unless_vet(access, "submit the report of")
        now = self._clock.now()
        appointment = access.appointment
        stored = await self._reports.get_for_appointment(appointment_id)
        if stored is not None and stored.status is ReportStatus.SUBMITTED:
            raise ReportAlreadySubmittedError(appointment_id)
        _open_for_writing(access, now)
        people = await self._delivery.people(appointment)
        content = normalised(content)
        notes = _clean(notes) if notes is not None else (stored.notes if stored else None)
        check_draft(content, notes)
        check_final(content, _appointment_day(appointment, people.vet_time_zone))

        # The draft row is the claim a double submit races on: the conditional update below
        # lets exactly one through (on PostgreSQL the second waits for the first's commit).
        draft = await self._reports.save_draft(
            appointment_id=appointment_id,
            pet_id=appointment.pet_id,
            vet_id=appointment.vet_id,
            notes=notes,
            content=content,
            at=now,
        )
        if draft is None:
            await self._uow.rollback()
            raise ReportAlreadySubmittedError(appointment_id)
        record = await self._records.add(
            pet_id=appointment.pet_id,
            kind=RecordKind.CONSULTATION_REPORT,
            title=card_record_title(content),
            occurred_at=appointment.starts_at,
            author_user_id=access.caller.id,
        )
        if not await self._reports.mark_submitted(
            appointment_id, notes=notes, content=content, record_id=record.id, at=now
        ):
            await self._uow.rollback()
            raise ReportAlreadySubmittedError(appointment_id)
        report = replace(
            draft,
            status=ReportStatus.SUBMITTED,
            content=content,
            notes=notes,
            record_id=record.id,
            submitted_at=now,
            updated_at=now,
        )
        await self._reports.update_card_record(
            record.id,
            title=card_record_title(content),
            data=card_record_data(report, people.vet_name),
        )
        await self._appointments.set_status(
            appointment_id,
            status=AppointmentStatus.COMPLETED,
            expected=[AppointmentStatus.CONFIRMED],
            at=now,
        )
        await self._uow.commit()
        await self._delivery.tell_owners(appointment, report, people)
        return _view(appointment_id, report, is_vet=True, may_edit=False)


class AmendReport:
    """The booked vet amends a submitted report: the new full version is stored with why and
    when (the original stays), the card entry shows it, and the owner gets the new PDF."""

    def __init__(
        self,
        uow: UnitOfWork,
        guard: ConsultationAccessGuard,
        reports: ConsultationReportRepository,
        users: UserRepository,
        vets: VetRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        renderer: ConsultationReportRenderer,
        notices: ConsultationNotices,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._guard = guard
        self._reports = reports
        self._clock = clock
        self._delivery = _ReportDelivery(users, vets, pets, access, renderer, notices, clock)

    async def __call__(
        self, telegram_id: int, appointment_id: int, note: str, content: ReportContent
    ) -> ReportView:
        access = await self._guard.appointment(telegram_id, appointment_id)
        _refuse_unless_vet(access, "amend the report of")
        stored = await self._reports.get_for_appointment(appointment_id)
        if stored is None or stored.status is not ReportStatus.SUBMITTED:
            raise ReportNotSubmittedError(appointment_id)
        appointment = access.appointment
        people = await self._delivery.people(appointment)
        why = _clean(note)
        if why is None:
            raise ReportInputError("note", ReportProblem.REQUIRED)
        _check_length("note", why, MAX_FIELD_LENGTH)
        content = normalised(content)
        check_final(content, _appointment_day(appointment, people.vet_time_zone))
        now = self._clock.now()
        amendment = await self._reports.add_amendment(
            stored.id, note=why, content=content, author_user_id=access.caller.id, at=now
        )
        report = replace(stored, amendments=(*stored.amendments, amendment), updated_at=now)
        if report.record_id is not None:
            await self._reports.update_card_record(
                report.record_id,
                title=card_record_title(content),
                data=card_record_data(report, people.vet_name),
            )
        await self._uow.commit()
        await self._delivery.tell_owners(appointment, report, people)
        return _view(appointment_id, report, is_vet=True, may_edit=False)


@dataclass(frozen=True, slots=True)
class ReportPdf:
    file_name: str
    data: bytes


class GetReportPdf:
    """The submitted report as a PDF, in the caller's language and time zone, for whoever may
    read it (`ReportUnavailableError` when this process cannot render PDFs)."""

    def __init__(
        self,
        guard: ConsultationAccessGuard,
        reports: ConsultationReportRepository,
        users: UserRepository,
        vets: VetRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        renderer: ConsultationReportRenderer,
        notices: ConsultationNotices,
        clock: Clock,
    ) -> None:
        self._guard = guard
        self._reports = reports
        self._renderer = renderer
        self._delivery = _ReportDelivery(users, vets, pets, access, renderer, notices, clock)

    async def __call__(self, telegram_id: int, appointment_id: int) -> ReportPdf:
        access, report = await _readable(self._guard, self._reports, telegram_id, appointment_id)
        if report is None or report.status is not ReportStatus.SUBMITTED:
            raise ConsultationNotFoundError(f"the report of appointment {appointment_id}")
        people = await self._delivery.people(access.appointment)
        caller = access.caller
        document = self._delivery.document(access.appointment, report, people, caller.time_zone)
        data = await self._renderer.render(document, caller.language)
        return ReportPdf(report_file_name(people.pet_name, appointment_id), data)


def submitted_reports_document(reports: Sequence[ConsultationReport]) -> list[dict[str, Any]]:
    """The pet's reports for /export: every version, never the vet's notes."""

    def version(content: ReportContent) -> dict[str, Any]:
        return {
            "assessment": content.assessment,
            "diagnosis": content.diagnosis,
            "recommendations": content.recommendations,
            "prescriptions": [
                {
                    "drug": row.drug,
                    "dose": row.dose,
                    "frequency": row.frequency,
                    "duration": row.duration,
                }
                for row in content.prescriptions
            ],
            "follow_up_on": content.follow_up_on.isoformat() if content.follow_up_on else None,
            "in_person_visit": content.in_person_visit,
        }

    return [
        {
            "appointment_id": report.appointment_id,
            "submitted_at": report.submitted_at.isoformat() if report.submitted_at else None,
            "current": version(report.current),
            "original": version(report.content),
            "amendments": [
                {
                    "amended_at": item.amended_at.isoformat(),
                    "note": item.note,
                    "version": version(item.content),
                }
                for item in report.amendments
            ],
        }
        for report in reports
    ]
