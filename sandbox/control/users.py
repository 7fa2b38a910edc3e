from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError

from sandbox.control.client_text import client_text, refuse_lone_surrogates
from sandbox.control.deps import State, find_user
from sandbox.control.init_data import make_init_data
from sandbox.emulator.methods.bot_profile import commands_for_user, menu_button_for_chat
from sandbox.emulator.models import SandboxUser

router = APIRouter()


class NewUser(BaseModel):
    id: int | None = Field(default=None, gt=0)
    first_name: str = Field(min_length=1, max_length=64)
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None


def _optional(value: str | None, field: str) -> str | None:
    return None if value is None else client_text(value, field)


def _user_view(user: SandboxUser) -> dict[str, Any]:
    return {**user.to_api(), "chat_id": user.id, "label": user.label}


@router.post("/users")
async def create_user(raw: Annotated[dict[str, Any], Body()], state: State) -> dict[str, int]:
    """Create a Telegram user (or update one with the same id); its private chat id is its id.
    The body is a `NewUser`.

    A name with a lone surrogate is refused (400); control characters become spaces, as
    Telegram's own clients make them (sandbox/control/client_text.py)."""
    # Checked before the model: pydantic cannot take a lone surrogate, and its 422 would echo
    # the input back in a response that cannot be encoded (a 500 instead of an answer).
    refuse_lone_surrogates(raw, "user")
    try:
        body = NewUser.model_validate(raw)
    except ValidationError as error:
        raise RequestValidationError(error.errors(include_url=False)) from None
    first_name = client_text(body.first_name, "first_name").strip()
    if not first_name:
        raise HTTPException(400, "first_name is empty")
    user = state.add_user(
        first_name,
        user_id=body.id,
        last_name=_optional(body.last_name, "last_name"),
        username=_optional(body.username, "username"),
        language_code=_optional(body.language_code, "language_code"),
    )
    return {"id": user.id, "chat_id": user.id}


@router.get("/users")
async def list_users(state: State) -> list[dict[str, Any]]:
    return [_user_view(user) for user in state.users.values()]


@router.get("/users/{user_id}/webapp_init_data")
async def webapp_init_data(user_id: int, state: State) -> dict[str, str]:
    """initData for a Mini App opened by this user, signed with the bot token."""
    return {"init_data": make_init_data(state.token, find_user(state, user_id))}


@router.get("/users/{user_id}/menu")
async def bot_menu(user_id: int, state: State) -> dict[str, Any]:
    """The "/" command list and menu button the user's Telegram client would show."""
    user = find_user(state, user_id)
    return {
        "commands": commands_for_user(state, user),
        "menu_button": menu_button_for_chat(state, user.id),
    }
