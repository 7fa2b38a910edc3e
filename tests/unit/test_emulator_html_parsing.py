"""HTML parse_mode in the emulator, row by row against Telegram's rules.

Each row cites its source: the Bot API's HTML style (HTML_DOC) or the TDLib code behind it,
td/telegram/MessageEntity.cpp (parse_html, decode_html_entity, fix_formatted_text), whose
wording the Bot API returns after "Bad Request: can't parse entities: ".
"""

import pytest

from sandbox.emulator.errors import BotApiError
from sandbox.emulator.formatting import format_text
from tests.support.formatting_cases import Parsed, Refused, entity

HTML_DOC = "https://core.telegram.org/bots/api#html-style"
PARSE_HTML = "td/telegram/MessageEntity.cpp parse_html"
DECODE = "td/telegram/MessageEntity.cpp decode_html_entity"
FIX = "td/telegram/MessageEntity.cpp fix_formatted_text"
FIX_ENTITIES = "td/telegram/MessageEntity.cpp fix_entities/split_entities"
CLEAN = "td/telegram/misc.cpp clean_input_string"
CHECK_LINK = "td/telegram/LinkManager.cpp check_link_impl + tdutils HttpUrl.cpp parse_url"
ENTITY_DOC = "https://core.telegram.org/bots/api#messageentity"


