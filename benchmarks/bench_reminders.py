"""Due reminders: claim-and-send throughput, and 10,000 due at once under Telegram's limits.

    python benchmarks/bench_reminders.py                       # SQLite; both modes (see below)
    python benchmarks/bench_reminders.py --reminders 10000     # the full run of issue #12 (~7 min)
    python benchmarks/bench_reminders.py --backends sqlite,postgres --rows 2000 --repeat 3
    python benchmarks/bench_reminders.py --modes throughput    # one mode only
    python benchmarks/bench_reminders.py --modes limits --rtt-ms 50   # Telegram 50 ms away
    python benchmarks/bench_reminders.py --short               # < 60 s: does it still run? (CI)

Each mode runs in its own `telemed-pet sandbox` in this process (emulator, bot polling it over
HTTP, the backend's database), so every message crosses the real Bot API path: the bot's
session middlewares (bot/outbound.py's pacing and 429 handling) and the emulator over HTTP.

- `throughput` (Telegram's rates lifted: `NO_PACING` outbound settings, the emulator's flood
  control off, as benchmarks/bench_bot.py does): per repetition, interleaved (the order flips
  each repetition, so a noisy neighbour hits both), (a) `plain`: `bot.send_message` to each
  recipient's chat, one at a time, the very text and three-button keyboard a reminder renders
  to (bot/reminder_sender.py's `render`; callback data prefixed so it cannot pass for one),
  inside `bot.outbound.reachable` as the reminder sender's own sends are (else bot/outbound.py
  reads the recipient's blocked mark from the database before each plain send, which the
  job skips: it read the marks with the claim), and
  (b) `reminders`: the scheduler job's round (bot.periodic.send_due_reminders: its
  `DeliveryPolicy.senders` concurrent `SendDueReminders` runs, core/interactors/
  reminder_delivery.py, from the sandbox's container) over as many freshly due rows, one per
  recipient. Printed: msgs/s of
  each (medians over repetitions), the ratio reminders / plain per repetition (median), and
  p50/p99 of the time per message (the gap between two sendMessage answers seen by an
  innermost session middleware: for (b) it includes the claim, the mark and the commit).
- `limits` (Telegram's limits on: default `OutboundSection` pacing, the emulator's default
  `FloodControl`): `--reminders` rows due in the same minute, one per recipient, sent by one
  round of the job. Printed: the wall time, msgs/s against Telegram's 30/s, the most
  messages in any one-second window, and the 429 answers the emulator gave (counted by the
  same innermost middleware, which sees `TelegramRetryAfter` before bot/outbound.py waits it
  out and retries; "no 429 storm" means ~0).

`--rtt-ms` adds that long before each Bot API call (an innermost session middleware, in both
modes): the emulator answers over loopback in a few milliseconds, Telegram's servers in tens.

Both modes check that every seeded row ended sent exactly once: the database (sent, not
cancelled, nothing pending) and the emulator (each reminder's buttons, in its recipient's chat,
exactly once). That is correctness; the figures are printed, never asserted.

Racing the sandbox's own jobs: the sandbox runs the periodic jobs (bot/periodic.py: the
send-reminders job every 15 s, the booking jobs) itself. Their tasks are cancelled (found by
their names) as soon as the sandbox is up, and the benchmark runs the job's round itself;
no other claim can then take a row of a measured run, and no other job's writes land in the
middle of one. Moving the sandbox clock instead would still leave the 15-second job free to
claim half of a run's rows.

Seeding: one owner is made through the product's interactors (RegisterUser, ChooseLanguage,
GiveConsent, AddPet, AddRecord with a vaccination due in 30 days, which schedules its
reminders through DueDateReminders). Its rows (users, user_roles, pets, pet_access,
medical_records, and its `due` reminder) are the template: each recipient gets a copy made
with bulk SQLAlchemy core inserts, the foreign keys pointing at the copies and the reminder's
`due_at` a minute ago, so the claim's joined read sees them exactly as it sees real rows.
Each recipient is also an emulator user with a private chat (the emulator's state, directly).
SQLite lives in a temporary directory; PostgreSQL is a throw-away database on --database-url's
server (dropped afterwards).

Prints one JSON object; figures are recorded in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import SendMessage, TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from dishka import AsyncContainer
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from bot.outbound import reachable
from bot.periodic import DEFAULT_JOBS, send_due_reminders
from bot.reminder_sender import BotReminderSender, ReminderButton
from bot.run_modes import RunningSandbox, running_sandbox
from core.config import OutboundSection, Settings, ThrottleSection
from core.enums import RecordKind, Sex, Species
from core.interactors.onboarding import ChooseLanguage, GiveConsent, RegisterUser, TelegramProfile
from core.interactors.pets import AddPet, PetDraft
from core.interactors.records import AddRecord, VaccinationDraft
from core.interactors.reminder_delivery import DeliveryReport
from core.ports.reminders import DueDateMessage, ReminderSender
from core.reminder_schedule import Step
from db.migrate import upgrade_to_head_async
from db.models import (
    MedicalRecordModel,
    PetAccessModel,
    PetModel,
    ReminderModel,
    UserModel,
    UserRoleModel,
)
from sandbox.emulator.flood import FloodControl, FloodRates
from sandbox.emulator.state import EmulatorState

DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
PET = "Rex"
PRODUCT = "Nobivac DHPPi"
TEMPLATE_ID = 6_900_000_000
# Recipients: far from the emulator's random ids (10^8..10^9) and the demo people's.
FIRST_RECIPIENT = 7_000_000_000
# Telegram's overall limit for a bot: "no more than 30 messages per second or so".
TELEGRAM_GLOBAL_PER_S = 30.0
INSERT_CHUNK = 1000
# The models' tables (`__table__` is typed as any FromClause).
USERS = cast(sa.Table, UserModel.__table__)
USER_ROLES = cast(sa.Table, UserRoleModel.__table__)
PETS = cast(sa.Table, PetModel.__table__)
PET_ACCESS = cast(sa.Table, PetAccessModel.__table__)
RECORDS = cast(sa.Table, MedicalRecordModel.__table__)
REMINDERS = cast(sa.Table, ReminderModel.__table__)
WARM_UP = 50  # messages of each kind before `throughput` measures
# What is lifted in `throughput`: Telegram's rates would cap every figure at ~30 messages/s.
NO_FLOOD_LIMIT = FloodRates(1e9, 10**9, 1e9, 10**9, 1e9, 10**9)
NO_PACING = OutboundSection(
    chat_rate_per_s=1e9, chat_burst=10**9, global_rate_per_s=1e9, global_burst=10**9
)


# --- what reaches the emulator -----------------------------------------------------------------


@dataclass
class SendLog(BaseRequestMiddleware):
    """The innermost session middleware: when each sendMessage was answered, and every 429,
    seen before bot/outbound.py (registered earlier, so further out) waits it out."""

    answered_at: list[float] = field(default_factory=list)
    retry_after: int = 0

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        try:
            response = await make_request(bot, method)
        except TelegramRetryAfter:
            self.retry_after += 1
            raise
        if isinstance(method, SendMessage):
            self.answered_at.append(time.perf_counter())
        return response

    def reset(self) -> None:
        self.answered_at.clear()
        self.retry_after = 0


@dataclass
class NetworkDelay(BaseRequestMiddleware):
    """`--rtt-ms`: each Bot API call waits this long before it is made, as a round trip to
    Telegram's servers would (the emulator on loopback answers in a few milliseconds)."""

    seconds: float

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        await asyncio.sleep(self.seconds)
        return await make_request(bot, method)


