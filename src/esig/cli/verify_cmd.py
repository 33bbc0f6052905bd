"""``esig verify``: verify signed documents and print the verdict for an officer or as JSON.

Exit codes (in addition to the common ones of :mod:`esig.cli`): 0 when every signature of every
file is TOTAL_PASSED, 1 when some signature is TOTAL_FAILED, 8 when none failed but some is
INDETERMINATE (e.g. revocation data missing: it may pass later or with more trust data).
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from cryptography import x509

    from esig.report import SignatureReport, ValidationReport

__all__ = ["EXIT_FAILED", "EXIT_INDETERMINATE", "render_report_text", "verify"]

EXIT_FAILED = 1
EXIT_INDETERMINATE = 8

_CERT_SUFFIXES = {".pem", ".crt", ".cer", ".der"}


def load_anchors(location: Path) -> list[x509.Certificate]:
    """Anchor certificates from a PEM/DER file or every certificate file in a directory."""
    from esig.certs import read_certificates
    from esig.errors import ConfigurationError

    files = (
        sorted(p for p in location.iterdir() if p.suffix.lower() in _CERT_SUFFIXES)
        if location.is_dir()
        else [location]
    )
    anchors: list[x509.Certificate] = []
    for path in files:
        for info in read_certificates(path):
            cert = info.to_cryptography()
            if cert is None:
                raise ConfigurationError(f"{path}: an anchor certificate that cannot be used")
            anchors.append(cert)
    if not anchors:
        raise ConfigurationError(f"{location}: no anchor certificates found")
    return anchors


def _load_trust(location: Path, when: datetime) -> object:
    """A trust store from a trust configuration (its unusable lists reported on stderr), or the
    anchor certificates of a file or directory."""
    from esig.trust.config import is_trust_config, load_trust_config

    if not is_trust_config(location):
        return load_anchors(location)
    store = load_trust_config(location).load_store(when)
    for loaded in store.problems:
        reasons = "; ".join(f"{f.code}: {f.message}" for f in loaded.reasons)
        click.echo(f"warning: trusted list {loaded.location} not used ({reasons})", err=True)
    return store


def _time(value: datetime | None) -> str:
    return "unknown" if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def _signature_text(sig: SignatureReport, validation_time: datetime) -> list[str]:
    verdict = sig.indication.value + (
        f" / {sig.sub_indication.value}" if sig.sub_indication else ""
    )
    what = "document time-stamp" if sig.kind == "document-timestamp" else "signature"
    lines = [f"  {sig.id} ({what}): {verdict}"]
    if sig.signer is not None:
        nid = sig.signer.national_id
        label = "TSA" if sig.kind == "document-timestamp" else "Signer"
        lines += [
            f"    {label + ':':<15}{sig.signer.name}",
            f"    {'National ID:':<15}"
            + ("none found" if nid is None else f"{nid.scheme} {nid.value}"),
            f"    {'Country:':<15}{sig.signer.country or 'not stated'}",
            f"    {'Issuer:':<15}{sig.signer.issuer}",
        ]
    else:
        lines.append(f"    {'Signer:':<15}unknown (no readable signing certificate)")
    best = sig.best_signature_time
    proven = (
        "no proof of an earlier time"
        if best is None or best == validation_time
        else f"existed by {_time(best)} (time-stamp)"
    )
    lines += [
        f"    {'Signed:':<15}claimed {_time(sig.claimed_signing_time)}; {proven}",
        f"    {'Level:':<15}{sig.level.value}",
        f"    {'Qualification:':<15}{sig.qualification.value}",
    ]
    for ts in sig.timestamps:
        ts_verdict = ts.indication.value + (
            f" / {ts.sub_indication.value}" if ts.sub_indication else ""
        )
        lines.append(f"    {'Time-stamp:':<15}{ts.kind} {_time(ts.time)} by {ts.tsa}: {ts_verdict}")
    lines += [f"    reason:  {r.message} [{r.code}]" for r in sig.reasons]
    lines += [f"    warning: {w.message} [{w.code}]" for w in sig.warnings]
    return lines


def render_report_text(report: ValidationReport) -> str:
    """The text ``esig verify`` prints for one document."""
    overall = report.indication.value + (
        f" / {report.sub_indication.value}" if report.sub_indication else ""
    )
    lines = [
        f"{report.document_name}: {overall}",
        f"  profile {report.profile}, validated at {_time(report.validation_time)}, "
        f"{len(report.signatures)} signature(s) and time-stamp(s)",
    ]
    for sig in report.signatures:
        lines += _signature_text(sig, report.validation_time)
    lines += [f"  warning: {w.message} [{w.code}]" for w in report.warnings]
    return "\n".join(lines)


def _parse_time(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"not an ISO 8601 time: {value!r}", param_hint="--at") from None
    if when.tzinfo is None:
        raise click.BadParameter("give a time zone, e.g. 2036-06-01T12:00:00Z", param_hint="--at")
    return when


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--trust",
    "trust_path",
    type=click.Path(exists=True, path_type=Path),
    help="A trust configuration (.toml: pinned trusted lists, see docs/trust-store.md), or "
    "anchor certificates: a PEM/DER file or a directory of them.",
)
@click.option("--profile", default="default", show_default=True, help="Profile name or TOML path.")
@click.option("--at", "at", help="Validation time, ISO 8601 with a zone (default: now).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl", "xml"]),
    default="text",
    show_default=True,
    help="jsonl: one JSON report per line, printed as soon as it is ready; "
    "xml: an ETSI TS 119 102-2 validation report (one FILE).",
)
@click.option("--offline", is_flag=True, help="Never fetch OCSP/CRLs, whatever the profile says.")
@click.option(
    "--jobs",
    "-j",
    type=int,
    default=1,
    show_default=True,
    help="Worker processes for several FILES (0: one per CPU).",
)
def verify(
    files: tuple[Path, ...],
    trust_path: Path | None,
    profile: str,
    at: str | None,
    fmt: str,
    offline: bool,
    jobs: int,
) -> int:
    """Verify the signatures of signed PDF FILES.

    Exit status: 0 all TOTAL_PASSED; 1 some signature TOTAL_FAILED; 8 none failed but some
    INDETERMINATE. JSON output is the report of each file (an array for several files); JSON
    lines output is one compact report per line, in the order of FILES; XML output is the ETSI
    TS 119 102-2 validation report of a single FILE. With several FILES the
    trust anchors and certificate path results are shared (esig.batch.verify_many).
    """
    import dataclasses

    from esig.batch import verify_many
    from esig.errors import ConfigurationError
    from esig.policy import load_profile
    from esig.report import Indication

    if fmt == "xml" and len(files) != 1:
        raise click.UsageError("--format xml reports on one FILE (one XML report per document)")
    when = _parse_time(at) or datetime.now(UTC)
    if trust_path is None:
        raise ConfigurationError(
            "no trust configured: pass --trust CONFIG.toml (trusted lists) or FILE|DIR (anchors) "
            "(esig never uses the operating system's CA store)"
        )
    trust = _load_trust(trust_path, when)
    prof = load_profile(profile)
    if offline:
        prof = dataclasses.replace(prof, online=False)
    results = verify_many(files, trust=trust, profile=prof, validation_time=when, jobs=jobs)
    reports: list[ValidationReport] = []
    progress = len(files) > 1 and sys.stderr.isatty()
    for done, report in enumerate(results, start=1):
        reports.append(report)
        if fmt == "jsonl":
            click.echo(json.dumps(report.to_dict(), ensure_ascii=False, separators=(",", ":")))
            sys.stdout.flush()
        if progress:
            click.echo(f"\r{done}/{len(files)} verified", nl=False, err=True)
    if progress:
        click.echo(err=True)
    if fmt == "json":
        if len(reports) == 1:
            click.echo(reports[0].to_json())
        else:
            click.echo(json.dumps([r.to_dict() for r in reports], indent=2, ensure_ascii=False))
    elif fmt == "text":
        click.echo("\n\n".join(render_report_text(r) for r in reports))
    elif fmt == "xml":
        from esig.report_xml import to_etsi_xml

        click.echo(to_etsi_xml(reports[0], document=files[0].read_bytes()), nl=False)
    indications = {r.indication for r in reports}
    if Indication.TOTAL_FAILED in indications:
        return EXIT_FAILED
    if Indication.INDETERMINATE in indications:
        return EXIT_INDETERMINATE
    return 0
