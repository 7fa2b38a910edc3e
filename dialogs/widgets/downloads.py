"""What a failed file download from Telegram looks like, for the windows that receive files."""

from __future__ import annotations

from typing import Final

from aiogram.exceptions import TelegramAPIError
from aiohttp import ClientError

# getFile refused (TelegramAPIError), or the file URL itself answered an error or broke off
# (aiohttp's ClientError: its message holds the URL, with the bot token in it, so handlers log
# only the type). Either way the user is asked to send the file again and the form is kept.
DOWNLOAD_FAILURES: Final = (TelegramAPIError, ClientError, TimeoutError)
