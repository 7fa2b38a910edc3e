"""The Mini App API router, bound to a process's dishka container."""

from __future__ import annotations

from dishka import AsyncContainer
from fastapi import APIRouter, Depends

from webapp.miniapp.deps import request_scope
from webapp.miniapp.routes import appointments, files, pets, session
from webapp.miniapp.urls import MINIAPP_API_PREFIX


def build_miniapp_router(container: AsyncContainer) -> APIRouter:
    """Every route under `/miniapp/api`, each call in its own request scope of `container`."""
    router = APIRouter(prefix=MINIAPP_API_PREFIX, dependencies=[Depends(request_scope(container))])
    for module in (session, appointments, pets, files):
        router.include_router(module.router)
    return router
