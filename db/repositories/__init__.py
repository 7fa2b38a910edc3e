"""SQLAlchemy implementations of the `core.ports.repositories` Protocols.

Each takes the request's `AsyncSession`, returns DTOs from `core.entities` (never ORM
objects), and never commits: `db.uow.SqlUnitOfWork` does, when the interactor says so.
"""

from typing import TYPE_CHECKING

from db.repositories.checks import SqlSymptomCheckRepository
from db.repositories.clinics import SqlClinicRepository
from db.repositories.pets import SqlPetAccessRepository, SqlPetRepository
from db.repositories.records import SqlMedicalRecordRepository
from db.repositories.users import SqlUserRepository
from db.repositories.vets import SqlVetRepository

__all__ = [
    "SqlClinicRepository",
    "SqlMedicalRecordRepository",
    "SqlPetAccessRepository",
    "SqlPetRepository",
    "SqlSymptomCheckRepository",
    "SqlUserRepository",
    "SqlVetRepository",
]

if TYPE_CHECKING:
    # mypy checks here that every implementation satisfies its Protocol.
    from sqlalchemy.ext.asyncio import AsyncSession

    from core.ports.repositories import (
        ClinicRepository,
        MedicalRecordRepository,
        PetAccessRepository,
        PetRepository,
        SymptomCheckRepository,
        UserRepository,
        VetRepository,
    )
    from core.ports.uow import UnitOfWork
    from db.uow import SqlUnitOfWork

    def _conforms(session: AsyncSession) -> None:
        _users: UserRepository = SqlUserRepository(session)
        _pets: PetRepository = SqlPetRepository(session)
        _access: PetAccessRepository = SqlPetAccessRepository(session)
        _records: MedicalRecordRepository = SqlMedicalRecordRepository(session)
        _vets: VetRepository = SqlVetRepository(session)
        _clinics: ClinicRepository = SqlClinicRepository(session)
        _checks: SymptomCheckRepository = SqlSymptomCheckRepository(session)
        _uow: UnitOfWork = SqlUnitOfWork(session)
