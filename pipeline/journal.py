"""The run journal: one JSON line per page tried, in the output folder, so a batch can be resumed
and audited.

    {"page": "reel-1/x-p0002", "source": "/scans/reel-1/x.pdf", "status": "failed", "seconds": 0.4,
     "error": "page 2 of the PDF cannot be rendered (...)", "time": "2026-11-30T12:00:00+00:00"}

Only the batch's main process writes it, a whole line at a time, flushed to disk before the
next page is reported; a line cut short by a kill is skipped on reading. A page's latest line
is its state. The file is locked while a run writes to it, so two runs can't share a folder.
"""

from __future__ import annotations

import fcntl
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

JOURNAL_NAME = "journal.jsonl"
DONE, FAILED = "done", "failed"


class JournalLocked(RuntimeError):
    """Another run is writing to the same output folder."""


def read_journal(path: Path) -> dict[str, dict[str, Any]]:
    """Each page's latest record, by page key."""
    latest: dict[str, dict[str, Any]] = {}
    if not path.exists():
        return latest
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a line cut short when a run was killed
            if isinstance(record, dict) and isinstance(record.get("page"), str):
                latest[record["page"]] = record
    return latest


class Journal:
    def __init__(self, out_dir: Path):
        self.path = out_dir / JOURNAL_NAME
        out_dir.mkdir(parents=True, exist_ok=True)
        existed = self.path.exists()
        # Only each page's status is kept in memory (a million pages: some tens of MB).
        self.status: dict[str, str] = {page: str(r.get("status")) for page, r in read_journal(self.path).items()}
        self._file = open(self.path, "a", encoding="utf-8")
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.close()
            raise JournalLocked(f"{out_dir}: another broadsheet run is writing to this output folder") from None
        self._created = not existed
        self.written = 0
        if existed and self.path.stat().st_size and not self._ends_with_newline():
            self._file.write("\n")  # the last line was cut short by a kill: start clean

    def _ends_with_newline(self) -> bool:
        with open(self.path, "rb") as f:
            f.seek(-1, os.SEEK_END)
            return f.read(1) == b"\n"

    def record(self, page: str, source: str, status: str, seconds: float = 0.0, error: str = "",
               **extra: Any) -> None:
        entry: dict[str, Any] = {"page": page, "source": source, "status": status, "seconds": round(seconds, 3)}
        if error:
            entry["error"] = error
        entry.update({k: v for k, v in extra.items() if v not in (None, "")})
        entry["time"] = datetime.now(UTC).replace(microsecond=0).isoformat()
        self._file.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())
        self.status[page] = status
        self.written += 1

    def close(self) -> None:
        if self._file.closed:
            return
        self._file.close()
        if self._created and self.written == 0:
            self.path.unlink(missing_ok=True)  # nothing happened: leave no empty journal behind

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
