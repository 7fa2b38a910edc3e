"""File names from typed text keep the owner's language and lose what file systems refuse."""

from __future__ import annotations

import pytest

from core.file_names import MAX_STEM, file_stem


@pytest.mark.parametrize(
    ("text", "stem"),
    [
        ("Анализ крови 12.03", "Анализ-крови-12-03"),
        ("Blood test", "Blood-test"),
        ("../../etc/passwd", "etc-passwd"),
        ('a<b>:"c"|?*', "a-b-c"),
        ("   ", "fallback"),
        ("🐱🐱", "fallback"),
        (None, "fallback"),
    ],
)
def test_file_stem(text: str | None, stem: str) -> None:
    assert file_stem(text, "fallback") == stem


def test_a_long_title_is_cut_without_a_trailing_dash() -> None:
    stem = file_stem("слово " * 20, "fallback")
    assert len(stem) <= MAX_STEM
    assert not stem.endswith("-")
