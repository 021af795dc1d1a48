#!/usr/bin/env bash
# Each service user's keytab on this node, holding that user's principals here, made on this node through
# kadmin (the admin principal's password on stdin): a keytab never leaves the node it is made on.
# Each entry is <user>:<principal>[,<principal>...]. A keytab that exists, is <user>'s with mode 0400 and logs
# every one of its principals in (kinit -k, into a throwaway cache) is kept: a re-run changes nothing. Otherwise
# the missing principals are added (random keys) and a new keytab is extracted (kadmin's ktadd gives each of
# its principals a new key, so an older copy of the keytab stops working) and checked the same way.
# Usage: kerberos-keytabs.sh <realm> <admin-principal> <dir> <entry>...
set -euo pipefail
# @prelude
# @params
IFS= read -r admin || die "stdin: expected the admin password"
[ -n "$admin" ] || die "stdin: the admin password must not be empty"
install -d -m 0755 -- "$dir"
work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT

# kadmin with the admin password on stdin; its exit status says whether it could log in, not whether the
# query worked, so callers check what they asked for.
kadm() { printf '%s\n' "$admin" | kadmin -r "$realm" -p "$admin_principal@$realm" -q "$1" 2>&1; }
# <keytab> <principal>: the keytab logs the principal in.
logs_in() { KRB5CCNAME="FILE:$work/cc" kinit -k -t "$1" -- "$2" >/dev/null 2>&1; }

changed=()
for e in "$@"; do
  user=${e%%:*}
  list=${e#*:}
  if [ -z "$user" ] || [ "$user" = "$e" ] || [ -z "$list" ]; then die 2 "bad entry (expected user:principal[,principal]): $e"; fi
  id -u -- "$user" >/dev/null 2>&1 || die "user $user does not exist on this node"
  IFS=, read -r -a principals <<<"$list"
  keytab="$dir/$user.keytab"
  ok=1
  if [ -f "$keytab" ] && [ "$(stat -c '%U %a' -- "$keytab")" = "$user 400" ]; then
    for p in "${principals[@]}"; do logs_in "$keytab" "$p" || { ok=0; break; }; done
  else
    ok=0
  fi
  [ "$ok" = 1 ] && continue

  out=$(kadm "listprincs") || die "kadmin could not log in as $admin_principal@$realm: $(tail -n 1 <<<"$out")"
  fresh="$work/$user.keytab"
  for p in "${principals[@]}"; do
    if ! grep -qxF -- "$p" <<<"$out"; then
      res=$(kadm "addprinc -randkey $p") || true
      grep -q -e "created" <<<"$res" || die "could not add principal $p: $(tail -n 1 <<<"$res")"
    fi
    res=$(kadm "ktadd -k $fresh $p") || true
    grep -q -e "added to keytab" <<<"$res" || die "could not extract the key of $p: $(tail -n 1 <<<"$res")"
  done
  for p in "${principals[@]}"; do logs_in "$fresh" "$p" || die "the new keytab of $user does not log $p in"; done
  install -m 0400 -o "$user" -g root -- "$fresh" "$keytab"
  changed+=("$user")
done
if [ "${#changed[@]}" -eq 0 ]; then echo "keytabs unchanged"; else echo "keytabs made: ${changed[*]}"; fi
