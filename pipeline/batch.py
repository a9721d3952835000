"""Running many pages: what to do, resuming from the journal, atomic outputs, failure policy.

The page function knows nothing of files; this module does files and failure policy around it
(as OCR-D's processors and OCRmyPDF's exit codes do). Where the pages run is an executor's
business (`pipeline.executors`: worker processes here, or actors on a Ray cluster).
"""

from __future__ import annotations

import logging
import os
import resource
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .engines import EngineUnavailable
from .exitcodes import ExitCode
from .formats import WRITERS
from .io import (DEFAULT_MAX_PIXELS, DEFAULT_MIN_SIDE, DEFAULT_PDF_DPI, MULTI_PAGE_SUFFIXES, PDF_SUFFIXES, BadInput,
                 find_images, page_count, read_page_image, walk)
from .journal import DONE, FAILED, Journal
from .limits import FailurePolicy, Limits, cores
from .model import Page
from .process import process_page

log = logging.getLogger("broadsheet")

_UMASK = os.umask(0)
os.umask(_UMASK)
# Outputs get the usual permissions (0644 under umask 022).
OUTPUT_MODE = 0o666 & ~_UMASK


class MissingDependency(RuntimeError):
    """Something the whole batch needs is missing (an engine, a model, Ray): no page can be done."""


class BatchStopped(RuntimeError):
    """The failure policy stopped the batch."""


@dataclass(frozen=True)
class Job:
    source: Path
    stem: Path  # output path without suffix, inside the output folder
    page: int | None = None  # 0-based page of a PDF or multi-page TIFF; None for a one-page file
    root: Path | None = None  # the output folder
    problem: str = ""  # set when the file was refused while planning (nothing to run)

    def outputs(self, formats: list[str]) -> list[Path]:
        return [self.stem.with_name(self.stem.name + WRITERS[f][0]) for f in formats]

    @property
    def key(self) -> str:
        """The page's name in the journal: its output path below the output folder."""
        return self.stem.relative_to(self.root).as_posix() if self.root else self.stem.name

    @property
    def label(self) -> str:
        return f"{self.source} (page {self.page + 1})" if self.page is not None else str(self.source)


@dataclass
class Outcome:
    job: Job
    ok: bool
    seconds: float
    error: str = ""
    detail: str = ""  # the traceback, shown with --verbose
    note: str = ""  # not an error: e.g. a blank page gave no text
    fatal: bool = False  # no page can succeed (a missing engine or model): stop the batch
    rss_mb: float = 0.0  # the worker's peak resident memory so far


# -- planning ------------------------------------------------------------------------------------
def plan_jobs(inputs: Iterable[Path], out_dir: Path, globs: list[str] | None = None,
              manifest: Path | None = None) -> Iterator[Job]:
    """One job per page, lazily: a folder's files keep their sub-folders under the output folder,
    a PDF or multi-page TIFF `x` gives `x-p0001`, `x-p0002`, …"""
    for given in inputs:
        yield from _plan_path(given, out_dir / given.stem, out_dir, globs, keep_folder_name=False)
    if manifest is not None:
        base = Path(os.path.abspath(manifest.parent))
        for entry in _manifest_entries(manifest):
            full = Path(os.path.normpath(entry if entry.is_absolute() else base / entry))
            try:
                rel = full.relative_to(base)
            except ValueError:
                rel = full.relative_to(full.anchor)  # outside the manifest's folder: mirror its whole path
            yield from _plan_path(full, out_dir / rel.parent / full.stem, out_dir, globs, keep_folder_name=True)


def _manifest_entries(manifest: Path) -> Iterator[Path]:
    """One path a line; blank lines and lines starting with # are skipped."""
    with open(manifest, encoding="utf-8-sig") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line.strip() and not line.lstrip().startswith("#"):
                yield Path(line)


def _plan_path(given: Path, stem: Path, out_dir: Path, globs: list[str] | None, keep_folder_name: bool) -> Iterator[Job]:
    if given.is_dir():
        folder_out = stem.parent / given.name if keep_folder_name else out_dir
        for found in walk(given, globs):
            rel = found.path.relative_to(given)
            yield from _pages(found.path, folder_out / rel.parent / found.path.stem, out_dir, found.problem)
    else:
        yield from _pages(given, stem, out_dir)


