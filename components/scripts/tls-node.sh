#!/usr/bin/env bash
# A node's TLS identity: its private key is made on the node and never leaves it; the cluster CA signs it.
#   tls-node.sh csr <dir> <common-name>
#       Make the node's key (RSA 3072, <dir>/node.key, 0600 root) once; print a certificate signing request for
#       it (PEM; the same on every run: RSA PKCS#1 v1.5 signatures are deterministic).
#   tls-node.sh install <dir>   (stdin: the node's certificate, then the CA certificate, both PEM)
#       Check that the certificate is for this node's key and signed by that CA, then write <dir>/node.crt and
#       <dir>/ca.crt (0644) when they differ. Prints the certificate's SHA-256 fingerprint.
set -euo pipefail
# @prelude
# @params
command -v openssl >/dev/null || die "openssl is not installed"
case "$dir" in /*) ;; *) echo "tls-node.sh: not an absolute path: $dir" >&2; exit 2 ;; esac

case "$mode" in
  csr)
    [[ "$cn" =~ ^[A-Za-z0-9_.-]{1,64}$ ]] || { echo "tls-node.sh: unusable common name: $cn" >&2; exit 2; }
    install -d -m 0755 -- "$dir"
    if [ ! -s "$dir/node.key" ]; then
      tmp=$(umask 077 && mktemp -- "$dir/.node.key.XXXXXX")
      openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$tmp" 2>/dev/null || { rm -f -- "$tmp"; die "making the node key failed"; }
      chmod 0600 -- "$tmp"; mv -- "$tmp" "$dir/node.key"
      echo "tls-node.sh: made the node key" >&2
    fi
    openssl req -new -key "$dir/node.key" -subj "/CN=$cn" -sha256
    ;;
  install)
    [ -s "$dir/node.key" ] || die "no node key in $dir (tls-node.sh csr makes it)"
    work=$(mktemp -d); trap 'rm -rf -- "$work"' EXIT
    # The first PEM block is the node's certificate, the second the CA's.
    awk -v a="$work/node.crt" -v b="$work/ca.crt" '
      /-----BEGIN CERTIFICATE-----/ { n++ }
      n == 1 { print > a } n == 2 { print > b }
      /-----END CERTIFICATE-----/ && n >= 2 { exit }'
    if [ ! -s "$work/node.crt" ] || [ ! -s "$work/ca.crt" ]; then die "stdin must hold the node's certificate and then the CA certificate"; fi
    openssl verify -CAfile "$work/ca.crt" -- "$work/node.crt" >/dev/null 2>"$work/err" \
      || { cat -- "$work/err" >&2; die "the certificate is not signed by the CA given with it"; }
    [ "$(openssl x509 -in "$work/node.crt" -noout -pubkey)" = "$(openssl pkey -in "$dir/node.key" -pubout)" ] \
      || die "the certificate is not for this node's key"
    for f in node.crt ca.crt; do
      if ! cmp -s -- "$work/$f" "$dir/$f"; then install -m 0644 -- "$work/$f" "$dir/$f"; fi
    done
    openssl x509 -in "$dir/node.crt" -noout -fingerprint -sha256 | sed 's/^.*=//'
    ;;
esac
