from typing import Any

from dishka.integrations.fastapi import DishkaRoute, FromDishka
from fastapi import APIRouter

from core.interactors.consultation_brief import GetConsultationBrief, GetConsultationOverview
from webapp.miniapp.deps import CallerId, access_problems
from webapp.miniapp.schemas import AppointmentOut, ConsultationBriefOut, Problem

router = APIRouter(route_class=DishkaRoute, tags=["miniapp"])

_REFUSALS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem},
    403: {"model": Problem},
    404: {"model": Problem},
}


@router.get("/appointments/{appointment_id}", responses=_REFUSALS)
async def get_appointment(
    appointment_id: int, caller: CallerId, overview: FromDishka[GetConsultationOverview]
) -> AppointmentOut:
    """What the appointment is, the caller's role in it, whether the call may be joined now
    and when it opens, and when the vet's brief can be read."""
    with access_problems():
        return AppointmentOut.of(await overview(caller, appointment_id))


@router.get("/appointments/{appointment_id}/brief", responses=_REFUSALS)
async def get_brief(
    appointment_id: int, caller: CallerId, brief: FromDishka[GetConsultationBrief]
) -> ConsultationBriefOut:
    """The vet's brief: the pet's card, the owner's reason and the attached symptom check.
    The booked vet inside the brief window, and admins."""
    with access_problems():
        return ConsultationBriefOut.of(await brief(caller, appointment_id))
