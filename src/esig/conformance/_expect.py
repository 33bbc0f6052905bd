"""Reading a manifest row's free-text expectation in its source's vocabulary.

Each source project states verdicts in its own words; :func:`classify` maps them to an
:class:`~esig.conformance._model.Expect` and names the vocabulary it used. The mapping is
documented in ``docs/conformance.md``; rules are tried in order, the first match wins.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from esig.conformance._model import Expect
from esig.errors import InputError

__all__ = [
    "ManifestRow",
    "classify",
    "container_reason",
    "is_container",
    "read_manifest",
    "scope_reason",
    "unsupported_reason",
]

_COLUMNS = ("category", "local_path", "source_repo", "expected_verdict", "format")


@dataclass(frozen=True)
class ManifestRow:
    """The columns of a manifest row the runner uses."""

    category: str
    path: str
    source: str
    format: str
    expected: str


def read_manifest(path: Path) -> list[ManifestRow]:
    """Rows of a ``MANIFEST.tsv`` (tab-separated, header line; see the corpus README)."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t")
            missing = [c for c in _COLUMNS if c not in (reader.fieldnames or ())]
            if missing:
                raise InputError(f"{path}: not a corpus manifest (missing columns {missing})")
            return [
                ManifestRow(
                    r["category"] or "",
                    r["local_path"] or "",
                    r["source_repo"] or "",
                    r["format"] or "",
                    (r["expected_verdict"] or "").strip(),
                )
                for r in reader
            ]
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc


#: ASiC containers (esig.asic reads them; what is inside may still be unsupported, see
#: :func:`container_reason`).
_ASIC_SUFFIXES = (".asice", ".asics", ".sce", ".scs", ".bdoc", ".edoc")
#: Other ZIP containers: OpenDocument signatures and Lithuanian ADOC.
_OTHER_CONTAINER_SUFFIXES = (".adoc", ".odt", ".ods", ".odp")


def is_container(row: ManifestRow) -> bool:
    """Whether the row's file is run as an ASiC container (a ZIP that is not ODF or ADOC)."""
    low = row.path.lower()
    if low.endswith(_OTHER_CONTAINER_SUFFIXES):
        return False
    return low.endswith(_ASIC_SUFFIXES) or row.format.startswith("ZIP")


def container_reason(path: Path) -> str:
    """Why esig cannot verify the ASiC container at ``path`` ('' when it can, or when it
    refuses the file for another reason: that refusal is the verdict that gets judged)."""
    from esig.asic import UnsupportedContainerError, read_container
    from esig.errors import EsigError

    try:
        read_container(path.read_bytes(), name=path.name)
    except UnsupportedContainerError as exc:
        return f"{exc.feature}: not supported"
    except (EsigError, OSError):
        return ""
    return ""


def scope_reason(row: ManifestRow) -> str:
    """Why a row is not a signed document for the conformance run ('' when it is).

    Such rows are skipped here, not unsupported: esig reads them, elsewhere.
    """
    if row.category == "certs":
        return "certificate claim, not a signed document: checked by tests/certs"
    if row.category == "trusted-lists":
        return (
            "trusted list: checked row by row, with the pinned signers each needs, by "
            "tests/trust/test_corpus_manifest.py"
        )
    if row.category == "policies":
        return "validation policy file, not a signed document"
    return ""


def unsupported_reason(row: ManifestRow) -> str:
    """Why esig cannot verify this row's file ('' when it can)."""
    low = row.path.lower()
    if low.endswith(_OTHER_CONTAINER_SUFFIXES):
        return "container (ODF/ADOC): not supported"
    if is_container(row):
        return ""
    if low.endswith(".ddoc"):
        return "DigiDoc (DDOC): not supported"
    if low.endswith((".p7s", ".p7m", ".p7b", ".cms")):
        return "CAdES / CMS detached signature: not supported"
    if low.endswith((".ers", ".tsr", ".tst")) or "evidence-record" in low:
        return "evidence record / bare timestamp (RFC 4998/6283/3161): not supported"
    if not (low.endswith(".pdf") or low.endswith(".xml") or row.format.startswith(("PDF", "XML"))):
        return f"file type {Path(low).suffix or '?'}: not a PDF or XML document"
    return ""


