"""A tally of the corpus manifest rows checked in this run (printed by ``conftest.py``)."""

from __future__ import annotations

from collections import Counter

COUNTS: Counter[str] = Counter()
SKIPPED: dict[str, str] = {}


def record(outcome: str, path: str, reason: str) -> None:
    """Count one row: ``agree``, ``skip`` (with its reason) or ``no-verdict``."""
    COUNTS[outcome] += 1
    if outcome == "skip":
        SKIPPED[path] = reason
