"""Profile checks that become warnings: ETSI EN 319 412-2 key usage and subject, EN 319 412-5
QC statements. Codes are stable; codes containing ".option-" are informative, not problems."""

from __future__ import annotations

from esig.certs._model import DistinguishedName, PolicyInfo, QcStatements
from esig.certs.policies import EU_QUALIFIED_POLICIES
from esig.report import Finding

__all__ = ["EU_COUNTRIES", "key_usage_option", "profile_findings"]

#: EU member states (ISO 3166-1 alpha-2; Greece as "EL" in ETSI lists is accepted too).
EU_COUNTRIES = frozenset(
    {
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "EL",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    }
)

_DS, _NR, _KE, _KA = "digitalSignature", "nonRepudiation", "keyEncipherment", "keyAgreement"


def key_usage_option(key_usage: tuple[str, ...]) -> str | None:
    """Which EN 319 412-2 (NAT-4.3.2) key-usage setting A-F the bits match, or None.

    A nonRepudiation; B nonRepudiation+digitalSignature; C digitalSignature;
    D digitalSignature + keyEncipherment and/or keyAgreement; E keyEncipherment and/or
    keyAgreement; F B plus keyEncipherment and/or keyAgreement.
    """
    bits = frozenset(key_usage)
    enc = bits & {_KE, _KA}
    if bits - {_DS, _NR, _KE, _KA}:
        return None
    has_ds, has_nr = _DS in bits, _NR in bits
    if has_nr and not has_ds and not enc:
        return "A"
    if has_nr and has_ds and not enc:
        return "B"
    if has_ds and not has_nr and not enc:
        return "C"
    if has_ds and not has_nr and enc:
        return "D"
    if not has_ds and not has_nr and enc:
        return "E"
    if has_ds and has_nr and enc:
        return "F"
    return None


def profile_findings(
    *,
    subject: DistinguishedName,
    key_usage: tuple[str, ...] | None,
    is_ca: bool,
    qc: QcStatements,
    policies: tuple[PolicyInfo, ...],
    natural_person_semantics: bool,
) -> list[Finding]:
    """EN 319 412-2 / 412-5 findings for an end-entity certificate (CA certificates: none).

    The key-usage setting is reported (informative ``ku.en319412-2.option-X``) for every
    end-entity certificate; mismatches are warned about only when the certificate claims an
    ETSI or Turkish profile (qcStatements present, or a policy from :mod:`esig.certs.policies`).
    """
    out: list[Finding] = []
    if is_ca:
        return out
    policy_oids = {p.oid for p in policies}
    claims_profile = qc.present or any(p.name is not None and p.scheme != "X.509" for p in policies)
    if key_usage is not None:
        option = key_usage_option(key_usage)
        if option is not None:
            out.append(
                Finding(
                    f"ku.en319412-2.option-{option}",
                    f"key usage follows EN 319 412-2 setting {option}",
                )
            )
        if not claims_profile:
            pass
        elif _NR in key_usage and option not in ("A", "B", "F"):
            out.append(
                Finding(
                    "ku.en319412-2.not-content-commitment",
                    "nonRepudiation is set but the key usage is not setting A, B or F of "
                    f"EN 319 412-2 ({', '.join(key_usage)})",
                )
            )
        elif option is None:
            out.append(
                Finding(
                    "ku.en319412-2.no-option",
                    f"key usage matches none of EN 319 412-2 settings A-F ({', '.join(key_usage)})",
                )
            )
    natural = (
        natural_person_semantics
        or any(subject.get(n) for n in ("givenName", "surname", "pseudonym"))
        or "esign" in qc.types
        or bool(policy_oids & {"0.4.0.194112.1.0", "0.4.0.194112.1.2"})
    )
    if natural:
        countries = subject.get_all("C")
        if not countries:
            out.append(
                Finding(
                    "subject.en319412-2.no-country",
                    "natural-person certificate without countryName (EN 319 412-2 NAT-4.2.4-1)",
                )
            )
        elif len(countries) > 1:
            out.append(Finding("subject.en319412-2.several-countries", "countryName appears twice"))
        cns = subject.get_all("CN")
        if not cns:
            out.append(
                Finding(
                    "subject.en319412-2.no-common-name", "natural-person certificate without CN"
                )
            )
        elif len(cns) > 1:
            out.append(Finding("subject.en319412-2.several-common-names", "commonName repeated"))
        if subject.get("pseudonym") and (subject.get("givenName") or subject.get("surname")):
            out.append(
                Finding(
                    "subject.en319412-2.pseudonym-with-name",
                    "pseudonym combined with givenName/surname (EN 319 412-2 NAT-4.2.4-1)",
                )
            )
    eu_policies = policy_oids & EU_QUALIFIED_POLICIES
    if qc.compliance and not qc.cc_legislation:
        out.append(
            Finding(
                "qc.en319412-5.option-eu-qualified",
                "QcCompliance without QcCClegislation: claims to be an EU qualified certificate",
            )
        )
    if qc.cc_legislation:
        if not qc.compliance:
            out.append(
                Finding(
                    "qc.en319412-5.legislation-without-compliance",
                    "QcCClegislation present without QcCompliance",
                )
            )
        eu_codes = [c for c in qc.cc_legislation if c.upper() in EU_COUNTRIES]
        if eu_policies or eu_codes:
            out.append(
                Finding(
                    "qc.en319412-5.eu-qualified-with-legislation",
                    "QcCClegislation present together with EU qualification claims "
                    f"({', '.join(sorted(eu_policies) + eu_codes)}); EU qualified certificates "
                    "must not carry QcCClegislation (EN 319 412-5)",
                )
            )
    if eu_policies and not qc.compliance:
        out.append(
            Finding(
                "qc.en319412-5.policy-without-compliance",
                f"EU qualified policy {', '.join(sorted(eu_policies))} without QcCompliance",
            )
        )
    if qc.compliance and policy_oids & {"0.4.0.194112.1.0", "0.4.0.194112.1.2"} and not qc.types:
        out.append(
            Finding(
                "qc.en319412-5.no-qc-type",
                "QcCompliance with a QCP-n policy but no QcType (EN 319 412-5 requires one)",
            )
        )
    if policy_oids & {"0.4.0.194112.1.2", "0.4.0.194112.1.3"} and not qc.sscd:
        out.append(
            Finding(
                "qc.en319412-5.qscd-policy-without-sscd",
                "QCP-n-qscd / QCP-l-qscd policy without QcSSCD",
            )
        )
    return out
