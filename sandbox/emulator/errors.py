"""Bot API errors with Telegram's own texts: aiogram and aiogram-dialog match on them."""

from typing import Any


class BotApiError(Exception):
    def __init__(
        self, error_code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def to_response(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> BotApiError:
    return BotApiError(400, f"Bad Request: {reason}")


NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
MESSAGE_TO_EDIT_NOT_FOUND = "message to edit not found"
MESSAGE_CANT_BE_EDITED = "message can't be edited"
MESSAGE_TO_DELETE_NOT_FOUND = "message to delete not found"
MESSAGE_ID_INVALID = "MESSAGE_ID_INVALID"
QUERY_TOO_OLD = "query is too old and response timeout expired or query id is invalid"
CHAT_NOT_FOUND = "chat not found"
MESSAGE_TEXT_EMPTY = "message text is empty"
MESSAGE_TOO_LONG = "message is too long"
WRONG_FILE_ID = "wrong file identifier/HTTP URL specified"
BUTTON_DATA_INVALID = "BUTTON_DATA_INVALID"
CHARGE_ALREADY_REFUNDED = "CHARGE_ALREADY_REFUNDED"
CHARGE_NOT_FOUND = "CHARGE_NOT_FOUND"
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
POLLING_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
