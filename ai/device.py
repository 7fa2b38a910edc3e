"""Where the model runs: CUDA with bf16 when present, otherwise CPU with float32.

bf16 on CPU is never chosen: on the build machines it measured ~5× slower than float32
(STACK-NOTES.md, "Photos and the model").
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Literal

import torch

DeviceName = Literal["auto", "cpu", "cuda"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DeviceChoice:
    device: torch.device
    dtype: torch.dtype

    @property
    def is_cuda(self) -> bool:
        return self.device.type == "cuda"

    def describe(self) -> dict[str, str]:
        return {"device": str(self.device), "dtype": str(self.dtype).removeprefix("torch.")}


def choose_device(requested: DeviceName | str = "auto") -> DeviceChoice:
    """`auto` picks the first CUDA device when one is usable; `cuda` fails loudly without one."""
    if requested not in ("auto", "cpu", "cuda") and not requested.startswith("cuda:"):
        raise ValueError(f"unknown device {requested!r}: use auto, cpu or cuda[:N]")
    if requested == "cpu" or (requested == "auto" and not torch.cuda.is_available()):
        return DeviceChoice(torch.device("cpu"), torch.float32)
    if not torch.cuda.is_available():
        raise RuntimeError(f"device {requested!r} requested but CUDA is not available")
    device = torch.device("cuda" if requested == "auto" else requested)
    # bf16 needs Ampere or newer; older cards get fp32 rather than silently slow emulation.
    dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float32
    return DeviceChoice(device, dtype)


def usable_cpus() -> int:
    # The affinity mask, not os.cpu_count(): containers and taskset give a process fewer cores.
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def configure_threads(num_threads: int | None = None) -> int:
    """Set torch's intra-op threads for this process and return the number used.

    One model copy per worker process and a single forward thread, so the forward may use every
    core; decoding threads mostly run while the forward waits on memory, and the default keeps
    one core free for them and the event loop on machines with more than two.
    """
    if num_threads is None:
        cpus = usable_cpus()
        num_threads = cpus if cpus <= 2 else cpus - 1
    num_threads = max(1, num_threads)
    if torch.get_num_threads() != num_threads:
        torch.set_num_threads(num_threads)
        log.debug("torch intra-op threads: %d", num_threads)
    return num_threads
