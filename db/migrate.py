"""Schema migrations from Python: `telemed-pet migrate`, sandbox start-up, tests.

Alembic's env.py drives an async engine with `asyncio.run`, which cannot run inside a running
event loop; so every command here runs in a worker thread of its own. The sync functions
block the caller until done (fine at start-up); the `*_async` ones await without blocking.

An SQLite database already at the newest revision (every sandbox start after the first) is
recognised without Alembic: importing it and loading every migration script cost about 0.3 s
of the sandbox's cold start, to learn that there is nothing to do. The newest revision is read
from the scripts' `revision` / `down_revision` lines (checked against Alembic's own answer by
tests/integration/test_migrations.py); anything unexpected falls back to Alembic.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from alembic.config import Config

ALEMBIC_INI = Path(__file__).with_name("alembic.ini")
VERSIONS_DIR = Path(__file__).with_name("migrations") / "versions"
_REVISION = re.compile(r"""^revision(?:\s*:\s*\w+)?\s*=\s*["'](\w+)["']""", re.MULTILINE)
_DOWN_REVISION = re.compile(
    r"""^down_revision(?:\s*:[^=]+)?\s*=\s*(?:["'](\w+)["']|None)""", re.MULTILINE
)


@cache
def head_revision() -> str | None:
    """The newest revision, read from the scripts' text; None when they do not make one line
    of revisions with one head (then only Alembic may say)."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for script in VERSIONS_DIR.glob("[0-9]*.py"):
        text = script.read_text(encoding="utf-8")
        revision, down = _REVISION.search(text), _DOWN_REVISION.search(text)
        if revision is None or down is None:
            return None
        revisions.add(revision.group(1))
        if down.group(1) is not None:
            downs.add(down.group(1))
    heads = revisions - downs
    return heads.pop() if len(heads) == 1 and downs <= revisions else None


def sqlite_at_head(url: str) -> bool:
    """Whether `url` is an SQLite file whose schema is at `head_revision()` already."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return False
    path = Path(database)
    head = head_revision()
    if head is None or not path.is_file():
        return False
    try:
        with contextlib.closing(
            sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        ) as db:
            versions = [row[0] for row in db.execute("SELECT version_num FROM alembic_version")]
    except sqlite3.Error:
        return False  # no schema yet, or not a database: Alembic says what to do
    return versions == [head]


def alembic_config(url: str) -> Config:
    """An Alembic config for `url` (passed as an attribute, so `%` in it needs no escaping)."""
    from alembic.config import Config

    config = Config(str(ALEMBIC_INI))
    config.attributes["url"] = url
    config.attributes["configure_logging"] = False
    return config


def upgrade_to_head(url: str) -> None:
    """Bring the database at `url` to the newest schema (creating it from nothing)."""
    if sqlite_at_head(url):
        return
    from alembic import command

    _in_thread(lambda: command.upgrade(alembic_config(url), "head"))


def downgrade(url: str, revision: str) -> None:
    """Step the schema down to `revision` ("base" removes every table but alembic_version)."""
    from alembic import command

    _in_thread(lambda: command.downgrade(alembic_config(url), revision))


async def upgrade_to_head_async(url: str) -> None:
    await asyncio.to_thread(upgrade_to_head, url)


async def downgrade_async(url: str, revision: str) -> None:
    await asyncio.to_thread(downgrade, url, revision)


def _in_thread(action: Callable[[], None]) -> None:
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="alembic") as pool:
        pool.submit(action).result()
