"""Benchmarking engines and settings side by side on folders of pages with ground truth.

    pages = find_bench_pages([Path("samples"), Path("nzz")], profiles={"nzz": "latin"}, langs={"nzz": "frk"})
    result = run_bench(pages, [parse_engine("default"), parse_engine("tesseract")], Path("bench"))
    write_bench(result, Path("bench"))   # bench.json, bench.md, bench.png, <engine>/report/index.html

Every engine reads every page in the same run, page after page, taking turns (the order rotates
from page to page), so a noisy machine slows them alike and the ratios hold. Broadsheet
configurations run through `process_page` in a worker process each, which loads its models once
(timed apart, as "startup") and reads pages as a batch would: image in, JSON and text out. Tesseract
runs as its own command on each whole page, `tesseract IMAGE OUT -l LANG --psm 3 txt hocr`, with
OMP_THREAD_LIMIT=1 (its OpenMP threads make it about 4x slower on two cores); its hOCR gives its
blocks, so its reading order is scored too. Peak RSS is the worker's (models included), for
Tesseract the largest of its runs.

Per folder: a normalization profile and a Tesseract language, from `--profile`/`--lang` (for every
folder, or `FOLDER=VALUE`), else a `bench.yaml` in the folder (`profile: latin`,
`tesseract_lang: frk`), else from the ground truth's script (mostly CJK: cjk and chi_sim; else
latin and eng); `tesseract:LANG` runs Tesseract with LANG on every page instead.
"""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
import platform
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml

from ..io import find_images
from .evaluate import PageAnalysis, PageFailure, analyze, guess_profile
from .metrics import CorpusScore, sum_scores
from .normalize import PROFILES, get_profile
from .pairs import find_gt
from .readers import BadDocument, read_document
from .report import score_cells

HINT_FILE = "bench.yaml"
# The engines `broadsheet bench` runs when none are named: the default settings; a faster setting
# that detects lines on a smaller copy of the page (text scaled to 14 px instead of 20); Tesseract.
DEFAULT_ENGINES = ("default", "small-detection:ocr.detection.target_text_height=14", "tesseract")
TESSERACT_ARGS = ("--psm", "3", "txt", "hocr")


class BenchError(ValueError):
    """A benchmark that can't be run as asked; the message says why."""


# --- what to run ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class EngineSpec:
    name: str
    program: str  # "broadsheet" or "tesseract"
    config: Path | None = None  # a partial settings file (broadsheet)
    overrides: tuple[str, ...] = ()  # key=value settings (broadsheet)
    lang: str | None = None  # Tesseract's language for every page (else the folder's)

    def describe(self) -> str:
        if self.program == "tesseract":
            lang = f"-l {self.lang} " if self.lang else ""
            return f"tesseract {lang}" + " ".join(TESSERACT_ARGS[:2]) + " (OMP_THREAD_LIMIT=1)"
        settings = ([str(self.config)] if self.config else []) + list(self.overrides)
        return "broadsheet " + (" ".join(settings) if settings else "(default settings)")


def parse_engine(text: str) -> EngineSpec:
    """`default`, `tesseract`, `tesseract:LANG` (Tesseract with that language on every page, so
    two models can be compared in one run: `tesseract:frk`), or `NAME:SETTINGS` with SETTINGS
    comma-separated `key=value` overrides and/or a YAML settings file
    (`fast:ocr.detection.target_text_height=14`, `mine:my.yaml`)."""
    text = text.strip()
    if text in ("default", "broadsheet"):
        return EngineSpec(text, "broadsheet")
    if text == "tesseract":
        return EngineSpec("tesseract", "tesseract")
    name, sep, settings = text.partition(":")
    if not sep or not name or not settings:
        raise BenchError(f"engine '{text}': expected default, tesseract, tesseract:LANG or NAME:key=value,...")
    if name == "tesseract":
        if not settings.replace("_", "").replace("+", "").isalnum():
            raise BenchError(f"engine '{text}': '{settings}' is not a Tesseract language name")
        return EngineSpec(f"tesseract-{settings}", "tesseract", lang=settings)
    config, overrides = None, []
    for item in (s.strip() for s in settings.split(",") if s.strip()):
        if "=" in item:
            overrides.append(item)
        elif item.endswith((".yaml", ".yml")):
            config = Path(item)
        else:
            raise BenchError(f"engine '{text}': '{item}' is neither key=value nor a .yaml settings file")
    from ..config import ConfigError, load_config

    try:
        load_config(config, overrides)  # refuse unknown keys now, not in a worker later
    except ConfigError as e:
        raise BenchError(f"engine '{name}': {e}") from None
    return EngineSpec(name, "broadsheet", config, tuple(overrides))


