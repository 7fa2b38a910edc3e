"""HTML parse_mode, read exactly as TDLib's parse_html reads it.

Source: td/telegram/MessageEntity.cpp (parse_html, decode_html_entity); the tags and entities are
those of https://core.telegram.org/bots/api#html-style. TDLib walks the UTF-8 bytes of the text,
so every error names a byte offset into the source. The end of the text reads as a NUL byte, as
the end of a C string does, which is why "<b " and "<b" fail differently.
"""

from dataclasses import dataclass

from sandbox.emulator.link_checks import date_time_format, get_checked_link
from sandbox.emulator.message_entities import (
    Span,
    TextOutput,
    decode,
    encode,
    is_alpha,
    is_digit,
    is_hex_digit,
    is_space,
    parse_error,
    sort_spans,
    to_integer_safe,
)

_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "tg-time",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_SIMPLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",  # a span must have class="tg-spoiler" to get this far
}
# Only these four named references are decoded; "&copy;" and the like stay literal text.
_NAMED = {b"lt": ord("<"), b"gt": ord(">"), b"amp": ord("&"), b"quot": ord('"')}
_AMP, _LT, _GT, _SLASH, _EQ = b"&<>/="
_QUOTES = b"\"'"
_SURROGATE_ERROR = (
    "Text contains invalid Unicode characters after decoding HTML entities, check for unmatched "
    "surrogate code units"
)


@dataclass
class _OpenTag:
    name: str
    argument: str
    date: int
    offset: int  # UTF-16 offset of the tag's text in the output
    begin: int  # byte position of the same point, for <a> without href


class _Source:
    def __init__(self, text: str) -> None:
        self.data = encode(text)

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index: int) -> int:
        return self.data[index] if index < len(self.data) else 0


def decode_html_entity(source: _Source, position: int) -> tuple[int, int]:
    """(code point, position after it) for the reference at ``position``; (0, position) if none.

    Numeric references need no ";" and may not be longer than 9 bytes; "&#X3C;" (capital X)
    and "&#0;" are not references.
    """
    end = position + 1
    code = 0
    if source[position + 1] == ord("#"):
        end += 1
        if source[position + 2] == ord("x"):
            end += 1
            while is_hex_digit(source[end]):
                code = code * 16 + int(chr(source[end]), 16)
                end += 1
        else:
            while is_digit(source[end]):
                code = code * 10 + source[end] - ord("0")
                end += 1
        if code == 0 or code >= 0x10FFFF or end - position >= 10:
            return 0, position
    else:
        while is_alpha(source[end]):
            end += 1
        code = _NAMED.get(source.data[position + 1 : end], 0)
        if code == 0:
            return 0, position
    if source[end] == ord(";"):
        end += 1
    return code, end


def _to_int32(value: str) -> int:
    """td::to_integer<int32>: leading digits, wrapping on overflow; garbage reads as 0."""
    negative = value.startswith("-")
    digits = ""
    for char in value[1:] if negative else value:
        if not ("0" <= char <= "9"):
            break
        digits += char
    number = int(digits or "0") % 2**32
    if number > 2**31 - 1:
        number = (-number) % 2**32
        negative = not negative
        if number > 2**31 - 1:
            return -(2**31)
    return -number if negative else number


def _is_name_token_byte(byte: int) -> bool:
    return is_alpha(byte) or is_digit(byte) or byte in b".-"


