"""Pages on a Ray cluster: one actor per CPU, each holding loaded models, running the same
per-page function as the local workers (`batch.run_job`).

The driver (the `broadsheet run` process) plans the pages, hands one to each free actor, keeps
the journal and applies the failure policy; actors read the inputs and write the outputs
themselves, so inputs and the output folder must be on paths every node sees (a shared file
system mounted at the same place). With `address` the driver joins an existing cluster
(`auto`, or `HEAD:6379`); without, it starts a local one for the run.

A page whose actor hangs past the page time limit, or dies (Ray's memory monitor, a lost node),
fails alone: the actor is replaced and the batch goes on.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from ..batch import MissingDependency, Outcome, run_job
from ..limits import Limits, cores

POLL_SECONDS = 0.25


class PageActor:
    """Lives on a cluster node; its process keeps the engine it loads on its first page."""

    def __init__(self, cfg: dict[str, Any], formats: list[str], process: Callable[..., Any] | None):
        self.cfg, self.formats, self.process = cfg, formats, process
        try:
            import cv2

            cv2.setNumThreads(1)  # one CPU per actor, as Ray schedules it
        except ImportError:
            pass

    def run(self, job: Any) -> Outcome:
        return run_job(job, self.cfg, self.formats, self.process)

    def pid(self) -> int:
        return os.getpid()


class RayExecutor:
    def __init__(self, cfg: dict[str, Any], formats: list[str], workers: int, limits: Limits, *,
                 process: Callable[..., Any] | None = None, address: str | None = None, verbose: bool = False):
        self.cfg, self.formats, self.process = cfg, formats, process
        self.workers = workers  # 0: one actor per CPU of the cluster
        self.timeout = limits.page_timeout
        self.address = address or None
        self.verbose = verbose

    def run(self, jobs: Iterator[Any], on_done: Callable[[Outcome], None]) -> None:
        try:
            import ray
        except ImportError:
            raise MissingDependency("the ray executor needs Ray: pip install 'broadsheet[ray]'") from None
        started_here = not ray.is_initialized()
        if started_here:
            options: dict[str, Any] = dict(include_dashboard=False, log_to_driver=self.verbose,
                                           logging_level=logging.INFO if self.verbose else logging.ERROR)
            if self.address is None:  # a local cluster just for this run
                options.update(num_cpus=max(self.workers, cores()), object_store_memory=200 * 2**20)
            try:
                ray.init(address=self.address, **options)
            except ConnectionError as e:
                raise MissingDependency(f"cannot join the Ray cluster at {self.address}: {e}") from None
        actor_class = ray.remote(num_cpus=1, max_restarts=0)(PageActor)
        count = self.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        cfg = dict(self.cfg, ocr=dict(self.cfg["ocr"], threads=self.cfg["ocr"]["threads"] or 1))

        def new_actor() -> Any:
            return actor_class.remote(cfg, self.formats, self.process)

        idle = [new_actor() for _ in range(count)]
        running: dict[Any, tuple[Any, Any, float]] = {}  # task ref → (actor, job, start)
        exhausted = False
        try:
            while True:
                while idle and not exhausted:
                    job = next(jobs, None)
                    if job is None:
                        exhausted = True
                        break
                    actor = idle.pop()
                    running[actor.run.remote(job)] = (actor, job, time.monotonic())
                if not running:
                    return
                ready, _ = ray.wait(list(running), num_returns=1, timeout=POLL_SECONDS)
                for ref in ready:
                    actor, job, start = running.pop(ref)
                    try:
                        outcome = ray.get(ref)
                        idle.append(actor)
                    except ray.exceptions.RayError as e:
                        ray.kill(actor)
                        idle.append(new_actor())
                        outcome = Outcome(job, False, time.monotonic() - start,
                                          f"the Ray worker reading this page died ({type(e).__name__}); "
                                          "out of memory, or its node was lost")
                    on_done(outcome)
                now = time.monotonic()
                for ref, (actor, job, start) in list(running.items()):
                    if self.timeout and now - start > self.timeout:
                        del running[ref]
                        ray.kill(actor)
                        idle.append(new_actor())
                        on_done(Outcome(job, False, now - start, f"took longer than the page time limit "
                                                                 f"({self.timeout:g} s, limits.page_timeout); stopped"))
        finally:
            for actor in idle + [a for a, _, _ in running.values()]:
                ray.kill(actor)
            if started_here:
                ray.shutdown()
