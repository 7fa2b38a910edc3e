"""The real `telemed-pet worker` with an instant, deterministic photo model.

For tests about the queue around the worker (Redis restarts), not about the model: no torch,
no checkpoint, and a start-up in seconds. Run as `python -m tests.support.worker_process`.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Sequence

from dishka import Provider, Scope, provide

from bot.run_modes import run_worker
from core.config import Settings
from core.ports.photo_model import PhotoModel
from core.triage import ImageFinding


class InstantPhotoModel:
    name = "instant"

    async def analyze(self, images: Sequence[bytes]) -> list[list[ImageFinding]]:
        return [[] for _ in images]


class InstantModelProvider(Provider):
    @provide(scope=Scope.APP)
    def model(self) -> PhotoModel:
        return InstantPhotoModel()


def main() -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    asyncio.run(run_worker(Settings(), InstantModelProvider()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
