"""The photo model as the domain sees it: photos in, triage findings out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from core.triage.model import ImageFinding

# The finding codes RULES.md reads; a model's own labels are mapped onto these.
FINDING_CODES: tuple[str, ...] = (
    "wound_open",
    "eye_abnormal",
    "skin_lesion",
    "swelling",
    "unusable_photo",
    "normal",
)


class PhotoModel(Protocol):
    """Classifies pet photos into finding codes with scores.

    Implementations batch concurrent calls into one forward pass; callers just await.
    """

    @property
    def name(self) -> str:
        """Identifies the checkpoint, stored with each result for the vet and for audits."""
        ...

    async def analyze(self, images: Sequence[bytes]) -> list[list[ImageFinding]]:
        """Findings per image (same order), each list sorted by score, highest first.

        Raises `core.errors.DomainError` subclasses for images that cannot be decoded.
        """
        ...
