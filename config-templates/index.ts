/**
 * Every file a service needs, rendered from the plan. Pure: no Pulumi, no I/O.
 * - renderNodeFiles: files shared by the services of one release on a node (the Hadoop client config that
 *   every JVM here reads, Spark's and Flink's conf), written once per node;
 * - renderServiceFiles: a service instance's own files and its systemd unit.
 */
import type { ClusterConfig } from "../lib/config";
import { CONF_DIRS, NodePlan, OPT, Plan, ServicePlan } from "../lib/plan";
import { FLINK_JAVA_OPTS_ALL, HADOOP_JAVA17_OPENS, xmx } from "./java";
import { renderUnit, UnitSpec } from "./systemd";
import { Entries, properties, shellEnv, withOverrides, xmlConfiguration, yamlDoc } from "./writers";

export { renderUnit } from "./systemd";
export type { UnitSpec } from "./systemd";

export interface RenderedFile {
  path: string;
  /** Ends with a newline. */
  content: string;
  mode: string;
  owner: string;
  group: string;
  /** The content holds a secret value. */
  secret: boolean;
  /** What the owning service does when this file changes. */
  onChange: "restart" | "reload";
}

export interface Secrets {
  postgresPassword: string;
  trinoSharedSecret: string;
  metastoreKeystorePassword?: string;
}

const HEADER = "Managed by lakehouse-iac: changes here are overwritten on the next apply.";
/** The small exec wrapper that puts Hadoop's jars on HADOOP_CLASSPATH (Flink's Hive connector needs them). */
export const WITH_HADOOP_CLASSPATH = "/usr/local/lib/lakehouse-iac/with-hadoop-classpath";

const file = (c: ClusterConfig, path: string, content: string, extra: Partial<RenderedFile> = {}): RenderedFile => ({
  path,
  content,
  mode: "0644",
  owner: "root",
  group: c.serviceGroup,
  secret: false,
  onChange: "restart",
  ...extra,
});

// ---------------------------------------------------------------------------------------------- Hadoop
export function coreSite(plan: Plan): string {
  const c = plan.config;
  const entries: Entries = [
    ["fs.defaultFS", plan.endpoints.defaultFS],
    ["hadoop.tmp.dir", "/tmp/hadoop-${user.name}"],
  ];
  return xmlConfiguration(withOverrides(entries, c.hdfs.overrides["core-site.xml"]), HEADER);
}

export function hdfsSite(plan: Plan): string {
  const c = plan.config;
  const h = c.hdfs;
  const nn = plan.services.find((s) => s.kind === "namenode")!;
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
    ["dfs.hosts", `${CONF_DIRS.hadoop}/dfs.hosts`],
    ["dfs.hosts.exclude", `${CONF_DIRS.hadoop}/dfs.hosts.exclude`],
    ["dfs.permissions.superusergroup", c.serviceGroup],
    // Lab and bare-metal hosts often lack reverse DNS; registration must not depend on it.
    ["dfs.namenode.datanode.registration.ip-hostname-check", false],
    ["dfs.client.use.datanode.hostname", false],
  ];
  return xmlConfiguration(withOverrides(entries, h.overrides["hdfs-site.xml"]), HEADER);
}

function hadoopEnv(c: ClusterConfig, s: ServicePlan): Record<string, string> {
  return {
    JAVA_HOME: s.jdk!.home,
    HADOOP_HOME: OPT("hadoop"),
    HADOOP_CONF_DIR: CONF_DIRS.hadoop,
    HADOOP_LOG_DIR: `/var/log/lakehouse/${s.user}`,
    HADOOP_OPTS: HADOOP_JAVA17_OPENS.join(" "),
  };
}

