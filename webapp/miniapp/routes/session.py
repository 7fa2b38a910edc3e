import logging

from dishka.integrations.fastapi import DishkaRoute, FromDishka
from fastapi import APIRouter, HTTPException, Request, status
from pydantic import ValidationError

from core.interactors.miniapp_session import OpenMiniAppSession
from core.miniapp_auth import InitDataError
from webapp.miniapp.schemas import Problem, SessionRequest, SessionResponse

logger = logging.getLogger(__name__)

router = APIRouter(route_class=DishkaRoute, tags=["miniapp"])


@router.post(
    "/session",
    response_model=SessionResponse,
    responses={401: {"model": Problem}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": SessionRequest.model_json_schema()}},
        }
    },
)
async def open_session(
    request: Request, open_mini_app_session: FromDishka[OpenMiniAppSession]
) -> SessionResponse:
    """Sign in with the raw `Telegram.WebApp.initData`; the answer's token goes in
    `Authorization: Bearer <token>` on every other route.

    Any refusal, a body that is not `{"init_data": "..."}` included, is a 401 with the reason.
    The body is read here rather than by FastAPI so that a bad one is a 401 like bad initData,
    and so that a validation error never echoes the initData back or into a log.
    """
    try:
        init_data = SessionRequest.model_validate_json(await request.body()).init_data
    except ValidationError:
        logger.info("mini app sign-in refused: not a JSON body with init_data")
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            'init data refused: malformed (expected JSON {"init_data": "<initData>"})',
        ) from None
    try:
        session = await open_mini_app_session(init_data)
    except InitDataError as error:
        # The reason only: initData is a credential while it is fresh, never logged.
        logger.info("mini app sign-in refused: %s", error.problem.value)
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(error)) from None
    return SessionResponse(token=session.token, user_id=session.telegram_id)
