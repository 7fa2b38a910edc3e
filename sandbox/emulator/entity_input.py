"""Explicit entities / caption_entities, read and checked as the Bot API and TDLib do.

A request without parse_mode may carry its own MessageEntity list. Three layers judge it, and
the first failure answers the request:
1. telegram-bot-api/Client.cpp (get_text_entity, get_text_entity_type): the JSON shape. Its
   errors read "can't parse MessageEntity: <reason>", reasons from tdutils JsonBuilder.cpp
   (JsonObject::get_required_int_field and friends): 'Can't find field "offset"',
   'Field "offset" must be a Number', 'Field "offset" must be a valid Number',
   'Field "type" must be of type String', "Unsupported type specified".
2. td/telegram/MessageEntity.cpp (get_message_entities): the values: a text_link URL must pass
   LinkManager::check_link, a custom emoji id must not be 0, a date must be positive.
3. fix_formatted_text (entity_fixing.py): offsets and lengths against the text.
The Bot API lower-cases the first letter of each reason (Client.cpp fail_query_with_error).
"""

from typing import Any

from sandbox.emulator.errors import BotApiError, bad_request
from sandbox.emulator.link_checks import LinkError, check_link, date_time_format
from sandbox.emulator.message_entities import Span, to_integer_safe

_PLAIN_TYPES = frozenset(
    {
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "blockquote",
        "expandable_blockquote",
    }
)
# Telegram finds these in the text by itself: the Bot API drops them from the input (Client.cpp
# returns nullptr for them). The emulator doesn't detect them, so they simply disappear.
_DETECTED_TYPES = frozenset(
    {
        "mention",
        "hashtag",
        "cashtag",
        "bot_command",
        "url",
        "email",
        "phone_number",
        "bank_card_number",
    }
)


class _ShapeError(Exception):
    """A Bot API reason why one MessageEntity object can't be read."""


def _field(entity: dict[str, Any], name: str) -> Any:
    if name not in entity:
        raise _ShapeError(f'Can\'t find field "{name}"')
    return entity[name]


def _integer(entity: dict[str, Any], name: str, bits: int) -> int:
    value = _field(entity, name)
    # JSON numbers and strings are accepted; the text must spell the integer exactly.
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _ShapeError(f'Field "{name}" must be a Number')
    number = to_integer_safe(value if isinstance(value, str) else repr(value), bits)
    if number is None:
        raise _ShapeError(f'Field "{name}" must be a valid Number')
    return number


def _string(entity: dict[str, Any], name: str, *, required: bool) -> str:
    if not required and name not in entity:
        return ""
    value = _field(entity, name)
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value)
    raise _ShapeError(f'Field "{name}" must be of type String')


def _typed_fields(entity: dict[str, Any], kind: str) -> dict[str, Any] | None:
    """The type's own fields as the Bot API returns them; None for a dropped type."""
    if kind in _PLAIN_TYPES:
        return {}
    if kind == "pre":
        language = _string(entity, "language", required=False)
        return {"language": language} if language else {}
    if kind == "text_link":
        return {"url": _string(entity, "url", required=True)}
    if kind == "text_mention":
        user = _field(entity, "user")
        if not isinstance(user, dict):
            raise _ShapeError('Field "user" must be of type Object')
        _integer(user, "id", 64)
        return {"user": user}
    if kind == "custom_emoji":
        return {"custom_emoji_id": str(_integer(entity, "custom_emoji_id", 64))}
    if kind == "date_time":
        unix_time = _integer(entity, "unix_time", 32)
        date_format = date_time_format(_string(entity, "date_time_format", required=False))
        if date_format is None:
            raise _ShapeError("Invalid date-time format specified")
        return {"unix_time": unix_time, "date_time_format": date_format}
    if kind in _DETECTED_TYPES:
        return None
    raise _ShapeError("Unsupported type specified")


def _read_entity(entity: Any) -> Span | None:
    if not isinstance(entity, dict):
        raise _ShapeError("expected an Object")
    offset = _integer(entity, "offset", 32)
    length = _integer(entity, "length", 32)
    kind = _string(entity, "type", required=True)
    if not kind:
        raise _ShapeError("Type is not specified")
    fields = _typed_fields(entity, kind)
    return None if fields is None else Span(kind, offset, length, fields)


def _entity_error(reason: str) -> BotApiError:
    return bad_request(reason[0].lower() + reason[1:])


def _check_values(span: Span) -> None:
    """td::get_message_entities: what TDLib refuses before it looks at offsets."""
    if span.type == "text_link":
        # tg://user?id= links are text mentions in Telegram; the emulator keeps the link.
        try:
            span.extra["url"] = check_link(span.extra["url"])
        except LinkError as error:
            raise _entity_error(f"Entity {error}") from None
    elif span.type == "custom_emoji" and span.extra["custom_emoji_id"] == "0":
        raise _entity_error("Invalid custom emoji identifier specified")
    elif span.type == "date_time" and span.extra["unix_time"] <= 0:
        raise _entity_error("Invalid date specified")


def read_input_entities(entities: Any) -> list[Span]:
    """Spans of an explicit entities list; anything but a JSON array means none."""
    if not isinstance(entities, list):
        return []
    spans = []
    for entity in entities:
        try:
            span = _read_entity(entity)
        except _ShapeError as error:
            raise bad_request(f"can't parse MessageEntity: {error}") from None
        if span is not None:
            spans.append(span)
    for span in spans:
        _check_values(span)
    return spans
