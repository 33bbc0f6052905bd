"""A trust configuration file: which trusted lists a relying party uses, pinned, and where they are.

A customs system verifies against the lists its authority chose, not against certificates it
happens to hold. The configuration is a TOML file read strictly (an unknown key is an error,
naming the key); paths in it are relative to the file::

    # trust.toml: what Turkish customs trusts (the bundled TEST-ONLY lists)
    cache = "/var/lib/esig/tl-cache"        # optional: TrustListCache directory

    [mirrors]                                # location = local copy (air-gapped use)
    "https://tl.test.invalid/tr/tr-tl.xml" = "tr/tr-tl.xml"

    [[trusted_list]]                         # a list trusted directly
    location = "https://tl.test.invalid/tr/tr-tl.xml"
    pins = ["tr/operator/operator.TEST-ONLY.cert.pem"]

    [[lotl]]                                 # a list of lists (e.g. a recognition list)
    location = "https://tl.test.invalid/mra/tr-recognition.xml"
    pins = ["tr/operator/operator.TEST-ONLY.cert.pem"]
    territories = ["AZ"]                     # optional

    [[eu_lotl]]                              # the EU LOTL, from the Official Journal anchors
    location = "https://ec.europa.eu/tools/lotl/eu-lotl.xml"

    [[national]]                             # CA certificates declared by the operator
    territory = "AZ"
    operator = "AZ customs, local configuration"
    [[national.ca]]
    certificate = "certs/az-root.pem"
    status_start = 2026-01-01T00:00:00Z
    type = "CA/QC"                           # short ETSI name or URI (default CA/QC)
    status = "granted"                       # default granted

Loading a configuration never downloads: lists come from ``[mirrors]`` and then from the cache
(``esig tl refresh`` fills the cache, e.g. from cron). Every list is verified against its pins
on every load (or through the cache's verified records, see
:class:`~esig.trust.fetch.TrustListCache`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from esig.errors import ConfigurationError, EsigError
from esig.trust.fetch import MemoryFetcher, TrustListCache
from esig.trust.national import NationalCa, NationalCaBundle, _Reader, expand_uri
from esig.trust.store import EuLotlSource, LotlSource, TrustedListSource, TrustStore
from esig.trust.tlsig import LEGACY_TRUST_LIST_POLICY, STRICT_TRUST_LIST_POLICY, TrustListPolicy

__all__ = ["TrustConfig", "is_trust_config", "load_trust_config"]

Source = TrustedListSource | LotlSource | EuLotlSource | NationalCaBundle

_POLICIES = {"strict": STRICT_TRUST_LIST_POLICY, "legacy": LEGACY_TRUST_LIST_POLICY}


@dataclass(frozen=True)
class TrustConfig:
    """A loaded trust configuration: sources, local copies and the cache directory."""

    path: Path
    sources: tuple[Source, ...]
    mirrors: Mapping[str, Path] = field(default_factory=dict)
    cache: Path | None = None

    def load_store(self, at: datetime) -> TrustStore:
        """Verify and load every source at ``at`` (offline: mirrors, then the cache).

        :raises ConfigurationError: a mirror file cannot be read.
        """
        documents = {}
        for location, path in self.mirrors.items():
            try:
                documents[location] = path.read_bytes()
            except OSError as exc:
                raise ConfigurationError(f"{self.path}: mirror of {location}: {exc}") from exc
        cache = TrustListCache(self.cache) if self.cache is not None else None
        return TrustStore.load(self.sources, at=at, fetcher=MemoryFetcher(documents), cache=cache)


def is_trust_config(path: str | Path) -> bool:
    """Whether ``path`` names a trust configuration (a ``.toml`` file) rather than certificates."""
    return Path(path).suffix.lower() == ".toml" and Path(path).is_file()


def _pins(reader: _Reader, base: Path) -> tuple[bytes, ...]:
    from esig.certs import read_certificates

    names = reader.strings("pins")
    if not names:
        raise ConfigurationError(f"{reader.where}: 'pins' names no certificate")
    out: list[bytes] = []
    for name in names:
        try:
            out.extend(info.der for info in read_certificates(base / name))
        except (OSError, EsigError) as exc:
            raise ConfigurationError(f"{reader.where}: pin {name}: {exc}") from exc
    return tuple(out)


def _policy(reader: _Reader) -> TrustListPolicy:
    name = reader.get("policy", "strict")
    if name not in _POLICIES:
        raise ConfigurationError(
            f"{reader.where}.policy: {name!r} is not one of {', '.join(sorted(_POLICIES))}"
        )
    return _POLICIES[name]


def _territories(reader: _Reader) -> tuple[str, ...] | None:
    return reader.strings("territories") or None


def _bool(reader: _Reader, key: str, default: bool) -> bool:
    value = reader.get(key, default)
    if not isinstance(value, bool):
        raise ConfigurationError(f"{reader.where}.{key}: expected true or false")
    return value


def _location(reader: _Reader) -> str:
    value = reader.req("location")
    if not isinstance(value, str) or not value:
        raise ConfigurationError(f"{reader.where}.location: expected a non-empty string")
    return value


def _national(reader: _Reader, base: Path) -> NationalCaBundle:
    from esig.certs import read_certificate

    cas = []
    for index, table in enumerate(reader.tables("ca")):
        ca = _Reader(
            table,
            f"{reader.where}.ca[{index}]",
            {"certificate", "status_start", "type", "status", "name"},
        )
        try:
            der = read_certificate(base / str(ca.req("certificate"))).der
            type_uri = expand_uri(str(ca.get("type", "CA/QC")), "type")
            status = expand_uri(str(ca.get("status", "granted")), "status")
        except (OSError, EsigError, ValueError) as exc:
            raise ConfigurationError(f"{ca.where}: {exc}") from exc
        start = ca.time("status_start")
        assert start is not None
        name = ca.get("name")
        cas.append(NationalCa(der, start, type_uri, status, None if name is None else str(name)))
    if not cas:
        raise ConfigurationError(f"{reader.where}: no [[national.ca]] certificate")
    return NationalCaBundle(
        territory=str(reader.req("territory")),
        operator=str(reader.req("operator")),
        cas=tuple(cas),
        accept_home_legislation=_bool(reader, "accept_home_legislation", True),
    )


def _sources(top: _Reader, base: Path) -> list[Source]:
    where = top.where
    sources: list[Source] = []
    for index, table in enumerate(top.tables("trusted_list")):
        r = _Reader(
            table,
            f"{where}: trusted_list[{index}]",
            {"location", "pins", "policy", "accept_home_legislation"},
        )
        sources.append(
            TrustedListSource(
                _location(r),
                _pins(r, base),
                _policy(r),
                _bool(r, "accept_home_legislation", True),
            )
        )
    for index, table in enumerate(top.tables("lotl")):
        r = _Reader(
            table,
            f"{where}: lotl[{index}]",
            {"location", "pins", "policy", "territories", "mra"},
        )
        sources.append(
            LotlSource(
                _location(r),
                _pins(r, base),
                _policy(r),
                territories=_territories(r),
                mra=_bool(r, "mra", True),
            )
        )
    for index, table in enumerate(top.tables("eu_lotl")):
        r = _Reader(table, f"{where}: eu_lotl[{index}]", {"location", "policy", "territories"})
        sources.append(EuLotlSource(_location(r), None, _policy(r), _territories(r)))
    for index, table in enumerate(top.tables("national")):
        r = _Reader(
            table,
            f"{where}: national[{index}]",
            {"territory", "operator", "ca", "accept_home_legislation"},
        )
        sources.append(_national(r, base))
    return sources


def load_trust_config(path: str | Path) -> TrustConfig:
    """Read a trust configuration file (see the module docstring).

    :raises ConfigurationError: unreadable file, bad TOML, unknown key, missing or bad value,
        unreadable pinned certificate, no source.
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"{path}: cannot read the trust configuration: {exc}") from exc
    where = str(path)
    top = _Reader(data, where, {"cache", "mirrors", "trusted_list", "lotl", "eu_lotl", "national"})
    base = path.parent
    mirrors_raw = top.get("mirrors", {})
    if not isinstance(mirrors_raw, Mapping) or not all(
        isinstance(v, str) for v in mirrors_raw.values()
    ):
        raise ConfigurationError(f"{where}: [mirrors] maps locations to file paths")
    cache = top.get("cache")
    if cache is not None and not isinstance(cache, str):
        raise ConfigurationError(f"{where}.cache: expected a directory path")
    sources = _sources(top, base)
    if not sources:
        raise ConfigurationError(
            f"{where}: no source (add [[trusted_list]], [[lotl]], [[eu_lotl]] or [[national]])"
        )
    return TrustConfig(
        path=path,
        sources=tuple(sources),
        mirrors={loc: base / file for loc, file in mirrors_raw.items()},
        cache=None if cache is None else base / cache,
    )
