from typing import Any

from sandbox.emulator.blocking import ensure_not_blocked
from sandbox.emulator.errors import (
    MESSAGE_ID_INVALID,
    MESSAGE_TO_DELETE_NOT_FOUND,
    bad_request,
)
from sandbox.emulator.limits import check_deletable
from sandbox.emulator.methods.common import (
    admit_new_message,
    apply_edit,
    caption,
    edited_reply_markup,
    message_text,
    message_to_edit,
    replied_message,
    split_reply_markup,
    without,
)
from sandbox.emulator.methods.registry import bot_method
from sandbox.emulator.params import Params
from sandbox.emulator.state import EmulatorState

_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


@bot_method("sendMessage")
async def send_message(state: EmulatorState, params: Params) -> dict[str, Any]:
    chat = state.chat(params.chat_id())
    content = message_text(params)
    inline, keyboard = split_reply_markup(state, params)
    reply_to = replied_message(chat, params)
    admit_new_message(state, chat)
    message = state.add_message(
        chat, state.bot, content, reply_markup=inline, keyboard=keyboard, reply_to=reply_to
    )
    return message.to_api()


@bot_method("editMessageText")
async def edit_message_text(state: EmulatorState, params: Params) -> dict[str, Any]:
    message = message_to_edit(state, params)
    if "text" not in message.content:
        raise bad_request("there is no text in the message to edit")
    content = {**without(message.content, "text", "entities"), **message_text(params)}
    # Telegram drops the inline keyboard when an edit does not repeat it.
    markup = edited_reply_markup(state, params)
    return apply_edit(state, message, content, markup)


@bot_method("editMessageCaption")
async def edit_message_caption(state: EmulatorState, params: Params) -> dict[str, Any]:
    message = message_to_edit(state, params)
    if not {"photo", "document"} & message.content.keys():
        raise bad_request("there is no caption in the message to edit")
    content = {**without(message.content, "caption", "caption_entities"), **caption(params)}
    markup = edited_reply_markup(state, params)
    return apply_edit(state, message, content, markup)


@bot_method("editMessageReplyMarkup")
async def edit_message_reply_markup(state: EmulatorState, params: Params) -> dict[str, Any]:
    message = message_to_edit(state, params)
    markup = edited_reply_markup(state, params)
    return apply_edit(state, message, message.content, markup)


@bot_method("deleteMessage")
async def delete_message(state: EmulatorState, params: Params) -> bool:
    message_id = params.get_int("message_id")
    if message_id is None or message_id <= 0:
        raise bad_request(MESSAGE_ID_INVALID)
    chat = state.chat(params.chat_id())
    message = chat.find(message_id)
    # In private chats a bot may delete both its own and the user's messages.
    if message is None or message.deleted:
        raise bad_request(MESSAGE_TO_DELETE_NOT_FOUND)
    check_deletable(message.date, state.clock())
    message.deleted = True
    state.touch(message)
    return True


@bot_method("sendChatAction")
async def send_chat_action(state: EmulatorState, params: Params) -> bool:
    chat = state.chat(params.chat_id())
    if params.get_str("action") not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    # A chat action is no message: no flood control, but a blocked user refuses it too.
    ensure_not_blocked(chat.user)
    return True


@bot_method("getChat")
async def get_chat(state: EmulatorState, params: Params) -> dict[str, Any]:
    # aiogram-dialog's background manager loads the chat this way before it shows a window.
    chat = state.chat(params.chat_id())
    return {
        **chat.user.private_chat(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": True,
            "limited_gifts": True,
            "unique_gifts": True,
            "premium_subscription": True,
            "gifts_from_channels": True,
        },
    }


@bot_method("getChatMember")
async def get_chat_member(state: EmulatorState, params: Params) -> dict[str, Any]:
    chat = state.chat(params.chat_id())
    user_id = params.require_int("user_id")
    if user_id == chat.user.id:
        return {"status": "member", "user": chat.user.to_api()}
    if user_id == state.bot.id:
        return {"status": "member", "user": state.bot.to_api()}
    raise bad_request("user not found")
