"""`python -m core.triage` as a process: the command-line contract of shared/triage/README.md."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).parents[2]
PUBLIC_CASES = REPO_ROOT / "tests" / "data" / "triage" / "cases-public.jsonl"


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core.triage", *map(str, args)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def json_lines(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def write_cases(tmp_path: Path, *cases: dict[str, object], extra: str = "") -> Path:
    path = tmp_path / "cases.jsonl"
    lines = [json.dumps(case) for case in cases]
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def case(
    case_id: str, *signs: str, expected: str | None = None, **details: object
) -> dict[str, object]:
    raw: dict[str, object] = {
        "id": case_id,
        "species": "dog",
        "sex": "unknown",
        "neutered": None,
        "age_months": 36,
        "signs": list(signs),
        "details": details,
    }
    if expected is not None:
        raw["expected"] = expected
    return raw


def test_public_cases_give_one_json_line_each() -> None:
    proc = run_cli("--cases", PUBLIC_CASES)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    n_cases = sum(1 for line in PUBLIC_CASES.read_text().splitlines() if line.strip())
    assert len(lines) == n_cases
    results = [json.loads(line) for line in lines]
    assert all(set(result) == {"id", "urgency", "reasons"} for result in results)
    by_id = {result["id"]: result for result in results}
    assert by_id["p02"] == {"id": "p02", "urgency": "high", "reasons": ["urination_straining"]}


def test_eval_on_public_cases_reports_full_sensitivity_and_exits_0() -> None:
    proc = run_cli("--cases", PUBLIC_CASES, "--eval")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    summary = [line for line in proc.stdout.splitlines() if not line.startswith("{")]
    assert summary[0].startswith("--- eval (rules ")
    assert summary[1].startswith("sensitivity_high: 1.000")  # reported first
    assert "under_triage: 0" in summary
    assert "over_triage: 0" in summary
    assert any(line.startswith("accuracy: 1.000") for line in summary)
    assert "missed_high: none" in summary


def test_eval_exits_1_when_an_expected_high_case_is_under_triaged(tmp_path: Path) -> None:
    cases = write_cases(
        tmp_path,
        case("ok", "choking", expected="high"),
        case("missed", "itching", expected="high"),
        case("over", "choking", expected="medium"),
        case("right", "lethargy", expected="medium"),
    )
    proc = run_cli("--cases", cases, "--eval")
    assert proc.returncode == 1
    out = proc.stdout.splitlines()
    assert "sensitivity_high: 0.500 (1/2 expected-high cases assessed high)" in out
    assert "under_triage: 1 (missed)" in out
    assert "over_triage: 1 (over)" in out
    assert "accuracy: 0.500 (2/4)" in out
    assert "missed_high: missed" in out
    confusion = out[out.index("confusion (rows = expected, columns = assessed):") + 1 :]
    assert confusion[1].split() == ["low", "0", "0", "0"]
    assert confusion[2].split() == ["medium", "0", "1", "1"]
    assert confusion[3].split() == ["high", "1", "0", "1"]


def test_under_triage_of_a_medium_case_is_counted_but_does_not_fail(tmp_path: Path) -> None:
    cases = write_cases(tmp_path, case("soft", "itching", expected="medium"))
    proc = run_cli("--cases", cases, "--eval")
    assert proc.returncode == 0
    assert "under_triage: 1 (soft)" in proc.stdout


def test_without_eval_expected_is_ignored(tmp_path: Path) -> None:
    cases = write_cases(tmp_path, case("missed", "itching", expected="high"))
    proc = run_cli("--cases", cases)
    assert proc.returncode == 0
    assert json_lines(proc.stdout) == [{"id": "missed", "urgency": "low", "reasons": ["itching"]}]
    assert "eval" not in proc.stdout


def test_unknown_sign_gives_an_error_line_and_the_run_goes_on(tmp_path: Path) -> None:
    cases = write_cases(
        tmp_path,
        case("bad", "vomiting", "hiccups"),
        case("good", "choking"),
        extra='{"id": "broken", \n\n',
    )
    proc = run_cli("--cases", cases)
    assert proc.returncode == 2
    lines = json_lines(proc.stdout)
    assert lines[0]["id"] == "bad"
    assert "hiccups" in str(lines[0]["error"]) and "line 1" in str(lines[0]["error"])
    assert "urgency" not in lines[0]
    assert lines[1] == {"id": "good", "urgency": "high", "reasons": ["choking"]}
    assert lines[2]["id"] is None and "not valid JSON" in str(lines[2]["error"])
    assert len(lines) == 3  # the blank line is skipped


def test_eval_counts_errors_and_still_exits_1_on_a_missed_emergency(tmp_path: Path) -> None:
    cases = write_cases(
        tmp_path, case("bad", "hiccups", expected="low"), case("m", "sneezing", expected="high")
    )
    proc = run_cli("--cases", cases, "--eval")
    assert proc.returncode == 1
    assert "cases: 2 (scored 1, errors 1)" in proc.stdout


def test_explain_adds_fired_rules_with_sources(tmp_path: Path) -> None:
    cases = write_cases(tmp_path, case("s", "seizure", seizure_minutes=7))
    proc = run_cli("--cases", cases, "--explain")
    (line,) = json_lines(proc.stdout)
    assert line["urgency"] == "high"
    fired = line["fired"]
    assert isinstance(fired, list)
    assert fired[0] == {
        "rule": "seizure.prolonged_cluster_or_not_recovered",
        "level": "high",
        "codes": ["seizure"],
        "source": "S51 S52",
    }
    assert line["rules_version"]


def test_another_rules_file_changes_the_decision(tmp_path: Path) -> None:
    rules = tmp_path / "strict.toml"
    rules.write_text(
        'version = "strict-1"\nsigns = ["itching"]\n'
        '[[rule]]\nid = "itching"\nsigns = ["itching"]\nlevel = "high"\nsource = "test"\n',
        encoding="utf-8",
    )
    cases = write_cases(tmp_path, case("i", "itching", expected="high"))
    proc = run_cli("--cases", cases, "--rules", rules, "--eval")
    assert proc.returncode == 0
    assert json_lines(proc.stdout) == [{"id": "i", "urgency": "high", "reasons": ["itching"]}]
    assert "--- eval (rules strict-1) ---" in proc.stdout


def test_invalid_rules_file_is_reported_with_exit_2(tmp_path: Path) -> None:
    rules = tmp_path / "bad.toml"
    rules.write_text('version = "x"\nsigns = ["a"]\n[[rule]]\nid = "a"\n', encoding="utf-8")
    cases = write_cases(tmp_path, case("c", "itching"))
    proc = run_cli("--cases", cases, "--rules", rules)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "rules error" in proc.stderr and "bad.toml" in proc.stderr


def test_missing_cases_file_and_missing_argument_exit_2(tmp_path: Path) -> None:
    proc = run_cli("--cases", tmp_path / "absent.jsonl")
    assert proc.returncode == 2
    assert "cannot read" in proc.stderr
    proc = run_cli()
    assert proc.returncode == 2
    assert "--cases" in proc.stderr
