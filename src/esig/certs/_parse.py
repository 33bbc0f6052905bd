"""Building a :class:`CertificateInfo` from one certificate's bytes.

asn1crypto is the primary (lenient) parser; names and strings are decoded by esig from the raw
octets. Every extension is parsed separately, so one damaged extension costs a warning, not the
certificate. cryptography is tried only to report whether it would refuse the certificate.
"""

from __future__ import annotations

import hashlib
import warnings as _pywarnings
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from asn1crypto import core, x509

from esig.certs._der import Tlv, children, der_problems, read_tlv
from esig.certs._identity import SEMANTICS_RE, extract_identities
from esig.certs._model import (
    CertificateInfo,
    ExtendedKeyUsage,
    PolicyInfo,
    PublicKeyInfo,
    QcStatements,
)
from esig.certs._names import decode_oid, parse_name, raw_name_values
from esig.certs._profile import profile_findings
from esig.certs._qc import parse_qc_statements
from esig.certs._strings import decode_string
from esig.certs.policies import EKU_NAMES, is_turkish_oid, policy_name, policy_scheme
from esig.errors import CertificateError
from esig.report import Finding

__all__ = ["parse_certificate"]

T = TypeVar("T")

_KU_BITS = (
    "digitalSignature",
    "nonRepudiation",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
    "encipherOnly",
    "decipherOnly",
)
_KEY_ALGOS = {
    "rsa": "RSA",
    "rsassa_pss": "RSASSA-PSS",
    "ec": "EC",
    "dsa": "DSA",
    "ed25519": "Ed25519",
    "ed448": "Ed448",
    "x25519": "X25519",
    "x448": "X448",
}
_EXT_NAMES = {
    "2.5.29.14": "subjectKeyIdentifier",
    "2.5.29.15": "keyUsage",
    "2.5.29.17": "subjectAltName",
    "2.5.29.19": "basicConstraints",
    "2.5.29.31": "cRLDistributionPoints",
    "2.5.29.32": "certificatePolicies",
    "2.5.29.35": "authorityKeyIdentifier",
    "2.5.29.37": "extKeyUsage",
    "1.3.6.1.5.5.7.1.1": "authorityInfoAccess",
    "1.3.6.1.5.5.7.1.3": "qcStatements",
}
#: Extensions esig or common path validation understands (others, if critical, get a warning).
_KNOWN_CRITICAL = set(_EXT_NAMES) | {
    "2.5.29.30",  # name constraints
    "2.5.29.36",  # policy constraints
    "2.5.29.33",  # policy mappings
    "2.5.29.54",  # inhibit anyPolicy
    "2.5.29.18",  # issuer alt name
    "2.5.29.9",  # subject directory attributes
    "1.3.6.1.5.5.7.48.1.5",  # OCSP no check
}


def _utc(value: Any) -> datetime:
    if not isinstance(value, datetime):
        raise ValueError(f"not a time: {value!r}")
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _guard(label: str, findings: list[Finding], fn: Callable[[], T], default: T) -> T:
    """Run ``fn``; on any exception record ``ext.unparsable`` and return ``default``."""
    try:
        return fn()
    except Exception as exc:  # asn1crypto raises KeyError/TypeError/... on damaged input
        findings.append(Finding("ext.unparsable", f"{label} could not be read: {exc!s:.200}"))
        return default


def _key_usage(raw: bytes) -> tuple[str, ...]:
    ku = x509.KeyUsage.load(raw)
    _ = ku.native  # forces parsing inside the guarded region
    value = bytes(ku.contents)
    if not value:
        return ()
    body = value[1:]  # skip the unused-bits octet (often wrong in real certificates)
    out = []
    for i, name in enumerate(_KU_BITS):
        byte, bit = divmod(i, 8)
        if byte < len(body) and body[byte] & (0x80 >> bit):
            out.append(name)
    return tuple(out)


def _uris(general_names: Any) -> list[str]:
    out = []
    for gn in general_names:
        if gn.name == "uniform_resource_identifier":
            out.append(str(gn.native))
    return out


