from typing import Any

from sandbox.emulator.errors import bad_request
from sandbox.emulator.limits import check_photo
from sandbox.emulator.methods.common import (
    admit_new_message,
    apply_edit,
    caption,
    caption_content,
    edited_reply_markup,
    message_to_edit,
    replied_message,
    split_reply_markup,
    without,
)
from sandbox.emulator.methods.registry import bot_method
from sandbox.emulator.params import Params, Upload
from sandbox.emulator.state import EmulatorState

_MEDIA_KEYS = ("photo", "document", "caption", "caption_entities")


async def _fetch_url(reference: Upload | str) -> Upload | str:
    """Telegram downloads http(s) URLs itself; the sandbox can reach only local ones."""
    if isinstance(reference, Upload) or not reference.startswith(("http://", "https://")):
        return reference
    # Imported here: httpx is ~35 ms of the sandbox's start, and bots rarely send URLs.
    import httpx

    try:
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.get(reference)
            response.raise_for_status()
    except httpx.HTTPError as exc:
        raise bad_request("failed to get HTTP URL content") from exc
    name = reference.rstrip("/").rsplit("/", 1)[-1] or "file"
    return Upload(name, response.headers.get("content-type"), response.content)


async def _media_content(
    state: EmulatorState, kind: str, reference: Upload | str
) -> dict[str, Any]:
    reference = await _fetch_url(reference)
    if kind == "photo":
        if isinstance(reference, Upload):  # a file_id was checked when it was first sent
            check_photo(reference.data)
        return {"photo": state.files.photo_by_reference(reference)}
    return {"document": state.files.document_by_reference(reference)}


async def _send_media(state: EmulatorState, params: Params, kind: str) -> dict[str, Any]:
    chat = state.chat(params.chat_id())
    reference = params.input_file(kind)
    if reference is None:
        raise bad_request(f"there is no {kind} in the request")
    content = {**await _media_content(state, kind, reference), **caption(params)}
    inline, keyboard = split_reply_markup(state, params)
    reply_to = replied_message(chat, params)
    admit_new_message(state, chat)
    message = state.add_message(
        chat, state.bot, content, reply_markup=inline, keyboard=keyboard, reply_to=reply_to
    )
    return message.to_api()


@bot_method("sendPhoto")
async def send_photo(state: EmulatorState, params: Params) -> dict[str, Any]:
    return await _send_media(state, params, "photo")


@bot_method("sendDocument")
async def send_document(state: EmulatorState, params: Params) -> dict[str, Any]:
    return await _send_media(state, params, "document")


@bot_method("editMessageMedia")
async def edit_message_media(state: EmulatorState, params: Params) -> dict[str, Any]:
    # aiogram-dialog switches between media windows with this method, and from a text window
    # to a media one: since Bot API 7.9 it may also add media to a text message, whose text is
    # then replaced by the new caption.
    message = message_to_edit(state, params)
    media = params.get_json("media")
    if not isinstance(media, dict) or media.get("type") not in ("photo", "document"):
        raise bad_request("can't parse InputMedia JSON object")
    reference = params.resolve_file_reference(str(media.get("media") or ""))
    new_media = await _media_content(state, media["type"], reference)
    # Inside InputMedia everything is already JSON: caption_entities is a list, not a string.
    new_caption = caption_content(
        media.get("caption"), media.get("parse_mode"), media.get("caption_entities")
    )
    content = {
        **without(message.content, *_MEDIA_KEYS, "text", "entities", "link_preview_options"),
        **new_media,
        **new_caption,
    }
    markup = edited_reply_markup(state, params)
    return apply_edit(state, message, content, markup)


@bot_method("getFile")
async def get_file(state: EmulatorState, params: Params) -> dict[str, Any]:
    return state.files.get_file(params.require_str("file_id"))
