/** Spark: spark-defaults.conf and spark-env.sh per node, the master and worker units. */
import { NodePlan, OPT, Plan, ServicePlan, jdk } from "../../lib/model";
import { SPARK_CONF } from "./config";
import { HADOOP_CONF } from "../hdfs/client";
import { Entries, Scalar, properties, shellEnv, withOverrides } from "../../config-templates/writers";
import { groupOf } from "../groups";
import { HEADER, RenderedFile, Secrets, file, logDirOf } from "../../config-templates/common";
import { EnvironmentCarrier, HeapKey, JvmSpec, ProcessRun, processUnit } from "../../config-templates/process";
import { renderOneshot, renderTimer } from "../../config-templates/systemd";
import { keytabPath, principalOf } from "../kerberos/client";
import { hiveClientTlsEntries, metastoreSasl, metastoreTls, thriftProtection } from "../metastore/client";
import { readFileSync } from "fs";
import * as path from "path";

/** With Kerberos: the oneshot unit (and its timer) that keeps a worker node's HDFS token for executors valid. */
export const SPARK_TOKEN_UNIT = "spark-hdfs-token";
/** Where that token script is installed (services/spark/hdfs-token.sh). */
export const SPARK_TOKEN_SCRIPT = `${SPARK_CONF}/hdfs-token.sh`;
/** A worker node's HDFS token file: its executors read it (HADOOP_TOKEN_FILE_LOCATION). */
export const sparkTokenFile = (plan: Plan): string => `${plan.config.spark.workDir}/hdfs.token`;

/** spark-defaults.conf of a node: with the overrides of the node's worker group (spark.workerGroups), if any. */
/** Hadoop/Hive client settings as Spark passes them to its Hadoop configuration (`spark.hadoop.<key>`). */
const asSparkHadoop = (e: Entries): Entries => e.map(([k, v]): [string, Scalar] => [`spark.hadoop.${k}`, v]);

export function sparkDefaultsEntries(plan: Plan, secrets: Secrets, node?: NodePlan): Entries {
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
    // The REST submission server (port 6066) takes jobs without Spark's authentication: off, stated.
    ["spark.master.rest.enabled", false],
  ];
  const sasl = c.kerberos.enabled ? metastoreSasl(plan) : undefined;
  if (sasl)
    // Drivers reach the metastore with their Kerberos ticket (the user's own, or the spark keytab's).
    entries.push(
      ["spark.hadoop.hive.metastore.sasl.enabled", true],
      ["spark.hadoop.hive.metastore.kerberos.principal", sasl.clientPrincipal],
      ...asSparkHadoop(thriftProtection(plan)),
    );
  if (metastoreTls(plan))
    // The metastore over TLS (Spark's and its Iceberg catalog's Hive client read these through spark.hadoop.*).
    entries.push(["spark.hadoop.hive.metastore.use.SSL", true], ...asSparkHadoop(hiveClientTlsEntries(plan)));
  if (c.spark.authenticate) {
    // Master, workers and drivers read this file; a driver without the secret is refused at the master.
    // Executors get the secret from their worker through the environment, never on a command line.
    entries.push(
      ["spark.authenticate", true],
      ["spark.authenticate.secret", secrets.sparkAuthSecret],
      ["spark.network.crypto.enabled", true],
    );
  }
  const g = node && groupOf(c.spark.workerGroups, node.name)?.group;
  return withOverrides(withOverrides(entries, c.spark.overrides["spark-defaults.conf"]), g?.overrides["spark-defaults.conf"]);
}
export const sparkDefaults = (plan: Plan, secrets: Secrets, node?: NodePlan): string =>
  properties(sparkDefaultsEntries(plan, secrets, node), HEADER);

export function sparkEnvEntries(plan: Plan, node: NodePlan): Entries {
  const c = plan.config;
  // The node's worker group (spark.workerGroups), over spark.*.
  const g = groupOf(c.spark.workerGroups, node.name)?.group;
  return [
    ["JAVA_HOME", jdk(c, c.spark.java).home],
    ["HADOOP_CONF_DIR", HADOOP_CONF],
    ["HADOOP_USER_NAME", c.warehouse.owner],
    ["SPARK_LOG_DIR", logDirOf(c.spark.user)],
    // The address Spark binds to and advertises (drivers, master, workers): the node's configured one, never
    // 0.0.0.0 (it would be advertised) nor whatever the host name resolves to. A DNS name is resolved by Spark.
    ["SPARK_LOCAL_IP", node.host],
    ["SPARK_LOCAL_HOSTNAME", node.host],
    ["SPARK_WORKER_CORES", g?.workerCores ?? c.spark.workerCores],
    ["SPARK_WORKER_MEMORY", g?.workerMemory ?? c.spark.workerMemory],
    ["SPARK_WORKER_DIR", c.spark.workDir],
    sparkDaemonHeapEntry(plan),
  ];
}
export const sparkEnv = (plan: Plan, node: NodePlan): string => shellEnv(sparkEnvEntries(plan, node), HEADER);

/**
 * A Spark daemon's JVM, the master's and a worker's alike: its heap is spark-env.sh's SPARK_DAEMON_MEMORY (the
 * node's, which spark-class sources), its options its unit's SPARK_DAEMON_JAVA_OPTS, which spark-class adds to
 * a daemon's command line (spark-env.sh leaves it alone: each daemon keeps its own).
 */