PARSED = [
    # Every supported tag.
    Parsed(HTML_DOC, "<b>x</b>", "x", [entity("bold", 0, 1)]),
    Parsed(HTML_DOC, "<strong>x</strong>", "x", [entity("bold", 0, 1)]),
    Parsed(HTML_DOC, "<i>x</i>", "x", [entity("italic", 0, 1)]),
    Parsed(HTML_DOC, "<em>x</em>", "x", [entity("italic", 0, 1)]),
    Parsed(HTML_DOC, "<u>x</u>", "x", [entity("underline", 0, 1)]),
    Parsed(HTML_DOC, "<ins>x</ins>", "x", [entity("underline", 0, 1)]),
    Parsed(HTML_DOC, "<s>x</s>", "x", [entity("strikethrough", 0, 1)]),
    Parsed(HTML_DOC, "<strike>x</strike>", "x", [entity("strikethrough", 0, 1)]),
    Parsed(HTML_DOC, "<del>x</del>", "x", [entity("strikethrough", 0, 1)]),
    Parsed(HTML_DOC, "<tg-spoiler>x</tg-spoiler>", "x", [entity("spoiler", 0, 1)]),
    Parsed(HTML_DOC, '<span class="tg-spoiler">x</span>', "x", [entity("spoiler", 0, 1)]),
    Parsed(HTML_DOC, "<code>x</code>", "x", [entity("code", 0, 1)]),
    Parsed(HTML_DOC, "<pre>x</pre>", "x", [entity("pre", 0, 1)]),
    Parsed(
        HTML_DOC,
        '<pre><code class="language-python">x = 1</code></pre>',
        "x = 1",
        [entity("pre", 0, 5, language="python")],
    ),
    Parsed(
        HTML_DOC,
        '<a href="https://telegram.org/">x</a>',
        "x",
        [entity("text_link", 0, 1, url="https://telegram.org/")],
    ),
    Parsed(HTML_DOC, "<blockquote>x</blockquote>", "x", [entity("blockquote", 0, 1)]),
    Parsed(
        HTML_DOC,
        "<blockquote expandable>x</blockquote>",
        "x",
        [entity("expandable_blockquote", 0, 1)],
    ),
    Parsed(
        HTML_DOC,
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
        "👍",
        [entity("custom_emoji", 0, 2, custom_emoji_id="5368324170671202286")],
    ),
    Parsed(
        PARSE_HTML + " (tg-time)",
        '<tg-time unix="1647531900" format="wDT">22:45</tg-time>',
        "22:45",
        [entity("date_time", 0, 5, unix_time=1647531900, date_time_format="wDT")],
    ),
    # Tag names are case-insensitive; attribute names are not.
    Parsed(PARSE_HTML, "<B>x</B>", "x", [entity("bold", 0, 1)]),
    Parsed(PARSE_HTML, "<StRoNg>x</sTrOnG>", "x", [entity("bold", 0, 1)]),
    Parsed(PARSE_HTML, '<a HREF="https://t.me/">x</a>', "x", []),
    Parsed(PARSE_HTML, "<b >x</b >", "x", [entity("bold", 0, 1)]),
    Parsed(PARSE_HTML + ' ("</>" closes the open tag)', "<b>x</>", "x", [entity("bold", 0, 1)]),
    # Nesting: Telegram splits bold & co. where another entity starts, cuts them around code,
    # and drops whatever is inside code or pre.
    Parsed(
        FIX_ENTITIES,
        "<b>bold <i>both</i></b>",
        "bold both",
        [entity("bold", 0, 5), entity("bold", 5, 4), entity("italic", 5, 4)],
    ),
    Parsed(
        FIX_ENTITIES,
        '<a href="https://t.me/"><b>x</b></a>',
        "x",
        [entity("text_link", 0, 1, url="https://t.me/"), entity("bold", 0, 1)],
    ),
    Parsed(
        FIX_ENTITIES,
        "<b>a <code>c</code></b>",
        "a c",
        [entity("bold", 0, 2), entity("code", 2, 1)],
    ),
    Parsed(FIX_ENTITIES, "<code>a<b>b</b></code>", "ab", [entity("code", 0, 2)]),
    Parsed(FIX_ENTITIES, "<pre><code>x</code></pre>", "x", [entity("pre", 0, 1)]),
    Parsed(FIX_ENTITIES, "<b>x</b><b>y</b>", "xy", [entity("bold", 0, 2)]),
    Parsed(PARSE_HTML + " (empty tags make no entity)", "<b></b>x", "x", []),
    # Attributes: quoted either way or a bare name token; entities decoded inside quotes.
    Parsed(
        PARSE_HTML,
        "<a href='https://t.me/a?b=1&amp;c=2'>x</a>",
        "x",
        [entity("text_link", 0, 1, url="https://t.me/a?b=1&c=2")],
    ),
    Parsed(
        PARSE_HTML,
        '<a  href = "https://t.me/" >x</a>',
        "x",
        [entity("text_link", 0, 1, url="https://t.me/")],
    ),
    Parsed(
        PARSE_HTML + " (name token, lower-cased)",
        "<a href=Example.COM>x</a>",
        "x",
        [entity("text_link", 0, 1, url="http://example.com/")],
    ),
    Parsed(
        PARSE_HTML + " (no href: the text is the URL)",
        "<a>t.me/durov</a>",
        "t.me/durov",
        [entity("text_link", 0, 10, url="http://t.me/durov")],
    ),
    Parsed(CHECK_LINK + " (bad links are dropped)", '<a href="foo">x</a>', "x", []),
    Parsed(
        CHECK_LINK,
        '<a href="HTTPS://Example.com">x</a>',
        "x",
        [entity("text_link", 0, 1, url="https://example.com/")],
    ),
    Parsed(
        PARSE_HTML + " (other attributes ignored)",
        '<b class="x">y</b>',
        "y",
        [entity("bold", 0, 1)],
    ),
    Parsed(
        PARSE_HTML + " (a lone code keeps no language)",
        '<code class="language-python">x</code>',
        "x",
        [entity("code", 0, 1)],
    ),
    Parsed(
        PARSE_HTML,
        '<blockquote expandable="no">x</blockquote>',
        "x",
        [entity("expandable_blockquote", 0, 1)],
    ),
    # Character references: only four names and numeric ones; anything else stays as typed.
    Parsed(DECODE, "&lt;", "<", []),
    Parsed(DECODE, "&gt;", ">", []),
    Parsed(DECODE, "&amp;", "&", []),
    Parsed(DECODE, "&quot;", '"', []),
    Parsed(DECODE, "&#60;", "<", []),
    Parsed(DECODE, "&#x3C;", "<", []),
    Parsed(DECODE, "&#128049;", "🐱", []),
    Parsed(DECODE + " (';' is optional)", "&lt3 &amp", "<3 &", []),
    Parsed(DECODE, "&copy;", "&copy;", []),
    Parsed(DECODE, "&nbsp;", "&nbsp;", []),
    Parsed(DECODE, "&foo;", "&foo;", []),
    Parsed(DECODE + " (names are case-sensitive)", "&LT;", "&LT;", []),
    Parsed(DECODE + " (only a lower-case x)", "&#X3C;", "&#X3C;", []),
    Parsed(DECODE, "&#0;", "&#0;", []),
    Parsed(DECODE + " (U+10FFFF and above)", "&#1114111;", "&#1114111;", []),
    Parsed(DECODE + " (at most 9 bytes)", "&#00000060;", "&#00000060;", []),
    Parsed(PARSE_HTML, "<b>&lt;b&gt;</b>", "<b>", [entity("bold", 0, 3)]),
    # A bare ">" or "&" is text.
    Parsed(PARSE_HTML, "a & b", "a & b", []),
    Parsed(PARSE_HTML, "a > b", "a > b", []),
    Parsed(PARSE_HTML, "2 &gt; 1 &amp;&amp; 1 &lt; 2", "2 > 1 && 1 < 2", []),
    # UTF-16 offsets: an emoji outside the BMP counts twice.
    Parsed(ENTITY_DOC, "🐱<b>кот</b>", "🐱кот", [entity("bold", 2, 3)]),
    Parsed(ENTITY_DOC, "<b>🐱</b>x", "🐱x", [entity("bold", 0, 2)]),
    Parsed(ENTITY_DOC, "👨‍👩‍👧 <i>x</i>", "👨‍👩‍👧 x", [entity("italic", 9, 1)]),
    Parsed(ENTITY_DOC, "<b>Привет</b>, мир &amp; 🐱", "Привет, мир & 🐱", [entity("bold", 0, 6)]),
    # Trimming: " " and "\n" at the end, and at the start up to the first entity.
    Parsed(FIX, "  <b>x</b>  ", "x", [entity("bold", 0, 1)]),
    Parsed(FIX, "\n\nx\n\n", "x", []),
    Parsed(FIX, "<b>  x</b>", "  x", [entity("bold", 0, 3)]),
    Parsed(FIX, "<b>x  </b>  ", "x", [entity("bold", 0, 1)]),
    Parsed(FIX + " (NBSP is not trimmed)", "x\u00a0", "x\u00a0", []),
    # Zero-width and direction characters pass; Telegram removes only a few of them.
    Parsed(CLEAN, "a\u200bb", "a\u200bb", []),
    Parsed(CLEAN, "a\u200cb\u200db", "a\u200cb\u200db", []),
    Parsed(CLEAN, "\u200fשלום <b>x</b>", "\u200fשלום x", [entity("bold", 6, 1)]),
    Parsed(CLEAN, "a\u2066b\u2069", "a\u2066b\u2069", []),
    Parsed(CLEAN + " (U+2028..U+202E removed)", "a\u202eb\u2028c", "abc", []),
    Parsed(CLEAN + " (runs of marks: ZWNJ but the last)", "\u200f\u200fx", "\u200c\u200fx", []),
    Parsed(
        CLEAN + " (\\r removed, tab to space)",
        "<b>a\r\nb</b>\tc",
        "a\nb c",
        [entity("bold", 0, 3)],
    ),
]