@dataclass(frozen=True)
class BenchPage:
    folder: str  # the folder's label (its name)
    stem: str  # the page's stem inside its folder
    image: Path
    gt: Path
    profile: str
    lang: str  # Tesseract's language

    @property
    def name(self) -> str:
        return f"{self.folder}/{self.stem}"


def _per_folder(options: list[str], folder: Path, label: str) -> str | None:
    """The value of `--profile`/`--lang` for a folder: `FOLDER=VALUE` naming it, else a bare VALUE."""
    chosen = None
    for option in options:
        key, sep, value = option.rpartition("=")
        if not sep:
            chosen = chosen or value
        elif key in (label, str(folder)) or Path(key).resolve() == folder.resolve():
            return value
    return chosen


def find_bench_pages(folders: list[Path], profiles: list[str] = (), langs: list[str] = ()) -> list[BenchPage]:
    """Every page image with ground truth beside it (`<stem>.gt.*`) in the folders (recursively)."""
    pages, labels = [], set()
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            raise BenchError(f"{folder}: not a folder")
        label = folder.resolve().name
        while label in labels:
            label += "_"
        labels.add(label)
        hint = {}
        if (folder / HINT_FILE).is_file():
            try:
                hint = yaml.safe_load((folder / HINT_FILE).read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as e:
                raise BenchError(f"{folder / HINT_FILE}: not valid YAML ({e})") from None
        gts = find_gt(folder)
        images = {image.relative_to(folder).with_suffix("").as_posix(): image for image in find_images([folder])}
        stems = sorted(set(gts) & set(images))
        if not stems:
            continue
        profile = _per_folder(list(profiles), folder, label) or hint.get("profile") or \
            guess_profile(gts[stems[0]])
        if profile not in PROFILES:
            raise BenchError(f"{folder}: unknown profile '{profile}'; choose from {', '.join(PROFILES)}")
        lang = _per_folder(list(langs), folder, label) or hint.get("tesseract_lang") or \
            ("chi_sim" if profile == "cjk" else "eng")
        pages += [BenchPage(label, stem, images[stem], gts[stem], profile, str(lang)) for stem in stems]
    return pages


# --- running the engines --------------------------------------------------------------------------

def _broadsheet_worker(conn, config: Path | None, overrides: tuple[str, ...]) -> None:
    """A worker process: loads the models once, then reads the pages it is sent."""
    from ..config import load_config
    from ..engines import get_engine
    from ..formats import WRITERS
    from ..io import read_image
    from ..process import process_page

    start = time.perf_counter()
    try:
        cfg = load_config(config, list(overrides))
        get_engine(cfg)
    except Exception as e:  # noqa: BLE001 - reported to the parent, which names the engine
        conn.send(("error", f"{type(e).__name__}: {e}"))
        return
    conn.send(("ready", time.perf_counter() - start))
    while (job := conn.recv()) is not None:
        image, target = job
        start = time.perf_counter()
        error = None
        try:
            page = process_page(read_image(Path(image)), cfg, page_id=Path(target).name)
            page.metadata.setdefault("source", str(image))
            for fmt in ("json", "txt"):
                suffix, writer = WRITERS[fmt]
                Path(f"{target}{suffix}").write_text(writer(page), encoding="utf-8")
        except Exception as e:  # noqa: BLE001 - one bad page fails alone
            error = f"{type(e).__name__}: {e}"
        conn.send(("done", time.perf_counter() - start, error))
    conn.send(("rss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024))


class _BroadsheetRunner:
    def __init__(self, spec: EngineSpec):
        self.spec = spec
        self.threads = os.cpu_count() or 1
        self.peak_rss = 0
        self.startup = self._start()

    def _start(self) -> float:
        context = multiprocessing.get_context("spawn")  # forking a running ONNX Runtime can deadlock
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_broadsheet_worker, args=(child, self.spec.config, self.spec.overrides),
                                       daemon=True)
        self.process.start()
        child.close()
        try:
            message = self.conn.recv()
        except EOFError:
            self.process.join()
            message = ("error", f"the worker died (exit code {self.process.exitcode})")
        if message[0] == "error":
            self.process.join()
            raise BenchError(f"engine '{self.spec.name}' could not start: {message[1]}")
        return message[1]

    def run(self, page: BenchPage, target: Path) -> tuple[float, str | None, Path]:
        start = time.perf_counter()
        try:
            self.conn.send((str(page.image), str(target)))
            _, seconds, error = self.conn.recv()
        except (EOFError, OSError):
            # The worker died on this page (killed, out of memory, a crash in native code): the page
            # fails alone and a fresh worker reads the next one.
            self.process.join()
            error = f"the worker died on this page (exit code {self.process.exitcode})"
            seconds = time.perf_counter() - start
            self._start()
        return seconds, error, Path(f"{target}.json")

    def close(self) -> None:
        try:
            self.conn.send(None)
            self.peak_rss = max(self.peak_rss, self.conn.recv()[1])
        except (EOFError, OSError):
            pass
        self.process.join(timeout=30)


def tesseract_languages() -> set[str]:
    try:
        listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {line.strip() for line in listed.splitlines()[1:] if line.strip()}


@functools.cache  # the JSON and the Markdown both name it: one `tesseract --version` a run
def tesseract_version() -> str:
    try:
        out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.splitlines()[0].strip() if out else ""


class _TesseractRunner:
    def __init__(self, spec: EngineSpec):
        if shutil.which("tesseract") is None:
            raise BenchError("tesseract is not installed (Debian: tesseract-ocr and its language packages)")
        self.languages = tesseract_languages()
        self.lang = spec.lang
        self.startup = 0.0  # each page is a whole run of the program: its start is in the page's time
        self.threads = 1
        self.peak_rss = 0

    def run(self, page: BenchPage, target: Path) -> tuple[float, str | None, Path]:
        lang = self.lang or page.lang
        if missing := [part for part in lang.split("+") if part not in self.languages]:
            return 0.0, f"Tesseract language '{missing[0]}' is not installed (Debian: tesseract-ocr-" \
                        f"{missing[0].replace('_', '-').lower()})", target
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        with tempfile.TemporaryFile() as log:
            start = time.perf_counter()
            proc = subprocess.Popen(["tesseract", str(page.image), str(target), "-l", lang, *TESSERACT_ARGS],
                                    env=env, stdout=subprocess.DEVNULL, stderr=log)
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            self.peak_rss = max(self.peak_rss, usage.ru_maxrss * 1024)
            if proc.returncode != 0:
                log.seek(0)
                last = log.read().decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
                return seconds, f"tesseract exited with {proc.returncode}: {last[0]}", target
        hocr = Path(f"{target}.hocr")
        return seconds, None, hocr if hocr.is_file() else Path(f"{target}.txt")

    def close(self) -> None:
        pass


# --- results --------------------------------------------------------------------------------------

@dataclass
class PageRun:
    engine: str
    page: BenchPage
    seconds: float
    error: str | None
    output: Path | None
    analysis: PageAnalysis | None = None


@dataclass
class EngineRun:
    spec: EngineSpec
    startup: float = 0.0
    threads: int = 1
    peak_rss: int = 0  # bytes
    pages: list[PageRun] = field(default_factory=list)
    skipped: str | None = None  # why the engine did not run at all


@dataclass
class BenchResult:
    pages: list[BenchPage]
    engines: list[EngineRun]
    started: str
    seconds: float = 0.0


@dataclass(frozen=True)
class BenchRow:
    engine: str
    corpus: str  # a folder's label, or "all"
    pages: int
    failed: int
    score: CorpusScore
    seconds_per_page: float | None
    pages_per_hour: float | None
    time_ratio: float | None  # seconds per page against the first engine's on the same pages
    peak_rss_mb: float
    startup_s: float
    threads: int


def run_bench(pages: list[BenchPage], engines: list[EngineSpec], out: Path,
              on_page: Callable[[str, BenchPage, float, str | None], None] | None = None,
              required: set[str] = frozenset()) -> BenchResult:
    """Run every engine on every page (taking turns) and score each output. An engine that can't
    start is skipped with the reason, unless its name is in `required` (then BenchError)."""
    out = Path(out)
    started = datetime.now(UTC).replace(microsecond=0).isoformat()
    t0 = time.perf_counter()
    runs, runners = [], []
    for spec in engines:
        run = EngineRun(spec)
        runs.append(run)
        try:
            runner = _TesseractRunner(spec) if spec.program == "tesseract" else _BroadsheetRunner(spec)
        except BenchError as e:
            if spec.name in required:
                for r in runners:
                    r.close()
                raise
            run.skipped = str(e)
            runners.append(None)
            continue
        run.startup, run.threads = runner.startup, runner.threads
        runners.append(runner)
    try:
        for i, page in enumerate(pages):
            active = [k for k, r in enumerate(runners) if r is not None]
            for k in active[i % len(active):] + active[:i % len(active)] if active else []:
                target = out / runs[k].spec.name / page.folder / page.stem
                target.parent.mkdir(parents=True, exist_ok=True)
                seconds, error, output = runners[k].run(page, target)
                runs[k].pages.append(PageRun(runs[k].spec.name, page, seconds, error, output if not error else None))
                if on_page:
                    on_page(runs[k].spec.name, page, seconds, error)
    finally:
        for run, runner in zip(runs, runners):
            if runner is not None:
                runner.close()
                run.peak_rss = runner.peak_rss
    for run in runs:
        for page_run in run.pages:
            _score(page_run)
    return BenchResult(pages, runs, started, time.perf_counter() - t0)


def _score(run: PageRun) -> None:
    if run.error:
        return
    try:
        gt = read_document(run.page.gt)
        hyp = read_document(run.output)
    except BadDocument as e:
        run.error = f"unreadable: {e.reason}"
        return
    run.analysis = analyze(gt, hyp, run.page.profile, run.page.name)


def bench_rows(result: BenchResult) -> list[BenchRow]:
    """Per engine and folder (and over all folders, where there are several): summed scores and
    speed; the time ratio compares seconds per page with the first engine's on the same pages."""
    folders = list(dict.fromkeys(p.folder for p in result.pages))
    groups = [(f, {f}) for f in folders] + ([("all", set(folders))] if len(folders) > 1 else [])
    runs = [r for r in result.engines if r.skipped is None]
    rows = []
    for corpus, members in groups:
        reference = None
        for run in runs:
            done = [p for p in run.pages if p.page.folder in members and p.analysis is not None]
            failed = sum(1 for p in run.pages if p.page.folder in members and p.analysis is None)
            seconds = sum(p.seconds for p in done) / len(done) if done else None
            if reference is None:
                reference = {p.page.name: p.seconds for p in done}
            shared = [p for p in done if p.page.name in reference]
            ratio = (sum(p.seconds for p in shared) / sum(reference[p.page.name] for p in shared)
                     if shared and sum(reference[p.page.name] for p in shared) > 0 else None)
            rows.append(BenchRow(
                engine=run.spec.name, corpus=corpus, pages=len(done), failed=failed,
                score=sum_scores([p.analysis.score for p in done], name=f"{run.spec.name} {corpus}"),
                seconds_per_page=seconds, pages_per_hour=3600 / seconds if seconds else None,
                time_ratio=ratio, peak_rss_mb=run.peak_rss / 2**20, startup_s=run.startup, threads=run.threads))
    return rows


# --- writing it down ------------------------------------------------------------------------------

def _num(value: float | None, fmt: str) -> str:
    return "–" if value is None else format(value, fmt)


TABLE_COLUMNS = ("engine", "corpus", "pages", "CER", "WER", "order-free CER", "block-flex CER", "RO distance",
                 "RO pairs", "RO found", "s/page", "pages/h", "time ×", "peak RSS MB", "startup s", "threads")


def row_cells(row: BenchRow) -> list[str]:
    s = row.score
    pages = f"{row.pages}" + (f" ({row.failed} failed)" if row.failed else "")
    rates = score_cells(s)[1:]  # the report's cells after GT chars: CER … RO found
    return [row.engine, row.corpus, pages, *rates, _num(row.seconds_per_page, ".2f"),
            _num(row.pages_per_hour, ",.0f"), _num(row.time_ratio, ".2f"), f"{row.peak_rss_mb:,.0f}",
            f"{row.startup_s:.1f}", str(row.threads)]


def folder_notes(result: BenchResult) -> list[str]:
    notes = []
    for label in dict.fromkeys(p.folder for p in result.pages):
        first = next(p for p in result.pages if p.folder == label)
        count = sum(1 for p in result.pages if p.folder == label)
        profile = get_profile(first.profile)
        notes.append(f"{label}: {count} page(s), normalization {profile.name} ({profile.description}), "
                     f"Tesseract -l {first.lang}")
    return notes


def markdown(result: BenchResult, rows: list[BenchRow]) -> str:
    lines = ["| " + " | ".join(TABLE_COLUMNS) + " |", "|" + "|".join("---" for _ in TABLE_COLUMNS) + "|"]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row_cells(r)) + " |" for r in rows]
    notes = [f"- {n}" for n in folder_notes(result)]
    notes += [f"- {r.spec.name}: {r.spec.describe()}" + (f" — not run: {r.skipped}" if r.skipped else "")
              for r in result.engines]
    failures = [f"- {p.engine} on {p.page.name}: {p.error}" for r in result.engines for p in r.pages if p.error]
    return "\n".join([
        f"# Benchmark, {result.started}", "",
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {tesseract_version() or 'no tesseract'}; "
        f"every engine read every page in the same run, taking turns.", "",
        *lines, "",
        "CER and WER as dinglehopper counts them (errors / GT units, summed over pages); order-free: GT lines in any "
        "order; block-flex: GT blocks in any order; RO: reading order of the GT regions found (normalized "
        "edit distance; share of region pairs in order; share of GT regions found). s/page: image in to outputs "
        "written (Broadsheet after its one-time model load, `startup`; Tesseract a whole run). time ×: against the "
        "first engine on the same pages.", "",
        *notes, *(["", "Failures:", *failures] if failures else []), ""])


