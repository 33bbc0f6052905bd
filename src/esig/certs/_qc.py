"""The qcStatements extension (RFC 3739, ETSI EN 319 412-5, Turkish BTK statement).

The ASN.1 classes here are esig's own and are never registered with asn1crypto: pyHanko
registers its own qc_statements parser globally, and esig must not depend on, or disturb, it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from asn1crypto import core, x509

from esig.certs._model import (
    PdsLocation,
    QcLimitValue,
    QcStatements,
    RawStatement,
    SemanticsInfo,
)
from esig.report import Finding

__all__ = ["QC_STATEMENT_NAMES", "parse_qc_statements"]

ID_QC_COMPLIANCE = "0.4.0.1862.1.1"
ID_QC_LIMIT_VALUE = "0.4.0.1862.1.2"
ID_QC_RETENTION = "0.4.0.1862.1.3"
ID_QC_SSCD = "0.4.0.1862.1.4"
ID_QC_PDS = "0.4.0.1862.1.5"
ID_QC_TYPE = "0.4.0.1862.1.6"
ID_QC_CC_LEGISLATION = "0.4.0.1862.1.7"
ID_QC_IDENT_METHOD = "0.4.0.1862.1.8"
ID_QC_QSCD_LEGISLATION = "0.4.0.1862.1.9"
ID_QCS_SYNTAX_V1 = "1.3.6.1.5.5.7.11.1"
ID_QCS_SYNTAX_V2 = "1.3.6.1.5.5.7.11.2"
ID_BTK_NES = "2.16.792.1.61.0.1.5070.1.1"

#: Statement OID -> readable name (DSS QCStatement.java / OID.java; PTTKEP QCStatementsID.cs).
QC_STATEMENT_NAMES: dict[str, str] = {
    ID_QC_COMPLIANCE: "QcCompliance",
    ID_QC_LIMIT_VALUE: "QcLimitValue",
    ID_QC_RETENTION: "QcRetentionPeriod",
    ID_QC_SSCD: "QcSSCD",
    ID_QC_PDS: "QcPDS",
    ID_QC_TYPE: "QcType",
    ID_QC_CC_LEGISLATION: "QcCClegislation",
    ID_QC_IDENT_METHOD: "QcIdentMethod",
    ID_QC_QSCD_LEGISLATION: "QcQSCDlegislation",
    ID_QCS_SYNTAX_V1: "id-qcs-pkixQCSyntax-v1",
    ID_QCS_SYNTAX_V2: "id-qcs-pkixQCSyntax-v2",
    ID_BTK_NES: "BTK nitelikli elektronik sertifika",
}

_QC_TYPES = {"0.4.0.1862.1.6.1": "esign", "0.4.0.1862.1.6.2": "eseal", "0.4.0.1862.1.6.3": "web"}
_SEMANTICS = {
    "0.4.0.194121.1.1": "natural",
    "0.4.0.194121.1.2": "legal",
    "0.4.0.194121.1.3": "eIDASNatural",
    "0.4.0.194121.1.4": "eIDASLegal",
}


class _Statement(core.Sequence):  # type: ignore[misc]
    _fields: ClassVar[list[Any]] = [
        ("statement_id", core.ObjectIdentifier),
        ("statement_info", core.Any, {"optional": True}),
    ]


class _Statements(core.SequenceOf):  # type: ignore[misc]
    _child_spec = _Statement


class _Currency(core.Choice):  # type: ignore[misc]
    _alternatives: ClassVar[list[Any]] = [
        ("alphabetic", core.PrintableString),
        ("numeric", core.Integer),
    ]


class _MonetaryValue(core.Sequence):  # type: ignore[misc]
    _fields: ClassVar[list[Any]] = [
        ("currency", _Currency),
        ("amount", core.Integer),
        ("exponent", core.Integer),
    ]


class _Pds(core.Sequence):  # type: ignore[misc]
    _fields: ClassVar[list[Any]] = [
        ("url", core.IA5String),
        ("language", core.PrintableString),
    ]


class _PdsList(core.SequenceOf):  # type: ignore[misc]
    _child_spec = _Pds


class _OidList(core.SequenceOf):  # type: ignore[misc]
    _child_spec = core.ObjectIdentifier


class _PrintableList(core.SequenceOf):  # type: ignore[misc]
    _child_spec = core.PrintableString


class _GeneralNames(core.SequenceOf):  # type: ignore[misc]
    _child_spec = x509.GeneralName


class _SemanticsInformation(core.Sequence):  # type: ignore[misc]
    _fields: ClassVar[list[Any]] = [
        ("semantics_identifier", core.ObjectIdentifier, {"optional": True}),
        ("name_registration_authorities", _GeneralNames, {"optional": True}),
    ]


def _general_name_text(gn: x509.GeneralName) -> str:
    if gn.name == "directory_name":
        return str(gn.chosen.human_friendly)
    return f"{gn.name}:{gn.native}"


class _Acc:
    """Mutable accumulator for QcStatements fields."""

    def __init__(self) -> None:
        self.compliance = False
        self.sscd = False
        self.btk_nes = False
        self.types: list[str] = []
        self.pds: list[PdsLocation] = []
        self.retention: int | None = None
        self.cc: list[str] = []
        self.limit: QcLimitValue | None = None
        self.semantics: list[SemanticsInfo] = []
        self.ident: list[str] = []
        self.qscd_leg: list[str] = []
        self.unknown: list[RawStatement] = []
        self.oids: list[str] = []


def _apply(acc: _Acc, oid: str, info: bytes) -> None:
    """Interpret one statement; raises on malformed statementInfo."""
    if oid == ID_QC_COMPLIANCE:
        acc.compliance = True
    elif oid == ID_QC_SSCD:
        acc.sscd = True
    elif oid == ID_BTK_NES:
        acc.btk_nes = True
    elif oid == ID_QC_TYPE:
        acc.types.extend(_QC_TYPES.get(o, o) for o in _OidList.load(info).native)
    elif oid == ID_QC_PDS:
        for p in _PdsList.load(info):
            acc.pds.append(
                PdsLocation(url=str(p["url"].native), language=str(p["language"].native))
            )
    elif oid == ID_QC_RETENTION:
        acc.retention = int(core.Integer.load(info).native)
    elif oid == ID_QC_CC_LEGISLATION:
        acc.cc.extend(str(c) for c in _PrintableList.load(info).native)
    elif oid == ID_QC_QSCD_LEGISLATION:
        acc.qscd_leg.extend(str(c) for c in _PrintableList.load(info).native)
    elif oid == ID_QC_LIMIT_VALUE:
        mv = _MonetaryValue.load(info)
        acc.limit = QcLimitValue(
            currency=str(mv["currency"].native),
            amount=int(mv["amount"].native),
            exponent=int(mv["exponent"].native),
        )
    elif oid == ID_QC_IDENT_METHOD:
        if info[:1] == b"\x06":
            acc.ident.append(str(core.ObjectIdentifier.load(info).dotted))
        else:
            acc.ident.extend(str(o) for o in _OidList.load(info).native)
    elif oid in (ID_QCS_SYNTAX_V1, ID_QCS_SYNTAX_V2):
        si = _SemanticsInformation.load(info) if info else _SemanticsInformation()
        sid = si["semantics_identifier"]
        sid_oid = None if sid.native is None else str(sid.dotted)
        ras = si["name_registration_authorities"]
        authorities = () if ras.native is None else tuple(_general_name_text(g) for g in ras)
        acc.semantics.append(
            SemanticsInfo(
                oid=sid_oid,
                name=None if sid_oid is None else _SEMANTICS.get(sid_oid),
                registration_authorities=authorities,
            )
        )
    else:
        acc.unknown.append(RawStatement(oid=oid, der=info))


def parse_qc_statements(value: bytes, findings: list[Finding]) -> QcStatements:
    """Parse the extension value (the OCTET STRING's content). A statement whose info is
    malformed is kept in ``unknown`` with a finding; a malformed extension raises."""
    statements = _Statements.load(value)
    acc = _Acc()
    for st in statements:
        oid = str(st["statement_id"].dotted)
        raw_info = st["statement_info"]
        info = b"" if raw_info.native is None and not raw_info.contents else raw_info.dump()
        acc.oids.append(oid)
        try:
            _apply(acc, oid, info)
        except Exception as exc:  # asn1crypto raises many types on malformed input
            name = QC_STATEMENT_NAMES.get(oid, oid)
            findings.append(
                Finding("qc.statement-unparsable", f"QC statement {name} is malformed: {exc}")
            )
            acc.unknown.append(RawStatement(oid=oid, der=info))
    return QcStatements(
        present=True,
        compliance=acc.compliance,
        sscd=acc.sscd,
        types=tuple(acc.types),
        pds=tuple(acc.pds),
        retention_period=acc.retention,
        cc_legislation=tuple(acc.cc),
        limit_value=acc.limit,
        semantics=tuple(acc.semantics),
        btk_nes=acc.btk_nes,
        ident_method=tuple(acc.ident),
        qscd_legislation=tuple(acc.qscd_leg),
        unknown=tuple(acc.unknown),
        oids=tuple(acc.oids),
    )
