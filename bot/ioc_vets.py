"""dishka providers of vet onboarding and the vet's views (repositories of booking are in
bot/ioc_booking.py and not provided again here)."""

from __future__ import annotations

from dishka import Provider, Scope, provide

from core.interactors.vets import (
    AcceptVetInvite,
    CreateVetInvite,
    GetMyVetProfile,
    GetPendingVet,
    GetVetDay,
    GetVetQueue,
    ListPendingVets,
    RejectVet,
    SaveVetProfile,
    VerifyVet,
)
from core.ports.repositories import VetInviteRepository
from db.repositories.vet_invites import SqlVetInviteRepository


class VetsProvider(Provider):
    scope = Scope.REQUEST

    vet_invites = provide(SqlVetInviteRepository, provides=VetInviteRepository)

    create_vet_invite = provide(CreateVetInvite)
    accept_vet_invite = provide(AcceptVetInvite)
    get_my_vet_profile = provide(GetMyVetProfile)
    save_vet_profile = provide(SaveVetProfile)
    list_pending_vets = provide(ListPendingVets)
    get_pending_vet = provide(GetPendingVet)
    verify_vet = provide(VerifyVet)
    reject_vet = provide(RejectVet)
    get_vet_day = provide(GetVetDay)
    get_vet_queue = provide(GetVetQueue)
