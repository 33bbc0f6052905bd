"""National trust sources: CA bundles, and short TOML descriptions of TS 119 612 lists.

Turkey and Azerbaijan publish no TS 119 612 list (STANDARDS.md §2, §3): what exists is a root
and policy CA hierarchy and the certificates of the accredited providers. Two ways in:

* :class:`NationalCaBundle`: CA certificates, each with a declared service type and status
  (e.g. the Azerbaijani Root/Policy CA hierarchy), used directly by
  :class:`~esig.trust.store.TrustStore`. Nothing signs it: the operator who configures it
  vouches for it.
* :func:`load_description`: a TOML description plus certificates -> a
  :class:`~esig.trust.builder.TrustedListSpec`, which :func:`~esig.trust.builder.build_trusted_list`
  turns into a list and :func:`~esig.trust.builder.sign_trusted_list` signs (``esig tl build``,
  ``esig tl sign``). Pointers may carry an MRA block (``[pointer.mra]``), which makes the list a
  recognition list in the EU MRA shape (see ``docs/trust-store.md`` for the format).

Short names are accepted where an ETSI URI is expected: ``granted``, ``withdrawn`` (statuses),
``CA/QC``, ``TSA/QTST``, ``NationalRootCA-QC`` (service types), ``QCForESig``, ``QCWithQSCD``
(qualifiers), ``ForeSignatures`` (ASI), ``EUgeneric``, ``EUlistofthelists`` (TSL types). Any value
containing ``://`` is taken as written (a national URI).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from esig.errors import ConfigurationError
from esig.trust.builder import (
    PointerSpec,
    ProviderSpec,
    QualificationSpec,
    ServiceHistorySpec,
    ServiceSpec,
    TrustedListSpec,
    build_trusted_list,
)
from esig.trust.model import TrustedList
from esig.trust.parse import parse_trusted_list
from esig.trust.recognition import (
    ContentEquivalenceSpec,
    EquivalenceSpec,
    MraSpec,
    build_mra_element,
)
from esig.trust.uris import ServiceStatus, ServiceType

__all__ = [
    "NationalCa",
    "NationalCaBundle",
    "description_from_mapping",
    "expand_uri",
    "load_description",
]

_SVC = "http://uri.etsi.org/TrstSvc/"


def expand_uri(value: str, kind: str) -> str:
    """``value`` as a full URI: short ETSI names are expanded per ``kind``.

    ``kind``: ``status``, ``type``, ``qualifier``, ``asi`` or ``tsltype``.
    """
    if "://" in value:
        return value
    prefix = {
        "status": _SVC + "TrustedList/Svcstatus/",
        "type": _SVC + "Svctype/",
        "qualifier": _SVC + "TrustedList/SvcInfoExt/",
        "asi": _SVC + "TrustedList/SvcInfoExt/",
        "tsltype": _SVC + "TrustedList/TSLType/",
    }.get(kind)
    if prefix is None:
        raise ValueError(f"unknown URI kind {kind!r}")
    if kind == "type" and value == "TLIssuer":
        return ServiceType.TL_ISSUER.value
    return prefix + value


@dataclass(frozen=True)
class NationalCa:
    """One CA certificate with the service type and status its operator declares."""

    certificate: bytes
    """DER."""
    status_start: datetime
    type_uri: str = ServiceType.CA_QC.value
    status: str = ServiceStatus.GRANTED.value
    name: str | None = None
    """Service name; default: the certificate's commonName."""
    qualifications: tuple[QualificationSpec, ...] = ()
    additional_information: tuple[str, ...] = ()


@dataclass(frozen=True)
class NationalCaBundle:
    """A national hierarchy given as CA certificates (see the module docstring)."""

    territory: str
    operator: str
    cas: tuple[NationalCa, ...]
    accept_home_legislation: bool = True
    """Certificates whose QcCClegislation is ``territory`` count as qualified (national law)."""

    def to_spec(
        self,
        *,
        sequence_number: int = 1,
        issued: datetime | None = None,
        next_update: datetime | None = None,
    ) -> TrustedListSpec:
        """The bundle as a TS 119 612 list description (one provider per CA)."""
        from cryptography import x509
        from cryptography.x509.oid import NameOID

        providers = []
        for ca in self.cas:
            try:
                cert = x509.load_der_x509_certificate(ca.certificate)
            except ValueError as exc:
                raise ConfigurationError(f"national CA bundle {self.territory}: {exc}") from exc
            cns = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
            name = ca.name or (str(cns[0].value) if cns else cert.subject.rfc4514_string())
            orgs = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
            providers.append(
                ProviderSpec(
                    name=str(orgs[0].value) if orgs else name,
                    country=self.territory,
                    services=(
                        ServiceSpec(
                            type_uri=ca.type_uri,
                            name=name,
                            certificates=(ca.certificate,),
                            status=ca.status,
                            status_start=ca.status_start,
                            qualifications=ca.qualifications,
                            additional_information=ca.additional_information,
                        ),
                    ),
                )
            )
        when = issued or min((ca.status_start for ca in self.cas), default=datetime.now(UTC))
        return TrustedListSpec(
            territory=self.territory,
            operator_name=self.operator,
            scheme_name=f"{self.territory}: national CA bundle (configured locally)",
            sequence_number=sequence_number,
            tsl_type=f"{_SVC}TrustedList/TSLType/EUgeneric",
            issued=when,
            next_update=next_update,
            providers=tuple(providers),
        )

    def trusted_list(self) -> TrustedList:
        """The bundle in the parsed list model the store reads."""
        return parse_trusted_list(build_trusted_list(self.to_spec()))


