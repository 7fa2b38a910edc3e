"""Every interactor a handler may ask for resolves from the real container, with real settings.

dishka validates the graph when the container is built; this also builds each interactor, so a
provider that would fail at the first user's click fails here instead.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from aiogram import Bot

import core.interactors
from bot.ioc import create_container
from core.config import Settings
from tests.support.recording_session import RecordingSession

# Helpers that live beside interactors but are not requested from the container.
NOT_PROVIDED: set[str] = set()


def _interactors() -> list[type]:
    found: list[type] = []
    for module_info in pkgutil.iter_modules(core.interactors.__path__):
        module = importlib.import_module(f"core.interactors.{module_info.name}")
        for name, candidate in vars(module).items():
            if (
                inspect.isclass(candidate)
                and candidate.__module__ == module.__name__
                and not name.startswith("_")
                and inspect.iscoroutinefunction(vars(candidate).get("__call__"))
                and name not in NOT_PROVIDED
            ):
                found.append(candidate)
    return found


INTERACTORS = _interactors()


def test_the_scan_finds_the_interactors() -> None:
    names = {interactor.__name__ for interactor in INTERACTORS}
    assert {"RegisterUser", "SubmitCheck", "AddPet", "HoldSlot", "DeleteAccount"} <= names


@pytest.mark.parametrize("interactor", INTERACTORS, ids=lambda cls: cls.__name__)
async def test_interactor_resolves_from_the_container(
    settings: Settings, interactor: type
) -> None:
    bot = Bot("123456:TEST-token", session=RecordingSession())
    container = create_container(settings, bot=bot)
    try:
        async with container() as request:
            assert isinstance(await request.get(interactor), interactor)
    finally:
        await container.close()
