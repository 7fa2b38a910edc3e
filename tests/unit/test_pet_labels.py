"""A pet whose name carries an emoji is not shown with a second, species one."""

from __future__ import annotations

import pytest

from dialogs.widgets.pet_labels import has_own_emoji


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Мурзик 🐱", True),
        ("🐶Rex", True),
        ("Кот ❤️", True),  # a heart with its emoji presentation selector
        ("Бусинка 👩‍🚀", True),  # a joined sequence
        ("Rex", False),
        ("R2-D2", False),
        ("Маша <3", False),
        ("Мур🐱зик", False),  # inside the name: the species emoji still leads
        ("", False),
    ],
)
def test_own_emoji_at_either_end(name: str, expected: bool) -> None:
    assert has_own_emoji(name) is expected