# --------------------------------------------------------------------------- TOML descriptions


class _Reader:
    """Strict access to a TOML table: unknown keys are errors."""

    def __init__(self, data: Mapping[str, Any], where: str, allowed: set[str]) -> None:
        if not isinstance(data, Mapping):
            raise ConfigurationError(f"{where}: expected a table")
        unknown = set(data) - allowed
        if unknown:
            raise ConfigurationError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        self.data = data
        self.where = where

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def req(self, key: str) -> Any:
        if key not in self.data:
            raise ConfigurationError(f"{self.where}: missing {key!r}")
        return self.data[key]

    def time(self, key: str, *, required: bool = True) -> datetime | None:
        value = self.req(key) if required else self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ConfigurationError(
                f"{self.where}.{key}: expected a date-time with a zone (e.g. 2026-01-01T00:00:00Z)"
            )
        return value.astimezone(UTC)

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigurationError(f"{self.where}.{key}: expected a list of strings")
        return tuple(value)

    def tables(self, key: str) -> list[Mapping[str, Any]]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise ConfigurationError(f"{self.where}.{key}: expected an array of tables")
        return value


def _certs(
    names: tuple[str, ...], certificates: Mapping[str, bytes], where: str
) -> tuple[bytes, ...]:
    out = []
    for name in names:
        if name not in certificates:
            raise ConfigurationError(
                f"{where}: certificate {name!r} was not given "
                f"(given: {', '.join(sorted(certificates)) or 'none'})"
            )
        out.append(certificates[name])
    return tuple(out)


def _qualification(data: Mapping[str, Any], where: str) -> QualificationSpec:
    r = _Reader(data, where, {"qualifiers", "policy_oids", "key_usage", "assert"})
    return QualificationSpec(
        qualifiers=tuple(expand_uri(q, "qualifier") for q in r.strings("qualifiers")),
        policy_oids=r.strings("policy_oids"),
        key_usage=r.strings("key_usage"),
        assert_=str(r.get("assert", "atLeastOne")),
    )


def _service(data: Mapping[str, Any], where: str, certificates: Mapping[str, bytes]) -> ServiceSpec:
    r = _Reader(
        data,
        where,
        {
            "name",
            "type",
            "certificates",
            "status",
            "status_start",
            "additional_information",
            "qualification",
            "history",
            "expired_certs_revocation_info",
        },
    )
    history = []
    for i, h in enumerate(r.tables("history")):
        hr = _Reader(
            h,
            f"{where}.history[{i}]",
            {"status", "start", "qualification", "additional_information"},
        )
        start = hr.time("start")
        assert start is not None
        history.append(
            ServiceHistorySpec(
                status=expand_uri(str(hr.req("status")), "status"),
                start=start,
                qualifications=tuple(
                    _qualification(q, f"{where}.history[{i}].qualification")
                    for q in hr.tables("qualification")
                ),
                additional_information=tuple(
                    expand_uri(a, "asi") for a in hr.strings("additional_information")
                ),
            )
        )
    start = r.time("status_start")
    assert start is not None
    return ServiceSpec(
        type_uri=expand_uri(str(r.req("type")), "type"),
        name=str(r.req("name")),
        certificates=_certs(r.strings("certificates"), certificates, where),
        status=expand_uri(str(r.req("status")), "status"),
        status_start=start,
        qualifications=tuple(
            _qualification(q, f"{where}.qualification[{i}]")
            for i, q in enumerate(r.tables("qualification"))
        ),
        additional_information=tuple(
            expand_uri(a, "asi") for a in r.strings("additional_information")
        ),
        history=tuple(sorted(history, key=lambda h: h.start, reverse=True)),
        expired_certs_revocation_info=r.time("expired_certs_revocation_info", required=False),
    )


def _pairs(value: Any, where: str, kind: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in value
    ):
        raise ConfigurationError(f"{where}: expected a list of [pointing, pointed] pairs")
    return tuple((expand_uri(a, kind), expand_uri(b, kind)) for a, b in value)


