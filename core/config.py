"""Settings of every process, read from the environment (and an optional `.env`).

The documented variables (`BOT_TOKEN`, `DATABASE_URL`, `REDIS_URL`, `STORAGE_URL`,
`AI_MODEL_PATH`, `WEBAPP_URL`) are flat on purpose: they are the public contract of DESIGN.md.
Tunables of one area live in nested sections, set as `SECTION__FIELD` (e.g. `BOT__THROTTLE_RATE`).

Each composition root builds one `Settings` and injects it; nothing imports a global instance.
pydantic-settings is a configuration library, not a framework, so `core` may use it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LOCALES_DIR = PROJECT_ROOT / "locales"


class BotSection(BaseModel):
    """How the bot process talks to Telegram."""

    # The emulator or a self-hosted Bot API server; unset means api.telegram.org.
    api_base_url: str | None = None
    # A webhook secret is required by the webhook endpoint; polling ignores it.
    webhook_secret: SecretStr | None = None
    webhook_path: str = "/telegram/webhook"
    # Telegram's updates are a few KB (a message's text is at most 4096 characters); a body
    # beyond this is refused with 413 before it is read whole.
    webhook_max_body_bytes: int = Field(default=1024 * 1024, ge=64 * 1024)
    # Dialog state of a form left open (Redis only): forgotten after this long without a step,
    # so abandoned forms do not pile up. The next tap on its buttons gets the stale-button hint.
    fsm_ttl_s: int = Field(default=7 * 24 * 3600, ge=3600)


class OutboundSection(BaseModel):
    """Pacing and flood-control retries of every Bot API call (bot.outbound).

    Telegram asks bots to stay under about one message per second in a chat and 30 per second
    overall, and answers 429 with `retry_after` beyond that:
    https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
    """

    # Sustained rate and burst per private chat: a dialog step may send a few messages at once.
    chat_rate_per_s: float = Field(default=1.0, gt=0)
    chat_burst: int = Field(default=5, ge=1)
    # Overall: a burst of 5 on top of 25/s keeps any one-second window at 30 messages or less.
    global_rate_per_s: float = Field(default=25.0, gt=0)
    global_burst: int = Field(default=5, ge=1)
    # A 429 is waited out and retried this many times, as long as the waits add up to no more
    # than max_retry_wait_s; then the error reaches the caller (a handler must not hang).
    max_retries: int = Field(default=3, ge=0)
    max_retry_wait_s: float = Field(default=60.0, ge=0)


class AiSection(BaseModel):
    """The photo model in workers: micro-batching and device."""

    # Requests arriving together run as one forward pass: up to max_batch images, waiting at
    # most max_wait_ms for the batch to fill.
    max_batch: int = Field(default=16, ge=1, le=512)
    max_wait_ms: float = Field(default=10.0, ge=0, le=1000)
    device: str = "auto"  # "auto" = CUDA with bf16 when present, else CPU float32
    # Where JPEGs are decoded (ai/device_decode.py): "auto" = on the GPU when the model runs on
    # CUDA and torchvision (the `gpu` extra) can decode there, else on the host's cores;
    # "device" fails at start-up without torchvision.
    decode: Literal["auto", "host", "device"] = "auto"


class QueueSection(BaseModel):
    # An unacknowledged task older than this is presumed lost with its worker and redelivered;
    # it must exceed the slowest photo analysis.
    idle_timeout_s: float = Field(default=120.0, gt=0)
    # At least the model's batch size, or batches never fill (STACK-NOTES.md).
    max_async_tasks: int = Field(default=64, ge=1)
    # The Redis stream of photo-analysis tasks; one per deployment (or per test run).
    stream: str = "telemed:ai"
    # A worker that cannot read the queue (Redis down or restarted) retries after
    # base·2ⁿ seconds with jitter, at most cap; repeated errors are summarised once per
    # error_summary_every_s, not logged per retry.
    retry_base_s: float = Field(default=0.1, gt=0)
    retry_cap_s: float = Field(default=10.0, gt=0)
    error_summary_every_s: float = Field(default=60.0, gt=0)
    # A check not delivered this long after its last change is queued again (its task may have
    # been lost with a Redis restart). Above idle_timeout_s: the queue redelivers first.
    requeue_after_s: float = Field(default=600.0, gt=0)
    # ...but not forever: a result this late is of no use, and a check that keeps failing
    # must not be retried without end.
    requeue_max_age_s: float = Field(default=24 * 3600.0, gt=0)


class BookingSection(BaseModel):
    """Video consultations: holds, payment and refund rules."""

    # A chosen slot is held this long while the owner pays; then it is free again.
    hold_minutes: int = Field(default=10, ge=1, le=60)
    # Pre-checkout extends a hold to at least this much, so paying never races the expiry.
    checkout_grace_minutes: int = Field(default=3, ge=1, le=30)
    # Owners cancelling at least this long before the start get a full refund.
    refund_cutoff_hours: int = Field(default=24, ge=0)
    # A vet not in the call this long after the start is a no-show: automatic refund.
    no_show_grace_minutes: int = Field(default=10, ge=1)
    # How far ahead owners can book; slots are published this far.
    days_ahead: int = Field(default=14, ge=1, le=90)
    # A payment provider token from BotFather switches Stars (XTR) to fiat payments.
    provider_token: SecretStr | None = None


class MiniAppSection(BaseModel):
    """The Mini App's API (webapp/miniapp): sign-in, sessions and who may read what, when."""

    # Telegram signs initData when the Mini App opens; older data is refused, so a leaked
    # string stops working. See "Validating data received via the Mini App" in
    # https://core.telegram.org/bots/webapps (auth_date).
    init_data_max_age_s: int = Field(default=3600, ge=60)
    # The API's own bearer token lives this long; the Mini App signs in again with its
    # initData after that (until initData itself is too old).
    session_ttl_s: int = Field(default=1800, ge=60, le=24 * 3600)
    # The key that signs session tokens. Unset: derived from the bot token, so every replica
    # agrees without more configuration; set it to rotate sessions without a new bot token.
    secret: SecretStr | None = None
    # The booked vet reads the brief and the pet's card from this long before the start...
    brief_opens_minutes_before: int = Field(default=30, ge=0, le=24 * 60)
    # ...until this long after the end: the report is written after the call, often later the
    # same day, with the card and the check at hand. A day bounds what the owner shared by
    # booking; later the vet may only write the report (a later slice), not read.
    brief_closes_hours_after: int = Field(default=24, ge=0, le=7 * 24)
    # The call may be joined from this long before the start (the "Join" button is sent then)
    # until this long after the end (a call that overran, a reconnect after a drop).
    call_opens_minutes_before: int = Field(default=10, ge=0, le=120)
    call_closes_minutes_after: int = Field(default=15, ge=0, le=240)
    # The page loads Telegram's own script, as every Mini App does
    # (https://core.telegram.org/bots/webapps#initializing-mini-apps); the sandbox serves its
    # stand-in instead. Its origin is the only other one the page's CSP lets scripts come from.
    telegram_script_url: str = "https://telegram.org/js/telegram-web-app.js"


