"""A crafted id too large for its column (a Mini App path such as /appointments/99…9) is a 404.

The database driver refuses such an integer before the query is sent (db/errors.py); without
this the request ended in a 500 with a traceback. No row can have the id, so the answer is the
plain "not found" any unknown id gets. Anything else goes on to the usual 500.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import DBAPIError

from db.errors import is_id_out_of_range

logger = logging.getLogger(__name__)


async def _id_out_of_range(request: Request, error: Exception) -> Response:
    # HTTP only: a WebSocket (the call's signalling) has no response to answer with.
    if request.scope["type"] != "http" or not is_id_out_of_range(error):
        raise error
    logger.warning("%s %s names an id out of range", request.method, request.url.path)
    return JSONResponse({"detail": "not found"}, status_code=status.HTTP_404_NOT_FOUND)


def answer_huge_ids_with_not_found(app: FastAPI) -> None:
    # DBAPIError: asyncpg's DataError, wrapped; OverflowError: sqlite3's, raised as it is.
    app.add_exception_handler(DBAPIError, _id_out_of_range)
    app.add_exception_handler(OverflowError, _id_out_of_range)
