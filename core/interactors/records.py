"""The medical card: typed entries per pet, read by anyone with access, changed by editors.

Every interactor resolves the caller's access through the pets guard: a pet they cannot see is
`PetNotFoundError`, an entry of such a pet is `RecordNotFoundError` — exactly like a missing
one. Owners and co-owners add and delete entries; viewers only read. An archived pet's card is
read-only until the pet is restored.

Storage: one `MedicalRecord` per entry. The calendar date the owner gave is stored as noon UTC
in `occurred_at` (see `core.record_input.midday_utc`) and verbatim in `data["date"]`; the
kind-specific fields live in `data` (see the `DATA_*` keys). Triage results are added by
`SubmitCheck` with `data={"check_id": ...}`; this module only reads them.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Final

from core.clock import Clock
from core.entities import AccessiblePet, MedicalRecord, Pet, User
from core.enums import RecordKind, Urgency
from core.errors import DomainError, UserNotFoundError
from core.image_work import ImagePurpose, ImageWork
from core.interactors.medication_reminders import MedicationReminders
from core.interactors.pet_files import pet_storage_prefix
from core.interactors.pets import EDITORS, _PetAccessGuard
from core.interactors.reminders import DueDateReminders
from core.medication_times import parse_dose_times
from core.pet_input import check_weight
from core.pets_errors import PetArchivedError, PetNotFoundError
from core.ports.images import ImageSanitizer
from core.ports.repositories import (
    MedicalRecordRepository,
    PetAccessRepository,
    PetRepository,
    SymptomCheckRepository,
    UserRepository,
)
from core.ports.storage import BlobNotFoundError, BlobStorage
from core.ports.uow import UnitOfWork
from core.ports.uploads import UploadRepository
from core.record_data import DATA_COURSE_END as DATA_COURSE_END  # re-exported: card readers
from core.record_data import (
    DATA_DATE,
    DATA_DOSE_TIMES,
    DATA_GRAMS,
    latest_entry,
    product_key,
    record_date,
)
from core.record_input import (
    MAX_DOSE_LENGTH,
    MAX_NOTE_LENGTH,
    MAX_SCHEDULE_LENGTH,
    MAX_TITLE_LENGTH,
    check_batch,
    check_course_end,
    check_next_due,
    check_past_date,
    check_text,
    midday_utc,
    today_in,
)
from core.upload_quota import PendingUploadGoneError, UploadLimits, UploadQuotaExceededError
from core.uploads import (
    DOCUMENT_POLICY,
    EXTENSIONS,
    IMAGE_CONTENT_TYPES,
    UploadRejectedError,
    UploadRejectReason,
    check_upload,
)

logger = logging.getLogger(__name__)

PAGE_SIZE: Final = 6
WEIGHT_TREND_POINTS: Final = 12

# What owners add by hand, in the order the dialog offers them.
MANUAL_KINDS: Final = (
    RecordKind.VACCINATION,
    RecordKind.PARASITE_TREATMENT,
    RecordKind.MEDICATION,
    RecordKind.PROCEDURE,
    RecordKind.ALLERGY,
    RecordKind.CHRONIC_CONDITION,
    RecordKind.WEIGHT,
    RecordKind.DOCUMENT,
)
# Added by the service itself: they document what it said, so owners cannot delete them.
AUTOMATIC_KINDS: Final = frozenset({RecordKind.TRIAGE_RESULT, RecordKind.CONSULTATION_REPORT})
# Entries with a next due date (vaccinations, flea/tick/worm treatments).
DUE_KINDS: Final = (RecordKind.VACCINATION, RecordKind.PARASITE_TREATMENT)

# Keys of `MedicalRecord.data` (the date and the grams are in `core.record_data`).
DATA_DOSE: Final = "dose"
DATA_SCHEDULE: Final = "schedule"
DATA_CHECK_ID: Final = "check_id"
DATA_BATCH: Final = "batch"  # a vaccination's batch number, when the owner gave one


class RecordNotFoundError(DomainError):
    """No such entry *for this user*: one of a pet they cannot see reads exactly the same."""

    def __init__(self, record_id: int) -> None:
        super().__init__(f"medical record {record_id} not found")
        self.record_id = record_id


class RecordNotDeletableError(DomainError):
    """Entries the service added (triage results, vet reports) stay on the card."""

    def __init__(self, record_id: int) -> None:
        super().__init__(f"medical record {record_id} is not deletable")
        self.record_id = record_id


class ForeignAttachmentError(DomainError):
    """A draft names a stored file that is not among this pet's card attachments."""

    def __init__(self, key: str) -> None:
        super().__init__(f"attachment {key!r} does not belong to this card")
        self.key = key


