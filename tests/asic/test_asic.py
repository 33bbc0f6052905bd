"""ASiC-E / ASiC-S verification: verdicts on containers built from the test PKI, hostile ZIPs.

Every verdict is exact (indication and sub-indication); the time is frozen (``T`` of the XAdES
tests); nothing touches the network.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

import esig
from esig.asic import (
    ASIC_S,
    AsicLimitError,
    AsicLimits,
    UnsupportedContainerError,
    read_container,
    verify_asic,
    verify_asic_detailed,
)
from esig.errors import DocumentError, ResourceLimitError
from esig.report import Indication, SignatureLevel, SubIndication, ValidationReport
from esig.testing import TestPki
from tests.asic.conftest import (
    FILES,
    SIGNER,
    asice,
    build_zip,
    manifest,
    signatures_xml,
)
from tests.xades.conftest import T, TrustDouble, revocation

AT = T + timedelta(hours=1)


@pytest.fixture(scope="module")
def sigs(pki: TestPki) -> bytes:
    return signatures_xml(pki, FILES)


@pytest.fixture(scope="module")
def container(sigs: bytes) -> bytes:
    return asice(FILES, sigs)


def _verify(data: bytes, pki: TestPki, trust: TrustDouble) -> ValidationReport:
    return verify_asic(data, trust=trust, validation_time=AT, revocation=revocation(pki, SIGNER))


def _only(report: ValidationReport) -> tuple[Indication, SubIndication | None]:
    assert len(report.signatures) == 1
    sig = report.signatures[0]
    return sig.indication, sig.sub_indication


def test_two_files_signed_detached_pass(container: bytes, pki: TestPki, trust: TrustDouble) -> None:
    before = bytes(container)
    result = verify_asic_detailed(
        container, trust=trust, validation_time=AT, revocation=revocation(pki, SIGNER)
    )
    report = result.report
    assert _only(report) == (Indication.TOTAL_PASSED, None)
    assert report.passed
    assert report.document_format == "ASiC-E"
    assert report.warnings == ()
    sig = report.signatures[0]
    assert sig.id.startswith("META-INF/signatures0.xml#Signature-")
    assert sig.level is SignatureLevel.B_B
    assert dict(result.coverage) == {sig.id: ("invoice.xml", "note one.txt")}
    assert result.unsigned_files == ()
    assert container == before  # the input is never changed


@pytest.mark.parametrize("level", ["B-LT", "B-LTA"])
def test_long_term_levels_pass_ten_years_later(
    pki: TestPki, trust: TrustDouble, level: str
) -> None:
    data = asice(FILES, signatures_xml(pki, FILES, level=level))
    report = verify_asic(data, trust=trust, validation_time=T + timedelta(days=3653))
    assert _only(report) == (Indication.TOTAL_PASSED, None)
    assert report.signatures[0].level is SignatureLevel(level)


def test_esig_verify_dispatches_containers(
    container: bytes, trust: TrustDouble, tmp_path: Path
) -> None:
    path = tmp_path / "signed.asice"
    path.write_bytes(container)
    # No revocation data through esig.verify: a B-B signature is INDETERMINATE/TRY_LATER.
    report = esig.verify(path, trust=trust, validation_time=AT)
    assert report.document_name == "signed.asice"
    assert report.document_format == "ASiC-E"
    assert _only(report) == (Indication.INDETERMINATE, SubIndication.TRY_LATER)


def test_tampered_data_file_is_hash_failure(sigs: bytes, pki: TestPki, trust: TrustDouble) -> None:
    data = asice({**FILES, "note one.txt": b"hellO\n"}, sigs)
    report = _verify(data, pki, trust)
    assert _only(report) == (Indication.TOTAL_FAILED, SubIndication.HASH_FAILURE)
    assert report.signatures[0].reasons[0].code == "xml.digest-mismatch"


def test_missing_data_file_is_signed_data_not_found(
    sigs: bytes, pki: TestPki, trust: TrustDouble
) -> None:
    data = asice({"invoice.xml": FILES["invoice.xml"]}, sigs)
    result = verify_asic_detailed(
        data, trust=trust, validation_time=AT, revocation=revocation(pki, SIGNER)
    )
    assert _only(result.report) == (Indication.INDETERMINATE, SubIndication.SIGNED_DATA_NOT_FOUND)
    reason = result.report.signatures[0].reasons[0]
    assert reason.code == "asic.missing-data-file"
    assert "'note%20one.txt'" in reason.message
    assert list(result.coverage.values()) == [("invoice.xml",)]


def test_extra_unsigned_file_is_a_warning_not_a_failure(
    sigs: bytes, pki: TestPki, trust: TrustDouble
) -> None:
    data = asice(FILES, sigs, extra={"unsigned.txt": b"not signed"})
    result = verify_asic_detailed(
        data, trust=trust, validation_time=AT, revocation=revocation(pki, SIGNER)
    )
    assert _only(result.report) == (Indication.TOTAL_PASSED, None)
    assert result.unsigned_files == ("unsigned.txt",)
    assert [w.code for w in result.report.warnings] == ["asic.unsigned-data-file"]
    assert "'unsigned.txt'" in result.report.warnings[0].message


def test_mimetype_not_first_is_a_warning(sigs: bytes, pki: TestPki, trust: TrustDouble) -> None:
    data = build_zip(
        [
            *FILES.items(),
            ("mimetype", b"application/vnd.etsi.asic-e+zip"),
            ("META-INF/manifest.xml", manifest(list(FILES))),
            ("META-INF/signatures0.xml", sigs),
        ],
        stored_first=False,
    )
    report = _verify(data, pki, trust)
    assert _only(report) == (Indication.TOTAL_PASSED, None)
    assert "asic.mimetype-not-first" in [w.code for w in report.warnings]


def test_asic_s_with_two_data_files_is_format_failure(
    sigs: bytes, pki: TestPki, trust: TrustDouble
) -> None:
    data = build_zip(
        [("mimetype", ASIC_S.encode()), *FILES.items(), ("META-INF/signatures.xml", sigs)]
    )
    report = _verify(data, pki, trust)
    assert report.document_format == "ASiC-S"
    assert _only(report) == (Indication.TOTAL_FAILED, SubIndication.FORMAT_FAILURE)
    assert report.signatures[0].reasons[0].code == "asic.format"


def test_asic_s_with_one_file_passes(pki: TestPki, trust: TrustDouble) -> None:
    one = {"invoice.xml": FILES["invoice.xml"]}
    data = build_zip(
        [
            ("mimetype", ASIC_S.encode()),
            *one.items(),
            ("META-INF/signatures.xml", signatures_xml(pki, one)),
        ]
    )
    assert _only(_verify(data, pki, trust)) == (Indication.TOTAL_PASSED, None)


def test_container_without_signature(pki: TestPki, trust: TrustDouble) -> None:
    data = build_zip([("mimetype", b"application/vnd.etsi.asic-e+zip"), ("a.txt", b"a")])
    report = _verify(data, pki, trust)
    assert report.signatures == ()
    assert report.indication is Indication.INDETERMINATE
    assert report.sub_indication is SubIndication.SIGNED_DATA_NOT_FOUND
    assert [w.code for w in report.warnings] == ["asic.no-manifest", "asic.no-signature"]
    with pytest.raises(DocumentError, match="the container has no signature"):
        esig.verify(data, trust=trust, validation_time=AT)


# -- refused containers ----------------------------------------------------------------------


def _zip_raw(entries: list[tuple[str, bytes]]) -> bytes:
    """A ZIP written without zipfile's own checks (duplicate names allowed)."""
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        warnings.simplefilter("ignore")  # "Duplicate name"
        for name, data in entries:
            zf.writestr(name, data)
    return buf.getvalue()


