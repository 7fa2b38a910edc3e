"""Real `telemed-pet webapp` replicas for end-to-end tests, sharing PostgreSQL and Redis.

Start N replicas (each a subprocess, as production runs them) and get their base URLs::

    url = await postgres_server.create_database()     # tests/integration/conftest.py
    await upgrade_to_head_async(url)                  # replicas never migrate by themselves
    async with running_webapp_replicas(2, database_url=url, redis_url=redis_url) as replicas:
        replicas.base_urls        # ["http://127.0.0.1:40123", "http://127.0.0.1:40567"]
        replicas.ws_url(0, path)  # the same origin as ws://, for WebSockets

Each replica gets BOT_TOKEN, BOT__WEBHOOK_SECRET, DATABASE_URL, REDIS_URL and
BOT__API_BASE_URL pointing at an in-process Bot API emulator made with the same token (startup
calls setMyCommands there; no WEBAPP_URL, so no setWebhook). They run in a temporary working
directory: a developer's `.env` never leaks in, and `var/files` stays out of the tree. Their
output goes to `replica-<n>.log` there, and its tail is in the error if one fails to start.

Seed an appointment whose call is open, room made, as the scheduler would make it::

    call = await seed_open_call(replicas, starts_in=timedelta(minutes=5))
    token = await sign_in(http, replicas.base_urls[0], call.owner, replicas.token)

`seed_open_call` writes the people, pet and confirmed appointment with the real repositories,
then runs the scheduler's own `OpenDueRooms` through a container (its Join messages go to a
recording bot). `room=False` leaves the room unmade (the page gets 503); a start far ahead
leaves the window shut (409). `sign_in` signs initData with the replicas' token, as Telegram
would, and trades it for a session token at `POST /miniapp/api/session`.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import socket
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from aiogram import Bot
from init_data_py import UnsignedInitData, User, sign
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ioc import create_container
from core.clock import SystemClock
from core.config import Settings
from core.enums import AccessLevel, Role, Species
from core.interactors.consultation_lifecycle import OpenDueRooms
from db.repositories import SqlPetAccessRepository, SqlPetRepository, SqlUserRepository
from db.repositories.appointments import SqlAppointmentRepository
from db.repositories.slots import SqlSlotRepository
from db.repositories.vets import SqlVetRepository
from sandbox.app import create_sandbox_app
from sandbox.testing import BackgroundServer
from sandbox.token import make_token
from tests.support.recording_session import RecordingSession

WEBHOOK_SECRET = "replicas-webhook-secret"
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
_telegram_ids = itertools.count(7_100_000 + (os.getpid() % 1000) * 1000)


@dataclass(frozen=True)
class WebappReplicas:
    base_urls: list[str]
    token: str  # BOT_TOKEN of every replica (initData is signed with it)
    database_url: str
    redis_url: str | None  # None: each replica on its own (one replica only makes sense)
    emulator_url: str
    workdir: Path
    env: Mapping[str, str]  # the extra settings the replicas were given

    def ws_url(self, replica: int, path: str) -> str:
        return "ws" + self.base_urls[replica].removeprefix("http") + path

    def settings(self) -> Settings:
        """Settings as the replicas read them (`env` included: `SECTION__FIELD` keys), for
        containers of the test process."""
        sections: dict[str, dict[str, str]] = {}
        for key, value in self.env.items():
            section, _, name = key.lower().partition("__")
            if name:
                sections.setdefault(section, {})[name] = value
        return Settings(
            _env_file=None,  # type: ignore[call-arg]
            bot_token=SecretStr(self.token),
            database_url=self.database_url,
            redis_url=self.redis_url,
            storage_url=f"file://{self.workdir / 'var' / 'files'}",
            **sections,  # type: ignore[arg-type]
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _executable() -> list[str]:
    script = Path(sys.executable).parent / "telemed-pet"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def _log_tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


async def _wait_healthy(process: asyncio.subprocess.Process, base_url: str, log: Path) -> None:
    deadline = asyncio.get_running_loop().time() + START_TIMEOUT_S
    async with httpx.AsyncClient(base_url=base_url, timeout=2) as http:
        while True:
            if process.returncode is not None:
                raise RuntimeError(
                    f"webapp replica exited ({process.returncode}):\n{_log_tail(log)}"
                )
            try:
                if (await http.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if asyncio.get_running_loop().time() > deadline:
                raise RuntimeError(
                    f"webapp replica did not start at {base_url}:\n{_log_tail(log)}"
                )
            await asyncio.sleep(0.2)


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is not None:
        return
    process.terminate()
    try:
        await asyncio.wait_for(process.wait(), STOP_TIMEOUT_S)
    except TimeoutError:
        process.kill()
        await process.wait()


@asynccontextmanager
async def running_webapp_replicas(
    count: int,
    *,
    database_url: str,
    redis_url: str | None,
    env: Mapping[str, str] | None = None,
) -> AsyncIterator[WebappReplicas]:
    """`count` webapp subprocesses on free ports of 127.0.0.1, healthy when entered, stopped
    (SIGTERM, then SIGKILL) when left. `env` adds or overrides settings (e.g.
    MINIAPP__CALL_CLOSES_MINUTES_AFTER). `database_url` must be migrated already."""
    token = make_token()
    emulator = BackgroundServer(create_sandbox_app(token))
    emulator.start()
    workdir = Path(tempfile.mkdtemp(prefix="webapp-replicas-"))
    processes: list[asyncio.subprocess.Process] = []
    try:
        base = {
            key: value
            for key, value in os.environ.items()
            # The replicas' settings are exactly these, not the developer's shell's.
            if not key.startswith(("BOT", "DATABASE", "REDIS", "WEBAPP", "MINIAPP", "VIDEO"))
        }
        base.update(
            BOT_TOKEN=token,
            BOT__WEBHOOK_SECRET=WEBHOOK_SECRET,
            BOT__API_BASE_URL=emulator.base_url,
            DATABASE_URL=database_url,
            QUEUE__STREAM=f"test-replicas-{uuid.uuid4().hex[:8]}",
            **(env or {}),
        )
        if redis_url is not None:
            base["REDIS_URL"] = redis_url
        base_urls = []
        logs = []
        for index in range(count):
            port = _free_port()
            log = workdir / f"replica-{index}.log"
            with log.open("wb") as output:
                process = await asyncio.create_subprocess_exec(
                    *_executable(), "webapp", "--host", "127.0.0.1", "--port", str(port),
                    cwd=workdir, env=base, stdout=output, stderr=asyncio.subprocess.STDOUT,
                )  # fmt: skip
            processes.append(process)
            base_urls.append(f"http://127.0.0.1:{port}")
            logs.append(log)
        for process, url, log in zip(processes, base_urls, logs, strict=True):
            await _wait_healthy(process, url, log)
        yield WebappReplicas(
            base_urls, token, database_url, redis_url, emulator.base_url, workdir, dict(env or {})
        )
    finally:
        await asyncio.gather(*(_stop(process) for process in processes))
        emulator.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@dataclass(frozen=True)
class SeededCall:
    appointment_id: int
    pet_id: int
    # Telegram ids
    owner: int
    vet: int
    viewer: int
    stranger: int


async def seed_open_call(
    replicas: WebappReplicas,
    *,
    starts_in: timedelta = timedelta(minutes=5),
    minutes: int = 30,
    room: bool = True,
) -> SeededCall:
    """A confirmed appointment starting `starts_in` from now, its owner, vet, a viewer of the
    pet and a stranger; with `room`, the scheduler's OpenDueRooms has run (its room is made
    if the call window is open by then)."""
    return await seed_call(
        replicas.settings(), replicas.token, starts_in=starts_in, minutes=minutes, room=room
    )


async def seed_call(
    settings: Settings,
    token: str,
    *,
    starts_in: timedelta = timedelta(minutes=5),
    minutes: int = 30,
    room: bool = True,
) -> SeededCall:
    """`seed_open_call` on any database: `settings` as the serving process reads them (the
    sandbox's included), `token` its bot's."""
    ids = {role: next(_telegram_ids) for role in ("owner", "vet", "viewer", "stranger")}
    container = create_container(settings, bot=Bot(token, session=RecordingSession()))
    now = datetime.now(UTC)
    starts_at = now + starts_in
    # Paid before the start, as it must have been (a call under way was booked earlier).
    paid_at = min(now, starts_at - timedelta(hours=1))
    try:
        async with container() as request:
            session = await request.get(AsyncSession)
            users = SqlUserRepository(session)
            people = {
                role: await users.add(
                    telegram_id=telegram_id,
                    first_name=role.capitalize(),
                    username=None,
                    language="en",
                    roles=frozenset({Role.VET if role == "vet" else Role.OWNER}),
                )
                for role, telegram_id in ids.items()
            }
            vet = await SqlVetRepository(session).add(
                user_id=people["vet"].id,
                display_name="Dr. Replica",
                species=frozenset({Species.CAT}),
                languages=frozenset({"en"}),
                price_amount=100,
            )
            pet = await SqlPetRepository(session).add(name="Murka", species=Species.CAT)
            access = SqlPetAccessRepository(session)
            for role, level in (("owner", AccessLevel.OWNER), ("viewer", AccessLevel.VIEWER)):
                await access.grant(
                    pet_id=pet.id, user_id=people[role].id, level=level, granted_at=now
                )
            slot = await SqlSlotRepository(session).add(
                vet_id=vet.id, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=minutes)
            )
            appointments = SqlAppointmentRepository(session)
            held = await appointments.add_hold(
                slot_id=slot.id,
                vet_id=vet.id,
                owner_user_id=people["owner"].id,
                pet_id=pet.id,
                reason="Sneezing",
                check_id=None,
                price_amount=100,
                currency="XTR",
                hold_expires_at=paid_at + timedelta(minutes=15),
            )
            assert await appointments.confirm(held.id, confirmed_at=paid_at)
            await session.commit()
        if room:
            async with container() as request:
                await (await request.get(OpenDueRooms))()
    finally:
        await container.close()
    return SeededCall(held.id, pet.id, **ids)


async def sign_in(http: httpx.AsyncClient, base_url: str, telegram_id: int, token: str) -> str:
    """A session token for `telegram_id`, from initData signed with the bot's token."""
    init_data = sign(
        UnsignedInitData(query_id="AAHreplicas", user=User(id=telegram_id, first_name="T")),
        token,
        auth_date=SystemClock().now(),
    )
    response = await http.post(f"{base_url}/miniapp/api/session", json={"init_data": init_data})
    response.raise_for_status()
    return str(response.json()["token"])
