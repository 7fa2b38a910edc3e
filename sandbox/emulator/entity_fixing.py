"""What Telegram does to every formatted text before it stores it (TDLib's fix_formatted_text).

Source: td/telegram/MessageEntity.cpp (fix_formatted_text, fix_entities, are_entities_valid,
split_entities, clean_input_string_with_entities, remove_invalid_entities) and
td/telegram/misc.cpp (clean_input_string, replace_offending_characters):
- entities are sorted; nested entities that Telegram can't show are dropped or split
  (nothing inside code/pre, no link inside a link, no quote in a quote; bold and its kind are
  split around code and merged where they touch);
- control characters become spaces, "\\r", U+2028..U+202E and three combining vertical lines
  are removed, runs of LRM/RLM marks become ZWNJs but the last;
- offsets must fall on whole UTF-16 characters inside the text, or the request fails;
- " " and "\\n" are trimmed at the end, and at the start up to the first entity.
"""

from sandbox.emulator.errors import bad_request
from sandbox.emulator.message_entities import (
    BLOCKQUOTES,
    CONTINUOUS,
    SPLITTABLE,
    Span,
    encode,
    has_lone_surrogate,
    is_blockquote,
    is_continuous,
    is_pre_like,
    is_splittable,
    sort_spans,
)

_MAX_OFFSET = 1_000_000
_INT32_MAX = 2**31 - 1
_REMOVED = frozenset(
    [chr(code) for code in range(0x2028, 0x202F)] + ["\u030a", "\u0333", "\u033f"]
)
_DIRECTION_MARKS = frozenset("\u200e\u200f")


def _are_valid(spans: list[Span]) -> bool:
    """are_entities_valid: already sorted, nested and mergeless, so nothing needs fixing."""
    end_positions = dict.fromkeys(SPLITTABLE, -1)
    stack: list[Span] = []
    kinds: set[str] = set()
    for span in spans:
        while stack and span.offset >= stack[-1].end:
            kinds.discard(stack.pop().kind)
        # Inside another entity: no crossing, no repeated type, nothing in code/pre, code/pre
        # only in a quote, no link or quote inside a link, no quote in a quote; and anything
        # inside bold & co. wants a re-split.
        if stack and (
            span.end > stack[-1].end
            or span.kind in kinds
            or is_pre_like(stack[-1])
            or (is_pre_like(span) and bool(kinds - BLOCKQUOTES))
            or ((is_continuous(span) or is_blockquote(span)) and bool(kinds & CONTINUOUS))
            or (is_blockquote(span) and bool(kinds & BLOCKQUOTES))
            or bool(kinds & set(SPLITTABLE))
        ):
            return False
        if is_splittable(span):
            if end_positions[span.type] >= span.offset:
                return False
            end_positions[span.type] = span.end
        stack.append(span)
        kinds.add(span.kind)
    return True


def _without_intersecting(spans: list[Span]) -> list[Span]:
    kept: list[Span] = []
    last_end = 0
    for span in spans:
        if span.offset >= last_end:
            last_end = span.end
            kept.append(span)
    return kept


def _without_crossing_blockquotes(spans: list[Span], quotes: list[Span]) -> list[Span]:
    """A quote may hold whole entities, but none may cross its edges."""
    kept = []
    index = 0
    for span in spans:
        while index < len(quotes) and quotes[index].end <= span.offset:
            index += 1
        if index < len(quotes) and (
            quotes[index].end < span.end or span.offset < quotes[index].offset < span.end
        ):
            continue
        kept.append(span)
    return kept


def _split(splittable: list[Span], others: list[Span]) -> list[Span]:
    """split_entities: bold & co. cut at the edges of other entities, merged where they meet,
    dropped inside code and pre."""
    begin_positions = dict.fromkeys(SPLITTABLE, 0)
    end_positions = dict.fromkeys(SPLITTABLE, 0)
    result: list[Span] = []
    next_index = 0

    def flush(offset: int) -> None:
        for kind in SPLITTABLE:
            begin, end = begin_positions[kind], end_positions[kind]
            if end != 0 and begin < offset:
                if end <= offset:
                    result.append(Span(kind, begin, end - begin))
                    begin_positions[kind] = end_positions[kind] = 0
                else:
                    result.append(Span(kind, begin, offset - begin))
                    begin_positions[kind] = offset

    def add_spans(end_offset: int) -> None:
        nonlocal next_index
        while next_index < len(splittable) and splittable[next_index].offset < end_offset:
            span = splittable[next_index]
            if span.offset <= end_positions[span.type] and end_positions[span.type] != 0:
                end_positions[span.type] = max(end_positions[span.type], span.end)
            else:
                flush(span.offset)
                begin_positions[span.type] = span.offset
                end_positions[span.type] = span.end
            next_index += 1
        flush(end_offset)

    stack: list[Span] = []

    def add_offset(offset: int) -> None:
        while stack and offset >= stack[-1].end:
            kept = len(result)
            add_spans(stack[-1].end)
            if is_pre_like(stack[-1]):
                del result[kept:]
            stack.pop()
        add_spans(offset)

    for other in others:
        add_offset(other.offset)
        stack.append(other)
    add_offset(_INT32_MAX)
    return sort_spans(result)


