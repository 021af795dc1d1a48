/**
 * Every file a service needs, rendered from the plan. Pure: no Pulumi, no I/O.
 * - renderNodeFiles: files shared by the services of one release on a node (the Hadoop client config that
 *   every JVM here reads, Spark's and Flink's conf), written once per node;
 * - renderServiceFiles: a service instance's own files and its systemd unit.
 *
 * Each key/value file has an `…Entries` function (what the file means, overrides applied) and a renderer
 * (the same entries through the format's library); tests parse every rendered file back and compare.
 */
import type { ClusterConfig } from "../lib/config";
import { compareVersions } from "../lib/compat";
import { CONF_DIRS, NodePlan, OPT, Plan, ServicePlan, jdk } from "../lib/plan";
import { FLINK_JAVA_OPTS_ALL, HADOOP_JAVA17_OPENS, xmx } from "./java";
import { renderUnit, UnitSpec } from "./systemd";
import { Entries, Scalar, plainProperties, properties, shQuote, shellEnv, withOverrides, xmlConfiguration, yamlDoc } from "./writers";

export { renderUnit } from "./systemd";
export type { UnitSpec } from "./systemd";

export interface RenderedFile {
  /** Absolute path on the host. */
  path: string;
  /** Ends with a newline (an empty file is ""). */
  content: string;
  /** "0644", "0640" (secret-bearing), "0755" for scripts. */
  mode: string;
  owner: string;
  group: string;
  /** The content holds a secret value. */
  secret: boolean;
}

export interface Secrets {
  postgresPassword: string;
  trinoSharedSecret: string;
  metastoreKeystorePassword?: string;
}

const HEADER = "Managed by lakehouse-iac: changes here are overwritten on the next apply.";
/** Where Flink's Hive catalog finds its client-only hive-site.xml (`'hive-conf-dir'`). */
export const FLINK_HIVE_CONF = "/etc/flink/hive-conf";
const logDirOf = (user: string) => `/var/log/lakehouse/${user}`;

const file = (c: ClusterConfig, path: string, content: string, extra: Partial<RenderedFile> = {}): RenderedFile => ({
  path,
  content,
  mode: "0644",
  owner: "root",
  group: c.serviceGroup,
  secret: false,
  ...extra,
});
/** A file holding a secret: readable by its service user (and the service group), nobody else. */
const secretFile = (c: ClusterConfig, s: ServicePlan, path: string, content: string): RenderedFile =>
  file(c, path, content, { mode: "0640", owner: s.user, secret: true });

function service(plan: Plan, kind: ServicePlan["kind"]): ServicePlan {
  const s = plan.services.find((x) => x.kind === kind);
  if (!s) throw new Error(`internal: the plan has no ${kind}`);
  return s;
}

// ---------------------------------------------------------------------------------------------- Hadoop
export function coreSiteEntries(plan: Plan): Entries {
  const entries: Entries = [["fs.defaultFS", plan.endpoints.defaultFS]];
  return withOverrides(entries, plan.config.hdfs.overrides["core-site.xml"]);
}
export const coreSite = (plan: Plan): string => xmlConfiguration(coreSiteEntries(plan), HEADER);

export function hdfsSiteEntries(plan: Plan): Entries {
  const c = plan.config;
  const h = c.hdfs;
  const nn = service(plan, "namenode");
  const entries: Entries = [
    ["dfs.replication", h.replication],
    ["dfs.namenode.name.dir", h.nameDirs.map((d) => `file://${d}`).join(",")],
    ["dfs.datanode.data.dir", h.dataDirs.map((d) => `file://${d}`).join(",")],
    ["dfs.namenode.rpc-address", `${nn.host}:${h.nameNodeRpcPort}`],
    ["dfs.namenode.http-address", `${nn.host}:${h.nameNodeHttpPort}`],
    ["dfs.namenode.rpc-bind-host", "0.0.0.0"],
    ["dfs.namenode.servicerpc-bind-host", "0.0.0.0"],
    ["dfs.namenode.http-bind-host", "0.0.0.0"],
    ["dfs.datanode.address", `0.0.0.0:${h.dataNodePort}`],
    ["dfs.datanode.http.address", `0.0.0.0:${h.dataNodeHttpPort}`],
    ["dfs.datanode.ipc.address", `0.0.0.0:${h.dataNodeIpcPort}`],
    // Membership: written by hdfs-membership.sh, re-read on `hdfs dfsadmin -refreshNodes` (no restart).
    ["dfs.hosts", `${CONF_DIRS.hadoop}/dfs.hosts`],
    ["dfs.hosts.exclude", `${CONF_DIRS.hadoop}/dfs.hosts.exclude`],
    ["dfs.permissions.superusergroup", c.serviceGroup],
    // Lab and bare-metal hosts often lack reverse DNS; registration must not depend on it.
    ["dfs.namenode.datanode.registration.ip-hostname-check", false],
    ["dfs.client.use.datanode.hostname", false],
  ];
  return withOverrides(entries, h.overrides["hdfs-site.xml"]);
}
export const hdfsSite = (plan: Plan): string => xmlConfiguration(hdfsSiteEntries(plan), HEADER);

