"""Mini App API latency and throughput under load: the vet's brief and the pet's records,
each against bare `/healthz` measured in the same run, phase by phase, interleaved.

    python benchmarks/bench_miniapp.py               # closed loop, then open loop at 200 rps
    python benchmarks/bench_miniapp.py --rate 400 --concurrency 32
    python benchmarks/bench_miniapp.py --short       # a few seconds: does it still run?

Target: a real `telemed-pet webapp` subprocess (tests/support/webapp_replicas.py) on a
throw-away PostgreSQL database (created on --database-url's server, dropped afterwards), with
Redis when --redis-url is given; one appointment seeded through the real repositories and the
scheduler's OpenDueRooms. The load generator is httpx in this process (keep-alive, one pool).

- closed loop: `--concurrency` workers, each sending its next request as soon as the last one
  answered, for `--phase-s` per endpoint per round: the throughput ceiling (requests/s) and
  latency at that load.
- open loop: requests start at `--rate` per second whatever the answers do (latency counted
  from the scheduled start, so a stall is not hidden): p50/p99 at a target rate. Goal:
  p99 < 50 ms at 200 rps.

Prints one JSON object; nothing is asserted. Figures are recorded in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from db.migrate import upgrade_to_head_async
from tests.support.webapp_replicas import (
    running_webapp_replicas,
    seed_open_call,
    sign_in,
)

DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


@dataclass
class Samples:
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies_ms)
        count = len(ordered)

        def pct(share: float) -> float | None:
            if not ordered:
                return None
            return round(ordered[min(count - 1, int(share * count))], 2)

        return {
            "requests": count,
            "errors": self.errors,
            "rps": round(count / self.seconds, 1) if self.seconds else None,
            "p50_ms": pct(0.50),
            "p90_ms": pct(0.90),
            "p99_ms": pct(0.99),
            "max_ms": round(ordered[-1], 2) if ordered else None,
            "mean_ms": round(statistics.fmean(ordered), 2) if ordered else None,
        }


Request = Callable[[], Awaitable[httpx.Response]]


async def _timed(request: Request, samples: Samples, started: float) -> None:
    try:
        response = await request()
        ok = response.status_code == 200
    except httpx.HTTPError:
        ok = False
    if ok:
        samples.latencies_ms.append((time.perf_counter() - started) * 1000)
    else:
        samples.errors += 1


async def closed_phase(
    request: Request, samples: Samples, concurrency: int, seconds: float
) -> None:
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        while time.perf_counter() < deadline:
            await _timed(request, samples, time.perf_counter())

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    samples.seconds += time.perf_counter() - began


async def open_phase(request: Request, samples: Samples, rate: float, seconds: float) -> None:
    interval = 1.0 / rate
    began = time.perf_counter()
    total = int(rate * seconds)
    tasks: list[asyncio.Task[None]] = []
    for index in range(total):
        scheduled = began + index * interval
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        # Latency from the scheduled start: a generator that fell behind still counts it.
        tasks.append(asyncio.create_task(_timed(request, samples, scheduled)))
    await asyncio.gather(*tasks)
    samples.seconds += time.perf_counter() - began


async def run(args: argparse.Namespace) -> dict[str, Any]:
    admin_url = make_url(args.database_url)
    database = f"telemed_bench_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
    database_url = admin_url.set(database=database).render_as_string(hide_password=False)
    try:
        await upgrade_to_head_async(database_url)
        async with running_webapp_replicas(
            1, database_url=database_url, redis_url=args.redis_url
        ) as replicas:
            call = await seed_open_call(replicas)
            base = replicas.base_urls[0]
            limits = httpx.Limits(max_connections=max(args.concurrency, 64))
            async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as http:
                vet_token = await sign_in(http, base, call.vet, replicas.token)
                owner_token = await sign_in(http, base, call.owner, replicas.token)
                vet = {"Authorization": f"Bearer {vet_token}"}
                owner = {"Authorization": f"Bearer {owner_token}"}
                endpoints: dict[str, Request] = {
                    "healthz": lambda: http.get("/healthz"),
                    "brief": lambda: http.get(
                        f"/miniapp/api/appointments/{call.appointment_id}/brief", headers=vet
                    ),
                    "records": lambda: http.get(
                        f"/miniapp/api/pets/{call.pet_id}/records", headers=owner
                    ),
                }
                for name, request in endpoints.items():  # warm-up, and a check they answer
                    response = await request()
                    if response.status_code != 200:
                        raise RuntimeError(f"{name}: {response.status_code} {response.text[:200]}")
                return {
                    "target": "telemed-pet webapp (1 process) on PostgreSQL"
                    + (" + Redis" if args.redis_url else ""),
                    "closed_loop": await _mode(
                        endpoints,
                        args.rounds,
                        lambda request, samples: closed_phase(
                            request, samples, args.concurrency, args.phase_s
                        ),
                        {"concurrency": args.concurrency},
                    ),
                    "open_loop": await _mode(
                        endpoints,
                        args.rounds,
                        lambda request, samples: open_phase(
                            request, samples, args.rate, args.phase_s
                        ),
                        {"rate_rps": args.rate, "goal": "p99 < 50 ms"},
                    ),
                    "phase_s": args.phase_s,
                    "rounds": args.rounds,
                }
    finally:
        async with admin.connect() as connection:
            await connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        await admin.dispose()


async def _mode(
    endpoints: dict[str, Request],
    rounds: int,
    phase: Callable[[Request, Samples], Awaitable[None]],
    settings: dict[str, Any],
) -> dict[str, Any]:
    # Phases alternate endpoints round by round, so drift (a warming cache, a neighbour's
    # load on a shared machine) touches every endpoint alike.
    samples = {name: Samples() for name in endpoints}
    for _ in range(rounds):
        for name, request in endpoints.items():
            await phase(request, samples[name])
    summaries = {name: each.summary() for name, each in samples.items()}
    base = summaries["healthz"]
    for name in endpoints:
        if name == "healthz":
            continue
        figures = summaries[name]
        figures["vs_healthz"] = {
            "rps_ratio": _ratio(figures["rps"], base["rps"]),
            "p50_ratio": _ratio(figures["p50_ms"], base["p50_ms"]),
            "p99_ratio": _ratio(figures["p99_ms"], base["p99_ms"]),
        }
    return {**settings, "endpoints": summaries}


def _ratio(value: float | None, base: float | None) -> float | None:
    return round(value / base, 3) if value and base else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="a server to make a throw-away database on",
    )
    parser.add_argument("--redis-url", help="REDIS_URL for the webapp (default: none)")
    parser.add_argument("--concurrency", type=int, default=16, help="closed-loop workers")
    parser.add_argument("--rate", type=float, default=200.0, help="open-loop requests per second")
    parser.add_argument(
        "--phase-s", type=float, default=3.0, help="seconds per endpoint per round"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--short", action="store_true", help="a breakage check: seconds, not minutes"
    )
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args()
    if args.short:
        args.phase_s, args.rounds, args.rate, args.concurrency = 0.5, 1, 50.0, 4
    text = json.dumps(asyncio.run(run(args)), indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
