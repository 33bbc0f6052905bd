"""Raising a XAdES signature's level: B-T, B-LT and B-LTA properties (private).

What each level adds to ``xades:UnsignedSignatureProperties`` (EN 319 132-1), in this order:

* B-T: ``xades:SignatureTimeStamp`` over the canonicalised ``ds:SignatureValue`` element
  (inclusive Canonical XML 1.0, stated in the time-stamp's ``ds:CanonicalizationMethod``).
* B-LT: ``xades:CertificateValues`` (the signer's chain) and ``xades:RevocationValues`` (OCSP
  responses and CRLs for it), then ``xades141:TimeStampValidationData`` with the TSA chains and
  their revocation data.
* B-LTA: ``xades141:ArchiveTimeStamp``; a later extension first adds the validation data of the
  previous archive time-stamp's TSA (``xades141:TimeStampValidationData``), then a new archive
  time-stamp.

The archive time-stamp's input (:func:`archive_input`, EN 319 132-1 clause 5.5.2.2, "not
distributed" case) is the concatenation, each canonicalised with the time-stamp's
``ds:CanonicalizationMethod`` (inclusive C14N 1.0 when esig writes it), of:

1. for every ``ds:Reference`` of ``ds:SignedInfo`` in order: the octets its digest is computed on
   (the reference processing model's result; node sets canonicalised by the reference's own
   canonicalisation transform);
2. ``ds:SignedInfo``, ``ds:SignatureValue`` and ``ds:KeyInfo`` (if present);
3. every child element of ``xades:UnsignedSignatureProperties`` that precedes this
   ``ArchiveTimeStamp``, in document order;
4. every ``ds:Object`` of the signature except the one holding ``xades:QualifyingProperties``.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterable, Mapping, Sequence

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

from esig.errors import DocumentError, SigningError
from esig.report import SignatureLevel
from esig.xades import _xml as X
from esig.xades._core import process_references
from esig.xades._props import find_qualifying, read_properties
from esig.xades._tsp import check_token
from esig.xades._types import RevocationData, RevocationSource, Timestamper, level_rank

__all__ = ["archive_input", "extend_signature", "signature_timestamp_input"]


def signature_timestamp_input(signature: etree._Element, method: str) -> bytes:
    value = X.find(signature, "ds:SignatureValue")
    if value is None:
        raise DocumentError("ds:Signature has no ds:SignatureValue")
    return X.c14n(value, method)


def archive_input(
    tree: etree._ElementTree,
    signature: etree._Element,
    before: etree._Element | None,
    method: str,
    *,
    external: Mapping[str, bytes] | None = None,
) -> bytes:
    """The octets an archive time-stamp covers (see the module docstring).

    ``before``: the ArchiveTimeStamp element being computed (properties after it are excluded),
    or None for a new one appended at the end.
    """
    parts: list[bytes] = []
    for ref in process_references(tree, signature, external=external, allow_sha1=True):
        if ref.problem is not None:
            raise DocumentError(f"archive time-stamp input: {ref.problem.message}")
        parts.append(ref.data)
    for path in ("ds:SignedInfo", "ds:SignatureValue", "ds:KeyInfo"):
        el = X.find(signature, path)
        if el is not None:
            parts.append(X.c14n(el, method))
    qp, _ = find_qualifying(signature)
    props = read_properties(signature)
    usp = props.unsigned_signature_properties
    if usp is not None:
        for child in usp:
            if child is before:
                break
            if isinstance(child.tag, str):
                parts.append(X.c14n(child, method))
    for obj in X.findall(signature, "ds:Object"):
        if qp is not None and qp.getparent() is obj:
            continue
        parts.append(X.c14n(obj, method))
    return b"".join(parts)


def _key(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(Encoding.DER)


def _issuer_of(cert: x509.Certificate, pool: Sequence[x509.Certificate]) -> x509.Certificate | None:
    for cand in pool:
        if cand.subject == cert.issuer and _key(cand) != _key(cert):
            try:
                cert.verify_directly_issued_by(cand)
            except Exception:
                continue
            return cand
    return None


def _chain_of(cert: x509.Certificate, pool: Sequence[x509.Certificate]) -> list[x509.Certificate]:
    chain = [cert]
    while len(chain) < 8:
        issuer = _issuer_of(chain[-1], pool)
        if issuer is None or any(_key(issuer) == _key(c) for c in chain):
            break
        chain.append(issuer)
    return chain


def _collect(
    chain: Sequence[x509.Certificate], pool: Sequence[x509.Certificate], source: RevocationSource
) -> RevocationData:
    data = RevocationData(certificates=tuple(chain))
    for cert in chain:
        if cert.subject == cert.issuer:
            continue  # a root: no revocation data
        issuer = _issuer_of(cert, pool)
        if issuer is None:
            raise SigningError(f"no issuer certificate for {cert.subject.rfc4514_string()}")
        data = data + source.revocation_for(cert, issuer)
    return data


def _sub(parent: etree._Element, ns: str, local: str, **attrib: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{ns}}}{local}", attrib)


def _values(parent: etree._Element, ns: str, data: RevocationData, skip: RevocationData) -> None:
    certs = [c for c in data.certificates if c not in skip.certificates]
    if certs:
        cv = _sub(parent, ns, "CertificateValues")
        for cert in certs:
            _sub(cv, ns, "EncapsulatedX509Certificate").text = base64.b64encode(_key(cert)).decode()
    crls = [c for c in data.crls if c not in skip.crls]
    ocsps = [o for o in data.ocsp_responses if o not in skip.ocsp_responses]
    if crls or ocsps:
        rv = _sub(parent, ns, "RevocationValues")
        if crls:
            holder = _sub(rv, ns, "CRLValues")
            for crl in crls:
                _sub(holder, ns, "EncapsulatedCRLValue").text = base64.b64encode(crl).decode()
        if ocsps:
            holder = _sub(rv, ns, "OCSPValues")
            for resp in ocsps:
                _sub(holder, ns, "EncapsulatedOCSPValue").text = base64.b64encode(resp).decode()


def _timestamp_element(
    usp: etree._Element, ns: str, local: str, timestamper: Timestamper, data_of: object
) -> None:
    el = etree.SubElement(usp, f"{{{ns}}}{local}", {"Id": f"TS-{uuid.uuid4().hex}"})
    etree.SubElement(el, f"{{{X.DS}}}CanonicalizationMethod", {"Algorithm": X.C14N_10})
    enc = etree.SubElement(el, f"{{{X.XADES}}}EncapsulatedTimeStamp")
    assert callable(data_of)
    data = data_of(el)
    try:
        token = timestamper(data)
    except Exception as exc:
        raise SigningError(f"the time-stamping service failed: {exc}") from exc
    check = check_token(token, data)
    if not check.intact:
        reason = check.problem.message if check.problem else "imprint or signature mismatch"
        raise SigningError(f"the time-stamp token does not cover the data: {reason}")
    enc.text = base64.b64encode(token).decode()


def _key_info_certs(signature: etree._Element) -> list[x509.Certificate]:
    out = []
    for el in X.findall(signature, "ds:KeyInfo/ds:X509Data/ds:X509Certificate"):
        try:
            out.append(x509.load_der_x509_certificate(X.b64(el, "X509Certificate")))
        except ValueError as exc:
            raise DocumentError(
                f"an X509Certificate of the signature is unreadable: {exc}"
            ) from exc
    return out


def _tsa_certs(tokens: Iterable[bytes]) -> list[x509.Certificate]:
    out: list[x509.Certificate] = []
    for token in tokens:
        check = check_token(token, b"")
        if check.tsa_cert is not None:
            out.append(check.tsa_cert)
        out.extend(x509.load_der_x509_certificate(c.dump()) for c in check.certificates)
    return out


def extend_signature(
    tree: etree._ElementTree,
    signature: etree._Element,
    level: SignatureLevel,
    *,
    timestamper: Timestamper | None,
    revocation: RevocationSource | None,
    certificates: Sequence[x509.Certificate] = (),
    external: Mapping[str, bytes] | None = None,
) -> None:
    """Add what ``level`` needs to ``signature`` in place (see the module docstring).

    ``external``: the bytes of detached documents by URI (needed for a B-LTA archive time-stamp).
    """
    qp, _ = find_qualifying(signature)
    if qp is None or etree.QName(qp).namespace != X.XADES:
        raise SigningError("only XAdES 1.3.2 signatures can be extended")
    props = read_properties(signature)
    if props.signed_properties is None:
        raise SigningError("the signature has no SignedProperties")
    if timestamper is None:
        raise SigningError(f"level {level.value} needs a timestamper")
    up = qp.find(f"{{{X.XADES}}}UnsignedProperties")
    if up is None:
        up = _sub(qp, X.XADES, "UnsignedProperties")
    usp = up.find(f"{{{X.XADES}}}UnsignedSignatureProperties")
    if usp is None:
        usp = etree.Element(f"{{{X.XADES}}}UnsignedSignatureProperties")
        up.insert(0, usp)
    kinds = [t.kind for t in props.timestamps]
    if "signature-timestamp" not in kinds:
        _timestamp_element(
            usp,
            X.XADES,
            "SignatureTimeStamp",
            timestamper,
            lambda el: signature_timestamp_input(signature, X.C14N_10),
        )
    if level_rank(level) < level_rank(SignatureLevel.B_LT):
        return
    if revocation is None:
        raise SigningError(f"level {level.value} needs revocation data (revocation=...)")
    key_info_certs = _key_info_certs(signature)
    pool = [*certificates, *key_info_certs]
    # RevocationData, or any source offering certificates (e.g. one that fetched TSA issuers)
    pool.extend(getattr(revocation, "certificates", ()))
    props = read_properties(signature)
    if not props.has_lt_values:
        signer = (
            key_info_certs[0] if key_info_certs else (certificates[0] if certificates else None)
        )
        if signer is None:
            raise SigningError("no signing certificate to collect validation data for")
        signer_data = _collect(_chain_of(signer, pool), pool, revocation)
        _values(usp, X.XADES, signer_data, RevocationData())
        _add_tsa_data(usp, [t.token for t in props.timestamps], pool, revocation, signer_data)
    if level is not SignatureLevel.B_LTA:
        return
    props = read_properties(signature)
    archives = [t for t in props.timestamps if t.kind == "archive-timestamp"]
    if archives:
        _add_tsa_data(usp, [archives[-1].token], pool, revocation, RevocationData())
    _timestamp_element(
        usp,
        X.XADES141,
        "ArchiveTimeStamp",
        timestamper,
        lambda el: archive_input(tree, signature, el, X.C14N_10, external=external),
    )


def _add_tsa_data(
    usp: etree._Element,
    tokens: Sequence[bytes],
    pool: list[x509.Certificate],
    revocation: RevocationSource,
    skip: RevocationData,
) -> None:
    tsas = _tsa_certs(tokens)
    pool.extend(tsas)
    data = RevocationData()
    for tsa in tsas:
        data = data + _collect(_chain_of(tsa, pool), pool, revocation)
    holder = etree.Element(
        f"{{{X.XADES141}}}TimeStampValidationData", nsmap={"xades141": X.XADES141}
    )
    _values(holder, X.XADES, data, skip)
    if len(holder):
        usp.append(holder)
