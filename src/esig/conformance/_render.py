"""Rendering a conformance run: a Markdown table or JSON, from the same CaseResult rows."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from esig.conformance._model import BUDGET_BYTES, BUDGET_SECONDS, CaseResult, Status

__all__ = ["render_json", "render_markdown", "totals"]

_ORDER = (Status.AGREE, Status.DISAGREE, Status.UNDECIDED, Status.UNSUPPORTED, Status.SKIPPED)


def totals(results: Sequence[CaseResult], key: str) -> dict[str, Counter[str]]:
    """Counts of each status per ``category`` or ``source`` (plus ``TOTAL``)."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for r in results:
        group = r.category if key == "category" else r.source
        out[group][r.status.value] += 1
        out["TOTAL"][r.status.value] += 1
    return dict(out)


def _table(counts: dict[str, Counter[str]], first: str) -> list[str]:
    head = f"| {first} | " + " | ".join(s.value for s in _ORDER) + " | total |"
    lines = [head, "|---" * (len(_ORDER) + 2) + "|"]
    for name in sorted(counts, key=lambda n: (n == "TOTAL", n)):
        c = counts[name]
        cells = " | ".join(str(c[s.value]) for s in _ORDER)
        label = f"**{name}**" if name == "TOTAL" else name
        lines.append(f"| {label} | {cells} | {sum(c.values())} |")
    return lines


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def render_markdown(results: Sequence[CaseResult], *, title: str = "esig conformance") -> str:
    """Totals per category and per source, budget overruns, then every row that is not an
    agreement (disagree, undecided, unsupported, skipped), each with esig's verdict and reason."""
    lines = [f"## {title}", "", "### Totals per category", ""]
    lines += _table(totals(results, "category"), "category")
    lines += ["", "### Totals per source", ""]
    lines += _table(totals(results, "source"), "source")
    over = [r for r in results if r.over_budget]
    lines += [
        "",
        f"### Budget: files over {BUDGET_SECONDS:g} s or {BUDGET_BYTES // 2**20} MB",
        "",
    ]
    timed = [r for r in results if r.seconds > 0]
    if timed:
        slowest = max(timed, key=lambda r: r.seconds)
        biggest = max(timed, key=lambda r: r.peak_bytes)
        lines.append(
            f"{len(timed)} runs measured; slowest {slowest.seconds:.2f} s (`{slowest.case}`), "
            f"largest peak memory {biggest.peak_bytes / 2**20:.1f} MB (`{biggest.case}`)."
        )
        lines.append("")
    if over:
        lines += ["| case | seconds | peak MB |", "|---|---|---|"]
        lines += [f"| `{r.case}` | {r.seconds:.2f} | {r.peak_bytes / 2**20:.1f} |" for r in over]
    else:
        lines.append("None.")
    for status in (Status.DISAGREE, Status.UNDECIDED, Status.UNSUPPORTED, Status.SKIPPED):
        rows = [r for r in results if r.status is status]
        lines += ["", f"### {status.value} ({len(rows)})", ""]
        if not rows:
            lines.append("None.")
            continue
        if status in (Status.UNSUPPORTED, Status.SKIPPED):
            by_reason: dict[str, list[CaseResult]] = defaultdict(list)
            for r in rows:
                by_reason[r.reason].append(r)
            for reason, group in sorted(by_reason.items(), key=lambda kv: -len(kv[1])):
                lines.append(f"<details><summary>{len(group)}: {_cell(reason)}</summary>")
                lines.append("")
                lines += [f"- `{r.case}`" for r in group]
                lines += ["", "</details>", ""]
            continue
        lines += ["| case | expected (source's words) | esig | reason |", "|---|---|---|---|"]
        lines += [
            f"| `{r.case}` | {_cell(r.expected[:100])} | {_cell(r.got)} | {_cell(r.reason)} |"
            for r in rows
        ]
    return "\n".join(lines) + "\n"


def render_json(results: Sequence[CaseResult]) -> str:
    data: dict[str, Any] = {
        "totals": {
            "category": {k: dict(v) for k, v in totals(results, "category").items()},
            "source": {k: dict(v) for k, v in totals(results, "source").items()},
        },
        "budget": {"seconds": BUDGET_SECONDS, "bytes": BUDGET_BYTES},
        "over_budget": [r.case for r in results if r.over_budget],
        "cases": [r.to_dict() for r in results],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
