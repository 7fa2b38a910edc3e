"""MarkdownV2 parse_mode, read exactly as TDLib's parse_markdown_v2 reads it.

Sources: https://core.telegram.org/bots/api#markdownv2-style and td/telegram/MessageEntity.cpp
(parse_markdown_v2). Outside entities each of _ * [ ] ( ) ~ ` > # + - = | { } . ! must be escaped
with a backslash; any ASCII character 1..126 may be. Inside code and pre only ` (and \\) are
special. The end of the text reads as a NUL byte, as in TDLib.
"""

from dataclasses import dataclass

from sandbox.emulator.link_checks import (
    get_checked_link,
    get_link_custom_emoji_id,
    get_link_formatted_date,
)
from sandbox.emulator.message_entities import (
    Span,
    TextOutput,
    decode,
    encode,
    is_space,
    parse_error,
    sort_spans,
)

_RESERVED = b"_*[]()~`>#+-=|{}.!\n"
_CODE_RESERVED = b"`"
_BACKSLASH, _LF, _CR = b"\\\n\r"
# TDLib's own names for the entity types, as its "Can't find end of ..." errors print them.
_TDLIB_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "pre_code": "PreCode",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
    "blockquote": "BlockQuote",
}
_VERBATIM = ("code", "pre", "pre_code")


@dataclass
class _Open:
    kind: str
    argument: str
    offset: int  # UTF-16 offset in the output
    byte_offset: int  # where its markup starts in the source, for errors
    begin: int  # byte position in the output, for [text] links without (url)


def _reserved(char: int) -> str:
    return f"Character '{chr(char)}' is reserved and must be escaped with the preceding '\\'"


def _unclosed(entity: _Open) -> str:
    return (
        f"Can't find end of {_TDLIB_NAMES[entity.kind]} entity at byte offset {entity.byte_offset}"
    )


