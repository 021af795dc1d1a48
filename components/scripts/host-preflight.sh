#!/usr/bin/env bash
# Read this host's facts and check them against what the plan puts here, before anything is installed or made:
# the OS release, systemd as the init system, memory against the services' heaps and process sizes, cores
# against the cores the plan promises (a Spark worker advertises them), and, for every data dir, the filesystem
# it will live on (the nearest existing directory): writable, and with at least <min-free-mib> free. Prints one
# line of facts; on a problem it fails naming the node, the fact and the config keys behind the need. Changes
# nothing on the host.
# Usage: host-preflight.sh <node> <supported-os> <memory-mib> <memory-detail> <cores> <cores-detail> \
#          <min-free-mib> [<key>=<dir>...]
#   <supported-os>: comma-separated ID:VERSION_ID pairs from /etc/os-release (debian:12,ubuntu:24.04);
#   <memory-mib>, <cores>: what the plan needs here; the details name the keys behind it (for the message).
set -euo pipefail
# @prelude
# @params
problems=()
problem() { problems+=("$1"); }

# OS release.
os_field() { sed -n "s/^$1=//p" /etc/os-release 2>/dev/null | tr -d '"' | head -n1; }
os_id=$(os_field ID)
os_version=$(os_field VERSION_ID)
os_id=${os_id:-unknown}
os_version=${os_version:-unknown}
supported=0
IFS=',' read -r -a oses <<<"$supported_os"
for o in "${oses[@]}"; do
  [ "$o" != "$os_id:$os_version" ] || supported=1
done
[ "$supported" = 1 ] || problem "os: $os_id $os_version is not a supported release ($supported_os)"

# systemd as the init system: every service here is a systemd unit.
init=$(cat /proc/1/comm 2>/dev/null || echo unknown)
if [ "$init" != systemd ] || [ ! -d /run/systemd/system ]; then
  problem "systemd: PID 1 is '$init', not systemd; every service runs as a systemd unit"
fi

# Memory and cores.
mem_kib=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
mem_mib=$((mem_kib / 1024))
if [ "$mem_mib" -lt "$memory_mib" ]; then
  problem "memory: the services planned here need ${memory_mib} MiB ($memory_detail), but the host has ${mem_mib} MiB"
fi
have_cores=$(nproc)
if [ "$have_cores" -lt "$cores" ]; then
  problem "cores: the plan promises ${cores} cores here ($cores_detail), but the host has ${have_cores}"
fi

# Data dirs: the filesystem each will be made on.
disk_facts=()
for spec in "$@"; do
  key=${spec%%=*}
  dir=${spec#*=}
  probe=$dir
  while [ ! -d "$probe" ]; do probe=$(dirname -- "$probe"); done
  free_mib=$(df -P -B1M -- "$probe" | awk 'NR == 2 { print $4 }')
  opts=$(findmnt -n -o OPTIONS --target "$probe" 2>/dev/null || echo unknown)
  disk_facts+=("$dir:${free_mib}MiB")
  if [[ ",$opts," == *,ro,* ]]; then
    problem "disk: $key ($dir) is on a read-only filesystem (at $probe)"
  elif [ "$free_mib" -lt "$min_free_mib" ]; then
    problem "disk: $key ($dir) has ${free_mib} MiB free (at $probe), below preflight.minFreeDiskMiB (${min_free_mib} MiB)"
  fi
done

jdks=$(find /usr/lib/jvm /opt -maxdepth 2 -name release -path '*j*' -printf '%h ' 2>/dev/null || true)
echo "preflight $node: os=$os_id:$os_version init=$init memory=${mem_mib}MiB (planned ${memory_mib}MiB) cores=$have_cores (planned $cores) dirs=[${disk_facts[*]:-}] jdks=[${jdks% }]"
if [ "${#problems[@]}" -gt 0 ]; then
  {
    echo "host-preflight.sh: $node does not fit what the plan puts on it (nothing was changed on it):"
    printf '  - %s\n' "${problems[@]}"
  } >&2
  exit 1
fi
