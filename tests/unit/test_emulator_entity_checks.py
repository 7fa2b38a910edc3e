"""Explicit entities / caption_entities in the emulator, checked as Telegram checks them.

Sources: telegram-bot-api/Client.cpp (get_text_entity, get_text_entity_type: "can't parse
MessageEntity: ..." with tdutils JsonBuilder.cpp's field errors), td/telegram/MessageEntity.cpp
(get_message_entities, fix_formatted_text, clean_input_string_with_entities) and
td/telegram/LinkManager.cpp (check_link). The Bot API lower-cases the first letter of TDLib's
reason (Client.cpp fail_query_with_error).
"""

from typing import Any, NamedTuple

import pytest

from sandbox.emulator.errors import BotApiError
from sandbox.emulator.formatting import format_text
from tests.support.formatting_cases import entity

SHAPE = "telegram-bot-api/Client.cpp get_text_entity + tdutils/td/utils/JsonBuilder.cpp"
VALUES = "td/telegram/MessageEntity.cpp get_message_entities"
FIX = "td/telegram/MessageEntity.cpp fix_formatted_text"
BOUNDS = "td/telegram/MessageEntity.cpp clean_input_string_with_entities"
LINK = "td/telegram/LinkManager.cpp check_link"
ENTITY_DOC = "https://core.telegram.org/bots/api#messageentity"
TEXT = "🐱 котик"  # the cat is 2 UTF-16 units and 4 bytes; 8 units in all


# offset and length are Any: some rows send what a careless bot might (strings, floats, None).
class Accepted(NamedTuple):
    source: str
    given: list[Any]
    expected: list[dict[str, Any]]


class Refused(NamedTuple):
    source: str
    given: list[Any]
    reason: str


ACCEPTED = [
    Accepted(ENTITY_DOC, [entity("bold", 3, 5)], [entity("bold", 3, 5)]),
    Accepted(
        ENTITY_DOC + " (every formatting type)",
        [
            entity("italic", 0, 2),
            entity("underline", 3, 1),
            entity("strikethrough", 4, 1),
            entity("spoiler", 5, 1),
            entity("code", 6, 1),
        ],
        [
            entity("italic", 0, 2),
            entity("underline", 3, 1),
            entity("strikethrough", 4, 1),
            entity("spoiler", 5, 1),
            entity("code", 6, 1),
        ],
    ),
    Accepted(
        SHAPE, [entity("pre", 3, 5, language="python")], [entity("pre", 3, 5, language="python")]
    ),
    Accepted(
        SHAPE + " (an empty language is none)",
        [entity("pre", 3, 5, language="")],
        [entity("pre", 3, 5)],
    ),
    Accepted(SHAPE, [entity("blockquote", 0, 8)], [entity("blockquote", 0, 8)]),
    Accepted(
        SHAPE, [entity("expandable_blockquote", 0, 8)], [entity("expandable_blockquote", 0, 8)]
    ),
    Accepted(
        LINK + " (URLs come back normalized)",
        [entity("text_link", 3, 5, url="HTTPS://Example.com")],
        [entity("text_link", 3, 5, url="https://example.com/")],
    ),
    Accepted(
        SHAPE,
        [entity("text_mention", 3, 5, user={"id": 42, "is_bot": False, "first_name": "A"})],
        [entity("text_mention", 3, 5, user={"id": 42, "is_bot": False, "first_name": "A"})],
    ),
    Accepted(
        SHAPE + " (ids are strings in the answer)",
        [entity("custom_emoji", 0, 2, custom_emoji_id=5368324170671202286)],
        [entity("custom_emoji", 0, 2, custom_emoji_id="5368324170671202286")],
    ),
    Accepted(
        SHAPE + " (the format comes back as w, d/D, t/T)",
        [entity("date_time", 3, 5, unix_time=1647531900, date_time_format="Tdw")],
        [entity("date_time", 3, 5, unix_time=1647531900, date_time_format="wdT")],
    ),
    Accepted(
        SHAPE + " (numbers may come as strings)",
        [entity("bold", "3", "5")],
        [entity("bold", 3, 5)],
    ),
    Accepted(
        SHAPE + " (auto-detected types are dropped)",
        [entity("url", 0, 2), entity("mention", 3, 5), entity("bold", 0, 1 + 1)],
        [entity("bold", 0, 2)],
    ),
    Accepted(FIX + " (empty entities vanish)", [entity("bold", 50, 0)], []),
    Accepted(
        FIX + " (sorted; bold is cut where italic starts)",
        [entity("italic", 3, 1), entity("bold", 0, 8)],
        [entity("bold", 0, 3), entity("bold", 3, 5), entity("italic", 3, 1)],
    ),
    Accepted(
        FIX + " (continuous entities can't overlap)",
        [entity("code", 0, 4), entity("code", 3, 5)],
        [entity("code", 0, 4)],
    ),
]

