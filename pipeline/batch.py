"""Running many pages: what to do, skipping finished pages, atomic outputs, one failure per page.

The page function knows nothing of files; this module does files, parallelism and failure
policy around it (as OCR-D's processors and OCRmyPDF's exit codes do).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

from .engines import EngineUnavailable
from .formats import WRITERS
from .io import BadInput, find_images, read_image
from .process import process_page

log = logging.getLogger("broadsheet")

_UMASK = os.umask(0)
os.umask(_UMASK)
# mkstemp makes owner-only files; outputs get the usual permissions (0644 under umask 022).
OUTPUT_MODE = 0o666 & ~_UMASK


class ExitCode(IntEnum):
    """The command's exit codes: part of its public interface (see the README's table)."""

    OK = 0  # every page done (or already done)
    PAGES_FAILED = 1  # the batch finished, some pages failed: see the log
    BAD_ARGUMENTS = 2  # the command line or the settings are wrong; nothing was run
    MISSING_DEPENDENCY = 3  # an engine, a model file or a program is missing
    NO_INPUT = 4  # no page images were found in the inputs
    INTERRUPTED = 130  # stopped by Ctrl-C / SIGINT; finished pages are kept


@dataclass(frozen=True)
class Job:
    source: Path
    stem: Path  # output path without suffix, inside the output folder

    def outputs(self, formats: list[str]) -> list[Path]:
        return [self.stem.with_name(self.stem.name + WRITERS[f][0]) for f in formats]


@dataclass
class Outcome:
    job: Job
    ok: bool
    seconds: float
    error: str = ""
    detail: str = ""  # the traceback, shown with --verbose


def plan_jobs(inputs: list[Path], out_dir: Path) -> list[Job]:
    """One job per image; a folder's images keep their sub-folders under the output folder."""
    jobs: list[Job] = []
    for given in inputs:
        if given.is_dir():
            for image in find_images([given]):
                rel = image.relative_to(given)
                jobs.append(Job(image, out_dir / rel.parent / image.stem))
        else:
            jobs.append(Job(given, out_dir / given.stem))
    return jobs


def is_done(job: Job, formats: list[str]) -> bool:
    return all(p.exists() for p in job.outputs(formats))


def write_atomic(files: dict[Path, str]) -> None:
    """Write every file to a temporary name first, then rename them all into place.

    A page that fails (or a batch that is killed) leaves no half-written output behind.
    """
    staged: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            staged.append((tmp, path))
            os.chmod(tmp, OUTPUT_MODE)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)


def run_job(job: Job, cfg: dict[str, Any], formats: list[str]) -> Outcome:
    """Process one page and write its outputs; any failure is caught and described."""
    start = time.perf_counter()
    try:
        image = read_image(job.source)
        page = process_page(image, cfg, page_id=job.source.stem)
        page.metadata["source"] = job.source.name
        write_atomic({path: WRITERS[f][1](page) for f, path in zip(formats, job.outputs(formats))})
        return Outcome(job, True, time.perf_counter() - start)
    except EngineUnavailable:
        raise  # not the page's fault: the whole batch stops with MISSING_DEPENDENCY
    except BadInput as e:
        return Outcome(job, False, time.perf_counter() - start, str(e))
    except MemoryError:
        return Outcome(job, False, time.perf_counter() - start, "out of memory while processing the page")
    except Exception as e:  # one bad page must never stop the batch
        return Outcome(job, False, time.perf_counter() - start, f"processing failed: {type(e).__name__}: {e}",
                       traceback.format_exc())


_worker_cfg: dict[str, Any] = {}


def _init_worker(cfg: dict[str, Any]) -> None:
    _worker_cfg.clear()
    _worker_cfg.update(cfg)
    try:
        import cv2

        cv2.setNumThreads(1)  # the pool is the parallelism; threads inside workers would fight it
    except ImportError:
        pass


def _run_in_worker(job: Job, formats: list[str]) -> Outcome:
    return run_job(job, _worker_cfg, formats)


def run_jobs(
    jobs: list[Job], cfg: dict[str, Any], formats: list[str], workers: int, on_done: Callable[[Outcome], None]
) -> None:
    """Run jobs in this process (workers == 1) or a pool of worker processes."""
    if workers <= 1:
        for job in jobs:
            on_done(run_job(job, cfg, formats))
        return
    # Workers are spawned, not forked: a fork of a process whose ONNX Runtime thread pool is
    # running can deadlock in the child.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                             initargs=(cfg,)) as pool:
        pending: set[Future[Outcome]] = set()
        queue: Iterator[Job] = iter(jobs)
        # A bounded window of submitted jobs: memory stays flat however long the batch.
        for job in queue:
            pending.add(pool.submit(_run_in_worker, job, formats))
            if len(pending) >= 2 * workers:
                break
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                on_done(future.result())
                nxt = next(queue, None)
                if nxt is not None:
                    pending.add(pool.submit(_run_in_worker, nxt, formats))


def threads_per_worker(workers: int) -> int:
    return max(1, (os.cpu_count() or 1) // max(1, workers))


__all__ = ["ExitCode", "Job", "Outcome", "find_images", "is_done", "plan_jobs", "run_jobs", "threads_per_worker"]
