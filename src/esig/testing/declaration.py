"""The declarative model of a TEST-ONLY PKI and its strict TOML loader.

A declaration names every entity (root, CA, signer, seal, TSA, OCSP responder) with its issuer,
subject, key type, validity, extensions and, for leaves that must be revoked, the revocation.
:func:`load_declaration` reads ``national_pki.toml`` (or another file) and rejects anything it does
not know with :class:`esig.errors.ProfileError` naming the offending key. Nothing here creates keys:
see :mod:`esig.testing.pki`. Everything this package builds is for tests only, with throwaway keys.
"""

from __future__ import annotations

import enum
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from esig.errors import ProfileError

__all__ = [
    "DEFAULT_DECLARATION",
    "EKU_NAMES",
    "KEY_USAGE_NAMES",
    "LEGACY_DECLARATION",
    "REASON_NAMES",
    "SEMANTICS_IDS",
    "SUBJECT_ATTRIBUTES",
    "EntityDeclaration",
    "KeyType",
    "LimitValue",
    "PdsLocation",
    "PkiDeclaration",
    "PolicyDeclaration",
    "QcDeclaration",
    "Revocation",
    "Role",
    "StringType",
    "SubjectAttribute",
    "load_declaration",
]

#: The declaration shipped with esig: Azerbaijani, Turkish and Estonian (EU) test hierarchies.
DEFAULT_DECLARATION = Path(__file__).with_name("national_pki.toml")
#: A legacy hierarchy valid since 2005 (weak-algorithm and not-yet-valid signers).
LEGACY_DECLARATION = Path(__file__).with_name("legacy_pki.toml")


class KeyType(enum.StrEnum):
    """Key types; RSA1024 only for tests of weak algorithms (legacy_pki.toml)."""

    RSA1024 = "rsa1024"
    RSA2048 = "rsa2048"
    RSA3072 = "rsa3072"
    EC_P256 = "ec-p256"
    EC_P384 = "ec-p384"


class Role(enum.StrEnum):
    """What an entity is for; decides defaults such as which leaves get a PKCS#12 file."""

    ROOT = "root"
    CA = "ca"
    SIGNER = "signer"
    SEAL = "seal"
    TSA = "tsa"
    OCSP = "ocsp"

    @property
    def is_ca(self) -> bool:
        return self in (Role.ROOT, Role.CA)


class StringType(enum.StrEnum):
    UTF8 = "utf8"
    PRINTABLE = "printable"


#: Subject attribute names accepted in a declaration, with their OIDs.
SUBJECT_ATTRIBUTES: Mapping[str, str] = {
    "C": "2.5.4.6",
    "ST": "2.5.4.8",
    "L": "2.5.4.7",
    "O": "2.5.4.10",
    "OU": "2.5.4.11",
    "CN": "2.5.4.3",
    "serialNumber": "2.5.4.5",
    "givenName": "2.5.4.42",
    "surname": "2.5.4.4",
    "pseudonym": "2.5.4.65",
    "title": "2.5.4.12",
    "organizationIdentifier": "2.5.4.97",
}

#: Attributes whose X.520 syntax is PrintableString; every other attribute defaults to UTF8String.
_PRINTABLE_BY_DEFAULT = frozenset({"C", "serialNumber"})

#: Key usage names (RFC 5280 spelling) accepted in a declaration.
KEY_USAGE_NAMES = (
    "digitalSignature",
    "nonRepudiation",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
)

#: Extended key usage names accepted besides dotted OIDs.
EKU_NAMES: Mapping[str, str] = {
    "serverAuth": "1.3.6.1.5.5.7.3.1",
    "clientAuth": "1.3.6.1.5.5.7.3.2",
    "codeSigning": "1.3.6.1.5.5.7.3.3",
    "emailProtection": "1.3.6.1.5.5.7.3.4",
    "timeStamping": "1.3.6.1.5.5.7.3.8",
    "OCSPSigning": "1.3.6.1.5.5.7.3.9",
}

#: CRL reason names (RFC 5280 spelling) accepted in ``revoked.reason``.
REASON_NAMES = (
    "unspecified",
    "keyCompromise",
    "cACompromise",
    "affiliationChanged",
    "superseded",
    "cessationOfOperation",
    "certificateHold",
    "privilegeWithdrawn",
    "aACompromise",
)