def gaps_ms(started: float, answered_at: list[float]) -> list[float]:
    moments = [started, *answered_at]
    return [(later - earlier) * 1000 for earlier, later in itertools.pairwise(moments)]


def percentile(values: list[float], share: float) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)


def most_in_one_second(answered_at: list[float]) -> int:
    most, first = 0, 0
    for last, moment in enumerate(answered_at):
        while moment - answered_at[first] >= 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


# --- seeding -----------------------------------------------------------------------------------


@dataclass
class Recipients:
    telegram_ids: list[int]
    # Copies of the template's rows, by recipient (same order as telegram_ids).
    user_ids: list[int]
    pet_ids: list[int]
    record_ids: list[int]
    template_reminder: dict[str, Any]
    message: DueDateMessage  # what a reminder says (its id aside), for the plain sends


async def seed_template(container: AsyncContainer) -> None:
    """An owner who chose English, consented, and has a dog with a vaccination due in 30 days
    (AddRecord schedules its reminders through DueDateReminders)."""
    profile = TelegramProfile(TEMPLATE_ID, "Template owner", None, "en")
    async with container() as request:
        await (await request.get(RegisterUser))(profile)
    async with container() as request:
        await (await request.get(ChooseLanguage))(TEMPLATE_ID, "en")
    async with container() as request:
        await (await request.get(GiveConsent))(profile)
    async with container() as request:
        draft = PetDraft(name=PET, species=Species.DOG, sex=Sex.MALE)
        pet = await (await request.get(AddPet))(TEMPLATE_ID, draft)
    today = date.today()
    async with container() as request:
        vaccination = VaccinationDraft(
            product=PRODUCT, given_on=today - timedelta(days=335), next_due=today + timedelta(30)
        )
        await (await request.get(AddRecord))(TEMPLATE_ID, pet.id, vaccination)


