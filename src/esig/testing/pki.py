"""Build a TEST-ONLY PKI from a declaration: certificates, throwaway keys, CRLs, OCSP, time-stamps.

:func:`build_pki` turns a :class:`~esig.testing.declaration.PkiDeclaration` (by default the bundled
``national_pki.toml``: Azerbaijan, Turkey, Estonia) into a :class:`TestPki`. Keys are generated at
build time and cached per entity within the process, or read from a key directory so that a
committed sample can be reproduced byte for byte (certificate and CRL signatures are deterministic).
Nothing built here may be trusted outside tests.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from cryptography.x509 import ocsp
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import ObjectIdentifier

from esig.errors import ProfileError
from esig.testing.declaration import (
    SUBJECT_ATTRIBUTES,
    EntityDeclaration,
    KeyType,
    PkiDeclaration,
    Role,
    StringType,
    load_declaration,
)
from esig.testing.qc import QC_STATEMENTS_OID, encode_qc_statements
from esig.testing.services import (
    MessageImprint,
    PrivateKey,
    RevokedSerial,
    build_crl,
    build_ocsp_response,
    build_timestamp_token,
    hash_for_key,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "KEY_FILE_SUFFIX",
    "REFERENCE_TIME",
    "TEST_PASSWORD",
    "TestPki",
    "build_pki",
]

DEFAULT_BASE_URL = "http://127.0.0.1:8931"
#: The moment the bundled PKI is designed around: every leaf is valid, the revoked ones revoked.
REFERENCE_TIME = datetime(2026, 6, 1, tzinfo=UTC)
#: The password of the PKCS#12 files :meth:`TestPki.write` produces.
TEST_PASSWORD = "esig-test"
KEY_FILE_SUFFIX = ".TEST-ONLY.key.pem"

_KEY_CACHE: dict[tuple[str, KeyType], PrivateKey] = {}

_KU_ARGS = {
    "digitalSignature": "digital_signature",
    "nonRepudiation": "content_commitment",
    "keyEncipherment": "key_encipherment",
    "dataEncipherment": "data_encipherment",
    "keyAgreement": "key_agreement",
    "keyCertSign": "key_cert_sign",
    "cRLSign": "crl_sign",
}


def _generate(key_type: KeyType) -> PrivateKey:
    if key_type is KeyType.RSA1024:
        return rsa.generate_private_key(65537, 1024)
    if key_type is KeyType.RSA2048:
        return rsa.generate_private_key(65537, 2048)
    if key_type is KeyType.RSA3072:
        return rsa.generate_private_key(65537, 3072)
    if key_type is KeyType.EC_P256:
        return ec.generate_private_key(ec.SECP256R1())
    return ec.generate_private_key(ec.SECP384R1())


def _matches(key: object, key_type: KeyType) -> bool:
    if isinstance(key, rsa.RSAPrivateKey):
        return key_type.value == f"rsa{key.key_size}"
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key_type.value == f"ec-p{key.curve.key_size}"
    return False


def _key_for(entity: EntityDeclaration, key_dir: Path | None) -> PrivateKey:
    if key_dir is not None:
        path = key_dir / f"{entity.name}{KEY_FILE_SUFFIX}"
        if path.is_file():
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if not _matches(key, entity.key):
                raise ProfileError(f"{path}: the key is not of the declared type {entity.key}")
            assert isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey)
            return key
    cached = _KEY_CACHE.get((entity.name, entity.key))
    if cached is None:
        cached = _KEY_CACHE[(entity.name, entity.key)] = _generate(entity.key)
    return cached


def _serial(entity: EntityDeclaration) -> int:
    if entity.serial is not None:
        return entity.serial
    digest = hashlib.sha256(f"esig-test-pki:{entity.name}".encode()).digest()
    return (int.from_bytes(digest[:16], "big") >> 1) or 1


def _name(entity: EntityDeclaration) -> x509.Name:
    attrs = []
    for a in entity.subject:
        stype = (
            _ASN1Type.PrintableString
            if a.string_type is StringType.PRINTABLE
            else _ASN1Type.UTF8String
        )
        oid = ObjectIdentifier(SUBJECT_ATTRIBUTES[a.attr])
        attrs.append(x509.NameAttribute(oid, a.value, _type=stype))
    return x509.Name(attrs)


def _policies(entity: EntityDeclaration, base_url: str) -> x509.CertificatePolicies:
    infos = []
    for p in entity.policies:
        qualifiers: list[str | x509.UserNotice] = []
        if p.cps is not None:
            qualifiers.append(p.cps.format(base_url=base_url))
        if p.notice is not None:
            qualifiers.append(x509.UserNotice(None, p.notice))
        infos.append(x509.PolicyInformation(ObjectIdentifier(p.oid), qualifiers or None))
    return x509.CertificatePolicies(infos)


def _certificate(
    entity: EntityDeclaration,
    key: PrivateKey,
    issuer_cert: x509.Certificate | None,
    issuer_key: PrivateKey,
    base_url: str,
) -> x509.Certificate:
    subject = _name(entity)
    public_key = key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_cert.subject if issuer_cert is not None else subject)
        .public_key(public_key)
        .serial_number(_serial(entity))
        .not_valid_before(entity.not_before)
        .not_valid_after(entity.not_after)
    )
    if entity.is_ca:
        builder = builder.add_extension(
            x509.BasicConstraints(ca=True, path_length=entity.path_length), critical=True
        )
    if entity.key_usage:
        ku = dict.fromkeys(_KU_ARGS.values(), False)
        for name in entity.key_usage:
            ku[_KU_ARGS[name]] = True
        builder = builder.add_extension(
            x509.KeyUsage(**ku, encipher_only=False, decipher_only=False),
            critical=entity.key_usage_critical,
        )
    if entity.extended_key_usage:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ObjectIdentifier(o) for o in entity.extended_key_usage]),
            critical=entity.extended_key_usage_critical,
        )
    builder = builder.add_extension(
        x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False
    )
    if issuer_cert is not None:
        ski = issuer_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False
        )
    if entity.policies:
        builder = builder.add_extension(_policies(entity, base_url), critical=False)
    if entity.crl_urls:
        points = [
            x509.DistributionPoint(
                [x509.UniformResourceIdentifier(u.format(base_url=base_url))], None, None, None
            )
            for u in entity.crl_urls
        ]
        builder = builder.add_extension(x509.CRLDistributionPoints(points), critical=False)
    access = [
        x509.AccessDescription(
            x509.oid.AuthorityInformationAccessOID.OCSP,
            x509.UniformResourceIdentifier(u.format(base_url=base_url)),
        )
        for u in entity.ocsp_urls
    ] + [
        x509.AccessDescription(
            x509.oid.AuthorityInformationAccessOID.CA_ISSUERS,
            x509.UniformResourceIdentifier(u.format(base_url=base_url)),
        )
        for u in entity.ca_issuers_urls
    ]
    if access:
        builder = builder.add_extension(x509.AuthorityInformationAccess(access), critical=False)
    if entity.ocsp_nocheck:
        builder = builder.add_extension(x509.OCSPNoCheck(), critical=False)
    if entity.qc is not None:
        der = encode_qc_statements(entity.qc, base_url=base_url)
        builder = builder.add_extension(
            x509.UnrecognizedExtension(ObjectIdentifier(QC_STATEMENTS_OID), der),
            critical=entity.qc.critical,
        )
    return builder.sign(
        issuer_key,
        hash_for_key(issuer_key),
        ecdsa_deterministic=True if isinstance(issuer_key, ec.EllipticCurvePrivateKey) else None,
    )


def build_pki(
    declaration: PkiDeclaration | None = None,
    *,
    base_url: str = DEFAULT_BASE_URL,
    key_dir: str | Path | None = None,
) -> TestPki:
    """Issue every certificate of ``declaration`` (default: the bundled national PKIs).

    :param base_url: replaces ``{base_url}`` in CRL, OCSP, caIssuers, CPS and PDS URL templates.
    :param key_dir: a directory of ``<name>.TEST-ONLY.key.pem`` files (as :meth:`TestPki.write`
        produces); entities without a file there get a generated key.
    :raises ProfileError: when a key file does not match the declared key type.
    """
    decl = declaration if declaration is not None else load_declaration()
    kdir = Path(key_dir) if key_dir is not None else None
    certs: dict[str, x509.Certificate] = {}
    keys: dict[str, PrivateKey] = {}
    for entity in decl.entities:  # issuers come first
        key = _key_for(entity, kdir)
        issuer_cert = None if entity.self_signed else certs[entity.issuer]
        issuer_key = key if entity.self_signed else keys[entity.issuer]
        certs[entity.name] = _certificate(entity, key, issuer_cert, issuer_key, base_url)
        keys[entity.name] = key
    return TestPki(decl, base_url, certs, keys)


class TestPki:
    """A built TEST-ONLY PKI: certificates, throwaway keys and the services of each CA."""

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        declaration: PkiDeclaration,
        base_url: str,
        certs: Mapping[str, x509.Certificate],
        keys: Mapping[str, PrivateKey],
    ) -> None:
        self._declaration = declaration
        self._base_url = base_url
        self._certs = dict(certs)
        self._keys = dict(keys)

    # -- entities --------------------------------------------------------------------------

    @property
    def declaration(self) -> PkiDeclaration:
        return self._declaration

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def names(self) -> tuple[str, ...]:
        """Entity names, issuers before the certificates they issue."""
        return self._declaration.names

    def entity(self, name: str) -> EntityDeclaration:
        return self._declaration.entity(self._check(name))

    def _check(self, name: str) -> str:
        if name not in self._certs:
            raise KeyError(f"no entity {name!r} in the test PKI")
        return name

    def cert(self, name: str) -> x509.Certificate:
        return self._certs[self._check(name)]

    def key(self, name: str) -> PrivateKey:
        return self._keys[self._check(name)]

    def chain(self, name: str) -> tuple[x509.Certificate, ...]:
        """The certificate of ``name`` and its issuers, up to and including the root."""
        return tuple(self._certs[n] for n in self._declaration.chain_names(self._check(name)))

    def roots(self) -> tuple[x509.Certificate, ...]:
        return tuple(self._certs[e.name] for e in self._declaration.entities if e.self_signed)

    def names_with_role(self, role: Role) -> tuple[str, ...]:
        return tuple(e.name for e in self._declaration.entities if e.role is role)

    def revocations(self, ca_name: str) -> tuple[RevokedSerial, ...]:
        """The revocations the declaration gives for certificates issued by ``ca_name``."""
        return tuple(
            RevokedSerial(self._certs[e.name].serial_number, e.revoked.date, e.revoked.reason)
            for e in self._declaration.issued_by(self._check(ca_name))
            if e.revoked is not None
        )

    # -- services --------------------------------------------------------------------------

    def crl(
        self,
        ca_name: str,
        *,
        this_update: datetime,
        next_update: datetime,
        revoked_extra: Iterable[RevokedSerial] = (),
    ) -> bytes:
        """A DER CRL of ``ca_name``: the declared revocations dated no later than ``this_update``
        plus ``revoked_extra``, signed by the CA."""
        if not self.entity(ca_name).is_ca:
            raise ValueError(f"{ca_name!r} is not a CA")
        revoked = [*self.revocations(ca_name), *revoked_extra]
        return build_crl(
            self._certs[ca_name],
            self._keys[ca_name],
            revoked,
            this_update=this_update,
            next_update=next_update,
        )

    def ocsp_responder_of(self, cert_name: str) -> str:
        """The responder for ``cert_name``: its CA's delegated responder, else the CA itself."""
        issuer = self.entity(self.entity(cert_name).issuer)
        return issuer.ocsp_responder or issuer.name

    def ocsp_response(
        self,
        cert_name: str,
        *,
        produced_at: datetime,
        this_update: datetime,
        next_update: datetime | None,
        responder: str | None = None,
        status_override: ocsp.OCSPCertStatus | None = None,
        nonce: bytes | None = None,
    ) -> bytes:
        """A DER OCSP response about ``cert_name``: REVOKED if the declaration revokes it no later
        than ``this_update``, GOOD otherwise, or ``status_override``. Signed by ``responder``
        (default :meth:`ocsp_responder_of`)."""
        entity = self.entity(cert_name)
        if entity.self_signed:
            raise ValueError(f"{cert_name!r} is a root: no OCSP for it")
        responder_name = responder or self.ocsp_responder_of(cert_name)
        revocation = None
        if entity.revoked is not None:
            revocation = RevokedSerial(
                self._certs[cert_name].serial_number, entity.revoked.date, entity.revoked.reason
            )
        if status_override is ocsp.OCSPCertStatus.GOOD:
            revocation = None
        elif status_override is ocsp.OCSPCertStatus.REVOKED and (
            revocation is None or revocation.date > this_update
        ):
            revocation = RevokedSerial(self._certs[cert_name].serial_number, this_update)
        return build_ocsp_response(
            self._certs[cert_name],
            self._certs[entity.issuer],
            self.cert(responder_name),
            self._keys[responder_name],
            revocation=revocation,
            produced_at=produced_at,
            this_update=this_update,
            next_update=next_update,
            unknown=status_override is ocsp.OCSPCertStatus.UNKNOWN,
            nonce=nonce,
        )

    def timestamp_token(
        self,
        message_imprint_or_data: MessageImprint | bytes,
        *,
        at: datetime,
        tsa: str | None = None,
        nonce: int | None = None,
    ) -> bytes:
        """A DER RFC 3161 TimeStampToken with ``genTime`` = ``at``.

        :param message_imprint_or_data: a :class:`MessageImprint`, or data to hash with SHA-256.
        :param tsa: the TSA entity (default: the first TSA in the declaration).
        """
        imprint = (
            message_imprint_or_data
            if isinstance(message_imprint_or_data, MessageImprint)
            else MessageImprint.of(message_imprint_or_data)
        )
        if tsa is None:
            tsas = self.names_with_role(Role.TSA)
            if not tsas:
                raise ValueError("the declaration has no TSA")
            tsa = tsas[0]
        entity = self.entity(tsa)
        if entity.role is not Role.TSA:
            raise ValueError(f"{tsa!r} is not a TSA")
        return build_timestamp_token(
            imprint,
            self._certs[tsa],
            self._keys[tsa],
            at=at,
            policy=entity.tsa_policy or "2.999.1",
            nonce=nonce,
        )

    # -- files -----------------------------------------------------------------------------

    def pkcs12(self, name: str, password: str) -> bytes:
        """PKCS#12 with the key, the certificate and its issuers (AES-256, PBKDF2)."""
        chain = self.chain(name)
        return pkcs12.serialize_key_and_certificates(
            name=name.encode(),
            key=self.key(name),
            cert=chain[0],
            cas=list(chain[1:]),
            encryption_algorithm=serialization.BestAvailableEncryption(password.encode()),
        )

    def write(self, directory: str | Path, *, at: datetime = REFERENCE_TIME) -> Path:
        """Write the PKI under ``directory`` and return the path of its ``index.json``.

        Layout: ``certs/<name>.pem|.der``, ``keys/<name>.TEST-ONLY.key.pem`` (PKCS#8, unencrypted),
        ``pkcs12/<name>.TEST-ONLY.p12`` for each leaf (password :data:`TEST_PASSWORD`),
        ``crl/<ca>.crl`` (DER, thisUpdate ``at`` - 1 day, nextUpdate ``at`` + 30 days).
        """
        root = Path(directory)
        for sub in ("certs", "keys", "pkcs12", "crl"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        files: list[str] = []

        def put(rel: str, data: bytes) -> str:
            (root / rel).write_bytes(data)
            files.append(rel)
            return rel

        this_update, next_update = at - timedelta(days=1), at + timedelta(days=30)
        entities = []
        for e in self._declaration.entities:
            cert, key = self._certs[e.name], self._keys[e.name]
            entry: dict[str, object] = {
                "name": e.name,
                "role": e.role.value,
                "description": e.description,
                "issuer": e.issuer,
                "subject": cert.subject.rfc4514_string(),
                "serial": format(cert.serial_number, "x"),
                "not_before": cert.not_valid_before_utc.isoformat(),
                "not_after": cert.not_valid_after_utc.isoformat(),
                "sha256": hashlib.sha256(cert.public_bytes(Encoding.DER)).hexdigest(),
                "revoked": e.revoked.date.isoformat() if e.revoked else None,
                "cert_pem": put(f"certs/{e.name}.pem", cert.public_bytes(Encoding.PEM)),
                "cert_der": put(f"certs/{e.name}.der", cert.public_bytes(Encoding.DER)),
                "key": put(
                    f"keys/{e.name}{KEY_FILE_SUFFIX}",
                    key.private_bytes(
                        Encoding.PEM,
                        serialization.PrivateFormat.PKCS8,
                        serialization.NoEncryption(),
                    ),
                ),
            }
            if not e.is_ca:
                entry["pkcs12"] = put(
                    f"pkcs12/{e.name}.TEST-ONLY.p12", self.pkcs12(e.name, TEST_PASSWORD)
                )
            if e.is_ca:
                crl = self.crl(e.name, this_update=this_update, next_update=next_update)
                entry["crl"] = put(f"crl/{e.name}.crl", crl)
            entities.append(entry)
        index = {
            "warning": "TEST-ONLY PKI with throwaway keys: never trust these certificates",
            "description": self._declaration.description,
            "base_url": self._base_url,
            "pkcs12_password": TEST_PASSWORD,
            "crl_this_update": this_update.isoformat(),
            "crl_next_update": next_update.isoformat(),
            "entities": entities,
            "files": sorted(files),
        }
        path = root / "index.json"
        path.write_text(json.dumps(index, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return path