#: ETSI EN 319 412-1 semantics identifiers by short name (a dotted OID is accepted as well).
SEMANTICS_IDS: Mapping[str, str] = {
    "natural": "0.4.0.194121.1.1",
    "legal": "0.4.0.194121.1.2",
    "eidas-natural": "0.4.0.194121.1.3",
    "eidas-legal": "0.4.0.194121.1.4",
}

_QC_TYPES = ("esign", "eseal", "web")
_OID_RE = re.compile(r"^[0-2](\.(0|[1-9][0-9]*))+$")


@dataclass(frozen=True)
class SubjectAttribute:
    attr: str
    value: str
    string_type: StringType


@dataclass(frozen=True)
class PolicyDeclaration:
    oid: str
    cps: str | None = None
    """CPS URI template (may use ``{base_url}``)."""
    notice: str | None = None
    """User notice explicit text."""


@dataclass(frozen=True)
class PdsLocation:
    url: str
    lang: str


@dataclass(frozen=True)
class LimitValue:
    currency: str
    amount: int
    exponent: int


@dataclass(frozen=True)
class QcDeclaration:
    """The qcStatements extension (ETSI EN 319 412-5, RFC 3739, BTK)."""

    compliance: bool = False
    sscd: bool = False
    types: tuple[str, ...] = ()
    """``esign``, ``eseal`` or ``web``."""
    pds: tuple[PdsLocation, ...] = ()
    retention_years: int | None = None
    cc_legislation: tuple[str, ...] = ()
    limit: LimitValue | None = None
    semantics_id: str | None = None
    """Dotted OID carried in id-qcs-pkixQCSyntax-v2 (short names are resolved by the loader)."""
    btk_nes: bool = False
    """The Turkish BTK "nitelikli elektronik sertifika" statement 2.16.792.1.61.0.1.5070.1.1."""
    critical: bool = False


@dataclass(frozen=True)
class Revocation:
    date: datetime
    reason: str
    """One of :data:`REASON_NAMES`."""


@dataclass(frozen=True)
class EntityDeclaration:
    name: str
    role: Role
    description: str
    issuer: str
    """The issuing entity's name; equal to :attr:`name` for a self-signed root."""
    subject: tuple[SubjectAttribute, ...]
    key: KeyType
    not_before: datetime
    not_after: datetime
    serial: int | None = None
    path_length: int | None = None
    key_usage: tuple[str, ...] = ()
    key_usage_critical: bool = True
    extended_key_usage: tuple[str, ...] = ()
    """Dotted OIDs (names are resolved by the loader)."""
    extended_key_usage_critical: bool = False
    policies: tuple[PolicyDeclaration, ...] = ()
    qc: QcDeclaration | None = None
    crl_urls: tuple[str, ...] = ()
    ocsp_urls: tuple[str, ...] = ()
    ca_issuers_urls: tuple[str, ...] = ()
    ocsp_nocheck: bool = False
    ocsp_responder: str | None = None
    """For a CA: the delegated responder that signs OCSP responses about its certificates."""
    tsa_policy: str | None = None
    """For a TSA: the TSTInfo policy OID."""
    revoked: Revocation | None = None

    @property
    def is_ca(self) -> bool:
        return self.role.is_ca

    @property
    def self_signed(self) -> bool:
        return self.issuer == self.name


@dataclass(frozen=True)
class PkiDeclaration:
    description: str
    entities: tuple[EntityDeclaration, ...]
    """Ordered so that every issuer comes before the certificates it issues."""
    source: str

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.entities)

    def entity(self, name: str) -> EntityDeclaration:
        for e in self.entities:
            if e.name == name:
                return e
        raise KeyError(name)

    def chain_names(self, name: str) -> tuple[str, ...]:
        """Names from ``name`` up to its root."""
        out = [name]
        entity = self.entity(name)
        while not entity.self_signed:
            entity = self.entity(entity.issuer)
            out.append(entity.name)
        return tuple(out)

    def root_of(self, name: str) -> str:
        return self.chain_names(name)[-1]

    def issued_by(self, ca_name: str) -> tuple[EntityDeclaration, ...]:
        return tuple(e for e in self.entities if e.issuer == ca_name and e.name != ca_name)


# --------------------------------------------------------------------------------------------
# Loader