def _copies(
    table: sa.Table, template: Mapping[str, Any], new_ids: list[dict[str, int]], **unique: Any
) -> list[dict[str, Any]]:
    """`template` once per entry of `new_ids`, its foreign keys to the tables named there
    pointing at that entry's rows; `unique` columns get per-copy values (lists)."""
    rows = []
    for index, ids in enumerate(new_ids):
        row = {key: value for key, value in template.items() if key != "id"}
        for column in table.columns:
            for key in column.foreign_keys:
                target = key.column.table.name
                if target in ids and row.get(column.name) is not None:
                    row[column.name] = ids[target]
        for name, values in unique.items():
            row[name] = values[index]
        rows.append(row)
    return rows


async def _insert(session: AsyncSession, table: sa.Table, rows: list[dict[str, Any]]) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(rows), INSERT_CHUNK):
        inserted = await session.execute(
            sa.insert(table).returning(table.c.id, sort_by_parameter_order=True),
            rows[start : start + INSERT_CHUNK],
        )
        ids.extend(inserted.scalars())
    return ids


async def _one(session: AsyncSession, table: sa.Table, *where: Any) -> dict[str, Any]:
    return dict((await session.execute(sa.select(table).where(*where))).mappings().one())


async def seed_recipients(sandbox: RunningSandbox, count: int) -> Recipients:
    """`count` copies of the template owner, each also an emulator user with a chat."""
    container = sandbox.bot_app.container
    await seed_template(container)
    users_t, roles_t, pets_t, access_t = USERS, USER_ROLES, PETS, PET_ACCESS
    records_t, reminders_t = RECORDS, REMINDERS
    telegram_ids = [FIRST_RECIPIENT + n for n in range(count)]
    async with container() as request:
        session = await request.get(AsyncSession)
        user = await _one(session, users_t, users_t.c.telegram_id == TEMPLATE_ID)
        roles = await session.execute(sa.select(roles_t).where(roles_t.c.user_id == user["id"]))
        role_rows = [dict(row) for row in roles.mappings()]
        access = await _one(session, access_t, access_t.c.user_id == user["id"])
        pet = await _one(session, pets_t, pets_t.c.id == access["pet_id"])
        record = await _one(session, records_t, records_t.c.pet_id == pet["id"])
        reminder = await _one(
            session,
            reminders_t,
            reminders_t.c.record_id == record["id"],
            reminders_t.c.step == Step.DUE.value,
        )
        user_ids = await _insert(
            session,
            users_t,
            _copies(
                users_t,
                user,
                [{}] * count,
                telegram_id=telegram_ids,
                first_name=[f"Owner {n}" for n in range(count)],
            ),
        )
        by_user = [{"users": user_id} for user_id in user_ids]
        for role in role_rows:
            # user_roles has no id column: a plain insert of the copies.
            copies = _copies(roles_t, role, by_user)
            for start in range(0, len(copies), INSERT_CHUNK):
                await session.execute(sa.insert(roles_t), copies[start : start + INSERT_CHUNK])
        pet_ids = await _insert(session, pets_t, _copies(pets_t, pet, by_user))
        by_pet = [{"users": u, "pets": p} for u, p in zip(user_ids, pet_ids, strict=True)]
        await _insert(session, access_t, _copies(access_t, access, by_pet))
        record_ids = await _insert(session, records_t, _copies(records_t, record, by_pet))
        await session.commit()
    for telegram_id in telegram_ids:
        emulator(sandbox).add_user("Owner", user_id=telegram_id, language_code="en")
    message = DueDateMessage(
        reminder_id=0,
        telegram_id=0,
        language=user["language"],
        step=Step.DUE.value,
        record_kind=RecordKind(record["kind"]),
        pet_name=pet["name"],
        title=record["title"],
        next_due=record["next_due_at"].date(),
    )
    return Recipients(telegram_ids, user_ids, pet_ids, record_ids, reminder, message)


