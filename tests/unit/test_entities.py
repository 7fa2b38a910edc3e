"""The domain's data types: plain Python, usable without a database."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.entities import Pet
from core.enums import AppointmentStatus, Role, Sex, Species

NOW = datetime(2025, 1, 1, tzinfo=UTC)


def _pet(**changes: object) -> Pet:
    pet = Pet(
        id=1,
        name="Барсик",
        species=Species.CAT,
        breed=None,
        sex=Sex.UNKNOWN,
        neutered=None,
        birth_date=None,
        birth_date_is_approximate=False,
        weight_grams=None,
        photo_file_id=None,
        photo_key=None,
        allergies=None,
        chronic_conditions=None,
        archived_at=None,
        created_at=NOW,
    )
    return dataclasses.replace(pet, **changes)  # type: ignore[arg-type]


def test_a_pet_with_an_archive_time_is_archived() -> None:
    assert not _pet().is_archived
    assert _pet(archived_at=NOW).is_archived


def test_entities_are_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        _pet().name = "Мурзик"  # type: ignore[misc]


def test_enum_members_are_their_stored_strings() -> None:
    assert str(Role.OWNER) == "owner"
    assert AppointmentStatus("cancelled_by_vet") is AppointmentStatus.CANCELLED_BY_VET


def test_core_data_layer_imports_no_framework() -> None:
    code = (
        "import sys, core.enums, core.entities, core.ports.repositories, core.ports.uow\n"
        "bad = sorted({m.split('.')[0] for m in sys.modules}"
        " & {'sqlalchemy', 'aiogram', 'pydantic', 'alembic', 'fastapi'})\n"
        "assert not bad, bad\n"
    )
    repo_root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=repo_root)
