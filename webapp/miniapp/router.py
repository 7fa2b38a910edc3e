"""The Mini App API router, bound to a process's dishka container."""

from __future__ import annotations

from dishka import AsyncContainer
from fastapi import APIRouter, Depends

from webapp.miniapp.deps import request_scope
from webapp.miniapp.routes import appointments, call, files, pets, report, session
from webapp.miniapp.signalling.socket import SIGNAL_ROUTE, build_signal_endpoint
from webapp.miniapp.urls import MINIAPP_API_PREFIX


def build_miniapp_router(container: AsyncContainer) -> APIRouter:
    """Every route under `/miniapp/api`, each call in its own request scope of `container`."""
    router = APIRouter(prefix=MINIAPP_API_PREFIX, dependencies=[Depends(request_scope(container))])
    for module in (session, appointments, pets, files, call, report):
        router.include_router(module.router)
    # A plain Starlette route, outside the request-scope dependency: the call's socket opens a
    # short scope per check rather than one held for the whole call.
    router.add_websocket_route(MINIAPP_API_PREFIX + SIGNAL_ROUTE, build_signal_endpoint(container))
    return router
