"""What a batch refuses and when it gives up: page size, page time, worker memory, failures.

All of it comes from the settings (`limits.*`, `batch.max_failures`), so an archive can set its
own limits once in a settings file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import psutil


@dataclass(frozen=True)
class Limits:
    max_pixels: int  # a page image larger than this is refused (decompression bombs)
    min_side: int  # an image narrower or shorter than this is not a page
    page_timeout: float  # seconds; 0 = no limit
    worker_memory_mb: int  # resident memory a worker may use; 0 = an equal share of the machine

    @classmethod
    def from_config(cls, cfg: dict[str, Any]) -> Limits:
        section = cfg["limits"]
        return cls(int(section["max_pixels"]), int(section["min_side"]), float(section["page_timeout"]),
                   int(section["worker_memory"]))

    def memory_ceiling(self, workers: int) -> int:
        """Bytes one worker may hold: the setting, or an equal share of 80% of the machine's memory."""
        if self.worker_memory_mb > 0:
            return self.worker_memory_mb * 2**20
        return int(psutil.virtual_memory().total * 0.8 / max(1, workers))


class FailurePolicy:
    """`--max-failures N|RATIO`: stop a batch that is going wrong.

    An integer N ≥ 1 stops the batch once more than N pages have failed; a ratio 0 < r < 1 stops
    it once more than that share of the pages tried has failed (judged only after `after` pages,
    so one early failure does not stop a long batch). 0 never stops.
    """

    def __init__(self, value: float | int | str, after: int = 10):
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"--max-failures must be a count (e.g. 10) or a ratio (e.g. 0.05), not {value!r}") from None
        if number < 0 or (number >= 1 and number != int(number)):
            raise ValueError(f"--max-failures must be a count (e.g. 10) or a ratio (e.g. 0.05), not {value!r}")
        self.count = int(number) if number >= 1 else 0
        self.ratio = number if 0 < number < 1 else 0.0
        self.after = max(1, int(after))

    def exceeded(self, failed: int, tried: int) -> bool:
        if self.count:
            return failed > self.count
        if self.ratio:
            return tried >= self.after and failed / tried > self.ratio
        return False

    def describe(self) -> str:
        return f"more than {self.count:,} pages failed" if self.count else f"more than {self.ratio:.0%} of the pages failed"


def thread_env(threads: int) -> dict[str, str]:
    """Environment that keeps native thread pools in a worker to its share of the cores."""
    value = str(max(1, threads))
    return {name: value for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}


def cores() -> int:
    """Cores this process may use (the affinity mask, as containers and `taskset` set it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
