"""Where the Mini App API lives, and the URLs of its file routes (root-relative).

Responses name files by these URLs only; the front end fetches them with its bearer token
(an `<img src>` cannot send one: fetch, then `URL.createObjectURL`).
"""

from __future__ import annotations

from typing import Final

MINIAPP_API_PREFIX: Final = "/miniapp/api"


def pet_photo_url(pet_id: int) -> str:
    return f"{MINIAPP_API_PREFIX}/files/pets/{pet_id}/photo"


def record_file_url(record_id: int) -> str:
    return f"{MINIAPP_API_PREFIX}/files/records/{record_id}"


def check_photo_url(check_id: int, position: int) -> str:
    return f"{MINIAPP_API_PREFIX}/files/checks/{check_id}/photos/{position}"
