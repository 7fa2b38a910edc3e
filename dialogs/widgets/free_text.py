"""Typed messages are heard: a red flag opens the emergency card wherever the owner is.

Outside a form (the main menu, no dialog at all) a message that names a symptom also offers
the symptom check with the owner's words carried in. Inside a form only red flags interrupt,
in a new dialog stack, so the form and what was entered in it stay as they were.
"""

from __future__ import annotations

from aiogram_dialog import DialogManager, ShowMode, StartMode

from core.free_text import scan_free_text
from core.interactors.free_text import typed_reason
from dialogs.states import FreeTextSG


async def hear_typed_text(text: str, manager: DialogManager, *, in_form: bool) -> bool:
    """True when the text started the emergency card or the check offer."""
    scan = scan_free_text(text)
    if not scan.red_flags and (in_form or not scan.symptoms):
        return False
    items = list(dict.fromkeys(flag.screen_item for flag in scan.red_flags))
    toxin = next((flag.toxin for flag in scan.red_flags if flag.toxin), None)
    data = {
        "items": items,
        "toxin": toxin,
        "signs": list(scan.symptoms),
        "text": typed_reason(text),
    }
    if in_form:
        await manager.start(
            FreeTextSG.PET, data=data, mode=StartMode.NEW_STACK, show_mode=ShowMode.SEND
        )
    else:
        await manager.start(FreeTextSG.PET, data=data, show_mode=ShowMode.SEND)
    return True