async def seed_due(
    sandbox: RunningSandbox, recipients: Recipients, first: int | None = None
) -> dict[int, int]:
    """One reminder row per recipient (the `first` ones), due a minute ago:
    {reminder id: telegram id}."""
    reminders_t = REMINDERS
    due_at = sandbox.clock.now() - timedelta(minutes=1)
    by_recipient = [
        {"users": u, "pets": p, "medical_records": r}
        for u, p, r in zip(
            recipients.user_ids, recipients.pet_ids, recipients.record_ids, strict=True
        )
    ][:first]
    count = len(by_recipient)
    rows = _copies(
        reminders_t,
        recipients.template_reminder,
        by_recipient,
        due_at=[due_at] * count,
        schedule_id=[None] * count,
        claimed_at=[None] * count,
        claim_token=[None] * count,
    )
    async with sandbox.bot_app.container() as request:
        session = await request.get(AsyncSession)
        ids = await _insert(session, reminders_t, rows)
        await session.commit()
    return dict(zip(ids, recipients.telegram_ids[:first], strict=True))


def emulator(sandbox: RunningSandbox) -> EmulatorState:
    state: EmulatorState = sandbox.app.state.emulator
    return state


async def stop_periodic_jobs() -> int:
    """Cancel the sandbox's own periodic jobs (module doc: they would race the measurement)."""
    names = {job.name for job in DEFAULT_JOBS}
    tasks = [task for task in asyncio.all_tasks() if task.get_name() in names]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return len(tasks)


# --- checks: every row sent exactly once -------------------------------------------------------


