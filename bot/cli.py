"""`telemed-pet`: the one entry point of every process and tool.

Heavy imports (aiogram alone takes seconds) happen inside each command, so `--help` and
`triage` stay fast.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import signal
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bot.log_redaction import install_redaction

if TYPE_CHECKING:
    from core.config import Settings

Command = Callable[[argparse.Namespace], int]
PASSTHROUGH_COMMANDS = frozenset({"triage", "ai"})


def _settings() -> Settings:
    from core.config import Settings

    return Settings()


def _collect_garbage_from_now_on() -> None:
    # What start-up built lives as long as the process: frozen, later collections skip it.
    gc.freeze()
    gc.enable()


def cmd_sandbox(args: argparse.Namespace) -> int:
    # Start-up (aiogram's ~300 pydantic models, dialogs, the container) allocates millions of
    # objects that all stay alive: the cyclic GC would walk them in full collections again and
    # again and free nothing (~15 % of the cold start here). Off until the bot polls.
    gc.disable()
    # A shell starts background jobs with SIGINT ignored, and children inherit that (CI runs
    # started with `&` did): the sandbox promises that Ctrl+C or `kill -INT` stops it, so it
    # takes the signal back — KeyboardInterrupt, which asyncio turns into a clean stop.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from bot.run_modes import PortUnavailableError, run_sandbox

    settings = _settings()
    try:
        asyncio.run(
            run_sandbox(settings, args.host, args.port, on_ready=_collect_garbage_from_now_on)
        )
    except PortUnavailableError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from aiogram.utils.token import TokenValidationError

    from bot.run_modes import run_polling
    from core.config import MissingSettingError

    try:
        asyncio.run(run_polling(_settings()))
    except MissingSettingError as error:
        print(error, file=sys.stderr)
        return 2
    except TokenValidationError:
        print(
            "BOT_TOKEN is not a bot token (expected digits:letters from @BotFather)",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        pass
    return 0


def cmd_webapp(args: argparse.Namespace) -> int:
    from bot.run_modes import run_webapp
    from core.config import MissingSettingError

    try:
        asyncio.run(run_webapp(_settings(), args.host, args.port))
    except MissingSettingError as error:
        print(error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from bot.run_modes import WorkerNeedsRedisError, run_worker
    from core.config import MissingSettingError

    try:
        asyncio.run(run_worker(_settings()))
    except (MissingSettingError, WorkerNeedsRedisError) as error:
        print(error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


def cmd_scheduler(args: argparse.Namespace) -> int:
    from bot.run_modes import run_scheduler
    from core.config import MissingSettingError

    try:
        asyncio.run(run_scheduler(_settings()))
    except MissingSettingError as error:
        print(error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from db.migrate import downgrade, upgrade_to_head

    settings = _settings()
    if args.downgrade:
        downgrade(settings.database_url, args.downgrade)
    else:
        upgrade_to_head(settings.database_url)
    print(f"database is at {'revision ' + args.downgrade if args.downgrade else 'head'}")
    return 0


def cmd_triage(args: argparse.Namespace) -> int:
    from core.triage.cli import run_triage_cli

    return run_triage_cli(args.passthrough)


def cmd_ai(args: argparse.Namespace) -> int:
    try:
        from ai.cli import run_ai_cli
    except ImportError as error:
        print(f"`ai` needs the ai extra: pip install -e '.[ai]' ({error})", file=sys.stderr)
        return 2
    return run_ai_cli(args.passthrough)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="telemed-pet",
        description="Telemed-Pet: a Telegram pet telemedicine service.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sandbox = commands.add_parser(
        "sandbox",
        help="everything in one process against a local Telegram emulator, with a web chat",
        description="Starts the Bot API emulator, the web chat, the bot and the webapp in one "
        "process on the embedded defaults (SQLite and files under ./var). No token needed.",
    )
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8080)
    sandbox.set_defaults(handler=cmd_sandbox)

    run = commands.add_parser("run", help="the bot against real Telegram by long polling")
    run.set_defaults(handler=cmd_run)

    webapp = commands.add_parser(
        "webapp", help="webhook endpoint and Mini App (production, N replicas)"
    )
    webapp.add_argument("--host", default="0.0.0.0")
    webapp.add_argument("--port", type=int, default=8000)
    webapp.set_defaults(handler=cmd_webapp)

    worker = commands.add_parser(
        "worker",
        help="photo-analysis worker on the Redis queue (one per GPU)",
        description="Consumes the photo-analysis queue (REDIS_URL) with the model at "
        "AI_MODEL_PATH, and sends each owner the refined result.",
    )
    worker.set_defaults(handler=cmd_worker)

    scheduler = commands.add_parser(
        "scheduler",
        help="clock-driven jobs: hold expiry, vet no-shows, refund retries, slots (run one)",
        description="Expires unpaid holds, refunds vet no-shows, retries failed refunds and "
        "keeps every vet's slots published ahead. Run exactly one per deployment.",
    )
    scheduler.set_defaults(handler=cmd_scheduler)

    migrate = commands.add_parser("migrate", help="bring the database schema to the latest")
    migrate.add_argument("--downgrade", metavar="REVISION", help="go down to REVISION instead")
    migrate.set_defaults(handler=cmd_migrate)

    triage = commands.add_parser(
        "triage",
        help="run the triage engine on a JSONL file of cases",
        description="Arguments of the triage tool: --cases FILE [--eval] [--rules FILE].",
        add_help=False,
    )
    triage.set_defaults(handler=cmd_triage)

    ai = commands.add_parser(
        "ai",
        help="photo model tools: predict, train, eval, bench",
        description="Subcommands: predict --model DIR IMAGE..., train --data DIR --out DIR, "
        "eval --model DIR --data DIR, bench --model DIR. Each has --help.",
        add_help=False,
    )
    ai.set_defaults(handler=cmd_ai)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    # Tool commands (triage) own their options: whatever follows the command name is theirs.
    args, passthrough = parser.parse_known_args(argv)
    if passthrough and args.command not in PASSTHROUGH_COMMANDS:
        parser.error(f"unrecognized arguments: {' '.join(passthrough)}")
    args.passthrough = passthrough
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    install_redaction()  # bot tokens never reach a log line (bot/log_redaction.py)
    if not args.verbose:
        # Alembic announces every plugin it loads at INFO; that is noise for an operator.
        logging.getLogger("alembic").setLevel(logging.WARNING)
        # aiogram logs every update at INFO ("Update id=… is handled"): a line per message a
        # flooder sends, which under a flood cost the bot more than dropping the messages
        # (issue #14: 44 % of its loop). Errors and warnings still come through.
        logging.getLogger("aiogram.event").setLevel(logging.WARNING)
    handler: Command = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