// ---------------------------------------------------------------------------------------------- Hive
/** The metastore's hive-site.xml: holds the database password. */
export function hiveSite(plan: Plan, secrets: Secrets): string {
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
    // Managed Hive tables land in /lakehouse/hive; Iceberg and Delta tables name their own locations under
    // /lakehouse/iceberg and /lakehouse/delta (the engines' catalogs point there).
    ["metastore.warehouse.dir", e.warehouse.hive],
    ["hive.metastore.warehouse.dir", e.warehouse.hive],
    ["fs.defaultFS", e.defaultFS],
    // Standalone mode: no HiveServer2 tasks, no Hive expression classes.
    [
      "metastore.task.threads.always",
      "org.apache.hadoop.hive.metastore.events.EventCleanerTask,org.apache.hadoop.hive.metastore.MaterializationsCacheCleanerTask",
    ],
    ["metastore.expression.proxy", "org.apache.hadoop.hive.metastore.DefaultPartitionExpressionProxy"],
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
    entries.push(
      ["hive.metastore.keystore.path", m.security.keystorePath!],
      ["hive.metastore.keystore.password", secrets.metastoreKeystorePassword ?? ""],
    );
  }
  return xmlConfiguration(withOverrides(entries, m.overrides["hive-site.xml"]), HEADER);
}

/** A client-only hive-site.xml (Flink's Hive catalog): where the metastore is, no credentials. */
export function hiveClientSite(plan: Plan): string {
  const e = plan.endpoints;
  const m = plan.config.metastore;
  const entries: Entries = [
    ["hive.metastore.uris", e.metastoreUri],
    ["hive.metastore.warehouse.dir", e.warehouse.hive],
    ["hive.metastore.sasl.enabled", m.security.sasl],
    ["hive.metastore.use.SSL", m.security.ssl],
  ];
  if (m.security.sasl) entries.push(["hive.metastore.kerberos.principal", m.security.kerberosPrincipal!]);
  return xmlConfiguration(entries, `${HEADER} Client settings only: no database credentials here.`);
}

// ---------------------------------------------------------------------------------------------- Trino
export function trinoConfig(plan: Plan, s: ServicePlan, secrets: Secrets): string {
  const c = plan.config;
  const t = s.trino!;
  const entries: Entries = t.coordinator
    ? [
        ["coordinator", true],
        ["node-scheduler.include-coordinator", t.schedulesWork],
        ["http-server.http.port", c.trino.httpPort],
        ["discovery.uri", plan.endpoints.trinoUrl!],
      ]
    : [
        ["coordinator", false],
        ["http-server.http.port", c.trino.httpPort],
        ["discovery.uri", plan.endpoints.trinoUrl!],
      ];
  entries.push(
    ["query.max-memory", c.trino.queryMaxMemory],
    ["query.max-memory-per-node", c.trino.queryMaxMemoryPerNode],
    ["internal-communication.shared-secret", secrets.trinoSharedSecret],
  );
  return properties(withOverrides(entries, c.trino.overrides["config.properties"]), HEADER);
}

export function trinoNode(plan: Plan, s: ServicePlan): string {
  const c = plan.config;
  const entries: Entries = [
    ["node.environment", c.environment],
    ["node.id", s.trino!.nodeId],
    ["node.data-dir", c.trino.dataDir],
    ["node.internal-address", s.host],
  ];
  return properties(withOverrides(entries, c.trino.overrides["node.properties"]), HEADER);
}

export function trinoJvm(plan: Plan): string {
  const c = plan.config;
  // The Trino 435 deployment guide's jvm.config, with the heap from config and HDFS access as the warehouse owner.
  return [
    "-server",
    xmx(c.trino.heap),
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
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+UseAESCTRIntrinsics",
    "-XX:-G1UsePreventiveGC",
    "-Dfile.encoding=UTF-8",
    `-DHADOOP_USER_NAME=${c.warehouse.owner}`,
    "",
  ].join("\n");
}

export function trinoCatalog(plan: Plan, name: "iceberg" | "delta" | "hive"): string {
  const c = plan.config;
  const common: Entries = [
    ["hive.metastore.uri", plan.endpoints.metastoreUri],
    ["hive.config.resources", `${CONF_DIRS.hadoop}/core-site.xml,${CONF_DIRS.hadoop}/hdfs-site.xml`],
  ];
  const byName: Record<typeof name, Entries> = {
    iceberg: [["connector.name", "iceberg"], ["iceberg.catalog.type", "hive_metastore"], ...common],
    delta: [["connector.name", "delta_lake"], ...common, ["delta.register-table-procedure.enabled", true]],
    hive: [["connector.name", "hive"], ...common, ["hive.non-managed-table-writes-enabled", true]],
  };
  return properties(withOverrides(byName[name], c.trino.overrides[`${name}.properties`]), HEADER);
}

