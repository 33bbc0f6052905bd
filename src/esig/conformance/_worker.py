"""An isolated worker: one JSON line in (a path), one JSON line out (an Outcome).

Run as ``python -m esig.conformance._worker``. The parent kills it when a file exceeds the
hard time limit and starts a new one, so a hang or a memory blow-up stays one row.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from esig.conformance._judge import run_document


def main() -> int:
    for line in sys.stdin:
        request = json.loads(line)
        outcome = run_document(Path(request["path"]), measure_memory=bool(request["memory"]))
        sys.stdout.write(json.dumps(outcome.to_dict()) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
