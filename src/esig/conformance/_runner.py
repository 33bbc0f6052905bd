"""Running a corpus manifest: each row with a stated expectation goes through esig."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from esig.conformance._expect import (
    ManifestRow,
    classify,
    container_reason,
    is_container,
    read_manifest,
    scope_reason,
    unsupported_reason,
)
from esig.conformance._judge import judge, run_document
from esig.conformance._model import CaseResult, Expect, Outcome, Status

__all__ = ["IsolatedRunner", "run_manifest"]

_SHORT = 160
_UNSIGNED_INPUT = (
    "the PDF holds no signature (an input the source signs: its expectation is about the "
    "signed output)"
)
_DETACHED_CONTENT = (
    "the file holds no signature (the signed content of a detached signature: the expectation "
    "is about that signature)"
)


class IsolatedRunner:
    """Runs files in a child process with a hard time limit (killed and restarted on expiry)."""

    def __init__(self, *, hard_limit: float = 60.0, memory: bool = True) -> None:
        self.hard_limit = hard_limit
        self.memory = memory
        self._proc: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str] = queue.Queue()

    def _start(self) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "esig.conformance._worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self._lines = queue.Queue()
        stdout = proc.stdout
        assert stdout is not None
        threading.Thread(target=self._pump, args=(stdout, self._lines), daemon=True).start()
        return proc

    @staticmethod
    def _pump(stream: IO[str], lines: queue.Queue[str]) -> None:
        for line in stream:
            lines.put(line)
        lines.put("")

    def __call__(self, path: Path) -> Outcome:
        if self._proc is None or self._proc.poll() is not None:
            self._proc = self._start()
        proc = self._proc
        assert proc.stdin is not None
        try:
            proc.stdin.write(json.dumps({"path": str(path), "memory": self.memory}) + "\n")
            proc.stdin.flush()
            line = self._lines.get(timeout=self.hard_limit)
        except queue.Empty:
            self.close()
            return Outcome(
                "killed",
                error="Timeout",
                message=f"over {self.hard_limit:g} s",
                seconds=self.hard_limit,
            )
        except BrokenPipeError:
            line = ""
        if not line:  # the worker died (out of memory, signal)
            code = proc.wait()
            self._proc = None
            return Outcome("killed", error="WorkerDied", message=f"exit status {code}")
        return Outcome.from_dict(json.loads(line))

    def close(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            self._proc = None


def _in_process(path: Path) -> Outcome:
    return run_document(path)


def run_manifest(
    corpus: Path,
    *,
    categories: Iterable[str] = (),
    limit: int | None = None,
    run: Callable[[Path], Outcome] | None = None,
    progress: Callable[[CaseResult], None] | None = None,
    select: Callable[[ManifestRow], bool] | None = None,
) -> list[CaseResult]:
    """Judge every row of ``corpus/MANIFEST.tsv`` (``security`` group rows are the suites).

    :param categories: only these categories (all when empty).
    :param limit: at most this many rows that are actually run (unsupported and skipped rows
        are still listed).
    :param select: only rows for which this returns True (e.g. a CI-sized subset).
    :param run: how to run one file (default: in this process; pass an :class:`IsolatedRunner`
        for a hard time limit per file).
    """
    wanted = set(categories)
    runner = run or _in_process
    results: list[CaseResult] = []
    ran = 0
    for row in read_manifest(corpus / "MANIFEST.tsv"):
        if row.category == "security" or (wanted and row.category not in wanted):
            continue
        if select is not None and not select(row):
            continue
        result = _case(row, corpus, runner, skip_run=limit is not None and ran >= limit)
        if result is None:
            continue
        if result.status not in (Status.UNSUPPORTED, Status.SKIPPED):
            ran += 1
        results.append(result)
        if progress is not None:
            progress(result)
    return results


def _case(
    row: ManifestRow, corpus: Path, runner: Callable[[Path], Outcome], *, skip_run: bool
) -> CaseResult | None:
    expect, vocabulary, detail = classify(row)

    def result(status: Status, reason: str, outcome: Outcome | None = None) -> CaseResult:
        return CaseResult(
            suite="manifest",
            category=row.category,
            source=row.source,
            case=row.path,
            vocabulary=vocabulary,
            expect=expect,
            expected=row.expected[:_SHORT],
            status=status,
            got=outcome.describe() if outcome is not None else "",
            reason=reason,
            seconds=outcome.seconds if outcome is not None else 0.0,
            peak_bytes=outcome.peak_bytes if outcome is not None else 0,
        )

    out_of_scope = scope_reason(row)
    if out_of_scope:
        return result(Status.SKIPPED, out_of_scope)
    unsupported = unsupported_reason(row)
    if unsupported:
        return result(Status.UNSUPPORTED, unsupported)
    if is_container(row) and (corpus / row.path).is_file():
        inside = container_reason(corpus / row.path)  # CAdES, time-stamp tokens, ...
        if inside:
            return result(Status.UNSUPPORTED, inside)
    if expect is Expect.NONE:
        return result(Status.SKIPPED, "no stated expectation")
    if expect in (Expect.INTACT, Expect.EXACT) and "ds:Signature x0" in row.format:
        return result(Status.SKIPPED, _DETACHED_CONTENT)
    if expect is Expect.INTACT and row.format.startswith("PDF") and "ByteRange:0" in row.format:
        return result(Status.SKIPPED, _UNSIGNED_INPUT)
    if skip_run:
        return None
    path = corpus / row.path
    if not path.is_file():
        return result(Status.SKIPPED, "file missing from the corpus")
    outcome = runner(path)
    status, why = judge(expect, detail, outcome)
    return result(status, why, outcome)