# --- drafts: what the dialog collects for each kind -------------------------------------------


@dataclass(frozen=True, slots=True)
class VaccinationDraft:
    product: str
    given_on: date
    next_due: date | None = None
    batch: str | None = None  # the lot number from the vial's sticker (border checks ask)


@dataclass(frozen=True, slots=True)
class ParasiteTreatmentDraft:
    product: str
    given_on: date
    next_due: date | None = None


@dataclass(frozen=True, slots=True)
class MedicationDraft:
    drug: str
    dose: str
    schedule: str
    start: date
    end: date | None = None  # None: ongoing
    # Local "HH:MM" of each day's doses (core.medication_times); empty: no dose reminders.
    dose_times: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ProcedureDraft:
    name: str
    performed_on: date
    note: str | None = None


@dataclass(frozen=True, slots=True)
class AllergyDraft:
    allergen: str
    noted_on: date
    reaction: str | None = None


@dataclass(frozen=True, slots=True)
class ChronicConditionDraft:
    condition: str
    diagnosed_on: date
    note: str | None = None


@dataclass(frozen=True, slots=True)
class WeightDraft:
    grams: int
    measured_on: date


@dataclass(frozen=True, slots=True)
class DocumentDraft:
    """A file already stored by `StoreRecordDocument`, with what it is and its date."""

    title: str
    dated: date
    attachment_key: str
    content_type: str


RecordDraft = (
    VaccinationDraft
    | ParasiteTreatmentDraft
    | MedicationDraft
    | ProcedureDraft
    | AllergyDraft
    | ChronicConditionDraft
    | WeightDraft
    | DocumentDraft
)


# --- what the reading interactors return ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordEntry:
    """An entry as the card shows it.

    `due`: the next dose, on the latest vaccination/treatment of its product (`overdue` when
    its date has passed; an older entry of the same product never is).
    `urgency`: a triage result's current level (the worker may refine it after the entry).
    """

    record: MedicalRecord
    due: DueItem | None = None  # set on its product's latest entry with a next due date
    urgency: Urgency | None = None

    @property
    def day(self) -> date:
        return record_date(self.record)

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due.overdue


@dataclass(frozen=True, slots=True)
class DueItem:
    """The next dose of one product: the latest entry of it that names a next due date."""

    record_id: int
    kind: RecordKind
    title: str
    given_on: date
    next_due: date
    overdue: bool
    days_left: int  # negative when overdue


@dataclass(frozen=True, slots=True)
class RecordPage:
    pet: AccessiblePet
    entries: tuple[RecordEntry, ...]
    total: int
    page: int  # 0-based, within range
    pages: int  # at least 1
    due: tuple[DueItem, ...]  # every product's next dose, soonest first
    weight_count: int

    @property
    def has_prev(self) -> bool:
        return self.page > 0

    @property
    def has_next(self) -> bool:
        return self.page + 1 < self.pages


@dataclass(frozen=True, slots=True)
class RecordView:
    pet: AccessiblePet
    entry: RecordEntry


@dataclass(frozen=True, slots=True)
class WeightPoint:
    record_id: int
    measured_on: date
    grams: int
    change_grams: int | None  # against the point before; None for the first shown


@dataclass(frozen=True, slots=True)
class WeightTrend:
    pet: AccessiblePet
    points: tuple[WeightPoint, ...]  # oldest first, the latest `WEIGHT_TREND_POINTS`

    @property
    def change_grams(self) -> int | None:
        """From the first point shown to the last; None with fewer than two."""
        if len(self.points) < 2:
            return None
        return self.points[-1].grams - self.points[0].grams


@dataclass(frozen=True, slots=True)
class StoredDocument:
    storage_key: str
    content_type: str
    size_bytes: int


@dataclass(frozen=True, slots=True)
class RecordDocument:
    record: MedicalRecord
    data: bytes
    content_type: str

    @property
    def is_image(self) -> bool:
        return self.content_type in IMAGE_CONTENT_TYPES

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.content_type, "bin")


