"""The algorithm policy: its table against the corpus transcription of ETSI TS 119 312 (DSS
default policy), its judgements, the profile syntax, and the per-element check."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from esig.errors import ProfileError
from esig.policy import DEFAULT_PROFILE, ETSI_TS_119_312, parse_profile
from esig.report import SubIndication
from esig.validation.crypto import CryptoUse, check_algorithms

TSV = "security/algorithm-policy/etsi-119312-expiry-from-dss-default-policy.tsv"


def jan1(year: int) -> datetime:
    return datetime(year, 1, 1, tzinfo=UTC)


def tsv_rows(corpus: Path) -> list[list[str]]:
    with (corpus / TSV).open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f, delimiter="\t") if r and not r[0].startswith("#")]
    return rows[1:]  # header


def test_default_policy_is_the_corpus_table(corpus: Path) -> None:
    digests: set[tuple[str, datetime]] = set()
    keys: set[tuple[str, int, datetime]] = set()
    unlisted: list[str] = []
    for algorithm, bits, year, _source in tsv_rows(corpus):
        if not year.isdigit():
            unlisted.append(algorithm)
        elif bits:
            keys.add((algorithm.lower(), int(bits), jan1(int(year))))
        else:
            digests.add((algorithm.lower(), jan1(int(year))))
    assert set(ETSI_TS_119_312.digests) == digests
    assert set(ETSI_TS_119_312.keys) == keys
    assert (len(digests), len(keys), unlisted) == (11, 15, ["Ed25519"])
    assert ETSI_TS_119_312.key_until("ed25519", 256) is None
    assert DEFAULT_PROFILE.algorithms is ETSI_TS_119_312


def test_update_date_is_the_sources_2022_review(corpus: Path) -> None:
    header = (corpus / TSV).read_text(encoding="utf-8").splitlines()[0]
    assert "UpdateDate 2022" in header
    assert ETSI_TS_119_312.update_date == jan1(2022)


@pytest.mark.parametrize(
    ("at", "digest", "key", "expected"),
    [
        (jan1(2008), "sha1", ("rsa", 2048), (True, jan1(2009), False)),
        (jan1(2009), "SHA-1", ("rsa", 2048), (False, jan1(2009), False)),
        (jan1(2020), "sha256", ("rsa", 1024), (False, jan1(2009), False)),
        (jan1(2015), "sha3_256", ("rsa", 1536), (True, jan1(2016), False)),
        (jan1(2027), "sha256", ("rsa", 2048), (True, jan1(2026), True)),  # a forecast passed
        (jan1(2027), "sha256", ("ecdsa", 384), (True, jan1(2029), False)),
        (jan1(2000), "sha256", ("rsa", 512), (False, None, False)),  # below the minimum
        (jan1(2000), "md2", None, (False, None, False)),  # not listed
        (jan1(2020), None, ("ed25519", 256), (False, None, False)),
    ],
)
def test_judgements(
    at: datetime,
    digest: str | None,
    key: tuple[str, int] | None,
    expected: tuple[bool, datetime | None, bool],
) -> None:
    j = ETSI_TS_119_312.judge(at, digest=digest, key=key)
    assert (j.acceptable, j.until, j.forecast) == expected


def test_check_algorithms_fails_warns_or_passes_per_element() -> None:
    uses = [
        CryptoUse("the signature value", jan1(2027), "sha256", ("rsa", 2048)),
        CryptoUse("reference 0", jan1(2008), "sha1"),
    ]
    ok = check_algorithms(uses, ETSI_TS_119_312)
    assert (ok.passed, [w.code for w in ok.warnings]) == (
        True,
        ["crypto.algorithm-end-date-forecast"],
    )
    late = check_algorithms([CryptoUse("reference 0", jan1(2010), "sha1")], ETSI_TS_119_312)
    assert (late.sub_indication, [r.code for r in late.reasons]) == (
        SubIndication.CRYPTO_CONSTRAINTS_FAILURE_NO_POE,
        ["crypto.algorithm-expired"],
    )
    never = check_algorithms([CryptoUse("key", jan1(2000), None, ("rsa", 512))], ETSI_TS_119_312)
    assert (never.sub_indication, never.reasons[0].message) == (
        SubIndication.CRYPTO_CONSTRAINTS_FAILURE,
        "key uses RSA-512 (RSA-512: not acceptable), which policy 'etsi-ts-119312' never accepts",
    )


def test_profile_overrides_end_dates() -> None:
    profile = parse_profile(
        {
            "algorithms": {
                "policy": "etsi-ts-119312",
                "update_date": False,
                "end_dates": {"sha1": 2012, "rsa-2048": datetime(2030, 6, 1).date()},
            }
        },
        source="p.toml",
    )
    policy = profile.algorithms
    assert policy.name == "etsi-ts-119312+p.toml"
    assert (policy.digest_until("sha1"), policy.key_until("rsa", 2048)) == (
        jan1(2012),
        datetime(2030, 6, 1, tzinfo=UTC),
    )
    assert policy.key_until("rsa", 1900) == jan1(2026)  # other rows kept
    assert policy.update_date is None
    assert parse_profile({"algorithms": {}}, source="p.toml").algorithms is ETSI_TS_119_312


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"end_date": {}}, "p.toml: unknown key 'algorithms.end_date'"),
        ({"end_dates": {"sha999": 2030}}, "p.toml: unknown key 'algorithms.end_dates.sha999'"),
        ({"end_dates": {"gost-256": 2030}}, "p.toml: unknown key 'algorithms.end_dates.gost-256'"),
        ({"policy": "nist"}, "p.toml: algorithms.policy 'nist' is not a known policy"),
        ({"end_dates": {"sha1": "soon"}}, "p.toml: algorithms.end_dates.sha1: expected a date"),
    ],
)
def test_profile_algorithms_table_is_strict(table: dict[str, object], message: str) -> None:
    with pytest.raises(ProfileError) as err:
        parse_profile({"algorithms": table}, source="p.toml")
    assert str(err.value).startswith(message)
