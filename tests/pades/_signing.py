"""Signing test PDFs with pyHanko directly (TEST-ONLY PKI, loopback TSA), for verification tests."""

from __future__ import annotations

import io
import itertools
from datetime import datetime, timedelta

from asn1crypto import cms, tsp
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.writer import PdfFileWriter
from pyhanko.sign import signers, timestamps
from pyhanko.sign.ades.api import CAdESSignedAttrSpec
from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.policy_decl import AcceptAllAlgorithms
from pyhanko_certvalidator.registry import SimpleCertificateStore

from esig.testing import MessageImprint, TestPki
from esig.testing.server import PkiServer


def asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def tiny_pdf(text: str = "customs declaration 42") -> bytes:
    """A one-page PDF with a line of text."""
    w = PdfFileWriter()
    font = w.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Font"),
                generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
                generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
            }
        )
    )
    stream = generic.StreamObject(stream_data=f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode())
    page = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Page"),
            generic.NameObject("/MediaBox"): generic.ArrayObject(
                [generic.NumberObject(x) for x in (0, 0, 300, 200)]
            ),
            generic.NameObject("/Contents"): w.add_object(stream),
            generic.NameObject("/Resources"): generic.DictionaryObject(
                {
                    generic.NameObject("/Font"): generic.DictionaryObject(
                        {generic.NameObject("/F1"): font}
                    )
                }
            ),
        }
    )
    w.insert_page(page)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def incremental_update(data: bytes, page_text: bytes | None = None) -> bytes:
    """``data`` with one more revision: the first page's content replaced by ``page_text``
    (a content stream), or, with None, only the document information pyHanko always updates."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    if page_text is not None:
        page = writer.root["/Pages"]["/Kids"][0].get_object()
        page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=page_text))
        writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def simple_signer(pki: TestPki, name: str) -> signers.SimpleSigner:
    key = pki.key(name).private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    chain = pki.chain(name)
    return signers.SimpleSigner(
        signing_cert=asn1(chain[0]),
        signing_key=asn1_keys.PrivateKeyInfo.load(key),
        cert_registry=SimpleCertificateStore.from_certs([asn1(c) for c in chain[1:]]),
    )


def _revinfo_context(pki: TestPki, name: str, tsa: str, at: datetime) -> ValidationContext:
    """Revocation data as of ``at`` for the signer's and the TSA's chains (what a B-LT embeds)."""
    crls, ocsps = [], []
    for leaf in (name, tsa):
        chain_names = pki.declaration.chain_names(leaf)
        for child, issuer in itertools.pairwise(chain_names):
            crls.append(
                pki.crl(
                    issuer, this_update=at - timedelta(hours=1), next_update=at + timedelta(days=7)
                )
            )
            if pki.entity(child).ocsp_urls:
                ocsps.append(
                    pki.ocsp_response(
                        child, produced_at=at, this_update=at, next_update=at + timedelta(days=1)
                    )
                )
    root = pki.chain(name)[-1]
    return ValidationContext(
        trust_roots=[asn1(root), asn1(pki.chain(tsa)[-1])],
        other_certs=[asn1(c) for c in pki.chain(tsa)[1:-1] + pki.chain(name)[1:-1]],
        moment=at,
        crls=crls,
        ocsps=ocsps,
        allow_fetching=False,
        revocation_mode="hard-fail",
        # the signing side makes what the tests ask for (SHA-1 too); esig's verifier judges it
        algorithm_usage_policy=AcceptAllAlgorithms(),
    )


def sign_pdf(
    pdf: bytes,
    pki: TestPki,
    server: PkiServer | None,
    name: str,
    *,
    level: str,
    at: datetime,
    tsa: str = "tr-tsa",
    content_timestamp: bool = False,
    certify: MDPPerm | None = None,
    field: str = "Signature1",
    md_algorithm: str = "sha256",
    timestamper: timestamps.TimeStamper | None = None,
) -> bytes:
    """Sign ``pdf`` as ``name`` at level B-B / B-T / B-LT / B-LTA; time-stamps come from the
    loopback TSA, whose clock is set to ``at``."""
    if timestamper is None and (level != "B-B" or content_timestamp):
        assert server is not None
        server.now = at
        timestamper = timestamps.HTTPTimeStamper(f"{server.base_url}/tsa/{tsa}")
    lt = level in ("B-LT", "B-LTA")
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm=md_algorithm,
        embed_validation_info=lt,
        use_pades_lta=level == "B-LTA",
        validation_context=_revinfo_context(pki, name, tsa, at) if lt else None,
        certify=certify is not None,
        docmdp_permissions=certify or MDPPerm.FILL_FORMS,
        cades_signed_attr_spec=CAdESSignedAttrSpec(timestamp_content=True)
        if content_timestamp
        else None,
    )
    signer = signers.PdfSigner(meta, simple_signer(pki, name), timestamper=timestamper)
    out = signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)))
    return bytes(out.getvalue())


class PkiTimeStamper(timestamps.TimeStamper):
    """Time-stamps straight from a TestPki (no server), genTime fixed at ``at``."""

    def __init__(self, pki: TestPki, tsa: str, at: datetime) -> None:
        super().__init__()
        self._pki, self._tsa, self._at = pki, tsa, at

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        mi = req["message_imprint"]
        token = self._pki.timestamp_token(
            MessageImprint(mi["hash_algorithm"]["algorithm"].native, mi["hashed_message"].native),
            at=self._at,
            tsa=self._tsa,
            nonce=req["nonce"].native,
        )
        return tsp.TimeStampResp(
            {"status": {"status": "granted"}, "time_stamp_token": cms.ContentInfo.load(token)}
        )
