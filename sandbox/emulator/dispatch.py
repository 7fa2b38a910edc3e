"""Runs one Bot API call and logs it, whichever way it arrived (HTTP or a webhook reply)."""

from typing import Any

from sandbox.emulator.errors import BotApiError
from sandbox.emulator.methods import METHODS
from sandbox.emulator.params import Params
from sandbox.emulator.state import EmulatorState

NOT_FOUND = BotApiError(404, "Not Found")


async def call_method(
    state: EmulatorState, method: str, params: Params
) -> tuple[int, dict[str, Any]]:
    entry = METHODS.get(method.lower())
    if entry is None:
        state.log_call(method, params.loggable(), (404, NOT_FOUND.description))
        return 404, NOT_FOUND.to_response()
    name, handler = entry
    try:
        result = await handler(state, params)
    except BotApiError as error:
        state.log_call(name, params.loggable(), (error.error_code, error.description))
        return error.error_code, error.to_response()
    state.log_call(name, params.loggable())
    # Any method may have changed the world; the saver skips writes that change nothing.
    state.mark_changed()
    return 200, {"ok": True, "result": result}