class _MarkdownV2Parser:
    def __init__(self, text: str) -> None:
        self.data = encode(text)
        self.output = TextOutput()
        self.spans: list[Span] = []
        self.stack: list[_Open] = []
        self.have_blockquote = False
        self.can_start_blockquote = True

    def at(self, index: int) -> int:
        return self.data[index] if index < len(self.data) else 0

    def _is_escapable(self, index: int) -> bool:
        return 0 < self.at(index) <= 126

    def parse(self) -> tuple[str, list[Span]]:
        size = len(self.data)
        at = self.at
        i = -1
        while True:
            i += 1
            if i >= size:
                break
            char = at(i)
            if char == _BACKSLASH and self._is_escapable(i + 1):
                i += 1
                self.output.byte(at(i))
                if at(i) != _CR:
                    self.can_start_blockquote = at(i) == _LF
                continue

            verbatim = bool(self.stack) and self.stack[-1].kind in _VERBATIM
            if char not in (_CODE_RESERVED if verbatim else _RESERVED):
                if char & 0xC0 != 0x80 and char != _CR:
                    self.can_start_blockquote = False
                self.output.byte(char)
                continue

            if self._is_end_of_entity(i, char):
                i = self._end_entity(i, char)
            else:
                i = self._begin_entity(i, char)
        return self._finish()

    def _is_end_of_entity(self, i: int, char: int) -> bool:
        if not self.stack:
            return False
        at = self.at
        if (
            self.have_blockquote
            and char == _LF
            and (i + 1 == len(self.data) or at(i + 1) != ord(">"))
        ):
            return True
        kind = self.stack[-1].kind
        if kind == "bold":
            return char == ord("*")
        if kind == "italic":
            return char == ord("_") and at(i + 1) != ord("_")
        if kind == "code":
            return char == ord("`")
        if kind in ("pre", "pre_code"):
            return char == ord("`") and at(i + 1) == ord("`") and at(i + 2) == ord("`")
        if kind in ("text_link", "custom_emoji"):
            return char == ord("]")
        if kind == "underline":
            return char == ord("_") and at(i + 1) == ord("_")
        if kind == "strikethrough":
            return char == ord("~")
        if kind == "spoiler":
            return char == ord("|") and at(i + 1) == ord("|")
        return False  # a blockquote ends only at a line that doesn't start with ">"

    def _begin_entity(self, i: int, char: int) -> int:
        at = self.at
        byte_offset = i
        argument = ""
        kind: str | None
        symbol = chr(char)
        if symbol == "_":
            kind = "italic"
            if at(i + 1) == ord("_"):
                kind = "underline"
                i += 1
        elif symbol == "*":
            kind = "bold"
        elif symbol == "~":
            kind = "strikethrough"
        elif symbol == "|":
            if at(i + 1) != ord("|"):
                raise parse_error(_reserved(char))
            i += 1
            kind = "spoiler"
        elif symbol == "[":
            kind = "text_link"
        elif symbol == "`":
            if at(i + 1) == ord("`") and at(i + 2) == ord("`"):
                i += 3
                kind = "pre"
                language_end = i
                while not is_space(at(language_end)) and at(language_end) != ord("`"):
                    language_end += 1
                if (
                    i != language_end
                    and language_end < len(self.data)
                    and at(language_end) != ord("`")
                ):
                    kind = "pre_code"
                    argument = decode(self.data[i:language_end])
                    i = language_end
                # one new line after the opening ``` (and the language) is not part of the text
                if at(i) in (_LF, _CR):
                    i += 2 if at(i + 1) in (_LF, _CR) and at(i) != at(i + 1) else 1
                i -= 1
            else:
                kind = "code"
        elif symbol == "!":
            if at(i + 1) != ord("["):
                raise parse_error(_reserved(char))
            i += 1
            kind = "custom_emoji"
        elif symbol == "\n":
            self.output.byte(_LF)
            self.can_start_blockquote = True
            kind = None
        elif symbol == ">":
            if not self.can_start_blockquote:
                raise parse_error(_reserved(char))
            # ">" at the start of the next line continues the open quote.
            kind = None if self.have_blockquote else "blockquote"
            self.have_blockquote = True
        else:
            raise parse_error(_reserved(char))
        if kind is not None:
            self.stack.append(
                _Open(kind, argument, self.output.utf16, byte_offset, len(self.output))
            )
        return i

    def _read_url(self, i: int) -> tuple[str, int]:
        """The (url) after a link's "]": \\ escapes any ASCII character; i ends at ")"."""
        at = self.at
        url_begin = i
        url = bytearray()
        while i < len(self.data) and at(i) != ord(")"):
            if at(i) == _BACKSLASH and self._is_escapable(i + 1):
                url.append(at(i + 1))
                i += 2
                continue
            url.append(at(i))
            i += 1
        if at(i) != ord(")"):
            raise parse_error(f"Can't find end of a URL at byte offset {url_begin}")
        return decode(bytes(url)), i

    def _end_entity(self, i: int, char: int) -> int:
        at = self.at
        top = self.stack[-1]
        kind = top.kind
        if char == _LF and kind != "blockquote":
            # "||" just before the end of a quoted line makes the quote expandable.
            ends_with_bars = top.byte_offset == i - 2 or (
                top.byte_offset == i - 3 and len(self.output) > 0 and self.output.data[-1] == _CR
            )
            if kind != "spoiler" or not ends_with_bars:
                raise parse_error(_unclosed(top))
            self.stack.pop()
            top = self.stack[-1]
            if top.kind != "blockquote":
                raise parse_error(_unclosed(top))
            kind = "expandable_blockquote"

        skip = self.output.utf16 == top.offset
        extra: dict[str, object] = {}
        api_type = kind
        if kind in ("underline", "spoiler"):
            i += 1
        elif kind in ("pre", "pre_code"):
            i += 2
            api_type = "pre"
            if kind == "pre_code":
                extra = {"language": top.argument}
        elif kind == "text_link":
            if at(i + 1) != ord("("):
                url = decode(bytes(self.output.data[top.begin :]))
            else:
                url, i = self._read_url(i + 2)
            # Telegram turns tg://user?id= links into text mentions; the emulator keeps them as
            # text links (a text_mention needs the user's profile).
            checked = get_checked_link(url)
            if checked is None:
                skip = True
            else:
                extra = {"url": checked}
        elif kind == "custom_emoji":
            if at(i + 1) != ord("("):
                raise parse_error("The entity must contain a tg://emoji or tg://time URL")
            url, i = self._read_url(i + 2)
            emoji_id = get_link_custom_emoji_id(url)
            date = get_link_formatted_date(url)
            if emoji_id is not None:
                extra = {"custom_emoji_id": str(emoji_id)}
            elif date is not None:
                api_type = "date_time"
                extra = {"unix_time": date[0], "date_time_format": date[1]}
            else:
                raise parse_error("Invalid tg://emoji or tg://time URL specified")
        elif kind in ("blockquote", "expandable_blockquote"):
            # The quote takes its closing new line with it.
            self.have_blockquote = False
            self.output.byte(at(i))
            self.can_start_blockquote = True
            skip = False

        if not skip:
            length = self.output.utf16 - top.offset
            self.spans.append(Span(api_type, top.offset, length, extra))
        self.stack.pop()
        return i

    def _finish(self) -> tuple[str, list[Span]]:
        if self.have_blockquote:
            kind = "blockquote"
            top = self.stack[-1]
            if top.kind == "spoiler" and top.byte_offset == len(self.data) - 2:
                self.stack.pop()
                kind = "expandable_blockquote"
            top = self.stack[-1]
            if top.kind == "blockquote":
                self.have_blockquote = False
                length = self.output.utf16 - top.offset
                if length:
                    self.spans.append(Span(kind, top.offset, length))
                self.stack.pop()
        if self.stack:
            raise parse_error(_unclosed(self.stack[-1]))
        return self.output.text(), sort_spans(self.spans)


def parse_markdown_v2(text: str) -> tuple[str, list[Span]]:
    """Plain text and entities of a MarkdownV2-formatted text, or Telegram's 400."""
    return _MarkdownV2Parser(text).parse()
