/**
 * The directories on the hosts that no configured directory may be: the system's own, and those the program
 * itself manages. Host preparation (components/scripts/host-prep.sh) makes each configured directory with
 * `install -d -m <mode> -o <user>`, which re-owns and re-modes a directory that exists: given /etc or
 * /var/lib it would hand the whole tree's top to a service user with mode 0700, breaking the host or the
 * program's own files. Kept in one list so a host preflight can check the same directories on the hosts.
 */
import * as path from "path";
import { CONF_DIRS, JDK_ARTIFACT, OPT, STATE_DIR, TLS_DIRS } from "../model";
import { HOST_BIN } from "../shell";
import { logDirOf } from "../../config-templates/common";
import { HDFS_KEYSTORE } from "../../services/hdfs/files";
import { METASTORE_KEYSTORE } from "../../services/metastore/files";
import { FLINK_HIVE_CONF, FLINK_KEYSTORE } from "../../services/flink/files";
import { KDC_CONF_DIR } from "../../services/kerberos/files";
import type { Parsed } from "./schema";

/** `/data/x/` → `/data/x`; `//` → `/`. */
export const normDir = (d: string): string => d.replace(/\/+$/, "") || "/";

/**
 * Top-level directories of the system (the FHS's, and /home, /root, /opt): never a service's own. `/lib*` covers
 * /lib32, /lib64, /libx32 and any other multilib directory. A directory inside one (/var/lib/hadoop-hdfs/name,
 * /opt/data) is fine.
 */
export const SYSTEM_DIRS: readonly string[] = [
  "/",
  "/bin",
  "/boot",
  "/dev",
  "/etc",
  "/home",
  "/lib",
  "/opt",
  "/proc",
  "/root",
  "/run",
  "/sbin",
  "/sys",
  "/tmp",
  "/usr",
  "/var",
];
export const isSystemDir = (d: string): boolean => {
  const n = normDir(d);
  return SYSTEM_DIRS.includes(n) || /^\/lib[^/]*$/.test(n);
};

export interface ManagedDir {
  path: string;
  /** What the program keeps there, for messages. */
  what: string;
}

const parent = (p: string) => path.posix.dirname(p);

/** The directories the program manages on every node (or on the nodes that need them), whatever the config. */
export const MANAGED_HOST_DIRS: readonly ManagedDir[] = [
  { path: STATE_DIR, what: "the program's state on every node" },
  { path: HOST_BIN, what: "the program's host scripts" },
  { path: parent(logDirOf("_")), what: "the services' logs" },
  // install-artifact.sh keeps the downloaded tarballs there.
  { path: "/var/cache/lakehouse-iac", what: "the artifact download cache" },
  ...Object.entries(CONF_DIRS).map(([release, dir]) => ({ path: dir, what: `${release}'s configuration` })),
  // install-artifact.sh unpacks each release to /opt/<name>/<version> and points /opt/<name>/current at it.
  ...Object.keys(CONF_DIRS).map((release) => ({ path: parent(OPT(release)), what: `the ${release} release` })),
  { path: TLS_DIRS.ca, what: "the cluster CA's key" },
  { path: TLS_DIRS.node, what: "the node's TLS key and certificates" },
  { path: parent(HDFS_KEYSTORE), what: "HDFS's keystore" },
  { path: parent(METASTORE_KEYSTORE), what: "the metastore's keystore" },
  { path: parent(FLINK_KEYSTORE), what: "Flink's keystores" },
  { path: FLINK_HIVE_CONF, what: "Flink's Hive client configuration" },
  { path: KDC_CONF_DIR, what: "the KDC's configuration" },
  // Units (config-templates/common.ts), the limits file (host-prep.sh), PostgreSQL's config (postgres-setup.sh).
  { path: "/etc/systemd/system", what: "the services' systemd units" },
  { path: "/etc/security/limits.d", what: "the service group's limits" },
  { path: "/etc/postgresql", what: "PostgreSQL's configuration" },
];

/**
 * MANAGED_HOST_DIRS plus those the config places: the keytab directory (with Kerberos on) and each JDK's
 * directory (an archive's unpack root under /opt, a package's home). Only the sections given take part.
 */
export function managedHostDirs(c: Partial<Pick<Parsed, "kerberos" | "java">>): ManagedDir[] {
  const out = [...MANAGED_HOST_DIRS];
  if (c.kerberos?.enabled) out.push({ path: c.kerberos.keytabDir, what: "the services' keytabs (kerberos.keytabDir)" });
  for (const [major, j] of Object.entries(c.java ?? {})) {
    if (j.package === undefined) out.push({ path: parent(OPT(JDK_ARTIFACT(major))), what: `JDK ${major}` });
    if (j.home !== undefined) out.push({ path: j.home, what: `JDK ${major}'s home` });
  }
  return out.map((m) => ({ ...m, path: normDir(m.path) }));
}

/**
 * The problem of a directory that a key configures, or undefined: a system directory, or one that is (or holds)
 * a directory the program manages. `example` is a directory of its own to suggest.
 */
export function hostDirProblem(key: string, dir: string, managed: readonly ManagedDir[], example: string): string | undefined {
  const d = normDir(dir);
  const instead = `host preparation would re-own and re-mode it (give the service a directory of its own, such as ${example})`;
  if (d === "/") return `${key}: must not be / (the root is a system directory; ${instead})`;
  if (isSystemDir(d)) return `${key}: ${dir} is a system directory; ${instead}`;
  const hit = managed.find((m) => m.path === d) ?? managed.find((m) => d === "/" || m.path.startsWith(`${d}/`));
  if (!hit) return undefined;
  return hit.path === d
    ? `${key}: ${dir} is ${hit.path}, ${hit.what}, which the program manages; ${instead}`
    : `${key}: ${dir} holds ${hit.path}, ${hit.what}, which the program manages; ${instead}`;
}
