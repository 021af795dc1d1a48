/**
 * The plan's model: the types a plan is made of (nodes, service instances, health checks, endpoints), the
 * places on the hosts every service shares, and small helpers. Pure, and a leaf: services/<name>/ build their
 * part of a plan with these, and lib/plan.ts assembles the whole from the services.
 */
import type { ArtifactConfig, ArtifactName, ClusterConfig, Role } from "./config";
import type { ServiceKind } from "../services/sections";
import type { ProbeCheck } from "./host-scripts";

export type { ServiceKind };

/** A health check, run on the service's own node after (re)start; dependents wait for it. */
export type HealthCheck =
  | {
      kind: "http";
      url: string;
      /** Regex the body must match. */
      expect: string;
      timeoutSec: number;
      /** For https: the CA file the server's certificate is verified against (else the system's). */
      ca?: string;
      /** SPNEGO (with `ca`): `<keytab>:<principal>` to log in as for the check. */
      spnego?: string;
      /** A client certificate (with `ca`), `<cert file>:<key file>`, for an endpoint that wants one. */
      clientCert?: string;
    }
  | { kind: "tcp"; host: string; port: number; timeoutSec: number }
  | { kind: "command"; argv: string[]; timeoutSec: number }
  /**
   * A membership probe: the master lists a registration of this worker's current process. The check is a command
   * of a service's probe (services/<name>/scripts/<name>-probe.sh, lib/host-scripts.ts's ProbeCheck); args as
   * that probe documents them, after its `since` (which the host supplies).
   */
  | { kind: "probe"; check: ProbeCheck; args: string[]; timeoutSec: number };

export interface Jdk {
  major: string;
  /** Installed as this OS package, or */
  package?: string;
  /** downloaded and unpacked as the artifact `jdk-<major>` (to /opt/jdk-<major>/<version>). */
  archive?: ArtifactConfig;
  home: string;
}

/** Where a JDK archive for Java `major` is unpacked; its `current` link is the default JAVA_HOME. */
export const JDK_ARTIFACT = (major: string): string => `jdk-${major}`;

export interface ServicePlan {
  /** Stable id, also the stem of its Pulumi resource names: `trino@cpu-node2`. */
  id: string;
  kind: ServiceKind;
  node: string;
  host: string;
  /** systemd unit (without .service). */
  unit: string;
  user: string;
  /** The tarball the service runs from; undefined for PostgreSQL (an OS package). */
  artifact?: ArtifactName;
  jdk?: Jdk;
  health: HealthCheck;
  /** Ids of services that must be healthy before this one starts. */
  after: string[];
  /** Services in the same group restart one node at a time. */
  rollingGroup?: string;
  /**
   * The head of its rolling group (coordinator, master, JobManager, NameNode): on a change the group's first
   * member restarts only once the head is healthy again, so a change never has the head and a worker out at
   * once. It orders restarts, not the first start.
   */
  rollingHead?: string;
  // A service may add fields of its own kind's instances (services/<name>/model.ts augments this interface).
}

/** Per-file overrides of one precedence layer (the cluster's, then a role group's). */
export type OverrideLayer = Partial<Record<string, Record<string, string | number | boolean>>>;

export interface NodePlan {
  name: string;
  host: string;
  index: number;
  ssh: { user: string; port: number };
  hostKey?: string;
  roles: Role[];
  /** OS packages: base tools, the JDKs its services need, extras. */
  packages: string[];
  /** Service users on this node (all in the service group). */
  users: string[];
  /** Tarballs unpacked on this node. */
  artifacts: ArtifactName[];
  /** JDK archives unpacked on this node (packaged JDKs are in `packages`). */
  jdkArchives: Jdk[];
  /** Jars dropped into a tarball's directory on this node: jar → tarball, dir inside it. */
  jars: Array<{ jar: ArtifactName; into: ArtifactName; dir: string }>;
  /** Local directories: path, owner, mode, and the config key that names it (log dirs: none). */
  dirs: Array<{ path: string; owner: string; mode: string; key?: string }>;
  /** What its instances take of it (memory, cores), with the keys: checked by the host preflight. */
  needs: Array<{ instance: string; key: string; memory?: string; cores?: number }>;
  services: ServicePlan[];
}

