from typing import Any

from sandbox.emulator.models import StoredMessage

FILES_URL = "/sandbox/api/files"


def message_view(message: StoredMessage) -> dict[str, Any]:
    """A message's current state for tests and the page: the Bot API Message plus flags."""
    view = message.to_api()
    view.update(
        from_bot=message.from_bot,
        edited=message.edit_date is not None,
        deleted=message.deleted,
        revision=message.revision,
    )
    # Reply keyboards are not part of a Bot API Message, but the page has to show them.
    markup = message.reply_markup or message.keyboard
    if markup:
        view["reply_markup"] = markup
    if "photo" in message.content:
        view["file_url"] = f"{FILES_URL}/{message.content['photo'][-1]['file_id']}"
    elif "document" in message.content:
        view["file_url"] = f"{FILES_URL}/{message.content['document']['file_id']}"
    return view
