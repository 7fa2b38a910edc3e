"""Who a dialog may send to, and what the clock-driven jobs may import (issue #12).

A dialog talks only to the chat of the update it handles: a message to anyone else (the vet of
a booking, the vet an admin verified) is told by an interactor through a core port, after its
commit, implemented in bot/ (BookingNotices, VetNotices, ...). Read from the source (AST):
every Bot API send in dialogs/ must name, as its chat, the current event's user or chat.

The jobs (`telemed-pet scheduler`) and the adapters behind the ports they call must not pull in
any feature's dialog: checked in a fresh interpreter, so that every transitive import counts.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.unit.test_dialog_import_rules import NEUTRAL

ROOT = Path(__file__).resolve().parents[2]
DIALOGS = "dialogs"

# Bot API methods that put something into a chat (`send_message`, `send_photo`, ... too).
CHAT_METHODS = frozenset({"copy_message", "copy_messages", "forward_message", "forward_messages"})
# Where aiogram names the event's own user and chat: `callback.from_user`, `message.chat`,
# `manager.middleware_data["event_from_user"]` / `["event_chat"]`.
CURRENT_ATTRIBUTES = frozenset({"from_user", "chat"})
CURRENT_KEYS = frozenset({"event_from_user", "event_chat"})
# How deep a chat id is followed through names, parameters and helpers before giving up.
MAX_DEPTH = 8

# The scheduler's jobs, and the modules that bind (and implement) the ports those jobs call.
JOB_SIDE_MODULES = (
    "bot.periodic",
    "bot.ioc_booking",  # BookingNotices (HandleVetNoShow), PaymentGateway
    "bot.ioc_consultations",  # ConsultationNotices (OpenDueRooms, CloseEndedRooms)
    "bot.ioc_reconciliation",  # RecoveredPaymentNotices (ReconcileStarPayments)
    "bot.ioc_vets",  # VetNotices
    "bot.notifier",  # Notifier (RequeueStuckChecks)
    "bot.ioc_reminders",  # ReminderSender (SendDueReminders)
    "bot.ioc_follow_ups",  # FollowUpSender (SendDueReminders)
)


@dataclass(frozen=True, order=True)
class ForeignSend:
    module: str
    line: int
    call: str  # the source of the call's chat argument


def _is_chat_call(node: ast.Call) -> bool:
    func = node.func
    return isinstance(func, ast.Attribute) and (
        func.attr.startswith("send_") or func.attr in CHAT_METHODS
    )


def _chat_arguments(node: ast.Call) -> list[ast.expr | None]:
    """The chat a call writes to: `chat_id=` or the first argument; None when it cannot be
    told (`**kwargs`), which the rule counts as someone else's."""
    func = node.func
    assert isinstance(func, ast.Attribute)
    if func.attr == "bg":  # aiogram-dialog's BgManager: another chat only by these keywords
        return [kw.value for kw in node.keywords if kw.arg in {"user_id", "chat_id"}]
    for keyword in node.keywords:
        if keyword.arg == "chat_id":
            return [keyword.value]
    if node.args:
        return [node.args[0]]
    return [None]


Function = ast.FunctionDef | ast.AsyncFunctionDef
# is_current_id or is_current_object: (expression, depth) -> whether it is the current one
Test = Callable[[ast.expr, int], bool]


