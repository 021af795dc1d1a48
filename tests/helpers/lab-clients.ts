/** Shell commands the lab suites run on a host as a client would: Flink's SQL client, a plain Thrift call. */
const JAVA17 = "/usr/lib/jvm/java-17-openjdk-amd64";

/** `sql-client.sh -f` as the flink user on a Flink node, with `sql` written to a file of its own (output and errors on stdout). */
export function flinkSqlCommand(sql: string, file = "/tmp/lab-flink.sql"): string {
  return [
    `echo ${Buffer.from(sql).toString("base64")} | base64 -d > ${file} && chmod 0644 ${file} && cd /tmp &&`,
    `runuser -u flink -- env JAVA_HOME=${JAVA17} FLINK_CONF_DIR=/etc/flink/conf HADOOP_CONF_DIR=/etc/hadoop/conf`,
    `HADOOP_CLASSPATH="$(JAVA_HOME=${JAVA17} /opt/hadoop/current/bin/hadoop classpath)"`,
    `/opt/flink/current/bin/sql-client.sh -f ${file} 2>&1`,
  ].join(" ");
}

/**
 * A plain Thrift call (get_all_databases, TBinaryProtocol, unframed, on a bare socket) to <host>:<port>; prints
 * `reply` when the metastore answers it, `no-reply` when it does not (a TLS or SASL endpoint reads it as garbage).
 */
export function plainThriftProbe(host: string, port = 9083): string {
  const probe = [
    "import socket, struct, sys",
    "name = b'get_all_databases'",
    "msg = struct.pack('>I', 0x80010001) + struct.pack('>I', len(name)) + name + struct.pack('>I', 0) + b'\\x00'",
    "s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10)",
    "s.sendall(msg)",
    "try:",
    "    data = s.recv(4096)",
    "except Exception:",
    "    data = b''",
    "print('reply' if data[:2] == b'\\x80\\x01' else 'no-reply')",
  ].join("\n");
  return `python3 -c "$(echo ${Buffer.from(probe).toString("base64")} | base64 -d)" ${host} ${port}`;
}

/**
 * A scan run on a host with the secrets on its stdin (never on a command line): how many process command lines
 * (as ps shows them) and journal lines hold any of them, and which files under `dirs` do. Prints
 * `cmdline=0 journal=0 files=none` when the host holds none of them in those places.
 */
export function hostSecretScan(dirs: readonly string[]): string {
  const scan = [
    "set -euo pipefail",
    'f=$(mktemp); trap \'rm -f "$f"\' EXIT; cat >"$f"',
    'cmd=$(for p in /proc/[0-9]*; do tr "\\0" " " <"$p/cmdline" 2>/dev/null || true; echo; done | grep -cFf "$f" || true)',
    'jr=$(journalctl --no-pager -o cat 2>/dev/null | grep -cFf "$f" || true)',
    `logs=$(grep -rlFf "$f" ${dirs.join(" ")} 2>/dev/null | grep -v -- "$f" | tr "\\n" " " || true)`,
    'echo "cmdline=$cmd journal=$jr files=${logs:-none}"',
  ].join("\n");
  return `bash -c '${scan.replace(/'/g, "'\\''")}'`;
}
export const HOST_SCAN_CLEAN = "cmdline=0 journal=0 files=none";
