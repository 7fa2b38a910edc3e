"""URLs of text links, checked and normalized as Telegram does.

Telegram stores a text_link's URL normalized ("https://Example.com" comes back as
"https://example.com/") and refuses one it can't parse: a parse_mode link with a bad URL is
silently dropped, an explicit entity with one fails the request. Sources:
tdutils/td/utils/HttpUrl.cpp (parse_url, HttpUrl::get_url) and td/telegram/LinkManager.cpp
(check_link_impl, get_link_user_id, check_tg_url_host, get_link_custom_emoji_id,
get_link_formatted_date).
"""

import ipaddress
from dataclasses import dataclass

from sandbox.emulator.message_entities import to_integer_safe

_MAX_USER_ID = (1 << 40) - 1  # td/telegram/UserId.h
_URL_PART_SYMBOLS = frozenset(".-_!$,~*'();&+=")  # allowed by RFC 7230 and RFC 3986
_QUERY_TRAILING_SPACES = " \t\r\n\0\v"
_UPPER_TO_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class LinkError(Exception):
    """TDLib's reason why a URL is invalid."""


def ascii_lower(text: str) -> str:
    # td::to_lower changes ASCII letters only.
    return text.translate(_UPPER_TO_LOWER)


@dataclass(frozen=True)
class HttpUrl:
    https: bool
    userinfo: str
    host: str
    is_ipv6: bool
    specified_port: int
    query: str

    def get_url(self) -> str:
        url = ("https://" if self.https else "http://") + (
            f"{self.userinfo}@" if self.userinfo else ""
        )
        url += self.host
        if self.specified_port > 0:
            url += f":{self.specified_port}"
        return url + self.query


def _read_till(text: str, start: int, stops: str) -> int:
    position = start
    while position < len(text) and text[position] not in stops:
        position += 1
    return position


def _check_url_part(part: str, name: str, allow_colon: bool) -> None:
    index = 0
    while index < len(part):
        char = part[index]
        if (char.isascii() and char.isalnum()) or char in _URL_PART_SYMBOLS:
            index += 1
            continue
        if allow_colon and char == ":":
            index += 1
            continue
        if char == "%":
            digits = part[index + 1 : index + 3]
            if len(digits) == 2 and all(digit in "0123456789abcdefABCDEF" for digit in digits):
                index += 3
                continue
            raise LinkError(f"Wrong percent-encoded symbol in URL {name}")
        if ord(char) >= 128:
            # plain UTF-8 symbols are allowed
            index += 1
            continue
        raise LinkError(f"Disallowed character in URL {name}")


def parse_url(url: str) -> HttpUrl:
    """[https?://][userinfo@]host[:port][/query], as td::parse_url reads it."""
    protocol_end = _read_till(url, 0, ":/?#@[]")
    https = False
    position = 0
    if url.startswith("://", protocol_end):
        protocol = ascii_lower(url[:protocol_end])
        if protocol not in ("http", "https"):
            raise LinkError("Unsupported URL protocol")
        https = protocol == "https"
        position = protocol_end + 3
    authority_end = _read_till(url, position, "/?#")
    authority = url[position:authority_end]

    port = 0
    colon = len(authority) - 1
    while colon > 0 and authority[colon] not in ":]@":
        colon -= 1
    if colon > 0 and authority[colon] == ":":
        port_text = authority[colon + 1 :]
        while len(port_text) > 1 and port_text[0] == "0":
            port_text = port_text[1:]
        parsed_port = to_integer_safe(port_text, 32)
        port = -1 if parsed_port is None or parsed_port == 0 else parsed_port
        userinfo_host = authority[:colon]
    else:
        userinfo_host = authority
    if port < 0 or port > 65535:
        raise LinkError("Wrong port number specified in the URL")

    at = userinfo_host.rfind("@")
    userinfo = userinfo_host[:at] if at >= 0 else ""
    host = userinfo_host[at + 1 :]

    is_ipv6 = False
    if host.startswith("[") and host.endswith("]") and len(host) >= 2:
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError as exc:
            raise LinkError("Wrong IPv6 address specified in the URL") from exc
        is_ipv6 = True
    if not host:
        raise LinkError("URL host is empty")
    if host == ".":
        raise LinkError("Host is invalid")

    query = url[authority_end:].rstrip(_QUERY_TRAILING_SPACES) or "/"
    query = ("" if query.startswith("/") else "/") + "".join(
        f"%{ord(char):02X}" if ord(char) <= 0x20 else char for char in query
    )

    host = ascii_lower(host)
    if is_ipv6:
        if any(char not in ":0123456789abcdef." for char in host[1:-1]):
            raise LinkError("Wrong IPv6 URL host")
    else:
        _check_url_part(host, "host", allow_colon=False)
        _check_url_part(userinfo, "userinfo", allow_colon=True)
    return HttpUrl(https, userinfo, host, is_ipv6, port, query)


