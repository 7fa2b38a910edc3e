"""dishka providers of the consultation's video room: the provider (VIDEO__PROVIDER), the Join
messages, the Mini App's address, and the lifecycle interactors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

from aiogram import Bot
from aiogram_i18n.cores import FluentRuntimeCore
from dishka import Provider, Scope, provide

from bot.consultation_notices import BotConsultationNotices
from bot.i18n import create_i18n_core
from bot.video.builtin import BuiltinVideoRooms
from core.config import Settings
from core.interactors.consultation_lifecycle import (
    CloseEndedRooms,
    GetCallLink,
    JoinConsultation,
    OpenDueRooms,
    RecordJoin,
    RecordLeave,
    RoomRetryPolicy,
)
from core.miniapp_links import MiniAppLinks
from core.ports.consultation_notices import ConsultationNotices
from core.ports.consultation_rooms import ConsultationRoomRepository
from core.ports.video import VideoRooms
from db.repositories.consultation_rooms import SqlConsultationRoomRepository


class VideoProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    async def video_rooms(self, settings: Settings) -> AsyncIterator[VideoRooms]:
        section = settings.video
        # VIDEO__PROVIDER admits only the providers that exist (core.config.VideoSection).
        if section.provider == "daily":
            # Imported here: httpx (which loads rich for its CLI) is ~35 ms of every start,
            # and only this provider talks HTTP.
            import httpx

            from bot.video.daily import DailyVideoRooms

            daily = settings.daily
            assert daily.api_key is not None  # Settings refuses daily without a key
            rooms = DailyVideoRooms(
                daily.api_url,
                daily.api_key.get_secret_value(),
                timeout=httpx.Timeout(daily.read_timeout_s, connect=daily.connect_timeout_s),
                max_participants=daily.max_participants,
            )
            yield rooms
            await rooms.aclose()  # its connection pool
            return
        yield BuiltinVideoRooms(
            section.ice_servers,
            turn_secret=(
                section.turn_secret.get_secret_value() if section.turn_secret is not None else None
            ),
            turn_ttl=timedelta(seconds=section.turn_ttl_s),
        )

    @provide(scope=Scope.APP)
    def links(self, settings: Settings) -> MiniAppLinks:
        return MiniAppLinks(settings.webapp_url)

    @provide(scope=Scope.APP)
    def retry(self, settings: Settings) -> RoomRetryPolicy:
        return RoomRetryPolicy(longest=timedelta(seconds=settings.video.room_retry_max_s))

    @provide(scope=Scope.APP)
    async def texts(self, settings: Settings) -> AsyncIterator[FluentRuntimeCore]:
        # The scheduler's messages are written outside any update, so they get their own
        # core rather than the dispatcher's middleware's; the two share the parsed locales
        # (bot/i18n.py), so the files are read once per process.
        core = create_i18n_core(settings.locales_dir)
        await core.startup()
        yield core
        await core.shutdown()

    @provide(scope=Scope.APP)
    def notices(self, bot: Bot, texts: FluentRuntimeCore) -> ConsultationNotices:
        return BotConsultationNotices(bot, texts)

    rooms = provide(SqlConsultationRoomRepository, provides=ConsultationRoomRepository)

    open_due_rooms = provide(OpenDueRooms)
    close_ended_rooms = provide(CloseEndedRooms)
    join = provide(JoinConsultation)
    record_join = provide(RecordJoin)
    record_leave = provide(RecordLeave)
    call_link = provide(GetCallLink)


class SandboxLinksProvider(Provider):
    """The sandbox serves the Mini App on its own address, known once it listens."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self._base_url = base_url

    @provide(scope=Scope.APP)
    def links(self) -> MiniAppLinks:
        return MiniAppLinks(self._base_url)
