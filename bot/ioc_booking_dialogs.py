"""dishka providers of the owner's booking views (the chat side; the interactors that change
state are in `bot.ioc_booking`)."""

from __future__ import annotations

from dishka import Provider, Scope, provide

from core.clock import Clock
from core.config import Settings
from core.interactors.booking_views import (
    FindRecentCheck,
    FindVets,
    GetAppointmentCard,
    GetAppointmentCardForVet,
    ListMyAppointmentCards,
)
from core.ports.repositories import (
    PetAccessRepository,
    PetRepository,
    SlotRepository,
    UserRepository,
    VetRepository,
)


class BookingDialogsProvider(Provider):
    scope = Scope.REQUEST

    get_appointment_card = provide(GetAppointmentCard)
    get_appointment_card_for_vet = provide(GetAppointmentCardForVet)
    list_my_appointment_cards = provide(ListMyAppointmentCards)
    find_recent_check = provide(FindRecentCheck)

    @provide
    def find_vets(
        self,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        vets: VetRepository,
        slots: SlotRepository,
        clock: Clock,
        settings: Settings,
    ) -> FindVets:
        return FindVets(
            users, pets, access, vets, slots, clock, days_ahead=settings.booking.days_ahead
        )
