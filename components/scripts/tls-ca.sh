#!/usr/bin/env bash
# The cluster's certificate authority, on one node: its private key is made there and never leaves it.
#   tls-ca.sh init <ca-dir> <common-name> <days>
#       Make the CA's key (RSA 3072, 0600 root) and self-signed certificate once; later runs keep them. Prints
#       the CA certificate (PEM) and nothing else on stdout. The step is kept on delete: an up after a destroy
#       signs with the same CA, so clients that trust it keep trusting the cluster.
#   tls-ca.sh sign <ca-dir> <days> <common-name> <ip-or-dns-name>...   (stdin: a certificate signing request)
#       Sign the request's key for exactly the names given (what the request itself asks for is ignored), as a
#       TLS server and client certificate; print the certificate (PEM).
set -euo pipefail
# @prelude
# @params
umask 077
command -v openssl >/dev/null || die "openssl is not installed"
case "$dir" in /*) ;; *) echo "tls-ca.sh: not an absolute path: $dir" >&2; exit 2 ;; esac
days_ok() { [[ "$1" =~ ^[1-9][0-9]{0,4}$ ]] || { echo "tls-ca.sh: days must be a whole number, not $1" >&2; exit 2; }; }
cn_ok() { [[ "$1" =~ ^[A-Za-z0-9_.\ -]{1,64}$ ]] || { echo "tls-ca.sh: unusable common name: $1" >&2; exit 2; }; }

case "$mode" in
  init)
    cn_ok "$cn"; days_ok "$days"
    install -d -m 0700 -- "$dir"
    if [ ! -s "$dir/ca.key" ] || [ ! -s "$dir/ca.crt" ]; then
      # Half a CA is never completed by guessing: the certificate may already be trusted elsewhere.
      if [ -e "$dir/ca.key" ] || [ -e "$dir/ca.crt" ]; then
        die "$dir holds only part of a CA (ca.key or ca.crt is missing or empty): restore it from a backup, or remove both to make a new CA"
      fi
      tmp=$(mktemp -d -- "$dir/.new.XXXXXX")
      openssl req -x509 -new -newkey rsa:3072 -nodes -sha256 -days "$days" -subj "/CN=$cn" \
        -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -keyout "$tmp/ca.key" -out "$tmp/ca.crt" 2>"$tmp/err" || { cat -- "$tmp/err" >&2; rm -rf -- "$tmp"; die "making the CA failed"; }
      chmod 0600 -- "$tmp/ca.key"; chmod 0644 -- "$tmp/ca.crt"
      mv -- "$tmp/ca.key" "$dir/ca.key"; mv -- "$tmp/ca.crt" "$dir/ca.crt"; rm -rf -- "$tmp"
      echo "tls-ca.sh: made the CA in $dir" >&2
    fi
    openssl x509 -in "$dir/ca.crt" -noout -checkend 0 >/dev/null || die "the CA certificate in $dir has expired"
    openssl x509 -in "$dir/ca.crt"
    ;;
  sign)
    days_ok "$days"; cn_ok "$cn"
    if [ ! -s "$dir/ca.key" ] || [ ! -s "$dir/ca.crt" ]; then die "no CA in $dir (tls-ca.sh init makes it)"; fi
    work=$(mktemp -d); trap 'rm -rf -- "$work"' EXIT
    cat >"$work/req.pem"
    openssl req -in "$work/req.pem" -noout -verify 2>/dev/null || die "stdin is not a signed certificate request"
    san=""
    for n in "$@"; do
      if [[ "$n" =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}$ ]]; then san+="IP:$n,"
      elif [[ "$n" =~ ^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$ ]]; then san+="DNS:$n,"
      else echo "tls-ca.sh: not an IPv4 address or DNS name: $n" >&2; exit 2; fi
    done
    printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=${san%,}" >"$work/ext"
    openssl x509 -req -in "$work/req.pem" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
      -sha256 -days "$days" -subj "/CN=$cn" -extfile "$work/ext" -out "$work/crt.pem" 2>"$work/err" \
      || { cat -- "$work/err" >&2; die "signing failed"; }
    openssl x509 -in "$work/crt.pem"
    ;;
esac
