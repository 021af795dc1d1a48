#!/usr/bin/env bash
# Converge a named set of files read from stdin: each written atomically, only where the content differs, and
# the files this set wrote last time but no longer holds removed (a Trino catalog switched off must stop
# loading). The set's paths are kept in /var/lib/lakehouse-iac/file-sets/<set-name>.list; a path that another
# set lists is never removed, and with no list yet (a host from before the lists) nothing is.
# Usage: write-files.sh <set-name>
# stdin: one line per file: <path>\t<mode>\t<owner>\t<group>\t<base64 content>
# Secret-bearing files travel this way so that their content is never on a command line.
# Prints the paths it changed or removed (never their content); runs `systemctl daemon-reload` when a unit did.
set -euo pipefail
# @prelude
# @params
if ! [[ "$set_name" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]]; then
  echo "write-files.sh: usage: write-files.sh <set-name> (letters, digits, . _ -)" >&2; exit 2
fi
sets=/var/lib/lakehouse-iac/file-sets
list="$sets/$set_name.list"
install -d -m 0755 -- "$sets"
changed=0
units=0
declare -A keep=()
# A step that fails half-way leaves no temporary copy behind (it may hold a secret).
tmp=""
trap '[ -z "$tmp" ] || rm -f -- "$tmp"' EXIT
n=0
while IFS=$'\t' read -r path mode owner group b64; do
  n=$((n + 1))
  [ -n "$path" ] || continue
  # A malformed line is reported by number only: quoting it could print (base64) content.
  if ! [[ "$mode" =~ ^[0-7]{3,4}$ ]] || [ -z "$owner" ] || [ -z "$group" ]; then
    echo "write-files.sh: stdin line $n is not <path> TAB <mode> TAB <owner> TAB <group> TAB <base64>" >&2; exit 2
  fi
  case "$path" in /*) ;; *) echo "write-files.sh: refusing relative path: $path" >&2; exit 2 ;; esac
  keep["$path"]=1
  dir=$(dirname -- "$path")
  [ -d "$dir" ] || install -d -m 0755 -- "$dir"
  tmp=$(mktemp "$dir/.lakehouse-iac.XXXXXX")
  # Tighten the mode before any content lands in the file.
  chmod -- "$mode" "$tmp"
  # base64 reads the content on stdin (a here-string: no command line); its errors never quote the input.
  base64 -d >"$tmp" <<<"$b64" || { echo "write-files.sh: the content of $path is not valid base64" >&2; exit 1; }
  chown -- "$owner:$group" "$tmp" || { echo "write-files.sh: cannot give $path to $owner:$group" >&2; exit 1; }
  if [ -f "$path" ] && cmp -s -- "$tmp" "$path" \
     && [ "$(stat -c '%a %U %G' -- "$path")" = "$(stat -c '%a %U %G' -- "$tmp")" ]; then
    rm -f -- "$tmp"; tmp=""
  else
    mv -f -- "$tmp" "$path"; tmp=""
    echo "changed $path"
    changed=$((changed + 1))
    case "$path" in /etc/systemd/system/*) units=$((units + 1)) ;; esac
  fi
done
# Files of the previous set that this one no longer holds, unless another set on this host holds them now.
previous=()
if [ -f "$list" ]; then mapfile -t previous <"$list"; fi
others=()
for other in "$sets"/*.list; do
  if [ -f "$other" ] && [ "$other" != "$list" ]; then others+=("$other"); fi
done
for old in "${previous[@]}"; do
  if [ -z "$old" ] || [ -n "${keep[$old]:-}" ]; then continue; fi
  if [ "${#others[@]}" -gt 0 ] && grep -qxF -e "$old" -- "${others[@]}"; then continue; fi
  if [ -f "$old" ] || [ -L "$old" ]; then
    rm -f -- "$old"
    echo "removed $old"
    changed=$((changed + 1))
    case "$old" in /etc/systemd/system/*) units=$((units + 1)) ;; esac
  fi
done
printf '%s\n' "${!keep[@]}" | LC_ALL=C sort >"$list.tmp"
mv -f -- "$list.tmp" "$list"
if [ "$units" -gt 0 ]; then systemctl daemon-reload; fi
echo "files changed: $changed"
