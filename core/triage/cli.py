"""`telemed-pet triage` / `python -m core.triage`: triage a JSONL file of cases.

Contract (shared/triage/README.md):
  --cases FILE.jsonl     one JSON line per case on stdout: {"id", "urgency", "reasons"};
                         a case that cannot be read gives {"id", "error"} and the run goes on.
  --eval                 then a summary (sensitivity for high first, under/over-triage,
                         accuracy, confusion counts).
  --rules FILE           another rules file instead of the packaged rules.toml.
  --explain              also the fired rules, photo notes and rules version on each line.

Exit status: 1 if --eval finds an expected-high case assessed below high; otherwise 2 if any
case or the input could not be read; otherwise 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, NoReturn

from core.triage.cases import Case, parse_case_json
from core.triage.engine import assess
from core.triage.errors import CaseError, RulesError
from core.triage.evaluation import Scored, format_summary, summarize
from core.triage.model import TriageResult
from core.triage.rules import RuleSet, load_rules

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

EXIT_OK = 0
EXIT_UNDER_TRIAGE = 1
EXIT_ERRORS = 2


class _ParserExitError(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _Parser(argparse.ArgumentParser):
    """argparse that writes to the streams it is given and returns instead of exiting.

    The CLI is called in-process by telemed_cli and by tests; sys.exit inside it would take
    the caller down, and sys.stdout/stderr may not be the streams the caller passed.
    """

    def __init__(self, out: IO[str], err: IO[str], prog: str, description: str) -> None:
        super().__init__(prog=prog, description=description)
        self._out = out
        self._err = err

    def print_help(self, file: SupportsWrite[str] | None = None) -> None:
        super().print_help(file or self._out)

    def print_usage(self, file: SupportsWrite[str] | None = None) -> None:
        super().print_usage(file or self._err)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self._err.write(message)
        raise _ParserExitError(status)

    def error(self, message: str) -> NoReturn:
        self.print_usage(self._err)
        self.exit(EXIT_ERRORS, f"{self.prog}: error: {message}\n")


def _build_parser(out: IO[str], err: IO[str], prog: str) -> _Parser:
    parser = _Parser(
        out,
        err,
        prog=prog,
        description="Triage pet cases with the rules engine (one JSON line per case).",
    )
    parser.add_argument("--cases", required=True, type=Path, metavar="FILE.jsonl")
    parser.add_argument(
        "--eval",
        action="store_true",
        help="score against each case's `expected`; exit 1 if an expected-high case is missed",
    )
    parser.add_argument("--rules", type=Path, metavar="FILE", help="rules file (TOML)")
    parser.add_argument(
        "--explain", action="store_true", help="add fired rules and photo notes to each line"
    )
    return parser


def run_triage_cli(
    argv: list[str] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    prog: str = "telemed-pet triage",
) -> int:
    # Resolved at call time, not as defaults, so redirected/captured streams are honoured.
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    try:
        args = _build_parser(out, err, prog).parse_args(argv)
    except _ParserExitError as exc:
        return exc.status

    try:
        rules = load_rules(args.rules)
    except RulesError as exc:
        err.write(f"{prog}: rules error: {exc}\n")
        return EXIT_ERRORS
    try:
        text = args.cases.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        err.write(f"{prog}: cannot read {args.cases}: {exc}\n")
        return EXIT_ERRORS

    return _run(text, rules, out, evaluate=args.eval, explain=args.explain)


def _run(text: str, rules: RuleSet, out: IO[str], *, evaluate: bool, explain: bool) -> int:
    scored: list[Scored] = []
    cases = errors = 0
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cases += 1
        try:
            case = parse_case_json(line, rules)
            result = assess(case.input, rules)
        except CaseError as exc:
            errors += 1
            _emit(out, {"id": exc.case_id, "error": f"line {line_no}: {exc.message}"})
            continue
        _emit(out, _result_line(case, result, explain=explain))
        if case.expected is not None:
            scored.append(Scored(case.id, case.expected, result.urgency))

    if not evaluate:
        return EXIT_ERRORS if errors else EXIT_OK
    summary = summarize(scored, cases=cases, errors=errors)
    for summary_line in format_summary(summary, rules.version):
        out.write(summary_line + "\n")
    if summary.missed_high:
        return EXIT_UNDER_TRIAGE
    return EXIT_ERRORS if errors else EXIT_OK


def _result_line(case: Case, result: TriageResult, *, explain: bool) -> dict[str, object]:
    line: dict[str, object] = {
        "id": case.id,
        "urgency": result.urgency.value,
        "reasons": list(result.reasons),
    }
    if explain:
        line["fired"] = [
            {
                "rule": fired.rule_id,
                "level": fired.level.value,
                "codes": list(fired.codes),
                "source": fired.source,
            }
            for fired in result.fired
        ]
        line["photo_notes"] = [
            {"note": note.code, "label": note.label, "score": note.score}
            for note in result.photo_notes
        ]
        line["rules_version"] = result.rules_version
    return line


def _emit(out: IO[str], obj: dict[str, object]) -> None:
    out.write(json.dumps(obj, ensure_ascii=False) + "\n")