class _HtmlParser:
    def __init__(self, text: str) -> None:
        self.source = _Source(text)
        self.output = TextOutput()
        self.spans: list[Span] = []
        self.open_tags: list[_OpenTag] = []
        self.decoded_surrogate = False

    def parse(self) -> tuple[str, list[Span]]:
        source = self.source
        position = 0
        while position < len(source):
            byte = source[position]
            if byte == _AMP:
                code, after = decode_html_entity(source, position)
                if code:
                    self.decoded_surrogate |= 0xD800 <= code <= 0xDFFF
                    self.output.code_point(code)
                    position = after
                    continue
            if byte != _LT:
                self.output.byte(byte)
                position += 1
                continue
            if source[position + 1] != _SLASH:
                position = self._start_tag(position)
            else:
                position = self._end_tag(position)
        if self.open_tags:
            raise parse_error(
                f'Can\'t find end tag corresponding to start tag "{self.open_tags[-1].name}"'
            )
        for span in self.spans:
            if span.type == "code":
                span.extra.pop("language", None)  # a lone <code> keeps no language
        if self.decoded_surrogate:
            raise parse_error(_SURROGATE_ERROR)
        return self.output.text(), sort_spans(self.spans)

    def _start_tag(self, begin: int) -> int:
        source = self.source
        position = begin + 1
        while not is_space(source[position]) and source[position] != _GT:
            position += 1
        if source[position] == 0:
            raise parse_error(f"Unclosed start tag at byte offset {begin}")
        name = decode(source.data[begin + 1 : position].lower())
        if name not in _TAGS:
            raise parse_error(f'Unsupported start tag "{name}" at byte offset {begin}')

        argument = ""
        date = 0
        while source[position] != _GT:
            while source[position] != 0 and is_space(source[position]):
                position += 1
            if source[position] == _GT:
                break
            attribute_begin = position
            while not is_space(source[position]) and source[position] not in b"=>/\"'":
                position += 1
            attribute = source.data[attribute_begin:position]
            if not attribute:
                raise parse_error(
                    f'Empty attribute name in the tag "{name}" at byte offset {begin}'
                )
            while source[position] != 0 and is_space(source[position]):
                position += 1
            if source[position] != _EQ:
                if source[position] == 0:
                    raise parse_error(f'Unclosed start tag "{name}" at byte offset {begin}')
                if name == "blockquote" and attribute == b"expandable":
                    argument = "1"
                continue
            position += 1
            while source[position] != 0 and is_space(source[position]):
                position += 1
            if source[position] == 0:
                raise parse_error(f'Unclosed start tag "{name}" at byte offset {begin}')
            value, position = self._attribute_value(position)
            if source[position] == 0:
                raise parse_error(f"Unclosed start tag at byte offset {begin}")

            # Attribute names are compared as written: <a HREF="..."> has no href.
            if name == "a" and attribute == b"href":
                argument = value
            elif name == "code" and attribute == b"class" and value.startswith("language-"):
                argument = value.removeprefix("language-")
            elif name == "span" and attribute == b"class" and value.startswith("tg-"):
                argument = value.removeprefix("tg-")
            elif (name == "tg-emoji" and attribute == b"emoji-id") or (
                name == "tg-time" and attribute == b"format"
            ):
                argument = value
            elif name == "blockquote" and attribute == b"expandable":
                argument = "1"
            elif name == "tg-time" and attribute == b"unix":
                date = _to_int32(value)

        if name == "span" and argument != "spoiler":
            raise parse_error(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
        self.open_tags.append(_OpenTag(name, argument, date, self.output.utf16, len(self.output)))
        return position + 1

    def _attribute_value(self, position: int) -> tuple[str, int]:
        source = self.source
        if source[position] not in _QUOTES:
            # A name token (letters, digits, periods, hyphens), case-insensitive.
            token_begin = position
            while _is_name_token_byte(source[position]):
                position += 1
            if not is_space(source[position]) and source[position] != _GT:
                raise parse_error(f"Unexpected end of name token at byte offset {token_begin}")
            return decode(source.data[token_begin:position].lower()), position
        quote = source[position]
        position += 1
        value = bytearray()
        while source[position] != quote and source[position] != 0:
            if source[position] == _AMP:
                code, after = decode_html_entity(source, position)
                if code:
                    value += encode(chr(code))
                    position = after
                    continue
            value.append(source[position])
            position += 1
        if source[position] == quote:
            position += 1
        return decode(bytes(value)), position

    def _end_tag(self, begin: int) -> int:
        source = self.source
        if not self.open_tags:
            raise parse_error(f"Unexpected end tag at byte offset {begin}")
        position = begin + 1
        while not is_space(source[position]) and source[position] != _GT:
            position += 1
        end_name = decode(source.data[begin + 2 : position].lower())
        while is_space(source[position]) and source[position] != 0:
            position += 1
        if source[position] != _GT:
            raise parse_error(f"Unclosed end tag at byte offset {begin}")
        tag = self.open_tags[-1]
        # "</>" closes whatever is open.
        if end_name and end_name != tag.name:
            raise parse_error(
                f'Unmatched end tag at byte offset {begin}, expected "</{tag.name}>", '
                f'found "</{end_name}>"'
            )
        if self.output.utf16 > tag.offset:
            self._close(tag)
        self.open_tags.pop()
        return position + 1

    def _close(self, tag: _OpenTag) -> None:
        offset = tag.offset
        length = self.output.utf16 - offset
        last = self.spans[-1] if self.spans else None
        same_text = last is not None and (last.offset, last.length) == (offset, length)
        if tag.name in _SIMPLE:
            self.spans.append(Span(_SIMPLE[tag.name], offset, length))
        elif tag.name == "tg-emoji":
            emoji_id = to_integer_safe(tag.argument, 64)
            if not emoji_id:
                raise parse_error("Invalid custom emoji identifier specified")
            self.spans.append(
                Span("custom_emoji", offset, length, {"custom_emoji_id": str(emoji_id)})
            )
        elif tag.name == "tg-time":
            date_format = date_time_format(tag.argument)
            if date_format is None:
                raise parse_error("Invalid date format used")
            if tag.date > 0:
                extra = {"unix_time": tag.date, "date_time_format": date_format}
                self.spans.append(Span("date_time", offset, length, extra))
        elif tag.name == "a":
            # Without href the link is the text itself. tg://user?id= links become text
            # mentions in Telegram; the emulator keeps them as text links (it would need the
            # user's profile for a text_mention).
            url = tag.argument or decode(bytes(self.output.data[tag.begin :]))
            checked = get_checked_link(url)
            if checked is not None:
                self.spans.append(Span("text_link", offset, length, {"url": checked}))
        elif tag.name == "pre":
            # <pre><code class="language-x">: the inner code closed first and names the language.
            if same_text and last is not None and last.type == "code" and last.extra:
                last.type = "pre"
            else:
                self.spans.append(Span("pre", offset, length))
        elif tag.name == "code":
            if same_text and last is not None and last.kind == "pre" and tag.argument:
                last.extra["language"] = tag.argument
            else:
                extra = {"language": tag.argument} if tag.argument else {}
                self.spans.append(Span("code", offset, length, extra))
        else:  # blockquote
            kind = "expandable_blockquote" if tag.argument else "blockquote"
            self.spans.append(Span(kind, offset, length))


def parse_html(text: str) -> tuple[str, list[Span]]:
    """Plain text and entities of an HTML-formatted text, or Telegram's 400."""
    return _HtmlParser(text).parse()
