"""``esig conformance``: esig's verdicts on a corpus against what its sources assert.

A thin client of :mod:`esig.conformance`. Exit code 0 when the run completed (disagreements are
data in the table, not an error); 3 when the corpus has no manifest.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

__all__ = ["conformance"]

_SUITES = ("pkits", "x509-limbo", "openssl-ocsp")


@click.command()
@click.argument(
    "corpus_dir",
    required=False,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option(
    "--category",
    "categories",
    multiple=True,
    help="Only this manifest category or suite (pades, xades, attacks-pdf, pkits, x509-limbo, "
    "openssl-ocsp...); repeatable. Default: everything.",
)
@click.option("--limit", type=click.IntRange(min=0), help="Run at most N manifest files.")
@click.option(
    "--isolate/--in-process",
    default=True,
    show_default=True,
    help="Run each file in a child process with a hard time limit (kills hangs).",
)
@click.option(
    "--hard-limit",
    type=click.FloatRange(min=1),
    default=60.0,
    show_default=True,
    help="Seconds after which an isolated run is killed (the budget itself is 5 s).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the table to this file instead of standard output.",
)
def conformance(
    corpus_dir: Path | None,
    fmt: str,
    categories: tuple[str, ...],
    limit: int | None,
    isolate: bool,
    hard_limit: float,
    output: Path | None,
) -> None:
    """Compare esig's verdicts with the corpus manifest's expectations, file by file.

    CORPUS_DIR holds MANIFEST.tsv (default: $ESIG_CORPUS or ../shared/corpus). Also runs NIST
    PKITS, x509-limbo and the OpenSSL OCSP vectors from CORPUS_DIR/security through esig's
    chain engine. Writes a Markdown table (or JSON) of agree / disagree / undecided /
    unsupported / skipped rows with totals per category and per source, and the files over the
    5 s / 512 MB budget.
    """
    import os

    from esig import conformance as conf
    from esig.errors import InputError

    root = corpus_dir or Path(os.environ.get("ESIG_CORPUS") or "../shared/corpus")
    if not (root / "MANIFEST.tsv").is_file():
        raise InputError(f"{root}: no MANIFEST.tsv (pass the corpus directory)")
    wanted = set(categories)
    manifest_cats = tuple(c for c in wanted if c not in _SUITES)
    results: list[conf.CaseResult] = []
    if not wanted or manifest_cats:
        runner = conf.IsolatedRunner(hard_limit=hard_limit) if isolate else None
        try:
            results += conf.run_manifest(
                root,
                categories=manifest_cats,
                limit=limit,
                run=runner,
                progress=lambda r: (
                    click.echo(f"{r.status.value:11} {r.case}", err=True)
                    if r.status.value in ("disagree",)
                    else None
                ),
            )
        finally:
            if runner is not None:
                runner.close()
    suites = {
        "pkits": conf.run_pkits,
        "x509-limbo": conf.run_limbo,
        "openssl-ocsp": conf.run_openssl_ocsp,
        "xmlsec-dsig": conf.run_xmlsec_dsig,
        "xmldsig-interop": conf.run_dsig_interop,
        "signxml-xades": conf.run_signxml_xades,
    }
    for name, run in suites.items():
        if (not wanted or name in wanted) and (root / "security").is_dir():
            results += run(root)
    text = conf.render_json(results) if fmt == "json" else conf.render_markdown(results)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
