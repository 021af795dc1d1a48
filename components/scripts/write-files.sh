#!/usr/bin/env bash
# Write a set of files read from stdin, atomically, only where the content differs.
# stdin: one line per file: <path>\t<mode>\t<owner>\t<group>\t<base64 content>
# Secret-bearing files travel this way so that their content is never on a command line.
# Prints the paths it changed (never their content); runs `systemctl daemon-reload` when a unit changed.
set -euo pipefail
changed=0
units=0
while IFS=$'\t' read -r path mode owner group b64; do
  [ -n "$path" ] || continue
  case "$path" in /*) ;; *) echo "refusing relative path: $path" >&2; exit 2 ;; esac
  dir=$(dirname "$path")
  [ -d "$dir" ] || install -d -m 0755 "$dir"
  tmp=$(mktemp "$dir/.lakehouse-iac.XXXXXX")
  # Tighten the mode before any content lands in the file.
  chmod "$mode" "$tmp"
  base64 -d >"$tmp" <<<"$b64"
  chown "$owner:$group" "$tmp"
  if [ -f "$path" ] && cmp -s "$tmp" "$path" \
     && [ "$(stat -c '%a %U %G' "$path")" = "$(stat -c '%a %U %G' "$tmp")" ]; then
    rm -f "$tmp"
  else
    mv -f "$tmp" "$path"
    echo "changed $path"
    changed=$((changed + 1))
    case "$path" in /etc/systemd/system/*) units=$((units + 1)) ;; esac
  fi
done
if [ "$units" -gt 0 ]; then systemctl daemon-reload; fi
echo "files changed: $changed"