/** The DataNodes allowed to register (`dfs.hosts`), by their configured address. */
export function dataNodeHosts(plan: Plan): string[] {
  return plan.services.filter((x) => x.kind === "datanode").map((x) => x.host);
}

/**
 * Environment every Hadoop-launched JVM here gets (HDFS daemons, the metastore through `hadoop jar`).
 * HADOOP_OPTS replaces Hadoop's own default (-Djava.net.preferIPv4Stack=true), so it is kept first.
 */
function hadoopEnv(s: ServicePlan): Record<string, string> {
  return {
    JAVA_HOME: s.jdk!.home,
    HADOOP_HOME: OPT("hadoop"),
    HADOOP_CONF_DIR: CONF_DIRS.hadoop,
    HADOOP_LOG_DIR: logDirOf(s.user),
    HADOOP_OPTS: ["-Djava.net.preferIPv4Stack=true", ...HADOOP_JAVA17_OPENS].join(" "),
  };
}

// ---------------------------------------------------------------------------------------------- Hive
/** The metastore's hive-site.xml: holds the database password (and the keystore password with TLS). */
export function hiveSiteEntries(plan: Plan, secrets: Secrets): Entries {
  const c = plan.config;
  const m = c.metastore;
  const e = plan.endpoints;
  const entries: Entries = [
    ["javax.jdo.option.ConnectionURL", e.postgresJdbcUrl],
    ["javax.jdo.option.ConnectionDriverName", "org.postgresql.Driver"],
    ["javax.jdo.option.ConnectionUserName", c.postgres.user],
    ["javax.jdo.option.ConnectionPassword", secrets.postgresPassword],
    ["metastore.thrift.port", m.port],
    ["metastore.thrift.uris", e.metastoreUri],
    ["hive.metastore.uris", e.metastoreUri],
    // The seed puts its warehouse at <defaultFS>/lakehouse. That root holds iceberg/, delta/ and hive/: the
    // metastore's default location is hive/, so managed Hive tables (and databases created without a
    // LOCATION) land in /lakehouse/hive, beside, not above, the Iceberg and Delta trees that the engines'
    // catalogs point at explicitly (Spark's Iceberg catalog: warehouse = /lakehouse/iceberg).
    ["metastore.warehouse.dir", e.warehouse.hive],
    ["hive.metastore.warehouse.dir", e.warehouse.hive],
    ["fs.defaultFS", e.defaultFS],
    // Standalone mode: no HiveServer2 tasks, no Hive expression classes. The default list also names
    // MaterializationsCacheCleanerTask, which lives in hive-exec, not in the standalone metastore: the server
    // then exits at start ("class not found"). This is the value the standalone tarball ships.
    ["metastore.task.threads.always", "org.apache.hadoop.hive.metastore.events.EventCleanerTask"],
    ["metastore.expression.proxy", "org.apache.hadoop.hive.metastore.DefaultPartitionExpressionProxy"],
    // The schema is created once by schematool; the server must never alter it by itself.
    ["metastore.schema.verification", true],
    ["metastore.try.direct.sql.ddl", false],
    ["datanucleus.connectionPool.maxActive", m.maxConnections],
    ["hive.metastore.server.max.threads", m.serverMaxThreads],
    ["hive.metastore.sasl.enabled", m.security.sasl],
    ["hive.metastore.use.SSL", m.security.ssl],
  ];
  if (m.security.sasl) {
    entries.push(
      ["hive.metastore.kerberos.principal", m.security.kerberosPrincipal!],
      ["hive.metastore.kerberos.keytab.file", m.security.kerberosKeytab!],
    );
  }
  if (m.security.ssl) {
    if (secrets.metastoreKeystorePassword === undefined)
      throw new Error("metastore.security.ssl is on but no metastoreKeystorePassword was given");
    entries.push(
      ["hive.metastore.keystore.path", m.security.keystorePath!],
      ["hive.metastore.keystore.password", secrets.metastoreKeystorePassword],
    );
  }
  return withOverrides(entries, m.overrides["hive-site.xml"]);
}
export const hiveSite = (plan: Plan, secrets: Secrets): string => xmlConfiguration(hiveSiteEntries(plan, secrets), HEADER);

