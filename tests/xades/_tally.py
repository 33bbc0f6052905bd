"""Corpus agreement counts, printed at the end of the test session (see conftest)."""

from __future__ import annotations

from collections import Counter

COUNTS: Counter[str] = Counter()
ROWS: dict[str, list[str]] = {"disagree": [], "unsupported": []}