def attachment_prefix(pet_id: int) -> str:
    """Where a pet's card attachments are stored (see `StoreRecordDocument`).

    Under the pet, not the uploader: a co-owner who uploaded a lab result and later deletes
    their account must not take the pet's documents with them.
    """
    return f"{pet_storage_prefix(pet_id)}records/"


def due_items(records: Iterable[MedicalRecord], today: date) -> list[DueItem]:
    """The next dose per product: the latest entry of each (kind, product) decides.

    A product given again later is no longer overdue, whatever the older entry said; a latest
    entry without a next due date means "nothing planned" for that product.
    """
    latest: dict[tuple[RecordKind, str], MedicalRecord] = {}
    for record in records:
        if record.kind not in DUE_KINDS:
            continue
        key = product_key(record)
        seen = latest.get(key)
        if seen is None or (record_date(record), record.id) > (record_date(seen), seen.id):
            latest[key] = record
    items = []
    for record in latest.values():
        if record.next_due_at is None:
            continue
        due = record.next_due_at.date()
        items.append(
            DueItem(
                record_id=record.id,
                kind=record.kind,
                title=record.title,
                given_on=record_date(record),
                next_due=due,
                overdue=due < today,
                days_left=(due - today).days,
            )
        )
    return sorted(items, key=lambda item: (item.next_due, item.record_id))


class _Card:
    """What the interactors share: the caller, their access, their today, the card's entries."""

    def __init__(
        self,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        records: MedicalRecordRepository,
        clock: Clock,
    ) -> None:
        self.guard = _PetAccessGuard(users, pets, access)
        self._users = users
        self.records = records
        self._clock = clock

    async def user(self, telegram_id: int) -> User:
        user = await self._users.get_by_telegram_id(telegram_id)
        if user is None:
            raise UserNotFoundError(telegram_id)
        return user

    async def today(self, telegram_id: int) -> date:
        return self.today_of(await self.user(telegram_id))

    def today_of(self, user: User) -> date:
        return today_in(self._clock.now(), user.time_zone)

    async def editable(self, telegram_id: int, pet_id: int, action: str) -> AccessiblePet:
        seen = await self.guard.load_for(telegram_id, pet_id, EDITORS, action)
        if seen.pet.is_archived:
            raise PetArchivedError(pet_id)
        return seen

    async def record(self, telegram_id: int, record_id: int, pet_id: int | None) -> RecordView:
        """An entry and its pet, if the caller sees that pet (and it is `pet_id` when given)."""
        record = await self.records.get(record_id)
        if record is None or (pet_id is not None and record.pet_id != pet_id):
            raise RecordNotFoundError(record_id)
        try:
            seen = await self.guard.load(telegram_id, record.pet_id)
        except PetNotFoundError:
            raise RecordNotFoundError(record_id) from None
        return RecordView(seen, RecordEntry(record))

    async def same_product(self, record: MedicalRecord) -> list[MedicalRecord]:
        """The pet's other entries of the record's product (`product_key`)."""
        return [
            other
            for other in await self.all_of(record.pet_id, DUE_KINDS)
            if other.id != record.id and product_key(other) == product_key(record)
        ]

    async def all_of(self, pet_id: int, kinds: Sequence[RecordKind]) -> list[MedicalRecord]:
        return await self.records.list_for_pet(pet_id, kinds=kinds, limit=None)


class _Urgencies:
    """A triage entry shows its check's current urgency, not the one it was added with."""

    def __init__(self, checks: SymptomCheckRepository) -> None:
        self._checks = checks

    async def of(self, record: MedicalRecord) -> Urgency | None:
        if record.kind is not RecordKind.TRIAGE_RESULT:
            return None
        check_id = record.data.get(DATA_CHECK_ID)
        check = await self._checks.get(check_id) if isinstance(check_id, int) else None
        # The check must be this pet's: the entry's data is ours, but trust costs nothing here.
        if check is not None and check.pet_id == record.pet_id and check.urgency is not None:
            return check.urgency
        return Urgency(record.title) if record.title in set(Urgency) else None


# --- interactors ------------------------------------------------------------------------------


class LocalToday:
    """The caller's calendar date, in their time zone (what "today" means when they type it)."""

    def __init__(self, users: UserRepository, clock: Clock) -> None:
        self._users = users
        self._clock = clock

    async def __call__(self, telegram_id: int) -> date:
        user = await self._users.get_by_telegram_id(telegram_id)
        if user is None:
            raise UserNotFoundError(telegram_id)
        return today_in(self._clock.now(), user.time_zone)


