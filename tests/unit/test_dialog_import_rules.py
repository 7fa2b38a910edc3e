"""Import rules between dialog features (issue #12): a feature reaches another one by its state
(dialogs/states.py, dialogs/navigation.py), never by importing its modules; shared pieces live in
the neutral dialogs/widgets/; the clock-driven jobs and the task queue import no dialog at all.

Read from the source (AST), so that imports inside functions count as much as top-level ones.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DIALOGS = "dialogs"
# Modules of dialogs/ that belong to no feature: any feature may import them, and they import
# no feature. dialogs/__init__.py is the one module that assembles the features.
NEUTRAL = frozenset({"widgets", "navigation", "states"})
ASSEMBLER = DIALOGS
# Run by `telemed-pet scheduler` (the jobs on a clock) and by the taskiq workers.
JOB_MODULES = ("bot/periodic.py", "ai/queue.py", "ai/stream_broker.py")


@dataclass(frozen=True, order=True)
class Import:
    importer: str  # the module that imports
    target: str  # the module imported from
    name: str  # the name taken from it (`from target import name`); "" for `import target`


# Known exceptions: none. A new one needs a reason as good as "it cannot be done otherwise";
# a stale entry fails below, so the lists only shrink. (Messages to other people go through
# core ports: BookingNotices, VetNotices, ConsultationNotices, SharingNotices, ...; see
# tests/unit/test_outbound_rules.py)
ALLOWED_CROSS_FEATURE: frozenset[Import] = frozenset()
ALLOWED_JOB_IMPORTS: frozenset[Import] = frozenset()


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path, root: Path) -> Iterator[Import]:
    importer = module_name(path, root)
    # A package's relative imports start from the package itself, a module's from its parent.
    package = importer if path.name == "__init__.py" else importer.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(importer, alias.name, "")
        elif isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - (node.level - 1)]
                target = ".".join([*base, target] if target else base)
            for alias in node.names:
                yield Import(importer, target, alias.name)


def feature_of(module: str) -> str | None:
    """The feature a module of dialogs/ belongs to: dialogs/<feature>/… or dialogs/<feature>.py."""
    parts = module.split(".")
    if parts[0] != DIALOGS or len(parts) < 2 or parts[1] in NEUTRAL:
        return None
    return parts[1]


def cross_feature_imports(root: Path) -> set[Import]:
    """Every import from a feature or a neutral module into another feature's modules."""
    paths = sorted((root / DIALOGS).rglob("*.py"))
    modules = {module_name(path, root) for path in paths}
    found = set()
    for path in paths:
        for item in imports_of(path, root):
            if item.importer == ASSEMBLER:
                continue
            # `from dialogs import pets` and `from dialogs.pets import common` import modules.
            submodule = f"{item.target}.{item.name}"
            imported = submodule if submodule in modules else item.target
            target_feature = feature_of(imported)
            if target_feature is not None and target_feature != feature_of(item.importer):
                found.add(item)
    return found


def dialog_imports(paths: list[Path], root: Path) -> set[Import]:
    return {
        item
        for path in paths
        for item in imports_of(path, root)
        if item.target == DIALOGS or item.target.startswith(f"{DIALOGS}.")
    }


def test_no_dialog_feature_imports_another_feature() -> None:
    assert sorted(cross_feature_imports(ROOT) - ALLOWED_CROSS_FEATURE) == []


def test_the_known_cross_feature_exceptions_are_still_needed() -> None:
    assert sorted(ALLOWED_CROSS_FEATURE - cross_feature_imports(ROOT)) == []


def test_scheduler_and_queue_jobs_import_no_dialog() -> None:
    paths = [ROOT / job for job in JOB_MODULES]
    assert all(path.is_file() for path in paths), "a job module moved: update JOB_MODULES"
    found = dialog_imports(paths, ROOT)
    assert sorted(found - ALLOWED_JOB_IMPORTS) == []
    assert sorted(ALLOWED_JOB_IMPORTS - found) == []


def test_the_rules_see_every_way_of_importing(tmp_path: Path) -> None:
    """The checker itself, on a made-up tree: relative, nested and plain imports all count;
    the assembler and the neutral modules' own imports of neutral pieces do not."""
    sources = {
        "dialogs/__init__.py": "from dialogs.a.handlers import run\n",
        "dialogs/a/__init__.py": "",
        "dialogs/a/handlers.py": (
            "from dialogs.a.common import x\n"
            "from dialogs.widgets.events import notify\n"
            "def later():\n"
            "    from ..b import handlers\n"
        ),
        "dialogs/a/common.py": "",
        "dialogs/b/__init__.py": "",
        "dialogs/b/handlers.py": "import dialogs.landing\n",
        "dialogs/landing.py": "from dialogs import a\n",
        "dialogs/widgets/__init__.py": "",
        "dialogs/widgets/events.py": "from dialogs.b.handlers import y\n",
        "jobs.py": "import os\nfrom dialogs.b.handlers import z\n",
    }
    for name, text in sources.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")

    assert sorted(cross_feature_imports(tmp_path)) == [
        Import("dialogs.a.handlers", "dialogs.b", "handlers"),
        Import("dialogs.b.handlers", "dialogs.landing", ""),
        Import("dialogs.landing", "dialogs", "a"),
        Import("dialogs.widgets.events", "dialogs.b.handlers", "y"),
    ]
    assert dialog_imports([tmp_path / "jobs.py"], tmp_path) == {
        Import("jobs", "dialogs.b.handlers", "z")
    }