class VideoSection(BaseModel):
    """The video room of a consultation (core.ports.video): which provider, and how the
    browsers reach each other.

    `builtin` (the default) needs no outside service: 1:1 WebRTC between the two Mini App
    pages, with the ICE servers below. Nothing in the default reaches the internet (tests and
    the sandbox run offline): with no ICE servers the browsers still connect on one machine or
    one LAN. Production lists its STUN/TURN servers, e.g.
    `VIDEO__ICE_SERVERS=stun:turn.example.org:3478,turn:turn.example.org:3478?transport=udp`.
    """

    # `daily`: Daily.co (bot/video/daily.py), configured in the DAILY__* section.
    provider: Literal["builtin", "daily"] = "builtin"
    # STUN/TURN URLs (RFC 7064/7065 `stun:`, `turns:`...), as a JSON list or separated by
    # commas or spaces.
    ice_servers: Annotated[tuple[str, ...], NoDecode] = ()
    # coturn's `static-auth-secret` (run with `use-auth-secret`): each participant then gets
    # TURN credentials of their own that expire by themselves. Unset: the TURN URLs are given
    # without credentials (a TURN server that allows anonymous use, or none).
    turn_secret: SecretStr | None = None
    # How long issued TURN credentials stay valid: long enough for a whole call, because
    # coturn checks them again when an allocation is refreshed; a reconnect gets new ones.
    turn_ttl_s: int = Field(default=2 * 3600, ge=60, le=24 * 3600)
    # A room the provider failed to create is tried again after 30 s, then twice as long
    # each time, never waiting longer than this (the scheduler runs the job every 30 s).
    room_retry_max_s: int = Field(default=120, ge=30, le=3600)

    @field_validator("ice_servers", mode="before")
    @classmethod
    def _parse_ice_servers(cls, value: object) -> object:
        # An env file reads better with "a,b" than with a JSON list; accept both.
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return tuple(text.replace(",", " ").split())
        return value