def _pages(source: Path, stem: Path, out_dir: Path, problem: str = "") -> Iterator[Job]:
    if not problem and not _inside(out_dir, stem):
        problem = "its output would fall outside the output folder (a link out of it?); skipped"
    if problem or source.suffix.lower() not in MULTI_PAGE_SUFFIXES:
        yield Job(source, stem, None, out_dir, problem)
        return
    try:
        count = page_count(source)
    except BadInput as e:
        yield Job(source, stem, None, out_dir, str(e))
        return
    except Exception as e:  # the parser of a damaged file may fail in any way
        yield Job(source, stem, None, out_dir, f"cannot be read ({type(e).__name__}: {e})")
        return
    if count == 1 and source.suffix.lower() not in PDF_SUFFIXES:
        yield Job(source, stem, None, out_dir)
        return
    for index in range(count):
        yield Job(source, stem.with_name(f"{stem.name}-p{index + 1:04d}"), index, out_dir)


def _inside(root: Path, path: Path) -> bool:
    """True if `path` (links followed) lies inside `root`."""
    real_root = os.path.realpath(root)
    return os.path.commonpath([real_root, os.path.realpath(path)]) == real_root


def is_done(job: Job, formats: list[str]) -> bool:
    return all(p.exists() for p in job.outputs(formats))


# -- one page ------------------------------------------------------------------------------------
def partial_path(path: Path) -> Path:
    """Where `path` is written before it is renamed into place. A fixed name (not a random one),
    so the next run that does the page clears what a killed run left."""
    return path.with_name(f".{path.name}.partial")