def plot(rows: list[BenchRow], path: Path) -> None:
    """Accuracy against time: one point per engine and folder, character accuracy (1 − CER)
    hollow, block-flexible accuracy (1 − block-flex CER) filled."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 5.5), dpi=110)
    engines = list(dict.fromkeys(r.engine for r in rows))
    corpora = list(dict.fromkeys(r.corpus for r in rows if r.corpus != "all"))
    markers = "osD^vP*X"
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    shown = [r for r in rows if r.corpus != "all" and r.seconds_per_page]
    for r in shown:
        colour = colours[engines.index(r.engine) % len(colours)]
        marker = markers[corpora.index(r.corpus) % len(markers)]
        flex, plain = max(0.0, 1 - r.score.flex_cer), max(0.0, 1 - r.score.cer)
        ax.scatter([r.seconds_per_page], [flex], color=colour, marker=marker, s=70, zorder=3)
        ax.scatter([r.seconds_per_page], [plain], facecolors="none", edgecolors=colour, marker=marker, s=70, zorder=3)
        ax.plot([r.seconds_per_page] * 2, [plain, flex], color=colour, lw=0.8, alpha=0.6)
    times = [r.seconds_per_page for r in shown]
    if times and max(times) > 10 * min(times):
        ax.set_xscale("log")
        ax.set_xlabel("seconds per page (log scale)")
    else:
        ax.set_xlim(0, 1.15 * max(times, default=1))
        ax.set_xlabel("seconds per page")
    # Colour tells the engine, the marker the folder of pages: two legends, no labels on the points.
    engine_legend = ax.legend(handles=[plt.Line2D([], [], marker="o", color=colours[i % len(colours)], ls="",
                                                  label=e) for i, e in enumerate(engines)],
                              title="engine", loc="lower left", fontsize=8)
    ax.add_artist(engine_legend)
    ax.legend(handles=[plt.Line2D([], [], marker=markers[i % len(markers)], color="grey", ls="", label=c)
                       for i, c in enumerate(corpora)], title="pages", loc="lower right", fontsize=8)
    ax.set_ylabel("character accuracy")
    ax.set_ylim(-0.02, 1.02)
    ax.grid(True, which="both", alpha=0.3)
    ax.set_title("Accuracy against time (filled: block-flexible, hollow: plain 1 − CER)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def write_bench(result: BenchResult, out: Path, html: bool = True) -> dict[str, Path]:
    """bench.json, bench.md, bench.png and (with `html`) a report per engine; returns their paths."""
    from .report_html import write_report

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rows = bench_rows(result)
    data = {
        "started": result.started,
        "seconds": round(result.seconds, 1),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "tesseract": tesseract_version()},
        "folders": folder_notes(result),
        "engines": [{"name": r.spec.name, "program": r.spec.program, "command": r.spec.describe(),
                     "config": str(r.spec.config) if r.spec.config else None, "overrides": list(r.spec.overrides),
                     "threads": r.threads, "startup_s": round(r.startup, 2),
                     "peak_rss_mb": round(r.peak_rss / 2**20, 1),
                     "skipped": r.skipped} for r in result.engines],
        "rows": [{"engine": r.engine, "corpus": r.corpus, "pages": r.pages, "failed": r.failed,
                  **{k: v for k, v in r.score.to_dict().items() if k not in ("name", "missing")},
                  "seconds_per_page": r.seconds_per_page, "pages_per_hour": r.pages_per_hour,
                  "time_ratio": r.time_ratio, "peak_rss_mb": round(r.peak_rss_mb, 1), "startup_s": r.startup_s,
                  "threads": r.threads} for r in rows],
        "pages": [{"engine": p.engine, "page": p.page.name, "image": str(p.page.image), "gt": str(p.page.gt),
                   "output": str(p.output) if p.output else None, "seconds": round(p.seconds, 3), "error": p.error,
                   **(p.analysis.score.rates() if p.analysis else {})}
                  for r in result.engines for p in r.pages],
    }
    paths = {"json": out / "bench.json", "markdown": out / "bench.md", "plot": out / "bench.png"}
    paths["json"].write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    paths["markdown"].write_text(markdown(result, rows), encoding="utf-8")
    plot(rows, paths["plot"])
    if html:
        for run in result.engines:
            analyses = [p.analysis for p in run.pages if p.analysis is not None]
            if not analyses:
                continue
            failures = [PageFailure(p.page.name, p.output or p.page.image, p.error) for p in run.pages if p.error]
            paths[f"report:{run.spec.name}"] = write_report(
                analyses, out / run.spec.name / "report", failures,
                images={p.page.name: p.page.image for p in run.pages},
                title=f"{run.spec.name}: {run.spec.describe()}")
    return paths


__all__ = ["BenchError", "BenchPage", "BenchResult", "BenchRow", "DEFAULT_ENGINES", "EngineSpec", "bench_rows",
           "find_bench_pages", "markdown", "parse_engine", "plot", "run_bench", "write_bench"]
