"""An owner who chose their time zone already, so booking asks nothing (issue #12: the
question comes once, the first time a time matters; tests of other things skip it)."""

from __future__ import annotations

from core.interactors.reminder_settings import ChooseTimeZone
from core.time_zones import MOSCOW
from tests.support.chatting import USER_ID, Chatting


async def choose_time_zone(
    chat: Chatting, time_zone: str = MOSCOW, *, telegram_id: int = USER_ID
) -> None:
    """Store `time_zone` as the user's own choice, as the time zone window would."""
    async with chat.container() as request:
        await (await request.get(ChooseTimeZone))(telegram_id, time_zone)
