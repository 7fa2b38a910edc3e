"""The call page's routes: join (credentials), joined and left (attendance).

The signalling WebSocket of the `builtin` provider is not here: it opens its own short request
scopes (webapp/miniapp/signalling/socket.py) instead of one for the whole call.
"""

from collections.abc import Awaitable, Callable
from typing import Any, Final, TypeVar

from dishka.integrations.fastapi import DishkaRoute, FromDishka
from fastapi import APIRouter, Response, status
from fastapi.responses import JSONResponse

from core.consultation_errors import CallNotOpenError, CallRoomNotReadyError
from core.interactors.consultation_lifecycle import JoinConsultation, RecordJoin, RecordLeave
from webapp.miniapp.call_schemas import CallJoinOut, CallNotOpenProblem, RoomNotReadyProblem
from webapp.miniapp.deps import CallerId, access_problems
from webapp.miniapp.schemas import Problem
from webapp.miniapp.signalling.socket import BUILTIN_PROVIDER, signal_path
from webapp.miniapp.urls import MINIAPP_API_PREFIX

router = APIRouter(route_class=DishkaRoute, tags=["miniapp"])

# The scheduler makes rooms every 30 s (bot/periodic.py); a page asking every few seconds
# gets in soon after, at the cost of a cheap read.
ROOM_RETRY_AFTER_S: Final = 5

_REFUSALS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem},
    403: {"model": Problem},
    404: {"model": Problem},
    409: {"model": CallNotOpenProblem},
    503: {"model": RoomNotReadyProblem},
}

T = TypeVar("T")


async def _call_problems(action: Callable[[], Awaitable[T]]) -> T | JSONResponse:
    """403/404 as everywhere (deps.access_problems); 409 and 503 carry fields of their own,
    so they are answered here rather than raised as `HTTPException(detail=...)`."""
    with access_problems():
        try:
            return await action()
        except CallNotOpenError as error:
            return JSONResponse(
                CallNotOpenProblem.of(error).model_dump(mode="json"),
                status.HTTP_409_CONFLICT,
            )
        except CallRoomNotReadyError as error:
            problem = RoomNotReadyProblem(detail=str(error), retry_after_s=ROOM_RETRY_AFTER_S)
            return JSONResponse(
                problem.model_dump(mode="json"),
                status.HTTP_503_SERVICE_UNAVAILABLE,
                headers={"Retry-After": str(ROOM_RETRY_AFTER_S)},
            )


@router.post(
    "/appointments/{appointment_id}/call/join", response_model=CallJoinOut, responses=_REFUSALS
)
async def join_call(
    appointment_id: int, caller: CallerId, join: FromDishka[JoinConsultation]
) -> Response | CallJoinOut:
    """Credentials to enter the call, issued per session (a reconnect asks again): the owner,
    a co-owner or the booked vet, while the call window is open and the room is made. With
    the `builtin` provider, `signalling_url` is the WebSocket to negotiate the call on."""
    answer = await _call_problems(lambda: join(caller, appointment_id))
    if isinstance(answer, Response):
        return answer
    builtin = answer.credentials.provider == BUILTIN_PROVIDER
    return CallJoinOut.of(
        answer, signal_path(appointment_id, MINIAPP_API_PREFIX) if builtin else None
    )


@router.post(
    "/appointments/{appointment_id}/call/joined",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=_REFUSALS,
)
async def call_joined(
    appointment_id: int, caller: CallerId, record_join: FromDishka[RecordJoin]
) -> Response:
    """The caller's media flows: their join is recorded (the vet's first one spares them the
    no-show refund). Same refusals as join."""
    answer = await _call_problems(lambda: record_join(appointment_id, caller))
    if isinstance(answer, Response):
        return answer
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/appointments/{appointment_id}/call/left",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=_REFUSALS,
)
async def call_left(
    appointment_id: int, caller: CallerId, record_leave: FromDishka[RecordLeave]
) -> Response:
    """The caller left the call (hung up or lost it); accepted after the window too."""
    answer = await _call_problems(lambda: record_leave(appointment_id, caller))
    if isinstance(answer, Response):
        return answer
    return Response(status_code=status.HTTP_204_NO_CONTENT)
