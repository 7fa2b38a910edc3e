"""Legacy Markdown parse_mode, read as TDLib's parse_markdown reads it.

Sources: https://core.telegram.org/bots/api#markdown-style and td/telegram/MessageEntity.cpp
(parse_markdown). Only _ * ` ``` and [text](url) exist; \\ escapes just those four characters;
entities don't nest, and an unclosed one fails.
"""

from sandbox.emulator.link_checks import get_checked_link
from sandbox.emulator.message_entities import (
    Span,
    TextOutput,
    decode,
    encode,
    is_space,
    parse_error,
    sort_spans,
)

_MARKS = b"_*`["
_BACKSLASH, _LF, _CR, _BACKTICK = b"\\\n\r`"


def parse_markdown(text: str) -> tuple[str, list[Span]]:
    """Plain text and entities of a Markdown-formatted text, or Telegram's 400."""
    data = encode(text)
    size = len(data)

    def at(index: int) -> int:
        return data[index] if index < size else 0

    output = TextOutput()
    spans: list[Span] = []
    i = -1
    while True:
        i += 1
        if i >= size:
            break
        char = at(i)
        if char == _BACKSLASH and at(i + 1) in _MARKS:
            i += 1
            output.byte(at(i))
            continue
        if char not in _MARKS:
            output.byte(char)
            continue

        begin = i
        end_mark = ord("]") if char == ord("[") else char
        is_pre = False
        language = ""
        i += 1
        if char == _BACKTICK and at(i) == _BACKTICK and at(i + 1) == _BACKTICK:
            i += 2
            is_pre = True
            language_end = i
            while not is_space(at(language_end)) and at(language_end) != _BACKTICK:
                language_end += 1
            if i != language_end and language_end < size and at(language_end) != _BACKTICK:
                language = decode(data[i:language_end])
                i = language_end
            # one new line after the opening ``` (and the language) is not part of the text
            if at(i) in (_LF, _CR):
                i += 2 if at(i + 1) in (_LF, _CR) and at(i) != at(i + 1) else 1

        offset = output.utf16
        while i < size and (
            at(i) != end_mark or (is_pre and not (at(i + 1) == _BACKTICK == at(i + 2)))
        ):
            output.byte(at(i))
            i += 1
        if i == size:
            raise parse_error(f"Can't find end of the entity starting at byte offset {begin}")

        if output.utf16 != offset:
            length = output.utf16 - offset
            if char == ord("_"):
                spans.append(Span("italic", offset, length))
            elif char == ord("*"):
                spans.append(Span("bold", offset, length))
            elif char == ord("["):
                if at(i + 1) != ord("("):
                    url = decode(data[begin + 1 : i])  # [text] alone links to its own text
                else:
                    i += 2
                    url_begin = i
                    while i < size and at(i) != ord(")"):
                        i += 1
                    url = decode(data[url_begin:i])
                checked = get_checked_link(url)
                if checked is not None:
                    spans.append(Span("text_link", offset, length, {"url": checked}))
            elif is_pre:
                extra = {"language": language} if language else {}
                spans.append(Span("pre", offset, length, extra))
            else:
                spans.append(Span("code", offset, length))
        if is_pre:
            i += 2
    return output.text(), sort_spans(spans)
