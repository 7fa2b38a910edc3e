"""dishka providers shared by every process (bot, webapp, worker): config, database, interactors.

App scope holds what lives as long as the process (the engine); request scope holds one
database session per update or HTTP request, with the repositories and interactors over it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiogram import Bot
from dishka import AsyncContainer, Provider, Scope, from_context, make_async_container, provide
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from taskiq import AsyncBroker

from ai.queue import create_broker
from bot.ioc_booking import BookingProvider
from bot.ioc_booking_dialogs import BookingDialogsProvider
from bot.ioc_checks import ChecksProvider, PhotoModelProvider, StorageProvider
from bot.ioc_consultations import ConsultationsProvider
from bot.ioc_follow_ups import FollowUpsProvider
from bot.ioc_medication import MedicationProvider
from bot.ioc_pets import PetsProvider
from bot.ioc_reconciliation import ReconciliationProvider
from bot.ioc_records import RecordsProvider
from bot.ioc_reminders import RemindersProvider
from bot.ioc_reports import ReportsProvider
from bot.ioc_settings import SettingsProvider
from bot.ioc_sharing import SharingProvider
from bot.ioc_signalling import SignallingProvider
from bot.ioc_support import SupportProvider
from bot.ioc_throttling import ThrottlingProvider
from bot.ioc_vets import VetsProvider
from bot.ioc_video import VideoProvider
from bot.notifier import DialogNotifier
from core.clock import Clock, SystemClock
from core.config import Settings
from core.interactors.admin_roles import SyncAdminRoles
from core.interactors.onboarding import (
    ChooseLanguage,
    DeclineConsent,
    GetUser,
    GiveConsent,
    RegisterUser,
)
from core.interactors.reachability import IsBotBlocked, MarkBotBlocked
from core.ports.repositories import UserRepository
from core.ports.uow import UnitOfWork
from db.engine import create_engine, create_session_maker
from db.repositories.users import SqlUserRepository
from db.uow import SqlUnitOfWork


class ConfigProvider(Provider):
    settings = from_context(provides=Settings, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def clock(self) -> Clock:
        return SystemClock()


class DatabaseProvider(Provider):
    @provide(scope=Scope.APP)
    async def engine(self, settings: Settings) -> AsyncIterator[AsyncEngine]:
        engine = create_engine(settings.database_url)
        yield engine
        await engine.dispose()

    @provide(scope=Scope.APP)
    def session_maker(self, engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
        return create_session_maker(engine)

    @provide(scope=Scope.REQUEST)
    async def session(
        self, session_maker: async_sessionmaker[AsyncSession]
    ) -> AsyncIterator[AsyncSession]:
        async with session_maker() as session:
            yield session

    uow = provide(SqlUnitOfWork, scope=Scope.REQUEST, provides=UnitOfWork)
    users = provide(SqlUserRepository, scope=Scope.REQUEST, provides=UserRepository)


class InteractorProvider(Provider):
    scope = Scope.REQUEST

    get_user = provide(GetUser)
    choose_language = provide(ChooseLanguage)
    give_consent = provide(GiveConsent)
    decline_consent = provide(DeclineConsent)
    mark_bot_blocked = provide(MarkBotBlocked)
    is_bot_blocked = provide(IsBotBlocked)

    @provide
    def register_user(
        self, uow: UnitOfWork, users: UserRepository, settings: Settings
    ) -> RegisterUser:
        return RegisterUser(uow, users, settings.admin_ids)

    @provide
    def sync_admin_roles(
        self, uow: UnitOfWork, users: UserRepository, settings: Settings
    ) -> SyncAdminRoles:
        return SyncAdminRoles(uow, users, settings.admin_ids)


def create_container(
    settings: Settings,
    *extra: Provider,
    broker: AsyncBroker | None = None,
    notifier: DialogNotifier | None = None,
    bot: Bot | None = None,
) -> AsyncContainer:
    """The process's container. `broker` and `notifier` come from the composition root, which
    builds them around the dispatcher; without them, checks are queued in-process and results
    wait for a notifier that is never bound (fine for tests that never reach the worker)."""
    return make_async_container(
        ConfigProvider(),
        DatabaseProvider(),
        InteractorProvider(),
        PetsProvider(),
        StorageProvider(),
        PhotoModelProvider(),
        ChecksProvider(),
        BookingProvider(),
        BookingDialogsProvider(),
        SharingProvider(),
        RecordsProvider(),
        RemindersProvider(),
        MedicationProvider(),
        FollowUpsProvider(),
        SettingsProvider(),
        VetsProvider(),
        ConsultationsProvider(),
        VideoProvider(),
        SignallingProvider(),
        ReportsProvider(),
        ReconciliationProvider(),
        ThrottlingProvider(),
        SupportProvider(),
        *extra,
        context={
            Settings: settings,
            AsyncBroker: broker if broker is not None else create_broker(None),
            DialogNotifier: notifier if notifier is not None else DialogNotifier(),
            # Refunds call Telegram; without a bot (unit-level tests) asking for them fails.
            **({Bot: bot} if bot is not None else {}),
        },
    )