class AddRecord:
    """Add an entry of any manual kind; owners and co-owners of an active pet only.

    A weight newer than every other weight entry also becomes the pet's current weight.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        records: MedicalRecordRepository,
        uploads: UploadRepository,
        clock: Clock,
        reminders: DueDateReminders,
        medication: MedicationReminders | None = None,
    ) -> None:
        """`medication` None: medication entries get no dose reminders."""
        self._uow = uow
        self._card = _Card(users, pets, access, records, clock)
        self._pets = pets
        self._records = records
        self._uploads = uploads
        self._clock = clock
        self._reminders = reminders
        self._medication = medication

    async def __call__(self, telegram_id: int, pet_id: int, draft: RecordDraft) -> MedicalRecord:
        seen = await self._card.editable(telegram_id, pet_id, "add_record")
        user = await self._card.user(telegram_id)
        _check_draft(draft, seen.pet, self._card.today_of(user))
        if isinstance(draft, DocumentDraft) and not draft.attachment_key.startswith(
            attachment_prefix(pet_id)
        ):
            raise ForeignAttachmentError(draft.attachment_key)
        if isinstance(draft, DocumentDraft) and not await self._uploads.claim(
            draft.attachment_key, user_id=user.id, claimed_at=self._clock.now()
        ):
            # Expired (its file is gone) or not this user's upload: never link such a key.
            raise PendingUploadGoneError(draft.attachment_key)
        newest_weight = None
        if isinstance(draft, WeightDraft):
            latest = await self._records.list_for_pet(pet_id, kinds=[RecordKind.WEIGHT], limit=1)
            newest_weight = not latest or record_date(latest[0]) <= draft.measured_on
        fields = _fields(draft)
        record = await self._records.add(
            pet_id=pet_id,
            kind=fields.kind,
            title=fields.title,
            occurred_at=midday_utc(fields.day),
            details=fields.details,
            data={DATA_DATE: fields.day.isoformat(), **fields.data},
            next_due_at=None if fields.next_due is None else midday_utc(fields.next_due),
            author_user_id=user.id,
            attachment_key=fields.attachment_key,
            attachment_content_type=fields.attachment_content_type,
        )
        if isinstance(draft, WeightDraft) and newest_weight:
            await self._pets.update(replace(seen.pet, weight_grams=draft.grams))
        if record.kind in DUE_KINDS:
            await self._sync_reminders(record)
        if self._medication is not None:
            await self._medication.entry_added(record)
        await self._uow.commit()
        return record

    async def _sync_reminders(self, record: MedicalRecord) -> None:
        """The product's latest entry decides its next dose (`due_items`): a new latest one
        takes over the reminders; an older one typed in afterwards gets none."""
        same = await self._card.same_product(record)
        if latest_entry([*same, record]) is record:
            await self._reminders.entry_added(record, replaces=[other.id for other in same])


class ListRecords:
    """A page of a pet's card, newest first, optionally of some kinds only.

    The page number is clamped into range (a stale "next page" after a deletion still shows
    something). The page also carries every product's next dose and how many weights there are.
    """

    def __init__(
        self,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        records: MedicalRecordRepository,
        checks: SymptomCheckRepository,
        clock: Clock,
    ) -> None:
        self._card = _Card(users, pets, access, records, clock)
        self._records = records
        self._urgencies = _Urgencies(checks)

    async def __call__(
        self,
        telegram_id: int,
        pet_id: int,
        *,
        kinds: Sequence[RecordKind] | None = None,
        page: int = 0,
        page_size: int = PAGE_SIZE,
    ) -> RecordPage:
        seen = await self._card.guard.load(telegram_id, pet_id)
        today = await self._card.today(telegram_id)
        wanted = list(kinds) if kinds else None
        # One statement counts the page's filter, the due kinds and the weights alike.
        counts = await self._records.count_by_kind(pet_id)
        total = sum(n for kind, n in counts.items() if wanted is None or kind in wanted)
        pages = max(1, -(-total // page_size))
        page = min(max(page, 0), pages - 1)
        listed = (
            await self._records.list_for_pet(
                pet_id, kinds=wanted, limit=page_size, offset=page * page_size
            )
            if total
            else []
        )
        has_due = any(counts.get(kind) for kind in DUE_KINDS)
        due = due_items(await self._card.all_of(pet_id, DUE_KINDS), today) if has_due else []
        due_by_id = {item.record_id: item for item in due}
        entries = [
            RecordEntry(record, due_by_id.get(record.id), await self._urgencies.of(record))
            for record in listed
        ]
        weights = counts.get(RecordKind.WEIGHT, 0)
        return RecordPage(seen, tuple(entries), total, page, pages, tuple(due), weights)


class GetRecord:
    """One entry of a pet the caller sees; with `pet_id`, only if the entry is that pet's."""

    def __init__(
        self,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        records: MedicalRecordRepository,
        checks: SymptomCheckRepository,
        clock: Clock,
    ) -> None:
        self._card = _Card(users, pets, access, records, clock)
        self._urgencies = _Urgencies(checks)

    async def __call__(
        self, telegram_id: int, record_id: int, *, pet_id: int | None = None
    ) -> RecordView:
        view = await self._card.record(telegram_id, record_id, pet_id)
        record = view.entry.record
        due = None
        if record.kind in DUE_KINDS:
            today = await self._card.today(telegram_id)
            items = due_items(await self._card.all_of(record.pet_id, DUE_KINDS), today)
            due = next((item for item in items if item.record_id == record.id), None)
        return RecordView(view.pet, RecordEntry(record, due, await self._urgencies.of(record)))