class _Module:
    def __init__(self, path: Path) -> None:
        self.tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        self.parents: dict[ast.AST, ast.AST] = {}
        for parent in ast.walk(self.tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent

    def enclosing_function(self, node: ast.AST) -> Function | None:
        current = self.parents.get(node)
        while current is not None and not isinstance(current, Function):
            current = self.parents.get(current)
        return current


class _Checker:
    """Decides whether an expression is the current event's user or chat, or its id."""

    def __init__(self, root: Path) -> None:
        self.modules = {path: _Module(path) for path in sorted((root / DIALOGS).rglob("*.py"))}
        self._owner = {
            id(node): module for module in self.modules.values() for node in ast.walk(module.tree)
        }
        # Every function of dialogs/, by name: helpers are found wherever they are defined.
        self.functions: dict[str, list[Function]] = {}
        for module in self.modules.values():
            for node in ast.walk(module.tree):
                if isinstance(node, Function):
                    self.functions.setdefault(node.name, []).append(node)

    def _module_of(self, node: ast.AST) -> _Module:
        return self._owner[id(node)]

    def is_current_id(self, node: ast.expr, depth: int = 0) -> bool:
        if depth > MAX_DEPTH:
            return False
        if isinstance(node, ast.Attribute) and node.attr == "id":
            return self.is_current_object(node.value, depth + 1)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            # A helper of dialogs/ (`telegram_id_of(manager)`): each of its returns must be.
            return self._returns_current(node.func.id, depth + 1)
        if isinstance(node, ast.Name):
            return self._name_is(node, self.is_current_id, depth + 1)
        return False

    def is_current_object(self, node: ast.expr, depth: int = 0) -> bool:
        if depth > MAX_DEPTH:
            return False
        if isinstance(node, ast.Attribute) and node.attr in CURRENT_ATTRIBUTES:
            return True
        if isinstance(node, ast.Subscript):
            key = node.slice
            return isinstance(key, ast.Constant) and key.value in CURRENT_KEYS
        if isinstance(node, ast.Name):
            return self._name_is(node, self.is_current_object, depth + 1)
        return False

    def _returns_current(self, name: str, depth: int) -> bool:
        definitions = self.functions.get(name, [])
        returns = [
            node.value
            for definition in definitions
            for node in ast.walk(definition)
            if isinstance(node, ast.Return) and node.value is not None
        ]
        return bool(returns) and all(self.is_current_id(value, depth) for value in returns)

    def _name_is(self, name: ast.Name, test: Test, depth: int) -> bool:
        """A local name: every assignment to it in its function passes `test`; a parameter:
        every call of the function in dialogs/ passes a value that does."""
        module = self._module_of(name)
        function = module.enclosing_function(name)
        if function is None:
            return False
        values = list(_assignments(function, name.id))
        if values:
            return all(test(value, depth) for value in values)
        position = _parameter_position(function, name.id)
        if position is None:
            return False
        passed = list(self._arguments_passed(function.name, name.id, position))
        return bool(passed) and all(value is not None and test(value, depth) for value in passed)

    def _arguments_passed(
        self, function: str, parameter: str, position: int
    ) -> Iterator[ast.expr | None]:
        for module in self.modules.values():
            for node in ast.walk(module.tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id == function
                ):
                    by_name = [kw.value for kw in node.keywords if kw.arg == parameter]
                    if by_name:
                        yield by_name[0]
                    elif position < len(node.args):
                        yield node.args[position]
                    else:
                        yield None


def _assignments(function: Function, name: str) -> Iterator[ast.expr]:
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == name:
                    yield node.value
        elif (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == name
            and node.value is not None
        ):
            yield node.value


def _parameter_position(function: Function, name: str) -> int | None:
    names = [arg.arg for arg in [*function.args.posonlyargs, *function.args.args]]
    return names.index(name) if name in names else None


def foreign_sends(root: Path) -> list[ForeignSend]:
    """Every call in dialogs/ that writes to a chat not proven to be the current event's."""
    checker = _Checker(root)
    found = []
    for path, module in checker.modules.items():
        name = ".".join(path.relative_to(root).with_suffix("").parts)
        for node in ast.walk(module.tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            if not (_is_chat_call(node) or node.func.attr == "bg"):
                continue
            for chat in _chat_arguments(node):
                if chat is None or not checker.is_current_id(chat):
                    shown = "?" if chat is None else ast.unparse(chat)
                    found.append(ForeignSend(name, node.lineno, shown))
    return sorted(found)


def test_no_dialog_sends_to_a_chat_other_than_the_current_one() -> None:
    assert foreign_sends(ROOT) == []


def test_the_send_rule_sees_other_peoples_chats(tmp_path: Path) -> None:
    """The checker itself, on a made-up tree: the old `notify_vet` and `_tell` fail it; the
    ways dialogs answer their own user pass, through names, parameters and helpers."""
    sources = {
        "dialogs/__init__.py": "",
        "dialogs/widgets/events.py": (
            "def telegram_id_of(manager):\n"
            "    sender = manager.middleware_data['event_from_user']\n"
            "    return sender.id\n"
            "def vet_of(card):\n"
            "    return card.vet_user.telegram_id\n"
        ),
        "dialogs/a/handlers.py": (
            "async def own(bot, callback, manager, message):\n"
            "    await bot.send_message(callback.from_user.id, 'x')\n"
            "    chat = manager.middleware_data['event_chat']\n"
            "    await bot.send_message(chat.id, 'x')\n"
            "    telegram_id = telegram_id_of(manager)\n"
            "    await bot.send_invoice(chat_id=telegram_id, title='t')\n"
            "    await bot.send_photo(message.chat.id, 'f')\n"
            "    await _document(manager, callback.from_user.id)\n"
            "    await manager.bg(stack_id='').start()\n"
            "async def _document(manager, chat_id):\n"
            "    await manager.middleware_data['bot'].send_document(chat_id, 'f')\n"
            "async def notify_vet(bot, card):\n"
            "    await bot.send_message(card.vet_user.telegram_id, 'x')\n"
            "async def _tell(bot, chat_id):\n"
            "    await bot.send_message(chat_id, 'x')\n"
            "async def on_verify(bot, verified, manager, **kwargs):\n"
            "    await _tell(bot, verified.telegram_id)\n"
            "    await bot.send_message(vet_of(verified), 'x')\n"
            "    await bot.forward_message(**kwargs)\n"
            "    await manager.bg(user_id=verified.telegram_id).start()\n"
        ),
    }
    for name, text in sources.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")

    assert foreign_sends(tmp_path) == [
        ForeignSend("dialogs.a.handlers", 13, "card.vet_user.telegram_id"),
        ForeignSend("dialogs.a.handlers", 15, "chat_id"),
        ForeignSend("dialogs.a.handlers", 18, "vet_of(verified)"),
        ForeignSend("dialogs.a.handlers", 19, "?"),
        ForeignSend("dialogs.a.handlers", 20, "verified.telegram_id"),
    ]


def _feature_dialogs_imported_by(modules: tuple[str, ...]) -> list[str]:
    script = (
        "import importlib, json, sys\n"
        f"for name in {list(modules)!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return [
        name
        for name in loaded
        if name.startswith(f"{DIALOGS}.") and name.split(".")[1] not in NEUTRAL
    ]


def test_the_scheduler_jobs_and_their_ports_load_no_feature_dialog() -> None:
    """bot/periodic.py and the adapters of the ports its jobs call (the vet's and the owner's
    notices among them) import no dialogs/<feature>/ module, directly or through others."""
    assert _feature_dialogs_imported_by(JOB_SIDE_MODULES) == []


def test_the_import_check_sees_a_feature_dialog_loaded_on_the_way() -> None:
    # The payments handler answers the booking dialog's buttons: it does load that feature.
    assert "dialogs.booking.common" in _feature_dialogs_imported_by(("bot.handlers.payments",))