def _mra(data: Mapping[str, Any], where: str) -> MraSpec:
    r = _Reader(data, where, {"pointing_legislation", "pointed_legislation", "equivalence"})
    eqs = []
    for i, e in enumerate(r.tables("equivalence")):
        w = f"{where}.equivalence[{i}]"
        er = _Reader(
            e,
            w,
            {
                "legal_identifier",
                "status",
                "start",
                "pointing_type",
                "pointing_asi",
                "pointed_type",
                "status_valid",
                "status_invalid",
                "qualifiers",
                "content",
                "history",
            },
        )
        content = []
        for j, c in enumerate(er.tables("content")):
            cr = _Reader(c, f"{w}.content[{j}]", {"context", "pointed", "add", "remove"})
            content.append(
                ContentEquivalenceSpec(
                    context=str(cr.req("context")),
                    pointed=cr.strings("pointed"),
                    add=cr.strings("add"),
                    remove=cr.strings("remove"),
                )
            )
        history = []
        for j, h in enumerate(er.tables("history")):
            hr = _Reader(h, f"{w}.history[{j}]", {"status", "start"})
            hstart = hr.time("start")
            assert hstart is not None
            history.append((str(hr.req("status")), hstart))
        start = er.time("start")
        assert start is not None
        eqs.append(
            EquivalenceSpec(
                legal_identifier=str(er.req("legal_identifier")),
                status=str(er.req("status")),
                start=start,
                pointing_type=expand_uri(str(er.req("pointing_type")), "type"),
                pointed_type=expand_uri(str(er.req("pointed_type")), "type"),
                pointing_asi=tuple(expand_uri(a, "asi") for a in er.strings("pointing_asi")),
                status_valid=_pairs(er.get("status_valid", []), f"{w}.status_valid", "status"),
                status_invalid=_pairs(
                    er.get("status_invalid", []), f"{w}.status_invalid", "status"
                ),
                qualifiers=_pairs(er.get("qualifiers", []), f"{w}.qualifiers", "qualifier"),
                content=tuple(content),
                history=tuple(history),
            )
        )
    return MraSpec(
        pointing_legislation=str(r.req("pointing_legislation")),
        pointed_legislation=str(r.req("pointed_legislation")),
        equivalences=tuple(eqs),
    )


def description_from_mapping(
    data: Mapping[str, Any], certificates: Mapping[str, bytes]
) -> TrustedListSpec:
    """A list description (the parsed TOML) -> :class:`TrustedListSpec`.

    ``certificates`` maps the names the description uses to DER certificates. Raises
    :class:`~esig.errors.ConfigurationError` for an unknown key, a missing value or a
    certificate name that was not given.
    """
    top = _Reader(data, "description", {"list", "provider", "pointer"})
    r = _Reader(
        top.req("list"),
        "list",
        {
            "territory",
            "operator",
            "scheme_name",
            "sequence_number",
            "type",
            "issued",
            "next_update",
            "version",
            "distribution_points",
            "scheme_rules",
            "language",
            "id",
        },
    )
    providers = []
    for i, p in enumerate(top.tables("provider")):
        pr = _Reader(p, f"provider[{i}]", {"name", "trade_names", "country", "service"})
        providers.append(
            ProviderSpec(
                name=str(pr.req("name")),
                trade_names=pr.strings("trade_names"),
                country=str(pr.get("country", "")),
                services=tuple(
                    _service(s, f"provider[{i}].service[{j}]", certificates)
                    for j, s in enumerate(pr.tables("service"))
                ),
            )
        )
    pointers = []
    for i, p in enumerate(top.tables("pointer")):
        w = f"pointer[{i}]"
        pr = _Reader(
            p, w, {"location", "certificates", "type", "territory", "operator", "mime_type", "mra"}
        )
        extra: tuple[bytes, ...] = ()
        if pr.get("mra") is not None:
            extra = (build_mra_element(_mra(pr.get("mra"), f"{w}.mra")),)
        pointers.append(
            PointerSpec(
                location=str(pr.req("location")),
                certificates=_certs(pr.strings("certificates"), certificates, w),
                tsl_type=expand_uri(str(pr.req("type")), "tsltype"),
                territory=str(pr.req("territory")),
                operator_name=str(pr.req("operator")),
                mime_type=str(pr.get("mime_type", "application/vnd.etsi.tsl+xml")),
                other_information=extra,
            )
        )
    issued = r.time("issued")
    assert issued is not None
    sequence = r.req("sequence_number")
    version = r.get("version", 5)
    if not isinstance(sequence, int) or not isinstance(version, int):
        raise ConfigurationError("list.sequence_number and list.version must be integers")
    return TrustedListSpec(
        territory=str(r.req("territory")),
        operator_name=str(r.req("operator")),
        scheme_name=str(r.req("scheme_name")),
        sequence_number=sequence,
        tsl_type=expand_uri(str(r.get("type", "EUgeneric")), "tsltype"),
        issued=issued,
        next_update=r.time("next_update", required=False),
        providers=tuple(providers),
        pointers=tuple(pointers),
        distribution_points=r.strings("distribution_points"),
        version=version,
        scheme_rules=r.strings("scheme_rules"),
        language=str(r.get("language", "en")),
        list_id=str(r.get("id", "TrustServiceStatusList")),
    )


def load_description(
    source: str | Path | bytes, certificates: Mapping[str, bytes]
) -> TrustedListSpec:
    """Read a TOML list description (a path, or the TOML text as bytes) into a spec."""
    try:
        text = (
            source.decode("utf-8")
            if isinstance(source, bytes)
            else Path(source).read_text(encoding="utf-8")
        )
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"unreadable list description: {exc}") from exc
    return description_from_mapping(data, certificates)
