"""Widget ids, dialog_data keys and message-id builders of the symptom check.

Signs, details, screen items and areas are codes from the rules; their labels are looked up by
id patterns below. `tests/unit/test_check_locales.py` proves every such id exists in each locale.
"""

from __future__ import annotations

from core.interactors.symptom_check import MAX_CHECK_PHOTOS

ID_PETS = "check_pets"
ID_SCREEN = "check_screen"
ID_SIGNS = "check_signs"
ID_AREAS = "check_areas"

KEY_PET = "pet_id"
KEY_AREA = "area"
KEY_DETAILS = "details"
KEY_QUEUE = "queue"
KEY_ASKED = "asked"
KEY_PHOTOS = "photos"
KEY_IDEMPOTENCY = "idempotency_key"

MAX_PHOTOS = MAX_CHECK_PHOTOS


def _kebab(code: str) -> str:
    return code.replace("_", "-")


def screen_label(item_id: str) -> str:
    return f"screen-{item_id}"


def area_label(area_id: str) -> str:
    return f"area-{area_id}"


def sign_label(sign: str) -> str:
    return f"sign-{_kebab(sign)}"


def detail_question(detail: str) -> str:
    return f"q-{_kebab(detail)}"


def finding_label(label: str) -> str:
    return f"finding-{_kebab(label)}"