class DeleteRecord:
    """Delete an entry (and its stored file); owners and co-owners, never automatic entries."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        records: MedicalRecordRepository,
        uploads: UploadRepository,
        storage: BlobStorage,
        clock: Clock,
        reminders: DueDateReminders,
        medication: MedicationReminders | None = None,
    ) -> None:
        self._uow = uow
        self._card = _Card(users, pets, access, records, clock)
        self._pets = pets
        self._records = records
        self._uploads = uploads
        self._storage = storage
        self._reminders = reminders
        self._medication = medication

    async def __call__(
        self, telegram_id: int, record_id: int, *, pet_id: int | None = None
    ) -> None:
        view = await self._card.record(telegram_id, record_id, pet_id)
        record = view.entry.record
        seen = await self._card.editable(telegram_id, record.pet_id, "delete_record")
        if record.kind in AUTOMATIC_KINDS:
            raise RecordNotDeletableError(record_id)
        if record.kind in DUE_KINDS:
            # Deleting the product's latest entry (a mistaken duplicate, say) makes the one
            # before it the latest again: its reminders come back.
            same = await self._card.same_product(record)
            successor = latest_entry(same) if latest_entry([*same, record]) is record else None
            await self._reminders.entry_removed(record, successor=successor)
        if self._medication is not None:
            await self._medication.entry_removed(record)
        await self._records.delete(record_id)
        if record.attachment_key is not None:
            # The file stops counting against its uploader's quota with the entry.
            await self._uploads.delete_by_key(record.attachment_key)
        if record.kind is RecordKind.WEIGHT:
            # The pet's current weight follows the newest weight entry left, if any.
            latest = await self._records.list_for_pet(
                record.pet_id, kinds=[RecordKind.WEIGHT], limit=1
            )
            grams = latest[0].data.get(DATA_GRAMS) if latest else None
            if isinstance(grams, int) and grams != seen.pet.weight_grams:
                await self._pets.update(replace(seen.pet, weight_grams=grams))
        await self._uow.commit()
        if record.attachment_key is not None:
            # After the commit: a failed delete leaves an orphan file, never a dangling entry.
            try:
                await self._storage.delete(record.attachment_key)
            except Exception:
                logger.exception("could not delete the file of medical record %s", record_id)


class WeightHistory:
    """The latest weights of a pet, oldest first, each with its change from the one before."""

    def __init__(
        self,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        records: MedicalRecordRepository,
    ) -> None:
        self._guard = _PetAccessGuard(users, pets, access)
        self._records = records

    async def __call__(
        self, telegram_id: int, pet_id: int, *, limit: int = WEIGHT_TREND_POINTS
    ) -> WeightTrend:
        seen = await self._guard.load(telegram_id, pet_id)
        # One more than shown, so the first point shown has a change too.
        newest = await self._records.list_for_pet(
            pet_id, kinds=[RecordKind.WEIGHT], limit=limit + 1
        )
        weighed = [
            (record_date(record), record.id, grams)
            for record in newest
            if isinstance(grams := record.data.get(DATA_GRAMS), int)
        ]
        weighed.sort()
        points = []
        previous: int | None = None
        for measured_on, record_id, grams in weighed:
            change = None if previous is None else grams - previous
            points.append(WeightPoint(record_id, measured_on, grams, change))
            previous = grams
        return WeightTrend(seen, tuple(points[-limit:]))


class VaccinationStatus:
    """Every vaccination's and parasite treatment's next dose, soonest first, marked overdue
    when its date is before the caller's today (the injected clock, the caller's time zone)."""

    def __init__(
        self,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        records: MedicalRecordRepository,
        clock: Clock,
    ) -> None:
        self._card = _Card(users, pets, access, records, clock)

    async def __call__(self, telegram_id: int, pet_id: int) -> list[DueItem]:
        await self._card.guard.load(telegram_id, pet_id)
        today = await self._card.today(telegram_id)
        return due_items(await self._card.all_of(pet_id, DUE_KINDS), today)


class StoreRecordDocument:
    """Check an uploaded document by its bytes, strip a picture's metadata, and store it.

    PDFs are stored as they are; pictures are re-encoded (EXIF with GPS dropped). Runs while the
    owner is in the form, so a refused file is explained at once; `AddRecord` links the key.
    The file is recorded as the caller's pending upload (see `core.ports.uploads`): removed
    unless a saved entry claims it, and refused with `UploadQuotaExceededError` when the caller's
    stored uploads would pass `UploadLimits.user_quota_bytes`.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        records: MedicalRecordRepository,
        uploads: UploadRepository,
        storage: BlobStorage,
        sanitizer: ImageSanitizer,
        clock: Clock,
        limits: UploadLimits,
        image_work: ImageWork,
    ) -> None:
        self._uow = uow
        self._card = _Card(users, pets, access, records, clock)
        self._uploads = uploads
        self._storage = storage
        self._sanitizer = sanitizer
        self._clock = clock
        self._limits = limits
        self._image_work = image_work

    async def __call__(
        self, telegram_id: int, pet_id: int, data: bytes, *, replaces: str | None = None
    ) -> StoredDocument:
        """`replaces`: the caller's pending upload this file takes the place of in the form;
        it is not counted against the quota (the form discards it once this one is stored)."""
        await self._card.editable(telegram_id, pet_id, "add_record")
        content_type = check_upload(data, DOCUMENT_POLICY)
        if content_type in IMAGE_CONTENT_TYPES:
            # Decoding and re-encoding is CPU work and memory: off the event loop, within the
            # process's bound on decodes at once, and under the lower cap for documents.
            clean = await self._image_work.run(
                self._sanitizer.sanitize, data, ImagePurpose.DOCUMENT
            )
            data, content_type = clean.data, clean.content_type
        extension = EXTENSIONS.get(content_type)
        if extension is None:  # pragma: no cover - the sanitizer outputs a known type
            raise UploadRejectedError(UploadRejectReason.UNSUPPORTED_TYPE, detected=content_type)
        user = await self._card.user(telegram_id)
        # Measured after re-encoding: what is stored is what counts. Two uploads racing may
        # both pass by at most one file each; the quota bounds abuse, not single bytes.
        used = await self._uploads.bytes_of_user(user.id)
        replaced = await self._uploads.get_by_key(replaces) if replaces else None
        if replaced is not None and replaced.user_id == user.id and replaced.is_pending:
            used -= replaced.size_bytes
        if used + len(data) > self._limits.user_quota_bytes:
            raise UploadQuotaExceededError(used, len(data), self._limits.user_quota_bytes)
        key = f"{attachment_prefix(pet_id)}{uuid.uuid4().hex}.{extension}"
        await self._storage.put(key, data, content_type)
        try:
            await self._uploads.add(
                user_id=user.id,
                pet_id=pet_id,
                storage_key=key,
                size_bytes=len(data),
                created_at=self._clock.now(),
            )
            await self._uow.commit()
        except BaseException:
            # Unrecorded, nothing would ever remove the file: take it back before failing.
            try:
                await self._storage.delete(key)
            except Exception:
                logger.exception("could not take back the unrecorded upload %s", key)
            raise
        return StoredDocument(key, content_type, len(data))