class DailySection(BaseModel):
    """Daily.co, when VIDEO__PROVIDER=daily (bot/video/daily.py): its REST API and webhooks.

    https://docs.daily.co/reference/rest-api
    """

    # The domain's API key (dashboard → Developers); required with VIDEO__PROVIDER=daily.
    api_key: SecretStr | None = None
    api_url: str = "https://api.daily.co/v1"
    # The `hmac` of the webhook registered with `POST /webhooks` (base64, as Daily gives it).
    # Unset: POST /webhooks/daily is not served; the duration then comes from the meetings
    # API alone when the room is closed.
    webhook_secret: SecretStr | None = None
    # A webhook whose X-Webhook-Timestamp is further than this from our clock is refused
    # (a replayed delivery).
    webhook_tolerance_s: int = Field(default=300, ge=30, le=3600)
    # The scheduler calls Daily between other work: a slow answer is a failure to retry later.
    connect_timeout_s: float = Field(default=5.0, gt=0, le=60)
    read_timeout_s: float = Field(default=10.0, gt=0, le=120)
    # A consultation is one owner-side and one vet; a co-owner instead of the owner still fits.
    # Raise it to let a co-owner join alongside the owner.
    max_participants: int = Field(default=2, ge=2, le=10)


class ThrottleSection(BaseModel):
    """Per-user rate limits of incoming updates and invite-code attempts (bot.throttling).

    Counted in Redis when REDIS_URL is set (every replica together), else in the process.
    """

    # Off: neither updates nor invite codes are limited (tests of other features turn it off).
    enabled: bool = True
    # Updates per user: a burst (an album of 10 photos, quick taps through a dialog) and a
    # sustained rate. Beyond it updates are dropped before any database work.
    rate_per_s: float = Field(default=1.0, gt=0)
    burst: int = Field(default=20, ge=1)
    # A throttled user is told once, then not again for this long however much they send.
    notice_interval_s: float = Field(default=60.0, gt=0)
    # Wrong invite codes a user may try in a window; then no code of theirs is checked until
    # the window, opened by their first wrong code, is over.
    invite_attempts: int = Field(default=5, ge=1)
    invite_window_s: float = Field(default=3600.0, gt=0)


class UploadsSection(BaseModel):
    """Pending uploads (files received in a form not yet saved) and the per-user storage quota.

    A file sent in a form is stored at once and kept only if the form is saved: an unsaved one
    is removed after `pending_ttl_s`. `user_quota_bytes` bounds one user's stored uploads,
    pending ones included (a document is at most 20 MiB, the Bot API's download limit).
    """

    pending_ttl_s: int = Field(default=24 * 3600, ge=60)
    user_quota_bytes: int = Field(default=200 * 1024 * 1024, ge=1)


