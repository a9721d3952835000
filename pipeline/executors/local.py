"""Pages on this machine: N worker processes, each loading the models once and holding one page at a time.

The main process hands a page to a free worker and watches them all. Because a worker holds
only one page, a fault is charged to exactly that page: a worker that hangs past the page time
limit, grows past its memory ceiling, crashes or is killed by the system (the OOM killer's
SIGKILL) is replaced by a fresh one and its page is reported failed; no other page is touched
or redone. (A `ProcessPoolExecutor` can't do this: one dead worker breaks the whole pool, and
it can't say which page killed it.)
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from typing import Any

import psutil

from ..batch import MissingDependency, Outcome, run_job
from ..engines import EngineUnavailable
from ..limits import Limits, thread_env

POLL_SECONDS = 0.25  # how often time and memory are checked while pages run
START_ATTEMPTS = 3  # workers that die before they are ready, in a row, before the batch gives up


class LocalExecutor:
    def __init__(self, cfg: dict[str, Any], formats: list[str], workers: int, limits: Limits,
                 process: Callable[..., Any] | None = None, verbose: bool = False):
        self.cfg, self.formats, self.process = cfg, formats, process
        self.verbose = verbose
        self.workers = max(1, workers)
        self.timeout = limits.page_timeout
        self.ceiling = limits.memory_ceiling(self.workers)
        self.threads = max(1, int(cfg.get("ocr", {}).get("threads", 1) or 1))
        # Workers are spawned, not forked: a fork of a process whose ONNX Runtime thread pool
        # is running can deadlock in the child.
        self.context = multiprocessing.get_context("spawn")

    def run(self, jobs: Iterator[Any], on_done: Callable[[Outcome], None]) -> None:
        """Run every job; a job is pulled from `jobs` only when a worker is free to take it.

        Workers start as pages come (a one-page batch starts one), up to `workers`."""
        slots: list[_Worker] = []
        pending: Any = None
        exhausted = finished = False
        failed_starts = 0
        try:
            while True:
                if pending is None and not exhausted:
                    pending = next(jobs, None)
                    exhausted = pending is None
                if pending is not None:
                    free = next((w for w in slots if w.ready and w.job is None), None)
                    if free is not None:
                        free.give(pending)
                        pending = None
                        continue
                    if len(slots) < self.workers and all(w.ready for w in slots):
                        slots.append(self._start())
                if exhausted and all(w.job is None for w in slots):
                    finished = True
                    return
                wait([w.conn for w in slots] + [w.process.sentinel for w in slots], timeout=POLL_SECONDS)
                for worker in list(slots):
                    outcome, dead = self._check(worker)
                    if dead:
                        slots.remove(worker)
                        if not worker.ready:
                            failed_starts += 1
                            if failed_starts >= START_ATTEMPTS:
                                raise MissingDependency(
                                    f"worker processes fail to start (exit code {worker.process.exitcode}); "
                                    "run with --verbose to see why")
                    elif worker.ready:
                        failed_starts = 0
                    if outcome is not None:
                        on_done(outcome)
        finally:  # on an interrupt or a stopped batch, pages in progress are abandoned (a rerun does them)
            for worker in slots:
                worker.stop(graceful=finished)

    def _start(self) -> _Worker:
        return _Worker(self.context, self.cfg, self.formats, self.process, self.threads, self.verbose)

    def _check(self, worker: _Worker) -> tuple[Outcome | None, bool]:
        """A finished page's outcome, or the outcome of a worker that had to be stopped; and
        whether the worker is gone (a new one starts when there is work for it)."""
        if worker.conn.poll():
            try:
                message = worker.conn.recv()
            except (EOFError, OSError):
                message = None  # the worker died mid-message
            if message == "ready":
                worker.ready = True
                return None, False
            if isinstance(message, tuple) and message[0] == "fatal":
                raise MissingDependency(message[1])
            if isinstance(message, Outcome):
                worker.job = None
                return message, False
        if not worker.process.is_alive() or worker.conn.closed:
            worker.process.join()
            if worker.job is None:
                return None, True
            return worker.failure(_death_reason(worker.process.exitcode)), True
        if worker.job is None:
            return None, False
        if self.timeout and time.monotonic() - worker.started > self.timeout:
            worker.kill()
            return worker.failure(f"took longer than the page time limit ({self.timeout:g} s, limits.page_timeout); "
                                  "stopped"), True
        if worker.rss() > self.ceiling:
            worker.kill()
            return worker.failure(f"used more memory than a worker may ({self.ceiling / 2**20:,.0f} MB, "
                                  "limits.worker_memory); stopped"), True
        return None, False


class _Worker:
    """One worker process and the page it holds."""

    def __init__(self, context: Any, cfg: dict[str, Any], formats: list[str], process: Any, threads: int,
                 verbose: bool):
        self.conn, child = context.Pipe()
        with _environment(thread_env(threads)):
            self.process = context.Process(target=_worker_main,
                                           args=(child, cfg, formats, process, threads, verbose),
                                           daemon=True, name="broadsheet-worker")
            self.process.start()
        child.close()
        self.job: Any = None
        self.started = 0.0
        self.ready = False
        self._ps: psutil.Process | None = None

    def give(self, job: Any) -> None:
        self.conn.send(job)
        self.job, self.started = job, time.monotonic()

    def failure(self, reason: str) -> Outcome:
        """The page this worker held, failed for `reason`; the worker holds nothing after."""
        outcome = Outcome(self.job, False, time.monotonic() - self.started, reason)
        self.job = None
        return outcome

    def rss(self) -> int:
        try:
            self._ps = self._ps or psutil.Process(self.process.pid)
            return self._ps.memory_info().rss
        except psutil.Error:
            return 0

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()

    def stop(self, graceful: bool) -> None:
        if graceful and self.process.is_alive():
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.process.join(timeout=5)
        self.kill()
        self.conn.close()


def _death_reason(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name
        if -exitcode == signal.SIGKILL:
            return ("the worker reading this page was killed by the system (SIGKILL), most likely because "
                    "the machine ran out of memory")
        return f"the worker reading this page crashed ({name})"
    return f"the worker reading this page exited unexpectedly (exit code {exitcode})"


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for a child about to be started, then restore ours."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when the batch's main process dies, even by SIGKILL,
    so no orphan goes on writing into the output folder."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _worker_main(conn: Connection, cfg: dict[str, Any], formats: list[str], process: Any, threads: int,
                 verbose: bool) -> None:
    parent = os.getppid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    _die_with_parent()
    if os.getppid() != parent:
        return  # the parent died while we started
    if not verbose:
        # Native libraries write their own complaints to stderr (libtiff: "ZIPDecode: Decoding
        # error ..."); the batch's one line per page says it in words. --verbose keeps them.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    try:
        import cv2

        cv2.setNumThreads(threads)  # the worker's share of the cores, not all of them
    except ImportError:
        pass
    try:
        from ..engines import get_engine

        get_engine(cfg)  # models load once, before the first page's clock starts
    except EngineUnavailable as e:
        conn.send(("fatal", str(e)))
        return
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(run_job(job, cfg, formats, process))
