"""Telegram's limits as pure rules: flood buckets on a fake clock, photo sides, keyboard size,
message age, URL-safe file paths. Each table row names its source."""

import pytest

from sandbox.emulator.errors import BotApiError
from sandbox.emulator.file_paths import file_extension
from sandbox.emulator.flood import FloodControl, FloodRates
from sandbox.emulator.limits import (
    check_callback_answer_text,
    check_deletable,
    check_inline_keyboard_size,
    check_photo,
    photo_dimensions_ok,
)

FLOOD_FAQ = "https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this"
SENDPHOTO = "https://core.telegram.org/bots/api#sendphoto"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _retry_after(flood: FloodControl, chat_id: int) -> int:
    with pytest.raises(BotApiError) as raised:
        flood.take(chat_id)
    assert raised.value.error_code == 429
    assert raised.value.parameters is not None
    retry_after = int(raised.value.parameters["retry_after"])
    assert raised.value.description == f"Too Many Requests: retry after {retry_after}"
    return retry_after


def test_a_private_chat_gets_its_burst_then_one_message_a_second() -> None:
    # FLOOD_FAQ: "avoid sending more than one message per second ... short bursts"
    clock = FakeClock()
    flood = FloodControl(FloodRates(), clock)
    for _ in range(20):
        flood.take(42)
    assert _retry_after(flood, 42) == 1
    clock.now += 0.5
    assert _retry_after(flood, 42) == 1  # half a token: still whole seconds, never 0
    clock.now += 0.5
    flood.take(42)
    assert _retry_after(flood, 42) == 1


def test_a_group_gets_20_messages_a_minute() -> None:
    # FLOOD_FAQ: "not able to send more than 20 messages per minute to the same group"
    clock = FakeClock()
    flood = FloodControl(FloodRates(), clock)
    for _ in range(20):
        flood.take(-100123)
    assert _retry_after(flood, -100123) == 3  # one token per 3 s
    clock.now += 3
    flood.take(-100123)


def test_the_whole_bot_gets_30_messages_a_second_across_chats() -> None:
    # FLOOD_FAQ: "the API will not allow more than 30 messages per second or so"
    clock = FakeClock()
    flood = FloodControl(FloodRates(), clock)
    for chat_id in range(1, 31):
        flood.take(chat_id)
    assert _retry_after(flood, 31) == 1
    clock.now += 0.04  # a little over 1/30 s
    flood.take(31)


def test_a_refused_message_is_not_counted() -> None:
    clock = FakeClock()
    flood = FloodControl(FloodRates(private_chat_per_second=1, private_chat_burst=1), clock)
    flood.take(7)
    for _ in range(5):
        _retry_after(flood, 7)
    clock.now += 1
    flood.take(7)  # the five refusals took nothing


def test_retry_after_rounds_a_slow_refill_up() -> None:
    clock = FakeClock()
    flood = FloodControl(FloodRates(private_chat_per_second=0.4, private_chat_burst=1), clock)
    flood.take(7)
    assert _retry_after(flood, 7) == 3  # 2.5 s → 3


PHOTO_SIDES = [
    # (width, height, accepted, source)
    (9000, 1000, True, f"{SENDPHOTO}: width + height must not exceed 10000"),
    (9001, 1000, False, f"{SENDPHOTO}: width + height must not exceed 10000"),
    (2000, 100, True, f"{SENDPHOTO}: ratio at most 20"),
    (100, 2001, False, f"{SENDPHOTO}: ratio at most 20"),
    (0, 10, False, "a photo has pixels"),
]


@pytest.mark.parametrize(("width", "height", "accepted", "source"), PHOTO_SIDES)
def test_photo_sides(width: int, height: int, accepted: bool, source: str) -> None:
    assert photo_dimensions_ok(width, height) is accepted


def test_a_photo_over_10_mb_fails_before_it_is_even_read() -> None:
    # SENDPHOTO: at most 10 MB; Telegram: PHOTO_SAVE_FILE_INVALID (zhukov/webogram#1011)
    with pytest.raises(BotApiError) as raised:
        check_photo(b"\0" * (10 * 1024 * 1024 + 1))
    assert raised.value.description == "Bad Request: PHOTO_SAVE_FILE_INVALID"
    check_photo(b"not an image")  # left to FileStore: IMAGE_PROCESS_FAILED


def _keyboard(rows: int, per_row: int, data: str = "d") -> dict[str, object]:
    return {
        "inline_keyboard": [
            [{"text": f"{r}.{c}", "callback_data": data} for c in range(per_row)]
            for r in range(rows)
        ]
    }


KEYBOARDS = [
    # (keyboard, accepted, source)
    (_keyboard(20, 5), True, "tginfo/Telegram-Limits#228: up to 100 inline buttons"),
    (_keyboard(1, 101), False, "pyTelegramBotAPI#511: the limit is 100 buttons"),
    (_keyboard(1, 8), True, "tginfo/Telegram-Limits#228: 8 inline buttons per row"),
    (_keyboard(2, 9), False, "tginfo/Telegram-Limits#228 (deliberate strictness)"),
    (_keyboard(12, 8, data="x" * 64), True, "tginfo/Telegram-Limits#187: about 10 kB"),
    (_keyboard(12, 8, data="x" * 80), False, "tginfo/Telegram-Limits#187: about 10 kB"),
]


@pytest.mark.parametrize(("keyboard", "accepted", "source"), KEYBOARDS)
def test_inline_keyboard_size(keyboard: dict[str, object], accepted: bool, source: str) -> None:
    if accepted:
        check_inline_keyboard_size(keyboard)
        return
    with pytest.raises(BotApiError) as raised:
        check_inline_keyboard_size(keyboard)
    assert raised.value.description == "Bad Request: reply markup is too long"


def test_a_callback_answer_counts_utf16_units_up_to_200() -> None:
    # https://core.telegram.org/bots/api#answercallbackquery: 0-200 characters
    check_callback_answer_text("🐱" * 100)  # 200 UTF-16 units
    with pytest.raises(BotApiError) as raised:
        check_callback_answer_text("🐱" * 100 + "!")
    assert raised.value.description == "Bad Request: MESSAGE_TOO_LONG"


@pytest.mark.parametrize(("age", "deletable"), [(48 * 3600 - 1, True), (48 * 3600, False)])
def test_messages_can_be_deleted_for_less_than_48_hours(age: int, deletable: bool) -> None:
    # https://core.telegram.org/bots/api#deletemessage: "sent less than 48 hours ago"
    if deletable:
        check_deletable(sent_at=1000, now=1000 + age)
        return
    with pytest.raises(BotApiError) as raised:
        check_deletable(sent_at=1000, now=1000 + age)
    assert raised.value.description == "Bad Request: message can't be deleted for everyone"


FILE_NAMES = [
    # (file name, MIME type, extension in file_path)
    ("scan?v=2#1.pdf", "application/pdf", ".pdf"),
    ("notes.txt?raw#top", "text/plain", ".txt"),
    ("report.PDF", "application/pdf", ".PDF"),
    ("archive.tar.gz", "application/gzip", ".gz"),
    ("README", "application/octet-stream", ".bin"),
    (None, "image/jpeg", ".jpg"),
]


@pytest.mark.parametrize(("file_name", "mime_type", "extension"), FILE_NAMES)
def test_file_path_extensions_are_url_safe(
    file_name: str | None, mime_type: str, extension: str
) -> None:
    # Telegram's file_path is plain (documents/file_5.pdf); aiogram pastes it into the URL.
    assert file_extension(file_name, mime_type) == extension
