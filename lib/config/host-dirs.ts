/**
 * The directories on the hosts that no configured directory may be: the system's own, and those the program
 * itself manages. Host preparation (components/scripts/host-prep.sh) makes each configured directory with
 * `install -d -m <mode> -o <user>`, which re-owns and re-modes a directory that exists: given /etc or
 * /var/lib it would hand the whole tree's top to a service user with mode 0700, breaking the host or the
 * program's own files. Kept in one list so a host preflight can check the same directories on the hosts: the
 * program's own, its releases' (each service's `releases`) and those each service manages (its `managedDirs`).
 */
import * as path from "path";
import { JDK_ARTIFACT, OPT, STATE_DIR, TLS_DIRS } from "../model";
import { HOST_BIN } from "../shell";
import { logDirOf } from "../../config-templates/common";
import { DESCRIPTORS } from "../../services";
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

/** The program's own directories on every node (or on the nodes that need them), whatever the config. */
const PROGRAM_DIRS: readonly ManagedDir[] = [
  { path: STATE_DIR, what: "the program's state on every node" },
  { path: HOST_BIN, what: "the program's host scripts" },
  { path: parent(logDirOf("_")), what: "the services' logs" },
  // install-artifact.sh keeps the downloaded tarballs there.
  { path: "/var/cache/lakehouse-iac", what: "the artifact download cache" },
];

/** The node's TLS material, the services' units (config-templates/common.ts) and the limits file (host-prep.sh). */
const NODE_DIRS: readonly ManagedDir[] = [
  { path: TLS_DIRS.ca, what: "the cluster CA's key" },
  { path: TLS_DIRS.node, what: "the node's TLS key and certificates" },
  { path: "/etc/systemd/system", what: "the services' systemd units" },
  { path: "/etc/security/limits.d", what: "the service group's limits" },
];

/**
 * Every directory the program manages on the hosts: its own; each release's configuration and unpack root;
 * the node's; each service's own (its `managedDirs`: keystores, its packages' configuration, the keytab
 * directory with Kerberos on); and each JDK's directory (an archive's unpack root under /opt, a package's home).
 * Only the sections given take part where a directory depends on the config.
 */
export function managedHostDirs(c: Partial<Parsed>): ManagedDir[] {
  const releases = DESCRIPTORS.flatMap((d) => Object.entries(d.releases ?? {}));
  const out: ManagedDir[] = [
    ...PROGRAM_DIRS,
    ...releases.map(([release, r]) => ({ path: r.confDir, what: `${release}'s configuration` })),
    // install-artifact.sh unpacks each release to /opt/<name>/<version> and points /opt/<name>/current at it.
    ...releases.map(([release]) => ({ path: parent(OPT(release)), what: `the ${release} release` })),
    ...NODE_DIRS,
    ...DESCRIPTORS.flatMap((d) => d.managedDirs?.(c) ?? []),
  ];
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
