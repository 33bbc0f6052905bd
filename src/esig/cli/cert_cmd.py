"""``esig cert show``: an officer-readable summary of a certificate."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from esig.certs import CertificateInfo

__all__ = ["cert", "render_certificate_text"]


def _qualified_claims(info: CertificateInfo) -> list[str]:
    qc = info.qc
    claims: list[str] = []
    if qc.compliance:
        legislation = ", ".join(qc.cc_legislation)
        claims.append(
            f"qualified certificate (QcCompliance, legislation {legislation})"
            if legislation
            else "EU qualified certificate (QcCompliance)"
        )
    if qc.btk_nes:
        claims.append("Turkish qualified certificate (BTK NES statement)")
    if qc.sscd:
        claims.append("key in a qualified signature creation device (QcSSCD)")
    if qc.types:
        claims.append("type: " + ", ".join(qc.types))
    if qc.limit_value is not None:
        lv = qc.limit_value
        claims.append(f"transaction limit: {lv.amount} x 10^{lv.exponent} {lv.currency}")
    return claims


def render_certificate_text(info: CertificateInfo) -> str:
    """The text ``esig cert show`` prints: who, national ID, issuer, validity, claims, warnings."""
    nid = info.national_id
    lines = [
        f"Holder:        {info.holder_name}",
        "National ID:   "
        + (
            "none found"
            if nid is None
            else f"{nid.scheme} {nid.value}"
            + (f" ({nid.country})" if nid.country else "")
            + f", from {nid.source}, {nid.confidence}"
        ),
        f"Country:       {info.country or 'not stated'}",
        f"Subject:       {info.subject.text}",
        f"Issuer:        {info.issuer.text}",
        f"Serial:        {info.serial_hex}",
        f"Valid from:    {info.not_before:%Y-%m-%d %H:%M:%S} UTC",
        f"Valid to:      {info.not_after:%Y-%m-%d %H:%M:%S} UTC",
        f"Key:           {info.key.description}",
        f"Key usage:     {', '.join(info.key_usage) or 'not restricted'}",
    ]
    if info.extended_key_usage:
        lines.append(
            "Ext. usage:    " + ", ".join(e.name or e.oid for e in info.extended_key_usage)
        )
    for policy in info.policies:
        lines.append(f"Policy:        {policy.oid}" + (f" ({policy.name})" if policy.name else ""))
    claims = _qualified_claims(info)
    lines.append("Qualified:     " + ("; ".join(claims) if claims else "no qualified claims"))
    lines.append(
        "Note:          claims are what the certificate says; whether it is qualified is decided "
        "by a trusted list (esig verify)"
    )
    for warning in info.warnings:
        lines.append(f"Warning:       {warning.message} [{warning.code}]")
    return "\n".join(lines)


@click.group()
def cert() -> None:
    """Read X.509 certificates from ID cards, e-seals and trusted lists."""


@cert.command("show")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print the full reading as JSON.")
def show(file: str, as_json: bool) -> None:
    """Explain the certificate in FILE (PEM, DER or a PKCS#7 bundle).

    For a bundle, the end-entity certificate is shown. A file that is not a certificate gives
    one line on standard error and exit code 3.
    """
    from esig.certs import read_certificate
    from esig.errors import CertificateError

    try:
        info = read_certificate(file) if _is_file(file) else None
    except OSError as exc:
        raise CertificateError(f"cannot read {file}: {exc.strerror or exc}") from exc
    if info is None:
        raise CertificateError(f"no such file: {file}")
    if as_json:
        click.echo(json.dumps(info.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(render_certificate_text(info))


def _is_file(path: str) -> bool:
    from pathlib import Path

    return Path(path).is_file()
