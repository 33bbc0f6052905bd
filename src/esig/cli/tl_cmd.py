"""``esig tl``: build, sign, show, verify and refresh ETSI TS 119 612 trusted lists."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from esig.errors import ConfigurationError, InputError

__all__ = ["tl"]


def _time(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO 8601 time: {value!r}") from exc
    if parsed.tzinfo is None:
        raise click.BadParameter("give a time zone (e.g. 2026-06-01T12:00:00Z)")
    return parsed.astimezone(UTC)


def _der(path: str) -> bytes:
    from esig.certs import read_certificate

    return read_certificate(Path(path)).der


def _fmt(value: datetime | None) -> str:
    return value.isoformat() if value is not None else "-"


_AT = click.option("--at", "at", metavar="TIME", help="Validation time, ISO 8601 (default: now).")


@click.group()
def tl() -> None:
    """Trusted lists: build, sign, show, verify, refresh."""


@tl.command()
@click.argument("description", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--cert",
    "certs",
    multiple=True,
    metavar="[NAME=]PATH",
    help="A certificate the description names (NAME defaults to the file name without suffix).",
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
def build(description: str, certs: tuple[str, ...], output: str) -> None:
    """Write an (unsigned) TS 119 612 list from a TOML DESCRIPTION and certificates."""
    from esig.trust.builder import build_trusted_list
    from esig.trust.national import load_description

    named: dict[str, bytes] = {}
    for item in certs:
        name, sep, path = item.partition("=")
        if not sep:
            path, name = item, Path(item).name.split(".")[0]
        named[name] = _der(path)
    spec = load_description(description, named)
    Path(output).write_bytes(build_trusted_list(spec))
    click.echo(
        f"wrote {output}: {spec.territory} sequence {spec.sequence_number}, "
        f"{sum(len(p.services) for p in spec.providers)} service(s), "
        f"{len(spec.pointers)} pointer(s) (unsigned)"
    )


@tl.command()
@click.argument("list_file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--key",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="PEM private key of the scheme operator.",
)
@click.option(
    "--cert",
    "cert",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="The scheme operator's signing certificate.",
)
@click.option("--password", default=None, help="Password of an encrypted key.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
def sign(list_file: str, key: str, cert: str, password: str | None, output: str) -> None:
    """Sign LIST_FILE with an enveloped XAdES signature (SHA-256)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    from esig.trust.builder import sign_trusted_list

    try:
        private = load_pem_private_key(
            Path(key).read_bytes(), password.encode() if password else None
        )
    except (ValueError, TypeError) as exc:
        raise InputError(f"{key}: not a usable PEM private key ({exc})") from exc
    certificate = x509.load_der_x509_certificate(_der(cert))
    try:
        signed = sign_trusted_list(
            Path(list_file).read_bytes(), key=private, certificate=certificate
        )
    except ValueError as exc:
        raise InputError(f"{list_file}: cannot sign ({exc})") from exc
    Path(output).write_bytes(signed)
    click.echo(f"wrote {output}: signed by {certificate.subject.rfc4514_string()}")


@tl.command()
@click.argument("list_file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--pin",
    "pins",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="A certificate allowed to sign the list (repeat for several).",
)
@_AT
def show(list_file: str, pins: tuple[str, ...], at: str | None) -> None:
    """Show a list: scheme, sequence, dates, services, pointers (and the signature verdict
    when --pin is given)."""
    from esig.trust.parse import parse_trusted_list
    from esig.trust.status import status_at

    data = Path(list_file).read_bytes()
    when = _time(at)
    tlist = parse_trusted_list(data)
    name = tlist.scheme_operator_names[0].text if tlist.scheme_operator_names else "-"
    click.echo(f"list:       {list_file}")
    click.echo(f"territory:  {tlist.scheme_territory or '-'}   operator: {name}")
    click.echo(f"type:       {tlist.tsl_type}   version {tlist.version}")
    click.echo(f"sequence:   {tlist.sequence_number}")
    click.echo(f"issued:     {_fmt(tlist.issue_time)}   next update: {_fmt(tlist.next_update)}")
    if pins:
        _verdict(data, pins, when)
    else:
        click.echo("signature:  not checked (give --pin CERT to verify)")
    for provider in tlist.providers:
        pname = provider.names[0].text if provider.names else "-"
        for service in provider.services:
            period = status_at(service, when)
            status = period.status.rsplit("/", 1)[-1] if period else "not yet listed"
            sname = service.names[0].text if service.names else "-"
            click.echo(
                f"service:    {sname} [{service.type_uri.rsplit('Svctype/', 1)[-1]}] "
                f"{status} at {when.isoformat()} ({pname})"
            )
    for pointer in tlist.pointers:
        mra = ""
        if pointer.mra is not None:
            ids = ", ".join(
                f"{e.legal_identifier} {e.status.rsplit('/', 1)[-1]} since "
                f"{e.status_starting_time.isoformat()}"
                for e in pointer.mra.equivalences
            )
            parties = f"{pointer.mra.pointing_legislation} -> {pointer.mra.pointed_legislation}"
            mra = f"  MRA {parties}: {ids}"
        click.echo(f"pointer:    {pointer.scheme_territory or '-'} {pointer.location}{mra}")