def _policies(raw: bytes, turkish: bool, findings: list[Finding]) -> tuple[PolicyInfo, ...]:
    out = []
    for pi in x509.CertificatePolicies.load(raw):
        oid = str(pi["policy_identifier"].dotted)
        cps: list[str] = []
        notices: list[str] = []
        quals = pi["policy_qualifiers"]
        for q in quals if quals.native is not None else ():
            qid = str(q["policy_qualifier_id"].dotted)
            qual = q["qualifier"]
            if qid == "1.3.6.1.5.5.7.2.1":
                cps.append(_display(qual.dump(), turkish, findings, "CPS URI"))
            elif qid == "1.3.6.1.5.5.7.2.2":
                notices.extend(_user_notice(qual.dump(), turkish, findings))
        out.append(
            PolicyInfo(
                oid=oid,
                name=policy_name(oid),
                scheme=policy_scheme(oid),
                cps_uris=tuple(cps),
                user_notices=tuple(notices),
            )
        )
    return tuple(out)


def _display(der: bytes, turkish: bool, findings: list[Finding], where: str) -> str:
    t = read_tlv(der)
    if t.tag_class != 0 or t.constructed:
        raise ValueError(f"{where} is not a string")
    text, finding = decode_string(t.tag, der[t.content_start : t.end], turkish=turkish, where=where)
    if finding is not None:
        findings.append(finding)
    return text


def _user_notice(der: bytes, turkish: bool, findings: list[Finding]) -> list[str]:
    from esig.certs._der import children

    top = read_tlv(der)
    out = []
    for part in children(der, top):
        if part.tag == 16 and part.constructed:  # noticeRef: organization, noticeNumbers
            bits = children(der, part)
            org = _display(der[bits[0].start : bits[0].end], turkish, findings, "noticeRef")
            nums = []
            if len(bits) > 1:
                for n in children(der, bits[1]):
                    nums.append(str(int.from_bytes(der[n.content_start : n.end], "big")))
            out.append(f"{org} #{','.join(nums)}")
        else:
            out.append(_display(der[part.start : part.end], turkish, findings, "user notice"))
    return out


def _public_key(tbs: Any, findings: list[Finding]) -> PublicKeyInfo:
    spki = tbs["subject_public_key_info"]
    alg = spki["algorithm"]
    oid = str(alg["algorithm"].dotted)
    native_name = alg["algorithm"].native
    name = _KEY_ALGOS.get(str(native_name), oid)
    size: int | None = None
    curve: str | None = None
    try:
        if name == "EC":
            params = alg["parameters"]
            curve = str(params.chosen.native) if params.name == "named" else str(params.name)
        size = int(spki.bit_size)
    except Exception as exc:
        findings.append(Finding("key.unparsable", f"public key could not be read: {exc!s:.200}"))
    return PublicKeyInfo(algorithm=name, size=size, curve=curve, oid=oid)


def _cryptography_check(der: bytes, findings: list[Finding]) -> None:
    from cryptography import x509 as cx509

    try:
        with _pywarnings.catch_warnings():
            _pywarnings.simplefilter("ignore")
            cert = cx509.load_der_x509_certificate(der)
            _ = cert.subject, cert.issuer
    except Exception as exc:
        findings.append(
            Finding(
                "cryptography.refused",
                f"cryptography cannot read this certificate ({exc!s:.200}); read with asn1crypto",
            )
        )


def parse_certificate(der: bytes) -> CertificateInfo:
    """Read one certificate from its exact bytes. Raises :class:`CertificateError` only."""
    try:
        return _parse(der)
    except CertificateError:
        raise
    except Exception as exc:
        raise CertificateError(
            f"not a readable X.509 certificate ({type(exc).__name__}: {exc!s:.200})"
        ) from exc