export const sparkDaemonJvm = (plan: Plan): JvmSpec<EnvironmentCarrier & { heap: HeapKey }> & { heap: string } => ({
  heap: plan.config.spark.daemonHeap,
  options: [],
  carrier: {
    kind: "environment",
    variable: "SPARK_DAEMON_JAVA_OPTS",
    heap: { file: `${SPARK_CONF}/spark-env.sh`, key: "SPARK_DAEMON_MEMORY" },
  },
});

/** spark-env.sh's entry of the daemons' heap, from their JVM's spec. */
function sparkDaemonHeapEntry(plan: Plan): [string, Scalar] {
  const jvm = sparkDaemonJvm(plan);
  return [jvm.carrier.heap.key, jvm.heap];
}

/**
 * How a Spark master or worker runs: spark-class in the foreground, on the node's address, with its group's
 * cores and memory (the unit's flags win over spark-env.sh). With Kerberos a worker starts once its node's HDFS
 * token for executors is valid, and a timer keeps it so.
 */
export function sparkProcess(plan: Plan, s: ServicePlan): ProcessRun {
  const c = plan.config;
  const sp = c.spark;
  const cls = `${OPT("spark")}/bin/spark-class`;
  // spark-class sources spark-env.sh from SPARK_CONF_DIR and runs in the foreground.
  const environment = { JAVA_HOME: s.jdk!.home, SPARK_HOME: OPT("spark"), SPARK_CONF_DIR: SPARK_CONF };
  const jvm = sparkDaemonJvm(plan);
  switch (s.kind) {
    case "spark-master":
      return {
        description: "Spark master (lakehouse-iac)",
        exec: [
          cls,
          "org.apache.spark.deploy.master.Master",
          "--host",
          s.host,
          "--port",
          String(sp.masterPort),
          "--webui-port",
          String(sp.masterUiPort),
        ],
        environment,
        jvm,
      };
    case "spark-worker": {
      const g = groupOf(sp.workerGroups, s.node)?.group;
      const worker: ProcessRun = {
        description: "Spark worker (lakehouse-iac)",
        exec: [
          cls,
          "org.apache.spark.deploy.worker.Worker",
          "--host",
          s.host,
          "--port",
          String(sp.workerPort),
          "--webui-port",
          String(sp.workerUiPort),
          "--cores",
          String(g?.workerCores ?? sp.workerCores),
          "--memory",
          g?.workerMemory ?? sp.workerMemory,
          "--work-dir",
          sp.workDir,
          plan.endpoints.sparkMasterUrl!,
        ],
        environment,
        jvm,
      };
      if (!c.kerberos.enabled) return worker;
      return {
        ...worker,
        environment: { ...environment, ...sparkTokenEnv(plan, s) },
        execStartPre: [SPARK_TOKEN_SCRIPT],
        wants: [`${SPARK_TOKEN_UNIT}.timer`],
      };
    }
    default:
      throw new Error(`internal: sparkProcess got ${s.kind}`);
  }
}

/** The own files of a Spark master or worker instance: its unit; with Kerberos a worker's token script and its timer. */
export function sparkServiceFiles(plan: Plan, s: ServicePlan, _secrets: Secrets): RenderedFile[] {
  const c = plan.config;
  const unit = processUnit(plan, s, sparkProcess(plan, s));
  if (s.kind === "spark-master" || !c.kerberos.enabled) return [unit];
  const tokenEnv = sparkTokenEnv(plan, s);
  return [
    unit,
    file(c, SPARK_TOKEN_SCRIPT, tokenScript(), { mode: "0755" }),
    file(
      c,
      `/etc/systemd/system/${SPARK_TOKEN_UNIT}.service`,
      renderOneshot({
        description: "HDFS token of the Spark executors on this node (lakehouse-iac)",
        user: s.user,
        group: c.serviceGroup,
        exec: [SPARK_TOKEN_SCRIPT],
        environment: tokenEnv,
      }),
    ),
    file(
      c,
      `/etc/systemd/system/${SPARK_TOKEN_UNIT}.timer`,
      renderTimer({
        description: "Renews the HDFS token of the Spark executors on this node (lakehouse-iac)",
        unit: `${SPARK_TOKEN_UNIT}.service`,
        everySec: c.spark.hdfsTokenRenewSeconds,
      }),
    ),
  ];
}

/** services/spark/hdfs-token.sh, read once (every worker of every render installs the same text). */
let tokenScriptText: string | undefined;
const tokenScript = (): string => (tokenScriptText ??= readFileSync(path.join(__dirname, "hdfs-token.sh"), "utf8"));

/** What the token script reads (none of it secret): the node's spark keytab and principal, where the token goes. */
function sparkTokenEnv(plan: Plan, s: ServicePlan): Record<string, string> {
  const c = plan.config;
  return {
    SPARK_KEYTAB: keytabPath(c.kerberos, s.user),
    SPARK_PRINCIPAL: principalOf(c.kerberos, "spark", s.node),
    HADOOP_TOKEN_FILE_LOCATION: sparkTokenFile(plan),
    HADOOP_HOME: OPT("hadoop"),
    HADOOP_CONF_DIR: HADOOP_CONF,
    HDFS_JAVA_HOME: jdk(c, c.hdfs.java).home,
  };
}
