"""What users type, made safe to store: no NUL, no lone surrogate, no invisible names."""

from __future__ import annotations

import pytest

from core.pet_input import parse_breed
from core.pet_input import parse_name as parse_pet_name
from core.pets_errors import PetInputError, PetInputErrorReason
from core.plain_text import has_visible, plain_name, plain_text
from core.record_input import RecordInputError, RecordInputErrorReason, parse_line, parse_note
from core.vet_input import parse_bio
from core.vet_input import parse_name as parse_vet_name
from core.vets_errors import VetInputError, VetInputErrorReason

# Each of these shows nothing: zero-width space, word joiner, BOM, soft hyphen, the bidi
# embeddings/overrides/isolates, Hangul filler, braille blank, and mixes with spaces.
INVISIBLE_ONLY = (
    "\u200b",
    "\u200b\u200b\u200b",
    "\u202e",
    "\u202e\u202d",
    "\u2066\u2067\u2068\u2069",
    "\ufeff",
    "\u2060",
    "\u00ad",
    "\u3164",
    "\u2800",
    " \u200b \u202e\n\u2069 ",
    "\u200d",  # a lone joiner joins nothing
    "\x00",
    "\x00\x01\x1f",
)


@pytest.mark.parametrize("typed", INVISIBLE_ONLY)
def test_a_name_of_only_invisible_characters_is_refused_as_empty(typed: str) -> None:
    assert plain_name(typed) == ""
    with pytest.raises(PetInputError) as pet:
        parse_pet_name(typed)
    assert pet.value.reason is PetInputErrorReason.NAME_EMPTY
    with pytest.raises(VetInputError) as vet:
        parse_vet_name(typed)
    assert vet.value.reason is VetInputErrorReason.NAME_EMPTY
    with pytest.raises(RecordInputError) as record:
        parse_line(typed, 120)
    assert record.value.reason is RecordInputErrorReason.TEXT_EMPTY


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("\u202eevil", "evil"),
        ("Ba\u200brsik", "Barsik"),
        ("\ufeffRex\u2066", "Rex"),
        ("Re\x00x", "Rex"),
        ("Ze\u200bro\u200c\u200dWidth", "Zero\u200c\u200dWidth"),  # joiners stay
        # An emoji family stays whole.
        ("🐶 Рекс 👨\u200d👩\u200d👧", "🐶 Рекс 👨\u200d👩\u200d👧"),
        ("Max\u202e \u200b Power", "Max Power"),
    ],
)
def test_invisible_and_direction_characters_are_stripped_inside_names(
    typed: str, stored: str
) -> None:
    assert parse_pet_name(typed) == stored
    assert parse_vet_name(typed) == stored
    assert parse_line(typed, 120) == stored


def test_nul_and_other_controls_are_dropped_but_lines_and_tabs_kept() -> None:
    assert plain_text("a\x00b\x07c\x1bd") == "abcd"
    assert plain_text("one\r\ntwo\rthree\tfour") == "one\ntwo\nthree\tfour"


def test_a_lone_surrogate_is_replaced_and_the_text_can_be_encoded() -> None:
    cleaned = plain_text("Rex\ud83d and \udc36 end")
    assert cleaned == "Rex\ufffd and \ufffd end"
    cleaned.encode("utf-8")  # raised UnicodeEncodeError before
    # A pair that arrived as two code points is one character again.
    assert plain_text("\ud83d\udc36") == "🐶"
    assert parse_pet_name("Rex\ud83d") == "Rex\ufffd"


def test_free_text_keeps_its_lines_without_nul() -> None:
    assert parse_note("first\x00 line\r\nsecond") == "first line\nsecond"
    assert parse_bio("Vet\x00 bio") == "Vet bio"
    assert parse_breed("Lab\x00rador") == "Labrador"


def test_visible_text_is_recognised() -> None:
    assert has_visible("a")
    assert has_visible("\u200b!")
    assert has_visible("🐶")
    assert not has_visible("\u200b \u202e\u3164")