/**
 * metastore-site.xml, deliberately empty. The standalone metastore reads hive-site.xml, then
 * metastore-site.xml over it; the tarball ships a smoke-test metastore-site.xml (metastore.thrift.uris =
 * thrift://localhost:9083, a shorter metastore.task.threads.always) that would silently win over
 * hive-site.xml and over the user's overrides. Writing this file replaces the copy taken from the tarball.
 */
export const metastoreSite = (): string =>
  xmlConfiguration([], `${HEADER} Intentionally empty: every setting is in hive-site.xml, which this file would override.`);

/** A client-only hive-site.xml (Flink's Hive catalog): where the metastore is, no credentials. */
export function hiveClientEntries(plan: Plan): Entries {
  const e = plan.endpoints;
  const m = plan.config.metastore;
  const entries: Entries = [
    ["hive.metastore.uris", e.metastoreUri],
    ["hive.metastore.warehouse.dir", e.warehouse.hive],
    ["hive.metastore.sasl.enabled", m.security.sasl],
    ["hive.metastore.use.SSL", m.security.ssl],
  ];
  if (m.security.sasl) entries.push(["hive.metastore.kerberos.principal", m.security.kerberosPrincipal!]);
  return entries;
}
export const hiveClientSite = (plan: Plan): string =>
  xmlConfiguration(hiveClientEntries(plan), `${HEADER} Client settings only: no database credentials here.`);

// ---------------------------------------------------------------------------------------------- Trino
export function trinoConfigEntries(plan: Plan, s: ServicePlan, secrets: Secrets): Entries {
  const c = plan.config;
  const t = s.trino!;
  const entries: Entries = [["coordinator", t.coordinator]];
  // Only a coordinator knows include-coordinator; a worker with it set fails on an unused property.
  if (t.coordinator) entries.push(["node-scheduler.include-coordinator", t.schedulesWork]);
  entries.push(
    ["http-server.http.port", c.trino.httpPort],
    ["discovery.uri", plan.endpoints.trinoUrl!],
    ["query.max-memory", c.trino.queryMaxMemory],
    ["query.max-memory-per-node", c.trino.queryMaxMemoryPerNode],
    // The same value on every node: it signs the nodes' internal requests.
    ["internal-communication.shared-secret", secrets.trinoSharedSecret],
  );
  return withOverrides(entries, c.trino.overrides["config.properties"]);
}
export const trinoConfig = (plan: Plan, s: ServicePlan, secrets: Secrets): string =>
  properties(trinoConfigEntries(plan, s, secrets), HEADER);

export function trinoNodeEntries(plan: Plan, s: ServicePlan): Entries {
  const c = plan.config;
  const entries: Entries = [
    ["node.environment", c.environment],
    ["node.id", s.trino!.nodeId],
    ["node.data-dir", c.trino.dataDir],
    // The address other nodes use for this one (not whatever the JVM picks on a multi-homed host).
    ["node.internal-address", s.host],
  ];
  return withOverrides(entries, c.trino.overrides["node.properties"]);
}
/** node.properties is also read by bin/launcher (python, no unescaping): only plain values are accepted. */
export const trinoNode = (plan: Plan, s: ServicePlan): string => plainProperties(trinoNodeEntries(plan, s), HEADER);