async def check_sent_once(sandbox: RunningSandbox, due: dict[int, int]) -> dict[str, Any]:
    """The database and the emulator agree that each row of `due` was sent once, to its chat."""
    reminders_t = REMINDERS
    states: Counter[str] = Counter()
    ids = list(due)
    async with sandbox.bot_app.container() as request:
        session = await request.get(AsyncSession)
        for start in range(0, len(ids), INSERT_CHUNK):
            rows = await session.execute(
                sa.select(reminders_t.c.sent_at, reminders_t.c.cancelled_at).where(
                    reminders_t.c.id.in_(ids[start : start + INSERT_CHUNK])
                )
            )
            for sent_at, cancelled_at in rows:
                if cancelled_at is not None:
                    states["cancelled"] += 1
                elif sent_at is not None:
                    states["sent"] += 1
                else:
                    states["pending"] += 1
    shown: Counter[int] = Counter()
    wrong_chat = 0
    state = emulator(sandbox)
    for telegram_id in set(due.values()):
        for message in state.chat(telegram_id).messages:
            reminder_id = _reminder_shown(message.reply_markup)
            if message.sender.id != state.bot.id or reminder_id not in due:
                continue
            shown[reminder_id] += 1
            wrong_chat += due[reminder_id] != telegram_id
    return {
        "rows": len(due),
        "db_sent": states["sent"],
        "db_cancelled": states["cancelled"],
        "db_pending": states["pending"],
        "emulator_shown_once": sum(1 for reminder_id in due if shown[reminder_id] == 1),
        "emulator_shown_twice_or_more": sum(1 for count in shown.values() if count > 1),
        "emulator_in_wrong_chat": wrong_chat,
        "sent_exactly_once": (
            states["sent"] == len(due) and all(shown[reminder_id] == 1 for reminder_id in due)
        )
        and wrong_chat == 0,
    }


def _reminder_shown(reply_markup: dict[str, Any] | None) -> int | None:
    rows = (reply_markup or {}).get("inline_keyboard") or []
    data = rows[0][0].get("callback_data") if rows and rows[0] else None
    if not isinstance(data, str) or not data.startswith(f"{ReminderButton.__prefix__}:"):
        return None
    return ReminderButton.unpack(data).reminder_id


# --- the two measurements ----------------------------------------------------------------------


