"""Deleting a pet deletes its stored files too, and nobody else's."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.ioc import create_container
from core.config import Settings
from core.enums import RecordKind, Species
from core.interactors.onboarding import RegisterUser, TelegramProfile
from core.interactors.pets import AddPet, DeletePet, PetDraft
from core.interactors.symptom_check import StoreCheckPhoto, SubmitCheck
from core.ports.repositories import MedicalRecordRepository
from core.ports.storage import BlobStorage
from core.ports.uow import UnitOfWork
from tests.photos import realistic_jpeg

OWNER = 8080


def _jpeg() -> bytes:
    # Photo-like: the photo step refuses flat, dark or blurred pictures.
    return realistic_jpeg(320, 240)


async def test_deleting_a_pet_removes_its_attachments_and_check_photos(settings: Settings) -> None:
    container = create_container(settings)
    try:
        async with container() as request:
            await (await request.get(RegisterUser))(TelegramProfile(OWNER, "Ann", None, "en"))
        async with container() as request:
            pet = await (await request.get(AddPet))(
                OWNER, PetDraft(name="Rex", species=Species.DOG)
            )
            other = await (await request.get(AddPet))(
                OWNER, PetDraft(name="Tom", species=Species.CAT)
            )
        storage = await container.get(BlobStorage)
        lab = f"pets/{pet.id}/records/lab.pdf"
        await storage.put(lab, b"%PDF-1.4 lab", "application/pdf")
        kept = f"pets/{other.id}/records/keep.pdf"
        await storage.put(kept, b"%PDF-1.4 keep", "application/pdf")
        async with container() as request:
            records = await request.get(MedicalRecordRepository)
            await records.add(
                pet_id=pet.id,
                kind=RecordKind.DOCUMENT,
                title="Blood test",
                occurred_at=datetime.now(UTC),
                attachment_key=lab,
                attachment_content_type="application/pdf",
            )
            await (await request.get(UnitOfWork)).commit()
        async with container() as request:
            photo = await (await request.get(StoreCheckPhoto))(OWNER, _jpeg())
        async with container() as request:
            await (await request.get(SubmitCheck))(
                telegram_id=OWNER, pet_id=pet.id, signs=["itching"], details={}, photos=[photo]
            )
        assert await storage.exists(photo.storage_key)

        async with container() as request:
            await (await request.get(DeletePet))(OWNER, pet.id)

        assert not await storage.exists(lab)
        assert not await storage.exists(photo.storage_key)
        assert await storage.exists(kept)
    finally:
        await container.close()
