from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.entities import Vet
from core.enums import Species
from core.ports.repositories import DuplicateEntityError
from db.base import as_utc, utcnow
from db.models import VetLanguageModel, VetModel, VetSpeciesModel


class SqlVetRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        user_id: int,
        display_name: str,
        species: frozenset[Species],
        languages: frozenset[str],
        price_amount: int,
        currency: str = "XTR",
        consultation_minutes: int = 30,
        time_zone: str = "Europe/Moscow",
        bio: str | None = None,
        is_active: bool = True,
        verified: bool = True,
    ) -> Vet:
        now = utcnow()
        row = VetModel(
            user_id=user_id,
            display_name=display_name,
            bio=bio,
            price_amount=price_amount,
            currency=currency,
            consultation_minutes=consultation_minutes,
            time_zone=time_zone,
            is_active=is_active,
            submitted_at=now if verified else None,
            verified_at=now if verified else None,
            species_rows=[VetSpeciesModel(species=item) for item in sorted(species)],
            language_rows=[VetLanguageModel(language=item) for item in sorted(languages)],
        )
        try:
            async with self._session.begin_nested():
                self._session.add(row)
        except IntegrityError as error:
            raise DuplicateEntityError("vet profile of user", user_id) from error
        return _to_vet(row)

    async def get(self, vet_id: int) -> Vet | None:
        row = await self._session.get(VetModel, vet_id)
        return None if row is None else _to_vet(row)

    async def get_by_user_id(self, user_id: int) -> Vet | None:
        row = await self._session.scalar(sa.select(VetModel).where(VetModel.user_id == user_id))
        return None if row is None else _to_vet(row)

    async def list_active(
        self, *, species: Species | None = None, language: str | None = None
    ) -> list[Vet]:
        # Owners never see a profile no admin has verified.
        query = sa.select(VetModel).where(
            VetModel.is_active.is_(True), VetModel.verified_at.is_not(None)
        )
        if species is not None:
            query = query.where(
                sa.exists().where(
                    VetSpeciesModel.vet_id == VetModel.id, VetSpeciesModel.species == species
                )
            )
        if language is not None:
            query = query.where(
                sa.exists().where(
                    VetLanguageModel.vet_id == VetModel.id, VetLanguageModel.language == language
                )
            )
        rows = await self._session.scalars(query.order_by(VetModel.display_name, VetModel.id))
        return [_to_vet(row) for row in rows]

    async def save_profile(
        self,
        vet_id: int,
        *,
        display_name: str,
        specialisations: str,
        species: frozenset[Species],
        languages: frozenset[str],
        years_of_practice: int,
        price_amount: int,
        bio: str | None,
        photo_file_id: str | None,
        submitted_at: datetime,
        time_zone: str | None = None,
    ) -> None:
        row = await self._session.get(VetModel, vet_id)
        if row is None:
            return
        row.display_name = display_name
        row.specialisations = specialisations
        row.years_of_practice = years_of_practice
        row.price_amount = price_amount
        row.bio = bio
        row.photo_file_id = photo_file_id
        row.submitted_at = as_utc(submitted_at)
        if time_zone is not None:
            row.time_zone = time_zone
        # Rows replaced whole: a handful per vet, and the delete-orphan cascade does the rest.
        row.species_rows = [VetSpeciesModel(species=item) for item in sorted(species)]
        row.language_rows = [VetLanguageModel(language=item) for item in sorted(languages)]
        await self._session.flush()

    async def list_pending(self) -> list[Vet]:
        rows = await self._session.scalars(
            sa.select(VetModel)
            .where(VetModel.submitted_at.is_not(None), VetModel.verified_at.is_(None))
            .order_by(VetModel.submitted_at, VetModel.id)
        )
        return [_to_vet(row) for row in rows]

    async def verify(self, vet_id: int, *, verified_at: datetime) -> bool:
        # One statement: two admins pressing Verify at once verify it once.
        result = await self._session.execute(
            sa.update(VetModel)
            .where(
                VetModel.id == vet_id,
                VetModel.submitted_at.is_not(None),
                VetModel.verified_at.is_(None),
            )
            .values(verified_at=as_utc(verified_at), is_active=True)
            .execution_options(synchronize_session=False)
        )
        changed = bool(result.rowcount == 1)  # type: ignore[attr-defined]
        if changed:
            row = await self._session.get(VetModel, vet_id)
            if row is not None:
                await self._session.refresh(row)
        return changed

    async def delete_unverified(self, vet_id: int) -> bool:
        result = await self._session.execute(
            sa.delete(VetModel)
            .where(VetModel.id == vet_id, VetModel.verified_at.is_(None))
            .execution_options(synchronize_session=False)
        )
        deleted = bool(result.rowcount == 1)  # type: ignore[attr-defined]
        if deleted:
            row = await self._session.get(VetModel, vet_id)
            if row is not None:
                self._session.expunge(row)
        return deleted


def _to_vet(row: VetModel) -> Vet:
    return Vet(
        id=row.id,
        user_id=row.user_id,
        display_name=row.display_name,
        bio=row.bio,
        species=frozenset(item.species for item in row.species_rows),
        languages=frozenset(item.language for item in row.language_rows),
        price_amount=row.price_amount,
        currency=row.currency,
        consultation_minutes=row.consultation_minutes,
        time_zone=row.time_zone,
        photo_key=row.photo_key,
        is_active=row.is_active,
        created_at=row.created_at,
        specialisations=row.specialisations,
        years_of_practice=row.years_of_practice,
        photo_file_id=row.photo_file_id,
        submitted_at=row.submitted_at,
        verified_at=row.verified_at,
    )
