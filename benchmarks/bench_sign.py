"""Batch PAdES B-B signing: esig (key loaded once) next to pyHanko's usual per-document path.

Run: ``.venv/bin/python benchmarks/bench_sign.py [--count 1000] [--rounds 3]``

Both sides sign the same one-page PDF with the same TEST-ONLY RSA-2048 key, in the same process,
alternating rounds; medians per signature and the ratio are printed. pyHanko's side is what its
documentation shows for a key file: ``SimpleSigner.load(key, cert)`` then ``sign_pdf`` per
document. esig's side is :func:`esig.signing.sign_pdfs` with one :class:`esig.signing.Signer`
(certificate and revocation status checked once per batch, from a given OCSP response and
CRL), in one process and in ``--jobs`` forked processes (default: every core).
Target (issue 5): esig >= 10x pyHanko's per-signature rate.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers

from esig.signing import RevocationMaterial, Signer, sign_pdfs
from esig.testing import build_pki
from esig.testing.documents import simple_pdf

SIGNER = "tr-nes-signer"  # RSA-2048 in the test PKI


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=200, help="signatures per side per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="esig worker processes (default: all cores)",
    )
    args = parser.parse_args()

    pki = build_pki()
    now = datetime.now(UTC)
    pdf = simple_pdf()
    material = RevocationMaterial(
        ocsp_responses=(
            pki.ocsp_response(
                SIGNER, produced_at=now, this_update=now, next_update=now + timedelta(days=1)
            ),
        ),
        crls=(pki.crl("tr-root", this_update=now, next_update=now + timedelta(days=7)),),
    )
    with tempfile.TemporaryDirectory() as tmp:
        key_file, cert_file = Path(tmp) / "key.pem", Path(tmp) / "cert.pem"
        key_file.write_bytes(
            pki.key(SIGNER).private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        cert_file.write_bytes(pki.cert(SIGNER).public_bytes(serialization.Encoding.PEM))
        chain = [str(Path(tmp) / f"ca{i}.pem") for i in range(len(pki.chain(SIGNER)) - 1)]
        for path, cert in zip(chain, pki.chain(SIGNER)[1:], strict=True):
            Path(path).write_bytes(cert.public_bytes(serialization.Encoding.PEM))

        def pyhanko_batch(n: int) -> float:
            start = time.perf_counter()
            for _ in range(n):
                signer = signers.SimpleSigner.load(
                    str(key_file), str(cert_file), ca_chain_files=chain
                )
                meta = signers.PdfSignatureMetadata(field_name="Signature1")
                out = io.BytesIO()
                signers.sign_pdf(
                    IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer, output=out
                )
            return (time.perf_counter() - start) / n

        esig_signer = Signer.from_key(pki.key(SIGNER), pki.cert(SIGNER), pki.chain(SIGNER)[1:])

        def esig_batch(n: int, jobs: int) -> float:
            start = time.perf_counter()
            signed = sign_pdfs([pdf] * n, esig_signer, revocation=material, at=now, jobs=jobs)
            assert len(signed) == n
            return (time.perf_counter() - start) / n

        ph, es1, esn = [], [], []
        for _ in range(args.rounds):
            ph.append(pyhanko_batch(args.count))
            es1.append(esig_batch(args.count, 1))
            esn.append(esig_batch(args.count, args.jobs))
    p, e1, en = statistics.median(ph), statistics.median(es1), statistics.median(esn)
    print(f"documents per side per round: {args.count}, rounds: {args.rounds}")
    print(f"pyHanko SimpleSigner per signature:  {p * 1000:8.2f} ms  ({1 / p:7.1f}/s)")
    print(f"esig, 1 process, per signature:      {e1 * 1000:8.2f} ms  ({1 / e1:7.1f}/s)")
    print(f"esig, {args.jobs} processes, per signature:    {en * 1000:8.2f} ms  ({1 / en:7.1f}/s)")
    print(f"ratio, 1 process (esig / pyHanko):   {p / e1:8.2f}x")
    print(f"ratio, {args.jobs} processes:                 {p / en:8.2f}x   target >= 10x")


if __name__ == "__main__":
    main()
