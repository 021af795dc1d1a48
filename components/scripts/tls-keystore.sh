#!/usr/bin/env bash
# A service's PEM keystore from its node's TLS identity (tls-node.sh made the key here, the CA signed it): the node
# key, the node certificate and the CA certificate in one file, readable by the service's user alone. Written only
# when it differs. <cert-sha256> is the certificate the step was given (the SHA-256 of its DER form): the step
# re-runs when the certificate is re-signed, and refuses a node certificate that is not that one. Prints it.
# p12: the same, as a PKCS#12 keystore for a JVM that reads no PEM (Hadoop's HTTPS), under the password on stdin
# (one line; never on a command line: openssl reads it from a file descriptor). Rewritten only when the
# certificate changed (the step re-runs then) or the file is missing, or not the owner's, 0600.
# truststore: the CA certificate alone, as a PKCS#12 truststore a JVM trusts (made with the JDK's keytool at
# <java-home>: OpenSSL 3.0 cannot mark a certificate trusted for Java), under the password on stdin (keytool reads
# it from a file of this run's own, 0600, removed on exit). For clients that verify the cluster's certificates.
# cacerts: the same truststore, 0644 and root's, for every user's JVM clients; its password is public (it guards
# the file's integrity, not a secret: the file holds the CA certificate alone).
# Usage: tls-keystore.sh pem <tls-dir> <dest> <owner> <cert-sha256>
#        tls-keystore.sh p12 <tls-dir> <dest> <owner> <cert-sha256>   (stdin: the keystore password)
#        tls-keystore.sh truststore <tls-dir> <dest> <owner> <cert-sha256> <java-home>   (stdin: its password)
#        tls-keystore.sh cacerts <tls-dir> <dest> root <cert-sha256> <java-home>   (stdin: its public password)
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
if [ "$format" = cacerts ]; then
  [ "$owner" = root ] || die 2 "cacerts: the owner is root (the store is every user's to read), not $owner"
  install -d -m 0755 -- "$(dirname -- "$dest")"
else
  install -d -m 0750 -o root -g "$(id -gn -- "$owner")" -- "$(dirname -- "$dest")"
fi
work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT
case "$format" in
  pem)
    cat -- "$tls_dir/node.key" "$tls_dir/node.crt" "$tls_dir/ca.crt" >"$work/keystore.pem"
    if ! cmp -s -- "$work/keystore.pem" "$dest" || [ "$(stat -c '%a %U' -- "$dest" 2>/dev/null)" != "600 $owner" ]; then
      install -m 0600 -o "$owner" -g root -- "$work/keystore.pem" "$dest"
      echo "tls-keystore.sh: wrote $dest ($format)" >&2
    fi ;;
  p12)
    IFS= read -r pw || die "stdin: expected the keystore password"
    [ -n "$pw" ] || die "stdin: the keystore password must not be empty"
    # Rebuilt on every run of the step: it runs when the certificate or the password changed.
    printf '%s\n' "$pw" | openssl pkcs12 -export -name node -inkey "$tls_dir/node.key" -in "$tls_dir/node.crt" \
      -certfile "$tls_dir/ca.crt" -out "$work/keystore.p12" -passout fd:0
    # The check a JVM would make: the keystore opens with that password and holds the node certificate.
    printf '%s\n' "$pw" | openssl pkcs12 -in "$work/keystore.p12" -passin fd:0 -nokeys -clcerts 2>/dev/null \
      | openssl x509 -outform DER | sha256sum | grep -q -e "^$have " || die "the new keystore does not open with its password"
    install -m 0600 -o "$owner" -g root -- "$work/keystore.p12" "$dest"
    echo "tls-keystore.sh: wrote $dest ($format)" >&2 ;;
  truststore | cacerts)
    IFS= read -r pw || die "stdin: expected the truststore password"
    [ "${#pw}" -ge 6 ] || die "stdin: the truststore password must have at least 6 characters (keytool's rule)"
    [ -x "$java_home/bin/keytool" ] || die 2 "no keytool in $java_home/bin"
    printf '%s\n' "$pw" >"$work/pw"
    unset pw
    "$java_home/bin/keytool" -importcert -noprompt -alias lakehouse-ca -file "$tls_dir/ca.crt" -keystore "$work/trust.p12" \
      -storetype PKCS12 -storepass:file "$work/pw" >/dev/null 2>"$work/err" || die "keytool: $(tail -n 3 -- "$work/err")"
    # The check a JVM would make: the CA is a trusted entry of the store, under that password.
    "$java_home/bin/keytool" -list -keystore "$work/trust.p12" -storetype PKCS12 -storepass:file "$work/pw" 2>/dev/null \
      | grep -q -e "^lakehouse-ca, .*trustedCertEntry" || die "the new truststore does not hold the CA as a trusted entry"
    if [ "$format" = cacerts ]; then
      install -m 0644 -o root -g root -- "$work/trust.p12" "$dest"
    else
      install -m 0600 -o "$owner" -g root -- "$work/trust.p12" "$dest"
    fi
    echo "tls-keystore.sh: wrote $dest ($format)" >&2 ;;
esac
echo "$have"
