"""MarkdownV2 (and legacy Markdown) parse_mode in the emulator, row by row.

Each row cites its source: the Bot API's MarkdownV2 style (MD2_DOC) or the TDLib code behind it,
td/telegram/MessageEntity.cpp (parse_markdown_v2, parse_markdown), whose wording the Bot API
returns after "Bad Request: can't parse entities: ".
"""

import pytest

from sandbox.emulator.errors import BotApiError
from sandbox.emulator.formatting import format_text
from tests.support.formatting_cases import Parsed, Refused, entity

MD2_DOC = "https://core.telegram.org/bots/api#markdownv2-style"
MD2 = "td/telegram/MessageEntity.cpp parse_markdown_v2"
MD_DOC = "https://core.telegram.org/bots/api#markdown-style"
MD = "td/telegram/MessageEntity.cpp parse_markdown"
FIX = "td/telegram/MessageEntity.cpp fix_formatted_text"
RESERVED = "Character '{}' is reserved and must be escaped with the preceding '\\'"


PARSED_V2 = [
    Parsed(MD2_DOC, "*bold \\*text*", "bold *text", [entity("bold", 0, 10)]),
    Parsed(MD2_DOC, "_italic \\*text_", "italic *text", [entity("italic", 0, 12)]),
    Parsed(MD2_DOC, "__underline__", "underline", [entity("underline", 0, 9)]),
    Parsed(MD2_DOC, "~strikethrough~", "strikethrough", [entity("strikethrough", 0, 13)]),
    Parsed(MD2_DOC, "||spoiler||", "spoiler", [entity("spoiler", 0, 7)]),
    Parsed(
        MD2_DOC,
        "*bold _italic bold ~italic bold strikethrough ||italic bold strikethrough "
        "spoiler||~ __underline italic bold___ bold*",
        "bold italic bold italic bold strikethrough italic bold strikethrough spoiler "
        "underline italic bold bold",
        [
            # Telegram cuts bold & co. wherever another one starts (split_entities).
            entity("bold", 0, 5),
            entity("bold", 5, 12),
            entity("italic", 5, 12),
            entity("bold", 17, 26),
            entity("italic", 17, 26),
            entity("strikethrough", 17, 26),
            entity("bold", 43, 34),
            entity("italic", 43, 34),
            entity("strikethrough", 43, 33),
            entity("spoiler", 43, 33),
            entity("bold", 77, 26),
            entity("italic", 77, 21),
            entity("underline", 77, 21),
        ],
    ),
    Parsed(
        MD2_DOC,
        "[inline URL](http://www.example.com/)",
        "inline URL",
        [entity("text_link", 0, 10, url="http://www.example.com/")],
    ),
    Parsed(
        MD2 + " (the URL is normalized)",
        "[x](HTTPS://Example.com)",
        "x",
        [entity("text_link", 0, 1, url="https://example.com/")],
    ),
    Parsed(
        MD2 + " (\\ escapes ')' in a URL)",
        "[x](http://t.me/a\\)b)",
        "x",
        [entity("text_link", 0, 1, url="http://t.me/a)b")],
    ),
    Parsed(
        MD2 + " (a link without (url) is its own text)",
        "[t\\.me]",
        "t.me",
        [entity("text_link", 0, 4, url="http://t.me/")],
    ),
    Parsed(MD2 + " (bad links are dropped)", "[x](foo)", "x", []),
    Parsed(
        MD2_DOC,
        "![👍](tg://emoji?id=5368324170671202286)",
        "👍",
        [entity("custom_emoji", 0, 2, custom_emoji_id="5368324170671202286")],
    ),
    Parsed(
        MD2_DOC,
        "![22:45 tomorrow](tg://time?unix=1647531900&format=wDT)",
        "22:45 tomorrow",
        [entity("date_time", 0, 14, unix_time=1647531900, date_time_format="wDT")],
    ),
    Parsed(
        MD2_DOC, "`inline fixed-width code`", "inline fixed-width code", [entity("code", 0, 23)]
    ),
    Parsed(
        MD2_DOC,
        "```\npre-formatted fixed-width code block\n```",
        "pre-formatted fixed-width code block",
        [entity("pre", 0, 36)],
    ),
    Parsed(
        MD2_DOC,
        "```python\npre-formatted fixed-width code block written in the Python programming "
        "language\n```",
        "pre-formatted fixed-width code block written in the Python programming language",
        [entity("pre", 0, 79, language="python")],
    ),
    Parsed(
        MD2_DOC + " (inside code only ` and \\ are special)",
        "`a_b*c.d`",
        "a_b*c.d",
        [entity("code", 0, 7)],
    ),
    Parsed(MD2_DOC, "`a\\`b\\\\c`", "a`b\\c", [entity("code", 0, 5)]),
    Parsed(
        MD2_DOC,
        ">Block quotation started\n>Block quotation continued\n>The last line",
        "Block quotation started\nBlock quotation continued\nThe last line",
        [entity("blockquote", 0, 63)],
    ),
    Parsed(
        MD2 + " (the quote takes its closing new line)",
        ">quote\nafter",
        "quote\nafter",
        [entity("blockquote", 0, 6)],
    ),
    Parsed(
        MD2_DOC,
        "**>The expandable block quotation started\n>Hidden part||",
        "The expandable block quotation started\nHidden part",
        [entity("expandable_blockquote", 0, 50)],
    ),
    Parsed(
        MD2_DOC + " (every reserved character, escaped)",
        "\\_\\*\\[\\]\\(\\)\\~\\`\\>\\#\\+\\-\\=\\|\\{\\}\\.\\!",
        "_*[]()~`>#+-=|{}.!",
        [],
    ),
    Parsed(MD2_DOC + " (any ASCII character may be escaped)", "\\a\\\\", "a\\", []),
    Parsed(MD2 + " (a backslash before non-ASCII is text)", "\\ж", "\\ж", []),
    Parsed(MD2 + " (a new line inside bold is fine)", "*a\nb*", "a\nb", [entity("bold", 0, 3)]),
    Parsed(MD2 + " (empty entities vanish)", "a**b", "ab", []),
    Parsed(MD2 + " (UTF-16 offsets)", "🐱 *кот*", "🐱 кот", [entity("bold", 3, 3)]),
    Parsed(FIX, "  *x*  ", "x", [entity("bold", 0, 1)]),
]

