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


class FindClinicsInCity:
    """24/7 clinics of the city an owner typed, when their location cannot be shared.

    Typed text is an address as often as a city ("Москва, Тверская 1"): every clinic whose city
    appears as a word of the text matches. No geocoding: nothing here may call out.
    """

    def __init__(self, clinics: ClinicRepository) -> None:
        self._clinics = clinics

    async def __call__(
        self, text: str, *, species: Species | None = None, limit: int = 3
    ) -> list[NearbyClinic]:
        words = _words(text)
        if not words:
            return []
        candidates = await self._clinics.search(species=species, only_24_7=True)
        found = [
            clinic for clinic in candidates if (city := _words(clinic.city)) and city <= words
        ]
        # No distance is known: distance 0 keeps one shape for both lists.
        return [NearbyClinic(clinic, 0.0) for clinic in found[:limit]]


def _words(text: str) -> frozenset[str]:
    cleaned = "".join(ch if ch.isalnum() else " " for ch in text.casefold().replace("ё", "е"))
    return frozenset(cleaned.split())
