"""Files sent in forms (issue #10): pending until saved, removed when the form is cancelled or
when they expire, counted against a per-user quota, and removed with the pet or the account.

Each test has its own database: SQLite files copied from the migrated template, or this run's
private PostgreSQL database (telegram ids differ per test, so rows never meet). Storage is the
file backend, and moto's S3 server where the expiry job is tested.
"""

from __future__ import annotations

import io
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot
from aiogram.types import Document
from aiogram_i18n.cores import FluentRuntimeCore
from dishka import AsyncContainer, Provider, Scope, provide

from bot.ioc import create_container
from core.config import Settings, ThrottleSection, UploadsSection
from core.enums import AccessLevel, Species
from core.interactors.account import DeleteAccount
from core.interactors.onboarding import RegisterUser, TelegramProfile
from core.interactors.pending_uploads import ExpirePendingUploads
from core.interactors.pets import AddPet, DeletePet, PetDraft
from core.interactors.records import AddRecord, DocumentDraft, StoreRecordDocument
from core.ports.repositories import (
    MedicalRecordRepository,
    PetAccessRepository,
    UserRepository,
)
from core.ports.storage import BlobStorage
from core.ports.uow import UnitOfWork
from core.ports.uploads import Upload, UploadRepository
from core.upload_quota import UploadQuotaExceededError
from core.uploads import PDF
from db.storage.s3 import S3BlobStorage, create_s3_client
from tests.conftest import make_settings
from tests.integration.test_blob_storage import moto_endpoint  # noqa: F401 - a fixture
from tests.support.chatting import USER_ID, Chatting, load_texts, open_chat
from tests.support.clocks import ShiftedClock, clock_provider

TTL = timedelta(hours=6)
MIB = 1024 * 1024


def _pdf(size: int = 200) -> bytes:
    head = b"%PDF-1.4\n"
    return head + b"0" * max(size - len(head), 0)


def _s3_provider(endpoint: str) -> Provider:
    class S3Provider(Provider):
        @provide(scope=Scope.APP)
        async def storage(self) -> BlobStorage:
            # A bucket per test: tests never see each other's objects.
            storage = S3BlobStorage(create_s3_client(endpoint), f"up-{uuid.uuid4().hex[:12]}")
            await storage.ensure_bucket()
            return storage

    return S3Provider()


@pytest.fixture
def clock() -> ShiftedClock:
    return ShiftedClock()


@pytest.fixture(
    params=[pytest.param("postgresql", marks=pytest.mark.postgres), pytest.param("sqlite")]
)
def any_db_settings(
    request: pytest.FixtureRequest, migrated_sqlite_template: Path, tmp_path: Path
) -> Settings:
    """Settings on SQLite (a copy of the template) or on this run's private PostgreSQL."""
    uploads = UploadsSection(pending_ttl_s=int(TTL.total_seconds()), user_quota_bytes=MIB)
    if request.param == "sqlite":
        database = tmp_path / "telemed.db"
        shutil.copyfile(migrated_sqlite_template, database)
        return make_settings(database, uploads=uploads)
    url: str = request.getfixturevalue("migrated_postgres_url")
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=url,
        storage_url=f"file://{tmp_path / 'files'}",
        throttle=ThrottleSection(enabled=False),
        uploads=uploads,
    )


@pytest.fixture
async def container(any_db_settings: Settings, clock: ShiftedClock) -> AsyncIterator[Any]:
    # A bot that is never called: /delete_me resolves refunds through it (none due here).
    bot = Bot("42:TEST-never-called")
    built = create_container(any_db_settings, clock_provider(clock), bot=bot)
    try:
        yield built
    finally:
        await built.close()
        await bot.session.close()


def _ids() -> Iterator[int]:
    # Telegram ids unique within the run: the PostgreSQL database is shared by the run's tests.
    base = 7_000_000 + uuid.uuid4().int % 1_000_000 * 10
    return iter(range(base, base + 10))


async def _register(container: AsyncContainer, telegram_id: int) -> None:
    async with container() as request:
        await (await request.get(RegisterUser))(
            TelegramProfile(telegram_id, f"User {telegram_id}", None, "en")
        )


