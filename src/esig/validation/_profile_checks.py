"""RFC 5280 rules esig checks itself over a path that pyhanko-certvalidator has validated.

pyhanko-certvalidator builds and validates the path (signatures, validity, basic constraints of
the intermediates, policies, revocation). It does not apply the name constraints of the trust
anchor, cannot compare iPAddress or otherName constraints (it raises), and does not look at the
anchor's own extensions; these rules are checked here, over the validated path (end entity
first, anchor last), each with a finding code:

``chain.name-constraints``
    RFC 5280 4.2.1.10 and 6.1.3 (b)-(c), 6.1.4 (g): the name constraints of every CA of the
    path, the anchor's included, critical or not, applied to the subject and subjectAltName of
    every later certificate (self-issued intermediates exempt, the end entity never):
    directoryName, dNSName, rfc822Name (subjectAltName, else emailAddress in the subject), URI
    host, iPAddress. Excluded wins over permitted; a dNSName wildcard that could stand for an
    excluded name is excluded. Fail: a name constraints extension without subtrees (or with an
    empty list), or in a certificate that is not a CA; a malformed constraint (a dNSName with a
    wildcard or a leading period, an iPAddress that is not an address and a prefix mask, an
    rfc822Name with two ``@``) met by a name of its form; a name that cannot be compared with a
    constraint of its form (a malformed name, an otherName of the constrained type-id,
    x400Address, ediPartyName, registeredID, a URI without host). pyhanko-certvalidator gets
    certificates whose ``name_constraints_value`` is None (:mod:`esig.validation.chain`), so
    only this code applies name constraints. The name/constraint comparisons of a path are
    bounded (:data:`MAX_NAME_CHECKS`).
``chain.ca-profile``
    Every certificate that issues another one in the path, the anchor included: a version 3
    certificate has basicConstraints with cA set (6.1.4 (k); an anchor may lack the extension
    when its key usage asserts keyCertSign: the anchor is input to path validation, 6.1.1 (d),
    and trusted lists still hold such CAs of the German signature law); a key usage, when present,
    asserts keyCertSign (6.1.4 (n)); the subject is not empty (4.1.2.6);
    authorityInformationAccess is not critical (4.2.2.1). The anchor has no critical extension
    pyhanko-certvalidator does not process (6.1.4 (o), applied to the anchor as to the other
    CAs) and is within its validity period at the control time (``chain.out-of-validity``, as
    for the other certificates of the path).
``chain.ee-profile``
    The end entity: keyCertSign only with cA (4.2.1.9), authorityInformationAccess not critical,
    an empty subject only with a critical subjectAltName (4.1.2.6, 4.2.1.6), dNSName entries in
    preferred name syntax (4.2.1.6; RFC 1034 3.5, RFC 1123 2.1: letters, digits and hyphens, an
    optional leading ``*`` label, the last label not numeric).
``chain.weak-key``
    An elliptic-curve key with explicit (specifiedCurve) or implicit curve parameters anywhere in
    the path (RFC 5480 2.1.1: only namedCurve in PKIX; explicit parameters let a forged curve
    pass for a named one, CVE-2020-0601).
``chain.crl-profile``
    :func:`crl_problems`: a CRL with a critical cRLNumber (RFC 5280 5.2.3) is not usable
    revocation data.

Not checked, because RFC 5280 states them for issuing CAs only ("conforming CAs MUST") and
certificates on EU trusted lists break them, or because they are web-PKI (CA/Browser Forum)
rules: the criticality of basicConstraints, policyConstraints and name constraints; authority
and subject key identifier presence and criticality; serial number length and sign (4.1.2.2 asks
certificate users to handle such serials gracefully; :mod:`esig.certs` reports them); a CRL
without cRLNumber (the Belgian eID root CAs issue version 1 CRLs); RSA modulus sizes; the form
of a root's authorityKeyIdentifier. Key sizes and algorithms are the algorithm policy's
(:mod:`esig.validation.crypto`).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from pyhanko_certvalidator.validate import SUPPORTED_EXTENSIONS

from esig.report import Finding

__all__ = [
    "CA_PROFILE",
    "CRL_PROFILE",
    "EE_PROFILE",
    "MAX_NAME_CHECKS",
    "NAME_CONSTRAINTS",
    "OUT_OF_VALIDITY",
    "WEAK_KEY",
    "crl_problems",
    "path_problems",
]

NAME_CONSTRAINTS = "chain.name-constraints"
CA_PROFILE = "chain.ca-profile"
EE_PROFILE = "chain.ee-profile"
WEAK_KEY = "chain.weak-key"
CRL_PROFILE = "chain.crl-profile"
OUT_OF_VALIDITY = "chain.out-of-validity"

#: name/constraint comparisons allowed over one path (limbo ``pathological::nc-dos-*``: 2048
#: names against 4097 constraints is refused; real paths need a handful).
MAX_NAME_CHECKS = 1 << 16


def path_problems(
    chain: Sequence[asn1_x509.Certificate], control_time: datetime
) -> tuple[Finding, ...]:
    """The RFC 5280 problems of a validated path (end entity first, anchor last); () if none.

    Findings come in this order: weak keys, name constraints, CA profile, end-entity profile,
    the anchor's validity period. Never raises: a certificate whose extensions cannot be read
    gives a finding of the rule that read them.
    """
    if not chain:
        return ()
    found: list[Finding] = []
    last = len(chain) - 1
    for index, cert in enumerate(chain):
        found.extend(_guarded(WEAK_KEY, _key, cert, index))
    found.extend(_guarded(NAME_CONSTRAINTS, _name_constraints, chain))
    for index, cert in enumerate(chain[1:], start=1):
        found.extend(_guarded(CA_PROFILE, _ca, cert, index, index == last))
    found.extend(_guarded(EE_PROFILE, _end_entity, chain[0]))
    found.extend(_guarded(OUT_OF_VALIDITY, _anchor_validity, chain[-1], control_time))
    return tuple(found)


def crl_problems(crl: asn1_crl.CertificateList) -> tuple[Finding, ...]:
    """Why ``crl`` is not usable revocation data under RFC 5280 5.2.3 (a critical cRLNumber);
    () when it is. A CRL without cRLNumber is used: the Belgian eID root CAs issue version 1
    CRLs, which have no extensions at all."""
    return tuple(_guarded(CRL_PROFILE, _crl, crl))


def _crl(crl: asn1_crl.CertificateList) -> Iterator[Finding]:
    tbs = crl["tbs_cert_list"]
    for ext in tbs["crl_extensions"]:
        if ext["extn_id"].native == "crl_number" and ext["critical"].native:
            yield Finding(
                CRL_PROFILE,
                f"the CRL of {_name_text(tbs['issuer'])} marks its cRLNumber critical "
                "(RFC 5280 5.2.3)",
            )


# -- helpers -------------------------------------------------------------------------------


def _guarded(code: str, check: Callable[..., Iterable[Finding]], *args: Any) -> list[Finding]:
    try:
        return list(check(*args))
    except RecursionError:
        return [Finding(code, "a certificate or CRL is nested too deeply to be read")]
    except Exception as exc:  # hostile encodings: asn1crypto raises many kinds
        return [Finding(code, f"cannot be read: {type(exc).__name__}: {exc!s:.160}")]


def _name_text(name: asn1_x509.Name) -> str:
    try:
        return str(name.human_friendly) or "an empty name"
    except Exception:  # unreadable attribute values
        return "an unreadable name"


def _who(cert: asn1_x509.Certificate, index: int, length: int | None = None) -> str:
    if index == 0:
        role = "the end-entity certificate"
    elif length is not None and index == length - 1:
        role = "the trust anchor"
    else:
        role = "the CA certificate"
    return f"{role} ({_name_text(cert.subject)})"


def _extensions(cert: asn1_x509.Certificate) -> list[tuple[str, bool, Any]]:
    """(name or dotted OID, critical, extension) for each extension, as encoded."""
    exts = cert["tbs_certificate"]["extensions"]
    return [(e["extn_id"].native, bool(e["critical"].native), e) for e in exts]


def _ext(cert: asn1_x509.Certificate, name: str) -> tuple[bool, Any] | None:
    for ext_name, critical, ext in _extensions(cert):
        if ext_name == name:
            return critical, ext["extn_value"].parsed
    return None


def _version(cert: asn1_x509.Certificate) -> int:
    return int(cert["tbs_certificate"]["version"].native[1:])


def _is_ca(cert: asn1_x509.Certificate) -> bool:
    bc = _ext(cert, "basic_constraints")
    return bc is not None and bool(bc[1]["ca"].native)


# -- keys ----------------------------------------------------------------------------------


def _key(cert: asn1_x509.Certificate, index: int) -> Iterator[Finding]:
    spki = cert["tbs_certificate"]["subject_public_key_info"]
    algorithm = spki["algorithm"]
    if algorithm["algorithm"].native == "ec":
        params = algorithm["parameters"]
        if params.name != "named":
            yield Finding(
                WEAK_KEY,
                f"the elliptic-curve key of {_who(cert, index)} has {params.name} curve "
                "parameters instead of a named curve (RFC 5480 2.1.1)",
            )


# -- CA and end-entity profile -------------------------------------------------------------


def _ca(cert: asn1_x509.Certificate, index: int, anchor: bool) -> Iterator[Finding]:
    who = _who(cert, index, index + 1 if anchor else None)

    def bad(rule: str) -> Finding:
        return Finding(CA_PROFILE, f"{who}: {rule}")

    ku = _ext(cert, "key_usage")
    if _version(cert) >= 3:
        bc = _ext(cert, "basic_constraints")
        if bc is not None and not bc[1]["ca"].native:
            yield bad(
                "a version 3 CA certificate with basicConstraints cA false (RFC 5280 6.1.4 k)"
            )
        elif bc is None and not (anchor and ku is not None and "key_cert_sign" in ku[1].native):
            # the anchor is input to path validation, not part of the path (RFC 5280 6.1.1 d):
            # one without basicConstraints whose key usage asserts keyCertSign is a CA by its
            # own declaration and by its trusted list's (German signature-law CAs, 2000-2008)
            yield bad("a version 3 CA certificate without basicConstraints cA (RFC 5280 6.1.4 k)")
    if ku is not None and "key_cert_sign" not in ku[1].native:
        yield bad("the key usage does not assert keyCertSign (RFC 5280 6.1.4 n)")
    if len(cert.subject.chosen) == 0:
        yield bad("the subject is empty (RFC 5280 4.1.2.6)")
    aia = _ext(cert, "authority_information_access")
    if aia is not None and aia[0]:
        yield bad("authorityInformationAccess is critical (RFC 5280 4.2.2.1)")
    if anchor:
        unknown = sorted(
            name
            for name, critical, _ in _extensions(cert)
            if critical and name not in SUPPORTED_EXTENSIONS
        )
        if unknown:
            yield bad(f"unrecognised critical extension {', '.join(unknown)} (RFC 5280 6.1.4 o)")


def _end_entity(cert: asn1_x509.Certificate) -> Iterator[Finding]:
    who = _who(cert, 0)

    def bad(rule: str) -> Finding:
        return Finding(EE_PROFILE, f"{who}: {rule}")

    ku = _ext(cert, "key_usage")
    if ku is not None and "key_cert_sign" in ku[1].native and not _is_ca(cert):
        yield bad("keyCertSign asserted without basicConstraints cA (RFC 5280 4.2.1.9)")
    aia = _ext(cert, "authority_information_access")
    if aia is not None and aia[0]:
        yield bad("authorityInformationAccess is critical (RFC 5280 4.2.2.1)")
    san = _ext(cert, "subject_alt_name")
    if len(cert.subject.chosen) == 0 and (san is None or not san[0]):
        yield bad("an empty subject needs a critical subjectAltName (RFC 5280 4.2.1.6)")
    for general_name in san[1] if san is not None else ():
        if general_name.name == "dns_name" and not _dns_name_ok(general_name.native):
            yield bad(
                f"subjectAltName dNSName {general_name.native!r} is not in preferred name "
                "syntax (RFC 5280 4.2.1.6)"
            )


_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")


def _dns_labels_ok(labels: Sequence[str]) -> bool:
    return (
        bool(labels)
        and all(_LABEL.match(label) for label in labels)
        and not labels[-1].isdigit()  # RFC 1123 2.1: the top label is never numeric
        and len(".".join(labels)) <= 253
    )


def _dns_name_ok(name: str) -> bool:
    """Preferred name syntax, with an optional leading ``*`` label (a wildcard)."""
    labels = name.lower().split(".")
    if labels[0] == "*" and len(labels) > 2:
        labels = labels[1:]
    return name.isascii() and _dns_labels_ok(labels)


def _anchor_validity(cert: asn1_x509.Certificate, control_time: datetime) -> Iterator[Finding]:
    validity = cert["tbs_certificate"]["validity"]
    not_before = validity["not_before"].native
    not_after = validity["not_after"].native
    if control_time < not_before or control_time > not_after:
        yield Finding(
            OUT_OF_VALIDITY,
            f"the trust anchor ({_name_text(cert.subject)}) is valid from "
            f"{not_before:%Y-%m-%d %H:%M:%SZ} to {not_after:%Y-%m-%d %H:%M:%SZ}, not at the "
            f"control time {control_time:%Y-%m-%d %H:%M:%SZ}",
        )


# -- name constraints ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Subtree:
    form: str  # GeneralName choice; otherName carries its type-id: "other_name:1.2.3"
    base: Any  # a parsed value per form (see _subtree)
    text: str
    error: str = ""  # why the subtree is malformed: fatal once a name of its form meets it


@dataclass(frozen=True)
class _Constraints:
    source: str
    permitted: dict[str, list[_Subtree]] | None
    excluded: dict[str, list[_Subtree]]


class _Malformed(ValueError):
    pass


def _form(general_name: Any) -> str:
    if general_name.name == "other_name":
        return f"other_name:{general_name.chosen['type_id'].dotted}"
    return str(general_name.name)


def _subtree(general_subtree: Any) -> _Subtree:
    general_name = general_subtree["base"]
    form = _form(general_name)
    if form == "dns_name":
        value = str(general_name.native)
        error = ""
        if value and not _dns_labels_ok(value.lower().split(".")):
            error = (
                f"dNSName constraint {value!r} is not a domain name (no wildcard, no leading "
                "period: RFC 5280 4.2.1.10)"
            )
        return _Subtree(form, value.lower(), value, error)
    if form == "ip_address":
        raw = bytes(general_name.chosen.contents)
        if len(raw) not in (8, 32):
            return _Subtree(
                form,
                None,
                raw.hex(),
                f"iPAddress constraint of {len(raw)} octets: an address and a mask are 8 or 32 "
                "octets (RFC 5280 4.2.1.10)",
            )
        half = len(raw) // 2
        mask = int.from_bytes(raw[half:], "big")
        prefix = bin(mask).count("1")
        if mask != ((1 << prefix) - 1) << (half * 8 - prefix):
            return _Subtree(
                form,
                None,
                raw.hex(),
                f"iPAddress constraint mask {raw[half:].hex()} is not a prefix",
            )
        address = int.from_bytes(raw[:half], "big") & mask
        network: ipaddress.IPv4Network | ipaddress.IPv6Network = (
            ipaddress.IPv4Network((address, prefix))
            if half == 4
            else ipaddress.IPv6Network((address, prefix))
        )
        return _Subtree(form, network, str(network))
    if form == "directory_name":
        return _Subtree(form, general_name.chosen, _name_text(general_name.chosen))
    if form in ("rfc822_name", "uniform_resource_identifier"):
        value = str(general_name.native)
        error = ""
        if form == "rfc822_name" and value.count("@") > 1:
            error = f"rfc822Name constraint {value!r} is neither a mailbox nor a host"
        return _Subtree(form, value, value, error)
    return _Subtree(form, None, form)


def _group(subtrees: Any) -> dict[str, list[_Subtree]]:
    grouped: dict[str, list[_Subtree]] = {}
    for item in subtrees:
        tree = _subtree(item)
        grouped.setdefault(tree.form, []).append(tree)
    return grouped


def _read_constraints(cert: asn1_x509.Certificate, who: str) -> _Constraints | None:
    nc = _ext(cert, "name_constraints")
    if nc is None:
        return None
    value = nc[1]  # applied whether critical or not (EU qualified CAs mark them non-critical)
    permitted, excluded = value["permitted_subtrees"], value["excluded_subtrees"]
    present = [s for s in (permitted, excluded) if isinstance(s, asn1_x509.GeneralSubtrees)]
    if not present or any(len(s) == 0 for s in present):
        raise _Malformed(
            f"{who}: name constraints without permitted or excluded subtrees, or with an empty "
            "list (RFC 5280 4.2.1.10)"
        )
    return _Constraints(
        who,
        _group(permitted) if isinstance(permitted, asn1_x509.GeneralSubtrees) else None,
        _group(excluded) if isinstance(excluded, asn1_x509.GeneralSubtrees) else {},
    )


def _names(cert: asn1_x509.Certificate) -> list[tuple[str, Any, str]]:
    """(form, value, text) of every name of ``cert`` that name constraints apply to."""
    names: list[tuple[str, Any, str]] = []
    subject = cert.subject
    if len(subject.chosen):
        names.append(("directory_name", subject, _name_text(subject)))
    san = _ext(cert, "subject_alt_name")
    if san is None:
        for rdn in subject.chosen:
            for attribute in rdn:
                if attribute["type"].native == "email_address":
                    email = str(attribute["value"].native)
                    names.append(("rfc822_name", email, email))
        return names
    for general_name in san[1]:
        form = _form(general_name)
        if form == "directory_name":
            names.append((form, general_name.chosen, _name_text(general_name.chosen)))
        elif form == "ip_address":
            raw = bytes(general_name.chosen.contents)
            if len(raw) not in (4, 16):
                names.append((form, None, f"an iPAddress of {len(raw)} octets"))
            else:
                address = ipaddress.ip_address(raw)
                names.append((form, address, str(address)))
        elif form in ("dns_name", "rfc822_name", "uniform_resource_identifier"):
            value = str(general_name.native)
            names.append((form, value, value))
        else:
            names.append((form, None, form))
    return names


def _host_in(base: str, host: str) -> bool:
    """RFC 5280 host constraints (rfc822Name domain part, URI host): ``.example.com`` is any
    host below example.com, ``example.com`` that host only."""
    base, host = base.lower().rstrip("."), host.lower().rstrip(".")
    if base.startswith("."):
        return host.endswith(base) and len(host) > len(base)
    return host == base


def _dns_in(base: str, name: str) -> bool:
    name = name.lower().rstrip(".")
    return not base or name == base or name.endswith("." + base)


def _within(tree: _Subtree, form: str, value: Any, *, excluded: bool) -> bool:
    """Is the name in the subtree? Raises _Malformed when the name cannot be compared."""
    if tree.form != form:
        return False
    if tree.error:
        raise _Malformed(tree.error)
    if form == "directory_name":
        base_rdns, rdns = tree.base.chosen, value.chosen
        return len(rdns) >= len(base_rdns) and all(
            x == y for x, y in zip(base_rdns, rdns, strict=False)
        )
    if form == "dns_name":
        if not _dns_name_ok(value):
            raise _Malformed(f"dNSName {value!r} cannot be compared with name constraints")
        if value.startswith("*.") and excluded:
            # a wildcard stands for every name one label below its base: it may be an
            # excluded name when the excluded subtree lies below that base
            below = value[2:].lower()
            if _dns_in(below, tree.base) and tree.base != below:
                return True
        return _dns_in(tree.base, value)
    if form == "rfc822_name":
        mailbox, at, host = value.rpartition("@")
        if not at or not mailbox or not host or "@" in mailbox:
            raise _Malformed(f"rfc822Name {value!r} is not a mailbox address")
        if "@" in tree.base:
            base_box, _, base_host = tree.base.rpartition("@")
            return bool(base_box == mailbox and base_host.lower() == host.lower())
        return _host_in(tree.base, host)
    if form == "uniform_resource_identifier":
        host = urlsplit(value).hostname
        if not host or _is_ip(host):
            raise _Malformed(f"URI {value!r} has no host name to compare with URI constraints")
        return _host_in(tree.base, host)
    if form == "ip_address":
        if value is None:
            raise _Malformed("a malformed iPAddress cannot be compared with name constraints")
        return bool(value.version == tree.base.version and value in tree.base)
    raise _Malformed(f"names of the form {form} cannot be compared with name constraints")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _name_constraints(chain: Sequence[asn1_x509.Certificate]) -> Iterator[Finding]:
    length = len(chain)
    path = list(reversed(chain))  # anchor first
    active: list[_Constraints] = []
    budget = MAX_NAME_CHECKS
    for position, cert in enumerate(path):
        index = length - 1 - position  # index in end-entity-first order
        who = _who(cert, index, length)
        leaf = index == 0
        if position > 0 and active and (leaf or not cert.self_issued):
            names = _names(cert)
            budget -= len(names) * sum(
                len(trees)
                for c in active
                for trees in [*(c.permitted or {}).values(), *c.excluded.values()]
            )
            if budget < 0:
                yield Finding(
                    NAME_CONSTRAINTS,
                    f"more than {MAX_NAME_CHECKS} name/constraint comparisons in the path; refused",
                )
                return
            for problem in _check_names(names, active):
                yield Finding(NAME_CONSTRAINTS, f"{who}: {problem}")
                return
        if _ext(cert, "name_constraints") is not None and not _is_ca(cert):
            yield Finding(
                NAME_CONSTRAINTS,
                f"{who}: name constraints in a certificate that is not a CA (RFC 5280 4.2.1.10)",
            )
            return
        if not leaf:
            try:
                found = _read_constraints(cert, who)
            except _Malformed as exc:
                yield Finding(NAME_CONSTRAINTS, str(exc))
                return
            if found is not None:
                active.append(found)


def _check_names(names: list[tuple[str, Any, str]], active: list[_Constraints]) -> Iterator[str]:
    for form, value, text in names:
        for constraints in active:
            try:
                for tree in constraints.excluded.get(form, ()):
                    if _within(tree, form, value, excluded=True):
                        yield (
                            f"{_form_text(form)} {text!r} is excluded by {tree.text!r} in the "
                            f"name constraints of {constraints.source}"
                        )
                        return
                permitted = (constraints.permitted or {}).get(form)
                if permitted is not None and not any(
                    _within(tree, form, value, excluded=False) for tree in permitted
                ):
                    yield (
                        f"{_form_text(form)} {text!r} is outside the permitted subtrees of "
                        f"{constraints.source}"
                    )
                    return
            except _Malformed as exc:
                yield f"{exc} (name constraints of {constraints.source})"
                return


def _form_text(form: str) -> str:
    return {
        "directory_name": "the name",
        "dns_name": "dNSName",
        "rfc822_name": "rfc822Name",
        "uniform_resource_identifier": "URI",
        "ip_address": "iPAddress",
    }.get(form, form)
