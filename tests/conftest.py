"""Shared fixtures: the corpus location and the frozen validation time."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

#: The validation time tests use unless they say otherwise.
FROZEN_NOW = datetime(2026, 6, 1, 12, 0, 0, tzinfo=UTC)


def corpus_root() -> Path:
    """``$ESIG_CORPUS`` or ``../shared/corpus`` relative to the repository root."""
    env = os.environ.get("ESIG_CORPUS")
    return Path(env) if env else (REPO_ROOT.parent / "shared" / "corpus")


@pytest.fixture(scope="session")
def corpus() -> Path:
    root = corpus_root()
    if not (root / "MANIFEST.tsv").is_file():
        pytest.skip(f"corpus not found at {root} (set ESIG_CORPUS)")
    return root


@pytest.fixture
def frozen_now() -> datetime:
    return FROZEN_NOW