@dataclass
class Run:
    messages: int
    seconds: float
    gaps_ms: list[float]
    retry_after: int = 0
    most_in_1s: int = 0
    report: DeliveryReport | None = None

    @property
    def per_s(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0


async def send_due(sandbox: RunningSandbox, log: SendLog) -> Run:
    log.reset()
    started = time.perf_counter()
    # The scheduler job's own round: its concurrent runs (DeliveryPolicy.senders).
    report = await send_due_reminders(sandbox.bot_app.container)
    seconds = time.perf_counter() - started
    return Run(
        messages=len(log.answered_at),
        seconds=seconds,
        gaps_ms=gaps_ms(started, log.answered_at),
        retry_after=log.retry_after,
        most_in_1s=most_in_one_second(log.answered_at),
        report=report,
    )


async def send_plain(
    sandbox: RunningSandbox,
    log: SendLog,
    chats: list[int],
    text: str,
    keyboard: InlineKeyboardMarkup,
) -> Run:
    log.reset()
    started = time.perf_counter()
    for chat_id in chats:
        # As BotReminderSender sends: known reachable, so no blocked-user read per message.
        with reachable(chat_id):
            await sandbox.bot.send_message(chat_id, text, reply_markup=keyboard)
    seconds = time.perf_counter() - started
    return Run(len(log.answered_at), seconds, gaps_ms(started, log.answered_at), log.retry_after)


async def plain_message(
    sandbox: RunningSandbox, recipients: Recipients
) -> tuple[str, InlineKeyboardMarkup]:
    """A reminder's own text and keyboard, its callback data marked as not a reminder's."""
    async with sandbox.bot_app.container() as request:
        sender = await request.get(ReminderSender)
    assert isinstance(sender, BotReminderSender)
    text, keyboard = sender.render(recipients.message)
    rows = [
        [
            InlineKeyboardButton(text=button.text, callback_data=f"plain:{button.callback_data}")
            for button in row
        ]
        for row in keyboard.inline_keyboard
    ]
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def report_of(run: Run) -> dict[str, Any]:
    assert run.report is not None
    return {
        "sent": run.report.sent,
        "failed": run.report.failed,
        "skipped": {str(reason): count for reason, count in run.report.skipped.items()},
        "handed_back": run.report.handed_back,
    }


def summarise(runs: list[Run]) -> dict[str, Any]:
    gaps = [gap for run in runs for gap in run.gaps_ms]
    return {
        "msgs_per_s": round(statistics.median(run.per_s for run in runs), 1),
        "p50_ms_per_msg": percentile(gaps, 0.50),
        "p99_ms_per_msg": percentile(gaps, 0.99),
        "messages": sum(run.messages for run in runs),
        "retry_after_answers": sum(run.retry_after for run in runs),
        "per_repetition_msgs_per_s": [round(run.per_s, 1) for run in runs],
    }


async def run_throughput(settings: Settings, args: argparse.Namespace) -> dict[str, Any]:
    outbound = NO_PACING
    settings = settings.model_copy(update={"outbound": outbound})
    async with sandbox_with_log(settings, args.rtt_ms) as (sandbox, log):
        emulator(sandbox).flood = FloodControl(NO_FLOOD_LIMIT)
        seeded = time.perf_counter()
        recipients = await seed_recipients(sandbox, args.rows)
        seed_s = time.perf_counter() - seeded
        text, keyboard = await plain_message(sandbox, recipients)
        # One round of each, unmeasured: connections, caches, first-use imports.
        due_rows = await seed_due(sandbox, recipients, first=WARM_UP)
        await send_due(sandbox, log)
        await send_plain(sandbox, log, recipients.telegram_ids[:WARM_UP], text, keyboard)
        runs: dict[str, list[Run]] = {"plain": [], "reminders": []}
        for repetition in range(args.repeat):
            order = ("plain", "reminders") if repetition % 2 == 0 else ("reminders", "plain")
            for mode in order:
                if mode == "plain":
                    measured = await send_plain(
                        sandbox, log, recipients.telegram_ids, text, keyboard
                    )
                else:
                    due = await seed_due(sandbox, recipients)
                    due_rows.update(due)
                    measured = await send_due(sandbox, log)
                runs[mode].append(measured)
        checked = await check_sent_once(sandbox, due_rows)
    ratios = [
        reminders.per_s / plain.per_s
        for reminders, plain in zip(runs["reminders"], runs["plain"], strict=True)
    ]
    return {
        "rows_per_repetition": args.rows,
        "warm_up_rows": WARM_UP,
        "seed_s": round(seed_s, 1),
        "plain": summarise(runs["plain"]),
        "reminders": {
            **summarise(runs["reminders"]),
            "reports": [report_of(run) for run in runs["reminders"]],
        },
        "ratio_reminders_to_plain": round(statistics.median(ratios), 3),
        "per_repetition_ratio": [round(ratio, 3) for ratio in ratios],
        "check": checked,
    }


async def run_limits(settings: Settings, args: argparse.Namespace) -> dict[str, Any]:
    # Telegram's limits as they are: the default pacing and the emulator's default flood control.
    outbound = OutboundSection()
    settings = settings.model_copy(update={"outbound": outbound})
    async with sandbox_with_log(settings, args.rtt_ms) as (sandbox, log):
        seeded = time.perf_counter()
        recipients = await seed_recipients(sandbox, args.reminders)
        due = await seed_due(sandbox, recipients)
        seed_s = time.perf_counter() - seeded
        measured = await send_due(sandbox, log)
        checked = await check_sent_once(sandbox, due)
    return {
        "reminders": args.reminders,
        "seed_s": round(seed_s, 1),
        "outbound_pacing_per_s": outbound.global_rate_per_s,
        "outbound_burst": outbound.global_burst,
        "wall_s": round(measured.seconds, 2),
        "msgs_per_s": round(measured.per_s, 2),
        "share_of_telegram_30_per_s": round(measured.per_s / TELEGRAM_GLOBAL_PER_S, 3),
        "most_in_any_1s": measured.most_in_1s,
        "retry_after_answers": measured.retry_after,
        "p50_ms_per_msg": percentile(measured.gaps_ms, 0.50),
        "p99_ms_per_msg": percentile(measured.gaps_ms, 0.99),
        "report": report_of(measured),
        "check": checked,
    }


@asynccontextmanager
async def sandbox_with_log(
    settings: Settings, rtt_ms: float = 0.0
) -> AsyncIterator[tuple[RunningSandbox, SendLog]]:
    async with running_sandbox(settings, port=0) as sandbox:
        await stop_periodic_jobs()
        log = SendLog()
        # Registered last: the innermost middlewares, next to the HTTP request.
        sandbox.bot.session.middleware(log)
        if rtt_ms:
            sandbox.bot.session.middleware(NetworkDelay(rtt_ms / 1000))
        yield sandbox, log


# --- backends, the run -------------------------------------------------------------------------


@asynccontextmanager
async def backend_settings(backend: str, args: argparse.Namespace) -> AsyncIterator[Settings]:
    with tempfile.TemporaryDirectory() as tmp:
        common: dict[str, Any] = {
            "throttle": ThrottleSection(enabled=False),
            "storage_url": f"file://{Path(tmp) / 'files'}",
        }
        if backend == "sqlite":
            yield Settings(
                _env_file=None,  # type: ignore[call-arg]
                database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'telemed.db'}",
                **common,
            )
            return
        admin_url = make_url(args.database_url)
        database = f"telemed_bench_{uuid.uuid4().hex[:10]}"
        admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
        async with admin.connect() as connection:
            await connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
        database_url = admin_url.set(database=database).render_as_string(hide_password=False)
        try:
            await upgrade_to_head_async(database_url)
            yield Settings(
                _env_file=None,  # type: ignore[call-arg]
                database_url=database_url,
                **common,
            )
        finally:
            async with admin.connect() as connection:
                await connection.execute(
                    sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
                )
            await admin.dispose()