def fix_entities(spans: list[Span]) -> list[Span]:
    spans = sort_spans(spans)
    if _are_valid(spans):
        return spans
    splittable = [span for span in spans if is_splittable(span)]
    quotes = [span for span in spans if is_blockquote(span)]
    others = _without_intersecting(
        [span for span in spans if not is_splittable(span) and not is_blockquote(span)]
    )
    if quotes:
        quotes = _without_intersecting(quotes)
        others = sort_spans(_without_crossing_blockquotes(others, quotes) + quotes)
    if not splittable:
        return others
    splittable = _split(splittable, others)
    return sort_spans(others + splittable) if others else splittable


def _replace_direction_mark_runs(text: str) -> str:
    chars = list(text)
    for index in range(len(chars) - 1):
        if chars[index] in _DIRECTION_MARKS and chars[index + 1] in _DIRECTION_MARKS:
            chars[index] = "\u200c"
    return "".join(chars)


def _clean(text: str, spans: list[Span]) -> str:
    """clean_input_string_with_entities; moves ``spans`` (sorted, nested) over removed text."""
    result: list[str] = []
    stack: list[tuple[Span, int]] = []
    next_index = 0
    utf16 = skipped = byte_offset = 0
    for index in range(len(text) + 1):
        while stack and utf16 >= stack[-1][0].end:
            span, skipped_before = stack.pop()
            if utf16 != span.end:
                raise bad_request(
                    f"entity beginning at UTF-16 offset {span.offset} ends in a middle of a "
                    f"UTF-16 symbol at byte offset {byte_offset}"
                )
            span.offset -= skipped_before
            span.length -= skipped - skipped_before
        while next_index < len(spans) and utf16 >= spans[next_index].offset:
            if utf16 != spans[next_index].offset:
                raise bad_request(
                    f"entity begins in a middle of a UTF-16 symbol at byte offset {byte_offset}"
                )
            stack.append((spans[next_index], skipped))
            next_index += 1
        if index == len(text):
            break
        char = text[index]
        if char == "\r" or char in _REMOVED:
            skipped += 1
            utf16 += 1
        elif char <= " " and char != "\n":
            result.append(" ")
            utf16 += 1
        else:
            result.append(char)
            utf16 += 2 if ord(char) > 0xFFFF else 1
        byte_offset += len(encode(char))
    if next_index < len(spans):
        raise bad_request(
            f"entity begins after the end of the text at UTF-16 offset {spans[next_index].offset}"
        )
    if stack:
        span = stack[-1][0]
        raise bad_request(
            f"entity beginning at UTF-16 offset {span.offset} ends after the end of the text "
            f"at UTF-16 offset {span.end}"
        )
    return _replace_direction_mark_runs("".join(result))


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _trim(text: str, spans: list[Span]) -> tuple[str, list[Span]]:
    kept_length = len(text.rstrip(" \n"))
    if kept_length == 0:
        return "", []
    text = text[:kept_length]
    text_end = _utf16_len(text)
    trimmed = []
    for span in spans:
        if span.offset < text_end:
            span.length = min(span.length, text_end - span.offset)
            trimmed.append(span)
    limit = trimmed[0].offset if trimmed else len(text)
    start = 0
    while start < min(limit, len(text)) and text[start] in " \n":
        start += 1
    for span in trimmed:
        span.offset -= start
    return text[start:], sort_spans(trimmed)


def fix_formatted_text(text: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """The text and entities Telegram stores, or its 400 for entities that don't fit."""
    if has_lone_surrogate(text):
        raise bad_request("strings must be encoded in UTF-8")
    spans = [Span(span.type, span.offset, span.length, dict(span.extra)) for span in spans]
    for span in spans:
        if not 0 <= span.offset <= _MAX_OFFSET:
            raise bad_request(f"receive an entity with incorrect offset {span.offset}")
        if not 0 <= span.length <= _MAX_OFFSET:
            raise bad_request(f"receive an entity with incorrect length {span.length}")
    spans = fix_entities([span for span in spans if span.length > 0])
    text = _clean(text, spans)
    spans = fix_entities([span for span in spans if span.length > 0])
    return _trim(text, spans)
