"""Conformance: esig's verdicts against what other implementations assert.

:func:`run_manifest` reads a corpus manifest (``MANIFEST.tsv``: category, path, source,
expected verdict in the source's own words), runs esig on every file with a stated expectation
and compares; :func:`run_pkits`, :func:`run_limbo` and :func:`run_openssl_ocsp` run the
certificate-path suites through :mod:`esig.validation.chain`; :func:`run_xmlsec_dsig` and
:func:`run_dsig_interop` the XML-DSig interop vectors through esig's XML-DSig core. Every row is a
:class:`CaseResult`: agree, disagree (with esig's verdict and the reason), undecided,
unsupported (listed, never hidden) or skipped (with why). ``esig conformance`` is the command
line; the mapping of each source's vocabulary is in ``docs/conformance.md``.
"""

from __future__ import annotations

from esig.conformance._dsig import run_dsig_interop, run_signxml_xades, run_xmlsec_dsig
from esig.conformance._expect import (
    ManifestRow,
    classify,
    read_manifest,
    scope_reason,
    unsupported_reason,
)
from esig.conformance._judge import CORPUS_TIME, NoAnchors, judge, run_document
from esig.conformance._model import (
    BUDGET_BYTES,
    BUDGET_SECONDS,
    CaseResult,
    Expect,
    Outcome,
    Status,
)
from esig.conformance._render import render_json, render_markdown, totals
from esig.conformance._runner import IsolatedRunner, run_manifest
from esig.conformance._suites import PKITS_TIME, run_limbo, run_openssl_ocsp, run_pkits

__all__ = [
    "BUDGET_BYTES",
    "BUDGET_SECONDS",
    "CORPUS_TIME",
    "PKITS_TIME",
    "CaseResult",
    "Expect",
    "IsolatedRunner",
    "ManifestRow",
    "NoAnchors",
    "Outcome",
    "Status",
    "classify",
    "judge",
    "read_manifest",
    "render_json",
    "render_markdown",
    "run_document",
    "run_dsig_interop",
    "run_limbo",
    "run_manifest",
    "run_openssl_ocsp",
    "run_pkits",
    "run_signxml_xades",
    "run_xmlsec_dsig",
    "scope_reason",
    "totals",
    "unsupported_reason",
]
