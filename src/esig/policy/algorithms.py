"""Cryptographic algorithm policy: until when each digest, key type and key size is acceptable.

An :class:`AlgorithmPolicy` is frozen data: for every digest algorithm an end date, and for
every signature key family (RSA, DSA, ECDSA, plain ECDSA) a list of minimum key sizes with the
end date each size is acceptable until. A signature algorithm (e.g. sha1WithRSAEncryption) is
acceptable at a time when both its digest and its key are. Algorithms the policy does not list
(Ed25519, GOST, ...) and keys below the smallest listed size are never acceptable.

:data:`ETSI_TS_119_312` is the default. Its values are ETSI TS 119 312 V1.4.2 (and the historical
ETSI TS 102 176-1 for algorithms retired before it) as transcribed in the DSS default validation
policy (``dss-policy-jaxb/src/main/resources/policy/constraint.xml``, Cryptographic section, at
esig/dss commit 43a1eff60f003670a724d711b1aae019993a98b1), kept in the shared corpus as
``security/algorithm-policy/etsi-119312-expiry-from-dss-default-policy.tsv``; a test checks this
table against those rows. The source gives years: an algorithm listed with year ``Y`` is
acceptable before ``Y-01-01T00:00Z`` (DSS reads the year as its first instant).

End dates after :attr:`AlgorithmPolicy.update_date` (2022, the date of the source's last review)
are forecasts: as DSS does (``LevelAfterUpdate="WARN"``), passing one gives a warning, not a
failure. Earlier end dates are facts: past them without proof of existence the verdict is
INDETERMINATE/CRYPTO_CONSTRAINTS_FAILURE_NO_POE (ETSI EN 319 102-1, 5.2.8), see
:mod:`esig.validation.crypto`.

Profiles (``profiles/*.toml``, table ``[algorithms]``) may start from a named policy and
override end dates, strictly: :func:`parse_algorithm_policy`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from esig.errors import ProfileError

__all__ = [
    "ALGORITHM_POLICIES",
    "ETSI_TS_119_312",
    "KEY_FAMILIES",
    "AlgorithmJudgement",
    "AlgorithmPolicy",
    "normalize_digest",
    "parse_algorithm_policy",
]

#: Signature key families a policy can list (``<family>-<minimum bits>`` in overrides).
KEY_FAMILIES = ("rsa", "dsa", "ecdsa", "plain-ecdsa", "ed25519", "ed448")

#: Digest names esig recognises (policy keys; other spellings go through :func:`normalize_digest`).
_DIGESTS = (
    "md2",
    "md5",
    "sha1",
    "sha224",
    "sha256",
    "sha384",
    "sha512",
    "sha512-224",
    "sha512-256",
    "sha3-224",
    "sha3-256",
    "sha3-384",
    "sha3-512",
    "shake128",
    "shake256",
    "ripemd160",
    "whirlpool",
)


def normalize_digest(name: str) -> str:
    """One spelling for a digest name: ``SHA-256``, ``sha256``, ``sha3_256`` -> ``sha256``,
    ``sha3-256``."""
    s = name.strip().lower().replace("_", "-")
    if s.startswith("sha-"):
        s = "sha" + s[4:]
    return s


def _year(y: int) -> datetime:
    return datetime(y, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class AlgorithmJudgement:
    """Whether an algorithm (digest and/or key) is acceptable at one time.

    ``until`` is the end date (None: never acceptable under the policy). ``forecast`` is true
    when the end date has passed but lies after the policy's update date (a warning only).
    """

    acceptable: bool
    until: datetime | None
    description: str
    forecast: bool = False


@dataclass(frozen=True)
class AlgorithmPolicy:
    """End dates of digest algorithms and signature keys (ETSI TS 119 312 style).

    Fields:
        name: recorded in findings and docs.
        digests: ``(digest, end date)`` pairs, digest names as :func:`normalize_digest` gives.
        keys: ``(family, minimum bits, end date)`` rows; a key of ``bits`` uses the row with the
            largest minimum not above ``bits``. Families: :data:`KEY_FAMILIES`.
        update_date: end dates after this are forecasts (warning when passed); None: all end
            dates are binding.
        source: where the values come from.
    """

    name: str
    digests: tuple[tuple[str, datetime], ...]
    keys: tuple[tuple[str, int, datetime], ...]
    update_date: datetime | None = None
    source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.digests, tuple) or not isinstance(self.keys, tuple):
            raise TypeError("digests and keys must be tuples")
        for family, bits, _ in self.keys:
            if family not in KEY_FAMILIES or bits < 1:
                raise ProfileError(f"algorithm policy {self.name!r}: bad key row {family}-{bits}")

    def digest_until(self, digest: str) -> datetime | None:
        """The end date of ``digest`` (None when the policy does not list it)."""
        wanted = normalize_digest(digest)
        for name, until in self.digests:
            if name == wanted:
                return until
        return None

    def key_until(self, family: str, bits: int) -> datetime | None:
        """The end date of a ``family`` key of ``bits`` (None: unlisted or below the minimum)."""
        rows = sorted((b, u) for f, b, u in self.keys if f == family and b <= bits)
        return rows[-1][1] if rows else None

    def judge(
        self,
        at: datetime,
        *,
        digest: str | None = None,
        key: tuple[str, int] | None = None,
    ) -> AlgorithmJudgement:
        """Is the ``digest`` and/or the ``(family, bits)`` key acceptable at ``at``?"""
        parts: list[tuple[str, datetime | None]] = []
        if digest is not None:
            parts.append((normalize_digest(digest).upper(), self.digest_until(digest)))
        if key is not None:
            family, bits = key
            parts.append((f"{family.upper()}-{bits}", self.key_until(family, bits)))
        description = " with ".join(p for p, _ in parts) or "no algorithm"
        if any(u is None for _, u in parts):
            unlisted = ", ".join(p for p, u in parts if u is None)
            return AlgorithmJudgement(False, None, f"{description} ({unlisted}: not acceptable)")
        ends = [u for _, u in parts if u is not None]
        until = min(ends) if ends else None
        if until is None or at < until:
            return AlgorithmJudgement(True, until, description)
        forecast = self.update_date is not None and until > self.update_date
        return AlgorithmJudgement(forecast, until, description, forecast=forecast)

    def with_end_dates(
        self,
        overrides: Mapping[str, datetime],
        *,
        name: str | None = None,
    ) -> AlgorithmPolicy:
        """A copy with end dates replaced or added. Keys: a digest name (``sha1``) or
        ``<family>-<minimum bits>`` (``rsa-1024``, ``ed25519-256``).

        :raises ProfileError: an unknown digest or key family, naming it.
        """
        digests = dict(self.digests)
        keys = {(f, b): u for f, b, u in self.keys}
        for raw, until in overrides.items():
            parsed = _parse_name(raw)
            if parsed is None:
                raise ProfileError(f"unknown algorithm {raw!r}")
            if isinstance(parsed, str):
                digests[parsed] = until
            else:
                keys[parsed] = until
        return AlgorithmPolicy(
            name=name or self.name,
            digests=tuple(sorted(digests.items())),
            keys=tuple((f, b, u) for (f, b), u in sorted(keys.items())),
            update_date=self.update_date,
            source=self.source,
        )


_KEY_NAME = re.compile(r"^(?P<family>[a-z][a-z0-9-]*?)-(?P<bits>[0-9]+)$")


def _parse_name(raw: str) -> str | tuple[str, int] | None:
    name = normalize_digest(raw)
    if name in _DIGESTS:
        return name
    m = _KEY_NAME.match(raw.strip().lower())
    if m and m["family"] in KEY_FAMILIES and int(m["bits"]) > 0:
        return (m["family"], int(m["bits"]))
    return None


#: ETSI TS 119 312 V1.4.2 end dates (historical ETSI TS 102 176-1 for older algorithms), from the
#: DSS default policy's Cryptographic section; see the module docstring.
ETSI_TS_119_312 = AlgorithmPolicy(
    name="etsi-ts-119312",
    digests=(
        ("md5", _year(2005)),  # TS 102 176-1 V2.1.1
        ("sha1", _year(2009)),  # TS 102 176-1 V2.0.0
        ("sha224", _year(2026)),
        ("sha256", _year(2029)),
        ("sha384", _year(2029)),
        ("sha512", _year(2029)),
        ("sha3-256", _year(2029)),
        ("sha3-384", _year(2029)),
        ("sha3-512", _year(2029)),
        ("ripemd160", _year(2011)),  # TS 102 176-1 V2.0.0
        ("whirlpool", _year(2015)),  # TS 119 312 V1.1.1
    ),
    keys=(
        ("dsa", 1024, _year(2013)),  # TS 102 176-1 V2.1.1
        ("dsa", 2048, _year(2026)),
        ("dsa", 3072, _year(2029)),
        ("rsa", 1024, _year(2009)),  # TS 102 176-1 V2.0.0
        ("rsa", 1536, _year(2016)),  # TS 119 312 V1.1.1
        ("rsa", 1900, _year(2026)),
        ("rsa", 3000, _year(2029)),
        ("ecdsa", 160, _year(2013)),  # TS 102 176-1 V2.1.1
        ("ecdsa", 192, _year(2013)),
        ("ecdsa", 224, _year(2016)),  # TS 119 312 V1.1.1
        ("ecdsa", 256, _year(2029)),
        ("ecdsa", 384, _year(2029)),
        ("ecdsa", 512, _year(2029)),
        ("plain-ecdsa", 224, _year(2016)),
        ("plain-ecdsa", 256, _year(2029)),
    ),
    update_date=_year(2022),
    source="ETSI TS 119 312 V1.4.2 via the DSS default policy (esig/dss@43a1eff6 constraint.xml)",
)

#: Named policies a profile can start from (``[algorithms] policy = "..."``).
ALGORITHM_POLICIES: Mapping[str, AlgorithmPolicy] = {ETSI_TS_119_312.name: ETSI_TS_119_312}

_TABLE_KEYS = ("policy", "update_date", "end_dates")


def _as_datetime(where: str, value: object) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, int) and not isinstance(value, bool) and 1900 < value < 3000:
        return _year(value)
    raise ProfileError(f"{where}: expected a date (YYYY-MM-DD) or a year, got {value!r}")


def parse_algorithm_policy(data: Mapping[str, Any], *, source: str) -> AlgorithmPolicy:
    """The ``[algorithms]`` table of a profile: ``policy`` (a name from
    :data:`ALGORITHM_POLICIES`, default ``etsi-ts-119312``), ``update_date`` (a date, or
    ``false`` for none) and ``end_dates`` (algorithm -> date or year overrides).

    :raises ProfileError: an unknown key, policy name or algorithm, named; a bad date.
    """
    for key in data:
        if key not in _TABLE_KEYS:
            raise ProfileError(f"{source}: unknown key {'algorithms.' + key!r}")
    base_name = data.get("policy", ETSI_TS_119_312.name)
    if base_name not in ALGORITHM_POLICIES:
        known = ", ".join(sorted(ALGORITHM_POLICIES))
        raise ProfileError(
            f"{source}: algorithms.policy {base_name!r} is not a known policy ({known})"
        )
    base = ALGORITHM_POLICIES[base_name]
    ends = data.get("end_dates", {})
    if not isinstance(ends, Mapping):
        raise ProfileError(f"{source}: algorithms.end_dates must be a table")
    overrides: dict[str, datetime] = {}
    for algo, value in ends.items():
        where = f"{source}: algorithms.end_dates.{algo}"
        if _parse_name(algo) is None:
            raise ProfileError(f"{source}: unknown key {'algorithms.end_dates.' + algo!r}")
        overrides[algo] = _as_datetime(where, value)
    if not overrides and "update_date" not in data:
        return base
    policy = base.with_end_dates(overrides, name=f"{base.name}+{source}")
    if "update_date" in data:
        raw = data["update_date"]
        update = None if raw is False else _as_datetime(f"{source}: algorithms.update_date", raw)
        policy = replace(policy, update_date=update)
    return policy
