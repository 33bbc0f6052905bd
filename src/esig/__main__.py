"""``python -m esig``: the same as the ``esig`` command."""

from __future__ import annotations

import sys

from esig.cli import main

sys.exit(main())