async def _pet(container: AsyncContainer, telegram_id: int, name: str = "Rex") -> int:
    async with container() as request:
        pet = await (await request.get(AddPet))(
            telegram_id, PetDraft(name=name, species=Species.DOG)
        )
    return pet.id


async def _share(container: AsyncContainer, pet_id: int, telegram_id: int) -> None:
    async with container() as request:
        user = await (await request.get(UserRepository)).get_by_telegram_id(telegram_id)
        assert user is not None
        await (await request.get(PetAccessRepository)).grant(
            pet_id=pet_id,
            user_id=user.id,
            level=AccessLevel.CO_OWNER,
            granted_at=datetime.now(UTC),
        )
        await (await request.get(UnitOfWork)).commit()


async def _store(container: AsyncContainer, telegram_id: int, pet_id: int, size: int = 200) -> str:
    async with container() as request:
        stored = await (await request.get(StoreRecordDocument))(telegram_id, pet_id, _pdf(size))
    return stored.storage_key


async def _save(container: AsyncContainer, telegram_id: int, pet_id: int, key: str) -> None:
    async with container() as request:
        await (await request.get(AddRecord))(
            telegram_id, pet_id, DocumentDraft("Blood test", date(2025, 6, 1), key, PDF)
        )


async def _row(container: AsyncContainer, key: str) -> Upload | None:
    async with container() as request:
        upload: Upload | None = await (await request.get(UploadRepository)).get_by_key(key)
    return upload


async def _expire(container: AsyncContainer) -> int:
    async with container() as request:
        removed: int = await (await request.get(ExpirePendingUploads))()
    return removed


# --- pending, claimed, expired -------------------------------------------------------------------


async def test_an_upload_is_pending_until_the_form_is_saved(container: Any) -> None:
    owner = next(_ids())
    await _register(container, owner)
    pet_id = await _pet(container, owner)
    key = await _store(container, owner, pet_id, size=300)
    row = await _row(container, key)
    assert row is not None and row.is_pending
    assert (row.pet_id, row.size_bytes) == (pet_id, 300)
    await _save(container, owner, pet_id, key)
    row = await _row(container, key)
    assert row is not None and not row.is_pending


async def test_unsaved_uploads_expire_after_the_ttl_and_saved_ones_stay(
    container: Any, clock: ShiftedClock
) -> None:
    owner = next(_ids())
    await _register(container, owner)
    pet_id = await _pet(container, owner)
    abandoned = await _store(container, owner, pet_id)
    saved = await _store(container, owner, pet_id)
    await _save(container, owner, pet_id, saved)
    storage = await container.get(BlobStorage)

    clock.shift = TTL - timedelta(minutes=1)
    assert await _expire(container) == 0
    assert await storage.exists(abandoned)

    clock.shift = TTL + timedelta(minutes=1)
    assert await _expire(container) == 1
    assert not await storage.exists(abandoned)
    assert await _row(container, abandoned) is None
    assert await storage.exists(saved)
    assert await _row(container, saved) is not None
    assert await _expire(container) == 0  # idempotent


async def test_expiry_removes_the_object_from_s3(
    settings: Settings,
    clock: ShiftedClock,
    moto_endpoint: str,  # noqa: F811 - the fixture imported above
) -> None:
    built = create_container(settings, clock_provider(clock), _s3_provider(moto_endpoint))
    try:
        owner = next(_ids())
        await _register(built, owner)
        pet_id = await _pet(built, owner)
        key = await _store(built, owner, pet_id)
        storage = await built.get(BlobStorage)
        assert isinstance(storage, S3BlobStorage) and await storage.exists(key)
        clock.shift = timedelta(seconds=settings.uploads.pending_ttl_s + 60)
        assert await _expire(built) == 1
        assert await storage.list_keys("") == []
    finally:
        await built.close()


# --- the quota -----------------------------------------------------------------------------------


