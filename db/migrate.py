"""Schema migrations from Python: `telemed-pet migrate`, sandbox start-up, tests.

Alembic's env.py drives an async engine with `asyncio.run`, which cannot run inside a running
event loop; so every command here runs in a worker thread of its own. The sync functions
block the caller until done (fine at start-up); the `*_async` ones await without blocking.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from alembic import command
from alembic.config import Config

ALEMBIC_INI = Path(__file__).with_name("alembic.ini")


def alembic_config(url: str) -> Config:
    """An Alembic config for `url` (passed as an attribute, so `%` in it needs no escaping)."""
    config = Config(str(ALEMBIC_INI))
    config.attributes["url"] = url
    config.attributes["configure_logging"] = False
    return config


def upgrade_to_head(url: str) -> None:
    """Bring the database at `url` to the newest schema (creating it from nothing)."""
    _in_thread(lambda: command.upgrade(alembic_config(url), "head"))


def downgrade(url: str, revision: str) -> None:
    """Step the schema down to `revision` ("base" removes every table but alembic_version)."""
    _in_thread(lambda: command.downgrade(alembic_config(url), revision))


async def upgrade_to_head_async(url: str) -> None:
    await asyncio.to_thread(upgrade_to_head, url)


async def downgrade_async(url: str, revision: str) -> None:
    await asyncio.to_thread(downgrade, url, revision)


def _in_thread(action: Callable[[], None]) -> None:
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="alembic") as pool:
        pool.submit(action).result()
