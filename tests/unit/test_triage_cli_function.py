"""run_triage_cli called in-process (as `telemed-pet triage` does): streams in, status out."""

from __future__ import annotations

import io
import json
from pathlib import Path

from core.triage import Urgency
from core.triage.cli import run_triage_cli
from core.triage.evaluation import Scored, format_summary, summarize


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = run_triage_cli(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def test_writes_results_to_the_given_stream(tmp_path: Path) -> None:
    cases = tmp_path / "c.jsonl"
    cases.write_text(
        json.dumps({"id": "a", "species": "cat", "signs": ["lethargy"], "expected": "medium"}),
        encoding="utf-8",
    )
    status, out, err = _run("--cases", str(cases), "--eval")
    assert status == 0 and err == ""
    assert out.splitlines()[0] == '{"id": "a", "urgency": "medium", "reasons": ["lethargy"]}'
    assert "sensitivity_high: n/a (0/0 expected-high cases assessed high)" in out


def test_help_and_usage_errors_return_instead_of_exiting() -> None:
    status, out, _ = _run("--help")
    assert status == 0 and "--cases" in out
    status, out, err = _run("--cases")
    assert status == 2 and out == ""
    assert "telemed-pet triage: error:" in err


def test_summary_counts_under_and_over_triage_and_missed_emergencies() -> None:
    low, medium, high = Urgency.LOW, Urgency.MEDIUM, Urgency.HIGH
    summary = summarize(
        [
            Scored("a", high, high),
            Scored("b", high, medium),
            Scored("c", medium, low),
            Scored("d", low, high),
        ],
        cases=5,
        errors=1,
    )
    assert summary.missed_high == ("b",)
    assert summary.under_triage == ("b", "c")
    assert summary.over_triage == ("d",)
    assert summary.sensitivity_high == 0.5
    assert summary.accuracy == 0.25
    assert summary.confusion[(high, medium)] == 1
    lines = format_summary(summary, "v9")
    assert lines[0] == "--- eval (rules v9) ---"
    assert lines[1].startswith("sensitivity_high: 0.500")
    assert lines[-1] == "missed_high: b"
