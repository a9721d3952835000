"""The `broadsheet` command line: run pages, score them against ground truth.

Data goes to files and stdout; logs, progress and errors go to stderr.
"""

from __future__ import annotations

import json
import logging
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .config import ConfigError, load_config
from .engines import EngineUnavailable
from .exitcodes import ExitCode
from .formats import WRITERS

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Broadsheet: scanned newspaper pages in, ordered article text out.",
)
stderr = Console(stderr=True)
log = logging.getLogger("broadsheet")


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="broadsheet: %(message)s",
        stream=sys.stderr,
        force=True,
    )


def _fail(message: str, code: ExitCode) -> typer.Exit:
    log.error(message)
    return typer.Exit(int(code))


@app.command()
def run(
    inputs: Annotated[
        Optional[list[Path]],
        typer.Argument(help="Page files (JPEG, PNG, TIFF, JPEG 2000, PDF) or folders of them, searched recursively."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("out"),
    formats: Annotated[
        Optional[str], typer.Option("--formats", "-f", help=f"Comma-separated: {', '.join(WRITERS)}.")
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0,
                                      help="Pages processed at once (worker processes); 0 = one per core.")] = 0,
    glob: Annotated[Optional[list[str]], typer.Option(
        "--glob", "-g", help="Only files in the input folders matching this pattern, e.g. '*.tif' (repeatable).")] = None,
    manifest: Annotated[Optional[Path], typer.Option(
        help="A text file listing the pages to do, one path a line (relative paths from the file's folder).")] = None,
    overwrite: Annotated[bool, typer.Option(help="Redo pages whose outputs exist (default: skip them).")] = False,
    retry_failed: Annotated[bool, typer.Option(
        "--retry-failed", help="Also redo pages the journal records as failed (default: skip them).")] = False,
    max_failures: Annotated[Optional[str], typer.Option(
        help="Stop once more than N pages failed, or more than this share (e.g. 0.05) of those tried.")] = None,
    timeout: Annotated[Optional[float], typer.Option(
        help="Seconds a page may take before it is stopped and counted failed (limits.page_timeout).")] = None,
    pdf_dpi: Annotated[Optional[float], typer.Option(help="Resolution PDF pages are rendered at (input.pdf_dpi).")] = None,
    executor: Annotated[str, typer.Option(help="Where pages run: local (worker processes) or ray (a Ray cluster).")] = "local",
    address: Annotated[Optional[str], typer.Option(
        help="With --executor ray: the cluster to join (auto, or HEAD:6379); default: a local cluster.")] = None,
    lang: Annotated[Optional[str], typer.Option(
        "--lang", "-l", help="A language or script preset, configs/LANG.yaml (e.g. deu-frak, eng, chi-sim): "
                             "engine and models; --config and --set go over it.")] = None,
    config: Annotated[Optional[Path], typer.Option("--config", "-c", help="A YAML settings file.")] = None,
    set_: Annotated[
        Optional[list[str]], typer.Option("--set", "-s", help="A setting as key=value, e.g. ocr.threads=1.")
    ] = None,
    debug_images: Annotated[Optional[Path], typer.Option(
        "--debug-images", help="Write each page's intermediate images (cleanup steps) to this folder (debug.images).")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log more, with tracebacks.")] = False,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
) -> None:
    """Read pages into text (and the page model as JSON), one output set per page; a journal of
    every page goes to OUT/journal.jsonl, and a rerun does only what is not done yet."""
    from .batch import BatchResult, MissingDependency, run_batch
    from .executors import EXECUTORS
    from .journal import JournalLocked
    from .limits import FailurePolicy

    _setup_logging(verbose)
    try:
        cfg = load_config(config, _run_overrides(set_ or [], max_failures, timeout, pdf_dpi), preset=lang)
        FailurePolicy(cfg["batch"]["max_failures"])
        if debug_images is not None:
            cfg["debug"]["images"] = str(debug_images.resolve())
    except (ConfigError, ValueError) as e:
        raise _fail(str(e), ExitCode.BAD_ARGUMENTS) from None
    chosen = [f.strip() for f in formats.split(",")] if formats else list(cfg["output"]["formats"])
    unknown = [f for f in chosen if f not in WRITERS]
    if unknown:
        raise _fail(f"unknown format(s) {', '.join(unknown)}; choose from {', '.join(WRITERS)}", ExitCode.BAD_ARGUMENTS)
    if executor not in EXECUTORS:
        raise _fail(f"unknown executor '{executor}'; choose from {', '.join(EXECUTORS)}", ExitCode.BAD_ARGUMENTS)
    if not inputs and manifest is None:
        raise _fail("give page files or folders, or --manifest FILE", ExitCode.BAD_ARGUMENTS)
    if manifest is not None and not manifest.is_file():
        raise _fail(f"{manifest}: the manifest is not a readable file", ExitCode.BAD_ARGUMENTS)

    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,.0f} pages"),
               TimeElapsedColumn())
    with Progress(*columns, console=stderr, disable=not progress, transient=False) as bar, _sigterm_interrupts():
        task = bar.add_task("pages", total=None)
        try:
            result: BatchResult = run_batch(
                list(inputs or []), out, cfg, chosen, globs=glob, manifest=manifest, workers=jobs,
                overwrite=overwrite, retry_failed=retry_failed, executor=executor, address=address,
                on_page=lambda _: bar.advance(task), verbose=verbose)
        except (EngineUnavailable, MissingDependency) as e:
            raise _fail(str(e), ExitCode.MISSING_DEPENDENCY) from None
        except JournalLocked as e:
            raise _fail(str(e), ExitCode.BAD_ARGUMENTS) from None
        except OSError as e:  # the output folder itself can't be written (a page's own errors never get here)
            raise _fail(f"{e.filename or out}: cannot write there ({e.strerror or e})", ExitCode.BAD_ARGUMENTS) from None
        except KeyboardInterrupt:
            raise _fail("interrupted: finished pages are kept, rerun the command to do the rest",
                        ExitCode.INTERRUPTED) from None
    code = result.exit_code
    if code == ExitCode.NO_INPUT:
        raise _fail("no page files found in the inputs", ExitCode.NO_INPUT)
    log.info(result.summary())
    if code != ExitCode.OK:
        raise typer.Exit(int(code))


