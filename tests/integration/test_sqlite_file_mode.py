"""The embedded database holds personal data: its file is the owner's alone, like the blobs."""

from __future__ import annotations

import stat
from pathlib import Path

from sqlalchemy import text

from db.engine import create_engine


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_a_new_database_file_and_its_journal_are_private(tmp_path: Path) -> None:
    database = tmp_path / "var" / "telemed.db"
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (x INTEGER)"))
            await connection.execute(text("INSERT INTO t VALUES (1)"))
        wal = database.with_name(database.name + "-wal")
        assert _mode(database) == 0o600
        assert wal.exists() and _mode(wal) == 0o600
    finally:
        await engine.dispose()


async def test_an_existing_world_readable_file_is_tightened(tmp_path: Path) -> None:
    database = tmp_path / "telemed.db"
    database.touch(mode=0o644)
    database.chmod(0o644)
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    await engine.dispose()
    assert _mode(database) == 0o600
