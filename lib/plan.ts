/**
 * The plan: from a validated ClusterConfig, which service instance runs on which node, as which user, with
 * which JDK, what it waits for and how its health is checked; plus every URI the engines and users need.
 * Pure: no Pulumi, no I/O. Rendering of files lives in config-templates/, resources in components/.
 */
import type { ArtifactConfig, ArtifactName, ClusterConfig, NodeConfig, Role } from "./config";

export type ServiceKind =
  "namenode" | "datanode" | "postgres" | "metastore" | "trino" | "spark-master" | "spark-worker" | "flink-jobmanager" | "flink-taskmanager";

/** A health check, run on the service's own node after (re)start; dependents wait for it. */
export type HealthCheck =
  | { kind: "http"; url: string; /** Regex the body must match. */ expect: string; timeoutSec: number }
  | { kind: "tcp"; host: string; port: number; timeoutSec: number }
  | { kind: "command"; argv: string[]; timeoutSec: number }
  /**
   * A membership probe (components/scripts/health-probe.sh): the master lists a registration of this worker's
   * current process. Args as health-probe.sh documents them, after its `since` (which the host supplies).
   */
  | { kind: "probe"; check: ProbeCheck; args: string[]; timeoutSec: number };

export type ProbeCheck = "trino-worker" | "spark-worker" | "datanode" | "flink-taskmanager";

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
  /** For Trino: this instance is the coordinator; `schedulesWork`: it also runs tasks. */
  trino?: TrinoInstance;
}

/** Per-file overrides of one precedence layer (the cluster's, then a role group's). */
export type OverrideLayer = Partial<Record<string, Record<string, string | number | boolean>>>;

export interface TrinoInstance {
  coordinator: boolean;
  schedulesWork: boolean;
  nodeId: string;
  /** Its worker role group, if any (trino.workerGroups). */
  group?: string;
  /** Resolved: the group's value, else trino.*. */
  heap: string;
  queryMaxMemoryPerNode: string;
  /** Override layers, lowest precedence first: trino.overrides, then the group's. */
  overrides: OverrideLayer[];
}

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
  /** Local directories: path, owner, mode. */
  dirs: Array<{ path: string; owner: string; mode: string }>;
  services: ServicePlan[];
}

export interface Endpoints {
  defaultFS: string;
  nameNodeUi: string;
  metastoreUri: string;
  /** The metastore database, for scripts that connect to it (never parsed back out of the JDBC URL). */
  postgres: { host: string; port: number; database: string; sslmode: "verify-full" | "disable"; sslrootcert: string };
  /** With postgres.ssl, `sslmode=verify-full` against the cluster CA: encrypted, and the server verified. */
  postgresJdbcUrl: string;
  /** Absent when the engine is switched off. */
  trinoUrl?: string;
  sparkMasterUrl?: string;
  sparkMasterUi?: string;
  flinkUi?: string;
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
}

/** The cluster CA's directory on its node, and each node's TLS directory (outside /var/lib/lakehouse-iac). */
export const TLS_DIRS = { ca: "/etc/lakehouse/tls-ca", node: "/etc/lakehouse/tls" } as const;

/** Where each tarball's configuration lives on the hosts (its shipped conf dir is linked here). */
export const CONF_DIRS: Record<"hadoop" | "hive" | "trino" | "spark" | "flink", string> = {
  hadoop: "/etc/hadoop/conf",
  hive: "/etc/hive/conf",
  trino: "/etc/trino",
  spark: "/etc/spark/conf",
  flink: "/etc/flink/conf",
};
export const OPT = (name: string) => `/opt/${name}/current`;
/** Host-side state of this tool (hashes of what it last applied). */
export const STATE_DIR = "/var/lib/lakehouse-iac";

export const BASE_PACKAGES = ["ca-certificates", "curl", "tar", "gzip", "procps", "python3", "netcat-openbsd", "openssl"];

const ROLE_KIND: Record<Role, ServiceKind> = {
  namenode: "namenode",
  datanode: "datanode",
  postgres: "postgres",
  metastore: "metastore",
  "trino-coordinator": "trino",
  "trino-worker": "trino",
  "spark-master": "spark-master",
  "spark-worker": "spark-worker",
  "flink-jobmanager": "flink-jobmanager",
  "flink-taskmanager": "flink-taskmanager",
};

