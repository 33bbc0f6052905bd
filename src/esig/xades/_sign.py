"""Creating XAdES B-B signatures with signxml, constrained and completed by esig (private).

signxml builds the XML-DSig core and the signed properties; esig subclasses its XAdESSigner to
write an explicit SigningTime (signxml always writes "now"), a SigningCertificateV2 naming only
the signing certificate, SignerRoleV2 and a chosen signature Id, and always canonicalises with
inclusive Canonical XML 1.0: signxml 5.2 computes a wrong SignedProperties digest with exclusive
c14n (its own verifier rejects the result), and UBL-TR e-Fatura uses inclusive c14n.

A key that stays on a PKCS#11 token (an ID card) reaches signxml as a :class:`_RawKey`: signxml
only calls ``sign`` on its key for the canonicalised SignedInfo, and ``_RawKey.sign`` hands those
bytes to the token and checks the result against the signing certificate.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Protocol, runtime_checkable

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import AsymmetricPadding, PKCS1v15
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from lxml import etree

from esig.errors import DocumentError, EsigError, SigningError
from esig.report import SignatureLevel
from esig.xades import _xml as X
from esig.xades._types import Placement, RevocationSource, SignaturePolicy, Timestamper, level_of

__all__ = ["RawSigner", "sign_xml"]


def _xt(local: str) -> str:
    return f"{{{X.XADES}}}{local}"


def _dt(local: str) -> str:
    return f"{{{X.DS}}}{local}"


def _signature_method(key: object) -> Any:
    """The SignatureMethod for a key: by the type and size of its public key."""
    from signxml.algorithms import SignatureMethod

    public = (
        key.public_key()
        if isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | _RawKey)
        else key
    )
    if isinstance(public, rsa.RSAPublicKey):
        return SignatureMethod.RSA_SHA256
    if isinstance(public, ec.EllipticCurvePublicKey):
        size = public.curve.key_size
        if size > 384:
            return SignatureMethod.ECDSA_SHA512
        if size > 256:
            return SignatureMethod.ECDSA_SHA384
        return SignatureMethod.ECDSA_SHA256
    raise SigningError(f"unsupported signing key type {type(key).__name__} (RSA or EC)")


@runtime_checkable
class RawSigner(Protocol):
    """A key that stays elsewhere (a PKCS#11 token, an HSM, a signing service).

    :class:`esig.signing.Signer` is one. ``sign_raw`` hashes ``data`` with ``digest_algorithm``
    (``"sha256"``, ``"sha384"`` or ``"sha512"``) and signs it: RSA PKCS#1 v1.5, or ECDSA
    returned as a DER ``ECDSA-Sig-Value`` (as cryptography's ``sign`` returns it).
    """

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes: ...


class _RawKey:
    """What signxml sees as the private key when the key is a :class:`RawSigner`.

    signxml 5 uses a key by duck typing: ``public_key()``, ``key_size`` and ``curve`` (for
    KeyValue and the ``r || s`` length) and ``sign(...)`` with cryptography's keyword arguments
    for the canonicalised SignedInfo. ``sign`` passes the bytes to ``sign_raw`` and verifies the
    result with the certificate's public key: a token key that does not belong to the
    certificate is refused rather than written into a signature nobody can verify.
    """

    def __init__(
        self, signer: RawSigner, public: rsa.RSAPublicKey | ec.EllipticCurvePublicKey
    ) -> None:
        self._signer = signer
        self._public = public

    def public_key(self) -> rsa.RSAPublicKey | ec.EllipticCurvePublicKey:
        return self._public

    @property
    def key_size(self) -> int:
        return self._public.key_size

    @property
    def curve(self) -> ec.EllipticCurve:
        if not isinstance(self._public, ec.EllipticCurvePublicKey):
            raise AttributeError("curve")
        return self._public.curve

    def sign(
        self,
        data: bytes,
        padding: AsymmetricPadding | None = None,
        algorithm: hashes.HashAlgorithm | None = None,
        signature_algorithm: ec.EllipticCurveSignatureAlgorithm | None = None,
    ) -> bytes:
        public = self._public
        digest: object = None
        if isinstance(public, ec.EllipticCurvePublicKey) and isinstance(
            signature_algorithm, ec.ECDSA
        ):
            digest = signature_algorithm.algorithm
        elif isinstance(public, rsa.RSAPublicKey) and isinstance(padding, PKCS1v15):
            digest = algorithm
        if not isinstance(digest, hashes.SHA256 | hashes.SHA384 | hashes.SHA512):
            # _signature_method chooses only RSA PKCS#1 v1.5 and ECDSA with these digests
            raise SigningError(f"unsupported signature method for a token key: {digest!r}")
        value = self._signer.sign_raw(bytes(data), digest.name)
        try:
            if isinstance(public, ec.EllipticCurvePublicKey):
                public.verify(value, data, ec.ECDSA(digest))
            else:
                public.verify(value, data, PKCS1v15(), digest)
        except (InvalidSignature, ValueError) as exc:
            raise SigningError(
                "the key that signed does not match the signing certificate's public key "
                "(its signature does not verify with the certificate)"
            ) from exc
        return value


def _signing_key(signer_key: object, chain: Sequence[x509.Certificate]) -> object:
    """The key to give signxml: a loaded private key as it is, else a :class:`_RawKey`."""
    if isinstance(signer_key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        return signer_key
    loaded = getattr(signer_key, "private_key", None)  # a key-file esig.signing.Signer
    if isinstance(loaded, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        return loaded
    if isinstance(signer_key, RawSigner) and chain:
        public = chain[0].public_key()
        if not isinstance(public, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
            raise SigningError(f"unsupported signing key type {type(public).__name__} (RSA or EC)")
        return _RawKey(signer_key, public)
    return signer_key


def _make_signer(
    *,
    key: object,
    placement: Placement,
    signing_time: datetime,
    signature_id: str,
    claimed_roles: Sequence[str],
    policy: SignaturePolicy | None,
    mime_type: str,
    description: str,
) -> Any:
    from signxml import methods
    from signxml.algorithms import CanonicalizationMethod, DigestAlgorithm
    from signxml.xades.xades import (
        XAdESDataObjectFormat,
        XAdESSignaturePolicy,
        XAdESSigner,
    )

    method = {
        Placement.ENVELOPED: methods.enveloped,
        Placement.UBL_EXTENSION: methods.enveloped,
        Placement.ENVELOPING: methods.enveloping,
        Placement.DETACHED: methods.detached,
    }[placement]

    class _Signer(XAdESSigner):
        def _c14n(self, nodes: Any, algorithm: Any, inclusive_ns_prefixes: Any = None) -> bytes:
            # lxml's canonicalisation through esig's work-around for the libxml2 2.14 subtree
            # bug (see esig.xades._xml.c14n); signxml's own would digest a wrong form.
            if not isinstance(nodes, list):
                nodes = [nodes]
            return b"".join(
                X.c14n(node, str(getattr(algorithm, "value", algorithm)), inclusive_ns_prefixes)
                for node in nodes
            )

        def _get_c14n_inputs_from_references(self, doc_root: Any, references: Any) -> Any:
            # signxml canonicalises a standalone copy of each referenced element, which loses
            # the xml:lang/xml:space/... the element inherits from its ancestors (C14N 1.0
            # section 2.4): give the copy those attributes, as the verifier's form has them.
            inputs, refs = super()._get_c14n_inputs_from_references(doc_root, references)
            if str(getattr(self.c14n_alg, "value", self.c14n_alg)).startswith(X.EXC_C14N):
                return inputs, refs
            for copy, ref in zip(inputs, refs, strict=True):
                original = self._resolve_reference(doc_root, {"URI": ref.URI})  # type: ignore[no-untyped-call]
                for name, value in X.inherited_xml_attributes(original, False).items():
                    copy.set(name, value)
            return inputs, refs

        def _build_xades_ds_object(self, sig_root: Any, signing_settings: Any) -> None:
            sig_root.set("Id", signature_id)
            super()._build_xades_ds_object(sig_root, signing_settings)

        def add_signing_time(self, ssp: Any, sig_root: Any, signing_settings: Any) -> None:
            el = etree.SubElement(ssp, _xt("SigningTime"), nsmap=self.namespaces)
            el.text = signing_time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

        def add_signing_certificate(self, ssp: Any, sig_root: Any, signing_settings: Any) -> None:
            cert = signing_settings.cert_chain[0]
            der = cert.public_bytes(Encoding.DER)
            holder = etree.SubElement(ssp, _xt("SigningCertificateV2"), nsmap=self.namespaces)
            cert_el = etree.SubElement(holder, _xt("Cert"), nsmap=self.namespaces)
            cd = etree.SubElement(cert_el, _xt("CertDigest"), nsmap=self.namespaces)
            etree.SubElement(cd, _dt("DigestMethod"), nsmap=self.namespaces, Algorithm=X.SHA256_URI)
            dv = etree.SubElement(cd, _dt("DigestValue"), nsmap=self.namespaces)
            dv.text = base64.b64encode(X.digest(der, X.SHA256_URI)).decode()

        def add_signer_role(self, ssp: Any, sig_root: Any, signing_settings: Any) -> None:
            if not claimed_roles:
                return
            role = etree.SubElement(ssp, _xt("SignerRoleV2"), nsmap=self.namespaces)
            roles = etree.SubElement(role, _xt("ClaimedRoles"), nsmap=self.namespaces)
            for name in claimed_roles:
                el = etree.SubElement(roles, _xt("ClaimedRole"), nsmap=self.namespaces)
                el.text = name

    xpolicy = None
    if policy is not None:
        xpolicy = XAdESSignaturePolicy(
            Identifier=policy.identifier,
            Description=policy.description,
            DigestMethod=DigestAlgorithm(policy.digest_algorithm),
            DigestValue=base64.b64encode(policy.digest).decode(),
        )
    return _Signer(
        method=method,
        signature_algorithm=_signature_method(key),
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=CanonicalizationMethod.CANONICAL_XML_1_0,
        signature_policy=xpolicy,
        data_object_format=XAdESDataObjectFormat(Description=description, MimeType=mime_type),
    )


def _check_signer(key: object, chain: Sequence[x509.Certificate], at: datetime) -> None:
    if not chain:
        raise SigningError("signer_chain is empty: the signing certificate comes first")
    cert = chain[0]
    public = getattr(key, "public_key", None)
    if public is None:
        raise SigningError("signer_key is not a private key")
    try:
        mine = public().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    except Exception as exc:
        raise SigningError(f"signer_key cannot be used: {exc}") from exc
    if mine != cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo):
        raise SigningError("signer_key does not match the signing certificate's public key")
    if not cert.not_valid_before_utc <= at <= cert.not_valid_after_utc:
        raise SigningError(
            f"the signing certificate is not valid at the signing time {at:%Y-%m-%dT%H:%M:%SZ} "
            f"(valid {cert.not_valid_before_utc:%Y-%m-%d} to {cert.not_valid_after_utc:%Y-%m-%d})"
        )


def _ubl_placeholder(root: etree._Element) -> str:
    """Put a placeholder signature in the first UBL ExtensionContent; return the signature Id."""
    ext = f"{{{X.UBL_EXT}}}"
    exts = root.find(f"{ext}UBLExtensions")
    if exts is None:
        exts = etree.Element(f"{ext}UBLExtensions", nsmap={"ext": X.UBL_EXT})
        root.insert(0, exts)
    first = exts.find(f"{ext}UBLExtension")
    if first is None:
        first = etree.SubElement(exts, f"{ext}UBLExtension")
    content = first.find(f"{ext}ExtensionContent")
    if content is None:
        content = etree.SubElement(first, f"{ext}ExtensionContent")
    if content.find(f"{{{X.DS}}}Signature") is not None:
        raise SigningError(
            "the UBL document is already signed (ExtensionContent holds a signature)"
        )
    placeholder = etree.SubElement(content, f"{{{X.DS}}}Signature", nsmap={"ds": X.DS})
    placeholder.set("Id", "placeholder")
    uri = root.findtext(
        f"{{{X.UBL_CAC}}}Signature/{{{X.UBL_CAC}}}DigitalSignatureAttachment/"
        f"{{{X.UBL_CAC}}}ExternalReference/{{{X.UBL_CBC}}}URI"
    )
    if uri and uri.strip().startswith("#") and len(uri.strip()) > 1:
        return uri.strip()[1:]
    doc_id = (root.findtext(f"{{{X.UBL_CBC}}}ID") or "").strip()
    return f"Signature_{doc_id}" if doc_id else f"Signature_{uuid.uuid4().hex}"


def sign_xml(
    document: bytes,
    signer_key: object,
    signer_chain: Sequence[x509.Certificate],
    *,
    level: SignatureLevel | str = SignatureLevel.B_B,
    placement: Placement | str = Placement.ENVELOPED,
    timestamper: Timestamper | None = None,
    revocation: RevocationSource | None = None,
    signing_time: datetime | None = None,
    claimed_roles: Sequence[str] = (),
    policy: SignaturePolicy | None = None,
    mime_type: str = "text/xml",
    description: str = "XML document",
    detached_uri: str | None = None,
    signature_id: str | None = None,
    reference_ids: Sequence[str] = (),
) -> bytes:
    """Sign ``document`` (XML bytes) with XAdES at ``level``; return the signed XML bytes.

    :param signer_key: the private key: a cryptography RSA or EC key object, or an
        :class:`esig.signing.Signer` (a key file, or a PKCS#11 token from
        :meth:`~esig.signing.Signer.from_pkcs11`: the key stays on the token), or any
        :class:`RawSigner`. A token key is used once, for the canonicalised ``ds:SignedInfo``;
        its signature is checked against ``signer_chain[0]`` before it is written.
    :param signer_chain: the signing certificate first, then its issuers (all are embedded in
        KeyInfo; only the first is bound by SigningCertificateV2).
    :param level: ``B-B``, ``B-T`` (needs ``timestamper``), ``B-LT`` (also ``revocation``) or
        ``B-LTA``. See :func:`esig.xades.extend_xml` for what each level adds.
    :param placement: see :class:`Placement`. ``detached`` needs ``detached_uri``, the URI the
        signature uses to name the signed document; the result is then the signature document.
    :param signing_time: the claimed signing time (default: now, UTC); the signing certificate
        must be valid then.
    :param claimed_roles: SignerRoleV2/ClaimedRoles (e.g. ``("Tedarikçi",)`` for e-Fatura).
    :param policy: an explicit signature policy (XAdES-EPES style SignaturePolicyIdentifier).
    :param reference_ids: enveloped only: sign just the elements with these Id values
        (``#id`` references) instead of the whole document.
    :raises DocumentError: ``document`` is not acceptable XML (DTD, entities, malformed).
    :raises SigningError: the key, certificate, level or options cannot produce a signature
        (including a token key that does not belong to the signing certificate).
    :raises TokenError: the PKCS#11 token failed to sign.
    """
    target = level_of(level)
    try:
        where = Placement(placement)
    except ValueError:
        raise SigningError(f"unknown placement {placement!r}") from None
    at = (signing_time or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    if signing_time is not None and signing_time.tzinfo is None:
        raise SigningError("signing_time must be timezone-aware")
    key = _signing_key(signer_key, signer_chain)
    _check_signer(key, signer_chain, at)
    if target is not SignatureLevel.B_B and timestamper is None:
        raise SigningError(f"level {target.value} needs a timestamper")
    if target in (SignatureLevel.B_LT, SignatureLevel.B_LTA) and revocation is None:
        raise SigningError(f"level {target.value} needs revocation data (revocation=...)")
    tree = X.parse(document, what="document to sign")
    root = tree.getroot()
    sig_id = signature_id or f"Signature-{uuid.uuid4().hex}"
    if where is Placement.UBL_EXTENSION:
        sig_id = signature_id or _ubl_placeholder(root)
    elif where is Placement.ENVELOPED and root.tag == f"{{{X.DS}}}Signature":
        raise SigningError("the document is a ds:Signature: use extend_xml or enveloping")
    elif (
        where is Placement.ENVELOPED
        and not reference_ids
        and root.find(f"{{{X.DS}}}Signature") is not None
    ):
        # A second URI="" enveloped signature would cover the first one, and the first one's
        # whole-document digest would then break: refuse instead of silently invalidating it.
        raise SigningError(
            "the document already carries an enveloped signature; a second whole-document "
            "enveloped signature would invalidate it (sign detached instead)"
        )
    if where is Placement.DETACHED and not detached_uri:
        raise SigningError("a detached signature needs detached_uri (how it names the document)")
    signer = _make_signer(
        key=key,
        placement=where,
        signing_time=at,
        signature_id=sig_id,
        claimed_roles=tuple(claimed_roles),
        policy=policy,
        mime_type=mime_type,
        description=description,
    )
    kwargs: dict[str, Any] = {}
    if reference_ids:
        if where is not Placement.ENVELOPED:
            raise SigningError("reference_ids is only for enveloped signatures")
        kwargs["reference_uri"] = [f"#{i}" for i in reference_ids]
    if where is Placement.DETACHED:
        from signxml.signer import SignatureReference

        kwargs["reference_uri"] = [SignatureReference(URI=str(detached_uri))]
        kwargs["exclude_c14n_transform_element"] = False
    data: Any = root
    try:
        signed = signer.sign(data, key=key, cert=list(signer_chain), **kwargs)
    except EsigError:  # a refusal or token failure from _RawKey.sign, already one line
        raise
    except Exception as exc:  # signxml raises its own and lxml's exceptions
        raise SigningError(f"signing failed: {type(exc).__name__}: {exc}") from exc
    out_tree = signed.getroottree()
    if target is not SignatureLevel.B_B:
        from esig.xades._extend import extend_signature

        signature = _find_signature(out_tree.getroot(), sig_id)
        extend_signature(
            out_tree,
            signature,
            target,
            timestamper=timestamper,
            revocation=revocation,
            certificates=tuple(signer_chain),
            external={str(detached_uri): bytes(document)} if detached_uri else None,
        )
    return serialize(out_tree)


def _find_signature(root: etree._Element, sig_id: str) -> etree._Element:
    for sig in root.iter(f"{{{X.DS}}}Signature"):
        if sig.get("Id") == sig_id:
            return sig
    raise DocumentError(f"no ds:Signature with Id {sig_id!r}")


def serialize(tree: etree._ElementTree) -> bytes:
    return bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