export const trinoLogEntries = (): Entries => [["io.trino", "INFO"]];

/**
 * jvm.config: the list from the deployment guide of the Trino release in use, heap from config, HDFS user.
 * Up to 435 (Java 17) the guide's list includes -XX:-G1UsePreventiveGC, a flag Java 21 removed (the JVM then
 * refuses to start); newer releases (Java 21+) drop it and the AES intrinsics and allow JOL's dynamic agent.
 */
export function trinoJvm(plan: Plan): string {
  const c = plan.config;
  const java17 = parseInt(jdk(c, c.trino.java).major, 10) < 21;
  const version = c.artifacts.trino.version;
  return [
    `# ${HEADER}`,
    `# From the Trino ${java17 ? "435" : "476"} deployment guide (Trino ${version}, Java ${c.trino.java}); -Xmx takes precedence over MaxRAMPercentage.`,
    "-server",
    xmx(c.trino.heap),
    "-XX:InitialRAMPercentage=80",
    "-XX:MaxRAMPercentage=80",
    "-XX:G1HeapRegionSize=32M",
    "-XX:+ExplicitGCInvokesConcurrent",
    "-XX:+ExitOnOutOfMemoryError",
    "-XX:+HeapDumpOnOutOfMemoryError",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:ReservedCodeCacheSize=512M",
    "-XX:PerMethodRecompilationCutoff=10000",
    "-XX:PerBytecodeRecompilationCutoff=10000",
    "-Djdk.attach.allowAttachSelf=true",
    "-Djdk.nio.maxCachedBufferSize=2000000",
    ...(java17
      ? [
          "-XX:+UnlockDiagnosticVMOptions",
          "-XX:+UseAESCTRIntrinsics",
          "# Java 17 and 18 need UTF-8 as the default charset.",
          "-Dfile.encoding=UTF-8",
          "# Disable Preventive GC for performance reasons (JDK-8293861)",
          "-XX:-G1UsePreventiveGC",
        ]
      : ["-Dfile.encoding=UTF-8", "# Allow loading dynamic agent used by JOL", "-XX:+EnableDynamicAgentLoading"]),
    "# HDFS access as the warehouse owner (simple authentication).",
    `-DHADOOP_USER_NAME=${c.warehouse.owner}`,
    "",
  ].join("\n");
}

/** From Trino 458 the Hadoop file system (hdfs://) is off unless a catalog turns it on. */
export const trinoNeedsFsHadoop = (version: string): boolean => compareVersions(version, "458") >= 0;

export type TrinoCatalog = "iceberg" | "delta" | "hive";
export function trinoCatalogEntries(plan: Plan, name: TrinoCatalog): Entries {
  const c = plan.config;
  const on = c.trino.catalogs;
  const common: Entries = [
    ["hive.metastore.uri", plan.endpoints.metastoreUri],
    ...(trinoNeedsFsHadoop(c.artifacts.trino.version) ? ([["fs.hadoop.enabled", true]] as Entries) : []),
    ["hive.config.resources", `${CONF_DIRS.hadoop}/core-site.xml,${CONF_DIRS.hadoop}/hdfs-site.xml`],
  ];
  const byName: Record<TrinoCatalog, Entries> = {
    iceberg: [["connector.name", "iceberg"], ["iceberg.catalog.type", "hive_metastore"], ...common],
    delta: [["connector.name", "delta_lake"], ...common, ["delta.register-table-procedure.enabled", true]],
    hive: [
      ["connector.name", "hive"],
      ...common,
      ["hive.non-managed-table-writes-enabled", true],
      // One metastore holds all three kinds of table: hive.<db>.<iceberg or delta table> is redirected to
      // the catalog that can read it instead of failing.
      ...(on.iceberg ? ([["hive.iceberg-catalog-name", "iceberg"]] as Entries) : []),
      ...(on.delta ? ([["hive.delta-lake-catalog-name", "delta"]] as Entries) : []),
    ],
  };
  return withOverrides(byName[name], c.trino.overrides[`${name}.properties`]);
}
export const trinoCatalog = (plan: Plan, name: TrinoCatalog): string => properties(trinoCatalogEntries(plan, name), HEADER);

