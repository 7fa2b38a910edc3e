"""`telemed-pet` as a user runs it: a subprocess with its own environment."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_CASES = ROOT.parent / "shared" / "triage" / "cases-public.jsonl"


def telemed_pet(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_help_lists_every_command() -> None:
    result = telemed_pet("--help")
    assert result.returncode == 0
    for command in ("sandbox", "run", "webapp", "worker", "scheduler", "migrate", "triage", "ai"):
        assert command in result.stdout


def test_each_command_has_its_own_help() -> None:
    for command in ("sandbox", "run", "webapp", "worker", "scheduler", "migrate", "triage", "ai"):
        result = telemed_pet(command, "--help")
        assert result.returncode == 0, result.stderr
        assert "usage: telemed-pet" in result.stdout


def test_unknown_options_are_refused() -> None:
    result = telemed_pet("sandbox", "--no-such-option")
    assert result.returncode == 2
    assert "unrecognized arguments" in result.stderr


@pytest.mark.skipif(not PUBLIC_CASES.exists(), reason=f"{PUBLIC_CASES} is absent")
def test_triage_eval_through_the_entry_point_finds_no_under_triage() -> None:
    result = telemed_pet("triage", "--cases", str(PUBLIC_CASES), "--eval")
    assert result.returncode == 0, result.stderr
    assert "under_triage: 0" in result.stdout


def test_migrate_creates_the_schema_on_sqlite(tmp_path: Path) -> None:
    database = tmp_path / "nested" / "telemed.db"
    result = telemed_pet("migrate", env={"DATABASE_URL": f"sqlite+aiosqlite:///{database}"})
    assert result.returncode == 0, result.stderr
    tables = {
        row[0]
        for row in sqlite3.connect(database).execute("SELECT name FROM sqlite_master")
        if not row[0].startswith("sqlite_")
    }
    assert {"users", "pets", "appointments", "payments", "alembic_version"} <= tables


def test_run_without_a_token_explains_what_is_missing(tmp_path: Path) -> None:
    result = telemed_pet(
        "run", env={"BOT_TOKEN": "", "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/t.db"}
    )
    assert result.returncode == 2
    assert "BOT_TOKEN" in result.stderr


def test_worker_without_redis_explains_what_is_missing(tmp_path: Path) -> None:
    result = telemed_pet(
        "worker",
        env={"REDIS_URL": "", "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/t.db"},
    )
    assert result.returncode == 2
    assert "REDIS_URL" in result.stderr