/**
 * The addresses users and other services connect to. Each service adds its own (services/<name>/model.ts augments
 * this interface; an engine's are optional, absent while it is switched off); the warehouse is the cluster's.
 */
export interface Endpoints {
  warehouse: { root: string; iceberg: string; delta: string; hive: string };
}

export interface Plan {
  config: ClusterConfig;
  nodes: NodePlan[];
  /** Every service in dependency order (a service's `after` ids come earlier). */
  services: ServicePlan[];
  endpoints: Endpoints;
  /** Hosts allowed to reach PostgreSQL: IPv4/32 or host names, as pg_hba takes them. */
  clusterCidrs: string[];
  /** HDFS cluster ID given once at format time. */
  clusterId: string;
  /** Warehouse directories on HDFS (absolute paths, without the scheme). */
  warehouseDirs: string[];
  /** Where every node keeps the Hadoop client configuration. */
  hadoopConfDir: string;
  tls: TlsPlan;
}

/** The cluster CA and the node certificates (components/tls.ts, scripts tls-ca.sh and tls-node.sh). */
export interface TlsPlan {
  /** Node whose disk holds the CA's private key. */
  caNode: string;
  /** On the CA node: ca.key (0600 root) and ca.crt. */
  caDir: string;
  /** On every node: node.key (0600 root), node.crt and ca.crt (0644). */
  dir: string;
  caName: string;
  caDays: number;
  certificateDays: number;
  /** The user's own CA (tls.caCertificate; its key is the secret tlsCaKey), instead of one made on caNode. */
  caCertificate?: string;
}

/** The cluster CA's directory on its node, and each node's TLS directory (outside /var/lib/lakehouse-iac). */
export const TLS_DIRS = { ca: "/etc/lakehouse/tls-ca", node: "/etc/lakehouse/tls" } as const;
/** The cluster CA's certificate on every node: what clients of the cluster's TLS services verify against. */
export const CA_FILE = `${TLS_DIRS.node}/ca.crt`;
/**
 * The cluster CA as a Java truststore, readable by every user, on nodes with JVM clients that take no PEM (the
 * Hive client in Spark and Flink). Its password is public on purpose: a truststore holds no secret (only the CA
 * certificate), and Java wants one to check the file's integrity. Clients name both in their world-readable files.
 */
export const CA_TRUSTSTORE = { path: `${TLS_DIRS.node}/truststore.p12`, password: "lakehouse-ca-public" } as const;

/**
 * A release's directory on the hosts (install-artifact.sh points it at the unpacked version). Its configuration
 * lives where its service's descriptor says (`releases`).
 */
export const OPT = (name: string) => `/opt/${name}/current`;
/** Host-side state of this tool (hashes of what it last applied). */
export const STATE_DIR = "/var/lib/lakehouse-iac";

export const BASE_PACKAGES = ["ca-certificates", "curl", "tar", "gzip", "procps", "python3", "netcat-openbsd", "openssl"];

export function jdk(c: ClusterConfig, major: string): Jdk {
  const j = c.java[major];
  if (!j) throw new Error(`internal: no JDK ${major}`);
  if (j.package !== undefined) return { major, package: j.package, home: j.home! };
  const { version, url, sha512, checksumUrl } = j;
  return { major, archive: { version: version!, url, sha512, checksumUrl }, home: j.home ?? OPT(JDK_ARTIFACT(major)) };
}

/** The node a service runs on. */
export function nodeOf(plan: Plan, s: ServicePlan): NodePlan {
  const n = plan.nodes.find((x) => x.name === s.node);
  if (!n) throw new Error(`internal: no node ${s.node}`);
  return n;
}
