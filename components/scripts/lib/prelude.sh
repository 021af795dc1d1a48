#!/usr/bin/env bash
# The prelude every host script gets at its `# @prelude` line when it is installed (lib/host-scripts.ts puts it
# in, with @SCRIPT@ replaced by the script's name). Functions only, and the error trap.
# --- prelude (components/scripts/lib/prelude.sh) ---
set -E # the ERR trap is inherited by functions: a failed step names its line and command (text, never values)
on_error() { local rc=$?; [ "$BASH_SUBSHELL" -gt 0 ] || echo "@SCRIPT@: failed (exit $rc) at line $1: $2" >&2; }
trap 'on_error "$LINENO" "$BASH_COMMAND"' ERR
# die [<exit-status>] <message>...: the message on stderr, prefixed by the script's name; status 1 by default.
die() {
  local rc=1
  if [[ "${1:-}" =~ ^[0-9]+$ ]]; then rc="$1"; shift; fi
  echo "@SCRIPT@: $*" >&2
  exit "$rc"
}
# pkg_installed <package>: the Debian package is installed.
pkg_installed() { dpkg-query -W -f='${Status}' -- "$1" 2>/dev/null | grep -q -e "install ok installed"; }
# managed_block <file> <begin-line> <end-line> <block>: prints <file> with the lines from <begin-line> to
# <end-line> replaced by <block> (which starts and ends with those lines), appended when absent; returns 1,
# printing nothing, when the file already holds exactly that block.
managed_block() {
  local file="$1" begin="$2" end="$3" block="$4"
  [ "$(sed -n "/^$begin\$/,/^$end\$/p" -- "$file")" != "$block" ] || return 1
  sed "/^$begin\$/,/^$end\$/d" -- "$file"
  printf '%s\n' "$block"
}
# hadoop_as <user> <java-home> <hadoop-home> <conf-dir> <command>...: a Hadoop tool run as <user> (with the
# ticket cache keytab_login made, if any).
hadoop_as() {
  local user="$1" java_home="$2" hadoop_home="$3" conf_dir="$4"; shift 4
  runuser -u "$user" -- env ${KRB5CCNAME:+KRB5CCNAME="$KRB5CCNAME"} JAVA_HOME="$java_home" HADOOP_HOME="$hadoop_home" HADOOP_CONF_DIR="$conf_dir" "$@"
}
# keytab_login <user> <keytab> <primary>: a ticket for <primary>/<this host> from <user>'s keytab, in a cache
# of <user>'s own that is removed when the script exits; exports KRB5CCNAME. "-" as keytab: no Kerberos.
keytab_login() {
  local user="$1" keytab="$2" primary="$3" principal
  [ "$keytab" != "-" ] || return 0
  principal=$(klist -k -- "$keytab" | awk -v p="$primary/" 'index($2, p) == 1 { print $2; exit }')
  [ -n "$principal" ] || die "no $primary principal in $keytab"
  KRB5CCNAME="FILE:$(runuser -u "$user" -- mktemp /tmp/krb5cc_lakehouse.XXXXXX)"
  export KRB5CCNAME
  trap 'rm -f -- "${KRB5CCNAME#FILE:}"' EXIT
  runuser -u "$user" -- env KRB5CCNAME="$KRB5CCNAME" kinit -k -t "$keytab" -- "$principal" || die "kinit as $principal failed"
}
# --- end of prelude ---