class _Table:
    """A TOML table read strictly: every key must be consumed, unknown ones are errors."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, dict):
            raise ProfileError(f"{path}: expected a table, got {type(data).__name__}")
        self._data: dict[str, Any] = dict(data)
        self.path = path

    def _where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def pop(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if key not in self._data:
            if default is ...:
                raise ProfileError(f"missing key {self._where(key)!r}")
            return default
        value = self._data.pop(key)
        # bool is an int subclass: do not let `true` pass for an integer.
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise ProfileError(f"{self._where(key)!r}: expected {_kind_name(kind)}, got a boolean")
        if not isinstance(value, kind):
            raise ProfileError(
                f"{self._where(key)!r}: expected {_kind_name(kind)}, got {type(value).__name__}"
            )
        return value

    def pop_str_list(self, key: str) -> tuple[str, ...]:
        value = self.pop(key, list, [])
        for i, item in enumerate(value):
            if not isinstance(item, str):
                raise ProfileError(f"{self._where(key)}[{i}]: expected a string")
        return tuple(value)

    def sub(self, key: str) -> _Table | None:
        if key not in self._data:
            return None
        return _Table(self._data.pop(key), self._where(key))

    def items(self) -> Iterator[tuple[str, Any]]:
        return iter(list(self._data.items()))

    def done(self) -> None:
        if self._data:
            key = next(iter(self._data))
            raise ProfileError(f"unknown key {self._where(key)!r}")


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "a string", int: "an integer", bool: "a boolean", list: "an array"}
    names |= {dict: "a table", datetime: "a date-time"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _utc(value: datetime, where: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ProfileError(f"{where!r}: date-times must carry an offset (write ...Z for UTC)")
    return value.astimezone(UTC)


def _oid(value: str, where: str) -> str:
    if not _OID_RE.match(value):
        raise ProfileError(f"{where!r}: {value!r} is not a dotted OID")
    return value


def _template(value: str, where: str) -> str:
    try:
        value.format(base_url="http://x")
    except (KeyError, IndexError, ValueError) as exc:
        raise ProfileError(f"{where!r}: bad URL template {value!r} (only {{base_url}})") from exc
    return value


def load_declaration(path: str | Path | None = None) -> PkiDeclaration:
    """Read and check a PKI declaration (default: the bundled ``national_pki.toml``).

    :raises ProfileError: on a syntax error, an unknown or missing key, a bad value, a dangling
        issuer or responder reference, or an issuer cycle.
    """
    source = Path(path) if path is not None else DEFAULT_DECLARATION
    try:
        raw = tomllib.loads(source.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{source}: not valid TOML: {exc}") from exc
    return parse_declaration(raw, source=str(source))


def parse_declaration(raw: Mapping[str, Any], *, source: str = "<memory>") -> PkiDeclaration:
    """Check an already-parsed TOML document (see :func:`load_declaration`)."""
    top = _Table(raw, "")
    meta = top.sub("declaration")
    description = ""
    if meta is not None:
        description = meta.pop("description", str, "")
        meta.done()

    validities: dict[str, tuple[datetime, datetime]] = {}
    vtable = top.sub("validity")
    if vtable is not None:
        for vname, _vraw in vtable.items():
            vt = vtable.sub(vname)
            assert vt is not None
            nb = _utc(vt.pop("not_before", datetime), f"{vt.path}.not_before")
            na = _utc(vt.pop("not_after", datetime), f"{vt.path}.not_after")
            vt.done()
            if na <= nb:
                raise ProfileError(f"{vt.path!r}: not_after must be later than not_before")
            validities[vname] = (nb, na)
        vtable.done()

    etable = top.sub("entities")
    if etable is None:
        raise ProfileError("missing table 'entities'")
    entities: dict[str, EntityDeclaration] = {}
    for name, _ in etable.items():
        t = etable.sub(name)
        assert t is not None
        entities[name] = _parse_entity(name, t, validities)
    etable.done()
    top.done()

    _check_references(entities)
    ordered = _topological(entities)
    return PkiDeclaration(description=description, entities=ordered, source=source)


def _parse_entity(
    name: str, t: _Table, validities: Mapping[str, tuple[datetime, datetime]]
) -> EntityDeclaration:
    p = t.path
    role_s = t.pop("role", str)
    try:
        role = Role(role_s)
    except ValueError:
        raise ProfileError(f"'{p}.role': unknown role {role_s!r}") from None
    key_s = t.pop("key", str)
    try:
        key = KeyType(key_s)
    except ValueError:
        raise ProfileError(f"'{p}.key': unknown key type {key_s!r}") from None

    issuer = t.pop("issuer", str, name)
    if (issuer == name) != (role is Role.ROOT):
        raise ProfileError(f"{p!r}: a root has no issuer, and only a root may omit it")

    subject = _parse_subject(t.pop("subject", list), f"{p}.subject")

    validity_name = t.pop("validity", str)
    if validity_name not in validities:
        raise ProfileError(f"'{p}.validity': no [validity.{validity_name}] table")
    not_before, not_after = validities[validity_name]

    serial = t.pop("serial", int, None)
    if serial is not None and not 0 < serial < 2**159:
        raise ProfileError(f"'{p}.serial': must be positive and fit in 20 octets")
    path_length = t.pop("path_length", int, None)
    if path_length is not None and (not role.is_ca or path_length < 0):
        raise ProfileError(f"'{p}.path_length': only for CAs, and not negative")

    key_usage = t.pop_str_list("key_usage")
    for ku in key_usage:
        if ku not in KEY_USAGE_NAMES:
            raise ProfileError(f"'{p}.key_usage': unknown key usage {ku!r}")
    key_usage_critical = t.pop("key_usage_critical", bool, True)
    eku = tuple(
        EKU_NAMES.get(e) or _oid(e, f"{p}.extended_key_usage")
        for e in t.pop_str_list("extended_key_usage")
    )
    eku_critical = t.pop("extended_key_usage_critical", bool, False)

    policies = []
    for i, praw in enumerate(t.pop("policies", list, [])):
        pt = _Table(praw, f"{p}.policies[{i}]")
        oid = _oid(pt.pop("oid", str), f"{pt.path}.oid")
        cps = pt.pop("cps", str, None)
        if cps is not None:
            _template(cps, f"{pt.path}.cps")
        notice = pt.pop("notice", str, None)
        pt.done()
        policies.append(PolicyDeclaration(oid=oid, cps=cps, notice=notice))

    qt = t.sub("qc")
    qc = _parse_qc(qt) if qt is not None else None

    urls: dict[str, tuple[str, ...]] = {}
    for k in ("crl_urls", "ocsp_urls", "ca_issuers_urls"):
        urls[k] = tuple(_template(u, f"{p}.{k}") for u in t.pop_str_list(k))

    ocsp_nocheck = t.pop("ocsp_nocheck", bool, False)
    ocsp_responder = t.pop("ocsp_responder", str, None)
    if ocsp_responder is not None and not role.is_ca:
        raise ProfileError(f"'{p}.ocsp_responder': only a CA names an OCSP responder")
    tsa_policy = t.pop("tsa_policy", str, None)
    if tsa_policy is not None:
        if role is not Role.TSA:
            raise ProfileError(f"'{p}.tsa_policy': only for role = 'tsa'")
        _oid(tsa_policy, f"{p}.tsa_policy")

    revoked = None
    rt = t.sub("revoked")
    if rt is not None:
        if role is Role.ROOT:
            raise ProfileError(f"'{p}.revoked': a root cannot be revoked")
        rdate = _utc(rt.pop("date", datetime), f"{rt.path}.date")
        reason = rt.pop("reason", str, "unspecified")
        if reason not in REASON_NAMES:
            raise ProfileError(f"'{rt.path}.reason': unknown reason {reason!r}")
        rt.done()
        revoked = Revocation(date=rdate, reason=reason)

    description = t.pop("description", str, "")
    t.done()
    return EntityDeclaration(
        name=name,
        role=role,
        description=description,
        issuer=issuer,
        subject=subject,
        key=key,
        not_before=not_before,
        not_after=not_after,
        serial=serial,
        path_length=path_length,
        key_usage=key_usage,
        key_usage_critical=key_usage_critical,
        extended_key_usage=eku,
        extended_key_usage_critical=eku_critical,
        policies=tuple(policies),
        qc=qc,
        crl_urls=urls["crl_urls"],
        ocsp_urls=urls["ocsp_urls"],
        ca_issuers_urls=urls["ca_issuers_urls"],
        ocsp_nocheck=ocsp_nocheck,
        ocsp_responder=ocsp_responder,
        tsa_policy=tsa_policy,
        revoked=revoked,
    )


def _parse_subject(raw: list[Any], where: str) -> tuple[SubjectAttribute, ...]:
    if not raw:
        raise ProfileError(f"{where!r}: a subject needs at least one attribute")
    out = []
    for i, item in enumerate(raw):
        w = f"{where}[{i}]"
        if (
            not isinstance(item, list)
            or len(item) not in (2, 3)
            or not all(isinstance(x, str) for x in item)
        ):
            raise ProfileError(f"{w!r}: expected [attr, value] or [attr, value, string type]")
        attr, value = item[0], item[1]
        if attr not in SUBJECT_ATTRIBUTES:
            raise ProfileError(f"{w!r}: unknown subject attribute {attr!r}")
        if len(item) == 3:
            try:
                stype = StringType(item[2])
            except ValueError:
                raise ProfileError(f"{w!r}: unknown string type {item[2]!r}") from None
        else:
            stype = StringType.PRINTABLE if attr in _PRINTABLE_BY_DEFAULT else StringType.UTF8
        if attr == "C" and (len(value) != 2 or stype is not StringType.PRINTABLE):
            raise ProfileError(f"{w!r}: C must be a two-letter PrintableString")
        if attr == "CN" and len(value.encode()) > 64:
            # X.520 ub-common-name is 64 characters; cryptography counts UTF-8 bytes and warns on
            # every parse of a longer name, so keep CNs within 64 bytes.
            raise ProfileError(f"{w!r}: a CN longer than 64 UTF-8 bytes")
        if stype is StringType.PRINTABLE and not re.fullmatch(r"[A-Za-z0-9 '()+,\-./:=?]*", value):
            raise ProfileError(f"{w!r}: {value!r} is not a PrintableString")
        out.append(SubjectAttribute(attr=attr, value=value, string_type=stype))
    return tuple(out)


def _parse_qc(t: _Table) -> QcDeclaration:
    p = t.path
    types = t.pop_str_list("type")
    for ty in types:
        if ty not in _QC_TYPES:
            raise ProfileError(f"'{p}.type': unknown QcType {ty!r}")
    pds = []
    for i, praw in enumerate(t.pop("pds", list, [])):
        pt = _Table(praw, f"{p}.pds[{i}]")
        url = pt.pop("url", str)
        lang = pt.pop("lang", str)
        pt.done()
        if len(lang) != 2:
            raise ProfileError(f"'{pt.path}.lang': a two-letter ISO 639-1 code")
        pds.append(PdsLocation(url=_template(url, f"{pt.path}.url"), lang=lang))
    limit = None
    lt = t.sub("limit")
    if lt is not None:
        limit = LimitValue(
            currency=lt.pop("currency", str),
            amount=lt.pop("amount", int),
            exponent=lt.pop("exponent", int, 0),
        )
        lt.done()
    cc = t.pop_str_list("cc_legislation")
    for c in cc:
        if not re.fullmatch(r"[A-Z]{2}", c):
            raise ProfileError(f"'{p}.cc_legislation': {c!r} is not a country code")
    semantics = t.pop("semantics", str, None)
    if semantics is not None:
        semantics = SEMANTICS_IDS.get(semantics) or _oid(semantics, f"{p}.semantics")
    qc = QcDeclaration(
        compliance=t.pop("compliance", bool, False),
        sscd=t.pop("sscd", bool, False),
        types=types,
        pds=tuple(pds),
        retention_years=t.pop("retention_years", int, None),
        cc_legislation=cc,
        limit=limit,
        semantics_id=semantics,
        btk_nes=t.pop("btk_nes", bool, False),
        critical=t.pop("critical", bool, False),
    )
    t.done()
    return qc


def _check_references(entities: Mapping[str, EntityDeclaration]) -> None:
    for e in entities.values():
        where = f"entities.{e.name}"
        if not e.self_signed:
            issuer = entities.get(e.issuer)
            if issuer is None:
                raise ProfileError(f"'{where}.issuer': no entity {e.issuer!r}")
            if not issuer.is_ca:
                raise ProfileError(f"'{where}.issuer': {e.issuer!r} is not a CA")
        if e.ocsp_responder is not None:
            responder = entities.get(e.ocsp_responder)
            if responder is None:
                raise ProfileError(f"'{where}.ocsp_responder': no entity {e.ocsp_responder!r}")
            if responder.issuer != e.name or responder.role is not Role.OCSP:
                raise ProfileError(
                    f"'{where}.ocsp_responder': {e.ocsp_responder!r} must be an OCSP responder "
                    f"issued by {e.name!r} (RFC 6960 delegated responder)"
                )


def _topological(entities: Mapping[str, EntityDeclaration]) -> tuple[EntityDeclaration, ...]:
    done: dict[str, EntityDeclaration] = {}
    for e in entities.values():
        stack: list[EntityDeclaration] = []
        cur = e
        while cur.name not in done:
            if cur in stack:
                raise ProfileError(f"'entities.{e.name}.issuer': issuer cycle")
            stack.append(cur)
            if cur.self_signed:
                break
            cur = entities[cur.issuer]
        for item in reversed(stack):
            done.setdefault(item.name, item)
    return tuple(done.values())
