"""Message ids of the triage vocabulary (signs, details, screen items, areas, findings).

Signs, details, screen items and areas are codes from the rules; their labels are looked up by
id patterns below. `tests/unit/test_check_locales.py` proves every such id exists in each
locale. Shared by every feature that names a sign: the check, its result, typed messages.
"""

from __future__ import annotations


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


def advice_label(sign: str) -> str:
    return f"advice-{_kebab(sign)}"


def escalate_label(code: str, *, rising: bool | None = None) -> str:
    """A sign's warning signs; with `rising`, a number detail's threshold line."""
    if rising is None:
        return f"escalate-{_kebab(code)}"
    if code == "temperature_c":
        return f"escalate-at-temperature-c-{'high' if rising else 'low'}"
    return f"escalate-at-{_kebab(code)}"