REFUSED = [
    Refused(PARSE_HTML, "<3", "Unclosed start tag at byte offset 0"),
    Refused(PARSE_HTML, "Маша <3", "Unclosed start tag at byte offset 9"),
    Refused(PARSE_HTML, "I <3 you", 'Unsupported start tag "3" at byte offset 2'),
    Refused(PARSE_HTML, "<Kate>", 'Unsupported start tag "kate" at byte offset 0'),
    Refused(PARSE_HTML, "a < b", 'Unsupported start tag "" at byte offset 2'),
    Refused(
        PARSE_HTML, "<script>alert(1)</script>", 'Unsupported start tag "script" at byte offset 0'
    ),
    Refused(PARSE_HTML, "<br>", 'Unsupported start tag "br" at byte offset 0'),
    Refused(PARSE_HTML, "<br/>", 'Unsupported start tag "br/" at byte offset 0'),
    Refused(PARSE_HTML, "</b>", "Unexpected end tag at byte offset 0"),
    Refused(PARSE_HTML, "<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
    Refused(PARSE_HTML, "<b><i>x</i>", 'Can\'t find end tag corresponding to start tag "b"'),
    Refused(PARSE_HTML, "<b>x</", "Unclosed end tag at byte offset 4"),
    Refused(PARSE_HTML, "<b>x</b", "Unclosed end tag at byte offset 4"),
    Refused(PARSE_HTML, "<b>x</b y>", "Unclosed end tag at byte offset 4"),
    Refused(
        PARSE_HTML,
        "<b>x</i>",
        'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"',
    ),
    Refused(
        PARSE_HTML,
        "<b><i>x</b></i>",
        'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"',
    ),
    # Byte offsets count UTF-8 bytes: Cyrillic letters take 2, this emoji 4.
    Refused(PARSE_HTML, "Привет </i>", "Unexpected end tag at byte offset 13"),
    Refused(PARSE_HTML, "🐱 <x>", 'Unsupported start tag "x" at byte offset 5'),
    Refused(
        PARSE_HTML,
        "<b>Ж</i>",
        'Unmatched end tag at byte offset 5, expected "</b>", found "</i>"',
    ),
    # Attributes.
    Refused(PARSE_HTML, "<b =x>y</b>", 'Empty attribute name in the tag "b" at byte offset 0'),
    Refused(PARSE_HTML, "<b ", 'Empty attribute name in the tag "b" at byte offset 0'),
    Refused(PARSE_HTML, "<b x", 'Unclosed start tag "b" at byte offset 0'),
    Refused(PARSE_HTML, "<a href=", 'Unclosed start tag "a" at byte offset 0'),
    Refused(PARSE_HTML, '<a href="https://t.me/', "Unclosed start tag at byte offset 0"),
    Refused(PARSE_HTML, "x <a href=t.me", "Unclosed start tag at byte offset 2"),
    Refused(
        PARSE_HTML,
        "<a href=https://t.me/>x</a>",
        "Unexpected end of name token at byte offset 8",
    ),
    Refused(
        PARSE_HTML, "<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'
    ),
    Refused(
        PARSE_HTML,
        '<span class="spoiler">x</span>',
        'Tag "span" must have class "tg-spoiler" at byte offset 0',
    ),
    Refused(
        PARSE_HTML,
        '<tg-emoji emoji-id="abc">x</tg-emoji>',
        "Invalid custom emoji identifier specified",
    ),
    Refused(
        PARSE_HTML,
        '<tg-time unix="1647531900" format="x">t</tg-time>',
        "Invalid date format used",
    ),
    Refused(
        PARSE_HTML,
        "&#xD83D;&#xDC31;",
        "Text contains invalid Unicode characters after decoding HTML entities, check for "
        "unmatched surrogate code units",
    ),
]


@pytest.mark.parametrize("row", PARSED, ids=lambda row: f"{row.markup!r}")
def test_html_parses_like_telegram(row: Parsed) -> None:
    assert format_text(row.markup, "HTML", None) == (row.text, row.entities), row.source


@pytest.mark.parametrize("row", REFUSED, ids=lambda row: f"{row.markup!r}")
def test_html_is_refused_like_telegram(row: Refused) -> None:
    with pytest.raises(BotApiError) as raised:
        format_text(row.markup, "HTML", None)
    assert raised.value.error_code == 400, row.source
    assert raised.value.description == f"Bad Request: can't parse entities: {row.reason}"


def test_entities_come_back_with_type_offset_length_first() -> None:
    # The Bot API's JsonEntity writes its fields in one fixed order; tests compare dicts, the
    # web chat reads JSON, so the order is kept (telegram-bot-api/Client.cpp JsonEntity).
    _, entities = format_text('<a href="https://t.me/">x</a>', "HTML", None)
    assert list(entities[0]) == ["type", "offset", "length", "url"]


@pytest.mark.parametrize("mode", ["HTML", "html", "Html"])
def test_parse_mode_is_case_insensitive(mode: str) -> None:
    # telegram-bot-api/Client.cpp get_formatted_text: to_lower_inplace(parse_mode)
    assert format_text("<b>x</b>", mode, None) == ("x", [entity("bold", 0, 1)])


@pytest.mark.parametrize("mode", [None, "", "none", "None"])
def test_without_a_parse_mode_markup_is_text(mode: str | None) -> None:
    # telegram-bot-api/Client.cpp get_formatted_text: "" and "none" mean no parsing
    assert format_text("<b>x</b> & <3", mode, None) == ("<b>x</b> & <3", [])


def test_an_unknown_parse_mode_is_refused() -> None:
    with pytest.raises(BotApiError) as raised:
        format_text("x", "MarkdownV3", None)
    # telegram-bot-api/Client.cpp get_formatted_text: "Unsupported parse_mode"
    assert raised.value.description == "Bad Request: unsupported parse_mode"


def test_empty_text_is_not_parsed() -> None:
    # telegram-bot-api/Client.cpp get_formatted_text parses only a non-empty text
    assert format_text("", "MarkdownV3", None) == ("", [])


def test_parse_mode_wins_over_explicit_entities() -> None:
    # telegram-bot-api/Client.cpp get_formatted_text returns the parsed text and never reads
    # the entities field when a parse_mode is given.
    explicit = [{"type": "nonsense", "offset": -5, "length": 1}]
    assert format_text("<i>x</i>", "HTML", explicit) == ("x", [entity("italic", 0, 1)])