// ---------------------------------------------------------------------------------------------- Spark
export function sparkDefaults(plan: Plan): string {
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
  return properties(withOverrides(entries, c.spark.overrides["spark-defaults.conf"]), HEADER);
}

export function sparkEnv(plan: Plan, node: NodePlan): string {
  const c = plan.config;
  const jdk = c.java[c.spark.java];
  const entries: Entries = [
    ["JAVA_HOME", jdk.home],
    ["HADOOP_CONF_DIR", CONF_DIRS.hadoop],
    ["HADOOP_USER_NAME", c.warehouse.owner],
    ["SPARK_LOG_DIR", `/var/log/lakehouse/${c.spark.user}`],
    ["SPARK_LOCAL_IP", node.host.match(/^\d+\.\d+\.\d+\.\d+$/) ? node.host : "0.0.0.0"],
    ["SPARK_WORKER_CORES", c.spark.workerCores],
    ["SPARK_WORKER_MEMORY", c.spark.workerMemory],
    ["SPARK_WORKER_DIR", c.spark.workDir],
    ["SPARK_DAEMON_MEMORY", c.spark.daemonHeap],
  ];
  return shellEnv(entries, HEADER);
}

// ---------------------------------------------------------------------------------------------- Flink
export function flinkConfig(plan: Plan, node: NodePlan): string {
  const c = plan.config;
  const f = c.flink;
  const jm = plan.services.find((s) => s.kind === "flink-jobmanager")!;
  const base: Record<string, string | number | boolean> = {
    "jobmanager.rpc.address": jm.host,
    "jobmanager.rpc.port": f.rpcPort,
    "jobmanager.bind-host": "0.0.0.0",
    "jobmanager.memory.process.size": f.jobManagerMemory,
    "rest.address": jm.host,
    "rest.port": f.restPort,
    "rest.bind-address": "0.0.0.0",
    "taskmanager.host": node.host,
    "taskmanager.bind-host": "0.0.0.0",
    "taskmanager.numberOfTaskSlots": f.taskSlots,
    "taskmanager.memory.process.size": f.taskManagerMemory,
    "parallelism.default": 1,
    "env.java.opts.all": FLINK_JAVA_OPTS_ALL.join(" "),
    "env.log.dir": `/var/log/lakehouse/${f.user}`,
    "fs.default-scheme": plan.endpoints.defaultFS,
  };
  const merged = Object.fromEntries(withOverrides(Object.entries(base), f.overrides["config.yaml"]));
  return yamlDoc(
    merged,
    `${HEADER}\n# Hive catalog for SQL clients: CREATE CATALOG hive_catalog WITH ('type'='hive', 'hive-conf-dir'='${FLINK_HIVE_CONF}');`,
  );
}
export const FLINK_HIVE_CONF = "/etc/flink/hive-conf";

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
      file(
        c,
        WITH_HADOOP_CLASSPATH,
        `#!/bin/sh\n# ${HEADER}\n# Runs a command with Hadoop's jars on HADOOP_CLASSPATH.\nset -eu\nHADOOP_CLASSPATH="$(${OPT("hadoop")}/bin/hadoop classpath)"\nexport HADOOP_CLASSPATH\nexec "$@"\n`,
        { mode: "0755" },
      ),
    ];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- per service
function unitFile(c: ClusterConfig, s: ServicePlan, spec: Omit<UnitSpec, "user" | "group">): RenderedFile {
  return file(c, `/etc/systemd/system/${s.unit}.service`, renderUnit({ ...spec, user: s.user, group: c.serviceGroup }));
}

