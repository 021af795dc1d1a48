#!/usr/bin/env bash
# A lab of real Debian hosts on this machine, for testing lakehouse-iac against sshd, systemd, apt and
# PostgreSQL with separate filesystems and addresses.
#
#   bash lab/lab.sh up [--nodes N]   build (or reuse) the base rootfs, start N hosts (default 3)
#   bash lab/lab.sh down             stop and remove everything `up` made (keeps the cached base)
#   bash lab/lab.sh status           each host, its address, whether it runs and answers SSH
#   bash lab/lab.sh ssh <index> [command...]
#   bash lab/lab.sh stop <index>     stop one host (disk and address stay); `up` starts it again
#
# Each host: its own network namespace (veth on bridge labbr0, 10.77.0.1/24, hosts .11, .12, ...), an overlayfs
# over one cached debootstrap rootfs, its own SSH host keys, and systemd booted by systemd-nspawn. Hosts reach
# nothing but the bridge address: apt goes through apt-cacher-ng there. Needs root.
set -euo pipefail

STATE=${LAKEHOUSE_LAB_STATE:-/var/lib/lakehouse-lab}
CACHE=${LAKEHOUSE_LAB_CACHE:-/var/cache/lakehouse-lab}
BASE="$CACHE/base-bookworm"
BRIDGE=labbr0
PREFIX=10.77.0
GATEWAY="$PREFIX.1"
PROXY_PORT=3142
MIRROR_WWW=${LAKEHOUSE_MIRROR:-/var/cache/lakehouse-mirror}/www
MIRROR_PORT=8099
NAMES=(cpu-node1 cpu-node2 worker-node3 worker-node4 worker-node5 worker-node6)

