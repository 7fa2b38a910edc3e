"""Vets are of any gender and the product does not ask: the health-worker emoji is the
gender-neutral one (🧑‍⚕️), never the woman or man variant."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GENDERED = ("👩\u200d⚕", "👨\u200d⚕")


def test_no_gendered_health_worker_emoji_in_texts_or_dialogs() -> None:
    sources = [
        *ROOT.glob("locales/*/*.ftl"),
        *ROOT.glob("dialogs/**/*.py"),
        *ROOT.glob("bot/**/*.py"),
    ]
    offenders = [
        str(path.relative_to(ROOT))
        for path in sources
        if any(emoji in path.read_text(encoding="utf-8") for emoji in GENDERED)
    ]
    assert offenders == []
