"""Bot API parameters as they arrive on the wire.

A method may be called with a GET query, a JSON body, an urlencoded form or a multipart form.
aiogram always sends multipart: nested objects as JSON strings, booleans as "true", numbers as
strings, uploads as ``photo=attach://<key>`` plus a file part named ``<key>``. The accessors
below accept both the native JSON types and those string forms, so method handlers never care.
"""

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request

from sandbox.emulator.errors import BotApiError, bad_request
from sandbox.emulator.limits import check_upload_size

_ATTACH_PREFIX = "attach://"


@dataclass(frozen=True)
class Upload:
    filename: str
    content_type: str | None
    data: bytes


async def _never_disconnected() -> bool:
    return False


class Params:
    def __init__(
        self,
        values: dict[str, Any],
        uploads: dict[str, Upload],
        client_gone: Callable[[], Awaitable[bool]] = _never_disconnected,
    ) -> None:
        self.values = values
        self.uploads = uploads
        # Long polls end early when their client has gone (a stopped bot, a closed page).
        self.client_gone = client_gone

    @classmethod
    async def from_request(cls, request: Request) -> "Params":
        values: dict[str, Any] = dict(request.query_params)
        uploads: dict[str, Upload] = {}
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("application/json"):
            body = await request.body()
            if body:
                try:
                    decoded = json.loads(body)
                except ValueError as exc:
                    raise bad_request("can't parse JSON object") from exc
                if not isinstance(decoded, dict):
                    raise bad_request("can't parse JSON object")
                values.update(decoded)
        elif content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            # Telegram accepts uploads up to 50 MB (checked below, file parts are not limited
            # by Starlette); its limit for plain fields is 1 MB by default.
            form = await request.form(max_part_size=50 * 1024 * 1024)
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    check_upload_size(value.size or 0)  # 413 before reading it into memory
                    uploads[key] = Upload(
                        filename=value.filename or key,
                        content_type=value.content_type,
                        data=await value.read(),
                    )
                else:
                    values[key] = value
        return cls(values, uploads, request.is_disconnected)

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "") or name in self.uploads

    def get_str(
        self, name: str, *, required: bool = False, default: str | None = None
    ) -> str | None:
        value = self.values.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(f"{name} is empty")
            return default
        if isinstance(value, (dict, list)):
            raise bad_request(f'field "{name}" must be of type String')
        return str(value)

    def require_str(self, name: str) -> str:
        value = self.get_str(name, required=True)
        assert value is not None
        return value

    def get_int(self, name: str, *, required: bool = False) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(f"{name} is empty")
            return None
        if isinstance(value, bool):
            raise bad_request(f"invalid {name} specified")
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise bad_request(f"invalid {name} specified") from exc

    def require_int(self, name: str) -> int:
        value = self.get_int(name, required=True)
        assert value is not None
        return value

    def get_bool(self, name: str, *, default: bool = False) -> bool:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("true", "1")

    def get_json(self, name: str) -> Any:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError as exc:
                raise bad_request(f"can't parse {name} JSON object") from exc
        return value

    def chat_id(self) -> int:
        """A chat id; ``@username`` strings are accepted on the wire but no public chat exists."""
        value = self.values.get("chat_id")
        if value is None or value == "":
            raise bad_request("chat_id is empty")
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise bad_request("chat not found") from exc

    def input_file(self, name: str) -> Upload | str | None:
        """An upload (``attach://key`` or a file part named ``name``) or a file_id/URL string."""
        if name in self.uploads:
            return self.uploads[name]
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, dict):
            raise bad_request(f"can't parse {name}")
        return self.resolve_file_reference(str(value))

    def resolve_file_reference(self, value: str) -> Upload | str:
        if value.startswith(_ATTACH_PREFIX):
            key = value.removeprefix(_ATTACH_PREFIX)
            if key not in self.uploads:
                raise bad_request(f'can\'t find attached file "{key}"')
            return self.uploads[key]
        return value

    def loggable(self) -> dict[str, Any]:
        """Parameters for the call log: uploads are summarised, not copied."""
        logged = dict(self.values)
        for key, upload in self.uploads.items():
            logged[key] = {"filename": upload.filename, "size": len(upload.data)}
        return logged


def ensure(condition: bool, error: BotApiError) -> None:
    if not condition:
        raise error
