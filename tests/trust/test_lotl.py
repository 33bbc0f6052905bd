"""The EU LOTL: OJ anchors, pivot chains, member-state lists; synthetic and real (corpus) lists."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding

from esig.errors import ConfigurationError, InputError
from esig.trust import ServiceStatus, ServiceType, TslType, parse_trusted_list
from esig.trust.builder import (
    PointerSpec,
    ProviderSpec,
    ServiceSpec,
    TrustedListSpec,
    build_trusted_list,
    sign_trusted_list,
)
from esig.trust.fetch import MemoryFetcher
from esig.trust.lotl import (
    LotlAnchor,
    load_eu_trusted_lists,
    load_lotl,
    load_member_lists,
    lotl_pivot_urls,
    official_lotl_anchors,
)
from tests.conftest import REPO_ROOT
from tests.trust import _tlgen

ISSUED = datetime(2026, 5, 1, tzinfo=UTC)
NOW = datetime(2026, 6, 1, tzinfo=UTC)
OJ = "https://eur-lex.europa.eu/eli/C/2099/1/oj"
PIVOT = "https://lotl.example.test/pivot-{}.xml"
LOTL_URL = "https://lotl.example.test/lotl.xml"
AZ_URL = "https://tl.example.test/az.xml"
TR_URL = "https://tl.example.test/tr.xml"

Signer = tuple[ec.EllipticCurvePrivateKey, x509.Certificate]


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(Encoding.DER)


@pytest.fixture(scope="module")
def keys() -> dict[str, Signer]:
    names = ["oj", "pivot1", "pivot2", "lotl", "az", "tr", "attacker"]
    return {n: _tlgen.make_signer(f"{n} signer") for n in names}


def lotl_xml(
    seq: int,
    signer: Signer,
    next_signers: list[x509.Certificate],
    *,
    pivots: tuple[str, ...] = (),
    oj: str | None = OJ,
    members: tuple[PointerSpec, ...] = (),
    issued: datetime = ISSUED,
) -> bytes:
    """A signed LOTL whose self-pointer announces ``next_signers``."""
    self_pointer = PointerSpec(
        location=LOTL_URL,
        certificates=tuple(der(c) for c in next_signers),
        tsl_type=TslType.EU_LIST_OF_THE_LISTS,
        territory="EU",
        operator_name="European Commission",
    )
    spec = TrustedListSpec(
        territory="EU",
        operator_name="European Commission",
        scheme_name="EU:LOTL",
        sequence_number=seq,
        tsl_type=TslType.EU_LIST_OF_THE_LISTS,
        issued=issued,
        next_update=datetime(2026, 11, 1, tzinfo=UTC),
        pointers=(self_pointer, *members),
        scheme_information_uris=(
            *pivots,
            *((oj,) if oj else ()),
            "https://lotl.example.test/x.html",
        ),
        version=6,
    )
    return sign_trusted_list(build_trusted_list(spec), key=signer[0], certificate=signer[1])


def member_pointer(url: str, territory: str, signer: Signer | None, **kw: str) -> PointerSpec:
    return PointerSpec(
        location=url,
        certificates=() if signer is None else (der(signer[1]),),
        tsl_type=TslType.EU_GENERIC,
        territory=territory,
        operator_name=f"{territory} operator",
        **kw,
    )


def member_xml(territory: str, signer: Signer, *, tsl_type: str = TslType.EU_GENERIC) -> bytes:
    spec = TrustedListSpec(
        territory=territory,
        operator_name=f"{territory} operator",
        scheme_name=f"{territory}: trusted list",
        sequence_number=3,
        tsl_type=tsl_type,
        issued=ISSUED,
        next_update=datetime(2026, 11, 1, tzinfo=UTC),
        version=6,
        providers=(
            ProviderSpec(
                name=f"{territory} TSP",
                services=(
                    ServiceSpec(
                        type_uri=ServiceType.CA_QC,
                        name=f"{territory} CA",
                        certificates=(b"\x30\x03\x02\x01\x01",),
                        status=ServiceStatus.GRANTED,
                        status_start=datetime(2020, 1, 1, tzinfo=UTC),
                    ),
                ),
            ),
        ),
    )
    return sign_trusted_list(build_trusted_list(spec), key=signer[0], certificate=signer[1])


def anchor(keys: dict[str, Signer], url: str | None = OJ) -> LotlAnchor:
    return LotlAnchor(certificates=(der(keys["oj"][1]),), ojeu_url=url)


@pytest.fixture(scope="module")
def chain(keys: dict[str, Signer]) -> dict[str, bytes]:
    """OJ -> pivot 10 -> pivot 20 -> LOTL 30 (with AZ and TR member lists)."""
    members = (
        member_pointer(AZ_URL, "AZ", keys["az"]),
        member_pointer(TR_URL, "TR", keys["tr"]),
        member_pointer(
            "https://tl.example.test/az.pdf", "AZ", keys["az"], mime_type="application/pdf"
        ),
    )
    pivots = (PIVOT.format(20), PIVOT.format(10))
    return {
        PIVOT.format(10): lotl_xml(10, keys["oj"], [keys["pivot1"][1]], oj=OJ),
        PIVOT.format(20): lotl_xml(
            20, keys["pivot1"], [keys["pivot2"][1]], pivots=(PIVOT.format(10),)
        ),
        LOTL_URL: lotl_xml(30, keys["pivot2"], [keys["lotl"][1]], pivots=pivots, members=members),
        AZ_URL: member_xml("AZ", keys["az"]),
        TR_URL: member_xml("TR", keys["tr"]),
    }


def codes(findings) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.code for f in findings]


# --- the pivot chain ---------------------------------------------------------------------------


def test_pivot_urls_stop_at_the_oj_publication(chain: dict[str, bytes]) -> None:
    tl = parse_trusted_list(chain[LOTL_URL])
    assert lotl_pivot_urls(tl) == ((PIVOT.format(20), PIVOT.format(10)), OJ)
    assert lotl_pivot_urls(parse_trusted_list(chain[PIVOT.format(10)])) == ((), OJ)


def test_good_chain(keys: dict[str, Signer], chain: dict[str, bytes]) -> None:
    fetch = MemoryFetcher(chain)
    result = load_lotl(chain[LOTL_URL], anchors=[anchor(keys)], validation_time=NOW, fetcher=fetch)
    assert result.usable is True, result.reasons
    assert result.reasons == ()
    assert result.ojeu_url == OJ
    assert result.anchor == anchor(keys)
    assert [(p.location, p.usable, p.sequence_number) for p in result.pivots] == [
        (PIVOT.format(10), True, 10),
        (PIVOT.format(20), True, 20),
    ]
    assert fetch.requested == [PIVOT.format(10), PIVOT.format(20)]
    assert result.verified is not None
    assert result.verified.signer_certificate == der(keys["pivot2"][1])
    assert result.trusted_list is not None
    assert result.trusted_list.sequence_number == 30
    assert [p.location for p in result.pointers][1:] == [
        AZ_URL,
        TR_URL,
        "https://tl.example.test/az.pdf",
    ]


def test_lotl_signed_by_a_key_the_newest_pivot_did_not_announce(
    keys: dict[str, Signer], chain: dict[str, bytes]
) -> None:
    # The anchor itself may not sign the current LOTL once pivots moved the signers on.
    forged = lotl_xml(
        30, keys["oj"], [keys["lotl"][1]], pivots=(PIVOT.format(20), PIVOT.format(10))
    )
    result = load_lotl(
        forged, anchors=[anchor(keys)], validation_time=NOW, fetcher=MemoryFetcher(chain)
    )
    assert result.usable is False
    assert codes(result.reasons) == ["lotl.invalid", "tl.unexpected-signer"]
    assert result.trusted_list is None
    assert result.pointers == ()


def test_tampered_pivot_breaks_the_chain(keys: dict[str, Signer], chain: dict[str, bytes]) -> None:
    docs = dict(chain)
    docs[PIVOT.format(10)] = docs[PIVOT.format(10)].replace(b"EU:LOTL", b"EU:L0TL")
    result = load_lotl(
        docs[LOTL_URL], anchors=[anchor(keys)], validation_time=NOW, fetcher=MemoryFetcher(docs)
    )
    assert result.usable is False
    assert codes(result.reasons) == ["lotl.pivot-invalid", "tl.signature-invalid"]
    assert [(p.location, p.usable) for p in result.pivots] == [(PIVOT.format(10), False)]
    assert result.verified is None


def test_pivot_signed_by_an_attacker(keys: dict[str, Signer], chain: dict[str, bytes]) -> None:
    """The attacker announces his own key for the LOTL in a pivot he signs himself."""
    docs = dict(chain)
    docs[PIVOT.format(20)] = lotl_xml(20, keys["attacker"], [keys["attacker"][1]])
    docs[LOTL_URL] = lotl_xml(
        30, keys["attacker"], [keys["attacker"][1]], pivots=(PIVOT.format(20), PIVOT.format(10))
    )
    result = load_lotl(
        docs[LOTL_URL], anchors=[anchor(keys)], validation_time=NOW, fetcher=MemoryFetcher(docs)
    )
    assert result.usable is False
    assert codes(result.reasons) == ["lotl.pivot-invalid", "tl.unexpected-signer"]
    assert [p.usable for p in result.pivots] == [True, False]


def test_missing_pivot(keys: dict[str, Signer], chain: dict[str, bytes]) -> None:
    docs = {k: v for k, v in chain.items() if k != PIVOT.format(20)}
    result = load_lotl(
        chain[LOTL_URL], anchors=[anchor(keys)], validation_time=NOW, fetcher=MemoryFetcher(docs)
    )
    assert codes(result.reasons) == ["lotl.pivot-unavailable"]
    assert "FetchError" in result.reasons[0].message


def test_fetcher_exception_is_unavailable(keys: dict[str, Signer], chain: dict[str, bytes]) -> None:
    class Broken:
        def fetch(self, location: str) -> bytes:
            raise OSError("connection reset")

    result = load_lotl(
        chain[LOTL_URL], anchors=[anchor(keys)], validation_time=NOW, fetcher=Broken()
    )
    assert codes(result.reasons) == ["lotl.pivot-unavailable"]
    assert "connection reset" in result.reasons[0].message


def test_unparsable_pivot(keys: dict[str, Signer], chain: dict[str, bytes]) -> None:
    docs = dict(chain)
    docs[PIVOT.format(10)] = b"<TrustServiceStatusList"
    result = load_lotl(
        chain[LOTL_URL], anchors=[anchor(keys)], validation_time=NOW, fetcher=MemoryFetcher(docs)
    )
    assert codes(result.reasons) == ["lotl.pivot-malformed"]


def test_pivots_out_of_order(keys: dict[str, Signer], chain: dict[str, bytes]) -> None:
    docs = dict(chain)
    docs[PIVOT.format(20)] = lotl_xml(5, keys["pivot1"], [keys["pivot2"][1]])
    result = load_lotl(
        chain[LOTL_URL], anchors=[anchor(keys)], validation_time=NOW, fetcher=MemoryFetcher(docs)
    )
    # The signatures carry the trust; odd numbering is reported, as DSS's test data has it.
    assert result.usable is True
    assert [codes(p.warnings) for p in result.pivots] == [[], ["lotl.pivot-order"]]
    docs[LOTL_URL] = lotl_xml(
        15, keys["pivot2"], [keys["lotl"][1]], pivots=(PIVOT.format(20), PIVOT.format(10))
    )
    result = load_lotl(
        docs[LOTL_URL], anchors=[anchor(keys)], validation_time=NOW, fetcher=MemoryFetcher(chain)
    )
    assert (result.usable, codes(result.warnings)) == (True, ["lotl.pivot-order"])


def test_pivot_without_announced_signers(keys: dict[str, Signer], chain: dict[str, bytes]) -> None:
    docs = dict(chain)
    docs[PIVOT.format(20)] = lotl_xml(20, keys["pivot1"], [])
    result = load_lotl(
        chain[LOTL_URL], anchors=[anchor(keys)], validation_time=NOW, fetcher=MemoryFetcher(docs)
    )
    assert codes(result.reasons) == ["lotl.pivot-no-signers"]


def test_anchor_announced_elsewhere(keys: dict[str, Signer], chain: dict[str, bytes]) -> None:
    other = anchor(keys, "https://eur-lex.europa.eu/eli/C/2000/1/oj")
    result = load_lotl(
        chain[LOTL_URL], anchors=[other], validation_time=NOW, fetcher=MemoryFetcher(chain)
    )
    assert codes(result.reasons) == ["lotl.anchor-not-announced"]
    assert result.pivots == ()
    # http vs https and blanks do not matter.
    same = anchor(keys, " " + OJ.replace("https://", "http://"))
    assert load_lotl(
        chain[LOTL_URL], anchors=[same], validation_time=NOW, fetcher=MemoryFetcher(chain)
    ).usable


def test_explicitly_pinned_lotl_without_pivots(keys: dict[str, Signer]) -> None:
    xml = lotl_xml(1, keys["lotl"], [keys["lotl"][1]], oj=None)
    pinned = LotlAnchor(certificates=(der(keys["lotl"][1]),))
    result = load_lotl(xml, anchors=[pinned], validation_time=NOW)
    assert result.usable is True
    assert (result.ojeu_url, result.pivots) == (None, ())


def test_expired_lotl_is_not_usable(keys: dict[str, Signer], chain: dict[str, bytes]) -> None:
    result = load_lotl(
        chain[LOTL_URL],
        anchors=[anchor(keys)],
        validation_time=datetime(2027, 1, 1, tzinfo=UTC),
        fetcher=MemoryFetcher(chain),
    )
    # Expired pivots are fine (warnings); the current LOTL is not.
    assert [codes(p.warnings) for p in result.pivots] == [["tl.expired"], ["tl.expired"]]
    assert codes(result.reasons) == ["lotl.invalid", "tl.expired"]


def test_malformed_lotl_and_misuse(keys: dict[str, Signer], chain: dict[str, bytes]) -> None:
    assert codes(load_lotl(b"<x", anchors=[anchor(keys)], validation_time=NOW).reasons) == [
        "lotl.malformed"
    ]
    with pytest.raises(ConfigurationError):
        load_lotl(chain[LOTL_URL], anchors=[], validation_time=NOW)
    with pytest.raises(ConfigurationError, match="fetch"):
        load_lotl(chain[LOTL_URL], anchors=[anchor(keys)], validation_time=NOW)
    with pytest.raises(InputError):
        load_lotl(chain[LOTL_URL], anchors=[anchor(keys)], validation_time=datetime(2026, 6, 1))


# --- member-state lists ------------------------------------------------------------------------


def test_member_lists(keys: dict[str, Signer], chain: dict[str, bytes]) -> None:
    fetch = MemoryFetcher(chain)
    result = load_eu_trusted_lists(
        chain[LOTL_URL], fetcher=fetch, validation_time=NOW, anchors=[anchor(keys)]
    )
    assert result.lotl.usable is True
    # The PDF pointer and the LOTL's pointer to itself are not followed.
    assert [(m.territory, m.location, m.usable) for m in result.members] == [
        ("AZ", AZ_URL, True),
        ("TR", TR_URL, True),
    ]
    assert [tl.scheme_territory for tl in result.usable_lists] == ["AZ", "TR"]
    assert result.members[0].verified is not None
    assert result.members[0].verified.signer_certificate == der(keys["az"][1])
    assert fetch.requested[-2:] == [AZ_URL, TR_URL]


def test_member_list_signed_by_another_member(
    keys: dict[str, Signer], chain: dict[str, bytes]
) -> None:
    """TR's operator signs a list published at AZ's location: pinned per pointer, refused."""
    docs = dict(chain)
    docs[AZ_URL] = member_xml("AZ", keys["tr"])
    result = load_eu_trusted_lists(
        docs[LOTL_URL], fetcher=MemoryFetcher(docs), validation_time=NOW, anchors=[anchor(keys)]
    )
    az, tr = result.members
    assert (az.usable, codes(az.reasons), az.trusted_list) == (
        False,
        ["tl.unexpected-signer"],
        None,
    )
    assert tr.usable is True
    assert [tl.scheme_territory for tl in result.usable_lists] == ["TR"]


def test_member_list_failures_are_reported(
    keys: dict[str, Signer], chain: dict[str, bytes]
) -> None:
    docs = dict(chain)
    del docs[AZ_URL]
    docs[TR_URL] = b"<!DOCTYPE x []><x/>"
    lotl = load_lotl(
        docs[LOTL_URL], anchors=[anchor(keys)], validation_time=NOW, fetcher=MemoryFetcher(docs)
    )
    members = load_member_lists(lotl, fetcher=MemoryFetcher(docs))
    assert [(m.territory, codes(m.reasons)) for m in members] == [
        ("AZ", ["lotl.member-unavailable"]),
        ("TR", ["lotl.member-malformed"]),
    ]
    assert all(m.trusted_list is None for m in members)


def test_member_list_expired_at_the_validation_time(
    keys: dict[str, Signer], chain: dict[str, bytes]
) -> None:
    lotl = load_lotl(
        chain[LOTL_URL], anchors=[anchor(keys)], validation_time=NOW, fetcher=MemoryFetcher(chain)
    )
    members = load_member_lists(
        lotl,
        fetcher=MemoryFetcher(chain),
        validation_time=datetime(2026, 12, 1, tzinfo=UTC),
        territories={"az"},
    )
    assert [(m.territory, codes(m.reasons)) for m in members] == [("AZ", ["tl.expired"])]


def test_member_pointer_without_pinned_signer_and_mismatches(keys: dict[str, Signer]) -> None:
    members = (
        member_pointer(AZ_URL, "AZ", None),
        member_pointer(TR_URL, "TR", keys["tr"]),
    )
    xml = lotl_xml(1, keys["lotl"], [keys["lotl"][1]], oj=None, members=members)
    docs = {TR_URL: member_xml("CY", keys["tr"], tsl_type=TslType.LEGACY_GENERIC)}
    result = load_eu_trusted_lists(
        xml,
        fetcher=MemoryFetcher(docs),
        validation_time=NOW,
        anchors=[LotlAnchor(certificates=(der(keys["lotl"][1]),))],
    )
    az, tr = result.members
    assert codes(az.reasons) == ["lotl.member-no-pinned-signer"]
    assert tr.usable is True
    assert codes(tr.warnings) == ["lotl.territory-mismatch", "lotl.type-mismatch"]


def test_pointers_of_an_unusable_lotl_are_not_followed(
    keys: dict[str, Signer], chain: dict[str, bytes]
) -> None:
    bad = load_lotl(
        chain[LOTL_URL],
        anchors=[anchor(keys, "https://eur-lex.europa.eu/other")],
        validation_time=NOW,
    )
    with pytest.raises(ConfigurationError):
        load_member_lists(bad, fetcher=MemoryFetcher(chain))
    result = load_eu_trusted_lists(
        chain[LOTL_URL],
        fetcher=MemoryFetcher(chain),
        validation_time=NOW,
        anchors=[anchor(keys, "https://eur-lex.europa.eu/other")],
    )
    assert (result.lotl.usable, result.members, result.usable_lists) == (False, (), ())


# --- the bundled OJ anchors ---------------------------------------------------------------------


def test_official_anchors() -> None:
    anchors = official_lotl_anchors()
    assert [(a.ojeu_url, len(a.certificates)) for a in anchors] == [
        (
            "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=uriserv:OJ.C_.2019.276.01.0001.01.ENG",
            8,
        ),
        ("https://eur-lex.europa.eu/eli/C/2026/1944/oj", 6),
    ]
    assert anchors[0].publication == "OJ C 276, 16.8.2019, p. 1"
    names = [
        x509.load_der_x509_certificate(c).subject.rfc4514_string() for c in anchors[0].certificates
    ]
    assert sum("Patrick Kremer" in n for n in names) == 1
    assert (REPO_ROOT / "trust_lists/eu/SOURCE.md").is_file()


def test_official_anchors_match_pyhanko() -> None:
    from importlib import resources

    lotl_certs = resources.files("pyhanko.sign.validation.qualified").joinpath("lotl-certs")
    for index, anchor_ in enumerate(official_lotl_anchors()):
        pem = lotl_certs.joinpath(f"bootstrap-{index}.cert.pem").read_bytes()
        assert anchor_.certificates == tuple(der(c) for c in x509.load_pem_x509_certificates(pem))


def test_official_anchors_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"anchors\.tsv"):
        official_lotl_anchors(tmp_path)
    (tmp_path / "anchors.tsv").write_text("file\tojeu_url\tpublication\nnope.pem\t\t\n")
    with pytest.raises(ConfigurationError, match=r"nope\.pem"):
        official_lotl_anchors(tmp_path)


# --- real LOTLs (corpus) -----------------------------------------------------------------------

PYHANKO_TL = "security/trusted-lists/pyhanko-tl/"
DSS_CACHE = "trusted-lists/dss/tsl-validation/lotlCache/"
OJ_2016 = "http://eur-lex.europa.eu/legal-content/EN/TXT/?uri=uriserv:OJ.C_.2016.233.01.0001.01.ENG"
DSS_PIVOT = (
    "https://ec.europa.eu/information_society/policy/esignature/trusted-list/tl-pivot-{}-mp.xml"
)


@pytest.mark.corpus
def test_real_lotl_2026_with_the_2026_oj_anchor(corpus: Path) -> None:
    result = load_lotl(
        (corpus / PYHANKO_TL / "eu-lotl.xml").read_bytes(),
        anchors=official_lotl_anchors(),
        validation_time=datetime(2026, 6, 1, tzinfo=UTC),
    )
    assert result.usable is True, result.reasons
    assert result.ojeu_url == "https://eur-lex.europa.eu/eli/C/2026/1944/oj"
    assert result.pivots == ()
    assert result.trusted_list is not None
    assert (result.trusted_list.version, result.trusted_list.sequence_number) == (6, 388)
    # After NextUpdate (2026-11-18T12:16:35Z) it is no longer usable.
    late = load_lotl(
        (corpus / PYHANKO_TL / "eu-lotl.xml").read_bytes(),
        anchors=official_lotl_anchors(),
        validation_time=datetime(2026, 11, 23, tzinfo=UTC),
    )
    assert codes(late.reasons) == ["lotl.invalid", "tl.expired"]


@pytest.mark.corpus
def test_real_lotl_2025_through_four_pivots(corpus: Path) -> None:
    docs = {
        f"https://ec.europa.eu/tools/lotl/eu-lotl-pivot-{n}.xml": (
            corpus / PYHANKO_TL / f"eu-lotl-pivot-{n}.xml"
        ).read_bytes()
        for n in (282, 300, 335, 341)
    }
    xml = (corpus / PYHANKO_TL / "eu-lotl-old.xml").read_bytes()
    when = datetime(2025, 8, 1, tzinfo=UTC)
    result = load_lotl(
        xml, anchors=official_lotl_anchors(), validation_time=when, fetcher=MemoryFetcher(docs)
    )
    assert result.usable is True, result.reasons
    assert [(p.sequence_number, p.usable) for p in result.pivots] == [
        (282, True),
        (300, True),
        (335, True),
        (341, True),
    ]
    assert result.anchor is not None
    assert result.anchor.publication == "OJ C 276, 16.8.2019, p. 1"
    # Without the 2019 anchor the chain has no start.
    only_2026 = [a for a in official_lotl_anchors() if "2026" in (a.ojeu_url or "")]
    assert codes(
        load_lotl(xml, anchors=only_2026, validation_time=when, fetcher=MemoryFetcher(docs)).reasons
    ) == ["lotl.anchor-not-announced"]
    # A tampered pivot breaks the chain.
    tampered = dict(docs)
    key = "https://ec.europa.eu/tools/lotl/eu-lotl-pivot-300.xml"
    tampered[key] = tampered[key].replace(b"<TSLSequenceNumber>300<", b"<TSLSequenceNumber>301<")
    broken = load_lotl(
        xml, anchors=official_lotl_anchors(), validation_time=when, fetcher=MemoryFetcher(tampered)
    )
    assert codes(broken.reasons) == ["lotl.pivot-invalid", "tl.signature-invalid"]
    assert [p.usable for p in broken.pivots] == [True, False]


def _dss_pivots(corpus: Path, **replace_files: str) -> MemoryFetcher:
    docs = {}
    for n in (172, 191, 226, 247):
        name = replace_files.get(f"p{n}", f"tl_pivot_{n}_mp.xml")
        docs[DSS_PIVOT.format(n)] = (corpus / DSS_CACHE / name).read_bytes()
    return MemoryFetcher(docs)


def _oj_2016(corpus: Path) -> LotlAnchor:
    # DSS's pivot tests anchor the 2016 chain on the certificate OJ C 233/2016 announced.
    cert = (corpus / "certs/dss-test-sources/BE_Pierre_Damas_Signature_ffea7f0e.cer").read_bytes()
    return LotlAnchor(certificates=(cert,), ojeu_url=OJ_2016)


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("pivot_191", "lotl", "expected", "pivots_ok"),
    [
        ("tl_pivot_191_mp.xml", "tl_pivot_247_mp.xml", [], [True, True, True, True]),
        ("tl_pivot_191_mp.xml", "tl_pivot_247_mp_with-bom.xml", [], [True, True, True, True]),
        ("tl_pivot_191_mp.xml", "tl_pivot_247_mp_with-spaces.xml", [], [True, True, True, True]),
        (
            "tl_pivot_191_mp_broken-sig.xml",
            "tl_pivot_247_mp.xml",
            ["lotl.pivot-invalid", "tl.signature-invalid"],
            [True, False],
        ),
        (
            "tl_pivot_191_mp_no-sig.xml",
            "tl_pivot_247_mp.xml",
            ["lotl.pivot-invalid", "tl.unsigned"],
            [True, False],
        ),
        (
            "tl_pivot_191_mp_not-parsable.xml",
            "tl_pivot_247_mp.xml",
            ["lotl.pivot-malformed"],
            [True, False],
        ),
        (
            "tl_pivot_191_mp.xml",
            "tl_pivot_247_mp_missing-pivot.xml",
            ["lotl.pivot-unavailable"],
            [True, True, False],
        ),
        (
            "tl_pivot_191_mp.xml",
            "tl_pivot_247_mp_broken-sig.xml",
            ["lotl.invalid", "tl.signature-invalid"],
            [True, True, True, True],
        ),
        (
            "tl_pivot_191_mp.xml",
            "tl_pivot_247_mp_no-sig.xml",
            ["lotl.invalid", "tl.unsigned"],
            [True, True, True, True],
        ),
    ],
)
def test_dss_pivot_chain_2016(  # type: ignore[no-untyped-def]
    corpus: Path, pivot_191: str, lotl: str, expected: list[str], pivots_ok: list[bool]
) -> None:
    result = load_lotl(
        (corpus / DSS_CACHE / lotl).read_bytes(),
        anchors=[_oj_2016(corpus)],
        validation_time=datetime(2019, 8, 14, tzinfo=UTC),
        fetcher=_dss_pivots(corpus, p191=pivot_191),
    )
    assert codes(result.reasons) == expected
    assert result.usable is (not expected)
    assert [p.usable for p in result.pivots] == pivots_ok


@pytest.mark.corpus
def test_dss_lotl_2019_and_member_lists(corpus: Path) -> None:
    """DSS's cached LOTL 248 and member-state lists at 2019-09-05 (fail closed per list)."""
    xml = (corpus / DSS_CACHE / "eu-lotl_original.xml").read_bytes()
    lotl = parse_trusted_list(xml)
    docs = {}
    for pointer in lotl.pointers:
        path = corpus / DSS_CACHE / f"{pointer.scheme_territory}.xml"
        if pointer.mime_type == "application/vnd.etsi.tsl+xml" and path.is_file():
            docs[pointer.location] = path.read_bytes()
    result = load_eu_trusted_lists(
        xml,
        fetcher=MemoryFetcher(docs),
        validation_time=datetime(2019, 9, 5, tzinfo=UTC),
        anchors=official_lotl_anchors(),
    )
    assert result.lotl.usable is True
    failed = {m.territory: codes(m.reasons) for m in result.members if not m.usable}
    assert failed == {
        "DE": ["lotl.member-unavailable"],  # not in DSS's cache
        "EE": ["lotl.member-unavailable"],
        "RO": ["lotl.member-unavailable"],
        "NL": ["tl.expired"],  # the cached NL list's NextUpdate is 2019-07-24
    }
    assert len(result.members) == 31
    assert len(result.usable_lists) == 27


@pytest.mark.corpus
def test_dss_mra_lotl_and_third_country_list(corpus: Path) -> None:
    base = corpus / "trusted-lists/dss/cookbook-mra"
    signer = (corpus / "certs/dss-test-sources/LU_ZZ-LOTL-signer_23a8fe97.cer").read_bytes()
    zz_url = "https://esignature.ec.europa.eu/efda/intl-pilot/api/v1/intl-pilot/tl/mra_tl_zz.xml"
    result = load_eu_trusted_lists(
        (base / "mra-lotl.xml").read_bytes(),
        fetcher=MemoryFetcher({zz_url: (base / "mra-zz-tl.xml").read_bytes()}),
        validation_time=datetime(2022, 7, 29, tzinfo=UTC),
        anchors=[LotlAnchor(certificates=(signer,))],
        territories={"XX"},
    )
    assert result.lotl.usable is True
    (zz,) = result.members
    assert zz.usable is True
    assert zz.pointer.has_mra is True
    # The pointer says XX (DSS's test data), the list says ZZ: kept, with a warning.
    assert codes(zz.warnings) == ["lotl.territory-mismatch"]
    assert zz.trusted_list is not None
    assert zz.trusted_list.scheme_territory == "ZZ"
