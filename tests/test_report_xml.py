"""ETSI TS 119 102-2 XML reports (esig.report_xml) of real reports: passed, untrusted, tampered."""

from __future__ import annotations

import base64
import dataclasses
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from lxml import etree
from pyhanko.generated.etsi import ts_11910202
from xsdata.formats.dataclass.parsers import XmlParser
from xsdata.formats.dataclass.parsers.config import ParserConfig
from xsdata.formats.dataclass.serializers import XmlSerializer

from esig import (
    Finding,
    Indication,
    SignatureReport,
    SignerIdentity,
    SubIndication,
    ValidationReport,
    verify,
)
from esig._demo import SIGNER, DemoResult, run_demo
from esig.cli import main, verify_cmd
from esig.report_xml import ETSI_VR_NAMESPACE, PROCESS_BASIC, PROCESS_LTA, etsi_report, to_etsi_xml
from esig.testing import TestPki, build_pki

VR = ETSI_VR_NAMESPACE
NS = {"vr": VR, "ds": "http://www.w3.org/2000/09/xmldsig#"}
PASSED = "urn:etsi:019102:mainindication:total-passed"
FAILED = "urn:etsi:019102:mainindication:total-failed"
INDETERMINATE = "urn:etsi:019102:mainindication:indeterminate"
HASH_FAILURE = "urn:etsi:019102:subindication:HASH_FAILURE"
NO_CHAIN = "urn:etsi:019102:subindication:NO_CERTIFICATE_CHAIN_FOUND"
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")


# -- material ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> DemoResult:
    return run_demo()  # B-LTA, TOTAL_PASSED, in-process and offline


@pytest.fixture(scope="module")
def pki() -> TestPki:
    """The demo's PKI (fixed keys, so the same certificates)."""
    return build_pki(key_dir=str(resources.files("esig") / "samples" / "pki" / "keys"))


def unrelated_root() -> x509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Unrelated TEST root")])
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )


def tamper(pdf: bytes) -> bytes:
    """Flip a bit of the binary comment on line 2: inside every signed byte range."""
    data = bytearray(pdf)
    at = pdf.index(b"%", 5) + 1
    data[at] ^= 1
    return bytes(data)


@pytest.fixture(scope="module")
def untrusted(demo: DemoResult) -> ValidationReport:
    return verify(
        demo.signed_pdf, trust=[unrelated_root()], validation_time=demo.report.validation_time
    )


@pytest.fixture(scope="module")
def tampered(demo: DemoResult) -> tuple[bytes, ValidationReport]:
    data = tamper(demo.signed_pdf)
    report = verify(data, trust=[unrelated_root()], validation_time=demo.report.validation_time)
    return data, report


# -- helpers ----------------------------------------------------------------------------------