def _verdict(data: bytes, pins: tuple[str, ...], when: datetime) -> bool:
    from esig.trust.tlsig import verify_trusted_list

    verified = verify_trusted_list(
        data, signing_certificates=[_der(p) for p in pins], validation_time=when
    )
    click.echo(
        f"signature:  {'VALID, list usable' if verified.usable else 'NOT USABLE'} "
        f"at {when.isoformat()}"
    )
    for finding in verified.reasons:
        click.echo(f"  reason:   {finding.code}: {finding.message}")
    for finding in verified.warnings:
        click.echo(f"  warning:  {finding.code}: {finding.message}")
    return verified.usable


@tl.command()
@click.argument("list_file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--pin",
    "pins",
    multiple=True,
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help="A certificate allowed to sign the list (repeat for several).",
)
@_AT
@click.pass_context
def verify(ctx: click.Context, list_file: str, pins: tuple[str, ...], at: str | None) -> int:
    """Check a list's signature against pinned certificates (exit 1 when not usable)."""
    usable = _verdict(Path(list_file).read_bytes(), pins, _time(at))
    if not usable:
        ctx.exit(1)
    return 0


@tl.command()
@click.option("--lotl", "lotls", multiple=True, metavar="URL", help="A list of lists to load.")
@click.option("--list", "lists", multiple=True, metavar="URL", help="A list trusted directly.")
@click.option(
    "--eu-lotl",
    "eu_lotls",
    multiple=True,
    metavar="URL",
    help="The EU LOTL, verified from the Official Journal anchors bundled with esig (no --pin).",
)
@click.option(
    "--pin",
    "pins",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Certificates pinned for the --lotl/--list sources.",
)
@click.option(
    "--cache",
    required=True,
    type=click.Path(file_okay=False),
    help="The cache directory (written after downloads, read when --offline).",
)
@click.option("--offline", is_flag=True, help="Use the cache only; no download.")
@click.option(
    "--mirror",
    "mirrors",
    multiple=True,
    metavar="URL=PATH",
    help="Serve URL from a local file instead of downloading it.",
)
@_AT
@click.pass_context
def refresh(
    ctx: click.Context,
    lotls: tuple[str, ...],
    lists: tuple[str, ...],
    eu_lotls: tuple[str, ...],
    pins: tuple[str, ...],
    cache: str,
    offline: bool,
    mirrors: tuple[str, ...],
    at: str | None,
) -> int:
    """Load the configured lists (download or cache), verify them, and report each one."""
    from esig.trust.fetch import Fetcher, MemoryFetcher, TrustListCache, UrllibFetcher
    from esig.trust.store import EuLotlSource, LotlSource, TrustedListSource, TrustStore

    if not lotls and not lists and not eu_lotls:
        raise ConfigurationError("give at least one --lotl, --list or --eu-lotl source")
    if (lotls or lists) and not pins:
        raise ConfigurationError("--lotl and --list sources need --pin certificates")
    pinned = tuple(_der(p) for p in pins)
    sources: list[LotlSource | TrustedListSource | EuLotlSource] = [
        LotlSource(u, pinned) for u in lotls
    ]
    sources += [TrustedListSource(u, pinned) for u in lists]
    sources += [EuLotlSource(u) for u in eu_lotls]
    fetcher: Fetcher | None = None
    if mirrors:
        docs = {}
        for item in mirrors:
            url, sep, path = item.partition("=")
            if not sep:
                raise click.BadParameter(f"--mirror wants URL=PATH, got {item!r}")
            docs[url] = Path(path).read_bytes()
        fetcher = MemoryFetcher(docs)
    elif not offline:
        fetcher = UrllibFetcher()  # pragma: no cover - network
    store = TrustStore.load(sources, at=_time(at), fetcher=fetcher, cache=TrustListCache(cache))
    for loaded in store.lists:
        verdict = "usable" if loaded.usable else "REJECTED"
        click.echo(
            f"{verdict:9} {loaded.kind:13} {loaded.territory or '--':3} seq "
            f"{loaded.sequence_number if loaded.sequence_number is not None else '-'} "
            f"issued {_fmt(loaded.issue_time)} next {_fmt(loaded.next_update)} "
            f"{loaded.location}"
        )
        if loaded.signer:
            click.echo(f"          signed by {loaded.signer}")
        if loaded.recognised_by:
            click.echo(f"          recognised by {loaded.recognised_by} (MRA)")
        for finding in loaded.reasons:
            click.echo(f"          reason: {finding.code}: {finding.message}")
        for finding in loaded.warnings:
            click.echo(f"          warning: {finding.code}: {finding.message}")
    if store.problems:
        ctx.exit(1)
    return 0