class ImagesSection(BaseModel):
    """Bounds on decoding pictures: pixels per image and decodes running at once.

    See `core.image_work`: the pixel caps are checked on the header before any pixel is
    decoded (JPEGs decode at a reduced scale, other formats whole, hence their lower cap);
    `decode_concurrency` is the size of the one pool every decode of a process goes through.
    """

    max_pixels: int = Field(default=50_000_000, ge=1_000_000)
    max_full_decode_pixels: int = Field(default=16_000_000, ge=1_000_000)
    max_document_pixels: int = Field(default=24_000_000, ge=1_000_000)
    decode_concurrency: int = Field(default=2, ge=1, le=32)


class WebappSection(BaseModel):
    """The FastAPI process (webhook and Mini App)."""

    # The API schema tells a stranger every route and field; production does not publish it.
    serve_openapi: bool = False


class SandboxSection(BaseModel):
    host: str = "127.0.0.1"
    port: int = 8080


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_nested_delimiter="__",
        extra="ignore",
    )

    bot_token: SecretStr | None = None
    database_url: str = "sqlite+aiosqlite:///var/telemed.db"
    # Unset: FSM, queue and locks stay in-process (one process only).
    redis_url: str | None = None
    storage_url: str = "file://var/files"
    s3_endpoint_url: str | None = None
    # A local Hugging Face checkpoint directory; unset means rules-only triage.
    ai_model_path: Path | None = None
    webapp_url: str | None = None
    # Telegram ids that get the admin role on their next update.
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(default_factory=frozenset)
    # Where /paysupport questions go (a group's chat id); unset: to every admin's private chat.
    support_chat_id: int | None = None
    locales_dir: Path = DEFAULT_LOCALES_DIR

    # Create the S3 bucket at start (sandbox, tests); production buckets are made by ops.
    storage_create_bucket: bool = False

    bot: BotSection = Field(default_factory=BotSection)
    outbound: OutboundSection = Field(default_factory=OutboundSection)
    ai: AiSection = Field(default_factory=AiSection)
    queue: QueueSection = Field(default_factory=QueueSection)
    booking: BookingSection = Field(default_factory=BookingSection)
    sandbox: SandboxSection = Field(default_factory=SandboxSection)
    miniapp: MiniAppSection = Field(default_factory=MiniAppSection)
    video: VideoSection = Field(default_factory=VideoSection)
    daily: DailySection = Field(default_factory=DailySection)
    throttle: ThrottleSection = Field(default_factory=ThrottleSection)
    uploads: UploadsSection = Field(default_factory=UploadsSection)
    images: ImagesSection = Field(default_factory=ImagesSection)
    webapp: WebappSection = Field(default_factory=WebappSection)

    @field_validator(
        "bot_token", "redis_url", "s3_endpoint_url", "ai_model_path", "webapp_url", mode="before"
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # `REDIS_URL=` in an env file means "not configured", not "connect to ''".
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: object) -> object:
        # "1,2 3" reads better in an env file than a JSON list; accept both.
        if isinstance(value, str):
            parts = value.replace(",", " ").split()
            return frozenset(int(part) for part in parts)
        return value

    @model_validator(mode="after")
    def _daily_needs_a_key(self) -> Settings:
        # Refused at start rather than at the first room the scheduler fails to make.
        if self.video.provider == "daily" and (
            self.daily.api_key is None or not self.daily.api_key.get_secret_value().strip()
        ):
            raise ValueError("VIDEO__PROVIDER=daily needs DAILY__API_KEY (Daily's REST API key)")
        return self

    def require_bot_token(self) -> str:
        if self.bot_token is None or not self.bot_token.get_secret_value().strip():
            raise MissingSettingError("BOT_TOKEN")
        return self.bot_token.get_secret_value()


class MissingSettingError(RuntimeError):
    def __init__(self, name: str) -> None:
        super().__init__(f"{name} is not set; see the configuration table in README.md")
        self.name = name
