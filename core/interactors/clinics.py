"""The clinics directory: where to go when the triage result says "now"."""

from __future__ import annotations

import math
from dataclasses import dataclass

from core.entities import Clinic
from core.enums import Species
from core.ports.repositories import ClinicRepository

EARTH_RADIUS_KM = 6371.0


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine): plenty for "which clinic is closer"."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@dataclass(frozen=True, slots=True)
class NearbyClinic:
    clinic: Clinic
    distance_km: float


class FindNearestClinics:
    """24/7 clinics closest to the owner's shared location that treat the pet's species."""

    def __init__(self, clinics: ClinicRepository) -> None:
        self._clinics = clinics

    async def __call__(
        self,
        latitude: float,
        longitude: float,
        *,
        species: Species | None = None,
        limit: int = 3,
        max_km: float = 100.0,
    ) -> list[NearbyClinic]:
        candidates = await self._clinics.search(species=species, only_24_7=True)
        nearby = [
            NearbyClinic(
                clinic, distance_km(latitude, longitude, clinic.latitude, clinic.longitude)
            )
            for clinic in candidates
            if clinic.latitude is not None and clinic.longitude is not None
        ]
        nearby = [item for item in nearby if item.distance_km <= max_km]
        return sorted(nearby, key=lambda item: item.distance_km)[:limit]
