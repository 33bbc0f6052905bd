"""``esig sign`` and ``esig extend``: PAdES and XAdES signing from the command line.

The key comes from a PKCS#12 file (password from ``ESIG_PKCS12_PASSWORD`` or a prompt) or a
PKCS#11 token such as an ID card (PIN from ``ESIG_PIN`` or a prompt). The input is never
modified; the output appears only when signing succeeded.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

__all__ = ["extend", "sign"]

PASSWORD_ENVIRONMENT_VARIABLE = "ESIG_PKCS12_PASSWORD"
LEVELS = click.Choice(["B-B", "B-T", "B-LT", "B-LTA"])


def _secret(env: str, prompt: str) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    return str(click.prompt(prompt, hide_input=True))


def _certificates(paths: tuple[Path, ...]) -> list[Any]:
    from esig.certs import read_certificates

    loaded = [i.to_cryptography() for path in paths for i in read_certificates(path)]
    return [c for c in loaded if c is not None]


def _is_xml(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(64)
    except OSError:
        return False  # the PDF path reports the error
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"


def _sign_xml_file(
    source: Path,
    target: Path,
    signer: Any,
    level: str,
    tsa: str | None,
    offline: bool,
    no_revocation_check: bool,
    extra: list[Any],
) -> None:
    from esig.signing import RevocationMaterial, sign_xml_document
    from esig.signing.pdf import refuse_overwriting_input, write_atomically

    refuse_overwriting_input(source, target)
    signed = sign_xml_document(
        source.read_bytes(),
        signer,
        level=level,
        tsa_url=tsa,
        revocation=RevocationMaterial(allow_fetching=not offline),
        check_revocation=not no_revocation_check,
        extra_certificates=extra,
    )
    write_atomically(target, signed)


def _load_signer(
    pkcs12: Path | None,
    pkcs11_lib: Path | None,
    token: str | None,
    key: str | None,
    issuers: tuple[Path, ...],
) -> Any:
    from esig.signing import PIN_ENVIRONMENT_VARIABLE, Signer

    if (pkcs12 is None) == (pkcs11_lib is None):
        raise click.UsageError("give either --pkcs12 FILE or --pkcs11-lib LIB --token --key")
    if pkcs12 is not None:
        return Signer.from_pkcs12(
            pkcs12, _secret(PASSWORD_ENVIRONMENT_VARIABLE, "PKCS#12 password")
        )
    if not token or not key:
        raise click.UsageError("--pkcs11-lib needs --token LABEL and --key LABEL")
    return Signer.from_pkcs11(
        pkcs11_lib,  # type: ignore[arg-type]
        token_label=token,
        key_label=key,
        pin=_secret(PIN_ENVIRONMENT_VARIABLE, f"PIN for {token}"),
        issuers=_certificates(issuers),
    )


@click.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("target", type=click.Path(path_type=Path))
@click.option("--pkcs12", type=click.Path(path_type=Path), help="PKCS#12 (.p12/.pfx) key file.")
@click.option("--pkcs11-lib", type=click.Path(path_type=Path), help="PKCS#11 library (card).")
@click.option("--token", help="PKCS#11 token label.")
@click.option("--key", help="PKCS#11 key (and certificate) label.")
@click.option(
    "--issuer",
    "issuers",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Issuer certificates to embed (PKCS#11 cards rarely hold them). Repeatable.",
)
@click.option(
    "--root",
    "roots",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Extra root certificates, e.g. the TSA's, for B-LT/B-LTA (repeatable).",
)
@click.option(
    "--profile",
    "profile_name",
    help="Signing profile: a name in profiles/signing/ or a TOML path; options below override it.",
)
@click.option("--level", type=LEVELS, help="Level (default: the profile's, else B-B).")
@click.option("--tsa", help="Time-stamping authority URL (needed from B-T on).")
@click.option("--reason", help="Reason shown in PDF readers.")
@click.option("--location", help="Location shown in PDF readers.")
@click.option(
    "--visible", is_flag=True, help="Add a visible stamp (signer, national ID, time) on page 1."
)
@click.option(
    "--offline",
    is_flag=True,
    help="Do not fetch OCSP/CRL data (then --no-revocation-check is needed below B-LT).",
)
@click.option(
    "--no-revocation-check",
    is_flag=True,
    help="Sign without knowing whether the certificate is revoked (B-B and B-T only).",
)
def sign(
    source: Path,
    target: Path,
    pkcs12: Path | None,
    pkcs11_lib: Path | None,
    token: str | None,
    key: str | None,
    issuers: tuple[Path, ...],
    roots: tuple[Path, ...],
    profile_name: str | None,
    level: str | None,
    tsa: str | None,
    reason: str | None,
    location: str | None,
    visible: bool,
    offline: bool,
    no_revocation_check: bool,
) -> None:
    """Sign the PDF or XML SOURCE into TARGET (PAdES / XAdES B-B, B-T, B-LT or B-LTA).

    XML is signed enveloped at the root, or in the first UBL extension for UBL documents
    (Turkish e-invoices), with a key file (--pkcs12) or a card (--pkcs11-lib) as PDFs are.

    Refuses expired, revoked and non-signing certificates, encrypted PDFs without password and
    certified PDFs that forbid changes. SOURCE is never modified; TARGET appears only on success.
    Passwords: ESIG_PKCS12_PASSWORD / ESIG_PIN, else a prompt.
    """
    from esig.policy.signing import SigningProfile, load_signing_profile
    from esig.report import SignatureLevel
    from esig.signing import RevocationMaterial, VisibleStamp, sign_pdf_file

    profile = (
        load_signing_profile(profile_name)
        if profile_name
        else SigningProfile(name="command-line", level=SignatureLevel.B_B)
    )
    level = level or profile.level.value
    tsa = tsa or profile.tsa_url
    reason = reason or profile.reason
    location = location or profile.location
    visible = visible or profile.visible_stamp
    offline = offline or not profile.online
    no_revocation_check = no_revocation_check or not profile.check_revocation
    anchors = _certificates(roots)
    signer = _load_signer(pkcs12, pkcs11_lib, token, key, issuers)
    try:
        if _is_xml(source):
            _sign_xml_file(
                source, target, signer, level, tsa, offline, no_revocation_check, anchors
            )
        else:
            sign_pdf_file(
                source,
                target,
                signer,
                level=level,
                timestamper=tsa,
                revocation=RevocationMaterial(allow_fetching=not offline),
                check_revocation=not no_revocation_check,
                reason=reason,
                location=location,
                trust_roots=anchors,
                stamp=VisibleStamp() if visible else None,
                digest=profile.digest,
            )
    finally:
        signer.close()
    click.echo(f"signed {source} -> {target} at {level} by {signer.description}")


@click.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("target", type=click.Path(path_type=Path))
@click.option("--level", type=click.Choice(["B-LT", "B-LTA"]), default="B-LTA", show_default=True)
@click.option("--tsa", help="Time-stamping authority URL (needed for B-LTA).")
@click.option(
    "--root",
    "roots",
    multiple=True,
    required=True,
    type=click.Path(path_type=Path),
    help="Root certificate of the signers' chains (repeatable).",
)
def extend(
    source: Path, target: Path, level: str, tsa: str | None, roots: tuple[Path, ...]
) -> None:
    """Raise the signatures of SOURCE to B-LT or B-LTA into TARGET (fetches OCSP/CRL data)."""
    from esig.signing import RevocationMaterial, extend_pdf
    from esig.signing.pdf import refuse_overwriting_input, write_atomically

    anchors = _certificates(roots)
    refuse_overwriting_input(source, target)
    extended = extend_pdf(
        source,
        level=level,
        timestamper=tsa,
        revocation=RevocationMaterial(allow_fetching=True),
        trust_roots=anchors,
    )
    write_atomically(target, extended)
    click.echo(f"extended {source} -> {target} to {level}")