REFUSED = [
    Refused(SHAPE, ["bold"], "can't parse MessageEntity: expected an Object"),
    Refused(
        SHAPE,
        [{"type": "bold", "length": 1}],
        "can't parse MessageEntity: Can't find field \"offset\"",
    ),
    Refused(
        SHAPE,
        [{"type": "bold", "offset": 0}],
        "can't parse MessageEntity: Can't find field \"length\"",
    ),
    Refused(
        SHAPE,
        [entity("bold", True, 1)],
        'can\'t parse MessageEntity: Field "offset" must be a Number',
    ),
    Refused(
        SHAPE,
        [entity("bold", None, 1)],
        'can\'t parse MessageEntity: Field "offset" must be a Number',
    ),
    Refused(
        SHAPE,
        [entity("bold", 1.5, 1)],
        'can\'t parse MessageEntity: Field "offset" must be a valid Number',
    ),
    Refused(
        SHAPE,
        [entity("bold", "01", 1)],
        'can\'t parse MessageEntity: Field "offset" must be a valid Number',
    ),
    Refused(
        SHAPE,
        [entity("bold", 0, 2**31)],
        'can\'t parse MessageEntity: Field "length" must be a valid Number',
    ),
    Refused(
        SHAPE, [{"offset": 0, "length": 1}], "can't parse MessageEntity: Can't find field \"type\""
    ),
    Refused(SHAPE, [entity("", 0, 1)], "can't parse MessageEntity: Type is not specified"),
    Refused(
        SHAPE,
        [{"type": ["bold"], "offset": 0, "length": 1}],
        'can\'t parse MessageEntity: Field "type" must be of type String',
    ),
    Refused(
        SHAPE, [entity("blink", 0, 1)], "can't parse MessageEntity: Unsupported type specified"
    ),
    Refused(
        SHAPE, [entity("Bold", 0, 1)], "can't parse MessageEntity: Unsupported type specified"
    ),
    Refused(
        SHAPE, [entity("text_link", 0, 1)], "can't parse MessageEntity: Can't find field \"url\""
    ),
    Refused(
        SHAPE,
        [entity("text_mention", 0, 1)],
        "can't parse MessageEntity: Can't find field \"user\"",
    ),
    Refused(
        SHAPE,
        [entity("text_mention", 0, 1, user=42)],
        'can\'t parse MessageEntity: Field "user" must be of type Object',
    ),
    Refused(
        SHAPE,
        [entity("custom_emoji", 0, 2)],
        "can't parse MessageEntity: Can't find field \"custom_emoji_id\"",
    ),
    Refused(
        SHAPE,
        [entity("date_time", 0, 2, unix_time=1, date_time_format="x")],
        "can't parse MessageEntity: Invalid date-time format specified",
    ),
    Refused(
        VALUES,
        [entity("custom_emoji", 0, 2, custom_emoji_id="0")],
        "invalid custom emoji identifier specified",
    ),
    Refused(VALUES, [entity("date_time", 0, 2, unix_time=0)], "invalid date specified"),
    Refused(
        LINK, [entity("text_link", 0, 2, url="foo")], "entity URL 'foo' is invalid: Wrong HTTP URL"
    ),
    Refused(
        LINK, [entity("text_link", 0, 2, url="")], "entity URL '' is invalid: URL host is empty"
    ),
    Refused(
        LINK,
        [entity("text_link", 0, 2, url="ftp://t.me")],
        "entity URL 'ftp://t.me' is invalid: Unsupported URL protocol",
    ),
    Refused(
        LINK,
        [entity("text_link", 0, 2, url="http://t.me:99999")],
        "entity URL 'http://t.me:99999' is invalid: Wrong port number specified in the URL",
    ),
    Refused(FIX, [entity("bold", -1, 1)], "receive an entity with incorrect offset -1"),
    Refused(FIX, [entity("bold", 0, -1)], "receive an entity with incorrect length -1"),
    Refused(
        BOUNDS,
        [entity("bold", 9, 1)],
        "entity begins after the end of the text at UTF-16 offset 9",
    ),
    Refused(
        BOUNDS + " (starting right at the end)",
        [entity("bold", 8, 1)],
        "entity beginning at UTF-16 offset 8 ends after the end of the text at UTF-16 offset 9",
    ),
    Refused(
        BOUNDS,
        [entity("bold", 3, 10)],
        "entity beginning at UTF-16 offset 3 ends after the end of the text at UTF-16 offset 13",
    ),
    Refused(
        BOUNDS + " (inside the surrogate pair)",
        [entity("bold", 1, 2)],
        "entity begins in a middle of a UTF-16 symbol at byte offset 4",
    ),
    Refused(
        BOUNDS + " (inside the surrogate pair)",
        [entity("bold", 0, 1)],
        "entity beginning at UTF-16 offset 0 ends in a middle of a UTF-16 symbol at byte offset 4",
    ),
]


@pytest.mark.parametrize("row", ACCEPTED, ids=lambda row: repr(row.given))
def test_explicit_entities_are_kept_like_telegram(row: Accepted) -> None:
    assert format_text(TEXT, None, row.given) == (TEXT, row.expected), row.source


@pytest.mark.parametrize("row", REFUSED, ids=lambda row: repr(row.given))
def test_explicit_entities_are_refused_like_telegram(row: Refused) -> None:
    with pytest.raises(BotApiError) as raised:
        format_text(TEXT, None, row.given)
    assert raised.value.error_code == 400, row.source
    assert raised.value.description == f"Bad Request: {row.reason}", row.source


def test_entities_that_are_not_a_list_are_ignored() -> None:
    # telegram-bot-api/Client.cpp get_formatted_text reads entities only from a JSON array
    assert format_text(TEXT, None, {"type": "bold"}) == (TEXT, [])  # type: ignore[arg-type]


def test_entities_move_with_removed_characters() -> None:
    # clean_input_string_with_entities: "\r" is removed and the entity after it moves back.
    assert format_text("a\r\nb c", None, [entity("bold", 4, 1)]) == (
        "a\nb c",
        [entity("bold", 3, 1)],
    )


def test_entities_are_trimmed_with_the_text() -> None:
    # fix_formatted_text: trailing " "/"\n" go, entities are cut to what is left; the start is
    # trimmed only up to the first entity.
    given = [entity("bold", 2, 4), entity("italic", 6, 2)]
    assert format_text("  ab  \n\n", None, given) == ("ab", [entity("bold", 0, 2)])