/** Tie-break of the start order: kinds in this order, then nodes in config order. */
const KIND_ORDER: ServiceKind[] = [
  "postgres",
  "namenode",
  "datanode",
  "metastore",
  "trino",
  "spark-master",
  "spark-worker",
  "flink-jobmanager",
  "flink-taskmanager",
];

function holder(c: ClusterConfig, role: Role): NodeConfig {
  const n = c.nodes.find((x) => x.roles.includes(role));
  if (!n) throw new Error(`internal: no node with role ${role} (config validation should have caught this)`);
  return n;
}

export function jdk(c: ClusterConfig, major: string): Jdk {
  const j = c.java[major];
  if (!j) throw new Error(`internal: no JDK ${major}`);
  if (j.package !== undefined) return { major, package: j.package, home: j.home! };
  const { version, url, sha512, checksumUrl } = j;
  return { major, archive: { version: version!, url, sha512, checksumUrl }, home: j.home ?? OPT(JDK_ARTIFACT(major)) };
}

/**
 * Health-check timeouts, seconds: generous for first starts on small machines. Checks use the node's own
 * address, not loopback: some daemons bind only to it (Spark with SPARK_LOCAL_IP), and it is the address
 * that dependents and users reach.
 */
/**
 * Health-check time limits, in seconds. A worker that starts together with its head (Trino, Spark and Flink
 * workers: a fresh cluster starts them at once) is healthy only once its head lists it, so its limit covers
 * its head's start too. (DataNodes start after the NameNode is healthy.)
 */
const T = { fast: 120, jvm: 300, trino: 420, jvmWorker: 300 + 300, trinoWorker: 420 + 420 };

/** A Trino node's settings, with its worker group's (if it is in one) over the cluster-level ones. */
function trinoInstance(c: ClusterConfig, n: NodeConfig, coordinator: boolean): TrinoInstance {
  const group = Object.entries(c.trino.workerGroups).find(([, g]) => g.nodes.includes(n.name));
  const g = group?.[1];
  return {
    coordinator,
    schedulesWork: !coordinator || n.roles.includes("trino-worker"),
    nodeId: trinoNodeId(c, n),
    group: group?.[0],
    heap: g?.heap ?? c.trino.heap,
    queryMaxMemoryPerNode: g?.queryMaxMemoryPerNode ?? c.trino.queryMaxMemoryPerNode,
    overrides: [c.trino.overrides, ...(g ? [g.overrides] : [])],
  };
}

/** Trino's node.id of a node: environment and node name, in the characters node.id accepts. */
const trinoNodeId = (c: ClusterConfig, n: NodeConfig): string => `${c.environment}-${n.name}`.replace(/[^a-z0-9_-]/g, "_");

