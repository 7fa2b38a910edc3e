"""`/export`: everything stored about the user, as a JSON document and a PDF card per pet.

The document follows `core/export_schema.json` (a test validates it); bump
`EXPORT_SCHEMA_VERSION` when a field changes meaning or goes away. What it holds:
- the user's profile;
- every pet they can see (archived ones too), with their access level, the pet's medical
  records, the vets' consultation reports (every version, never the vet's notes), and symptom
  checks: all of a pet's checks for its owners and co-owners (the pet's history), only their
  own for a viewer;
- their appointments, payments and reminders, when there are any.
Stored file keys are not part of it (internal); photos are described, not embedded.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.clock import Clock
from core.entities import (
    DEFAULT_TIME_ZONE,
    AccessiblePet,
    MedicalRecord,
    Pet,
    SymptomCheck,
    User,
)
from core.enums import AccessLevel, RecordKind, Urgency
from core.errors import UserNotFoundError
from core.file_names import file_stem
from core.interactors.consultation_report import submitted_reports_document
from core.interactors.records import DATA_BATCH, DATA_CHECK_ID, due_items
from core.pet_input import age_on
from core.ports.consultation_reports import ConsultationReportRepository
from core.ports.reports import (
    CardOwner,
    PetCard,
    PetCardRenderer,
    ReportUnavailableError,
    Translate,
    VaccinationRow,
)
from core.ports.repositories import (
    AccountDataRepository,
    MedicalRecordRepository,
    PetAccessRepository,
    PetRepository,
    SymptomCheckRepository,
    UserRepository,
)
from core.ports.storage import BlobStorage

logger = logging.getLogger(__name__)

EXPORT_SCHEMA_VERSION: Final = 1
# The JSON Schema the document follows (shipped as package data).
EXPORT_SCHEMA_PATH: Final = Path(__file__).resolve().parent.parent / "export_schema.json"
# SymptomCheckRepository lists checks newest first without paging; a pet with more checks
# than this would be exported truncated (far beyond any real pet's history).
MAX_CHECKS_PER_PET: Final = 10_000
RECORDS_PAGE: Final = 200
# Kind-specific fields of a vaccination record's `data` that the card prints.
VACCINE_KEY: Final = "vaccine"
BATCH_KEY: Final = DATA_BATCH
SEE_ALL_CHECKS: Final = frozenset({AccessLevel.OWNER, AccessLevel.CO_OWNER})
# Only when the locale gives nothing usable: a file name cannot be empty.
CARD_FILE_SUFFIX: Final = "card"


@dataclass(frozen=True, slots=True)
class ExportFile:
    file_name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class AccountExport:
    document: dict[str, Any]  # JSON-serializable, per core/export_schema.json
    pet_cards: tuple[ExportFile, ...]
    # True when the PDF renderer could not work here; the JSON document is complete anyway.
    cards_unavailable: bool


def card_file_name(pet_name: str, pet_id: int, suffix: str) -> str:
    """`<petname>-<suffix>.pdf`, kept to letters, digits, `_` and `-` (any script).

    `suffix` is the reader's word for the card (`lbl-card-file-suffix`: "медкарта",
    "medical-card"), so a Russian owner gets `Мурзик-медкарта.pdf`.
    """
    stem = file_stem(pet_name, f"pet-{pet_id}")
    return f"{stem}-{file_stem(suffix, CARD_FILE_SUFFIX)}.pdf"


class ExportMyData:
    """Build the user's data export: the JSON document and one PDF medical card per pet."""

    def __init__(
        self,
        users: UserRepository,
        pets: PetRepository,
        records: MedicalRecordRepository,
        checks: SymptomCheckRepository,
        account_data: AccountDataRepository,
        reports: ConsultationReportRepository,
        renderer: PetCardRenderer,
        clock: Clock,
        access: PetAccessRepository,
        storage: BlobStorage,
    ) -> None:
        self._users = users
        self._pets = pets
        self._records = records
        self._checks = checks
        self._account_data = account_data
        self._reports = reports
        self._renderer = renderer
        self._clock = clock
        self._access = access
        self._storage = storage

    async def __call__(self, telegram_id: int, translate: Translate) -> AccountExport:
        user = await self._users.get_by_telegram_id(telegram_id)
        if user is None:
            raise UserNotFoundError(telegram_id)
        now = self._clock.now()
        seen = await self._pets.list_for_user(user.id, include_archived=True)
        pets_out: list[dict[str, Any]] = []
        cards: list[PetCard] = []
        for item in seen:
            records = await self._all_records(item.pet.id)
            checks = await self._checks_for(user, item)
            pets_out.append(await self._pet_document(item, records, checks, user, now))
            card = card_of(item.pet, records, now, user.time_zone, _urgencies(checks))
            owner = await self._owner_of(item, user)
            photo = await self._photo_of(item.pet)
            cards.append(dataclasses.replace(card, owner=owner, photo=photo))
        document: dict[str, Any] = {
            "schema_version": EXPORT_SCHEMA_VERSION,
            "exported_at": _instant(now),
            "user": _user_document(user),
            "pets": pets_out,
            "appointments": [
                _plain(row) for row in await self._account_data.list_appointments(user.id)
            ],
            "payments": [_plain(row) for row in await self._account_data.list_payments(user.id)],
            "reminders": [_plain(row) for row in await self._account_data.list_reminders(user.id)],
        }
        files: list[ExportFile] = []
        suffix = translate("lbl-card-file-suffix")
        try:
            for card in cards:
                data = await self._renderer.render(card, translate)
                files.append(ExportFile(card_file_name(card.pet.name, card.pet.id, suffix), data))
        except ReportUnavailableError as error:
            logger.warning("pet cards not rendered: %s", error.why)
            return AccountExport(document, (), cards_unavailable=True)
        return AccountExport(document, tuple(files), cards_unavailable=False)

    async def _owner_of(self, item: AccessiblePet, user: User) -> CardOwner | None:
        """The pet's owner (the reader, or whoever shared the pet with them)."""
        if item.level is AccessLevel.OWNER:
            owner: User | None = user
        else:
            grants = await self._access.list_for_pet(item.pet.id)
            owner_id = next((g.user_id for g in grants if g.level is AccessLevel.OWNER), None)
            owner = await self._users.get(owner_id) if owner_id is not None else None
        # Only someone who consented is printed: before consent nothing of them is kept.
        if owner is None or owner.consented_at is None:
            return None
        return CardOwner(name=owner.first_name, username=owner.username)

    async def _photo_of(self, pet: Pet) -> bytes | None:
        if pet.photo_key is None:
            return None
        try:
            return await self._storage.get(pet.photo_key)
        except Exception:
            # The card is worth more without the photo than not at all.
            logger.warning("pet %s's photo not read for the card", pet.id, exc_info=True)
            return None

    async def _all_records(self, pet_id: int) -> list[MedicalRecord]:
        found: list[MedicalRecord] = []
        while True:
            page = await self._records.list_for_pet(pet_id, limit=RECORDS_PAGE, offset=len(found))
            found.extend(page)
            if len(page) < RECORDS_PAGE:
                return found

    async def _checks_for(self, user: User, item: AccessiblePet) -> list[SymptomCheck]:
        checks = await self._checks.list_for_pet(item.pet.id, limit=MAX_CHECKS_PER_PET)
        if item.level in SEE_ALL_CHECKS:
            return checks
        return [check for check in checks if check.user_id == user.id]

    async def _pet_document(
        self,
        item: AccessiblePet,
        records: list[MedicalRecord],
        checks: list[SymptomCheck],
        user: User,
        now: datetime,
    ) -> dict[str, Any]:
        pet = item.pet
        checks_out = []
        for check in sorted(checks, key=lambda c: (c.created_at, c.id)):
            photos = await self._checks.list_photos(check.id)
            checks_out.append(
                {
                    "id": check.id,
                    "by_you": check.user_id == user.id,
                    "status": check.status.value,
                    "answers": _json(check.answers),
                    "urgency": check.urgency.value if check.urgency else None,
                    "result": _json(check.result) if check.result is not None else None,
                    "rules_version": check.rules_version,
                    "model_used": check.model_used,
                    "model_version": check.model_version,
                    "created_at": _instant(check.created_at),
                    "submitted_at": _instant(check.submitted_at),
                    "completed_at": _instant(check.completed_at),
                    "photos": [
                        {
                            "position": photo.position,
                            "content_type": photo.content_type,
                            "size_bytes": photo.size_bytes,
                            "findings": (
                                [_json(finding) for finding in photo.findings]
                                if photo.findings is not None
                                else None
                            ),
                        }
                        for photo in photos
                    ],
                }
            )
        return {
            "id": pet.id,
            "access_level": item.level.value,
            "name": pet.name,
            "species": pet.species.value,
            "breed": pet.breed,
            "sex": pet.sex.value,
            "neutered": pet.neutered,
            **_birth_document(pet, now.astimezone(_zone(user.time_zone)).date()),
            "weight_grams": pet.weight_grams,
            "allergies": pet.allergies,
            "chronic_conditions": pet.chronic_conditions,
            "microchip": pet.microchip,
            "has_photo": pet.photo_file_id is not None or pet.photo_key is not None,
            "archived_at": _instant(pet.archived_at),
            "created_at": _instant(pet.created_at),
            "records": [_record_document(record) for record in _chronological(records)],
            "symptom_checks": checks_out,
            # The vet's reports, every version; the vet's own notes are never part of it.
            "consultation_reports": submitted_reports_document(
                await self._reports.list_submitted_for_pet(pet.id)
            ),
        }


