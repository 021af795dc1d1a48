#!/usr/bin/env bash
# Prepare a node: OS packages (base tools + JDKs), the service group and users, the HDFS admin group, local
# directories, limits.
# Usage: host-prep.sh <group> <packages,comma,separated> <users,comma,separated> <dir:owner:mode;...> \
#          <admin-group> <admin-user>
# The admin group (dfs.permissions.superusergroup) gets the admin user if that user lives on this node, and no
# one else from here: whom else an operator adds stays.
# Idempotent: installs only what is missing, creates only what is absent.
set -euo pipefail
# @prelude
# @params
state=/var/lib/lakehouse-iac
export DEBIAN_FRONTEND=noninteractive

missing=()
IFS=',' read -r -a pkgs <<<"$packages"
for p in "${pkgs[@]}"; do
  [ -n "$p" ] || continue
  pkg_installed "$p" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq || { echo "host-prep.sh: apt-get update failed" >&2; exit 1; }
  apt-get install -y -qq --no-install-recommends -- "${missing[@]}" >/dev/null \
    || { echo "host-prep.sh: installing ${missing[*]} failed" >&2; exit 1; }
fi

getent group -- "$group" >/dev/null || groupadd --system -- "$group"
IFS=',' read -r -a us <<<"$users"
for u in "${us[@]}"; do
  [ -n "$u" ] || continue
  if ! id -u -- "$u" >/dev/null 2>&1; then
    useradd --system --gid "$group" --home-dir "/var/lib/$u" --create-home --shell /usr/sbin/nologin -- "$u"
  fi
  id -nG -- "$u" | tr ' ' '\n' | grep -qx -- "$group" || usermod -a -G "$group" -- "$u"
done

getent group -- "$admin_group" >/dev/null || groupadd --system -- "$admin_group"
if id -u -- "$admin_user" >/dev/null 2>&1 && ! id -nG -- "$admin_user" | tr ' ' '\n' | grep -qx -- "$admin_group"; then
  usermod -a -G "$admin_group" -- "$admin_user"
fi

install -d -m 0755 -- "$state" "$state/units" /var/log/lakehouse
IFS=';' read -r -a ds <<<"$dirs"
for spec in "${ds[@]}"; do
  [ -n "$spec" ] || continue
  IFS=':' read -r path owner mode <<<"$spec"
  install -d -m "$mode" -o "$owner" -g "$group" -- "$path"
done

limits=/etc/security/limits.d/90-lakehouse.conf
want="# managed by lakehouse-iac
@$group soft nofile 131072
@$group hard nofile 131072
@$group soft nproc 65536
@$group hard nproc 65536"
if [ "$(cat "$limits" 2>/dev/null || true)" != "$want" ]; then printf '%s\n' "$want" >"$limits"; fi
echo "prepared: packages=${#pkgs[@]} users=${#us[@]} dirs=${#ds[@]}"
