"""The call API and its signalling across two real `telemed-pet webapp` replicas sharing
PostgreSQL and Redis: the owner's socket on one replica, the vet's on the other."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from db.migrate import upgrade_to_head_async
from tests.integration.conftest import PostgresServer, postgres_server  # noqa: F401 (fixture)
from tests.support.webapp_replicas import (
    SeededCall,
    WebappReplicas,
    running_webapp_replicas,
    seed_open_call,
    sign_in,
)

pytestmark = pytest.mark.postgres

RECEIVE_TIMEOUT_S = 10


@pytest.fixture(scope="module")
async def replicas(
    postgres_server: PostgresServer,  # noqa: F811
    redis_url: str,
) -> AsyncIterator[WebappReplicas]:
    database_url = await postgres_server.create_database()
    await upgrade_to_head_async(database_url)
    # The window closes at the slot's end, so a test can see a call end within seconds.
    async with running_webapp_replicas(
        2,
        database_url=database_url,
        redis_url=redis_url,
        env={"MINIAPP__CALL_CLOSES_MINUTES_AFTER": "0"},
    ) as running:
        yield running


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=30) as client:
        yield client


@pytest.fixture
async def call(replicas: WebappReplicas) -> SeededCall:
    return await seed_open_call(replicas)


async def _bearer(
    http: httpx.AsyncClient, replicas: WebappReplicas, telegram_id: int, replica: int = 0
) -> dict[str, str]:
    token = await sign_in(http, replicas.base_urls[replica], telegram_id, replicas.token)
    return {"Authorization": f"Bearer {token}"}


def _call_path(appointment_id: int, action: str) -> str:
    return f"/miniapp/api/appointments/{appointment_id}/call/{action}"


async def _receive(socket: ClientConnection) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), RECEIVE_TIMEOUT_S))
    return message


async def _open_socket(
    http: httpx.AsyncClient, replicas: WebappReplicas, call: SeededCall, who: int, replica: int
) -> ClientConnection:
    token = await sign_in(http, replicas.base_urls[replica], who, replicas.token)
    socket = await connect(replicas.ws_url(replica, _call_path(call.appointment_id, "signal")))
    await socket.send(json.dumps({"type": "auth", "token": token}))
    return socket


async def _close_code(socket: ClientConnection) -> int | None:
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await asyncio.wait_for(socket.recv(), RECEIVE_TIMEOUT_S)
    return closed.value.rcvd.code if closed.value.rcvd is not None else None


# --- the REST routes ----------------------------------------------------------------------------


async def test_participants_get_builtin_credentials_with_the_signalling_url(
    replicas: WebappReplicas, http: httpx.AsyncClient, call: SeededCall
) -> None:
    path = _call_path(call.appointment_id, "join")
    owner = await http.post(
        replicas.base_urls[0] + path, headers=await _bearer(http, replicas, call.owner)
    )
    vet = await http.post(
        replicas.base_urls[1] + path, headers=await _bearer(http, replicas, call.vet, 1)
    )
    assert (owner.status_code, vet.status_code) == (200, 200), (owner.text, vet.text)
    owner_ticket, vet_ticket = owner.json(), vet.json()
    assert owner_ticket["provider"] == "builtin"
    assert owner_ticket["signalling_url"] == _call_path(call.appointment_id, "signal")
    assert (owner_ticket["role"], vet_ticket["role"]) == ("owner", "vet")
    assert owner_ticket["room_id"] == vet_ticket["room_id"]
    assert owner_ticket["participant_id"].startswith("owner-")
    assert owner_ticket["token"] is None and owner_ticket["url"] is None
    assert isinstance(owner_ticket["ice_servers"], list)


async def test_viewers_and_strangers_may_not_join(
    replicas: WebappReplicas, http: httpx.AsyncClient, call: SeededCall
) -> None:
    for who in (call.viewer, call.stranger):
        headers = await _bearer(http, replicas, who)
        for action in ("join", "joined", "left"):
            response = await http.post(
                replicas.base_urls[0] + _call_path(call.appointment_id, action), headers=headers
            )
            assert response.status_code == 403, (action, response.text)


async def test_joining_outside_the_window_says_when_it_opens(
    replicas: WebappReplicas, http: httpx.AsyncClient
) -> None:
    tomorrow = await seed_open_call(replicas, starts_in=timedelta(days=1))
    headers = await _bearer(http, replicas, tomorrow.owner)
    response = await http.post(
        replicas.base_urls[1] + _call_path(tomorrow.appointment_id, "join"), headers=headers
    )
    assert response.status_code == 409, response.text
    body = response.json()
    assert body["state"] == "not_open_yet"
    opens_at = datetime.fromisoformat(body["opens_at"])
    assert timedelta(hours=23) < opens_at - datetime.now(opens_at.tzinfo) < timedelta(days=1)
    assert body["detail"]


async def test_a_room_not_made_yet_asks_to_retry(
    replicas: WebappReplicas, http: httpx.AsyncClient
) -> None:
    waiting = await seed_open_call(replicas, room=False)
    headers = await _bearer(http, replicas, waiting.vet)
    response = await http.post(
        replicas.base_urls[0] + _call_path(waiting.appointment_id, "join"), headers=headers
    )
    assert response.status_code == 503, response.text
    assert response.json()["retry_after_s"] > 0
    assert response.headers["Retry-After"] == str(response.json()["retry_after_s"])


async def test_joined_and_left_are_recorded(
    replicas: WebappReplicas, http: httpx.AsyncClient, call: SeededCall
) -> None:
    headers = await _bearer(http, replicas, call.vet)
    for action, replica in (("joined", 0), ("left", 1)):
        response = await http.post(
            replicas.base_urls[replica] + _call_path(call.appointment_id, action),
            headers=headers,
        )
        assert response.status_code == 204, (action, response.text)
        assert response.content == b""


async def test_without_a_token_the_routes_answer_401(
    replicas: WebappReplicas, http: httpx.AsyncClient, call: SeededCall
) -> None:
    response = await http.post(replicas.base_urls[0] + _call_path(call.appointment_id, "join"))
    assert response.status_code == 401


# --- the signalling socket ----------------------------------------------------------------------


async def test_owner_and_vet_on_two_replicas_signal_each_other(
    replicas: WebappReplicas, http: httpx.AsyncClient, call: SeededCall
) -> None:
    owner = await _open_socket(http, replicas, call, call.owner, replica=0)
    async with owner:
        assert await _receive(owner) == {
            "type": "welcome",
            "role": "owner",
            "peer": False,
            "polite": True,
        }
        vet = await _open_socket(http, replicas, call, call.vet, replica=1)
        async with vet:
            assert await _receive(vet) == {
                "type": "welcome",
                "role": "vet",
                "peer": True,
                "polite": False,
            }
            assert await _receive(owner) == {"type": "peer", "present": True}

            offer = {"description": {"type": "offer", "sdp": "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\n"}}
            await owner.send(json.dumps({"type": "signal", "data": offer}))
            assert await _receive(vet) == {"type": "signal", "data": offer}
            answer = {"candidate": {"candidate": "candidate:1 1 udp 1 10.0.0.1 9 typ host"}}
            await vet.send(json.dumps({"type": "signal", "data": answer}))
            assert await _receive(owner) == {"type": "signal", "data": answer}
            await vet.send(json.dumps({"type": "ping"}))
            assert await _receive(vet) == {"type": "pong"}

            # The vet reloads the page, now through the owner's replica: the old socket is
            # replaced, and the owner hears of a new vet page.
            second_vet = await _open_socket(http, replicas, call, call.vet, replica=0)
            async with second_vet:
                assert (await _receive(second_vet))["peer"] is True
                assert await _close_code(vet) == 4000
                assert await _receive(owner) == {"type": "peer", "present": True}
                await second_vet.send(json.dumps({"type": "signal", "data": "again"}))
                assert await _receive(owner) == {"type": "signal", "data": "again"}
            assert await _receive(owner) == {"type": "peer", "present": False}


async def test_refused_callers_get_the_contracts_close_codes(
    replicas: WebappReplicas, http: httpx.AsyncClient, call: SeededCall
) -> None:
    path = _call_path(call.appointment_id, "signal")
    async with connect(replicas.ws_url(1, path)) as forged:
        await forged.send(json.dumps({"type": "auth", "token": "not-a-session-token"}))
        assert await _close_code(forged) == 4401
    async with connect(replicas.ws_url(1, path)) as silent_type:
        await silent_type.send(json.dumps({"type": "signal", "data": {}}))
        assert await _close_code(silent_type) == 4401

    viewer = await _open_socket(http, replicas, call, call.viewer, replica=1)
    async with viewer:
        assert await _close_code(viewer) == 4403

    tomorrow = await seed_open_call(replicas, starts_in=timedelta(days=1))
    early = await _open_socket(http, replicas, tomorrow, tomorrow.owner, replica=0)
    async with early:
        assert await _close_code(early) == 4409

    waiting = await seed_open_call(replicas, room=False)
    unready = await _open_socket(http, replicas, waiting, waiting.vet, replica=1)
    async with unready:
        assert await _close_code(unready) == 4503


async def test_the_call_ends_when_its_window_closes(
    replicas: WebappReplicas, http: httpx.AsyncClient
) -> None:
    # A 30-minute slot that ends in a few seconds (the window closes at its end here).
    ending = await seed_open_call(
        replicas, starts_in=timedelta(seconds=10) - timedelta(minutes=30), minutes=30
    )
    owner = await _open_socket(http, replicas, ending, ending.owner, replica=1)
    async with owner:
        assert (await _receive(owner))["type"] == "welcome"
        assert await _receive(owner) == {"type": "ended"}
        assert await _close_code(owner) == 4001
