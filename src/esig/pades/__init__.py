"""PAdES (PDF) signatures: verification on top of pyHanko, with esig's verdicts and policies."""

from __future__ import annotations

from esig.pades._verify import verify_pdf

__all__ = ["verify_pdf"]
