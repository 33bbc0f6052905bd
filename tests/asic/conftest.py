"""Building ASiC containers from the test PKI: detached XAdES over several files, zipped."""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from collections.abc import Mapping
from urllib.parse import quote

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from lxml import etree

from esig.asic import ASIC_E
from esig.testing import TestPki, build_pki
from esig.xades import _xml as X
from esig.xades import extend_xml, sign_xml
from tests.xades.conftest import NS, T, TrustDouble, revocation, timestamper

ASIC_NS = "http://uri.etsi.org/02918/v1.2.1#"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
SIGNER = "ee-idcard-signer"
FILES = {"invoice.xml": b"<Invoice><Total>100</Total></Invoice>", "note one.txt": b"hello\n"}


@pytest.fixture(scope="session")
def pki() -> TestPki:
    return build_pki()


@pytest.fixture(scope="session")
def trust(pki: TestPki) -> TrustDouble:
    return TrustDouble(pki.roots())


def _sign_value(key: object, data: bytes) -> bytes:
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    size = (key.curve.key_size + 7) // 8
    algo: hashes.HashAlgorithm = hashes.SHA384() if key.curve.key_size > 256 else hashes.SHA256()
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(algo)))
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


def signatures_xml(
    pki: TestPki, files: Mapping[str, bytes], *, signer: str = SIGNER, level: str = "B-B"
) -> bytes:
    """An ``asic:XAdESSignatures`` document with one detached XAdES signature over ``files``.

    sign_xml makes a detached B-B signature of one document; its data reference is rewritten
    to the raw bytes of the first file, references to the others are added, the signature is
    moved under the ASiC root, the same-document digests and the signature value are
    recomputed; then extend_xml raises the level.
    """
    names = list(files)
    key = pki.key(signer)
    signed = sign_xml(
        b"<placeholder/>",
        key,
        pki.chain(signer),
        placement="detached",
        detached_uri=quote(names[0]),
        signing_time=T,
        mime_type="application/octet-stream",
    )
    root = etree.Element(f"{{{ASIC_NS}}}XAdESSignatures", nsmap={"asic": ASIC_NS})
    sig = etree.fromstring(signed)
    root.append(sig)
    si = sig.find("ds:SignedInfo", NS)
    assert si is not None
    data_ref = next(r for r in si.findall("ds:Reference", NS) if r.get("URI") == quote(names[0]))
    at = list(si).index(data_ref)
    for i, name in enumerate(names):
        ref = data_ref if i == 0 else etree.Element(f"{{{X.DS}}}Reference")
        for child in list(ref):
            ref.remove(child)
        ref.set("URI", quote(name))
        etree.SubElement(ref, f"{{{X.DS}}}DigestMethod", Algorithm=SHA256)
        etree.SubElement(ref, f"{{{X.DS}}}DigestValue").text = base64.b64encode(
            hashlib.sha256(files[name]).digest()
        ).decode()
        if i:
            si.insert(at + i, ref)
    for ref in si.findall("ds:Reference", NS):
        uri = ref.get("URI") or ""
        if not uri.startswith("#"):
            continue
        target = next(e for e in root.iter() if e.get("Id") == uri[1:])
        method, prefixes = X.c14n_spec(ref.find("ds:Transforms/ds:Transform", NS))
        value = ref.find("ds:DigestValue", NS)
        assert value is not None
        value.text = base64.b64encode(
            hashlib.sha256(X.c14n(target, method, prefixes)).digest()
        ).decode()
    method, prefixes = X.c14n_spec(si.find("ds:CanonicalizationMethod", NS))
    sv = sig.find("ds:SignatureValue", NS)
    assert sv is not None
    sv.text = base64.b64encode(_sign_value(key, X.c14n(si, method, prefixes))).decode()
    out = bytes(etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8"))
    if level != "B-B":
        out = extend_xml(
            out,
            level,
            timestamper=timestamper(pki, signer),
            revocation=revocation(pki, signer),
            certificates=pki.chain(signer),
            detached_content={quote(n): b for n, b in files.items()},
        )
    return out


def manifest(names: list[str], mimetype: str = ASIC_E) -> bytes:
    ns = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
    entries = "".join(
        f'<manifest:file-entry manifest:full-path="{n}" manifest:media-type="text/plain"/>'
        for n in names
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="{ns}">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
        f"{entries}</manifest:manifest>"
    ).encode()


def build_zip(entries: list[tuple[str, bytes]], *, stored_first: bool = True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, (name, data) in enumerate(entries):
            info = zipfile.ZipInfo(name, date_time=(2026, 6, 1, 10, 0, 0))
            info.compress_type = (
                zipfile.ZIP_STORED if (i == 0 and stored_first) else zipfile.ZIP_DEFLATED
            )
            zf.writestr(info, data)
    return buf.getvalue()


def asice(
    files: Mapping[str, bytes],
    signatures: bytes,
    *,
    mimetype: bytes = ASIC_E.encode(),
    extra: Mapping[str, bytes] | None = None,
) -> bytes:
    """An ASiC-E: mimetype first (stored), the data files, manifest, signatures0.xml."""
    data = {**files, **(extra or {})}
    return build_zip(
        [
            ("mimetype", mimetype),
            *data.items(),
            ("META-INF/manifest.xml", manifest(list(data))),
            ("META-INF/signatures0.xml", signatures),
        ]
    )
