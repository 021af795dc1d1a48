#!/usr/bin/env bash
# Download an artifact on the host, verify its checksum, and install it.
# Usage:
#   install-artifact.sh tarball <name> <version> <url> <sha512-or-empty> <checksum-url-or-empty> <conf-dir-or-empty> <conf-subdir>
#     unpacks to /opt/<name>/<version> (top-level dir stripped), points /opt/<name>/current at it, and replaces
#     its shipped <conf-subdir> by a link to <conf-dir> (shipped files copied there first, never overwriting).
#   install-artifact.sh jar <name> <version> <url> <sha512-or-empty> <checksum-url-or-empty> <dest-dir>
#     places the jar into <dest-dir>, and removes the jar this artifact put there before (an upgrade must not
#     leave both versions on the classpath).
# Idempotent: a completed install leaves a marker with its checksum; a rerun with the same checksum does nothing.
set -euo pipefail
# @prelude
# @params
cache=/var/cache/lakehouse-iac
install -d -m 0755 -- "$cache"
file="$cache/$(basename -- "$url")"

fetch_expected() {
  if [ -n "$sha512" ]; then echo "sha512 $sha512"; return; fi
  local sums
  sums=$(curl -fsSL --retry 3 --max-time 60 -- "$checksum_url") || { echo "install-artifact.sh: cannot fetch the checksum $checksum_url" >&2; return 1; }
  # GNU (hash  file) or BSD (SHA512 (file) = hash) style, or a bare hash; take the first long hex run.
  local h
  h=$(grep -oE -e '[0-9a-fA-F]{128}' <<<"$sums" | head -n1 || true)
  if [ -n "$h" ]; then echo "sha512 ${h,,}"; return; fi
  h=$(grep -oE -e '[0-9a-fA-F]{64}' <<<"$sums" | head -n1 || true)
  if [ -n "$h" ]; then echo "sha256 ${h,,}"; return; fi
  h=$(grep -oE -e '[0-9a-fA-F]{40}' <<<"$sums" | head -n1 || true)
  if [ -n "$h" ]; then echo "sha1 ${h,,}"; return; fi
  echo "install-artifact.sh: no checksum found at $checksum_url" >&2
  return 1
}

read -r algo expected < <(fetch_expected) || { echo "install-artifact.sh: no checksum for $url" >&2; exit 1; }
marker_for() { echo "$1/.lakehouse-iac-installed"; }

verify() { [ -f "$file" ] && [ "$("${algo}sum" -- "$file" | cut -d' ' -f1)" = "$expected" ]; }

download() {
  if verify; then return 0; fi
  echo "downloading $url"
  curl -fsSL --retry 3 --connect-timeout 20 -o "$file.part" -- "$url" || { echo "install-artifact.sh: downloading $url failed" >&2; exit 1; }
  mv -f -- "$file.part" "$file"
  if ! verify; then
    echo "install-artifact.sh: checksum mismatch for $url (expected $algo $expected, got $("${algo}sum" -- "$file" | cut -d' ' -f1))" >&2
    rm -f -- "$file"
    exit 1
  fi
}

case "$kind" in
  tarball)
    dest="/opt/$name/$version"
    if [ "$(cat -- "$(marker_for "$dest")" 2>/dev/null || true)" = "$algo $expected" ]; then
      echo "$name $version already installed"
    else
      download
      tmp=$(mktemp -d "/opt/.$name-$version.XXXXXX")
      tar -xzf "$file" -C "$tmp" --strip-components=1 --no-same-owner \
        || { rm -rf -- "$tmp"; echo "install-artifact.sh: unpacking $file failed" >&2; exit 1; }
      chmod 0755 -- "$tmp"
      rm -rf -- "$dest"
      install -d -m 0755 -- "/opt/$name"
      mv -- "$tmp" "$dest"
      echo "$algo $expected" >"$(marker_for "$dest")"
      echo "$name $version installed"
    fi
    if [ -n "$conf_dir" ] && [ ! -L "$dest/$conf_subdir" ]; then
      install -d -m 0755 -- "$conf_dir"
      if [ -d "$dest/$conf_subdir" ]; then cp -rn -- "$dest/$conf_subdir/." "$conf_dir/"; rm -rf -- "${dest:?}/$conf_subdir"; fi
      ln -s -- "$conf_dir" "$dest/$conf_subdir"
    fi
    ln -sfn -- "$dest" "/opt/$name/current.new"
    mv -Tf -- "/opt/$name/current.new" "/opt/$name/current"
    ;;
  jar)
    target="$dest_dir/$(basename -- "$url")"
    marks=/var/lib/lakehouse-iac/jars
    install -d -m 0755 -- "$marks"
    mark_of() { echo "$marks/$(tr '/' '_' <<<"$1")"; } # a path's install marker
    mark=$(mark_of "$target")
    if [ -f "$target" ] && [ "$(cat -- "$mark" 2>/dev/null || true)" = "$algo $expected" ]; then
      echo "$(basename -- "$target") already installed"
    else
      download
      install -m 0644 -- "$file" "$target"
      echo "$algo $expected" >"$mark"
      echo "$(basename -- "$target") installed"
    fi
    # The jar this artifact placed into this dir before, when it was another file: removed.
    owned="$(mark_of "$dest_dir")@$name.path"
    previous=$(cat -- "$owned" 2>/dev/null || true)
    if [ -n "$previous" ] && [ "$previous" != "$target" ] && [ "$(dirname -- "$previous")" = "$dest_dir" ] && [ -f "$previous" ]; then
      rm -f -- "$previous" "$(mark_of "$previous")"
      echo "removed $(basename -- "$previous")"
    fi
    printf '%s\n' "$target" >"$owned"
    ;;
  *) echo "install-artifact.sh: unknown artifact kind: $kind" >&2; exit 2 ;;
esac