class GetRecordDocument:
    """The stored file of a document entry, or None when it has none (or it is gone)."""

    def __init__(
        self,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        records: MedicalRecordRepository,
        storage: BlobStorage,
        clock: Clock,
    ) -> None:
        self._card = _Card(users, pets, access, records, clock)
        self._storage = storage

    async def __call__(
        self, telegram_id: int, record_id: int, *, pet_id: int | None = None
    ) -> RecordDocument | None:
        view = await self._card.record(telegram_id, record_id, pet_id)
        record = view.entry.record
        if record.attachment_key is None:
            return None
        try:
            data = await self._storage.get(record.attachment_key)
        except BlobNotFoundError:
            logger.warning("the file of medical record %s is missing from storage", record_id)
            return None
        content_type = record.attachment_content_type or "application/octet-stream"
        return RecordDocument(record, data, content_type)


# --- drafts → stored fields -------------------------------------------------------------------


def _check_draft(draft: RecordDraft, pet: Pet, today: date) -> None:
    match draft:
        case VaccinationDraft() | ParasiteTreatmentDraft():
            check_text(draft.product, MAX_TITLE_LENGTH)
            check_past_date(draft.given_on, today)
            if draft.next_due is not None:
                check_next_due(draft.next_due, draft.given_on)
            if isinstance(draft, VaccinationDraft) and draft.batch is not None:
                check_batch(draft.batch)
        case MedicationDraft():
            check_text(draft.drug, MAX_TITLE_LENGTH)
            check_text(draft.dose, MAX_DOSE_LENGTH)
            check_text(draft.schedule, MAX_SCHEDULE_LENGTH)
            check_past_date(draft.start, today)
            if draft.end is not None:
                check_course_end(draft.end, draft.start)
            if draft.dose_times:
                parse_dose_times(" ".join(draft.dose_times))
        case (
            ProcedureDraft(name=title, performed_on=day, note=note)
            | AllergyDraft(allergen=title, noted_on=day, reaction=note)
            | ChronicConditionDraft(condition=title, diagnosed_on=day, note=note)
        ):
            check_text(title, MAX_TITLE_LENGTH)
            check_past_date(day, today)
            if note is not None:
                check_text(note, MAX_NOTE_LENGTH)
        case WeightDraft():
            check_weight(draft.grams, pet.species)
            check_past_date(draft.measured_on, today)
        case DocumentDraft():
            check_text(draft.title, MAX_TITLE_LENGTH)
            check_past_date(draft.dated, today)


