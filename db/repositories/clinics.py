from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from core.entities import Clinic
from core.enums import Species
from db.models import ClinicModel, ClinicSpeciesModel


class SqlClinicRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        name: str,
        city: str,
        address: str,
        phone: str | None = None,
        website: str | None = None,
        is_24_7: bool = False,
        latitude: float | None = None,
        longitude: float | None = None,
        species: frozenset[Species] = frozenset(),
    ) -> Clinic:
        row = ClinicModel(
            name=name,
            city=city,
            address=address,
            phone=phone,
            website=website,
            is_24_7=is_24_7,
            latitude=latitude,
            longitude=longitude,
            species_rows=[ClinicSpeciesModel(species=item) for item in sorted(species)],
        )
        self._session.add(row)
        await self._session.flush()
        return _to_clinic(row)

    async def get(self, clinic_id: int) -> Clinic | None:
        row = await self._session.get(ClinicModel, clinic_id)
        return None if row is None else _to_clinic(row)

    async def search(
        self,
        *,
        city: str | None = None,
        species: Species | None = None,
        only_24_7: bool = False,
    ) -> list[Clinic]:
        query = sa.select(ClinicModel)
        if city is not None:
            # Case-insensitive: people type "москва" as often as "Москва". lower() is
            # Unicode-aware on PostgreSQL; SQLite's is ASCII-only, acceptable for the sandbox.
            query = query.where(sa.func.lower(ClinicModel.city) == city.lower())
        if species is not None:
            listed = sa.exists().where(ClinicSpeciesModel.clinic_id == ClinicModel.id)
            treats = listed.where(ClinicSpeciesModel.species == species)
            query = query.where(sa.or_(~listed, treats))
        if only_24_7:
            query = query.where(ClinicModel.is_24_7.is_(True))
        rows = await self._session.scalars(query.order_by(ClinicModel.name, ClinicModel.id))
        return [_to_clinic(row) for row in rows]


def _to_clinic(row: ClinicModel) -> Clinic:
    return Clinic(
        id=row.id,
        name=row.name,
        city=row.city,
        address=row.address,
        phone=row.phone,
        website=row.website,
        is_24_7=row.is_24_7,
        latitude=row.latitude,
        longitude=row.longitude,
        species=frozenset(item.species for item in row.species_rows),
    )
