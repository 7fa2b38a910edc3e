"""The Bot API over HTTP: /bot<token>/<method> and /file/bot<token>/<file_path>."""

import re

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from sandbox.emulator.dispatch import NOT_FOUND, call_method
from sandbox.emulator.errors import BotApiError
from sandbox.emulator.params import Params
from sandbox.emulator.state import EmulatorState

_TOKEN_SHAPE = re.compile(r"^\d+:[A-Za-z0-9_-]{30,}$")
UNAUTHORIZED = BotApiError(401, "Unauthorized")

router = APIRouter()


def _state(request: Request) -> EmulatorState:
    state: EmulatorState = request.app.state.emulator
    return state


def _token_error(state: EmulatorState, token: str) -> BotApiError | None:
    """Telegram answers 401 to a well-formed token it does not know, 404 to anything else."""
    if token == state.token:
        return None
    return UNAUTHORIZED if _TOKEN_SHAPE.match(token) else NOT_FOUND


@router.api_route("/bot{token}/{method}", methods=["GET", "POST"], include_in_schema=False)
async def bot_api(token: str, method: str, request: Request) -> JSONResponse:
    state = _state(request)
    error = _token_error(state, token)
    if error is None:
        try:
            params = await Params.from_request(request)
        except BotApiError as parse_error:
            error = parse_error
        else:
            status, body = await call_method(state, method, params)
            return JSONResponse(body, status_code=status)
    return JSONResponse(error.to_response(), status_code=error.error_code)


@router.get("/file/bot{token}/{file_path:path}", include_in_schema=False)
async def download_file(token: str, file_path: str, request: Request) -> Response:
    state = _state(request)
    error = _token_error(state, token)
    stored = state.files.by_path(file_path) if error is None else None
    if stored is None:
        error = error or NOT_FOUND
        return JSONResponse(error.to_response(), status_code=error.error_code)
    return Response(stored.data, media_type=stored.mime_type)