@dataclass(frozen=True, slots=True)
class _Fields:
    """What `MedicalRecordRepository.add` stores for a draft (the pet and author aside)."""

    kind: RecordKind
    title: str
    day: date
    details: str | None = None
    data: dict[str, object] = field(default_factory=dict)
    next_due: date | None = None
    attachment_key: str | None = None
    attachment_content_type: str | None = None


def _fields(draft: RecordDraft) -> _Fields:
    match draft:
        case VaccinationDraft():
            return _Fields(
                RecordKind.VACCINATION,
                draft.product,
                draft.given_on,
                data={DATA_BATCH: draft.batch} if draft.batch else {},
                next_due=draft.next_due,
            )
        case ParasiteTreatmentDraft():
            return _Fields(
                RecordKind.PARASITE_TREATMENT,
                draft.product,
                draft.given_on,
                next_due=draft.next_due,
            )
        case MedicationDraft():
            data: dict[str, object] = {DATA_DOSE: draft.dose, DATA_SCHEDULE: draft.schedule}
            if draft.end is not None:
                data[DATA_COURSE_END] = draft.end.isoformat()
            if draft.dose_times:
                data[DATA_DOSE_TIMES] = list(draft.dose_times)
            return _Fields(RecordKind.MEDICATION, draft.drug, draft.start, data=data)
        case ProcedureDraft():
            return _Fields(RecordKind.PROCEDURE, draft.name, draft.performed_on, draft.note)
        case AllergyDraft():
            return _Fields(RecordKind.ALLERGY, draft.allergen, draft.noted_on, draft.reaction)
        case ChronicConditionDraft():
            return _Fields(
                RecordKind.CHRONIC_CONDITION, draft.condition, draft.diagnosed_on, draft.note
            )
        case WeightDraft():
            # No title: the weight is the entry; readers use data["grams"].
            return _Fields(
                RecordKind.WEIGHT, "", draft.measured_on, data={DATA_GRAMS: draft.grams}
            )
        case DocumentDraft():
            return _Fields(
                RecordKind.DOCUMENT,
                draft.title,
                draft.dated,
                attachment_key=draft.attachment_key,
                attachment_content_type=draft.content_type,
            )