REFUSED_V2 = [
    *(
        Refused(MD2_DOC, f"a{char}b", RESERVED.format(char))
        for char in ["]", "(", ")", ">", "#", "+", "-", "=", "|", "{", "}", ".", "!"]
    ),
    Refused(MD2_DOC, "Итого: 5.", RESERVED.format(".")),
    Refused(MD2, "*bold", "Can't find end of Bold entity at byte offset 0"),
    Refused(MD2, "_italic", "Can't find end of Italic entity at byte offset 0"),
    Refused(MD2, "__underline", "Can't find end of Underline entity at byte offset 0"),
    Refused(MD2, "~strike", "Can't find end of Strikethrough entity at byte offset 0"),
    Refused(MD2, "||spoiler", "Can't find end of Spoiler entity at byte offset 0"),
    Refused(MD2, "`code", "Can't find end of Code entity at byte offset 0"),
    Refused(MD2, "```\npre", "Can't find end of Pre entity at byte offset 0"),
    Refused(MD2, "```python\npre", "Can't find end of PreCode entity at byte offset 0"),
    Refused(MD2, "[link", "Can't find end of TextUrl entity at byte offset 0"),
    Refused(MD2, "![emoji", "Can't find end of CustomEmoji entity at byte offset 0"),
    # "*" inside an open "_" starts a new bold: the innermost unclosed one is named.
    Refused(MD2, "*a _b*", "Can't find end of Bold entity at byte offset 5"),
    Refused(
        MD2 + " (byte offsets: Ж is 2 bytes)",
        "Ж *b",
        "Can't find end of Bold entity at byte offset 3",
    ),
    Refused(MD2, ">*a\nb*", "Can't find end of Bold entity at byte offset 1"),
    Refused(MD2, "[x](http://t.me", "Can't find end of a URL at byte offset 4"),
    Refused(MD2, "![x]", "The entity must contain a tg://emoji or tg://time URL"),
    Refused(MD2, "![x](http://t.me)", "Invalid tg://emoji or tg://time URL specified"),
    Refused(MD2, "![x](tg://emoji?id=0)", "Invalid tg://emoji or tg://time URL specified"),
]

PARSED_V1 = [
    Parsed(MD_DOC, "*bold text*", "bold text", [entity("bold", 0, 9)]),
    Parsed(MD_DOC, "_italic text_", "italic text", [entity("italic", 0, 11)]),
    Parsed(MD_DOC, "`code`", "code", [entity("code", 0, 4)]),
    Parsed(MD_DOC, "```python\nx = 1```", "x = 1", [entity("pre", 0, 5, language="python")]),
    Parsed(
        MD_DOC,
        "[inline URL](http://www.example.com/)",
        "inline URL",
        [entity("text_link", 0, 10, url="http://www.example.com/")],
    ),
    Parsed(MD_DOC, "\\*not bold\\* a.b-c!", "*not bold* a.b-c!", []),
    Parsed(MD + " (no nesting: * inside _ is text)", "_a*b_", "a*b", [entity("italic", 0, 3)]),
    Parsed(MD + " (an empty link leaves its URL as text)", "[](http://t.me)", "(http://t.me)", []),
]

REFUSED_V1 = [
    Refused(MD, "*bold", "Can't find end of the entity starting at byte offset 0"),
    Refused(MD, "Ж _a", "Can't find end of the entity starting at byte offset 3"),
    Refused(MD, "[link", "Can't find end of the entity starting at byte offset 0"),
]


@pytest.mark.parametrize("row", PARSED_V2, ids=lambda row: f"{row.markup!r}")
def test_markdown_v2_parses_like_telegram(row: Parsed) -> None:
    assert format_text(row.markup, "MarkdownV2", None) == (row.text, row.entities), row.source


@pytest.mark.parametrize("row", REFUSED_V2, ids=lambda row: f"{row.markup!r}")
def test_markdown_v2_is_refused_like_telegram(row: Refused) -> None:
    with pytest.raises(BotApiError) as raised:
        format_text(row.markup, "MarkdownV2", None)
    assert raised.value.error_code == 400, row.source
    assert raised.value.description == f"Bad Request: can't parse entities: {row.reason}"


@pytest.mark.parametrize("row", PARSED_V1, ids=lambda row: f"{row.markup!r}")
def test_legacy_markdown_parses_like_telegram(row: Parsed) -> None:
    assert format_text(row.markup, "Markdown", None) == (row.text, row.entities), row.source


@pytest.mark.parametrize("row", REFUSED_V1, ids=lambda row: f"{row.markup!r}")
def test_legacy_markdown_is_refused_like_telegram(row: Refused) -> None:
    with pytest.raises(BotApiError) as raised:
        format_text(row.markup, "Markdown", None)
    assert raised.value.description == f"Bad Request: can't parse entities: {row.reason}"


def test_markdown_v2_name_is_case_insensitive() -> None:
    # telegram-bot-api/Client.cpp get_formatted_text lower-cases parse_mode
    assert format_text("*x*", "markdownv2", None) == ("x", [entity("bold", 0, 1)])
