from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/pages.py


@pytest.fixture(scope="session")
def shared() -> Path:
    """The project's shared material (../shared), absent on a fresh clone elsewhere."""
    if not (SHARED / "samples" / "seed-page.jpg").exists():
        pytest.skip("../shared is not here")
    return SHARED


@pytest.fixture(scope="session")
def cfg():
    from pipeline.config import load_config

    return load_config()