// ---------------------------------------------------------------------------------------------- Spark
export function sparkDefaultsEntries(plan: Plan): Entries {
  const c = plan.config;
  const e = plan.endpoints;
  const cat = `spark.sql.catalog.${c.spark.icebergCatalog}`;
  const entries: Entries = [
    ["spark.master", e.sparkMasterUrl!],
    ["spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions,io.delta.sql.DeltaSparkSessionExtension"],
    // spark_catalog is Delta's; Iceberg tables live in the named catalog below (both over the one metastore).
    ["spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog"],
    ["spark.sql.catalogImplementation", "hive"],
    ["spark.hadoop.hive.metastore.uris", e.metastoreUri],
    ["spark.sql.warehouse.dir", e.warehouse.hive],
    [cat, "org.apache.iceberg.spark.SparkCatalog"],
    [`${cat}.type`, "hive"],
    [`${cat}.uri`, e.metastoreUri],
    [`${cat}.warehouse`, e.warehouse.iceberg],
  ];
  return withOverrides(entries, c.spark.overrides["spark-defaults.conf"]);
}
export const sparkDefaults = (plan: Plan): string => properties(sparkDefaultsEntries(plan), HEADER);

export function sparkEnvEntries(plan: Plan, node: NodePlan): Entries {
  const c = plan.config;
  return [
    ["JAVA_HOME", jdk(c, c.spark.java).home],
    ["HADOOP_CONF_DIR", CONF_DIRS.hadoop],
    ["HADOOP_USER_NAME", c.warehouse.owner],
    ["SPARK_LOG_DIR", logDirOf(c.spark.user)],
    // The address Spark binds to and advertises (drivers, master, workers): the node's configured one, never
    // 0.0.0.0 (it would be advertised) nor whatever the host name resolves to. A DNS name is resolved by Spark.
    ["SPARK_LOCAL_IP", node.host],
    ["SPARK_LOCAL_HOSTNAME", node.host],
    ["SPARK_WORKER_CORES", c.spark.workerCores],
    ["SPARK_WORKER_MEMORY", c.spark.workerMemory],
    ["SPARK_WORKER_DIR", c.spark.workDir],
    ["SPARK_DAEMON_MEMORY", c.spark.daemonHeap],
  ];
}
export const sparkEnv = (plan: Plan, node: NodePlan): string => shellEnv(sparkEnvEntries(plan, node), HEADER);

// ---------------------------------------------------------------------------------------------- Flink
/** config.yaml as flat dotted keys (Flink 1.19+ standard YAML accepts them; one style throughout). */
export function flinkConfigEntries(plan: Plan, node: NodePlan): Entries {
  const c = plan.config;
  const f = c.flink;
  const jm = service(plan, "flink-jobmanager");
  const entries: Entries = [
    ["jobmanager.rpc.address", jm.host],
    ["jobmanager.rpc.port", f.rpcPort],
    ["jobmanager.bind-host", "0.0.0.0"],
    ["jobmanager.memory.process.size", f.jobManagerMemory],
    ["rest.address", jm.host],
    ["rest.port", f.restPort],
    ["rest.bind-address", "0.0.0.0"],
    ["taskmanager.host", node.host],
    ["taskmanager.bind-host", "0.0.0.0"],
    ["taskmanager.numberOfTaskSlots", f.taskSlots],
    ["taskmanager.memory.process.size", f.taskManagerMemory],
    ["parallelism.default", 1],
    // Verbatim the list Flink 1.20 ships in conf/config.yaml: what makes it run on Java 17.
    ["env.java.opts.all", FLINK_JAVA_OPTS_ALL.join(" ")],
    ["env.log.dir", logDirOf(f.user)],
    // Paths without a scheme (checkpoints, savepoints) are on HDFS.
    ["fs.default-scheme", plan.endpoints.defaultFS],
  ];
  return withOverrides(entries, f.overrides["config.yaml"]);
}
export function flinkConfig(plan: Plan, node: NodePlan): string {
  const obj: Record<string, Scalar> = Object.fromEntries(flinkConfigEntries(plan, node));
  return yamlDoc(
    obj,
    [
      HEADER,
      "Flink 1.20 reads no catalogs from this file. The Hive catalog (the seed's hive_catalog) is created per",
      "session by SQL clients (sql-client.sh -i init.sql, or the SQL gateway), from the client-only hive-site.xml:",
      `  CREATE CATALOG hive_catalog WITH ('type'='hive', 'hive-conf-dir'='${FLINK_HIVE_CONF}');`,
    ].join("\n"),
  );
}

