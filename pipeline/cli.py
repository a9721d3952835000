"""The `broadsheet` command line: run pages, score them against ground truth.

Data goes to files and stdout; logs, progress and errors go to stderr.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from .batch import ExitCode, Outcome, is_done, plan_jobs, run_jobs, threads_per_worker
from .config import ConfigError, load_config
from .engines import EngineUnavailable
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
    inputs: Annotated[list[Path], typer.Argument(help="Page images (JPEG, PNG, TIFF) or folders of them.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("out"),
    formats: Annotated[
        Optional[str], typer.Option("--formats", "-f", help=f"Comma-separated: {', '.join(WRITERS)}.")
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Pages processed at once (worker processes).")] = 1,
    overwrite: Annotated[bool, typer.Option(help="Redo pages whose outputs exist (default: skip them).")] = False,
    config: Annotated[Optional[Path], typer.Option("--config", "-c", help="A YAML settings file.")] = None,
    set_: Annotated[
        Optional[list[str]], typer.Option("--set", "-s", help="A setting as key=value, e.g. ocr.threads=1.")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log more, with tracebacks.")] = False,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
) -> None:
    """Read page images into text (and the page model as JSON), one output set per page."""
    _setup_logging(verbose)
    try:
        cfg = load_config(config, set_ or [])
    except ConfigError as e:
        raise _fail(str(e), ExitCode.BAD_ARGUMENTS) from None
    chosen = [f.strip() for f in formats.split(",")] if formats else list(cfg["output"]["formats"])
    unknown = [f for f in chosen if f not in WRITERS]
    if unknown:
        raise _fail(f"unknown format(s) {', '.join(unknown)}; choose from {', '.join(WRITERS)}", ExitCode.BAD_ARGUMENTS)
    missing = [p for p in inputs if not p.exists()]
    for path in missing:
        log.error(f"{path}: no such file or folder")

    all_jobs = plan_jobs([p for p in inputs if p.exists()], out)
    if not all_jobs:
        raise _fail("no page images found in the inputs", ExitCode.NO_INPUT)
    todo = all_jobs if overwrite else [j for j in all_jobs if not is_done(j, chosen)]
    skipped = len(all_jobs) - len(todo)
    if skipped:
        log.info(f"{skipped} of {len(all_jobs)} pages already done in {out} (use --overwrite to redo them)")
    if jobs > 1 and cfg["ocr"]["threads"] == 0:
        cfg["ocr"]["threads"] = threads_per_worker(jobs)

    failed: list[Outcome] = []
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=stderr, disable=not progress or not todo, transient=False) as bar:
        task = bar.add_task("pages", total=len(todo))

        def on_done(outcome: Outcome) -> None:
            if not outcome.ok:
                failed.append(outcome)
                log.error(f"{outcome.job.source}: {outcome.error}")
                if verbose and outcome.detail:
                    log.debug(outcome.detail)
            bar.advance(task)

        try:
            run_jobs(todo, cfg, chosen, jobs, on_done)
        except EngineUnavailable as e:
            raise _fail(str(e), ExitCode.MISSING_DEPENDENCY) from None
        except KeyboardInterrupt:
            raise _fail("interrupted: finished pages are kept, rerun the command to do the rest",
                        ExitCode.INTERRUPTED) from None

    done = len(todo) - len(failed)
    log.info(f"{done + skipped:,} of {len(all_jobs):,} pages done, {len(failed)} failed"
             + (": see the errors above" if failed else ""))
    if failed or missing:
        raise typer.Exit(int(ExitCode.PAGES_FAILED))


@app.command()
def score(
    gt: Annotated[Path, typer.Argument(help="A <stem>.gt.txt file or a folder of them.")],
    out: Annotated[Path, typer.Argument(help="The OCR output: a .txt file or a folder of <stem>.txt files.")],
    profile: Annotated[str, typer.Option(help="Text normalization profile (cjk, latin, none).")] = "cjk",
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON on stdout.")] = False,
) -> None:
    """Score OCR text against ground truth: plain, order-free and block-flexible CER."""
    from .scoring import PROFILES, score_files, sum_scores

    _setup_logging(False)
    if profile not in PROFILES:
        raise _fail(f"unknown profile '{profile}'; choose from {', '.join(PROFILES)}", ExitCode.BAD_ARGUMENTS)
    if not gt.exists() or not out.exists():
        raise _fail(f"{gt if not gt.exists() else out}: no such file or folder", ExitCode.BAD_ARGUMENTS)
    pages = score_files(gt, out, profile)
    if not pages:
        raise _fail(f"{gt}: no ground truth (<stem>.gt.txt) found", ExitCode.NO_INPUT)
    total = sum_scores(pages)
    if as_json:
        rows = [dict(page=p.name, gt_chars=p.gt_chars, cer=p.cer, orderfree_cer=p.orderfree_cer, flex_cer=p.flex_cer)
                for p in [*pages, total]]
        print(json.dumps({"profile": profile, "pages": rows[:-1], "total": rows[-1]}, indent=1))
        return
    table = Table(title=f"Character error rates (profile: {profile}: {PROFILES[profile].description})")
    for column in ("page", "GT chars", "CER", "order-free CER", "block-flexible CER"):
        table.add_column(column, justify="left" if column == "page" else "right")
    for p in [*pages, total]:
        table.add_row(p.name, f"{p.gt_chars:,}", f"{p.cer:.2%}", f"{p.orderfree_cer:.2%}", f"{p.flex_cer:.2%}",
                      style="bold" if p is total else None)
    Console().print(table)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