async def run_backend(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    result: dict[str, Any] = {"backend": "SQLite" if backend == "sqlite" else "PostgreSQL"}
    for mode, measure in (("throughput", run_throughput), ("limits", run_limits)):
        if mode in args.modes:
            # A fresh database per mode: the second one's recipients would collide otherwise.
            async with backend_settings(backend, args) as settings:
                started = time.perf_counter()
                result[mode] = {**await measure(settings, args)}
                result[mode]["run_s"] = round(time.perf_counter() - started, 1)
    return result


async def run(args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    backends = [await run_backend(backend, args) for backend in args.backends]
    return {
        "modes": sorted(args.modes),
        "repeat": args.repeat,
        "rtt_ms": args.rtt_ms,
        "backends": backends,
        "run_s": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite", help="sqlite and/or postgres")
    parser.add_argument("--modes", default="throughput,limits", help="throughput and/or limits")
    parser.add_argument(
        "--rows", type=int, default=1000, help="throughput: due rows (and recipients) per run"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="throughput: interleaved repetitions"
    )
    parser.add_argument(
        "--reminders",
        type=int,
        default=2000,
        help="limits: rows due at once (issue #12's full run: 10000, ~7 min at 25/s)",
    )
    parser.add_argument(
        "--database-url", default=DEFAULT_DATABASE_URL, help="a server for a throw-away database"
    )
    parser.add_argument(
        "--rtt-ms",
        type=float,
        default=0.0,
        help="added before each Bot API call: a round trip to Telegram (loopback: ~0)",
    )
    parser.add_argument("--short", action="store_true", help="a breakage check, < 60 s (CI)")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args()
    if args.short:
        args.backends, args.rows, args.repeat, args.reminders = "sqlite", 100, 1, 120
    args.backends = [name.strip() for name in args.backends.split(",") if name.strip()]
    unknown = set(args.backends) - {"sqlite", "postgres"}
    if unknown:
        parser.error(f"unknown backends: {sorted(unknown)}")
    args.modes = {name.strip() for name in args.modes.split(",") if name.strip()}
    if args.modes - {"throughput", "limits"}:
        parser.error(f"unknown modes: {sorted(args.modes - {'throughput', 'limits'})}")
    text = json.dumps(asyncio.run(run(args)), indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
