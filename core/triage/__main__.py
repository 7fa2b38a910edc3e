"""`python -m core.triage --cases FILE.jsonl [--eval] [--rules FILE]`."""

from core.triage.cli import run_triage_cli

raise SystemExit(run_triage_cli(prog="python -m core.triage"))
