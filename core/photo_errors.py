"""Typed errors about the photos an owner sends; edges turn them into localized messages.

They live in `core` (not in `ai`) so the bot and the worker can catch them without importing
the model stack.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from core.errors import DomainError
from core.photo_quality import PhotoProblem

# Why a photo was refused; the edges pick the message by this code.
UnreadablePhotoReason = Literal["empty", "too_large", "too_many_pixels", "unsupported", "corrupt"]


class PhotoError(DomainError):
    """Base of every error about a photo's content."""


class UnreadablePhotoError(PhotoError):
    """A photo cannot be used as an image: empty, too big, not an image, or damaged.

    `index` is the photo's position in the request when the caller sent several.
    """

    def __init__(
        self, reason: UnreadablePhotoReason, detail: str = "", index: int | None = None
    ) -> None:
        where = f" (photo #{index + 1})" if index is not None else ""
        message = f"unreadable photo{where}: {reason}"
        super().__init__(f"{message}: {detail}" if detail else message)
        self.reason: UnreadablePhotoReason = reason
        self.detail = detail
        self.index = index

    def __reduce__(self) -> tuple[type[UnreadablePhotoError], tuple[object, ...]]:
        # Decode processes and task queues pickle it; the default would lose the reason.
        return (UnreadablePhotoError, (self.reason, self.detail, self.index))

    def at(self, index: int) -> UnreadablePhotoError:
        """The same error, told which photo of a request it was about."""
        return UnreadablePhotoError(self.reason, self.detail, index)


class UnusablePhotoError(PhotoError):
    """A photo decodes but shows too little to judge by: too small, too dark, too bright, blurred.

    `problems` holds every problem found, in `core.photo_quality.assess` order; `problem`, the
    first, is the one to tell the owner (one fix at a time: more light before a steadier hand).
    """

    def __init__(self, problems: Sequence[PhotoProblem]) -> None:
        if not problems:
            raise ValueError("an unusable photo has at least one problem")
        super().__init__("unusable photo: " + ", ".join(problem.value for problem in problems))
        self.problems: tuple[PhotoProblem, ...] = tuple(problems)

    @property
    def problem(self) -> PhotoProblem:
        return self.problems[0]

    def __reduce__(self) -> tuple[type[UnusablePhotoError], tuple[object, ...]]:
        # As UnreadablePhotoError: the default would call __init__ with the message string.
        return (UnusablePhotoError, (self.problems,))