export function buildPlan(c: ClusterConfig): Plan {
  const nn = holder(c, "namenode");
  const pg = holder(c, "postgres");
  const ms = holder(c, "metastore");
  const coord = c.trino.enabled ? holder(c, "trino-coordinator") : undefined;
  const sm = c.spark.enabled ? holder(c, "spark-master") : undefined;
  const jm = c.flink.enabled ? holder(c, "flink-jobmanager") : undefined;

  const defaultFS = `hdfs://${nn.host}:${c.hdfs.nameNodeRpcPort}`;
  const root = c.warehouse.root;
  const endpoints: Endpoints = {
    defaultFS,
    nameNodeUi: `http://${nn.host}:${c.hdfs.nameNodeHttpPort}`,
    metastoreUri: `thrift://${ms.host}:${c.metastore.port}`,
    postgres: {
      host: pg.host,
      port: c.postgres.port,
      database: c.postgres.database,
      sslmode: c.postgres.ssl ? "verify-full" : "disable",
      sslrootcert: `${TLS_DIRS.node}/ca.crt`,
    },
    postgresJdbcUrl: `jdbc:postgresql://${pg.host}:${c.postgres.port}/${c.postgres.database}${
      c.postgres.ssl ? `?sslmode=verify-full&sslrootcert=${TLS_DIRS.node}/ca.crt` : ""
    }`,
    trinoUrl: coord && `http://${coord.host}:${c.trino.httpPort}`,
    sparkMasterUrl: sm && `spark://${sm.host}:${c.spark.masterPort}`,
    sparkMasterUi: sm && `http://${sm.host}:${c.spark.masterUiPort}`,
    flinkUi: jm && `http://${jm.host}:${c.flink.restPort}`,
    warehouse: {
      root: `${defaultFS}${root}`,
      iceberg: `${defaultFS}${root}/iceberg`,
      delta: `${defaultFS}${root}/delta`,
      hive: `${defaultFS}${root}/hive`,
    },
  };

  const ids = {
    namenode: `namenode@${nn.name}`,
    postgres: `postgres@${pg.name}`,
    metastore: `metastore@${ms.name}`,
    coordinator: `trino@${coord?.name}`,
    sparkMaster: `spark-master@${sm?.name}`,
    jobManager: `flink-jobmanager@${jm?.name}`,
  };
  const dataNodeIds = c.nodes.filter((n) => n.roles.includes("datanode")).map((n) => `datanode@${n.name}`);

  const services: ServicePlan[] = [];
  const nodes: NodePlan[] = c.nodes.map((n, index) => {
    const kinds = new Set(n.roles.map((r) => ROLE_KIND[r]));
    const svc: ServicePlan[] = [];
    const add = (s: Omit<ServicePlan, "node" | "host" | "id"> & { id?: string }) =>
      svc.push({ ...s, id: s.id ?? `${s.kind}@${n.name}`, node: n.name, host: n.host });

    if (kinds.has("postgres"))
      add({
        kind: "postgres",
        unit: "postgresql",
        user: "postgres",
        health: { kind: "command", argv: ["pg_isready", "-h", n.host, "-p", String(c.postgres.port)], timeoutSec: T.fast },
        after: [],
      });
    if (kinds.has("namenode"))
      add({
        kind: "namenode",
        unit: "hdfs-namenode",
        user: c.hdfs.user,
        artifact: "hadoop",
        jdk: jdk(c, c.hdfs.java),
        health: {
          kind: "http",
          url: `http://${n.host}:${c.hdfs.nameNodeHttpPort}/jmx?qry=Hadoop:service=NameNode,name=NameNodeStatus`,
          expect: '"State"\\s*:\\s*"active"',
          timeoutSec: T.jvm,
        },
        after: [],
      });
    if (kinds.has("datanode"))
      add({
        kind: "datanode",
        unit: "hdfs-datanode",
        user: c.hdfs.user,
        artifact: "hadoop",
        jdk: jdk(c, c.hdfs.java),
        // Healthy when this process registered with the NameNode (its own BPServiceActorInfo: RUNNING) and the
        // NameNode lists exactly this address as live, with a heartbeat since the unit started.
        health: {
          kind: "probe",
          check: "datanode",
          args: [
            `http://${nn.host}:${c.hdfs.nameNodeHttpPort}/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo`,
            `http://${n.host}:${c.hdfs.dataNodeHttpPort}/jmx?qry=Hadoop:service=DataNode,name=DataNodeInfo`,
            `${n.host}:${c.hdfs.dataNodePort}`,
            String(c.hdfs.nameNodeRpcPort),
          ],
          timeoutSec: T.jvm,
        },
        after: [ids.namenode],
        rollingGroup: "hdfs-datanode",
        rollingHead: ids.namenode,
      });
    if (kinds.has("metastore"))
      add({
        kind: "metastore",
        unit: "hive-metastore",
        user: c.metastore.user,
        artifact: "hive",
        jdk: jdk(c, c.metastore.java),
        health: { kind: "tcp", host: n.host, port: c.metastore.port, timeoutSec: T.jvm },
        after: [ids.postgres, ids.namenode, ...dataNodeIds],
      });
    if (kinds.has("trino")) {
      const coordinator = n.roles.includes("trino-coordinator");
      add({
        kind: "trino",
        unit: "trino",
        user: c.trino.user,
        artifact: "trino",
        jdk: jdk(c, c.trino.java),
        health: coordinator
          ? { kind: "http", url: `http://${n.host}:${c.trino.httpPort}/v1/info`, expect: '"starting"\\s*:\\s*false', timeoutSec: T.trino }
          : // A worker is healthy when it is up and the coordinator lists its node id, at its address, as active.
            {
              kind: "probe",
              check: "trino-worker",
              args: [`http://${coord!.host}:${c.trino.httpPort}`, `http://${n.host}:${c.trino.httpPort}`, trinoNodeId(c, n)],
              timeoutSec: T.trinoWorker,
            },
        // Engines start without the metastore (they reach it at query time), and workers without waiting for
        // their coordinator (they keep announcing themselves until it answers): what proves membership is
        // the health check, which dependents and the next node of a rolling change wait for.
        after: [],
        rollingGroup: coordinator ? undefined : "trino-worker",
        rollingHead: coordinator ? undefined : ids.coordinator,
        trino: trinoInstance(c, n, coordinator),
      });
    }
    if (kinds.has("spark-master"))
      add({
        kind: "spark-master",
        unit: "spark-master",
        user: c.spark.user,
        artifact: "spark",
        jdk: jdk(c, c.spark.java),
        health: {
          kind: "http",
          url: `http://${n.host}:${c.spark.masterUiPort}/json/`,
          expect: '"status"\\s*:\\s*"ALIVE"',
          timeoutSec: T.jvm,
        },
        after: [],
      });
    if (kinds.has("spark-worker"))
      add({
        kind: "spark-worker",
        unit: "spark-worker",
        user: c.spark.user,
        artifact: "spark",
        jdk: jdk(c, c.spark.java),
        // Healthy when the master lists an ALIVE registration of exactly this host:port made since the unit
        // started (the previous process's registration stays listed, DEAD or not yet noticed, for a while).
        health: {
          kind: "probe",
          check: "spark-worker",
          args: [`http://${sm!.host}:${c.spark.masterUiPort}/json/`, n.host, String(c.spark.workerPort)],
          timeoutSec: T.jvmWorker,
        },
        after: [], // starts without waiting for its head; its health check proves it registered
        rollingGroup: "spark-worker",
        rollingHead: ids.sparkMaster,
      });
    if (kinds.has("flink-jobmanager"))
      add({
        kind: "flink-jobmanager",
        unit: "flink-jobmanager",
        user: c.flink.user,
        artifact: "flink",
        jdk: jdk(c, c.flink.java),
        health: {
          kind: "http",
          url: `http://${n.host}:${c.flink.restPort}/overview`,
          expect: '"taskmanagers"',
          timeoutSec: T.jvm,
        },
        after: [],
      });
    if (kinds.has("flink-taskmanager"))
      add({
        kind: "flink-taskmanager",
        unit: "flink-taskmanager",
        user: c.flink.user,
        artifact: "flink",
        jdk: jdk(c, c.flink.java),
        // Healthy when the JobManager lists a TaskManager of exactly this address (not 10.0.0.12 for 10.0.0.1)
        // that heartbeated since the unit started.
        health: {
          kind: "probe",
          check: "flink-taskmanager",
          args: [`http://${jm!.host}:${c.flink.restPort}/taskmanagers`, n.host],
          timeoutSec: T.jvmWorker,
        },
        after: [], // starts without waiting for its head; its health check proves it registered
        rollingGroup: "flink-taskmanager",
        rollingHead: ids.jobManager,
      });

    const artifacts = unique(svc.map((s) => s.artifact).filter((a): a is ArtifactName => a !== undefined));
    // Every node that runs an engine or the metastore needs the Hadoop client (jars + config) for HDFS.
    if (!artifacts.includes("hadoop") && artifacts.some((a) => a === "hive" || a === "spark" || a === "flink" || a === "trino"))
      artifacts.unshift("hadoop");
    const jars: NodePlan["jars"] = [];
    if (artifacts.includes("hive")) jars.push({ jar: "postgresJdbc", into: "hive", dir: "lib" });
    if (artifacts.includes("spark"))
      jars.push(
        { jar: "icebergSpark", into: "spark", dir: "jars" },
        { jar: "deltaSpark", into: "spark", dir: "jars" },
        { jar: "deltaStorage", into: "spark", dir: "jars" },
      );
    if (artifacts.includes("flink")) {
      if (c.flink.hiveConnector) jars.push({ jar: "flinkHive", into: "flink", dir: "lib" });
      jars.push({ jar: "icebergFlink", into: "flink", dir: "lib" });
    }

    const users = unique(svc.map((s) => s.user).filter((u) => u !== "postgres"));
    const nodeJdks = svc.map((s) => s.jdk).filter((j): j is Jdk => j !== undefined);
    // Hadoop client on an engine-only node still needs a JDK for its tools: use the HDFS one.
    if (artifacts.includes("hadoop")) nodeJdks.push(jdk(c, c.hdfs.java));
    const jdks = unique(nodeJdks.map((j) => j.package).filter((p): p is string => p !== undefined));
    const jdkArchives = [...new Map(nodeJdks.filter((j) => j.archive).map((j) => [j.major, j])).values()];
    const packages = unique([
      ...BASE_PACKAGES,
      ...jdks,
      ...(kinds.has("metastore") ? ["postgresql-client"] : []),
      // Trino 435's bin/launcher runs launcher.py with `#!/usr/bin/env python`.
      ...(kinds.has("trino") ? ["python-is-python3"] : []),
      ...c.extraPackages,
    ]);

    const dirs: NodePlan["dirs"] = [];
    if (kinds.has("namenode")) for (const d of c.hdfs.nameDirs) dirs.push({ path: d, owner: c.hdfs.user, mode: "0700" });
    if (kinds.has("datanode")) for (const d of c.hdfs.dataDirs) dirs.push({ path: d, owner: c.hdfs.user, mode: "0700" });
    if (kinds.has("trino")) dirs.push({ path: c.trino.dataDir, owner: c.trino.user, mode: "0750" });
    if (kinds.has("spark-worker")) dirs.push({ path: c.spark.workDir, owner: c.spark.user, mode: "0750" });
    for (const u of users) dirs.push({ path: `/var/log/lakehouse/${u}`, owner: u, mode: "0750" });

    services.push(...svc);
    return {
      name: n.name,
      host: n.host,
      index,
      ssh: { user: n.ssh?.user ?? c.ssh.user, port: n.ssh?.port ?? c.ssh.port },
      hostKey: n.hostKey,
      roles: n.roles,
      packages,
      users,
      artifacts,
      jdkArchives,
      jars,
      dirs,
      services: svc,
    };
  });

  return {
    config: c,
    nodes,
    services: startOrder(services),
    endpoints,
    // pg_hba takes an address/32 for IPv4 hosts and the name itself for DNS names.
    clusterCidrs: c.nodes.map((n) => (/^\d+\.\d+\.\d+\.\d+$/.test(n.host) ? `${n.host}/32` : n.host)),
    clusterId: c.hdfs.clusterId ?? `lakehouse-${c.environment}`,
    warehouseDirs: [root, `${root}/iceberg`, `${root}/delta`, `${root}/hive`],
    hadoopConfDir: CONF_DIRS.hadoop,
    tls: {
      caNode: c.tls.caNode ?? c.nodes[0].name,
      caDir: TLS_DIRS.ca,
      dir: TLS_DIRS.node,
      caName: `lakehouse-iac CA ${c.environment}`,
      caDays: c.tls.caDays,
      certificateDays: c.tls.certificateDays,
    },
  };
}

