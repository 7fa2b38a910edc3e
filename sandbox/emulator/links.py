"""URLs of inline keyboard buttons, checked as Telegram checks them.

TDLib checks a url button with LinkManager::check_link, and Web App and login buttons with
check_link(url, http_only=true, https_only=true) (td/telegram/ReplyMarkup.cpp); the error it
returns is "Inline keyboard button [Web App |login ]URL '...' is invalid: <reason>". The checks
themselves live in link_checks.py, shared with text_link entities.
"""

from urllib.parse import urlsplit

from sandbox.emulator.link_checks import LinkError, check_link


def link_problem(url: str, *, https_only: bool = False) -> str | None:
    """Telegram's "URL '...' is invalid: <reason>" for a bad button URL, None for a good one."""
    try:
        check_link(url, http_only=https_only, https_only=https_only)
    except LinkError as error:
        return str(error)
    return None


def url_origin(url: str) -> str | None:
    """scheme://host[:port] of an absolute http(s) URL, lower-cased; None for anything else."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"
