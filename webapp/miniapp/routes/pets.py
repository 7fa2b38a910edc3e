from dishka.integrations.fastapi import DishkaRoute, FromDishka
from fastapi import APIRouter

from core.interactors.consultation_card import ReadPetCard
from webapp.miniapp.deps import CallerId, access_problems
from webapp.miniapp.schemas import PetCardOut, Problem

router = APIRouter(route_class=DishkaRoute, tags=["miniapp"])


@router.get(
    "/pets/{pet_id}/records",
    responses={401: {"model": Problem}, 403: {"model": Problem}, 404: {"model": Problem}},
)
async def get_records(
    pet_id: int, caller: CallerId, read_card: FromDishka[ReadPetCard]
) -> PetCardOut:
    """The pet's medical card, read-only: for its owner, co-owners and viewers (as in chat),
    its vet around a consultation, and admins."""
    with access_problems():
        return PetCardOut.of(await read_card(caller, pet_id))
