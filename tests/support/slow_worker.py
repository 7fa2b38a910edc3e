"""The real `telemed-pet worker`, with a photo model that hangs once it has started.

A test starts it, waits for the marker line, and kills it with SIGKILL in the middle of a task:
the only way to prove a crashed worker does not lose the check.
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

MARKER = "SLOW-MODEL-STARTED"


class HangingPhotoModel:
    name = "hanging"

    async def analyze(self, images: Sequence[bytes]) -> list[list[ImageFinding]]:
        print(MARKER, flush=True)
        await asyncio.sleep(3600)
        raise AssertionError("unreachable: the test kills this process")


class HangingModelProvider(Provider):
    @provide(scope=Scope.APP)
    def model(self) -> PhotoModel:
        return HangingPhotoModel()


def main() -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    asyncio.run(run_worker(Settings(), HangingModelProvider()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
