"""dishka providers of vet onboarding and the vet's views (repositories of booking are in
bot/ioc_booking.py and not provided again here), and the vet's notices of an admin's verdict."""

from __future__ import annotations

from aiogram import Bot
from aiogram_i18n.cores import FluentRuntimeCore
from dishka import Provider, Scope, provide

from bot.vet_notices import BotVetNotices
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
from core.ports.vet_notices import VetNotices
from db.repositories.vet_invites import SqlVetInviteRepository


class VetsProvider(Provider):
    scope = Scope.REQUEST

    vet_invites = provide(SqlVetInviteRepository, provides=VetInviteRepository)

    @provide(scope=Scope.APP)
    def notices(self, bot: Bot, texts: FluentRuntimeCore) -> VetNotices:
        return BotVetNotices(bot, texts)

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
