from fastapi import APIRouter

from sandbox.control import clock_routes, inspect_routes, user_actions, users

router = APIRouter(prefix="/sandbox/api", tags=["sandbox"])
router.include_router(users.router)
router.include_router(user_actions.router)
router.include_router(inspect_routes.router)
router.include_router(clock_routes.router)
