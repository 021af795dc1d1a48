#!/usr/bin/env bash
# The realm's KDC database, created exactly once, and its admin principal with the configured password.
# stdin: line 1 the database's master key, line 2 the admin principal's password (never on a command line:
# kdb5_util and kadmin.local read both from stdin when they prompt).
#  - No database and no marker: create it (kdb5_util create -s: the stash file lets the KDC start unattended),
#    then record the marker outside the database directory.
#  - No database but a marker: refuse. The realm existed and is gone (a lost disk, a wrong kerberos.databaseDir);
#    a new one would silently invalidate every keytab. Restore the directory from backup, or remove the marker
#    to start a new realm on purpose.
#  - A database: keep it. The admin principal is added when missing, and its password set to the given one
#    (this step re-runs only when an input changes: the password, the realm, the directory).
# Debian's units (krb5-kdc, krb5-admin-server) are started by the service steps after this one.
# Usage: kerberos-kdc.sh <realm> <admin-principal> <database-dir>
set -euo pipefail
# @prelude
# @params
IFS= read -r master || die "stdin: expected the master key on line 1"
IFS= read -r admin || die "stdin: expected the admin password on line 2"
if [ -z "$master" ] || [ -z "$admin" ]; then die "stdin: the master key and the admin password must not be empty"; fi

marks=/var/lib/lakehouse-iac/kerberos
install -d -m 0700 -- "$marks" "$db_dir"
marker="$marks/$realm.created"
if [ ! -e "$db_dir/principal" ]; then
  if [ -e "$marker" ]; then
    die "the database of realm $realm was created before ($(cat -- "$marker")) but $db_dir/principal is gone: refusing to create a new realm over it. Restore $db_dir from backup, or remove $marker to start a new realm (every keytab is then made anew)."
  fi
  printf '%s\n%s\n' "$master" "$master" | kdb5_util -r "$realm" create -s >/dev/null
  printf 'created %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$marker"
  echo "realm $realm: database created in $db_dir"
else
  echo "realm $realm: database kept ($db_dir)"
fi

if kadmin.local -r "$realm" -q "getprinc -terse $admin_principal" 2>/dev/null | grep -q -e "^\"\?$admin_principal@$realm"; then
  printf '%s\n%s\n' "$admin" "$admin" | kadmin.local -r "$realm" -q "cpw $admin_principal" >/dev/null
  echo "admin principal $admin_principal@$realm: password set"
else
  printf '%s\n%s\n' "$admin" "$admin" | kadmin.local -r "$realm" -q "addprinc $admin_principal" >/dev/null
  echo "admin principal $admin_principal@$realm: created"
fi
# The check the steps above cannot give (kadmin.local exits 0 when its query fails): the principal is there.
kadmin.local -r "$realm" -q "getprinc -terse $admin_principal" 2>/dev/null | grep -q -e "$admin_principal@$realm" \
  || die "admin principal $admin_principal@$realm is missing after setting it up"
