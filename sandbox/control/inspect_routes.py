"""Looking at what the bot did, and injecting raw updates."""

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request, Response

from sandbox.control.client_text import refuse_lone_surrogates
from sandbox.control.deps import State, find_chat
from sandbox.control.views import message_view
from sandbox.emulator.signals import POLL_SLICE_S, Deadline

router = APIRouter()

_MAX_WAIT_S = 60.0


@router.get("/bot")
async def bot_profile(state: State) -> dict[str, Any]:
    """The bot as users see it (the page's header)."""
    return state.bot.to_api()


@router.get("/chats/{chat_id}/messages")
async def chat_messages(
    chat_id: int,
    state: State,
    request: Request,
    after: int = 0,
    wait: float = Query(default=0, ge=0),
    revision_after: int | None = None,
) -> list[dict[str, Any]]:
    """Messages with message_id > ``after`` in their current state; waits up to ``wait`` s
    for one. With ``revision_after`` (the page's mode), messages created, edited or deleted
    since that revision instead."""
    chat = find_chat(state, chat_id)
    deadline = Deadline(min(wait, _MAX_WAIT_S))
    while True:
        if revision_after is not None:
            found = [m for m in chat.messages if m.revision > revision_after]
        else:
            found = chat.messages[max(after, 0) :]
        if found or deadline.left() == 0 or await request.is_disconnected():
            return [message_view(message) for message in found]
        await state.messages_changed.wait(min(deadline.left(), POLL_SLICE_S))


@router.post("/updates")
async def push_update(update: dict[str, Any], state: State) -> dict[str, int]:
    """Queue a raw Update for the bot; the emulator assigns update_id."""
    update.pop("update_id", None)
    if not update:
        raise HTTPException(422, "the update has no content")
    # Anything else goes through as sent (a NUL included: the bot must cope with it), but not
    # what JSON over UTF-8 cannot carry at all.
    refuse_lone_surrogates(update, "update")
    return {"update_id": state.updates.push(update)}


@router.get("/calls")
async def calls(state: State, method: str | None = None) -> list[dict[str, Any]]:
    """Every Bot API call the bot made (optionally one method's), oldest first."""
    wanted = method.lower() if method else None
    return [
        call.to_json() for call in state.calls if wanted is None or call.method.lower() == wanted
    ]


@router.get("/files/{file_id}")
async def file_content(file_id: str, state: State) -> Response:
    """A photo or document for the page, without the bot token in the URL."""
    stored = state.files.get(file_id)
    if stored is None:
        raise HTTPException(404, "file not found")
    headers = {}
    if stored.file_name:
        headers["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(stored.file_name)}"
    return Response(stored.data, media_type=stored.mime_type, headers=headers)


@router.delete("/files/{file_id}", status_code=204)
async def forget_file(file_id: str, state: State) -> Response:
    """Make a file_id unknown to the Bot API, to simulate Telegram refusing a file_id the bot
    stored: a later send by it answers 400 "wrong file identifier/HTTP URL specified"."""
    if not state.files.forget(file_id):
        raise HTTPException(404, "file not found")
    state.mark_changed()
    return Response(status_code=204)
