"""The isolated runner: a file that hangs is killed at the hard limit and costs one row."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from esig.conformance import Expect, IsolatedRunner, Status, judge
from esig.testing.documents import simple_pdf


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a named pipe (POSIX)")
def test_hanging_file_is_killed_and_the_runner_recovers(tmp_path: Path) -> None:
    hang = tmp_path / "hang.pdf"
    os.mkfifo(hang)  # reading it blocks forever: nobody writes
    unsigned = tmp_path / "unsigned.pdf"
    unsigned.write_bytes(simple_pdf())
    runner = IsolatedRunner(hard_limit=3.0)
    try:
        started = time.monotonic()
        killed = runner(hang)
        assert time.monotonic() - started < 20
        assert (killed.kind, killed.error, killed.message) == ("killed", "Timeout", "over 3 s")
        assert judge(Expect.ROBUST, "", killed) == (Status.DISAGREE, "esig killed: Timeout")
        after = runner(unsigned)  # a fresh worker
        assert (after.kind, after.error) == ("error", "DocumentError")
        assert after.peak_bytes > 0
    finally:
        runner.close()
