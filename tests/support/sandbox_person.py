"""A person in the sandbox's web chat, driven through the control API over real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx

Message = dict[str, Any]


def keyboard(message: Message) -> list[list[dict[str, Any]]]:
    return list((message.get("reply_markup") or {}).get("inline_keyboard", []))


def button_texts(message: Message) -> list[str]:
    return [button["text"] for row in keyboard(message) for button in row]


def text_of(message: Message) -> str:
    return str(message.get("text") or message.get("caption") or "")


class SandboxPerson:
    def __init__(self, api: httpx.AsyncClient, user_id: int) -> None:
        self.api = api
        self.id = user_id

    @classmethod
    async def join(
        cls, api: httpx.AsyncClient, first_name: str, language_code: str | None = None
    ) -> SandboxPerson:
        response = await api.post(
            "/sandbox/api/users", json={"first_name": first_name, "language_code": language_code}
        )
        response.raise_for_status()
        return cls(api, int(response.json()["id"]))

    async def say(self, text: str) -> int:
        response = await self.api.post(
            f"/sandbox/api/users/{self.id}/messages", json={"text": text}
        )
        response.raise_for_status()
        return int(response.json()["message_id"])

    async def send_file(self, field: str, name: str, data: bytes, content_type: str) -> None:
        response = await self.api.post(
            f"/sandbox/api/users/{self.id}/messages", files={field: (name, data, content_type)}
        )
        response.raise_for_status()

    async def bot_messages(self, after: int = 0) -> list[Message]:
        """The bot's messages as the chat shows them now (edits applied, deletions gone)."""
        response = await self.api.get(
            f"/sandbox/api/chats/{self.id}/messages", params={"after": after, "wait": 1}
        )
        response.raise_for_status()
        return [m for m in response.json() if m["from_bot"] and not m["deleted"]]

    async def wait_for(
        self, predicate: Callable[[Message], bool], *, timeout_s: float = 20
    ) -> Message:
        """The newest bot message that satisfies `predicate`, waiting for it to appear."""
        deadline = asyncio.get_running_loop().time() + timeout_s
        seen: list[Message] = []
        while asyncio.get_running_loop().time() < deadline:
            seen = await self.bot_messages()
            for message in reversed(seen):
                if predicate(message):
                    return message
            await asyncio.sleep(0.1)
        raise AssertionError(f"no such bot message; the chat shows {[text_of(m) for m in seen]}")

    async def wait_for_text(self, fragment: str) -> Message:
        return await self.wait_for(lambda message: fragment in text_of(message))

    async def press(self, label: str) -> dict[str, Any]:
        """Press the button whose text contains `label`, on the newest message showing it."""
        message = await self.wait_for(
            lambda candidate: any(label in text for text in button_texts(candidate))
        )
        button = next(text for text in button_texts(message) if label in text)
        response = await self.api.post(
            f"/sandbox/api/users/{self.id}/callbacks",
            json={"message_id": message["message_id"], "button_text": button},
        )
        response.raise_for_status()
        return dict(response.json())

    async def onboard(self, language_button: str, continue_label: str, agree_label: str) -> None:
        await self.say("/start")
        await self.press(language_button)
        await self.press(continue_label)
        await self.press(agree_label)
