"""Cold start of `telemed-pet sandbox`: seconds from the process start until it serves, on a
fresh database and again on the same (existing) one, with where the time goes.

    python benchmarks/bench_cold_start.py                       # this tree, 3 repetitions
    python benchmarks/bench_cold_start.py --repeat 5
    python benchmarks/bench_cold_start.py --tree before=/tmp/head --tree after=.   # side by side

Each start runs the venv's console script (`telemed-pet sandbox --port <free>`, what
`python3 dev.py sandbox` ends up running) as a subprocess in its own temporary directory, so
the embedded defaults (SQLite `var/telemed.db`, files and the emulator's world under `var/`)
start empty, with no REDIS_URL, BOT_TOKEN or AI_MODEL_PATH. A `--tree` other than this
checkout is put first on PYTHONPATH (e.g. `git archive HEAD | tar -x -C /tmp/head` for a
"before"); trees and the fresh/existing pair are interleaved within each repetition.

Per start, seconds from the process start:
- `healthz_s`: `GET /healthz` answers 200 — the web server listens (imports, migrations and
  the emulator are done; the bot is still starting, the demo data may not be in yet).
- `ready_s`: the sandbox prints that it is running (before #14 that line came before the
  dispatcher's startup; since, once the bot polls).
- `answer_s`: the bot's answer to a /start sent as soon as `/healthz` answered (it waits in
  the emulator until the bot polls, as on Telegram): what a newcomer waits for, and the same
  measure for any tree, old or new. The target (issue #14): < 3 s on an existing database.

Then, once per tree, the same start on an existing database with PYTHONPROFILEIMPORTTIME=1:
`imports` sums the self time of every module the process imported before the bot answered
(`-X importtime`), by top-level package; the rest of `answer_s` is the start-up work itself.

Prints one JSON object; nothing is asserted. Figures are recorded in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
# The line run_sandbox prints once everything is up (bot/run_modes.py).
READY_MARK = "sandbox is running"
START_TIMEOUT_S = 120
# Below the emulator's generated ids, apart from the demo people's (sandbox/demo.py).
BENCH_USER_ID = 5_559_999
STOP_TIMEOUT_S = 20
HEALTH_POLL_S = 0.02
IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)")


@dataclass
class Start:
    healthz_s: float
    ready_s: float
    answer_s: float
    import_lines: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _command() -> list[str]:
    script = Path(sys.executable).with_name("telemed-pet")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def _environment(tree: Path, data_dir: Path, profile_imports: bool) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "BOT_TOKEN", "AI_MODEL_PATH", "PYTHONPROFILEIMPORTTIME"}
    }
    env.update(
        PYTHONPATH=os.pathsep.join(filter(None, [str(tree), env.get("PYTHONPATH")])),
        # The ready line goes to a pipe: unbuffered, or it would arrive only at exit.
        PYTHONUNBUFFERED="1",
        DATABASE_URL=f"sqlite+aiosqlite:///{data_dir / 'var' / 'telemed.db'}",
        STORAGE_URL=f"file://{data_dir / 'var' / 'files'}",
    )
    if profile_imports:
        env["PYTHONPROFILEIMPORTTIME"] = "1"
    return env


def _api(port: int, path: str, body: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/sandbox/api/{path}",
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def _say_start(port: int) -> tuple[int, int]:
    """/start from the benchmark's own user (the same one on every start); returns its chat
    and the last message id there before it."""
    chat_id: int = _api(port, "users", {"id": BENCH_USER_ID, "first_name": "Bench"})["chat_id"]
    before = max((m["message_id"] for m in _api(port, f"chats/{chat_id}/messages")), default=0)
    _api(port, f"users/{BENCH_USER_ID}/messages", {"text": "/start"})
    return chat_id, before


def _answered(port: int, chat_id: int, after: int) -> bool:
    """Whether the bot wrote in the chat after message ``after`` (a short long poll)."""
    messages = _api(port, f"chats/{chat_id}/messages?after={after}&wait=1")
    return any(message["from_bot"] for message in messages)


class _ReadyLine:
    """Reads the child's stdout to the end (a full pipe would block it), noting when the
    ready line came."""

    def __init__(self, began: float) -> None:
        self.began = began
        self.seen = threading.Event()
        self.after_s = float("nan")

    def watch(self, stream: IO[str]) -> None:
        for line in stream:
            if READY_MARK in line and not self.seen.is_set():
                self.after_s = time.perf_counter() - self.began
                self.seen.set()


def _collect_imports(stream: IO[str], lines: list[str]) -> None:
    for line in stream:
        if line.startswith("import time:"):
            lines.append(line)


def start_once(tree: Path, data_dir: Path, *, profile_imports: bool = False) -> Start:
    """One sandbox start in ``data_dir`` (its working directory), stopped once the bot answered."""
    (data_dir / "var").mkdir(parents=True, exist_ok=True)
    port = _free_port()
    began = time.perf_counter()
    process = subprocess.Popen(
        [*_command(), "sandbox", "--port", str(port)],
        cwd=data_dir,
        env=_environment(tree, data_dir, profile_imports),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own group: nothing it starts outlives the benchmark
    )
    ready_line = _ReadyLine(began)
    import_lines: list[str] = []
    assert process.stdout is not None and process.stderr is not None
    readers = [
        threading.Thread(target=ready_line.watch, args=(process.stdout,), daemon=True),
        threading.Thread(
            target=_collect_imports, args=(process.stderr, import_lines), daemon=True
        ),
    ]
    for reader in readers:
        reader.start()
    healthz_s: float | None = None
    answer_s: float | None = None
    chat: tuple[int, int] | None = None
    collected: list[str] = []
    try:
        deadline = began + START_TIMEOUT_S
        while answer_s is None or not ready_line.seen.is_set():
            if process.poll() is not None:
                raise RuntimeError(f"the sandbox exited with {process.returncode} before ready")
            if time.perf_counter() > deadline:
                raise RuntimeError("the bot did not answer")
            if healthz_s is None:
                if not _healthy(port):
                    time.sleep(HEALTH_POLL_S)
                    continue
                healthz_s = time.perf_counter() - began
                chat = _say_start(port)  # waits in the emulator until the bot polls
            elif answer_s is None and chat is not None and _answered(port, *chat):
                answer_s = time.perf_counter() - began
                # What was imported before the bot answered (start-up and the first update).
                collected = list(import_lines)
            else:
                time.sleep(HEALTH_POLL_S)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        for reader in readers:
            reader.join(timeout=5)
    assert healthz_s is not None and answer_s is not None  # answers are awaited after healthz
    return Start(round(healthz_s, 3), round(ready_line.after_s, 3), round(answer_s, 3), collected)


def import_profile(lines: list[str], top: int) -> dict[str, Any]:
    """Self time of every imported module, summed, and the biggest top-level packages."""
    by_package: Counter[str] = Counter()
    modules = 0
    for line in lines:
        match = IMPORT_LINE.match(line)
        if match is None:
            continue
        modules += 1
        by_package[match.group(4).split(".")[0]] += int(match.group(1))
    return {
        "modules": modules,
        "total_s": round(sum(by_package.values()) / 1e6, 3),
        "top_packages_s": {name: round(us / 1e6, 3) for name, us in by_package.most_common(top)},
    }


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def _parse_trees(values: list[str]) -> dict[str, Path]:
    trees: dict[str, Path] = {}
    for value in values or [f"this={ROOT}"]:
        label, _, path = value.rpartition("=")
        trees[label or Path(path).name] = Path(path).resolve()
    return trees


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="interleaved repetitions")
    parser.add_argument(
        "--tree",
        action="append",
        default=[],
        metavar="LABEL=DIR",
        help="a source tree to start (repeatable; default: this checkout)",
    )
    parser.add_argument("--top", type=int, default=12, help="packages listed in `imports`")
    args = parser.parse_args()
    trees = _parse_trees(args.tree)

    runs: dict[str, dict[str, list[Start]]] = {
        label: {"fresh": [], "existing": []} for label in trees
    }
    profiles: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-cold-start-") as scratch:
        for repetition in range(args.repeat):
            for label, tree in trees.items():
                data_dir = Path(scratch) / f"{label}-{repetition}"
                runs[label]["fresh"].append(start_once(tree, data_dir))
                runs[label]["existing"].append(start_once(tree, data_dir))
                print(
                    f"# {label} #{repetition + 1}: answer after"
                    f" {runs[label]['fresh'][-1].answer_s} s (fresh),"
                    f" {runs[label]['existing'][-1].answer_s} s (existing)",
                    file=sys.stderr,
                )
        for label, tree in trees.items():
            profiled = start_once(tree, Path(scratch) / f"{label}-0", profile_imports=True)
            profiles[label] = {
                "answer_s_with_profiler": profiled.answer_s,
                **import_profile(profiled.import_lines, args.top),
            }

    report: dict[str, Any] = {
        "command": " ".join([Path(_command()[0]).name, *_command()[1:], "sandbox"]),
        "repeat": args.repeat,
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "trees": {},
    }
    for label, tree in trees.items():
        entry: dict[str, Any] = {"path": str(tree)}
        for database, starts in runs[label].items():
            entry[database] = {
                "healthz_s_median": _median([s.healthz_s for s in starts]),
                "ready_s_median": _median([s.ready_s for s in starts]),
                "answer_s_median": _median([s.answer_s for s in starts]),
                "answer_s": [s.answer_s for s in starts],
            }
        entry["imports"] = profiles[label]
        report["trees"][label] = entry
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