def _parse(der: bytes) -> CertificateInfo:
    findings: list[Finding] = []
    top = read_tlv(der)
    if top.end != len(der):
        raise CertificateError("certificate bytes carry trailing data")
    for p in der_problems(der, top):
        findings.append(Finding("der.not-strict", f"not DER: {p}"))
    cert = x509.Certificate.load(der)
    tbs = cert["tbs_certificate"]
    raw_version = tbs["version"].native
    version = int(raw_version[1:]) if isinstance(raw_version, str) else int(raw_version or 0) + 1
    serial = int(tbs["serial_number"].native)
    if serial < 0:
        findings.append(Finding("serial.negative", f"negative serial number {serial}"))
    elif serial == 0:
        findings.append(Finding("serial.zero", "serial number is zero"))
    if len(tbs["serial_number"].contents) > 20:
        findings.append(Finding("serial.too-long", "serial number longer than 20 octets"))
    sig_oid = str(cert["signature_algorithm"]["algorithm"].dotted)
    sig_name = str(cert["signature_algorithm"]["algorithm"].native)
    if tbs["signature"]["algorithm"].dotted != sig_oid:
        findings.append(
            Finding("cert.signature-algorithm-mismatch", "tbsCertificate.signature differs")
        )
    _ = cert["signature_value"].native
    validity = tbs["validity"]
    not_before = _utc(validity["not_before"].native)
    not_after = _utc(validity["not_after"].native)
    subject_der = tbs["subject"].dump()
    issuer_der = tbs["issuer"].dump()

    # extensions: collect raw values; the first occurrence wins
    exts: dict[str, bytes] = {}
    critical: dict[str, bool] = {}
    ext_oids: list[str] = []
    for oid, crit, value in _raw_extensions(der, top):
        ext_oids.append(oid)
        if oid not in exts:
            exts[oid] = value
            critical[oid] = crit
    for oid, count in Counter(ext_oids).items():
        if count > 1:
            name = _EXT_NAMES.get(oid, oid)
            findings.append(
                Finding("ext.duplicate", f"extension {name} appears {count} times; first used")
            )
    for oid, crit in critical.items():
        if crit and oid not in _KNOWN_CRITICAL:
            findings.append(Finding("ext.unknown-critical", f"unknown critical extension {oid}"))

    no_strings: tuple[str, ...] = ()

    def ext(oid: str, fn: Callable[[bytes], T], default: T) -> T:
        raw = exts.get(oid)
        if raw is None:
            return default
        return _guard(f"extension {_EXT_NAMES.get(oid, oid)}", findings, lambda: fn(raw), default)

    # Turkish context for TeletexString decoding
    policy_oids_raw: list[str] = ext(
        "2.5.29.32",
        lambda r: [str(p["policy_identifier"].dotted) for p in x509.CertificatePolicies.load(r)],
        list[str](),
    )
    countries = set()
    for name_der in (subject_der, issuer_der):
        for oid, _tag, body in raw_name_values(name_der):
            if oid == "2.5.4.6":
                countries.add(body.decode("latin-1").strip().upper())
    turkish = "TR" in countries or any(is_turkish_oid(o) for o in policy_oids_raw)
    subject = parse_name(subject_der, turkish=turkish, where="subject", findings=findings)
    issuer = parse_name(issuer_der, turkish=turkish, where="issuer", findings=findings)
    if not turkish and any(
        ch in a.value for a in subject.attributes + issuer.attributes for ch in "ğĞışŞİ"
    ):
        turkish = True

    key = _public_key(tbs, findings)
    ku_present = "2.5.29.15" in exts
    key_usage = ext("2.5.29.15", _key_usage, no_strings)

    def _eku(r: bytes) -> tuple[ExtendedKeyUsage, ...]:
        return tuple(
            ExtendedKeyUsage(oid=str(o.dotted), name=EKU_NAMES.get(str(o.dotted)))
            for o in x509.ExtKeyUsageSyntax.load(r)
        )

    eku = ext("2.5.29.37", _eku, tuple[ExtendedKeyUsage, ...]())

    def _bc(r: bytes) -> tuple[bool, int | None]:
        bc = x509.BasicConstraints.load(r).native
        pl = bc.get("path_len_constraint")
        return bool(bc.get("ca")), None if pl is None else int(pl)

    no_bc: tuple[bool, int | None] = (False, None)
    is_ca, path_length = ext("2.5.29.19", _bc, no_bc)

    def _aia(r: bytes) -> tuple[tuple[str, ...], tuple[str, ...]]:
        ocsp, issuers = [], []
        for ad in x509.AuthorityInfoAccessSyntax.load(r):
            method = str(ad["access_method"].dotted)
            loc = ad["access_location"]
            if loc.name != "uniform_resource_identifier":
                continue
            if method == "1.3.6.1.5.5.7.48.1":
                ocsp.append(str(loc.native))
            elif method == "1.3.6.1.5.5.7.48.2":
                issuers.append(str(loc.native))
        return tuple(ocsp), tuple(issuers)

    ocsp_urls, ca_issuer_urls = ext("1.3.6.1.5.5.7.1.1", _aia, (no_strings, no_strings))

    def _cdp(r: bytes) -> tuple[str, ...]:
        urls: list[str] = []
        for dp in x509.CRLDistributionPoints.load(r):
            name = dp["distribution_point"]
            if name.native is not None and name.name == "full_name":
                urls.extend(_uris(name.chosen))
        return tuple(urls)

    crl_urls = ext("2.5.29.31", _cdp, no_strings)
    policies = ext("2.5.29.32", lambda r: _policies(r, turkish, findings), tuple[PolicyInfo, ...]())
    qc = ext("1.3.6.1.5.5.7.1.3", lambda r: parse_qc_statements(r, findings), QcStatements())
    ski = ext("2.5.29.14", lambda r: bytes(core.OctetString.load(r).native).hex(), None)

    def _aki(r: bytes) -> str | None:
        kid = x509.AuthorityKeyIdentifier.load(r)["key_identifier"].native
        return None if kid is None else bytes(kid).hex()

    aki = ext("2.5.29.35", _aki, None)

    azerbaijani = "AZ" in countries
    identities = extract_identities(
        subject, turkish=turkish, azerbaijani=azerbaijani, is_ca=is_ca, findings=findings
    )
    semantics_natural = any(
        (m := SEMANTICS_RE.match(v.strip())) is not None and m.group(1) in ("PNO", "IDC", "PAS")
        for v in subject.get_all("serialNumber")
    )
    findings.extend(
        profile_findings(
            subject=subject,
            key_usage=key_usage if ku_present else None,
            is_ca=is_ca,
            qc=qc,
            policies=policies,
            natural_person_semantics=semantics_natural,
        )
    )
    _cryptography_check(der, findings)

    given, surname = subject.get("givenName"), subject.get("surname")
    holder = (
        subject.get("CN")
        or (" ".join(x for x in (given, surname) if x) if (given or surname) else None)
        or subject.get("pseudonym")
        or subject.get("O")
        or subject.text
    )
    self_issued = subject_der == issuer_der or subject.text == issuer.text
    return CertificateInfo(
        der=der,
        sha256=hashlib.sha256(der).hexdigest(),
        version=version,
        serial_number=serial,
        serial_hex=_serial_hex(serial),
        subject=subject,
        issuer=issuer,
        not_before=not_before,
        not_after=not_after,
        signature_algorithm=sig_name,
        signature_algorithm_oid=sig_oid,
        key=key,
        key_usage=key_usage,
        extended_key_usage=eku,
        is_ca=is_ca,
        path_length=path_length,
        self_issued=self_issued,
        ocsp_urls=ocsp_urls,
        ca_issuer_urls=ca_issuer_urls,
        crl_urls=crl_urls,
        policies=policies,
        qc=qc,
        identities=identities,
        holder_name=holder,
        country=subject.get("C"),
        subject_key_identifier=ski,
        authority_key_identifier=aki,
        extension_oids=tuple(ext_oids),
        warnings=tuple(dict.fromkeys(findings)),
    )


def _raw_extensions(der: bytes, top: Tlv) -> list[tuple[str, bool, bytes]]:
    """(OID, critical, extnValue octets) of each extension, read from the raw encoding so that
    one malformed extension value cannot break the others."""
    tbs = children(der, top)[0]
    out: list[tuple[str, bool, bytes]] = []
    for part in children(der, tbs):
        if part.tag_class == 2 and part.tag == 3 and part.constructed:
            seq = children(der, part)
            if len(seq) != 1:
                raise ValueError("malformed extensions field")
            for extension in children(der, seq[0]):
                fields = children(der, extension)
                if not 2 <= len(fields) <= 3 or fields[0].tag != 6 or fields[-1].tag != 4:
                    raise ValueError("malformed Extension")
                oid = decode_oid(der[fields[0].content_start : fields[0].end])
                crit = len(fields) == 3 and der[fields[1].content_start : fields[1].end] != b"\x00"
                out.append((oid, crit, der[fields[-1].content_start : fields[-1].end]))
    return out


def _serial_hex(serial: int) -> str:
    h = format(abs(serial), "x")
    if len(h) % 2:
        h = "0" + h
    return ("-" + h) if serial < 0 else h
