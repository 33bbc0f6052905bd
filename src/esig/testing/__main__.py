"""``python -m esig.testing write DIR``: write a TEST-ONLY PKI (throwaway keys) to a directory."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from esig.errors import EsigError
from esig.testing.declaration import load_declaration
from esig.testing.pki import DEFAULT_BASE_URL, build_pki


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m esig.testing",
        description="TEST-ONLY PKIs with throwaway keys, for esig's tests. Never trust them.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    write = commands.add_parser("write", help="write certificates, keys, PKCS#12 files and CRLs")
    write.add_argument("directory")
    write.add_argument("--declaration", help="a PKI declaration (default: national_pki.toml)")
    write.add_argument("--base-url", default=DEFAULT_BASE_URL, help="replaces {base_url}")
    write.add_argument(
        "--key-dir", help="reuse <name>.TEST-ONLY.key.pem keys from here (reproduce a sample)"
    )
    args = parser.parse_args(argv)
    try:
        pki = build_pki(
            load_declaration(args.declaration), base_url=args.base_url, key_dir=args.key_dir
        )
        index = pki.write(args.directory)
    except EsigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(pki.names)} TEST-ONLY entities; index: {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