def card_of(
    pet: Pet,
    records: list[MedicalRecord],
    now: datetime,
    time_zone: str,
    urgencies: Mapping[int, Urgency] | None = None,
) -> PetCard:
    """The card's content: vaccinations in a table, every other record after, oldest first.

    A vaccination is marked overdue as the bot's card marks it (`due_items`: the latest dose
    of each product decides, against the reader's today). A triage entry carries its check's
    current level (`urgencies` by check id; the worker may have refined it since).
    """
    zone = _zone(time_zone)
    today = now.astimezone(zone).date()
    overdue = {item.record_id for item in due_items(records, today) if item.overdue}
    vaccinations = []
    others = []
    for record in _chronological(records):
        if record.kind is RecordKind.TRIAGE_RESULT:
            check_id = record.data.get(DATA_CHECK_ID)
            urgency = (urgencies or {}).get(check_id) if isinstance(check_id, int) else None
            if urgency is not None:
                record = dataclasses.replace(record, title=urgency.value)
        if record.kind is RecordKind.VACCINATION:
            product = record.data.get(VACCINE_KEY)
            batch = record.data.get(BATCH_KEY)
            vaccinations.append(
                VaccinationRow(
                    product=str(product) if product else record.title,
                    batch=str(batch) if batch else None,
                    given_on=record.occurred_at.astimezone(zone).date(),
                    next_due_on=(
                        record.next_due_at.astimezone(zone).date() if record.next_due_at else None
                    ),
                    overdue=record.id in overdue,
                )
            )
        else:
            others.append(record)
    return PetCard(
        pet=pet,
        vaccinations=tuple(vaccinations),
        other_records=tuple(others),
        generated_at=now,
        time_zone=zone.key,
    )


