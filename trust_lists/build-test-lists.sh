#!/usr/bin/env bash
# Rebuild the TEST-ONLY trusted lists and recognition lists from their TOML descriptions, the
# bundled test PKI (src/esig/samples/pki) and the TEST-ONLY operator keys next to the lists.
# Run from the repository root with esig installed:  trust_lists/build-test-lists.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PKI=src/esig/samples/pki/certs
ESIG="${ESIG:-.venv/bin/esig}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

op() { echo "trust_lists/$1/operator/operator.TEST-ONLY.cert.pem"; }
key() { echo "trust_lists/$1/operator/operator.TEST-ONLY.key.pem"; }

build_sign() {  # DESCRIPTION OUTPUT SIGNER-DIR CERT-ARGS...
    local desc="$1" out="$2" signer="$3"
    shift 3
    "$ESIG" tl build "$desc" "$@" -o "$TMP/unsigned.xml"
    "$ESIG" tl sign "$TMP/unsigned.xml" --key "$(key "$signer")" --cert "$(op "$signer")" -o "$out"
}

build_sign trust_lists/az/az-tl.toml trust_lists/az/az-tl.xml az \
    --cert "$PKI/az-root.der" --cert "$PKI/az-tsa.der" \
    --cert "$PKI/az-idcard-ca.der" --cert "$PKI/az-mobile-ca.der"
build_sign trust_lists/tr/tr-tl.toml trust_lists/tr/tr-tl.xml tr \
    --cert "$PKI/tr-root.der" --cert "$PKI/tr-nes-ca.der" \
    --cert "$PKI/tr-malimuhur-ca.der" --cert "$PKI/tr-tsa.der"
OPS=(--cert "az-operator=$(op az)" --cert "tr-operator=$(op tr)")
build_sign trust_lists/mra/eu-recognition.toml trust_lists/mra/eu-recognition.xml mra "${OPS[@]}"
build_sign trust_lists/mra/tr-recognition.toml trust_lists/mra/tr-recognition.xml tr "${OPS[@]}"
build_sign trust_lists/mra/az-recognition.toml trust_lists/mra/az-recognition.xml az "${OPS[@]}"
