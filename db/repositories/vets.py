from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.entities import Vet
from core.enums import Species
from core.ports.repositories import DuplicateEntityError
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
    ) -> Vet:
        row = VetModel(
            user_id=user_id,
            display_name=display_name,
            bio=bio,
            price_amount=price_amount,
            currency=currency,
            consultation_minutes=consultation_minutes,
            time_zone=time_zone,
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
        query = sa.select(VetModel).where(VetModel.is_active.is_(True))
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
    )