def write_atomic(files: dict[Path, str]) -> None:
    """Write every file to its partial name first (flushed to disk), then rename them all into place.

    A page that fails (or a batch that is killed) leaves no half-written output behind, and an
    existing output is replaced only by a complete new one.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = partial_path(path)
            # O_NOFOLLOW: never write through a link someone left under the partial name.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, OUTPUT_MODE)
            staged.append((tmp, path))
            os.fchmod(fd, OUTPUT_MODE)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
        for tmp, path in staged:
            os.replace(tmp, path)
        for folder in {path.parent for _, path in staged}:
            _fsync_folder(folder)  # the renames themselves survive a power cut
    finally:
        for tmp, _ in staged:
            if os.path.lexists(tmp):
                os.unlink(tmp)


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _clear_partials(paths: list[Path]) -> None:
    for path in paths:
        tmp = partial_path(path)
        if os.path.lexists(tmp):
            os.unlink(tmp)


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux reports kilobytes)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def empty_page_note(page: Page) -> str:
    """A page with no text is not an error, but it deserves a word in the journal."""
    if any(line.text.strip() for block in page.blocks for line in block.lines):
        return ""
    if not page.blocks:
        return "no text: the page looks blank"
    return "no text found: the page holds only pictures or marks that are not text"


ProcessFn = Callable[..., Page]


def run_job(job: Job, cfg: dict[str, Any], formats: list[str], process: ProcessFn | None = None) -> Outcome:
    """Read one page, process it and write its outputs; any failure is caught and described."""
    start = time.perf_counter()
    process = process or process_page
    limits = cfg.get("limits", {})
    try:
        if job.problem:
            raise BadInput(job.problem)
        outputs = job.outputs(formats)
        if any(os.path.realpath(p) == os.path.realpath(job.source) for p in outputs):
            raise BadInput("an output would overwrite the input file itself; skipped")
        _clear_partials(outputs)
        image, info = read_page_image(
            job.source, job.page, max_pixels=int(limits.get("max_pixels", DEFAULT_MAX_PIXELS)),
            min_side=int(limits.get("min_side", DEFAULT_MIN_SIDE)),
            pdf_dpi=float(cfg.get("input", {}).get("pdf_dpi", DEFAULT_PDF_DPI)))
        page = process(image, cfg, page_id=job.stem.name)
        del image  # the largest thing the worker holds; free it before the outputs are made
        page.metadata["source"] = job.source.name
        if job.page is not None:
            page.metadata["source_page"] = job.page + 1
        page.metadata.update(info)
        write_atomic({path: WRITERS[f][1](page) for f, path in zip(formats, outputs)})
        return Outcome(job, True, time.perf_counter() - start, note=empty_page_note(page), rss_mb=peak_rss_mb())
    except EngineUnavailable as e:
        return Outcome(job, False, time.perf_counter() - start, str(e), fatal=True)
    except BadInput as e:
        return Outcome(job, False, time.perf_counter() - start, str(e), rss_mb=peak_rss_mb())
    except MemoryError:
        return Outcome(job, False, time.perf_counter() - start, "out of memory while processing the page")
    except Exception as e:  # one bad page must never stop the batch
        return Outcome(job, False, time.perf_counter() - start, _describe_crash(e), traceback.format_exc(),
                       rss_mb=peak_rss_mb())


def _describe_crash(e: BaseException) -> str:
    """One line for an unexpected error: what went wrong and where (the traceback is for --verbose)."""
    frames = traceback.extract_tb(e.__traceback__)
    where = f" in {Path(frames[-1].filename).parent.name}/{Path(frames[-1].filename).name}" if frames else ""
    message = (str(e).strip().splitlines() or [""])[0][:200]
    return f"processing failed{where} ({type(e).__name__}{': ' + message if message else ''}); the page was skipped"


# -- the batch -----------------------------------------------------------------------------------
@dataclass
class BatchResult:
    total: int = 0  # pages seen (including those already done)
    done: int = 0  # done in this run
    already_done: int = 0
    failed: int = 0  # failed in this run
    failed_before: int = 0  # failed in an earlier run and not retried
    missing_inputs: int = 0
    stopped: str = ""  # why the batch stopped early, if it did
    journal: Path | None = None

    @property
    def exit_code(self) -> ExitCode:
        if self.stopped:
            return ExitCode.ABORTED
        if self.total == 0 and not self.missing_inputs:
            return ExitCode.NO_INPUT
        if self.failed or self.failed_before or self.missing_inputs:
            return ExitCode.PAGES_FAILED
        return ExitCode.OK

    def summary(self) -> str:
        done = self.done + self.already_done
        failed = self.failed + self.failed_before + self.missing_inputs
        line = f"{done:,} of {self.total + self.missing_inputs:,} pages done"
        if failed:
            line += f", {failed:,} failed"
            if self.failed_before:
                line += f" ({self.failed_before:,} in an earlier run, not retried: use --retry-failed)"
        if self.stopped:
            line += f"; stopped early: {self.stopped}"
        if (failed or self.stopped) and self.journal:
            line += f": see {self.journal}"
        return line


def run_batch(inputs: list[Path], out_dir: Path, cfg: dict[str, Any], formats: list[str], *,
              globs: list[str] | None = None, manifest: Path | None = None, workers: int = 0,
              overwrite: bool = False, retry_failed: bool = False, executor: str = "local",
              address: str | None = None, process: ProcessFn | None = None,
              on_page: Callable[[Outcome], None] | None = None, verbose: bool = False) -> BatchResult:
    """Plan the pages, skip what is done, run the rest, journal every page, apply the failure policy.

    Raises MissingDependency (exit 3) and KeyboardInterrupt (exit 130); the result says the rest.
    """
    from .executors import make_executor

    workers = workers or int(cfg["batch"]["jobs"])
    if executor == "local":
        # One page file needs one worker, and then it may have every core.
        single = manifest is None and len(inputs) == 1 and _single_page_file(inputs[0])
        workers = workers or (1 if single else cores())
        if cfg["ocr"]["threads"] == 0:
            # One thread a worker: `--jobs N` uses N cores, as `make -j` and `ocrmypdf --jobs` do.
            # Pages side by side use the cores better than one page's models on several threads
            # (two one-thread workers here finish in 0.89x the time of one two-thread worker);
            # only a lone page file gets every core, to finish it sooner.
            cfg["ocr"]["threads"] = cores() if single else 1
    policy = FailurePolicy(cfg["batch"]["max_failures"], cfg["batch"]["failure_ratio_after"])
    limits = Limits.from_config(cfg)
    result = BatchResult()
    for path in inputs:
        if not os.path.lexists(path):
            log.error(f"{path}: no such file or folder")
            result.missing_inputs += 1
    inputs = [p for p in inputs if os.path.lexists(p)]
    if executor == "ray":  # every node must find the same files
        inputs, out_dir = [p.absolute() for p in inputs], out_dir.absolute()
        manifest = manifest.absolute() if manifest else None

    with Journal(out_dir) as journal:
        result.journal = journal.path

        def report(outcome: Outcome) -> None:
            job = outcome.job
            if outcome.fatal:
                raise MissingDependency(outcome.error)
            journal.record(job.key, str(job.source), DONE if outcome.ok else FAILED, outcome.seconds,
                           outcome.error, note=outcome.note, rss_mb=outcome.rss_mb or None)
            if outcome.ok:
                result.done += 1
                if outcome.note:
                    log.info(f"{job.label}: {outcome.note}")
            else:
                result.failed += 1
                log.error(f"{job.label}: {outcome.error}")
                if verbose and outcome.detail:
                    log.debug(outcome.detail.rstrip())
            if on_page:
                on_page(outcome)
            if policy.exceeded(result.failed, result.done + result.failed):
                result.stopped = policy.describe()
                raise BatchStopped(result.stopped)

        seen: dict[str, int] = {}  # page key → which file (a hash of its real path) claimed it

        def todo() -> Iterator[Job]:
            for job in plan_jobs(inputs, out_dir, globs, manifest):
                which = hash((os.path.realpath(job.source), job.page))
                if seen.get(job.key) == which:
                    log.info(f"{job.label}: given twice in the inputs; done once")
                    continue
                result.total += 1
                if job.key in seen:  # `scan.tif` and `scan.jpg` side by side: both would write `scan.txt`
                    job = replace(job, stem=job.stem.with_name(job.stem.name + job.source.suffix),
                                  problem="another input file has the same name apart from its extension, and its "
                                          "outputs would overwrite this one's: rename one of them")
                seen[job.key] = which
                status = journal.status.get(job.key)
                if job.problem:
                    if status == FAILED and not retry_failed:
                        result.failed_before += 1
                    else:
                        report(Outcome(job, False, 0.0, job.problem))
                elif overwrite:
                    yield job
                elif status == FAILED:
                    if retry_failed:
                        yield job
                    else:
                        result.failed_before += 1
                elif is_done(job, formats):
                    if status != DONE:  # a run was killed between writing the page and journaling it
                        journal.record(job.key, str(job.source), DONE,
                                       note="outputs found complete; the run that made them stopped before recording them")
                    result.already_done += 1
                else:
                    yield job

        runner = make_executor(executor, cfg, formats, workers, limits, process=process, address=address,
                               verbose=verbose)
        try:
            runner.run(todo(), report)
        except BatchStopped:
            pass
    if result.already_done:
        log.info(f"{result.already_done:,} pages were already done in {out_dir} (use --overwrite to redo them)")
    return result


def _single_page_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() not in MULTI_PAGE_SUFFIXES


def run_jobs(jobs: Iterable[Job], cfg: dict[str, Any], formats: list[str], workers: int,
             on_done: Callable[[Outcome], None], process: ProcessFn | None = None) -> None:
    """Run jobs in worker processes (no journal, no policy): the executor on its own."""
    from .executors.local import LocalExecutor

    LocalExecutor(cfg, formats, workers, Limits.from_config(cfg), process=process).run(iter(jobs), on_done)


__all__ = ["BatchResult", "ExitCode", "Job", "MissingDependency", "Outcome", "find_images", "is_done", "plan_jobs",
           "run_batch", "run_job", "run_jobs", "write_atomic"]
