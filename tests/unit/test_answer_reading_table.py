"""Typed answers to the symptom check's number questions, each with the value it must give.

The table (data/typed_answers.tsv) is what owners write, in Russian and English. The expected
column is a number in the question's unit, `ask:<options>` (asked back, most urgent first) or
`error:<reason>`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.answer_reading import AskBack, Reading, read_number_answer
from core.check_questions import AnswerError
from core.triage import default_rules

TABLE = Path(__file__).parent / "data" / "typed_answers.tsv"
RULES = default_rules()


@dataclass(frozen=True)
class Row:
    line: int
    detail: str
    text: str
    expected: str

    @property
    def id(self) -> str:
        return f"{self.line}:{self.detail}:{self.text}"


def _rows() -> list[Row]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return [
            Row(number, *fields)
            for number, fields in enumerate(
                csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE), start=1
            )
            if fields and not fields[0].startswith("#")
        ]


ROWS = _rows()


def _expected(row: Row) -> Reading | AskBack | str:
    if row.expected.startswith("error:"):
        return row.expected.removeprefix("error:")
    if row.expected.startswith("ask:"):
        return AskBack(tuple(_number(item) for item in row.expected[4:].split(",")))
    return Reading(_number(row.expected))


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def _read(detail: str, text: str) -> Reading | AskBack | str:
    try:
        return read_number_answer(detail, text, RULES)
    except AnswerError as error:
        return error.reason


def test_the_table_is_large_and_covers_both_languages_and_every_number_detail() -> None:
    assert len(ROWS) >= 150
    assert all(len(row.expected) > 0 for row in ROWS)
    assert any(any("а" <= ch <= "я" for ch in row.text.lower()) for row in ROWS)
    assert any(row.text.isascii() and any(ch.isalpha() for ch in row.text) for row in ROWS)
    numeric = {name for name, kind in RULES.details.items() if kind == "number"}
    assert {row.detail for row in ROWS} == numeric


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.id)
def test_typed_answer_is_read_as_the_owner_meant(row: Row) -> None:
    assert _read(row.detail, row.text) == _expected(row)
