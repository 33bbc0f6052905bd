"""Qualification against libdigidocpp's Estonian test-list variants (corpus).

libdigidocpp's TSLTests validate ``tsl.asice`` (signed 2016-11-28 with a certificate of
"TEST of ESTEID-SK 2011" issued 2013-04-23) under each ``EE_T-CA-*`` variant: GOOD variants must
give a qualified signature, BAD ones must not. esig reproduces that at the chain level: QESig for
the GOOD variants, something else (with the reason) for the BAD ones. The OCSP/TSA variants judge
the revocation and time-stamp services, which is validation's business, not this check's.
"""

from __future__ import annotations

import base64
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509

from esig.report import CertificateQualification as CQ
from esig.report import SignatureQualification as SQ
from esig.trust.fetch import MemoryFetcher
from esig.trust.parse import parse_trusted_list
from esig.trust.store import TrustedListSource, TrustStore
from esig.trust.tlsig import TrustListPolicy

SIGNING = datetime(2016, 11, 28, 13, 46, 41, tzinfo=UTC)
#: Old test lists: their NextUpdate, signer validity and algorithms are not what is tested here.
LAX = TrustListPolicy(allow_expired=True, allow_expired_signer=True, allow_sha1=True)

CASES = [
    # variant, signature, at issuance, at signing, a finding code that explains it
    ("EE_T.xml", SQ.QESIG, CQ.QC_FOR_ESIG_QSCD, CQ.QC_FOR_ESIG_QSCD, "qual.result"),
    (
        "EE_T-CA-noqscd-granted-before.xml",
        SQ.QESIG,
        CQ.QC_FOR_ESIG_QSCD,
        CQ.QC_FOR_ESIG_QSCD,
        "qual.result",
    ),
    (
        "EE_T-CA-withdrawn-granted-before.xml",
        SQ.QESIG,
        CQ.QC_FOR_ESIG_QSCD,
        CQ.QC_FOR_ESIG_QSCD,
        "qual.result",
    ),
    ("EE_T-CA-granted-later.xml", SQ.ADESIG, CQ.NA, CQ.QC_FOR_ESIG_QSCD, "qual.no-service-at-time"),
    ("EE_T-CA-invalid-type.xml", SQ.ADESIG, CQ.CERT_FOR_ESIG, CQ.CERT_FOR_ESIG, "qual.not-ca-qc"),
    ("EE_T-CA-non-qa.xml", SQ.ADESIG, CQ.CERT_FOR_ESIG, CQ.CERT_FOR_ESIG, "qual.not-ca-qc"),
    (
        "EE_T-CA-noqscd-granted-later.xml",
        SQ.ADESIG,
        CQ.CERT_FOR_ESIG,
        CQ.QC_FOR_ESIG_QSCD,
        "qual.not-qualified-at-issuance",
    ),
    (
        "EE_T-CA-withdrawn-granted-later.xml",
        SQ.ADESIG,
        CQ.CERT_FOR_ESIG,
        CQ.QC_FOR_ESIG_QSCD,
        "qual.not-granted",
    ),
    ("EE_T-CA-withdrawn.xml", SQ.ADESIG, CQ.CERT_FOR_ESIG, CQ.CERT_FOR_ESIG, "qual.not-granted"),
    ("EE_T-no_QCSD.xml", SQ.ADESIG_QC, CQ.QC_FOR_ESIG_QSCD, CQ.QC_FOR_ESIG, "qual.override"),
    ("EE_T-no_QCStatement.xml", SQ.ADESIG, CQ.QC_FOR_ESIG_QSCD, CQ.CERT_FOR_ESIG, "qual.result"),
]


def _signer_chain(corpus: Path) -> list[x509.Certificate]:
    with zipfile.ZipFile(corpus / "asic/libdigidocpp/tsl.asice") as z:
        xml = z.read("META-INF/signatures0.xml").decode("utf-8")
    certs = {}
    for b64 in re.findall(r"X509Certificate[^>]*>([^<]+)</", xml):
        data = base64.b64decode(re.sub(r"\s", "", b64))
        if len(data) > 100:
            cert = x509.load_der_x509_certificate(data)
            certs[cert.subject.rfc4514_string()] = cert
    signer = next(c for s, c in certs.items() if "MÄNNIK" in s)
    issuer = next(c for c in certs.values() if c.subject == signer.issuer)
    return [signer, issuer]


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("variant", "signature", "issuance", "signing", "code"), CASES, ids=[c[0] for c in CASES]
)
def test_libdigidocpp_variant(
    corpus: Path, variant: str, signature: SQ, issuance: CQ, signing: CQ, code: str
) -> None:
    data = (corpus / "trusted-lists/libdigidocpp" / variant).read_bytes()
    # test-only shortcut: pin the certificate the list itself carries
    pin = parse_trusted_list(data).signature.key_info_certificates
    store = TrustStore.load(
        [TrustedListSource(variant, pin, policy=LAX)],
        at=datetime(2026, 6, 1, tzinfo=UTC),
        fetcher=MemoryFetcher({variant: data}),
    )
    assert store.problems == ()
    outcome = store.qualify(_signer_chain(corpus), signing_time=SIGNING)
    assert (outcome.signature, outcome.at_issuance, outcome.at_signing) == (
        signature,
        issuance,
        signing,
    )
    assert code in [f.code for f in outcome.findings]