async def test_the_quota_counts_stored_and_pending_files_and_refuses_past_it(
    container: Any,
) -> None:
    owner, other = next(_ids()), next(_ids()) + 1
    for telegram_id in (owner, other):
        await _register(container, telegram_id)
    pet_id = await _pet(container, owner)
    saved = await _store(container, owner, pet_id, size=MIB // 2)
    await _save(container, owner, pet_id, saved)
    await _store(container, owner, pet_id, size=MIB // 4)  # pending, counted too
    storage = await container.get(BlobStorage)
    before = await storage.list_keys("")

    with pytest.raises(UploadQuotaExceededError) as refused:
        await _store(container, owner, pet_id, size=MIB // 4 + 1)
    assert refused.value.message_args == {"quota_mb": 1, "used_mb": 1}
    assert await storage.list_keys("") == before  # nothing stored for the refused file
    await _store(container, owner, pet_id, size=MIB // 4)  # exactly up to the quota is fine

    # Per user: someone else's files do not count.
    other_pet = await _pet(container, other, "Tom")
    await _store(container, other, other_pet, size=MIB // 2)


# --- deleting a pet, deleting the account --------------------------------------------------------


async def test_deleting_a_pet_removes_everyones_pending_uploads(container: Any) -> None:
    ids = _ids()
    owner, co_owner = next(ids), next(ids)
    for telegram_id in (owner, co_owner):
        await _register(container, telegram_id)
    pet_id = await _pet(container, owner)
    await _share(container, pet_id, co_owner)
    mine = await _store(container, owner, pet_id)
    theirs = await _store(container, co_owner, pet_id)

    async with container() as request:
        await (await request.get(DeletePet))(owner, pet_id)
    storage = await container.get(BlobStorage)
    for key in (mine, theirs):
        assert not await storage.exists(key)
        assert await _row(container, key) is None


async def test_delete_me_removes_the_users_pending_uploads_everywhere(container: Any) -> None:
    ids = _ids()
    leaving, friend = next(ids), next(ids)
    for telegram_id in (leaving, friend):
        await _register(container, telegram_id)
    own_pet = await _pet(container, leaving)
    friends_pet = await _pet(container, friend, "Tom")
    await _share(container, friends_pet, leaving)
    own_pending = await _store(container, leaving, own_pet)
    shared_pending = await _store(container, leaving, friends_pet)
    shared_saved = await _store(container, leaving, friends_pet)
    await _save(container, leaving, friends_pet, shared_saved)
    friends_pending = await _store(container, friend, friends_pet)

    async with container() as request:
        await (await request.get(DeleteAccount))(leaving)
    storage = await container.get(BlobStorage)
    for key in (own_pending, shared_pending):
        assert not await storage.exists(key), key
        assert await _row(container, key) is None
    # The friend's pet keeps its card entry's file; the friend's own upload is theirs.
    assert await storage.exists(shared_saved)
    assert await storage.exists(friends_pending)


# --- the form ------------------------------------------------------------------------------------


class FakeDownloads:
    """`bot.download(file_id)` returns these bytes (BotClient cannot fake downloads)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    async def download(self, file: Any, *args: Any, **kwargs: Any) -> io.BytesIO:
        file_id = file if isinstance(file, str) else file.file_id
        return io.BytesIO(self.files[file_id])


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture
async def chat(
    migrated_sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Chatting]:
    database = tmp_path / "telemed.db"
    shutil.copyfile(migrated_sqlite_template, database)
    settings = make_settings(database, uploads=UploadsSection(user_quota_bytes=MIB))
    async with open_chat(settings) as opened:
        downloads = FakeDownloads()
        monkeypatch.setattr(opened.bot, "download", downloads.download)
        opened.downloads = downloads  # type: ignore[attr-defined]
        yield opened


async def _open_document_form(chat: Chatting) -> int:
    await chat.send("/start")
    await chat.click("🇬🇧 English")
    await chat.click("Continue ▶️")
    await chat.click("✅ I agree")
    async with chat.container() as request:
        pet = await (await request.get(AddPet))(USER_ID, PetDraft(name="Rex", species=Species.DOG))
    await chat.send("/records")
    await chat.click("➕ Add an entry")
    await chat.click("📄 Document")
    pet_id: int = pet.id
    return pet_id


async def _send_pdf(chat: Chatting, file_id: str, data: bytes) -> None:
    chat.downloads.files[file_id] = data  # type: ignore[attr-defined]
    await chat.send_content(
        document=Document(
            file_id=file_id, file_unique_id=file_id, file_name="lab.pdf", file_size=len(data)
        )
    )


async def _stored_keys(chat: Chatting) -> list[str]:
    async with chat.container() as request:
        keys: list[str] = await (await request.get(BlobStorage)).list_keys("")
    return keys


async def test_cancelling_the_form_removes_its_file_at_once(chat: Chatting) -> None:
    pet_id = await _open_document_form(chat)
    await _send_pdf(chat, "lab", _pdf())
    [key] = await _stored_keys(chat)
    assert key.startswith(f"pets/{pet_id}/records/")
    assert "What is this document?" in (chat.window().text or "")
    await chat.click("✖️ Cancel")
    assert await _stored_keys(chat) == []
    async with chat.container() as request:
        assert await (await request.get(UploadRepository)).get_by_key(key) is None


async def test_a_file_over_the_quota_gets_a_message_and_the_step_stays(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    pet_id = await _open_document_form(chat)
    async with chat.container() as request:  # an earlier entry already holds 3/4 of the quota
        stored = await (await request.get(StoreRecordDocument))(
            USER_ID, pet_id, _pdf(MIB * 3 // 4)
        )
        await (await request.get(AddRecord))(
            USER_ID, pet_id, DocumentDraft("X-ray", date(2025, 6, 1), stored.storage_key, PDF)
        )
    step = chat.window().text
    chat.session.reset()
    await _send_pdf(chat, "big", _pdf(MIB // 2))
    assert chat.session.sent_texts() == [
        texts.get("err-upload-quota-exceeded", "en", used_mb=1, quota_mb=1)
    ]
    assert chat.window().text == step  # the form stays where it was, ready for a smaller file
    assert await _stored_keys(chat) == [stored.storage_key]
    await _send_pdf(chat, "small", _pdf(MIB // 8))
    assert "What is this document?" in (chat.window().text or "")


async def test_another_file_for_the_same_form_replaces_the_first(chat: Chatting) -> None:
    await _open_document_form(chat)
    await _send_pdf(chat, "first", _pdf(MIB * 2 // 3))
    [first] = await _stored_keys(chat)
    await chat.click("◀️ Back")  # from the title step back to the file, e.g. a better scan
    await _send_pdf(chat, "second", _pdf(MIB * 2 // 3))  # both together would pass the quota
    [second] = await _stored_keys(chat)
    assert second != first
    assert "What is this document?" in (chat.window().text or "")


async def test_a_file_expired_before_saving_is_asked_again_and_the_rest_is_kept(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    pet_id = await _open_document_form(chat)
    await _send_pdf(chat, "lab", _pdf())
    [key] = await _stored_keys(chat)
    await chat.send("Blood test")
    # What the expiry job does while the form stands open past the time to live.
    async with chat.container() as request:
        uploads = await request.get(UploadRepository)
        pending = await uploads.get_by_key(key)
        assert pending is not None
        assert await uploads.delete_pending([pending.id]) == [key]
        await (await request.get(UnitOfWork)).commit()
        await (await request.get(BlobStorage)).delete(key)
    chat.session.reset()
    await chat.send("10.06.2025")
    assert chat.session.sent_texts() == [texts.get("err-upload-pending-gone", "en")]
    async with chat.container() as request:
        records = await (await request.get(MedicalRecordRepository)).list_for_pet(pet_id, limit=9)
    assert records == []  # never an entry pointing at a removed file

    await _send_pdf(chat, "lab-again", _pdf())
    async with chat.container() as request:
        [record] = await (await request.get(MedicalRecordRepository)).list_for_pet(pet_id, limit=9)
    assert record.title == "Blood test"  # typed before the file expired, not asked again
    assert record.attachment_key is not None and record.attachment_key != key
    assert await _stored_keys(chat) == [record.attachment_key]
