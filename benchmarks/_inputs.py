"""Benchmark inputs, made at run time from the TEST-ONLY PKI: signed PDFs and XML, anchors on disk.

Everything is offline: time-stamps come from an in-process TSA (:func:`local_timestamper`) and
revocation data (OCSP responses, CRLs) is issued by the test PKI for "now", so B-LT/B-LTA files
carry all they need and verification fetches nothing.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding

from esig.signing import RevocationMaterial, Signer, sign_pdfs
from esig.testing import TestPki, build_pki
from esig.testing.declaration import PkiDeclaration, load_declaration
from esig.testing.documents import simple_pdf
from esig.testing.timestamps import local_timestamper

SIGNER = "tr-nes-signer"  # RSA-2048, chain tr-nes-ca (RSA-2048) -> tr-root (RSA-3072)
TSA = "tr-tsa"
#: Signers available in the test PKI for the batch (the issue asks for 50; the PKI declares these).
BATCH_SIGNERS = ("tr-nes-signer", "tr-malimuhur-seal", "az-idcard-signer", "ee-idcard-signer")
#: Issue 8's batch comes from 50 signers: the four above and 46 more issued like them.
BATCH_SIGNER_COUNT = 50
_TSA_OF = {"tr": "tr-tsa", "az": "az-tsa", "ee": "tr-tsa"}  # pyHanko's local TSA is RSA-only

PDF_SIZES = {"1page": 0, "1MB": 1_000_000, "20MB": 20_000_000}
XML_SIZES = {"10KB": 10_000, "1MB": 1_000_000, "20MB": 20_000_000}


@dataclass
class Inputs:
    """Paths of the generated inputs."""

    root: Path
    pki: TestPki
    now: datetime
    anchors_pem: Path  # all roots of the test PKI, one PEM file
    pdf: dict[tuple[str, str], Path] = field(default_factory=dict)  # (size, level) -> file
    xml: dict[str, Path] = field(default_factory=dict)  # size -> XAdES B-B file
    xml_plain: dict[str, Path] = field(default_factory=dict)  # size -> unsigned XML


def revocation_for(pki: TestPki, names: tuple[str, ...], now: datetime) -> RevocationMaterial:
    """OCSP responses for each end entity and CRLs of every CA on their chains, valid at ``now``."""
    ocsps: list[bytes] = []
    crls: dict[str, bytes] = {}
    for name in names:
        for child, issuer in itertools.pairwise(pki.declaration.chain_names(name)):
            if issuer not in crls:
                crls[issuer] = pki.crl(
                    issuer,
                    this_update=now - timedelta(hours=1),
                    next_update=now + timedelta(days=7),
                )
            if pki.entity(child).ocsp_urls:
                ocsps.append(
                    pki.ocsp_response(
                        child,
                        produced_at=now,
                        this_update=now,
                        next_update=now + timedelta(days=1),
                    )
                )
    return RevocationMaterial(ocsp_responses=tuple(ocsps), crls=tuple(crls.values()))


def tsa_for(signer: str) -> str:
    return _TSA_OF[signer.split("-", 1)[0]]


def sign_pdf_bytes(
    pki: TestPki, pdfs: list[bytes], level: str, now: datetime, signer: str = SIGNER
) -> list[bytes]:
    tsa = tsa_for(signer)
    esig_signer = Signer.from_key(pki.key(signer), pki.cert(signer), pki.chain(signer)[1:])
    return sign_pdfs(
        pdfs,
        esig_signer,
        level=level,
        timestamper=local_timestamper(pki, tsa, at=now) if level != "B-B" else None,
        revocation=revocation_for(pki, (signer, tsa), now),
        at=now,
        trust_roots=[pki.chain(tsa)[-1]],
    )


def xml_document(size: int) -> bytes:
    """A customs-like XML document of about ``size`` bytes (repeated item lines)."""
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n<Declaration xmlns="urn:example:customs">\n'
    item = (
        b'  <Item n="%06d"><HS>0813.10</HS><Goods>dried apricots</Goods>'
        b'<Mass unit="kg">1000</Mass><Value currency="USD">2400.00</Value></Item>\n'
    )
    lines = [head]
    n, total = 0, len(head)
    while total < size:
        line = item % n
        lines.append(line)
        total += len(line)
        n += 1
    lines.append(b"</Declaration>\n")
    return b"".join(lines)


def sign_xml_bytes(pki: TestPki, document: bytes, now: datetime, signer: str = SIGNER) -> bytes:
    from esig.xades import sign_xml

    return sign_xml(document, pki.key(signer), pki.chain(signer)[:-1], signing_time=now)


def make_inputs(
    root: Path,
    *,
    pdf_sizes: dict[str, int] = PDF_SIZES,
    pdf_levels: tuple[str, ...] = ("B-B", "B-LTA"),
    xml_sizes: dict[str, int] = XML_SIZES,
) -> Inputs:
    root.mkdir(parents=True, exist_ok=True)
    pki = build_pki(with_batch_signers(load_declaration()))
    now = datetime.now(UTC).replace(microsecond=0)
    anchors = root / "anchors.pem"
    anchors.write_bytes(b"".join(c.public_bytes(Encoding.PEM) for c in pki.roots()))
    inputs = Inputs(root, pki, now, anchors)
    for size_name, padding in pdf_sizes.items():
        pdf = simple_pdf(padding=padding)
        for level in pdf_levels:
            (signed,) = sign_pdf_bytes(pki, [pdf], level, now)
            path = root / f"doc-{size_name}-{level}.pdf"
            path.write_bytes(signed)
            inputs.pdf[(size_name, level)] = path
    for size_name, size in xml_sizes.items():
        plain = xml_document(size)
        (root / f"plain-{size_name}.xml").write_bytes(plain)
        inputs.xml_plain[size_name] = root / f"plain-{size_name}.xml"
        path = root / f"doc-{size_name}-B-B.xml"
        path.write_bytes(sign_xml_bytes(pki, plain, now))
        inputs.xml[size_name] = path
    return inputs


def with_batch_signers(decl: PkiDeclaration, count: int = BATCH_SIGNER_COUNT) -> PkiDeclaration:
    """``decl`` plus signers like :data:`BATCH_SIGNERS` (same issuer, key type, profile), each
    with its own name and key, up to ``count`` batch signers in all."""
    extra = []
    for i in range(count - len(BATCH_SIGNERS)):
        base = decl.entity(BATCH_SIGNERS[i % len(BATCH_SIGNERS)])
        subject = tuple(
            replace(a, value=f"{a.value} B{i:02d}") if a.attr == "CN" else a for a in base.subject
        )
        extra.append(replace(base, name=f"{base.name}-b{i:02d}", subject=subject, serial=None))
    return replace(decl, entities=(*decl.entities, *extra))


def batch_signers(pki: TestPki) -> tuple[str, ...]:
    """The batch signers ``pki`` has (4 in the bundled PKI, 50 in :func:`make_inputs`'s)."""
    return tuple(n for n in pki.names if n.startswith(BATCH_SIGNERS))


def make_batch(
    root: Path, pki: TestPki, now: datetime, count: int, level: str = "B-LT"
) -> list[Path]:
    """``count`` one-page PDFs at ``level``, shared out among :func:`batch_signers`, each
    with different text (so every file differs)."""
    root.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    signers = batch_signers(pki)
    per_signer = -(-count // len(signers))
    for s_index, signer in enumerate(signers):
        docs = [
            simple_pdf([f"TEST-ONLY batch document {s_index}-{i}", f"signer {signer}"])
            for i in range(per_signer)
        ]
        docs = docs[: max(0, count - len(paths))]
        for i, signed in enumerate(sign_pdf_bytes(pki, docs, level, now, signer=signer)):
            path = root / f"batch-{s_index}-{i:04d}.pdf"
            path.write_bytes(signed)
            paths.append(path)
    return sorted(paths)
