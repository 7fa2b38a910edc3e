from typing import Annotated

from fastapi import Depends, HTTPException, Request

from sandbox.emulator.models import Chat, SandboxUser
from sandbox.emulator.state import EmulatorState


async def get_state(request: Request) -> EmulatorState:
    # async: FastAPI runs a plain `def` dependency in its thread pool, a hop there and back
    # through the event loop for every control API call (the web chat, tests, a flood).
    state: EmulatorState = request.app.state.emulator
    return state


State = Annotated[EmulatorState, Depends(get_state)]


def find_user(state: EmulatorState, user_id: int) -> SandboxUser:
    user = state.users.get(user_id)
    if user is None:
        raise HTTPException(
            404, f"user {user_id} not found; create it with POST /sandbox/api/users"
        )
    return user


def find_chat(state: EmulatorState, chat_id: int) -> Chat:
    chat = state.chats.get(chat_id)
    if chat is None:
        raise HTTPException(404, f"chat {chat_id} not found")
    return chat
