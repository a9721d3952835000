"""Where the pages run: worker processes on this machine (`local`) or actors on a Ray cluster (`ray`).

An executor takes an iterator of jobs and a callback; it pulls a job only when a worker is free
(so a batch of a million files starts at once and holds only a few jobs in memory), runs the
same per-page function (`batch.run_job`) and reports each page's outcome, including pages whose
worker hung, crashed or was killed: each such fault costs exactly its own page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol

from ..limits import Limits

EXECUTORS = ("local", "ray")


class Executor(Protocol):
    def run(self, jobs: Iterator[Any], on_done: Callable[[Any], None]) -> None: ...


def make_executor(name: str, cfg: dict[str, Any], formats: list[str], workers: int, limits: Limits, *,
                  process: Callable[..., Any] | None = None, address: str | None = None,
                  verbose: bool = False) -> Executor:
    if name == "local":
        from .local import LocalExecutor

        return LocalExecutor(cfg, formats, workers, limits, process=process, verbose=verbose)
    if name == "ray":
        from .ray_actors import RayExecutor

        return RayExecutor(cfg, formats, workers, limits, process=process, address=address, verbose=verbose)
    raise ValueError(f"unknown executor '{name}' (choose from {', '.join(EXECUTORS)})")


__all__ = ["EXECUTORS", "Executor", "make_executor"]
