"""``esig demo``: the main job on bundled TEST-ONLY samples, offline.

An Azerbaijani officer signs the bundled sample export declaration with a test ID card at
B-LTA; the Turkish customs side verifies it under the ``customs-az-tr`` profile against the
bundled test trusted lists (the Turkish list and its recognition of the Azerbaijani list).
``--certificates`` instead explains the bundled sample ID-card and e-seal certificates.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import click

__all__ = ["SAMPLE_CERTIFICATES", "demo"]

#: Bundled sample certificates, one per jurisdiction (written by ``python -m esig.testing``).
SAMPLE_CERTIFICATES: tuple[tuple[str, str], ...] = (
    ("Azerbaijan, ID card", "pki/certs/az-idcard-signer.pem"),
    ("Turkey, NES (qualified) certificate", "pki/certs/tr-nes-signer.pem"),
    ("Turkey, Mali Mühür e-seal", "pki/certs/tr-malimuhur-seal.pem"),
    ("EU (Estonia-like), ID card", "pki/certs/ee-idcard-signer.pem"),
)


def _explain_certificates() -> None:
    from esig.certs import read_certificate
    from esig.cli.cert_cmd import render_certificate_text

    samples = resources.files("esig") / "samples"
    for title, name in SAMPLE_CERTIFICATES:
        info = read_certificate(samples.joinpath(name).read_bytes())
        click.echo(f"== {title}: {name}")
        click.echo(render_certificate_text(info))
        click.echo("")


@click.command()
@click.option(
    "--certificates", is_flag=True, help="Explain the bundled sample certificates instead."
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the signed declaration to this file.",
)
def demo(certificates: bool, output: Path | None) -> None:
    """Sign a sample customs declaration and verify it, offline (TEST-ONLY material)."""
    if certificates:
        _explain_certificates()
        return
    from esig._demo import SIGNER, TSA, run_demo
    from esig.cli.verify_cmd import render_report_text
    from esig.report import Indication

    click.echo("1. An Azerbaijani officer signs the sample export declaration with a test ID card")
    click.echo(f"   ({SIGNER}, PAdES B-LTA, time-stamp by {TSA}, revocation data embedded).")
    result = run_demo()
    click.echo(
        f"   signed: {len(result.signed_pdf)} bytes at {result.signed_at:%Y-%m-%d %H:%M:%SZ}"
    )
    if output is not None:
        from esig.signing.pdf import write_atomically

        write_atomically(output, result.signed_pdf)
        click.echo(f"   written to {output}")
    click.echo("2. Turkish customs verifies it offline: profile customs-az-tr, trusted lists from")
    click.echo("   trust_lists/ (the Turkish list + its recognition of the Azerbaijani list).")
    click.echo("")
    click.echo(render_report_text(result.report))
    if result.report.indication is not Indication.TOTAL_PASSED:
        raise click.ClickException("the demo signature did not verify: see the report above")
