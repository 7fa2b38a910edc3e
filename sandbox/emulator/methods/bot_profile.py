"""getMe, commands, the menu button and the bot's name and descriptions."""

import json
import re
from typing import Any

from sandbox.emulator.errors import bad_request
from sandbox.emulator.methods.registry import bot_method
from sandbox.emulator.models import SandboxUser
from sandbox.emulator.params import Params
from sandbox.emulator.state import EmulatorState

_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_DEFAULT_MENU_BUTTON = {"type": "default"}


def _scope_key(scope: Any) -> str:
    scope = dict(scope) if isinstance(scope, dict) else {"type": "default"}
    if "chat_id" in scope:
        try:
            scope["chat_id"] = int(scope["chat_id"])
        except (TypeError, ValueError) as exc:
            raise bad_request("chat not found") from exc
    return json.dumps(scope, sort_keys=True)


def _language(params: Params) -> str:
    language = params.get_str("language_code") or ""
    if language and not re.fullmatch(r"[a-z]{2}", language):
        raise bad_request("invalid language code specified")
    return language


def commands_for_user(state: EmulatorState, user: SandboxUser) -> list[dict[str, Any]]:
    """The commands a Telegram client shows in the user's private chat with the bot."""
    scopes = (
        {"type": "chat", "chat_id": user.id},
        {"type": "all_private_chats"},
        {"type": "default"},
    )
    for scope in scopes:
        for language in (user.language_code or "", ""):
            commands = state.commands.get((_scope_key(scope), language))
            if commands:
                return commands
    return []


def menu_button_for_chat(state: EmulatorState, chat_id: int | None) -> dict[str, Any]:
    return state.menu_buttons.get(chat_id) or state.menu_buttons.get(None) or _DEFAULT_MENU_BUTTON


@bot_method("getMe")
async def get_me(state: EmulatorState, params: Params) -> dict[str, Any]:
    return {
        **state.bot.to_api(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


@bot_method("setMyCommands")
async def set_my_commands(state: EmulatorState, params: Params) -> bool:
    commands = params.get_json("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands JSON object")
    stored = []
    for command in commands:
        if not isinstance(command, dict) or not _COMMAND.match(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description") or "")) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        stored.append({"command": command["command"], "description": command["description"]})
    key = (_scope_key(params.get_json("scope")), _language(params))
    if stored:
        state.commands[key] = stored
    else:
        state.commands.pop(key, None)
    return True


@bot_method("getMyCommands")
async def get_my_commands(state: EmulatorState, params: Params) -> list[dict[str, Any]]:
    return state.commands.get((_scope_key(params.get_json("scope")), _language(params)), [])


@bot_method("deleteMyCommands")
async def delete_my_commands(state: EmulatorState, params: Params) -> bool:
    state.commands.pop((_scope_key(params.get_json("scope")), _language(params)), None)
    return True


@bot_method("setChatMenuButton")
async def set_chat_menu_button(state: EmulatorState, params: Params) -> bool:
    chat_id = params.chat_id() if params.has("chat_id") else None
    if chat_id is not None:
        state.chat(chat_id)
    button = params.get_json("menu_button") or _DEFAULT_MENU_BUTTON
    if not isinstance(button, dict) or button.get("type") not in (
        "default",
        "commands",
        "web_app",
    ):
        raise bad_request("can't parse menu button")
    state.menu_buttons[chat_id] = button
    return True


@bot_method("getChatMenuButton")
async def get_chat_menu_button(state: EmulatorState, params: Params) -> dict[str, Any]:
    chat_id = params.chat_id() if params.has("chat_id") else None
    if chat_id is not None:
        state.chat(chat_id)
    return menu_button_for_chat(state, chat_id)


def _profile_text(family: str, field: str, limit: int) -> None:
    """setMyX / getMyX pairs that only store a text per language."""
    name = family[0].upper() + family[1:]

    @bot_method(f"setMy{name}")
    async def set_text(state: EmulatorState, params: Params) -> bool:
        text = params.get_str(field) or ""
        if len(text) > limit:
            raise bad_request(f"{field} is too long")
        state.profile_texts[(family, _language(params))] = text
        return True

    @bot_method(f"getMy{name}")
    async def get_text(state: EmulatorState, params: Params) -> dict[str, str]:
        default = state.bot.first_name if family == "name" else ""
        return {field: state.profile_texts.get((family, _language(params)), default)}


_profile_text("name", "name", 64)
_profile_text("description", "description", 512)
_profile_text("shortDescription", "short_description", 120)
