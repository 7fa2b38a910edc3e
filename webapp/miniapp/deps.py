"""What every Mini App route shares: a dishka request scope, the caller, and error mapping."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

from dishka import AsyncContainer
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from core.consultation_errors import ConsultationAccessDeniedError, ConsultationNotFoundError
from core.interactors.miniapp_session import AuthenticateMiniApp
from core.miniapp_auth import SessionTokenError

logger = logging.getLogger(__name__)

_bearer = HTTPBearer(auto_error=False, description="the token from POST /miniapp/api/session")


def request_scope(container: AsyncContainer) -> Callable[[Request], AsyncIterator[None]]:
    """A router dependency opening one dishka request scope (one database session) per call.

    dishka's own `setup_dishka` does this with a middleware, but the sandbox mounts these
    routes on an app that is already serving (Starlette refuses new middleware then), and the
    emulator's many requests there need no database session. Endpoints then use dishka's
    `FromDishka` as usual: it reads the scope from `request.state.dishka_container`.
    """

    async def open_scope(request: Request) -> AsyncIterator[None]:
        async with container() as scoped:
            request.state.dishka_container = scoped
            yield

    return open_scope


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": "Bearer"}
    )


async def _caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> int:
    if credentials is None:
        raise _unauthorized("sign in first: Authorization: Bearer <token from /session>")
    authenticate: AuthenticateMiniApp = await request.state.dishka_container.get(
        AuthenticateMiniApp
    )
    try:
        return await authenticate(credentials.credentials)
    except SessionTokenError as error:
        raise _unauthorized(f"session token {error.problem.value}: sign in again") from None


# The Telegram id of the caller, from a valid, unexpired session token (else 401).
CallerId = Annotated[int, Depends(_caller)]


@contextmanager
def access_problems() -> Iterator[None]:
    """Domain refusals as HTTP problems: denied → 403, unknown (to an admin) → 404."""
    try:
        yield
    except ConsultationAccessDeniedError as error:
        raise HTTPException(status.HTTP_403_FORBIDDEN, str(error)) from None
    except ConsultationNotFoundError as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(error)) from None
