"""Signing in to the Mini App API of a running sandbox, over real HTTP.

The sandbox's control API hands out initData as Telegram would (`GET /sandbox/api/users/{id}/
webapp_init_data`); the Mini App API served by the same sandbox accepts it, and the session it
issues reaches the routes. With `BOT_TOKEN` set the sandbox is that bot, so initData signed
independently (init_data_py) with that token is accepted too, and aiogram's independent checker
agrees that the sandbox signs as Telegram does.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator

import httpx
import pytest
from aiogram.utils.web_app import safe_parse_webapp_init_data
from init_data_py import UnsignedInitData, User, sign
from pydantic import SecretStr

from bot.run_modes import BackgroundServer, RunningSandbox, running_sandbox
from core.enums import Species
from core.interactors.pets import AddPet, PetDraft
from db.migrate import upgrade_to_head_async
from sandbox.app import create_sandbox_app
from sandbox.token import make_token
from tests.conftest import make_settings
from tests.support.sandbox_person import SandboxPerson

# A token of Telegram's shape that no real bot has.
KNOWN_TOKEN = "7011223344:AAE0sandbox-miniapp-session-test-x1"


@pytest.fixture(scope="module")
async def sandbox(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningSandbox]:
    database = tmp_path_factory.mktemp("miniapp-sandbox") / "var" / "telemed.db"
    settings = make_settings(database, bot_token=SecretStr(KNOWN_TOKEN))
    async with running_sandbox(settings, port=0) as running:
        yield running


@pytest.fixture
async def api(sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as client:
        yield client


async def _init_data(api: httpx.AsyncClient, user_id: int) -> str:
    response = await api.get(f"/sandbox/api/users/{user_id}/webapp_init_data")
    response.raise_for_status()
    init_data: str = response.json()["init_data"]
    return init_data


async def _session(api: httpx.AsyncClient, init_data: str) -> httpx.Response:
    return await api.post("/miniapp/api/session", json={"init_data": init_data})


async def test_the_sandboxs_init_data_opens_a_session_that_reaches_the_routes(
    sandbox: RunningSandbox, api: httpx.AsyncClient
) -> None:
    assert sandbox.token == KNOWN_TOKEN  # BOT_TOKEN is the sandbox's bot
    owner = await SandboxPerson.join(api, "Mini", "en")
    await owner.say("/start")  # the bot registers the user on their first update
    await owner.wait_for(lambda message: True)
    async with sandbox.bot_app.container() as request:
        pet = await (await request.get(AddPet))(
            owner.id, PetDraft(name="Tuzik", species=Species.DOG)
        )

    init_data = await _init_data(api, owner.id)
    # An implementation that is not ours agrees the sandbox signs as Telegram does.
    assert safe_parse_webapp_init_data(sandbox.token, init_data).user is not None
    response = await _session(api, init_data)
    assert response.status_code == 200, response.text
    assert response.json()["user_id"] == owner.id
    bearer = {"Authorization": f"Bearer {response.json()['token']}"}

    card = await api.get(f"/miniapp/api/pets/{pet.id}/records", headers=bearer)
    assert card.status_code == 200, card.text
    assert (card.json()["role"], card.json()["pet"]["name"]) == ("owner", "Tuzik")

    stranger = await SandboxPerson.join(api, "Nosy", "en")
    theirs = await _session(api, await _init_data(api, stranger.id))
    assert theirs.status_code == 200
    refused = await api.get(
        f"/miniapp/api/pets/{pet.id}/records",
        headers={"Authorization": f"Bearer {theirs.json()['token']}"},
    )
    assert refused.status_code == 403


async def test_init_data_signed_independently_with_bot_token_is_accepted(
    api: httpx.AsyncClient,
) -> None:
    person = await SandboxPerson.join(api, "Independent", "en")
    init_data = sign(
        UnsignedInitData(user=User(id=person.id, first_name="Independent")), KNOWN_TOKEN
    )
    response = await _session(api, init_data)
    assert response.status_code == 200, response.text
    assert response.json()["user_id"] == person.id


async def test_init_data_for_another_bot_or_tampered_is_refused_by_the_sandbox(
    api: httpx.AsyncClient,
) -> None:
    person = await SandboxPerson.join(api, "Forger", "en")
    foreign = sign(
        UnsignedInitData(user=User(id=person.id, first_name="Forger")),
        "7099887766:AAEanother-bot-entirely-0000000000",
    )
    refused = await _session(api, foreign)
    assert refused.status_code == 401
    assert refused.json()["detail"] == "init data refused: bad_signature"

    genuine = await _init_data(api, person.id)
    tampered = genuine.replace("Forger", "Admin")
    assert tampered != genuine
    assert (await _session(api, tampered)).status_code == 401


async def test_the_production_webapp_process_serves_the_mini_app_api(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """`telemed-pet webapp`, as production runs it (a process of its own, BOT_TOKEN from the
    environment), against the emulator: initData signed with that token opens a session."""
    token = make_token()
    telegram = BackgroundServer(create_sandbox_app(token), "127.0.0.1", 0)
    telegram_url = f"http://127.0.0.1:{await telegram.start()}"
    root = tmp_path_factory.mktemp("webapp-process")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {
        **os.environ,
        "BOT_TOKEN": token,
        "BOT__API_BASE_URL": telegram_url,
        "BOT__WEBHOOK_SECRET": "webhook-secret",
        "DATABASE_URL": f"sqlite+aiosqlite:///{root / 'telemed.db'}",
        "STORAGE_URL": f"file://{root / 'files'}",
        "WEBAPP_URL": "",
        "REDIS_URL": "",
    }
    # As in production, `telemed-pet migrate` runs before the webapp starts (its start-up
    # reads the users table: admin roles are synced with ADMIN_IDS).
    await upgrade_to_head_async(environment["DATABASE_URL"])
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "webapp",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        env=environment,
        cwd=root,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with (
            httpx.AsyncClient(base_url=telegram_url, timeout=15) as emulator,
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=15) as webapp,
        ):
            await _wait_until_up(webapp, process)
            user = (await emulator.post("/sandbox/api/users", json={"first_name": "Prod"})).json()
            response = await _session(webapp, await _init_data(emulator, user["id"]))
            assert response.status_code == 200, response.text
            assert response.json()["user_id"] == user["id"]
            foreign = sign(UnsignedInitData(user=User(id=user["id"], first_name="P")), KNOWN_TOKEN)
            assert (await _session(webapp, foreign)).status_code == 401
    finally:
        process.terminate()
        await process.wait()
        await telegram.stop()


async def _wait_until_up(webapp: httpx.AsyncClient, process: asyncio.subprocess.Process) -> None:
    for _ in range(300):
        if process.returncode is not None:
            assert process.stderr is not None
            raise AssertionError((await process.stderr.read()).decode(errors="replace"))
        try:
            if (await webapp.get("/healthz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError("telemed-pet webapp did not start within 30 s")
