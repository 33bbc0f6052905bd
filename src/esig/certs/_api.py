"""read_certificate / read_certificates."""

from __future__ import annotations

import dataclasses

from esig.certs._load import Source, certificate_blobs, read_input
from esig.certs._model import CertificateInfo
from esig.certs._parse import parse_certificate
from esig.errors import CertificateError
from esig.report import Finding

__all__ = ["read_certificate", "read_certificates"]


def _password(password: bytes | str | None) -> bytes | None:
    if isinstance(password, str):
        return password.encode("utf-8")
    return password


def read_certificates(
    data_or_path: Source, *, password: bytes | str | None = None
) -> tuple[CertificateInfo, ...]:
    """Every certificate in the input, in input order.

    Accepts DER, PEM (one or several CERTIFICATE blocks, or a PKCS7 block), a DER or PEM
    PKCS#7/CMS "certs-only" bundle (.p7c/.p7b), bare base64 DER, and PKCS#12 when ``password``
    is given. A ``str`` naming an existing file, or any ``os.PathLike``, is read as a file;
    bytes are data. Raises :class:`~esig.errors.CertificateError` (and nothing else) when the
    input holds no readable certificate; the message says what was found instead.
    """
    try:
        raw = read_input(data_or_path)
        blobs, findings = certificate_blobs(raw, password=_password(password))
    except CertificateError:
        raise
    except Exception as exc:  # defensive: nothing but CertificateError may escape
        raise CertificateError(f"cannot read certificate input ({exc!s:.200})") from exc
    infos = [parse_certificate(b) for b in blobs]
    if findings:
        infos[0] = dataclasses.replace(infos[0], warnings=infos[0].warnings + tuple(findings))
    return tuple(infos)


def _issues(issuer: CertificateInfo, other: CertificateInfo) -> bool:
    if issuer is other or issuer.der == other.der:
        return False
    if other.issuer.der == issuer.subject.der or other.issuer.text == issuer.subject.text:
        if other.self_issued:
            return False
        aki, ski = other.authority_key_identifier, issuer.subject_key_identifier
        return aki is None or ski is None or aki == ski
    return False


def select_end_entity(certs: tuple[CertificateInfo, ...]) -> CertificateInfo:
    """The certificate that issues no other certificate in ``certs`` (preferring non-CA
    certificates); if several qualify, the first, with a ``bundle.several-end-entities``
    warning; if none (a cycle), the first with ``bundle.no-end-entity``."""
    if len(certs) == 1:
        return certs[0]
    leaves = [c for c in certs if not any(_issues(c, o) for o in certs)]
    non_ca = [c for c in leaves if not c.is_ca]
    pool = non_ca or leaves
    if len(pool) == 1:
        return pool[0]
    if not pool:
        chosen, finding = (
            certs[0],
            Finding(
                "bundle.no-end-entity", "every certificate issues another; the first was taken"
            ),
        )
    else:
        chosen, finding = (
            pool[0],
            Finding(
                "bundle.several-end-entities",
                f"{len(pool)} certificates issue no other certificate in the input; the first "
                f"({chosen_name(pool[0])}) was taken",
            ),
        )
    return dataclasses.replace(chosen, warnings=(*chosen.warnings, finding))


def chosen_name(cert: CertificateInfo) -> str:
    return cert.subject.text or cert.sha256


def read_certificate(
    data_or_path: Source, *, password: bytes | str | None = None
) -> CertificateInfo:
    """One certificate: the input's only certificate, or for a bundle the end-entity
    certificate (the one that issues no other certificate in the bundle; see
    :func:`read_certificates` for accepted inputs and :func:`select_end_entity`)."""
    return select_end_entity(read_certificates(data_or_path, password=password))
