"""dishka providers of sharing and of the user's own data: invites, export, account deletion."""

from __future__ import annotations

from dishka import Provider, Scope, provide

from bot.reports.pet_card_pdf import FpdfPetCardRenderer
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
    def pet_card_renderer(self) -> PetCardRenderer:
        return FpdfPetCardRenderer()