def _urgencies(checks: list[SymptomCheck]) -> dict[int, Urgency]:
    return {check.id: check.urgency for check in checks if check.urgency is not None}


def _birth_document(pet: Pet, today: date) -> dict[str, Any]:
    """An exact birth date, or the age the owner gave, never an invented date: "3 years" is
    stored as an estimated birth date only so the age keeps growing."""
    if pet.birth_date is None or not pet.birth_date_is_approximate:
        return {
            "birth_date": pet.birth_date.isoformat() if pet.birth_date else None,
            "birth_date_is_approximate": False,
            "approximate_age": None,
        }
    age = age_on(pet.birth_date, today)
    return {
        "birth_date": None,
        "birth_date_is_approximate": True,
        "approximate_age": {
            "years": age.years,
            "months": age.months,
            "weeks": age.weeks,
            "as_of": today.isoformat(),
        },
    }


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)


def _chronological(records: list[MedicalRecord]) -> list[MedicalRecord]:
    return sorted(records, key=lambda record: (record.occurred_at, record.id))


def _user_document(user: User) -> dict[str, Any]:
    return {
        "telegram_id": user.telegram_id,
        "first_name": user.first_name,
        "username": user.username,
        "language": user.language,
        "time_zone": user.time_zone,
        # None: the language's likely zone, not chosen (core.time_zones).
        "time_zone_chosen_at": _instant(user.time_zone_chosen_at),
        "reminder_settings": {
            "kinds_off": sorted(str(kind) for kind in user.reminder_kinds_off),
            # Local wall-clock times; equal start and end: no quiet hours.
            "quiet_hours": {
                "start": f"{user.quiet_hours_start:%H:%M}",
                "end": f"{user.quiet_hours_end:%H:%M}",
            },
        },
        "roles": sorted(role.value for role in user.roles),
        "consented_at": _instant(user.consented_at),
        "created_at": _instant(user.created_at),
    }


def _record_document(record: MedicalRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "kind": record.kind.value,
        "title": record.title,
        "occurred_at": _instant(record.occurred_at),
        "details": record.details,
        "data": _json(record.data),
        "next_due_at": _instant(record.next_due_at),
        "attachment_content_type": record.attachment_content_type,
        "created_at": _instant(record.created_at),
    }


def _instant(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _plain(snapshot: Any) -> dict[str, Any]:
    """A snapshot dataclass as JSON values (instants and dates as ISO strings)."""
    return {key: _json(value) for key, value in dataclasses.asdict(snapshot).items()}


def _json(value: Any) -> Any:
    """Stored JSON payloads as plain lists and dicts; instants and dates as ISO strings."""
    if isinstance(value, Mapping):
        return {str(key): _json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(item) for item in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value