def _checked_link(link: str, http_only: bool = False, https_only: bool = False) -> str:
    """LinkManager::check_link_impl: the normalized link, or LinkError."""
    scheme = ""
    for prefix in ("tg:", "ton:", "tonsite:"):
        if ascii_lower(link).startswith(prefix):
            scheme = prefix[:-1]
            link = link[len(prefix) :]
            break
    if scheme and link.startswith("//"):
        link = link[2:]
    http_url = parse_url(link)
    if https_only and (not http_url.https or scheme):
        raise LinkError("Only HTTPS links are allowed")
    if scheme:
        if http_only:
            raise LinkError("Only HTTP links are allowed")
        if (
            ascii_lower(link).startswith("http://")
            or http_url.https
            or http_url.userinfo
            or http_url.specified_port != 0
            or http_url.is_ipv6
        ):
            raise LinkError("Wrong tg URL" if scheme == "tg" else "Wrong ton URL")
        query = http_url.query
        if len(query) > 1 and query[1] == "?":
            query = query[1:]
        for char in http_url.host:
            allowed = (char.isascii() and char.isalnum()) or char in "-_"
            if not allowed and not (scheme == "tonsite" and char == "."):
                raise LinkError("Unallowed characters in URL host")
        return f"{scheme}://{http_url.host}{query}"
    if "." not in http_url.host and not http_url.is_ipv6:
        raise LinkError("Wrong HTTP URL")
    return http_url.get_url()


def get_checked_link(link: str) -> str | None:
    """The normalized link, or None where Telegram silently drops a parse_mode link."""
    try:
        return _checked_link(link)
    except LinkError:
        return None


def check_link(link: str, *, http_only: bool = False, https_only: bool = False) -> str:
    """The normalized link; LinkError carries LinkManager::check_link's wording."""
    try:
        return _checked_link(link, http_only, https_only)
    except LinkError as error:
        raise LinkError(f"URL '{link}' is invalid: {error}") from None


def _parameters(query: str) -> list[tuple[str, str]]:
    pairs = []
    for parameter in query.split("&"):
        key, _, value = parameter.partition("=")
        pairs.append((key, value))
    return pairs


def get_link_user_id(url: str) -> int | None:
    """The user id of a tg://user?id=<id> link (a text_mention), else None."""
    url = ascii_lower(url)
    if not url.startswith("tg:"):
        return None
    url = url[3:]
    url = url.removeprefix("//")
    if not url.startswith("user") or (len(url) > 4 and url[4] not in "/?#"):
        return None
    url = url[4:].removeprefix("/")
    if not url.startswith("?"):
        return None
    for key, value in _parameters(url[1:].partition("#")[0]):
        if key == "id":
            user_id = to_integer_safe(value, 64)
            if user_id is None or not 0 < user_id <= _MAX_USER_ID:
                return None
            return user_id
    return None


def _tg_url_query(url: str, host: str) -> str | None:
    """LinkManager::check_tg_url_host: the parameters of tg://<host>?..., else None."""
    lowered = ascii_lower(url[: 3 + 2 + len(host) + 1])
    if not lowered.startswith("tg:"):
        return None
    lowered, url = lowered[3:], url[3:]
    if url.startswith("//"):
        lowered, url = lowered[2:], url[2:]
    if not lowered.startswith(host) or (len(url) > len(host) and url[len(host)] not in "/?#"):
        return None
    url = url[len(host) :].removeprefix("/")
    if not url.startswith("?"):
        return None
    return url[1:].partition("#")[0]


def get_link_custom_emoji_id(url: str) -> int | None:
    query = _tg_url_query(url, "emoji")
    if query is None:
        return None
    for key, value in _parameters(query):
        if key == "id":
            emoji_id = to_integer_safe(value, 64)
            return emoji_id if emoji_id else None
    return None


def date_time_format(date_format: str) -> str | None:
    """A date-time format as the Bot API returns it, or None if TDLib rejects it.

    Sources: td/telegram/FormattedDate.cpp (get_date_flags) and telegram-bot-api/Client.cpp
    (JsonEntity writes "r", or "w" + "d"/"D" + "t"/"T"); https://core.telegram.org/bots/api#date-time-entity-formatting
    """
    if date_format in ("r", "R"):
        return "r"
    flags = set()
    for char in date_format:
        if char not in "tTdDwW":
            return None
        flags.add(char.lower() if char in "wW" else char)
    date = "d" if "d" in flags else "D" if "D" in flags else ""
    time = "t" if "t" in flags else "T" if "T" in flags else ""
    return ("w" if "w" in flags else "") + date + time


def get_link_formatted_date(url: str) -> tuple[int, str] | None:
    """(unix time, Bot API format) of a tg://time?unix=...&format=... link, else None."""
    query = _tg_url_query(url, "time")
    if query is None:
        return None
    unix_time = 0
    date_format = ""
    for key, value in _parameters(query):
        if key == "unix":
            parsed = to_integer_safe(value, 32)
            if parsed is None or parsed <= 0:
                return None
            unix_time = parsed
        if key == "format":
            date_format = value
    normalized = date_time_format(date_format)
    if unix_time == 0 or normalized is None:
        return None
    return unix_time, normalized