MIMETYPE = ("mimetype", b"application/vnd.etsi.asic-e+zip")


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([("mimetype", b"application/zip"), ("a.txt", b"a")], "is not an ASiC media type"),
        ([("a.txt", b"a")], "no mimetype entry"),
        ([MIMETYPE, ("a.txt", b"a"), ("a.txt", b"b")], "'a.txt' occurs twice"),
        ([MIMETYPE, ("../evil.txt", b"a")], r"'\.\.' path segment"),
        ([MIMETYPE, ("folder/../a.txt", b"a")], r"'\.\.' path segment"),
        ([MIMETYPE, ("/etc/passwd", b"a")], "absolute path"),
        ([MIMETYPE, ("C:/x.txt", b"a")], "absolute path"),
        ([MIMETYPE, ("a\\b.txt", b"a")], "backslash"),
        ([MIMETYPE, (".", b"a")], r"'\.' path segment"),
    ],
)
def test_hostile_or_wrong_containers_are_document_errors(
    entries: list[tuple[str, bytes]], message: str
) -> None:
    data = _zip_raw(entries)
    before = bytes(data)
    with pytest.raises(DocumentError, match=message):
        read_container(data)
    assert data == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not a ZIP container"),
        (b"<?xml version='1.0'?><a/>", "not a ZIP container"),
        (b"PK\x03\x04 truncated", "not a readable ZIP container"),
    ],
)
def test_non_zip_input_is_a_document_error(data: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        read_container(data)


def test_encrypted_entry_is_refused() -> None:
    data = bytearray(_zip_raw([MIMETYPE, ("a.txt", b"secret")]))
    # set the "encrypted" general-purpose flag in the local and the central header of a.txt
    local = data.index(b"PK\x03\x04", 1)
    central = data.index(b"PK\x01\x02", data.index(b"PK\x01\x02") + 1)
    data[local + 6] |= 1
    data[central + 8] |= 1
    with pytest.raises(DocumentError, match=r"'a\.txt' is encrypted"):
        read_container(bytes(data))


def test_zip_bomb_is_refused_by_ratio() -> None:
    bomb = build_zip([MIMETYPE, ("zeros.bin", bytes(20 * 1024 * 1024))])
    assert len(bomb) < 100_000
    with pytest.raises(AsicLimitError, match="compression ratio over 100") as err:
        read_container(bomb)
    assert isinstance(err.value, DocumentError)
    assert isinstance(err.value, ResourceLimitError)


def test_zip_bomb_is_refused_by_total_size() -> None:
    bomb = build_zip([MIMETYPE, ("zeros.bin", bytes(2 * 1024 * 1024))])
    limits = AsicLimits(max_total_bytes=1024 * 1024, max_ratio=10**6)
    with pytest.raises(AsicLimitError, match="ZIP bomb refused"):
        read_container(bomb, limits=limits)


def test_lying_sizes_are_caught_while_inflating() -> None:
    """The directory claims a small entry; the deflate stream is larger: CRC/size checks refuse."""
    data = bytearray(build_zip([MIMETYPE, ("zeros.bin", bytes(3 * 1024 * 1024))]))
    central = data.index(b"PK\x01\x02", data.index(b"PK\x01\x02") + 1)
    data[central + 24 : central + 28] = (1000).to_bytes(4, "little")  # uncompressed size
    with pytest.raises(DocumentError):
        read_container(bytes(data))


def test_too_many_entries_is_refused() -> None:
    entries = [MIMETYPE, *((f"f{i}.txt", b"x") for i in range(20))]
    with pytest.raises(AsicLimitError, match="21 entries"):
        read_container(build_zip(entries), limits=AsicLimits(max_entries=20))


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("META-INF/signature.p7s", "CAdES signatures in ASiC"),
        ("META-INF/timestamp.tst", "ASiC time-stamp tokens"),
        ("META-INF/evidencerecord.ers", "evidence records in ASiC"),
    ],
)
def test_cades_timestamp_and_evidence_records_are_unsupported(name: str, message: str) -> None:
    data = build_zip([MIMETYPE, ("a.txt", b"a"), (name, b"\x30\x00")])
    with pytest.raises(UnsupportedContainerError, match=f"{message}.*not supported"):
        read_container(data)


def test_odf_is_unsupported() -> None:
    data = build_zip([("mimetype", b"application/vnd.oasis.opendocument.text"), ("a", b"a")])
    with pytest.raises(UnsupportedContainerError, match="OpenDocument"):
        read_container(data)


def test_hostile_signature_xml_is_a_document_error(pki: TestPki, trust: TrustDouble) -> None:
    data = asice(FILES, b"<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>")
    with pytest.raises(DocumentError, match="DOCTYPE"):
        _verify(data, pki, trust)


def test_ddoc_is_unsupported_through_esig_verify(trust: TrustDouble) -> None:
    ddoc = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<SignedDoc format="DIGIDOC-XML" version="1.3" '
        b'xmlns="http://www.sk.ee/DigiDoc/v1.3.0#"><DataFile/></SignedDoc>'
    )
    with pytest.raises(UnsupportedContainerError, match=r"DigiDoc \(DDOC\).*not supported"):
        esig.verify(ddoc, trust=trust, validation_time=AT)