export function renderServiceFiles(plan: Plan, s: ServicePlan, secrets: Secrets): RenderedFile[] {
  const c = plan.config;
  const logDir = `/var/log/lakehouse/${s.user}`;
  switch (s.kind) {
    case "postgres":
      return []; // MetastoreDatabase configures the OS package's own unit.
    case "namenode": {
      const dataNodeHosts = plan.services.filter((x) => x.kind === "datanode").map((x) => x.host);
      return [
        file(c, `${CONF_DIRS.hadoop}/dfs.hosts`, `${dataNodeHosts.join("\n")}\n`, { onChange: "reload" }),
        file(c, `${CONF_DIRS.hadoop}/dfs.hosts.exclude`, "", { onChange: "reload" }),
        unitFile(c, s, {
          description: "HDFS NameNode (lakehouse-iac)",
          exec: [`${OPT("hadoop")}/bin/hdfs`, "namenode"],
          environment: { ...hadoopEnv(c, s), HDFS_NAMENODE_OPTS: xmx(c.hdfs.nameNodeHeap) },
        }),
      ];
    }
    case "datanode":
      return [
        unitFile(c, s, {
          description: "HDFS DataNode (lakehouse-iac)",
          exec: [`${OPT("hadoop")}/bin/hdfs`, "datanode"],
          environment: { ...hadoopEnv(c, s), HDFS_DATANODE_OPTS: xmx(c.hdfs.dataNodeHeap) },
        }),
      ];
    case "metastore":
      return [
        file(c, `${CONF_DIRS.hive}/hive-site.xml`, hiveSite(plan, secrets), { mode: "0640", owner: s.user, secret: true }),
        unitFile(c, s, {
          description: "Hive Metastore (lakehouse-iac)",
          exec: [`${OPT("hive")}/bin/start-metastore`],
          environment: {
            ...hadoopEnv(c, s),
            METASTORE_HOME: OPT("hive"),
            METASTORE_CONF_DIR: CONF_DIRS.hive,
            HIVE_CONF_DIR: CONF_DIRS.hive,
            HADOOP_HEAPSIZE_MAX: c.metastore.heap,
            METASTORE_LOG_DIR: logDir,
          },
        }),
      ];
    case "trino": {
      const etc = CONF_DIRS.trino;
      const files = [
        file(c, `${etc}/config.properties`, trinoConfig(plan, s, secrets), { mode: "0640", owner: s.user, secret: true }),
        file(c, `${etc}/node.properties`, trinoNode(plan, s)),
        file(c, `${etc}/jvm.config`, trinoJvm(plan)),
        file(c, `${etc}/log.properties`, properties([["io.trino", "INFO"]], HEADER)),
      ];
      for (const name of ["iceberg", "delta", "hive"] as const) {
        if (c.trino.catalogs[name]) files.push(file(c, `${etc}/catalog/${name}.properties`, trinoCatalog(plan, name)));
      }
      files.push(
        unitFile(c, s, {
          description: `Trino ${s.trino!.coordinator ? "coordinator" : "worker"} (lakehouse-iac)`,
          exec: [`${OPT("trino")}/bin/launcher`, "run", `--etc-dir=${etc}`],
          environment: { JAVA_HOME: s.jdk!.home, PATH: `${s.jdk!.home}/bin:/usr/local/bin:/usr/bin:/bin` },
          limitNoFile: 131072,
        }),
      );
      return files;
    }
    case "spark-master":
    case "spark-worker": {
      const env = { JAVA_HOME: s.jdk!.home, SPARK_HOME: OPT("spark"), SPARK_CONF_DIR: CONF_DIRS.spark, SPARK_NO_DAEMONIZE: "true" };
      const cls = `${OPT("spark")}/bin/spark-class`;
      const exec =
        s.kind === "spark-master"
          ? [
              cls,
              "org.apache.spark.deploy.master.Master",
              "--host",
              s.host,
              "--port",
              String(c.spark.masterPort),
              "--webui-port",
              String(c.spark.masterUiPort),
            ]
          : [
              cls,
              "org.apache.spark.deploy.worker.Worker",
              "--host",
              s.host,
              "--port",
              String(c.spark.workerPort),
              "--webui-port",
              String(c.spark.workerUiPort),
              "--cores",
              String(c.spark.workerCores),
              "--memory",
              c.spark.workerMemory,
              "--work-dir",
              c.spark.workDir,
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
          exec: [WITH_HADOOP_CLASSPATH, `${OPT("flink")}/bin/${script}`, "start-foreground"],
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
