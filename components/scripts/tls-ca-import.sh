#!/usr/bin/env bash
# The user's own certificate authority (tls.caCertificate, with its key as the secret tlsCaKey), installed on the
# CA's node instead of one tls-ca.sh makes: afterwards tls-ca.sh sign signs with it as with a made one.
#   tls-ca-import.sh <ca-dir>   (stdin: the CA's private key, then its certificate, both PEM)
# Checks that the certificate is a CA's, valid now, and that the key is its own; installs both (key 0600 root).
# A run with the same pair changes nothing. A different CA already in <ca-dir> (the one the stack made, or an
# earlier one) is moved aside into <ca-dir>/replaced-<UTC time>/, never deleted. Prints the CA certificate (PEM)
# and nothing else on stdout; the key is never printed.
set -euo pipefail
# @prelude
# @params
umask 077
command -v openssl >/dev/null || die "openssl is not installed"
case "$dir" in /*) ;; *) die 2 "not an absolute path: $dir" ;; esac
install -d -m 0700 -- "$dir"
tmp=$(mktemp -d -- "$dir/.import.XXXXXX"); trap 'rm -rf -- "$tmp"' EXIT
cat >"$tmp/in.pem"
# Split stdin: the private key's block, then the certificate's (nothing of it is printed).
awk -v key="$tmp/ca.key" -v crt="$tmp/ca.crt" '
  /^-----BEGIN .*PRIVATE KEY-----$/ { out = key } /^-----BEGIN CERTIFICATE-----$/ { out = crt }
  out { print > out } /^-----END / { out = "" }' "$tmp/in.pem"
rm -f -- "$tmp/in.pem"
[ -s "$tmp/ca.key" ] || die "stdin: expected the CA's private key (PEM) first"
[ -s "$tmp/ca.crt" ] || die "stdin: expected the CA's certificate (PEM) after its key"
openssl x509 -in "$tmp/ca.crt" -noout 2>/dev/null || die "tls.caCertificate is not a PEM certificate"
openssl pkey -in "$tmp/ca.key" -noout -passin pass: 2>/dev/null || die "tlsCaKey is not an unencrypted PEM private key"
openssl x509 -in "$tmp/ca.crt" -noout -ext basicConstraints 2>/dev/null | grep -q 'CA:TRUE' \
  || die "tls.caCertificate is not a CA certificate (basicConstraints CA:TRUE)"
openssl x509 -in "$tmp/ca.crt" -noout -checkend 0 >/dev/null || die "tls.caCertificate has expired"
[ "$(openssl x509 -in "$tmp/ca.crt" -noout -pubkey | sha256sum)" = "$(openssl pkey -in "$tmp/ca.key" -pubout | sha256sum)" ] \
  || die "tlsCaKey is not the key of tls.caCertificate"
chmod 0600 -- "$tmp/ca.key"; chmod 0644 -- "$tmp/ca.crt"
if [ -e "$dir/ca.key" ] || [ -e "$dir/ca.crt" ]; then
  if cmp -s -- "$tmp/ca.key" "$dir/ca.key" && cmp -s -- "$tmp/ca.crt" "$dir/ca.crt"; then
    openssl x509 -in "$dir/ca.crt"
    exit 0
  fi
  aside="$dir/replaced-$(date -u +%Y%m%dT%H%M%SZ)"
  install -d -m 0700 -- "$aside"
  for f in ca.key ca.crt ca.srl; do
    if [ -e "$dir/$f" ]; then mv -- "$dir/$f" "$aside/$f"; fi
  done
  echo "tls-ca-import.sh: moved the CA that was in $dir to $aside" >&2
fi
mv -- "$tmp/ca.key" "$dir/ca.key"; mv -- "$tmp/ca.crt" "$dir/ca.crt"
echo "tls-ca-import.sh: installed the given CA in $dir" >&2
openssl x509 -in "$dir/ca.crt"