def _run_overrides(overrides: list[str], max_failures: str | None, timeout: float | None,
                   pdf_dpi: float | None) -> list[str]:
    """The run command's own options as settings overrides (they win over --set)."""
    extra = [f"batch.max_failures={max_failures}"] if max_failures is not None else []
    extra += [f"limits.page_timeout={timeout}"] if timeout is not None else []
    extra += [f"input.pdf_dpi={pdf_dpi}"] if pdf_dpi is not None else []
    return [*overrides, *extra]


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM (a scheduler stopping the job) stops the batch as Ctrl-C does: cleanly, exit 130."""
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@app.command()
def score(
    gt: Annotated[Path, typer.Argument(
        help="Ground truth: a file (<stem>.gt.txt, .gt.json, .gt.xml: PAGE 2013/2019 or ALTO) or a folder of them.")],
    out: Annotated[Path, typer.Argument(
        help="The output: a file (.txt, .json, .page.xml, .alto.xml, .xml, .hocr) or a folder of <stem>.* files.")],
    profile: Annotated[str, typer.Option(
        help="Text normalization profile (cjk, cjk-simplified, latin, none); auto: cjk for ground truth written "
             "mostly in CJK characters, latin for the rest.")] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON on stdout.")] = False,
    html: Annotated[Optional[Path], typer.Option(
        "--html", help="Also write an HTML report to this folder: a page per page, index.html lists them.")] = None,
) -> None:
    """Score output against ground truth: CER, WER, order-free and block-flexible CER, reading order."""
    from .scoring import PROFILES, evaluate
    from .scoring.report import rich_table, scores_json
    from .scoring.report_html import write_report

    _setup_logging(False)
    if profile not in PROFILES and profile != "auto":
        raise _fail(f"unknown profile '{profile}'; choose from auto, {', '.join(PROFILES)}", ExitCode.BAD_ARGUMENTS)
    if not gt.exists() or not out.exists():
        raise _fail(f"{gt if not gt.exists() else out}: no such file or folder", ExitCode.BAD_ARGUMENTS)
    try:
        analyses, failures = evaluate(gt, out, profile)
    except FileNotFoundError as e:
        raise _fail(str(e), ExitCode.NO_INPUT) from None
    except ValueError as e:
        raise _fail(str(e), ExitCode.BAD_ARGUMENTS) from None
    for failure in failures:
        log.error(failure.error)
    if not analyses:
        raise _fail(f"{gt}: no page could be scored", ExitCode.PAGES_FAILED)
    if as_json:
        print(json.dumps(scores_json(analyses, failures, analyses[0].profile), indent=1, ensure_ascii=False))
    else:
        # A table piped to a file keeps its columns (rich would fit it into 80 characters).
        Console(width=None if sys.stdout.isatty() else 160).print(rich_table(analyses, analyses[0].profile))
    if html is not None:
        log.info(f"report: {write_report(analyses, html, failures)}")
    if failures:
        raise typer.Exit(int(ExitCode.PAGES_FAILED))


@app.command()
def bench(
    gt_dirs: Annotated[list[Path], typer.Argument(
        help="Folders of page images with their ground truth beside them (<stem>.gt.txt/.gt.json/.gt.xml).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for outputs, bench.json/.md/.png and reports.")]
        = Path("bench"),
    engine: Annotated[Optional[list[str]], typer.Option(
        "--engine", "-e", help="default, tesseract, tesseract:LANG, or NAME:key=value,... / NAME:settings.yaml "
                               "(repeat it); default: the default settings, small-detection, tesseract.")] = None,
    profile: Annotated[Optional[list[str]], typer.Option(
        help="Normalization profile for every folder, or FOLDER=PROFILE (repeat it); default: the folder's "
             "bench.yaml, else cjk for CJK ground truth and latin for the rest.")] = None,
    lang: Annotated[Optional[list[str]], typer.Option(
        help="Tesseract language for every folder, or FOLDER=LANG (e.g. nzz-1939=frk); default: the folder's "
             "bench.yaml, else chi_sim for cjk and eng for latin.")] = None,
    html: Annotated[bool, typer.Option(help="Write an HTML report per engine.")] = True,
    progress: Annotated[bool, typer.Option(help="Show progress.")] = True,
) -> None:
    """Run engines and settings side by side on pages with ground truth: accuracy, speed, memory."""
    from .scoring.bench import (DEFAULT_ENGINES, TABLE_COLUMNS, BenchError, bench_rows, find_bench_pages,
                                parse_engine, row_cells, run_bench, write_bench)

    _setup_logging(False)
    try:
        specs = [parse_engine(e) for e in (engine or DEFAULT_ENGINES)]
        pages = find_bench_pages(gt_dirs, profile or [], lang or [])
    except BenchError as e:
        raise _fail(str(e), ExitCode.BAD_ARGUMENTS) from None
    if len({s.name for s in specs}) < len(specs):
        raise _fail("two engines have the same name", ExitCode.BAD_ARGUMENTS)
    if not pages:
        raise _fail("no page images with ground truth (<stem>.gt.*) beside them in "
                    + ", ".join(map(str, gt_dirs)), ExitCode.NO_INPUT)
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
               TimeElapsedColumn())
    with Progress(*columns, console=stderr, disable=not progress) as bar:
        task = bar.add_task("bench", total=len(pages) * len(specs))

        def on_page(name, page, seconds, error) -> None:
            if error:
                log.error(f"{name}: {page.image}: {error}")
            bar.update(task, advance=1, description=f"{name} {page.name} {seconds:.1f} s")

        # Tesseract named with -e must run (a default list skips it where it is not installed).
        asked = {s.name for s in specs if engine and s.program == "tesseract"}
        try:
            result = run_bench(pages, specs, out, on_page, required=asked)
        except BenchError as e:
            raise _fail(str(e), ExitCode.MISSING_DEPENDENCY) from None
    for run in result.engines:
        if run.skipped:
            log.warning(f"engine {run.spec.name} not run: {run.skipped}")
    paths = write_bench(result, out, html=html)
    table = Table(title=f"Benchmark: {len(pages)} page(s), every engine in the same run")
    for column in TABLE_COLUMNS:
        table.add_column(column, justify="left" if column in ("engine", "corpus") else "right")
    for row in bench_rows(result):
        table.add_row(*row_cells(row), style="bold" if row.corpus == "all" else None)
    Console(width=None if sys.stdout.isatty() else 200).print(table)
    for key, path in paths.items():
        log.info(f"{key}: {path}")
    if any(p.error for r in result.engines for p in r.pages):
        raise typer.Exit(int(ExitCode.PAGES_FAILED))


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
