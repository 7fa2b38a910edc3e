"""`python3 dev.py sandbox` stops as asked: TERM reaches the sandbox itself, and a web chat's
open long poll does not hold the exit up (#13: the child was left running on its port, and
Ctrl+C waited 15–35 s for the page's long polls)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
# Generous: the first start may still check the venv against the locks.
START_TIMEOUT_S = 120
# Below the 25-s long poll the page holds open (started half a second before the signal): the
# exit must not wait for it. It takes 1–2 s here; 12 s was once exceeded (INT, a fresh-clone
# CI run at stop 20, cause not found: see that stop's note), so the margin is wider.
STOP_TIMEOUT_S = 20


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _serving(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _wait_healthy(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the sandbox exited with {process.returncode} before serving")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    pytest.fail("the sandbox did not start")


def _long_poll(base: str, chat_id: int) -> None:
    # The server cuts it when it stops: that is the point, not an error.
    with contextlib.suppress(httpx.HTTPError):
        httpx.get(
            f"{base}/sandbox/api/chats/{chat_id}/messages",
            params={"after": 10**9, "wait": 25},
            timeout=40,
        )


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
def test_a_signal_to_dev_py_stops_the_sandbox_with_a_long_poll_open(
    tmp_path: Path, sig: signal.Signals
) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'telemed.db'}",
        "STORAGE_URL": f"file://{tmp_path / 'files'}",
    }
    env.pop("REDIS_URL", None)
    env.pop("BOT_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, "dev.py", "sandbox", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own group, so nothing it started can outlive the test
    )
    try:
        _wait_healthy(base, process)
        created = httpx.post(f"{base}/sandbox/api/users", json={"first_name": "Tab"}, timeout=5)
        chat_id = created.json()["id"]
        # The web chat's long poll: no message will come, so it would wait its full 25 s.
        poll = threading.Thread(target=_long_poll, args=(base, chat_id), daemon=True)
        poll.start()
        time.sleep(0.5)

        process.send_signal(sig)
        process.wait(timeout=STOP_TIMEOUT_S)
        assert not _serving(port)
        with pytest.raises(ProcessLookupError):
            os.killpg(process.pid, 0)  # nothing of the group is left running
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def test_ctrl_c_during_the_start_stops_the_sandbox(tmp_path: Path) -> None:
    """The emulator answers /healthz before the bot has started (seeding, the dispatcher's
    start-up): a Ctrl+C then must stop everything already started, not leave the bot's
    database threads holding the process open."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'telemed.db'}",
        "STORAGE_URL": f"file://{tmp_path / 'files'}",
    }
    env.pop("REDIS_URL", None)
    env.pop("BOT_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, "dev.py", "sandbox", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_healthy(base, process)
        process.send_signal(signal.SIGINT)
        process.wait(timeout=STOP_TIMEOUT_S)
        assert not _serving(port)
        with pytest.raises(ProcessLookupError):
            os.killpg(process.pid, 0)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