log() { printf '[lab %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

[ "$(id -u)" = 0 ] || die "needs root (network namespaces, mounts, systemd-nspawn)"

# The machine's own Debian mirrors, from the active lines of its apt sources (deb822 `URIs:` or one-line
# `deb`; commented lines such as a snapshot.debian.org alternative are not sources).
apt_source_urls() {
  grep -hE '^[[:space:]]*(URIs:|deb)[[:space:]]' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list 2>/dev/null \
    | grep -oE 'https?://[^ ]+' || true
}
mirror() {
  local m
  m=$(apt_source_urls | grep -E '/debian/?$' | head -n1 || true)
  echo "${m:-http://deb.debian.org/debian}"
}
security_mirror() {
  local m
  m=$(apt_source_urls | grep -E '/debian-security/?$' | head -n1 || true)
  echo "${m:-http://deb.debian.org/debian-security}"
}

# A host's apt configuration, written into its root at every boot (the cached base may be older than this):
# the mirrors above through the lab's proxy, and time limits, so a stalled transfer fails and is retried
# instead of holding apt (and the step that runs it) for ever.
write_apt_config() {
  local root="$1" m sec
  m=$(mirror)
  sec=$(security_mirror)
  printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb %s bookworm-security main\n' "$m" "$m" "$sec" >"$root/etc/apt/sources.list"
  echo "Acquire::http::Proxy \"http://$GATEWAY:$PROXY_PORT\";" >"$root/etc/apt/apt.conf.d/01lab-proxy"
  echo 'APT::Install-Recommends "false";' >"$root/etc/apt/apt.conf.d/02lab-no-recommends"
  printf 'Acquire::http::Timeout "30";\nAcquire::Retries "3";\n' >"$root/etc/apt/apt.conf.d/03lab-timeouts"
}

ensure_packages() {
  local missing=() p
  for p in debootstrap systemd-container apt-cacher-ng iproute2 openssh-client; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    local t0
    t0=$(now)
    log "installing ${missing[*]} ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    log "installed in $(since "$t0")s"
  fi
}

build_base() {
  if [ -f "$BASE/.lab-base-complete" ]; then return 0; fi
  local t0 tmp m
  t0=$(now)
  m=$(mirror)
  install -d -m 0755 "$CACHE"
  tmp=$(mktemp -d "$CACHE/.base-build.XXXXXX")
  log "building the base rootfs from $m with debootstrap (once, a few minutes; cached in $BASE) ..."
  debootstrap --variant=minbase \
    --include=systemd,systemd-sysv,dbus,openssh-server,iproute2,python3,sudo,procps,ca-certificates,curl,iputils-ping,less \
    bookworm "$tmp" "$m" >"$CACHE/debootstrap.log" 2>&1 || { tail -n 20 "$CACHE/debootstrap.log" >&2; rm -rf "$tmp"; die "debootstrap failed"; }
  # Every host generates its own SSH host keys.
  rm -f "$tmp"/etc/ssh/ssh_host_*
  # Nothing on a console: no getty on the container's console, nothing that waits for a network manager.
  local u
  for u in console-getty.service getty@tty1.service getty@.service serial-getty@.service systemd-networkd-wait-online.service \
           systemd-timesyncd.service apt-daily.timer apt-daily-upgrade.timer e2scrub_reap.service; do
    ln -sf /dev/null "$tmp/etc/systemd/system/$u"
  done
  # apt's sources and proxy are written into each host at boot (write_apt_config in start_host).
  rm -rf "$tmp"/var/lib/apt/lists/*
  install -d -m 0700 "$tmp/root/.ssh"
  : >"$tmp/etc/machine-id"
  touch "$tmp/.lab-base-complete"
  rm -rf "$BASE"
  mv "$tmp" "$BASE"
  log "base rootfs ready in $(since "$t0")s"
}

# An https:// mirror URL as the target of a CONNECT request ("host:port", port 443 unless the URL names one),
# as an extended regular expression (a host name or address has no other special character than . [ ]).
connect_target() {
  local hp=${1#*://}
  hp=${hp%%/*}
  hp=${hp##*@}
  case "$hp" in *\]) hp="$hp:443" ;; *:*) ;; *) hp="$hp:443" ;; esac
  hp=${hp//./\\.}
  hp=${hp//[/\\[}
  printf '%s\n' "${hp//]/\\]}"
}

# apt-cacher-ng's configuration (stdout) for the mirrors $1 (Debian) and $2 (Debian security).
#
# The lab's hosts reach nothing but the bridge, and through this proxy only these two mirrors, the ones
# build_base writes into their sources.list (apt there uses this proxy for http and, by apt's defaults, https):
#  - http:// sources are proxied requests that apt-cacher-ng serves itself. ForceManaged ("only requests to
#    URL matched in some Remap-... config is allowed", manual 4.3.2) limits them to the two Remap- lines,
#    which name the mirrors explicitly (deb_mirror*.gz is apt-cacher-ng's list of Debian mirror names) and
#    whose only backends are the two mirrors (backends_*: or apt-cacher-ng tries others and answers 503).
#    RedirMax 5 keeps apt-cacher-ng following a mirror's own redirects, as it did before ForceManaged
#    (whose default is 0); a host cannot pick the URL, so this opens nothing.
#  - https:// sources cannot be proxied that way: apt opens a CONNECT tunnel, which PassThroughPattern allows.
#    It used to be `.*`, a tunnel from any lab host to any host and port; now it is anchored to the https
#    mirrors' host:port, and with http:// mirrors (Debian's default) it is `^$`, which no CONNECT target
#    (never empty) matches: no tunnel at all. (Leaving the line out would mean apt-cacher-ng's default,
#    bugs.debian.org and changelogs.ubuntu.com; an empty value risks a regex that matches everything.)
acng_conf() {
  local m="$1" sec="$2" u pass='^$' targets=()
  for u in "$m" "$sec"; do
    if [[ "$u" == https://* ]]; then targets+=("$(connect_target "$u")"); fi
  done
  if [ "${#targets[@]}" -gt 0 ]; then
    pass="^($(printf '%s\n' "${targets[@]}" | sort -u | paste -sd'|' -))\$"
  fi
  cat <<EOF
CacheDir: $CACHE/acng
LogDir: $STATE/acng-log
Port: $PROXY_PORT
BindAddress: $GATEWAY
Remap-debrep: file:deb_mirror*.gz /debian ${m#*://} ; file:backends_debian
Remap-secdeb: security.debian.org security.debian.org/debian-security deb.debian.org/debian-security ${sec#*://} ; file:backends_debian_security
ForceManaged: 1
RedirMax: 5
ReportPage: acng-report.html
ExThreshold: 4
PassThroughPattern: $pass
EOF
}

start_proxy() {
  local conf="$STATE/acng" m sec pid
  if [ -f "$STATE/acng.pid" ] && kill -0 "$(cat "$STATE/acng.pid")" 2>/dev/null; then return 0; fi
  m=$(mirror)
  sec=$(security_mirror)
  install -d -m 0755 "$conf" "$CACHE/acng"
  chown -R apt-cacher-ng: "$CACHE/acng" 2>/dev/null || true
  # Backends: only the machine's own mirror, or apt-cacher-ng tries others and answers 503.
  echo "$m/" >"$conf/backends_debian"
  echo "$sec/" >"$conf/backends_debian_security"
  acng_conf "$m" "$sec" >"$conf/acng.conf"
  install -d -m 0755 "$STATE/acng-log"
  chown -R apt-cacher-ng: "$STATE/acng-log" "$CACHE/acng" 2>/dev/null || true
  setsid /usr/sbin/apt-cacher-ng -c "$conf" ForeGround=1 >"$STATE/acng.out" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$STATE/acng.pid"
  local i
  for i in $(seq 1 50); do
    if (exec 3<>"/dev/tcp/$GATEWAY/$PROXY_PORT") 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { cat "$STATE/acng.out" >&2; die "apt-cacher-ng exited"; }
    sleep 0.1
    [ "$i" -lt 50 ] || die "apt-cacher-ng does not listen on $GATEWAY:$PROXY_PORT"
  done
}

start_mirror() {
  # The artifact mirror (lab/mirror.sh), when built, served read-only on the bridge address.
  [ -f "$MIRROR_WWW/artifacts.json" ] || return 0
  if [ -f "$STATE/mirror.pid" ] && kill -0 "$(cat "$STATE/mirror.pid")" 2>/dev/null; then return 0; fi
  setsid python3 -m http.server "$MIRROR_PORT" --bind "$GATEWAY" --directory "$MIRROR_WWW" >"$STATE/mirror.log" 2>&1 </dev/null &
  echo "$!" >"$STATE/mirror.pid"
  local i
  for i in $(seq 1 50); do
    if (exec 3<>"/dev/tcp/$GATEWAY/$MIRROR_PORT") 2>/dev/null; then return 0; fi
    sleep 0.1
    [ "$i" -lt 50 ] || die "the artifact mirror does not listen on $GATEWAY:$MIRROR_PORT"
  done
}

setup_bridge() {
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    ip addr add "$GATEWAY/24" dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up
}

host_dir() { echo "$STATE/hosts/$1"; }

start_host() {
  local i="$1" name="${NAMES[$1]}" ns="lab-${NAMES[$1]}" addr="$PREFIX.$((11 + $1))" veth="lvh$1"
  local dir merged pid
  dir=$(host_dir "$name")
  merged="$dir/merged"
  if [ -f "$dir/nspawn.pid" ] && kill -0 "$(cat "$dir/nspawn.pid")" 2>/dev/null; then return 0; fi
  install -d -m 0755 "$dir/upper" "$dir/work" "$merged"
  mountpoint -q "$merged" || mount -t overlay overlay -o "lowerdir=$BASE,upperdir=$dir/upper,workdir=$dir/work" "$merged"

  # Network: a namespace with one veth on the bridge and no route beyond the lab's /24.
  # grep without -q reads all its input: with pipefail, an early exit of `grep -q` can kill the writer (SIGPIPE) and
  # make the pipeline fail although it matched (a restarted host then failed with "Address already assigned").
  ip netns list | grep -x -e "$ns" -e "$ns .*" >/dev/null || ip netns add "$ns"
  if ! ip link show "$veth" >/dev/null 2>&1; then
    ip link add "$veth" type veth peer name eth0 netns "$ns"
  fi
  ip link set "$veth" master "$BRIDGE" up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr show dev eth0 | grep -F -- "inet $addr/24 " >/dev/null || ip -n "$ns" addr add "$addr/24" dev eth0
  ip -n "$ns" link set eth0 up

  write_apt_config "$merged"
  # Identity: hostname, /etc/hosts, own host keys, the lab's key for root.
  echo "$name" >"$merged/etc/hostname"
  printf '127.0.0.1 localhost\n%s %s\n' "$addr" "$name" >"$merged/etc/hosts"
  [ -f "$merged/etc/ssh/ssh_host_ed25519_key" ] || chroot "$merged" ssh-keygen -A >/dev/null
  install -d -m 0700 "$merged/root/.ssh"
  install -m 0600 "$STATE/id_ed25519.pub" "$merged/root/.ssh/authorized_keys"

  setsid systemd-nspawn --register=no --keep-unit --quiet --console=passive --link-journal=no \
    -D "$merged" -M "$name" --network-namespace-path="/run/netns/$ns" -b \
    >"$dir/nspawn.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$dir/nspawn.pid"
  echo "$i" >"$dir/index"
}

lab_ssh() {
  ssh -i "$STATE/id_ed25519" -o BatchMode=yes -o StrictHostKeyChecking=yes -o "UserKnownHostsFile=$STATE/known_hosts" \
    -o ConnectTimeout=3 -o LogLevel=ERROR "$@"
}

wait_ssh() {
  local name="$1" addr="$2" deadline=$((SECONDS + 60))
  until lab_ssh "root@$addr" true 2>/dev/null; do
    kill -0 "$(cat "$(host_dir "$name")/nspawn.pid")" 2>/dev/null || { tail -n 20 "$(host_dir "$name")/nspawn.log" >&2; die "$name: systemd-nspawn exited"; }
    [ "$SECONDS" -lt "$deadline" ] || die "$name: no SSH after 60s"
    sleep 0.3
  done
}

write_lab_json() {
  local n="$1" i name addr key first=1
  {
    local mirror=null
    [ -f "$STATE/mirror.pid" ] && mirror="\"http://$GATEWAY:$MIRROR_PORT\""
    printf '{\n  "bridge": "%s",\n  "aptProxy": "http://%s:%s",\n  "mirror": %s,\n  "privateKeyPath": "%s",\n  "knownHosts": "%s",\n  "nodes": [\n' \
      "$GATEWAY" "$GATEWAY" "$PROXY_PORT" "$mirror" "$STATE/id_ed25519" "$STATE/known_hosts"
    for ((i = 0; i < n; i++)); do
      name=${NAMES[$i]}
      addr="$PREFIX.$((11 + i))"
      key=$(cut -d' ' -f1,2 "$(host_dir "$name")/merged/etc/ssh/ssh_host_ed25519_key.pub")
      [ "$first" = 1 ] || printf ',\n'
      first=0
      printf '    { "name": "%s", "host": "%s", "port": 22, "user": "root", "hostKey": "%s", "nspawnPid": %s }' \
        "$name" "$addr" "$key" "$(cat "$(host_dir "$name")/nspawn.pid")"
    done
    printf '\n  ]\n}\n'
  } >"$STATE/lab.json.tmp"
  mv "$STATE/lab.json.tmp" "$STATE/lab.json"
}

cmd_up() {
  local n=3
  while [ "$#" -gt 0 ]; do
    case "$1" in
      --nodes) n="$2"; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  [[ "$n" =~ ^[1-6]$ ]] || die "--nodes takes 1 to 6"
  local t0 t
  t0=$(now)
  ensure_packages
  install -d -m 0755 "$STATE" "$STATE/hosts"
  [ -f "$STATE/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C lakehouse-lab -f "$STATE/id_ed25519"
  t=$(now); build_base; local t_base; t_base=$(since "$t")
  t=$(now); setup_bridge; start_proxy; start_mirror
  local i
  for ((i = 0; i < n; i++)); do start_host "$i"; done
  local t_start; t_start=$(since "$t")
  # Known hosts from the keys the hosts generated (read from their filesystems, not scanned).
  : >"$STATE/known_hosts.tmp"
  for ((i = 0; i < n; i++)); do
    printf '%s %s\n' "$PREFIX.$((11 + i))" "$(cut -d' ' -f1,2 "$(host_dir "${NAMES[$i]}")/merged/etc/ssh/ssh_host_ed25519_key.pub")" >>"$STATE/known_hosts.tmp"
  done
  mv "$STATE/known_hosts.tmp" "$STATE/known_hosts"
  t=$(now)
  log "booting $n hosts; waiting for SSH ..."
  for ((i = 0; i < n; i++)); do wait_ssh "${NAMES[$i]}" "$PREFIX.$((11 + i))"; done
  local t_ssh; t_ssh=$(since "$t")
  echo "$n" >"$STATE/nodes"
  write_lab_json "$n"
  log "lab up: $n hosts; base ${t_base}s, network+boot ${t_start}s, SSH ready ${t_ssh}s, total $(since "$t0")s"
  log "description: $STATE/lab.json"
}

stop_pid() {
  local pid="$1" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  log "pid $pid did not stop in 20s: killing"
  kill -KILL "$pid" 2>/dev/null || true
}

cmd_down() {
  local dir name i t0
  t0=$(now)
  if [ -d "$STATE/hosts" ]; then
    log "stopping the hosts ..."
    for dir in "$STATE"/hosts/*/; do
      [ -d "$dir" ] || continue
      name=$(basename "$dir")
      [ -f "$dir/nspawn.pid" ] && stop_pid "$(cat "$dir/nspawn.pid")"
      if mountpoint -q "$dir/merged"; then umount "$dir/merged" || umount -l "$dir/merged"; fi
      i=$(cat "$dir/index" 2>/dev/null || echo "")
      if [ -n "$i" ]; then ip link del "lvh$i" 2>/dev/null || true; fi
      ip netns del "lab-$name" 2>/dev/null || true
      rm -rf "$dir"
    done
  fi
  [ -f "$STATE/acng.pid" ] && stop_pid "$(cat "$STATE/acng.pid")"
  [ -f "$STATE/mirror.pid" ] && stop_pid "$(cat "$STATE/mirror.pid")"
  rm -f "$STATE/acng.pid" "$STATE/mirror.pid" "$STATE/lab.json" "$STATE/nodes"
  ip link del "$BRIDGE" 2>/dev/null || true
  log "lab down in $(since "$t0")s (the base rootfs stays cached in $BASE)"
}

cmd_status() {
  local n dir name addr pid alive sshok
  [ -f "$STATE/nodes" ] || { echo "no lab"; return 0; }
  n=$(cat "$STATE/nodes")
  printf '%-14s %-12s %-8s %s\n' HOST ADDRESS RUNNING SSH
  for ((i = 0; i < n; i++)); do
    name=${NAMES[$i]}
    addr="$PREFIX.$((11 + i))"
    dir=$(host_dir "$name")
    pid=$(cat "$dir/nspawn.pid" 2>/dev/null || echo 0)
    alive=no; kill -0 "$pid" 2>/dev/null && alive=yes
    sshok=no
    if lab_ssh "root@$addr" true 2>/dev/null; then sshok=yes; fi
    printf '%-14s %-12s %-8s %s\n' "$name" "$addr" "$alive" "$sshok"
  done
}

cmd_stop() {
  # Stop one host (as a power cut would: its disk, address and namespace stay); `up` starts it again.
  local dir
  dir=$(host_dir "${NAMES[$1]}")
  [ -f "$dir/nspawn.pid" ] || die "no host $1"
  stop_pid "$(cat "$dir/nspawn.pid")"
  log "${NAMES[$1]} stopped"
}

cmd_ssh() {
  local i="$1"; shift
  lab_ssh "root@$PREFIX.$((11 + i))" "$@"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) cmd_down ;;
  status) cmd_status ;;
  ssh) shift; cmd_ssh "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) echo "usage: $0 up [--nodes N] | down | status | ssh <index> [command] | stop <index>" >&2; exit 2 ;;
esac