/**
 * The services in dependency order: each after every service its `after` names (a topological sort, Kahn's
 * algorithm), ties broken by KIND_ORDER and then config order, so the order is stable. An `after` that names
 * no planned service, or a cycle, is an internal error naming the services.
 */
export function startOrder(services: ServicePlan[]): ServicePlan[] {
  const byId = new Map(services.map((s) => [s.id, s]));
  // A rolling head orders restarts, so it is planned before its group too.
  const waits = (s: ServicePlan) => (s.rollingHead ? [...s.after, s.rollingHead] : s.after);
  for (const s of services)
    for (const a of waits(s)) if (!byId.has(a)) throw new Error(`internal: ${s.id} starts after ${a}, which is not planned`);
  const rank = (s: ServicePlan) => KIND_ORDER.indexOf(s.kind) * services.length + services.indexOf(s);
  const done = new Set<string>();
  const out: ServicePlan[] = [];
  while (out.length < services.length) {
    const ready = services.filter((s) => !done.has(s.id) && waits(s).every((a) => done.has(a)));
    if (ready.length === 0) {
      const left = services.filter((s) => !done.has(s.id)).map((s) => s.id);
      throw new Error(`internal: the services ${left.join(", ")} wait for each other`);
    }
    const next = ready.reduce((a, b) => (rank(b) < rank(a) ? b : a));
    done.add(next.id);
    out.push(next);
  }
  return out;
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** The node a service runs on. */
export function nodeOf(plan: Plan, s: ServicePlan): NodePlan {
  const n = plan.nodes.find((x) => x.name === s.node);
  if (!n) throw new Error(`internal: no node ${s.node}`);
  return n;
}
