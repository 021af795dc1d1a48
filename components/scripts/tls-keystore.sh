#!/usr/bin/env bash
# A service's PEM keystore from its node's TLS identity (tls-node.sh made the key here, the CA signed it): the node
# key, the node certificate and the CA certificate in one file, readable by the service's user alone. Written only
# when it differs. <cert-sha256> is the certificate the step was given (the SHA-256 of its DER form): the step
# re-runs when the certificate is re-signed, and refuses a node certificate that is not that one. Prints it.
# Usage: tls-keystore.sh pem <tls-dir> <dest> <owner> <cert-sha256>
set -euo pipefail
# @prelude
# @params
umask 077
case "$tls_dir" in /*) ;; *) die 2 "not an absolute path: $tls_dir" ;; esac
case "$dest" in /*) ;; *) die 2 "not an absolute path: $dest" ;; esac
id -u -- "$owner" >/dev/null 2>&1 || die 2 "no user $owner"
for f in node.key node.crt ca.crt; do [ -s "$tls_dir/$f" ] || die "no $f in $tls_dir (tls-node.sh makes it)"; done
have=$(openssl x509 -in "$tls_dir/node.crt" -outform DER | sha256sum | cut -d' ' -f1)
[ "$have" = "$cert_sha256" ] || die "the node certificate in $tls_dir is not the one this step was given (sha256 $have)"
install -d -m 0750 -o root -g "$(id -gn -- "$owner")" -- "$(dirname -- "$dest")"
work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT
cat -- "$tls_dir/node.key" "$tls_dir/node.crt" "$tls_dir/ca.crt" >"$work/keystore.pem"
if ! cmp -s -- "$work/keystore.pem" "$dest" || [ "$(stat -c '%a %U' -- "$dest")" != "600 $owner" ]; then
  install -m 0600 -o "$owner" -g root -- "$work/keystore.pem" "$dest"
  echo "tls-keystore.sh: wrote $dest ($format)" >&2
fi
echo "$have"