// ---------------------------------------------------------------------------------------------- per node
export function renderNodeFiles(
  plan: Plan,
  node: NodePlan,
  _secrets: Secrets,
): Partial<Record<"hadoop" | "spark" | "flink", RenderedFile[]>> {
  const c = plan.config;
  const out: Partial<Record<"hadoop" | "spark" | "flink", RenderedFile[]>> = {};
  if (node.artifacts.includes("hadoop")) {
    out.hadoop = [
      file(c, `${CONF_DIRS.hadoop}/core-site.xml`, coreSite(plan)),
      file(c, `${CONF_DIRS.hadoop}/hdfs-site.xml`, hdfsSite(plan)),
    ];
  }
  if (node.artifacts.includes("spark")) {
    out.spark = [
      file(c, `${CONF_DIRS.spark}/spark-defaults.conf`, sparkDefaults(plan)),
      file(c, `${CONF_DIRS.spark}/spark-env.sh`, sparkEnv(plan, node), { mode: "0755" }),
    ];
  }
  if (node.artifacts.includes("flink")) {
    out.flink = [
      file(c, `${CONF_DIRS.flink}/config.yaml`, flinkConfig(plan, node)),
      file(c, `${FLINK_HIVE_CONF}/hive-site.xml`, hiveClientSite(plan)),
    ];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- per service
function unitFile(c: ClusterConfig, s: ServicePlan, spec: Omit<UnitSpec, "user" | "group" | "workingDirectory">): RenderedFile {
  // The log directory is the service user's own: JVM crash files (hs_err_pid*.log) land there, not in /.
  const unit = renderUnit({ ...spec, user: s.user, group: c.serviceGroup, workingDirectory: logDirOf(s.user) });
  return file(c, `/etc/systemd/system/${s.unit}.service`, unit);
}

/** ExecStart through bash: Flink's Hive connector needs Hadoop's jars, which only `hadoop classpath` lists. */
function withHadoopClasspath(argv: string[]): string[] {
  const q = (w: string) => (/^[A-Za-z0-9_./=:-]+$/.test(w) ? w : shQuote(w));
  return ["/bin/bash", "-c", `export HADOOP_CLASSPATH="$(${OPT("hadoop")}/bin/hadoop classpath)"; exec ${argv.map(q).join(" ")}`];
}

export function renderServiceFiles(plan: Plan, s: ServicePlan, secrets: Secrets): RenderedFile[] {
  const c = plan.config;
  const logDir = logDirOf(s.user);
  switch (s.kind) {
    case "postgres":
      return []; // MetastoreDatabase configures the OS package's own unit.
    case "namenode":
      return [
        // Membership (dfs.hosts, dfs.hosts.exclude) is not a file here: the NameNode component's membership
        // step writes it, decommissioning a removed DataNode before it drops it (hdfs-membership.sh).
        unitFile(c, s, {
          description: "HDFS NameNode (lakehouse-iac)",
          exec: [`${OPT("hadoop")}/bin/hdfs`, "namenode"],
          environment: { ...hadoopEnv(s), HDFS_NAMENODE_OPTS: xmx(c.hdfs.nameNodeHeap) },
        }),
      ];
    case "datanode":
      return [
        unitFile(c, s, {
          description: "HDFS DataNode (lakehouse-iac)",
          exec: [`${OPT("hadoop")}/bin/hdfs`, "datanode"],
          environment: { ...hadoopEnv(s), HDFS_DATANODE_OPTS: xmx(c.hdfs.dataNodeHeap) },
        }),
      ];
    case "metastore":
      return [
        secretFile(c, s, `${CONF_DIRS.hive}/hive-site.xml`, hiveSite(plan, secrets)),
        file(c, `${CONF_DIRS.hive}/metastore-site.xml`, metastoreSite()),
        unitFile(c, s, {
          description: "Hive Metastore (lakehouse-iac)",
          exec: [`${OPT("hive")}/bin/start-metastore`],
          environment: {
            ...hadoopEnv(s),
            METASTORE_HOME: OPT("hive"),
            METASTORE_CONF_DIR: CONF_DIRS.hive,
            HIVE_CONF_DIR: CONF_DIRS.hive,
            // bin/metastore-config.sh defaults HADOOP_HEAPSIZE to 256 (MB); Hadoop 3 prefers HADOOP_HEAPSIZE_MAX.
            // Both carry the configured heap, whichever the scripts read.
            HADOOP_HEAPSIZE: c.metastore.heap,
            HADOOP_HEAPSIZE_MAX: c.metastore.heap,
            // metastore-log4j2.properties writes to ${sys:metastore.log.dir} (default: java.io.tmpdir).
            HADOOP_CLIENT_OPTS: `-Dmetastore.log.dir=${logDir}`,
          },
        }),
      ];
    case "trino": {
      const etc = CONF_DIRS.trino;
      const files = [
        secretFile(c, s, `${etc}/config.properties`, trinoConfig(plan, s, secrets)),
        file(c, `${etc}/node.properties`, trinoNode(plan, s)),
        file(c, `${etc}/jvm.config`, trinoJvm(plan)),
        file(c, `${etc}/log.properties`, properties(trinoLogEntries(), HEADER)),
      ];
      for (const name of ["iceberg", "delta", "hive"] as const) {
        if (c.trino.catalogs[name]) files.push(file(c, `${etc}/catalog/${name}.properties`, trinoCatalog(plan, name)));
      }
      files.push(
        unitFile(c, s, {
          description: `Trino ${s.trino!.coordinator ? "coordinator" : "worker"} (lakehouse-iac)`,
          exec: [`${OPT("trino")}/bin/launcher`, "run", `--etc-dir=${etc}`],
          // The launcher (python3) starts `java` from PATH: the configured JDK comes first.
          environment: { JAVA_HOME: s.jdk!.home, PATH: `${s.jdk!.home}/bin:/usr/local/bin:/usr/bin:/bin` },
          limitNoFile: 131072,
        }),
      );
      return files;
    }
    case "spark-master":
    case "spark-worker": {
      // spark-class sources spark-env.sh from SPARK_CONF_DIR (heap: SPARK_DAEMON_MEMORY) and runs in the foreground.
      const env = { JAVA_HOME: s.jdk!.home, SPARK_HOME: OPT("spark"), SPARK_CONF_DIR: CONF_DIRS.spark };
      const cls = `${OPT("spark")}/bin/spark-class`;
      const sp = c.spark;
      const exec =
        s.kind === "spark-master"
          ? [
              cls,
              "org.apache.spark.deploy.master.Master",
              "--host",
              s.host,
              "--port",
              String(sp.masterPort),
              "--webui-port",
              String(sp.masterUiPort),
            ]
          : [
              cls,
              "org.apache.spark.deploy.worker.Worker",
              "--host",
              s.host,
              "--port",
              String(sp.workerPort),
              "--webui-port",
              String(sp.workerUiPort),
              "--cores",
              String(sp.workerCores),
              "--memory",
              sp.workerMemory,
              "--work-dir",
              sp.workDir,
              plan.endpoints.sparkMasterUrl!,
            ];
      return [
        unitFile(c, s, { description: `Spark ${s.kind === "spark-master" ? "master" : "worker"} (lakehouse-iac)`, exec, environment: env }),
      ];
    }
    case "flink-jobmanager":
    case "flink-taskmanager": {
      const script = s.kind === "flink-jobmanager" ? "jobmanager.sh" : "taskmanager.sh";
      return [
        unitFile(c, s, {
          description: `Flink ${s.kind === "flink-jobmanager" ? "JobManager" : "TaskManager"} (lakehouse-iac)`,
          exec: withHadoopClasspath([`${OPT("flink")}/bin/${script}`, "start-foreground"]),
          environment: {
            JAVA_HOME: s.jdk!.home,
            FLINK_CONF_DIR: CONF_DIRS.flink,
            FLINK_LOG_DIR: logDir,
            HADOOP_CONF_DIR: CONF_DIRS.hadoop,
            HADOOP_USER_NAME: c.warehouse.owner,
          },
        }),
      ];
    }
  }
}