#: ``asserts INDETERMINATE,SIG_CONSTRAINTS_FAILURE`` (DSS), ``AdES INDETERMINATE /
#: CRYPTO_CONSTRAINTS_FAILURE`` (pyHanko), ``TOTAL_FAILED / FORMAT_FAILURE``.
_EXACT = re.compile(r"\b(TOTAL_FAILED|FAILED|INDETERMINATE)\s*[,/]\s*([A-Z][A-Z_]{5,})")

# (vocabulary, expectation, pattern): the first match wins.
_RULES: tuple[tuple[str, Expect, re.Pattern[str]], ...] = tuple(
    (voc, exp, re.compile(pat, re.IGNORECASE))
    for voc, exp, pat in (
        ("hardened XML parser", Expect.REFUSE, r"parser must refuse|XMLDocument\(\) throws"),
        ("RUB-NDS DTD attack", Expect.ROBUST, r"hardened signature parser"),
        ("DSS DoS", Expect.ROBUST, r"^DoS:|must complete within"),
        ("no signature", Expect.UNSIGNED, r"^n/a\b|^no signature$|unsigned input"),
        ("pyHanko modification level", Expect.REJECT, r"modification_level OTHER|SUSPICIOUS"),
        ("pyHanko", Expect.REJECT, r"SignationValidationError|SignatureValidationError"),
        (
            "attack / invalid",
            Expect.REJECT,
            r"\bATTACK\b|\bINVALID\b|must be rejected|must not be accepted|hash mismatch|"
            r"manipulat|\bSHADOW\b|SPOOFING|WRAPPING|visually modified|\bFalse\b|"
            r"not resolved|rejected",
        ),
        ("DSS diagnostic", Expect.REJECT, r"signature NOT intact|B-level NOT technically valid"),
        (
            "DSS diagnostic",
            Expect.INTACT,
            r"B-level crypto intact\+valid|^signature intact|signature intact$|"
            r"signature intact;(?! signature value NOT valid)",
        ),
        ("DSS diagnostic", Expect.REJECT, r"signature value NOT valid|NOT intact"),
        (
            "pyHanko modification level",
            Expect.INTACT,
            r"modification_level (?:FORM_FILLING|ANNOTATIONS|LTA_UPDATES|NONE)|FORM_FILLING",
        ),
        ("pyHanko", Expect.INTACT, r"val_trusted|val_untrusted|bottom_line True|intact"),
        ("TOTAL_PASSED", Expect.INTACT, r"TOTAL_PASSED"),
        (
            "valid / legitimate",
            Expect.INTACT,
            r"^\"?VALID\b|^valid\b|signature valid|valid signature|legitimate|"
            r"at least one valid signature|valid \(",
        ),
    )
)

_NO_EXPECTATION = re.compile(
    r"no assertion on result|^[A-Za-z0-9]+: see asserts$|^see asserts|^opens", re.IGNORECASE
)


def classify(row: ManifestRow) -> tuple[Expect, str, str]:
    """``(expectation, vocabulary, detail)`` for a row; ``detail`` is the exact verdict for
    :attr:`Expect.EXACT` (``"TOTAL_FAILED/HASH_FAILURE"``), else ''."""
    text = row.expected
    if not text or _NO_EXPECTATION.search(text):
        return Expect.NONE, "none", ""
    match = _EXACT.search(text)
    if match is not None:
        indication = "TOTAL_FAILED" if match.group(1) == "FAILED" else match.group(1)
        voc = "pyHanko AdES" if "AdES " in text[: match.start() + 5] else "DSS indication"
        return Expect.EXACT, voc, f"{indication}/{match.group(2)}"
    for voc, expect, pattern in _RULES:
        if pattern.search(text):
            return expect, _vocabulary(row, voc), ""
    return Expect.NONE, "none", ""


def _vocabulary(row: ManifestRow, generic: str) -> str:
    source = row.source.split("/")[-1]
    if generic in ("attack / invalid", "valid / legitimate"):
        return f"{source} valid/invalid"
    return generic
