"""Encoding of the qcStatements extension for TEST-ONLY certificates.

ETSI EN 319 412-5 statements use pyHanko's ``qualified_asn1`` types. The RFC 3739
``id-qcs-pkixQCSyntax-v2`` statement (SemanticsInformation) and the Turkish BTK statement
2.16.792.1.61.0.1.5070.1.1 are not known to pyHanko, so they are declared here with asn1crypto.
"""

from __future__ import annotations

from typing import Any, ClassVar

from asn1crypto import core
from asn1crypto import x509 as asn1_x509
from pyhanko.sign.ades import qualified_asn1 as qa

from esig.testing.declaration import QcDeclaration

__all__ = [
    "BTK_NES_OID",
    "PKIX_QC_SYNTAX_V2_OID",
    "QC_STATEMENTS_OID",
    "SemanticsInformation",
    "encode_qc_statements",
]

QC_STATEMENTS_OID = "1.3.6.1.5.5.7.1.3"
PKIX_QC_SYNTAX_V2_OID = "1.3.6.1.5.5.7.11.2"
BTK_NES_OID = "2.16.792.1.61.0.1.5070.1.1"

_QC_TYPE_OIDS = {
    "esign": "0.4.0.1862.1.6.1",
    "eseal": "0.4.0.1862.1.6.2",
    "web": "0.4.0.1862.1.6.3",
}


class SemanticsInformation(core.Sequence):  # type: ignore[misc]
    """RFC 3739: ``SemanticsInformation ::= SEQUENCE { semanticsIdentifier OBJECT IDENTIFIER
    OPTIONAL, nameRegistrationAuthorities NameRegistrationAuthorities OPTIONAL }`` (at least one
    present)."""

    _fields: ClassVar[list[tuple[str, Any, dict[str, Any]]]] = [
        ("semantics_identifier", core.ObjectIdentifier, {"optional": True}),
        ("name_registration_authorities", asn1_x509.GeneralNames, {"optional": True}),
    ]


class _QcStatementId(qa.QcStatementId):
    _map: ClassVar[dict[str, str]] = {
        **qa.QcStatementId._map,
        PKIX_QC_SYNTAX_V2_OID: "pkix_qc_syntax_v2",
        BTK_NES_OID: "btk_nes",
    }


class _QcStatement(core.Sequence):  # type: ignore[misc]
    _fields: ClassVar[list[tuple[str, Any, dict[str, Any]]]] = [
        ("statement_id", _QcStatementId, {}),
        ("statement_info", core.Any, {"optional": True}),
    ]
    _oid_pair = ("statement_id", "statement_info")
    _oid_specs: ClassVar[dict[str, Any]] = {
        **qa.QcStatement._oid_specs,
        "pkix_qc_syntax_v2": SemanticsInformation,
        "btk_nes": core.Void,
    }


class _QcStatements(core.SequenceOf):  # type: ignore[misc]
    _child_spec = _QcStatement


def encode_qc_statements(qc: QcDeclaration, *, base_url: str) -> bytes:
    """DER of the QCStatements SEQUENCE, in the order RFC 3739 statements first, then ETSI
    statements as listed in EN 319 412-5, then the BTK statement."""
    items: list[dict[str, Any]] = []
    if qc.semantics_id is not None:
        info = SemanticsInformation({"semantics_identifier": qc.semantics_id})
        items.append({"statement_id": PKIX_QC_SYNTAX_V2_OID, "statement_info": info})
    if qc.compliance:
        items.append({"statement_id": "qc_compliance"})
    if qc.limit is not None:
        value = qa.MonetaryValue(
            {
                "currency": qa.Iso4217CurrencyCode(
                    name="alphabetic", value=core.PrintableString(qc.limit.currency)
                ),
                "amount": qc.limit.amount,
                "exponent": qc.limit.exponent,
            }
        )
        items.append({"statement_id": "qc_limit_value", "statement_info": value})
    if qc.retention_years is not None:
        items.append({"statement_id": "qc_retention_period", "statement_info": qc.retention_years})
    if qc.sscd:
        items.append({"statement_id": "qc_sscd"})
    if qc.pds:
        pds = qa.PKIDisclosureStatements(
            [{"url": p.url.format(base_url=base_url), "language": p.lang} for p in qc.pds]
        )
        items.append({"statement_id": "qc_pki_disclosure_statements", "statement_info": pds})
    if qc.types:
        types = qa.QcCertificateType([_QC_TYPE_OIDS[t] for t in qc.types])
        items.append({"statement_id": "qc_type", "statement_info": types})
    if qc.cc_legislation:
        cc = qa.QcCCLegislationCountryCodes(list(qc.cc_legislation))
        items.append({"statement_id": "qc_cc_legislation", "statement_info": cc})
    if qc.btk_nes:
        items.append({"statement_id": BTK_NES_OID})
    der: bytes = _QcStatements(items).dump()
    return der
