"""Users, chats and messages as the emulator keeps them."""

import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class SandboxUser:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False
    # The user stopped the bot: sending to them answers 403 until they write again.
    has_blocked_bot: bool = False
    # What the web chat's user switcher calls one of the sandbox's own users ("owner", "vet",
    # "admin"; sandbox/demo.py); None for users made by hand. Telegram has no such field: it
    # never reaches the bot. Worlds saved before it existed load with None.
    label: str | None = None

    def to_api(self) -> dict[str, Any]:
        user: dict[str, Any] = {
            "id": self.id,
            "is_bot": self.is_bot,
            "first_name": self.first_name,
        }
        for name in ("last_name", "username", "language_code"):
            value = getattr(self, name)
            if value:
                user[name] = value
        return user

    def private_chat(self) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            chat["last_name"] = self.last_name
        if self.username:
            chat["username"] = self.username
        return chat


@dataclass
class StoredMessage:
    message_id: int
    chat: SandboxUser  # chats are private: the chat is the user on the other side of the bot
    sender: SandboxUser
    # Bot API Message fields that make up the content: text/entities, caption, photo, ...
    content: dict[str, Any]
    # Only inline keyboards belong to a message; a reply keyboard (or its removal) is an
    # instruction to the user's client, kept apart so edits never touch it.
    reply_markup: dict[str, Any] | None = None
    keyboard: dict[str, Any] | None = None
    date: int = field(default_factory=lambda: int(time.time()))
    edit_date: int | None = None
    deleted: bool = False
    revision: int = 0
    reply_to: "StoredMessage | None" = None
    # Data the Bot API never shows in the Message (the invoice's payload and prices).
    private: dict[str, Any] = field(default_factory=dict)

    @property
    def from_bot(self) -> bool:
        return self.sender.is_bot

    def to_api(self, *, with_reply: bool = True) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": self.message_id,
            "from": self.sender.to_api(),
            "chat": self.chat.private_chat(),
            "date": self.date,
            **self.content,
        }
        if self.edit_date is not None:
            message["edit_date"] = self.edit_date
        if self.reply_markup:
            message["reply_markup"] = self.reply_markup
        if with_reply and self.reply_to is not None:
            message["reply_to_message"] = self.reply_to.to_api(with_reply=False)
        return message


@dataclass
class Chat:
    user: SandboxUser
    messages: list[StoredMessage] = field(default_factory=list)

    def next_message_id(self) -> int:
        return len(self.messages) + 1

    def find(self, message_id: int) -> StoredMessage | None:
        if 1 <= message_id <= len(self.messages):
            return self.messages[message_id - 1]
        return None


@dataclass
class Charge:
    charge_id: str
    user_id: int
    currency: str
    total_amount: int
    invoice_payload: str
    provider_payment_charge_id: str
    date: int = field(default_factory=lambda: int(time.time()))
    refunded_at: int | None = None


@dataclass
class CallRecord:
    id: int
    method: str
    params: dict[str, Any]
    time: float
    ok: bool
    error_code: int | None = None
    description: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "method": self.method,
            "params": self.params,
            "time": self.time,
            "ok": self.ok,
            "error_code": self.error_code,
            "description": self.description,
        }
