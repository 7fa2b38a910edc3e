"""dishka providers of the pets area: its repositories and interactors, per request."""

from __future__ import annotations

from dishka import Provider, Scope, provide

from core.interactors.pet_files import GetPetPhotoCopy, RefreshPetPhotoFileId, StorePetPhoto
from core.interactors.pets import (
    AddPet,
    ArchivePet,
    DeletePet,
    EditPet,
    GetPetCard,
    ListMyPets,
    RestorePet,
)
from core.ports.repositories import PetAccessRepository, PetRepository
from db.repositories.pets import SqlPetAccessRepository, SqlPetRepository


class PetsProvider(Provider):
    scope = Scope.REQUEST

    pets = provide(SqlPetRepository, provides=PetRepository)
    pet_access = provide(SqlPetAccessRepository, provides=PetAccessRepository)

    add_pet = provide(AddPet)
    list_my_pets = provide(ListMyPets)
    get_pet_card = provide(GetPetCard)
    edit_pet = provide(EditPet)
    archive_pet = provide(ArchivePet)
    restore_pet = provide(RestorePet)
    delete_pet = provide(DeletePet)
    store_pet_photo = provide(StorePetPhoto)
    get_pet_photo_copy = provide(GetPetPhotoCopy)
    refresh_pet_photo_file_id = provide(RefreshPetPhotoFileId)
