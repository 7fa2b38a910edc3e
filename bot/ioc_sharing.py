"""dishka providers of sharing and of the user's own data: invites, export, account deletion."""

from __future__ import annotations

from aiogram import Bot
from aiogram_i18n.cores import FluentRuntimeCore
from dishka import Provider, Scope, provide

from bot.notifier import DialogNotifier
from bot.reports.pet_card_pdf import FpdfPetCardRenderer
from bot.sharing_notices import BotSharingNotices
from core.interactors.account import DeleteAccount, PlanAccountDeletion
from core.interactors.export import ExportMyData
from core.interactors.sharing import (
    AcceptInvite,
    CreateInvite,
    LeavePet,
    ListPetMembers,
    RevokeAccess,
)
from core.ports.reports import PetCardRenderer
from core.ports.repositories import AccountDataRepository, InviteRepository
from core.ports.sharing_notices import SharingNotices
from db.repositories.account import SqlAccountDataRepository
from db.repositories.invites import SqlInviteRepository


class SharingProvider(Provider):
    scope = Scope.REQUEST

    invites = provide(SqlInviteRepository, provides=InviteRepository)
    account_data = provide(SqlAccountDataRepository, provides=AccountDataRepository)

    create_invite = provide(CreateInvite)
    accept_invite = provide(AcceptInvite)
    list_members = provide(ListPetMembers)
    revoke_access = provide(RevokeAccess)
    leave_pet = provide(LeavePet)

    export_my_data = provide(ExportMyData)
    plan_deletion = provide(PlanAccountDeletion)
    delete_account = provide(DeleteAccount)

    @provide(scope=Scope.APP)
    def sharing_notices(
        self, bot: Bot, texts: FluentRuntimeCore, windows: DialogNotifier
    ) -> SharingNotices:
        return BotSharingNotices(bot, texts, windows)

    @provide(scope=Scope.APP)
    def pet_card_renderer(self) -> PetCardRenderer:
        return FpdfPetCardRenderer()
