"""Fixtures of the trusted-list tests: throwaway list signers (generated once per session)."""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from tests.trust import _tlgen


@pytest.fixture(scope="session")
def signer() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """The scheme operator's key and certificate."""
    return _tlgen.make_signer("Test TL Signer")


@pytest.fixture(scope="session")
def other_signer() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A second, unrelated signer (an attacker, or a signer that is not pinned)."""
    return _tlgen.make_signer("Someone Else")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print how many trusted-list manifest rows agreed with their stated expectation."""
    from tests.trust import _tally

    if not _tally.COUNTS:
        return
    counts = _tally.COUNTS
    terminalreporter.write_line(
        f"corpus trusted-list rows: {counts['agree']} agree with their expected verdict, "
        f"{counts['skip']} skipped (reasons below), {counts['no-verdict']} without a verdict "
        "(fail-closed parse only)"
    )
    by_reason: dict[str, list[str]] = {}
    for path, reason in sorted(_tally.SKIPPED.items()):
        by_reason.setdefault(reason, []).append(path)
    for reason, paths in by_reason.items():
        terminalreporter.write_line(f"  skipped {len(paths)} ({paths[0]}...): {reason}")
