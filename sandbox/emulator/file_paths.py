"""file_path values that survive being pasted into a URL.

Telegram's file_path is plain ASCII such as ``documents/file_5.pdf`` whatever the file's name,
and clients rely on that: aiogram's ``bot.download`` formats it into
``/file/bot<token>/<file_path>`` without percent-encoding (TelegramAPIServer.file_url). A
document named ``scan?v=2#1.pdf`` must therefore not leak ``?`` or ``#`` into its file_path.
"""

import mimetypes
import re

# Letters and digits only: anything else (?, #, %, /, spaces) would change the URL's meaning.
_SAFE_EXTENSION = re.compile(r"[A-Za-z0-9]{1,16}")


def file_extension(file_name: str | None, mime_type: str) -> str:
    """The name's extension when it is URL-safe, else the MIME type's, else none."""
    if file_name and "." in file_name:
        candidate = file_name.rsplit(".", 1)[1]
        if _SAFE_EXTENSION.fullmatch(candidate):
            return "." + candidate
    return mimetypes.guess_extension(mime_type) or ""
