"""Widget ids and dialog_data keys of the symptom check (labels: dialogs/widgets/triage_labels)."""

from __future__ import annotations

from core.interactors.symptom_check import MAX_CHECK_PHOTOS
from dialogs.navigation import KEY_CHECK_EARLIER_DETAILS

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
# The owner's words when the check started from a typed message.
KEY_REASON = "reason"
# detail -> how the answer is shown back (a quick pick's label, or the value with its unit).
KEY_SHOWN = "shown"
# Two readings of a typed answer, while the owner picks one.
KEY_ASK_OPTIONS = "ask_options"
KEY_ASK_TEXT = "ask_text"
# A re-check's earlier answers (detail -> value): each question offers its own again.
KEY_EARLIER = KEY_CHECK_EARLIER_DETAILS

MAX_PHOTOS = MAX_CHECK_PHOTOS