def parse(xml: str) -> etree._Element:
    """Hardened: no entities, no DTD, no network."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    root = etree.fromstring(xml.encode("utf-8"), parser=parser)
    assert root.getroottree().docinfo.doctype == ""
    return root


def round_trip(xml: str) -> ts_11910202.ValidationReport:
    """Every element and attribute must be one the schema bindings know."""
    config = ParserConfig(fail_on_unknown_properties=True, fail_on_unknown_attributes=True)
    return XmlParser(config=config).from_string(xml, ts_11910202.ValidationReport)


def missing_required(obj: Any, path: str = "ValidationReport") -> list[str]:
    """Required elements/attributes absent and sequences below their minOccurs (per the XSD
    metadata the bindings carry), anywhere in the tree."""
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        return []
    problems: list[str] = []
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        where = f"{path}/{f.metadata.get('name', f.name)}"
        if f.metadata.get("required") and value is None:
            problems.append(where)
        minimum = f.metadata.get("min_occurs")
        if minimum and isinstance(value, tuple) and len(value) < minimum:
            problems.append(f"{where} (fewer than {minimum})")
        for item in value if isinstance(value, tuple) else (value,):
            problems += missing_required(item, where)
    return problems


def check_well_formed_report(
    xml: str, report: ValidationReport, document: bytes | None = None
) -> etree._Element:
    """Parses, one SignatureValidationReport per signature, reads back into the bindings as
    built, nothing required missing, unique xs:IDs and no dangling VOReference."""
    root = parse(xml)
    assert root.tag == f"{{{VR}}}ValidationReport"
    assert len(root.findall("vr:SignatureValidationReport", NS)) == len(report.signatures)
    parsed = round_trip(xml)
    again = XmlSerializer().render(parsed, ns_map=NS)
    assert etree.canonicalize(again, strip_text=True) == etree.canonicalize(xml, strip_text=True)
    assert parsed == round_trip(to_etsi_xml(report, document=document, indent=None))
    assert missing_required(parsed) == []
    ids = [e.get("id") for e in root.iter() if e.get("id") is not None]
    assert len(ids) == len(set(ids))
    assert all(NCNAME.match(i) for i in ids)
    objects = {e.get("id") for e in root.iterfind("vr:SignatureValidationObjects/*", NS)}
    for ref in root.iter():
        for token in (ref.get("VOReference") or "").split():
            assert token in objects, f"dangling VOReference {token}"
    return root


def statuses(root: etree._Element) -> list[tuple[str, list[str]]]:
    return [
        (
            svr.findtext("vr:SignatureValidationStatus/vr:MainIndication", None, NS),
            [s.text for s in svr.iterfind("vr:SignatureValidationStatus/vr:SubIndication", NS)],
        )
        for svr in root.iterfind("vr:SignatureValidationReport", NS)
    ]


def signer_certificate(root: etree._Element, svr: etree._Element) -> bytes:
    ref = svr.find("vr:SignerInformation/vr:SignerCertificate", NS)
    assert ref is not None
    (vo,) = root.xpath(
        "vr:SignatureValidationObjects/vr:ValidationObject[@id=$id]",
        namespaces=NS,
        id=ref.get("VOReference"),
    )
    assert vo.findtext("vr:ObjectType", None, NS) == "urn:etsi:019102:validationObject:certificate"
    return base64.b64decode(vo.findtext("vr:ValidationObjectRepresentation/vr:base64", "", NS))


# -- the reports ------------------------------------------------------------------------------


def test_passed_lta_report(demo: DemoResult, pki: TestPki) -> None:
    report = demo.report
    assert report.indication is Indication.TOTAL_PASSED
    xml = report.to_etsi_xml(document=demo.signed_pdf)
    root = check_well_formed_report(xml, report, demo.signed_pdf)
    assert statuses(root) == [(PASSED, [])] * len(report.signatures)
    svr = root.find("vr:SignatureValidationReport", NS)
    assert svr is not None
    assert signer_certificate(root, svr) == pki.cert(SIGNER).public_bytes(Encoding.DER)
    signature = report.signatures[0]
    assert signature.signer is not None
    assert svr.findtext("vr:SignerInformation/vr:Signer", None, NS) == signature.signer.name
    info = svr.find("vr:SignerInformation", NS)
    assert info is not None
    assert info.get("Pseudonym") == "false"
    assert svr.findtext("vr:SignatureIdentifier/vr:DAIdentifier", None, NS) == signature.id
    assert svr.find("vr:SignatureIdentifier/ds:SignatureValue", NS) is not None
    assert svr.find("vr:SignersDocument/vr:DigestAlgAndValue", NS) is not None
    process = "vr:SignatureValidationProcess/vr:SignatureValidationProcessID"
    assert svr.findtext(process, None, NS) == PROCESS_LTA
    quality = "vr:SignatureQuality/vr:SignatureQualityInformation"
    assert svr.findtext(quality, None, NS) == "urn:cef:dss:signatureQualification:QESig"
    attrs = svr.find("vr:SignatureAttributes", NS)
    assert attrs is not None
    assert attrs.find("vr:SigningCertificate/vr:CertID", NS) is not None
    assert attrs.find("vr:SignatureTimeStamp/vr:TimeStampValue", NS) is not None
    best = svr.findtext("vr:ValidationTimeInfo/vr:BestSignatureTime/vr:POETime", "", NS)
    assert signature.best_signature_time is not None
    parsed_best = datetime.fromisoformat(best.replace("Z", "+00:00"))
    assert parsed_best == signature.best_signature_time
    assert parsed_best < report.validation_time  # proven by the signature time-stamp


def test_untrusted_report_is_indeterminate_no_chain(
    demo: DemoResult, untrusted: ValidationReport, pki: TestPki
) -> None:
    assert untrusted.signatures[0].sub_indication is SubIndication.NO_CERTIFICATE_CHAIN_FOUND
    xml = to_etsi_xml(untrusted, document=demo.signed_pdf)
    root = check_well_formed_report(xml, untrusted, demo.signed_pdf)
    assert statuses(root)[0] == (INDETERMINATE, [NO_CHAIN])
    svr = root.find("vr:SignatureValidationReport", NS)
    assert svr is not None
    assert signer_certificate(root, svr) == pki.cert(SIGNER).public_bytes(Encoding.DER)
    assert svr.find("vr:SignatureQuality", NS) is None  # N/A: not stated
    types = [
        t.text
        for t in svr.iterfind(
            "vr:SignatureValidationStatus/vr:AssociatedValidationReportData/"
            "vr:AdditionalValidationReportData/vr:ReportData/vr:Type",
            NS,
        )
    ]
    codes = [r.code for r in untrusted.signatures[0].reasons]
    assert codes
    assert [t for t in types if t and t.startswith("urn:esig:reason:")] == [
        f"urn:esig:reason:{c}" for c in codes
    ]


def test_tampered_report_is_total_failed_hash_failure(
    tampered: tuple[bytes, ValidationReport], pki: TestPki
) -> None:
    data, report = tampered
    xml = to_etsi_xml(report, document=data)
    root = check_well_formed_report(xml, report, data)
    assert statuses(root) == [(FAILED, [HASH_FAILURE])] * len(report.signatures)
    svr = root.find("vr:SignatureValidationReport", NS)
    assert svr is not None
    assert signer_certificate(root, svr) == pki.cert(SIGNER).public_bytes(Encoding.DER)
    process = "vr:SignatureValidationProcess/vr:SignatureValidationProcessID"
    assert svr.findtext(process, None, NS) == PROCESS_BASIC  # failed before any time-stamp


def test_without_the_document_the_certificate_is_its_digest(demo: DemoResult, pki: TestPki) -> None:
    report = demo.report
    signer = report.signatures[0].signer
    assert signer is not None
    root = check_well_formed_report(to_etsi_xml(report), report)
    vo = root.find(
        f"vr:SignatureValidationObjects/vr:ValidationObject[@id='cert-{signer.certificate_sha256}']",
        NS,
    )
    assert vo is not None
    digest = vo.findtext(
        "vr:ValidationObjectRepresentation/vr:DigestAlgAndValue/ds:DigestValue", None, NS
    )
    assert digest is not None
    assert base64.b64decode(digest).hex() == signer.certificate_sha256
    assert root.find(".//ds:SignatureValue", NS) is None  # nothing read from a document
    tree = etsi_report(report)  # the bindings' object, to adjust before serialising
    assert isinstance(tree, ts_11910202.ValidationReport)
    assert tree.signature_validation_objects is not None
    # ... and given the certificate, it is shown in full
    full = to_etsi_xml(report, certificates=[pki.cert(SIGNER)])
    svr = parse(full).find("vr:SignatureValidationReport", NS)
    assert svr is not None
    assert signer_certificate(parse(full), svr) == pki.cert(SIGNER).public_bytes(Encoding.DER)


def test_another_document_is_refused(demo: DemoResult) -> None:
    with pytest.raises(ValueError, match="not 'document'"):
        to_etsi_xml(demo.report, document=tamper(demo.signed_pdf))


def test_xades_report_reads_the_xml_signature(pki: TestPki) -> None:
    from esig.xades import sign_xml

    doc = b'<Declaration xmlns="urn:test:customs"><Goods Id="goods">Tea</Goods></Declaration>'
    at = datetime(2026, 6, 1, 10, 0, 0, tzinfo=UTC)
    name = "tr-nes-signer"
    signed = sign_xml(doc, pki.key(name), pki.chain(name), signing_time=at)
    report = verify(signed, trust=list(pki.roots()), validation_time=at + timedelta(hours=1))
    (sig,) = report.signatures
    xml = to_etsi_xml(report, document=signed)
    root = check_well_formed_report(xml, report, signed)
    assert statuses(root) == [
        (sig.indication.uri, [sig.sub_indication.uri] if sig.sub_indication else [])
    ]
    svr = root.find("vr:SignatureValidationReport", NS)
    assert svr is not None
    assert signer_certificate(root, svr) == pki.cert(name).public_bytes(Encoding.DER)
    assert svr.findtext("vr:SignatureIdentifier/vr:DAIdentifier", None, NS) == sig.id
    assert svr.find("vr:SignatureIdentifier/ds:SignatureValue", NS) is not None
    cert_id = svr.find("vr:SignatureAttributes/vr:SigningCertificate/vr:CertID", NS)
    assert cert_id is not None


def test_odd_ids_become_unique_xml_ids_and_no_signature_fails_closed() -> None:
    at = datetime(2026, 6, 1, tzinfo=UTC)
    sigs = tuple(
        SignatureReport(
            id=i,
            indication=Indication.INDETERMINATE,
            sub_indication=SubIndication.NO_CERTIFICATE_CHAIN_FOUND,
            reasons=(Finding("chain.no-trust-anchor", "no anchor <vouches> & so on"),),
        )
        for i in ("Sig 1", "Sig_1", "/a/ds:Signature[2]", "1")
    )
    report = ValidationReport("x.pdf", "00" * 32, "PAdES", at, "default", signatures=sigs)
    root = check_well_formed_report(to_etsi_xml(report), report)
    assert [e.text for e in root.iterfind(".//vr:DAIdentifier", NS)] == [s.id for s in sigs]
    assert statuses(root) == [(INDETERMINATE, [NO_CHAIN])] * 4

    empty = ValidationReport("x.pdf", "00" * 32, "PAdES", at, "default")
    xml = to_etsi_xml(empty, indent=None)
    assert xml.count("\n") == 2  # after the declaration and at the end
    root = parse(xml)
    assert statuses(root) == [
        (INDETERMINATE, ["urn:etsi:019102:subindication:SIGNED_DATA_NOT_FOUND"])
    ]
    assert missing_required(round_trip(xml)) == []


def test_importing_esig_and_its_cli_does_not_load_xsdata() -> None:
    code = (
        "import sys, esig, esig.cli.verify_cmd; "
        "assert 'xsdata' not in sys.modules, 'xsdata loaded'; "
        "assert 'esig.report_xml' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- the command line -------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(verify_cmd.verify, list(args), standalone_mode=False)
    if result.exception is not None:
        raise result.exception
    return int(result.return_value), result.output


@pytest.fixture(scope="module")
def cli_files(demo: DemoResult, pki: TestPki, tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("verify-xml")
    (d / "declaration.pdf").write_bytes(demo.signed_pdf)
    (d / "tampered.pdf").write_bytes(tamper(demo.signed_pdf))
    anchors = d / "anchors"
    anchors.mkdir()
    for root in ("az-root", "tr-root"):
        (anchors / f"{root}.pem").write_bytes(pki.cert(root).public_bytes(Encoding.PEM))
    (d / "unrelated.pem").write_bytes(unrelated_root().public_bytes(Encoding.PEM))
    return d


def test_cli_prints_the_xml_report_and_keeps_exit_codes(cli_files: Path, pki: TestPki) -> None:
    anchors = str(cli_files / "anchors")
    code, out = run(str(cli_files / "declaration.pdf"), "--trust", anchors, "--format", "xml")
    assert code == 0
    root = parse(out)
    assert root.tag == f"{{{VR}}}ValidationReport"
    assert all(indication == PASSED for indication, _ in statuses(root))
    svr = root.find("vr:SignatureValidationReport", NS)
    assert svr is not None
    assert signer_certificate(root, svr) == pki.cert(SIGNER).public_bytes(Encoding.DER)
    round_trip(out)

    code, out = run(str(cli_files / "tampered.pdf"), "--trust", anchors, "--format", "xml")
    assert code == verify_cmd.EXIT_FAILED == 1
    assert statuses(parse(out))[0] == (FAILED, [HASH_FAILURE])

    unrelated = str(cli_files / "unrelated.pem")
    code, out = run(str(cli_files / "declaration.pdf"), "--trust", unrelated, "--format", "xml")
    assert code == verify_cmd.EXIT_INDETERMINATE == 8
    assert statuses(parse(out))[0] == (INDETERMINATE, [NO_CHAIN])


def test_cli_xml_takes_one_file_and_unusable_input_stays_3(
    cli_files: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    anchors = str(cli_files / "anchors")
    two = [str(cli_files / "declaration.pdf"), str(cli_files / "tampered.pdf")]
    assert main(["verify", *two, "--trust", anchors, "--format", "xml"]) == 2
    assert "one FILE" in capsys.readouterr().err
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.7\nnot really\n%%EOF\n")
    assert main(["verify", str(junk), "--trust", anchors, "--format", "xml"]) == 3


def test_text_xml_cannot_carry_is_replaced_not_fatal() -> None:
    sig = SignatureReport(
        id="a\x01b",
        indication=Indication.INDETERMINATE,
        sub_indication=SubIndication.NO_POE,
        signer=SignerIdentity(
            name="Bad\x00\x1bname\ud800 𝄞", country=None, issuer="x", certificate_sha256="ab" * 32
        ),
        reasons=(Finding("odd\x02 code", "form\x0cfeed"),),
    )
    at = datetime(2026, 6, 1, tzinfo=UTC)
    report = ValidationReport("d.pdf", "00" * 32, "PAdES", at, "default", signatures=(sig,))
    root = check_well_formed_report(to_etsi_xml(report), report)
    assert root.findtext(".//vr:Signer", None, NS) == "Bad\ufffd\ufffdname\ufffd 𝄞"
    assert root.findtext(".//vr:ReportData/vr:Type", None, NS) == "urn:esig:reason:odd%02%20code"
    assert root.findtext(".//vr:ReportData/vr:Value", None, NS) == "form\ufffdfeed"
