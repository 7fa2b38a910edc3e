"""Medical card interactors on in-memory repositories: entries, access, due dates, weights."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from core.entities import Pet, SymptomCheck
from core.enums import AccessLevel, CheckStatus, RecordKind, Species, Urgency
from core.image_work import ImagePurpose, ImageWork
from core.interactors.pets import AddPet, ArchivePet, ArchiveReason, PetDraft
from core.interactors.records import (
    AddRecord,
    AllergyDraft,
    ChronicConditionDraft,
    DeleteRecord,
    DocumentDraft,
    ForeignAttachmentError,
    GetRecord,
    GetRecordDocument,
    ListRecords,
    LocalToday,
    MedicationDraft,
    ParasiteTreatmentDraft,
    ProcedureDraft,
    RecordNotDeletableError,
    RecordNotFoundError,
    StoreRecordDocument,
    VaccinationDraft,
    VaccinationStatus,
    WeightDraft,
    WeightHistory,
    attachment_prefix,
)
from core.interactors.reminders import DueDateReminders
from core.pets_errors import (
    PetAccessDeniedError,
    PetArchivedError,
    PetInputError,
    PetNotFoundError,
)
from core.ports.images import SanitizedImage
from core.ports.storage import BlobNotFoundError
from core.record_input import RecordInputError, RecordInputErrorReason
from core.upload_quota import PendingUploadGoneError, UploadLimits
from core.uploads import JPEG, PDF, UploadRejectedError, UploadRejectReason
from tests.support.fake_records import FakeRecords
from tests.support.fake_reminders import FakeReminders
from tests.support.uploads import FakeUploads
from tests.unit.test_pet_interactors import (
    COOWNER_TG,
    NOW,
    OWNER_TG,
    STRANGER_TG,
    VIEWER_TG,
    FakeAccess,
    FakePets,
    FakeUow,
    FakeUsers,
    FixedClock,
)

TODAY = date(2025, 6, 15)  # NOW in Moscow
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"exif-with-gps" * 10
PDF_BYTES = b"%PDF-1.7\n" + b"lab results" * 10


class FakeChecks:
    def __init__(self) -> None:
        self.rows: dict[int, SymptomCheck] = {}

    async def get(self, check_id: int) -> SymptomCheck | None:
        return self.rows.get(check_id)


class FakeStorage:
    def __init__(self) -> None:
        self.blobs: dict[str, tuple[bytes, str]] = {}

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        self.blobs[key] = (data, content_type)

    async def get(self, key: str) -> bytes:
        if key not in self.blobs:
            raise BlobNotFoundError(key)
        return self.blobs[key][0]

    async def delete(self, key: str) -> None:
        self.blobs.pop(key, None)


class FakeSanitizer:
    def __init__(self) -> None:
        self.seen: list[bytes] = []
        self.purposes: list[ImagePurpose] = []

    def sanitize(self, data: bytes, purpose: ImagePurpose = ImagePurpose.PHOTO) -> SanitizedImage:
        self.seen.append(data)
        self.purposes.append(purpose)
        return SanitizedImage(b"\xff\xd8\xff clean pixels", JPEG, 10, 10)


@dataclasses.dataclass
class Card:
    uow: FakeUow
    users: FakeUsers
    pets: FakePets
    access: FakeAccess
    records: FakeRecords
    checks: FakeChecks
    storage: FakeStorage
    sanitizer: FakeSanitizer
    clock: Any
    uploads: FakeUploads = dataclasses.field(default_factory=FakeUploads)
    reminders: FakeReminders = dataclasses.field(default_factory=FakeReminders)
    limits: UploadLimits = dataclasses.field(
        default_factory=lambda: UploadLimits(timedelta(days=1), 100 * 1024 * 1024)
    )

    def make(self, interactor: type[Any]) -> Any:
        u, p, a, r = self.users, self.pets, self.access, self.records
        # Partial fakes: only the methods these interactors call.
        checks: Any = self.checks
        storage: Any = self.storage
        reminders: Any = self.reminders
        due_dates = DueDateReminders(reminders, u, a, self.clock)
        factories: dict[type[Any], Any] = {
            AddRecord: lambda: AddRecord(
                self.uow, u, p, a, r, self.uploads, self.clock, due_dates
            ),
            ListRecords: lambda: ListRecords(u, p, a, r, checks, self.clock),
            GetRecord: lambda: GetRecord(u, p, a, r, checks, self.clock),
            DeleteRecord: lambda: DeleteRecord(
                self.uow, u, p, a, r, self.uploads, storage, self.clock, due_dates
            ),
            WeightHistory: lambda: WeightHistory(u, p, a, r),
            VaccinationStatus: lambda: VaccinationStatus(u, p, a, r, self.clock),
            StoreRecordDocument: lambda: StoreRecordDocument(
                self.uow,
                u,
                p,
                a,
                r,
                self.uploads,
                storage,
                self.sanitizer,
                self.clock,
                self.limits,
                image_work=ImageWork(1),
            ),
            GetRecordDocument: lambda: GetRecordDocument(u, p, a, r, storage, self.clock),
            LocalToday: lambda: LocalToday(u, self.clock),
        }
        return factories[interactor]()

    async def add(self, draft: Any, telegram_id: int = OWNER_TG, pet_id: int = 1) -> Any:
        return await self.make(AddRecord)(telegram_id, pet_id, draft)


@pytest.fixture
async def card() -> Card:
    access = FakeAccess()
    users = FakeUsers()
    for telegram_id in (OWNER_TG, COOWNER_TG, VIEWER_TG, STRANGER_TG):
        await users.add(telegram_id=telegram_id, first_name="u", username=None, language="ru")
    world = Card(
        FakeUow(),
        users,
        FakePets(access),
        access,
        FakeRecords(),
        FakeChecks(),
        FakeStorage(),
        FakeSanitizer(),
        FixedClock(),
    )
    pet: Pet = await AddPet(world.uow, users, world.pets, access, world.records, world.clock)(
        OWNER_TG, PetDraft(name="Барсик", species=Species.CAT, weight_grams=4000)
    )
    owner = await users.get_by_telegram_id(OWNER_TG)
    assert owner is not None and pet.id == 1
    # The profile's weight became the card's first weight entry (tested on its own in
    # test_pet_interactors); these tests count only the entries they add, so it goes.
    assert [r.data for r in world.records.rows.values()] == [{"date": "2025-06-15", "grams": 4000}]
    world.records.rows.clear()
    for telegram_id, level in (
        (COOWNER_TG, AccessLevel.CO_OWNER),
        (VIEWER_TG, AccessLevel.VIEWER),
    ):
        shared = await users.get_by_telegram_id(telegram_id)
        assert shared is not None
        await access.grant(pet_id=1, user_id=shared.id, level=level, granted_at=NOW)
    return world


# --- adding -------------------------------------------------------------------------------------


async def test_each_kind_is_stored_with_its_fields(card: Card) -> None:
    drafts = [
        VaccinationDraft("Nobivac Rabies", date(2025, 3, 1), date(2026, 3, 1)),
        ParasiteTreatmentDraft("Bravecto", date(2025, 5, 1)),
        MedicationDraft("Synulox", "50 mg", "2×/day", date(2025, 6, 1), date(2025, 6, 10)),
        ProcedureDraft("Dental cleaning", date(2024, 11, 2), "under sedation"),
        AllergyDraft("Chicken", date(2024, 1, 5), "itching"),
        ChronicConditionDraft("CKD", date(2023, 9, 9)),
        WeightDraft(4200, date(2025, 6, 15)),
    ]
    records = [await card.add(draft) for draft in drafts]

    kinds = [record.kind for record in records]
    assert kinds == [
        RecordKind.VACCINATION,
        RecordKind.PARASITE_TREATMENT,
        RecordKind.MEDICATION,
        RecordKind.PROCEDURE,
        RecordKind.ALLERGY,
        RecordKind.CHRONIC_CONDITION,
        RecordKind.WEIGHT,
    ]
    vaccine, _, course, procedure, allergy, _, weight = records
    assert vaccine.title == "Nobivac Rabies"
    assert vaccine.occurred_at == datetime(2025, 3, 1, 12, tzinfo=UTC)
    assert vaccine.next_due_at == datetime(2026, 3, 1, 12, tzinfo=UTC)
    assert vaccine.data == {"date": "2025-03-01"}
    assert course.data == {
        "date": "2025-06-01",
        "dose": "50 mg",
        "schedule": "2×/day",
        "end": "2025-06-10",
    }
    assert (procedure.details, allergy.details) == ("under sedation", "itching")
    assert (weight.title, weight.data) == ("", {"date": "2025-06-15", "grams": 4200})
    owner = await card.users.get_by_telegram_id(OWNER_TG)
    assert owner is not None
    assert {record.author_user_id for record in records} == {owner.id}
    assert card.uow.commits == 1 + len(drafts)  # the pet, then one per entry


async def test_a_co_owner_adds_but_a_viewer_or_a_stranger_cannot(card: Card) -> None:
    draft = VaccinationDraft("Nobivac", date(2025, 1, 1))
    assert (await card.add(draft, COOWNER_TG)).kind is RecordKind.VACCINATION
    with pytest.raises(PetAccessDeniedError):
        await card.add(draft, VIEWER_TG)
    with pytest.raises(PetNotFoundError):
        await card.add(draft, STRANGER_TG)
    with pytest.raises(PetNotFoundError):
        await card.add(draft, OWNER_TG, pet_id=999)
    assert len(card.records.rows) == 1


async def test_an_archived_pets_card_is_read_only(card: Card) -> None:
    await ArchivePet(card.uow, card.users, card.pets, card.access, card.clock)(
        OWNER_TG, 1, ArchiveReason.DECEASED
    )
    with pytest.raises(PetArchivedError):
        await card.add(WeightDraft(4000, TODAY))
    assert (await card.make(ListRecords)(VIEWER_TG, 1)).total == 0


@pytest.mark.parametrize(
    ("draft", "reason"),
    [
        (VaccinationDraft(" ", TODAY), RecordInputErrorReason.TEXT_EMPTY),
        (VaccinationDraft("x" * 121, TODAY), RecordInputErrorReason.TEXT_TOO_LONG),
        (VaccinationDraft("N", TODAY + timedelta(days=1)), RecordInputErrorReason.DATE_IN_FUTURE),
        (VaccinationDraft("N", TODAY, TODAY), RecordInputErrorReason.DUE_NOT_AFTER),
        (
            MedicationDraft("S", "1", "daily", TODAY, TODAY - timedelta(days=1)),
            RecordInputErrorReason.END_BEFORE_START,
        ),
        (ProcedureDraft("X", date(1970, 1, 1)), RecordInputErrorReason.DATE_TOO_OLD),
    ],
)
async def test_adding_refuses_what_the_dialog_refuses(
    card: Card, draft: Any, reason: RecordInputErrorReason
) -> None:
    with pytest.raises(RecordInputError) as caught:
        await card.add(draft)
    assert caught.value.reason is reason
    assert card.records.rows == {}


async def test_a_weight_is_checked_for_the_species_and_the_newest_becomes_the_pets(
    card: Card,
) -> None:
    with pytest.raises(PetInputError):
        await card.add(WeightDraft(45_000, TODAY))  # a 45 kg cat: grams meant
    await card.add(WeightDraft(4300, date(2025, 6, 1)))
    assert card.pets.rows[1].weight_grams == 4300
    await card.add(WeightDraft(3900, date(2025, 1, 1)))  # an older weighing, entered late
    assert card.pets.rows[1].weight_grams == 4300
    await card.add(WeightDraft(4500, TODAY))
    assert card.pets.rows[1].weight_grams == 4500


async def test_a_document_must_be_a_file_stored_for_this_pet_by_this_user(card: Card) -> None:
    foreign = DocumentDraft("Blood test", TODAY, "pets/2/records/x.pdf", PDF)
    with pytest.raises(ForeignAttachmentError):
        await card.add(foreign)
    # On this pet, but never uploaded (or expired): not linked either.
    with pytest.raises(PendingUploadGoneError):
        await card.add(DocumentDraft("Blood test", TODAY, f"{attachment_prefix(1)}x.pdf", PDF))
    key = (await card.make(StoreRecordDocument)(OWNER_TG, 1, PDF_BYTES)).storage_key
    # Someone else's pending upload on the same pet is not theirs to claim.
    with pytest.raises(PendingUploadGoneError):
        await card.add(DocumentDraft("Blood test", TODAY, key, PDF), telegram_id=COOWNER_TG)
    record = await card.add(DocumentDraft("Blood test", TODAY, key, PDF))
    assert (record.attachment_key, record.attachment_content_type) == (key, PDF)
    assert not card.uploads.rows[key].is_pending


# --- documents ----------------------------------------------------------------------------------


async def test_a_pdf_is_stored_as_is_and_a_photo_re_encoded(card: Card) -> None:
    store = card.make(StoreRecordDocument)
    pdf = await store(OWNER_TG, 1, PDF_BYTES)
    assert pdf.content_type == PDF
    assert pdf.storage_key.startswith("pets/1/records/")
    assert pdf.storage_key.endswith(".pdf")
    assert card.storage.blobs[pdf.storage_key] == (PDF_BYTES, PDF)

    photo = await store(OWNER_TG, 1, JPEG_BYTES)
    assert card.sanitizer.seen == [JPEG_BYTES]
    # A picture kept in the card gets the documents' (lower) pixel cap.
    assert card.sanitizer.purposes == [ImagePurpose.DOCUMENT]
    assert photo.storage_key.endswith(".jpg")
    assert card.storage.blobs[photo.storage_key] == (b"\xff\xd8\xff clean pixels", JPEG)


async def test_a_refused_upload_stores_nothing(card: Card) -> None:
    store = card.make(StoreRecordDocument)
    for data, reason in (
        (b"", UploadRejectReason.EMPTY),
        (b"PK\x03\x04 a zip", UploadRejectReason.UNSUPPORTED_TYPE),
    ):
        with pytest.raises(UploadRejectedError) as caught:
            await store(OWNER_TG, 1, data)
        assert caught.value.reason is reason
    with pytest.raises(PetAccessDeniedError):
        await store(VIEWER_TG, 1, PDF_BYTES)
    assert card.storage.blobs == {}


async def test_the_file_comes_back_to_anyone_who_sees_the_card(card: Card) -> None:
    stored = await card.make(StoreRecordDocument)(OWNER_TG, 1, PDF_BYTES)
    record = await card.add(DocumentDraft("Blood test", TODAY, stored.storage_key, PDF))
    document = await card.make(GetRecordDocument)(VIEWER_TG, record.id)
    assert (document.data, document.is_image, document.extension) == (PDF_BYTES, False, "pdf")
    with pytest.raises(RecordNotFoundError):
        await card.make(GetRecordDocument)(STRANGER_TG, record.id)
    del card.storage.blobs[stored.storage_key]
    assert await card.make(GetRecordDocument)(OWNER_TG, record.id) is None


# --- reading ------------------------------------------------------------------------------------


async def test_the_card_pages_newest_first_and_filters_by_kind(card: Card) -> None:
    for day in range(1, 15):
        await card.add(WeightDraft(4000 + day, date(2025, 5, day)))
    await card.add(VaccinationDraft("Nobivac", date(2025, 4, 1)))
    listing = card.make(ListRecords)

    first = await listing(VIEWER_TG, 1, page_size=6)
    assert (first.total, first.page, first.pages, first.has_prev, first.has_next) == (
        15,
        0,
        3,
        False,
        True,
    )
    assert [entry.day for entry in first.entries] == [date(2025, 5, d) for d in range(14, 8, -1)]
    last = await listing(VIEWER_TG, 1, page=99, page_size=6)  # clamped
    assert (last.page, [entry.record.kind for entry in last.entries]) == (
        2,
        [RecordKind.WEIGHT, RecordKind.WEIGHT, RecordKind.VACCINATION],
    )
    vaccines = await listing(VIEWER_TG, 1, kinds=[RecordKind.VACCINATION])
    assert (vaccines.total, vaccines.pages, vaccines.weight_count) == (1, 1, 14)
    with pytest.raises(PetNotFoundError):
        await listing(STRANGER_TG, 1)


async def test_overdue_is_the_latest_dose_of_a_product_past_its_date(card: Card) -> None:
    old_rabies = await card.add(
        VaccinationDraft("Nobivac Rabies", date(2023, 5, 1), date(2024, 5, 1))
    )
    rabies = await card.add(
        VaccinationDraft("nobivac  RABIES", date(2024, 5, 3), date(2025, 5, 3))
    )
    dhppi = await card.add(VaccinationDraft("Nobivac DHPPi", date(2025, 1, 10), date(2026, 1, 10)))
    fleas = await card.add(ParasiteTreatmentDraft("Bravecto", date(2025, 3, 1), date(2025, 6, 1)))
    await card.add(VaccinationDraft("Leptospirosis", date(2025, 2, 1)))  # nothing planned

    status = await card.make(VaccinationStatus)(VIEWER_TG, 1)
    assert [(item.record_id, item.overdue, item.days_left) for item in status] == [
        (rabies.id, True, -43),
        (fleas.id, True, -14),
        (dhppi.id, False, 209),
    ]
    page = await card.make(ListRecords)(OWNER_TG, 1)
    overdue = {entry.record.id for entry in page.entries if entry.overdue}
    assert overdue == {rabies.id, fleas.id}
    assert old_rabies.id not in overdue  # superseded by the later dose
    assert [item.record_id for item in page.due] == [item.record_id for item in status]

    viewed = await card.make(GetRecord)(VIEWER_TG, rabies.id, pet_id=1)
    assert viewed.entry.overdue and viewed.entry.due is not None
    assert not (await card.make(GetRecord)(VIEWER_TG, old_rabies.id)).entry.overdue


async def test_overdue_follows_the_clock(card: Card) -> None:
    await card.add(VaccinationDraft("Nobivac", date(2025, 1, 1), date(2025, 6, 20)))
    assert not (await card.make(VaccinationStatus)(OWNER_TG, 1))[0].overdue

    class Later:
        def now(self) -> datetime:
            return NOW + timedelta(days=6)

    card.clock = Later()
    assert (await card.make(VaccinationStatus)(OWNER_TG, 1))[0].overdue


async def test_the_weight_trend_shows_the_latest_points_with_their_changes(card: Card) -> None:
    for day, grams in ((1, 4000), (2, 4200), (3, 4200), (4, 3900), (5, 4100)):
        await card.add(WeightDraft(grams, date(2025, 6, day)))
    trend = await card.make(WeightHistory)(VIEWER_TG, 1, limit=3)
    assert [(p.measured_on.day, p.grams, p.change_grams) for p in trend.points] == [
        (3, 4200, 0),
        (4, 3900, -300),
        (5, 4100, 200),
    ]
    assert trend.change_grams == -100
    full = await card.make(WeightHistory)(OWNER_TG, 1)
    assert full.points[0].change_grams is None and full.change_grams == 100
    with pytest.raises(PetNotFoundError):
        await card.make(WeightHistory)(STRANGER_TG, 1)


async def test_a_triage_entry_shows_its_checks_current_urgency(card: Card) -> None:
    record = await card.records.add(
        pet_id=1,
        kind=RecordKind.TRIAGE_RESULT,
        title="medium",
        occurred_at=NOW,
        data={"check_id": 7},
    )
    assert (await card.make(GetRecord)(OWNER_TG, record.id)).entry.urgency is Urgency.MEDIUM
    card.checks.rows[7] = SymptomCheck(
        id=7,
        pet_id=1,
        user_id=1,
        status=CheckStatus.DONE,
        answers={},
        urgency=Urgency.HIGH,  # refined by the photo analysis
        result=None,
        rules_version=None,
        model_used=True,
        model_version=None,
        error=None,
        attempts=1,
        created_at=NOW,
        submitted_at=NOW,
        completed_at=NOW,
        notified_at=NOW,
    )
    [entry] = (await card.make(ListRecords)(OWNER_TG, 1)).entries
    assert entry.urgency is Urgency.HIGH
    with pytest.raises(RecordNotDeletableError):
        await card.make(DeleteRecord)(OWNER_TG, record.id)


async def test_an_entry_of_someone_elses_pet_is_not_found(card: Card) -> None:
    record = await card.add(AllergyDraft("Chicken", TODAY))
    get = card.make(GetRecord)
    with pytest.raises(RecordNotFoundError):
        await get(STRANGER_TG, record.id)
    with pytest.raises(RecordNotFoundError):
        await get(OWNER_TG, record.id, pet_id=2)  # the entry is not that pet's
    with pytest.raises(RecordNotFoundError):
        await get(OWNER_TG, 999)
    with pytest.raises(RecordNotFoundError):
        await card.make(DeleteRecord)(STRANGER_TG, record.id)
    assert record.id in card.records.rows


# --- deleting -----------------------------------------------------------------------------------


async def test_deleting_removes_the_entry_and_its_file(card: Card) -> None:
    stored = await card.make(StoreRecordDocument)(OWNER_TG, 1, PDF_BYTES)
    record = await card.add(DocumentDraft("Discharge", TODAY, stored.storage_key, PDF))
    with pytest.raises(PetAccessDeniedError):
        await card.make(DeleteRecord)(VIEWER_TG, record.id)
    await card.make(DeleteRecord)(COOWNER_TG, record.id)
    assert card.records.rows == {} and card.storage.blobs == {}


async def test_deleting_the_newest_weight_restores_the_one_before(card: Card) -> None:
    await card.add(WeightDraft(4300, date(2025, 6, 1)))
    newest = await card.add(WeightDraft(4800, TODAY))
    assert card.pets.rows[1].weight_grams == 4800
    await card.make(DeleteRecord)(OWNER_TG, newest.id)
    assert card.pets.rows[1].weight_grams == 4300


async def test_today_is_the_callers_date_in_their_zone(card: Card) -> None:
    class JustBeforeMidnightUtc:
        def now(self) -> datetime:
            return datetime(2025, 6, 14, 22, 0, tzinfo=UTC)

    card.clock = JustBeforeMidnightUtc()
    assert await card.make(LocalToday)(OWNER_TG) == date(2025, 6, 15)  # Moscow, 01:00
