"""dishka providers of consultations in the Mini App: sign-in, access rules, brief, card, files.

The bot token that signs initData is the running bot's own (`Bot` from the context): the
production token from `BOT_TOKEN`, or the one the sandbox made up, with nothing to keep in step.
"""

from __future__ import annotations

from datetime import timedelta

from aiogram import Bot
from dishka import Provider, Scope, provide

from core.config import Settings
from core.interactors.consultation_access import (
    CheckAppointmentAccess,
    CheckPetAccess,
    ConsultationAccessGuard,
    ConsultationWindows,
)
from core.interactors.consultation_brief import GetConsultationBrief, GetConsultationOverview
from core.interactors.consultation_card import ReadPetCard
from core.interactors.consultation_files import GetConsultationFile
from core.interactors.miniapp_session import AuthenticateMiniApp, OpenMiniAppSession
from core.miniapp_auth import MiniAppAuth, SessionTokens, derive_session_key
from core.ports.consultations import ConsultationRepository
from db.repositories.consultations import SqlConsultationRepository


class ConsultationsProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def windows(self, settings: Settings) -> ConsultationWindows:
        section = settings.miniapp
        return ConsultationWindows(
            brief_opens_before=timedelta(minutes=section.brief_opens_minutes_before),
            brief_closes_after=timedelta(hours=section.brief_closes_hours_after),
            call_opens_before=timedelta(minutes=section.call_opens_minutes_before),
            call_closes_after=timedelta(minutes=section.call_closes_minutes_after),
        )

    @provide(scope=Scope.APP)
    def miniapp_auth(self, settings: Settings, bot: Bot) -> MiniAppAuth:
        section = settings.miniapp
        secret = section.secret.get_secret_value() if section.secret is not None else None
        return MiniAppAuth(
            bot_token=bot.token,
            sessions=SessionTokens(
                key=derive_session_key(bot.token, secret),
                ttl=timedelta(seconds=section.session_ttl_s),
            ),
            init_data_max_age=timedelta(seconds=section.init_data_max_age_s),
        )

    consultations = provide(SqlConsultationRepository, provides=ConsultationRepository)
    guard = provide(ConsultationAccessGuard)

    open_session = provide(OpenMiniAppSession)
    authenticate = provide(AuthenticateMiniApp)
    check_appointment_access = provide(CheckAppointmentAccess)
    check_pet_access = provide(CheckPetAccess)
    overview = provide(GetConsultationOverview)
    brief = provide(GetConsultationBrief)
    pet_card = provide(ReadPetCard)
    file = provide(GetConsultationFile)
