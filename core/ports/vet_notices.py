"""How an admin's decision on a vet's profile reaches the vet's chat (issue #12).

Implemented in `bot/vet_notices.py` (texts from the locales, in the vet's language). The
interactors call it after their commit; a delivery that fails is the adapter's to log, never
the caller's to retry: the decision stands either way.
"""

from __future__ import annotations

from typing import Protocol

from core.ports.consultation_notices import Recipient


class VetNotices(Protocol):
    async def verified_for_vet(self, vet: Recipient) -> None:
        """An admin verified the profile: owners see the vet now; the vet's own command menu
        (/today, /schedule, /queue) comes with the message."""
        ...

    async def rejected_for_vet(self, vet: Recipient) -> None:
        """An admin did not approve the profile: whom to turn to."""
        ...
