from typing import Any

from dishka.integrations.fastapi import DishkaRoute, FromDishka
from fastapi import APIRouter, Response

from core.interactors.consultation_files import (
    CheckPhotoRef,
    FileRef,
    GetConsultationFile,
    PetPhotoRef,
    RecordFileRef,
    ServedFile,
)
from webapp.miniapp.deps import CallerId, access_problems
from webapp.miniapp.schemas import Problem

router = APIRouter(route_class=DishkaRoute, tags=["miniapp"], prefix="/files")

_FILE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"image/jpeg": {}, "application/pdf": {}}},
    401: {"model": Problem},
    403: {"model": Problem},
    404: {"model": Problem},
}


@router.get("/pets/{pet_id}/photo", responses=_FILE, response_class=Response)
async def pet_photo(
    pet_id: int, caller: CallerId, get_file: FromDishka[GetConsultationFile]
) -> Response:
    """The pet's profile photo."""
    return await _serve(get_file, caller, PetPhotoRef(pet_id))


@router.get("/records/{record_id}", responses=_FILE, response_class=Response)
async def record_file(
    record_id: int, caller: CallerId, get_file: FromDishka[GetConsultationFile]
) -> Response:
    """The file of a card entry (a document or a photo)."""
    return await _serve(get_file, caller, RecordFileRef(record_id))


@router.get("/checks/{check_id}/photos/{position}", responses=_FILE, response_class=Response)
async def check_photo(
    check_id: int,
    position: int,
    caller: CallerId,
    get_file: FromDishka[GetConsultationFile],
) -> Response:
    """A photo the owner sent with a symptom check (0-based position)."""
    return await _serve(get_file, caller, CheckPhotoRef(check_id, position))


async def _serve(get_file: GetConsultationFile, caller: int, ref: FileRef) -> Response:
    with access_problems():
        served = await get_file(caller, ref)
    return _response(served)


def _response(served: ServedFile) -> Response:
    return Response(
        content=served.data,
        media_type=served.content_type,
        headers={
            "Content-Disposition": f'inline; filename="{served.file_name}"',
            # Medical files: never in a shared cache, and gone from the device when the
            # session ends.
            "Cache-Control": "private, no-store",
            # The type was sniffed from the bytes; the browser must not guess another.
            "X-Content-Type-Options": "nosniff",
        },
    )
