/** Flink: config.yaml per node, the JobManager and TaskManager units (with Hadoop's classpath). */
import { NodePlan, OPT, Plan, ServicePlan } from "../../lib/model";
import { HADOOP_CONF } from "../hdfs/client";
import { FLINK_CONF } from "./config";
import { FLINK_JAVA_OPTS_ALL } from "./java";
import { groupOf } from "../groups";
import { Entries, Scalar, shQuote, withOverrides, yamlDoc } from "../../config-templates/writers";
import { HEADER, RenderedFile, Secrets, logDirOf, service, storePassword } from "../../config-templates/common";
import { ConfigCarrier, JvmSpec, ProcessRun, jvmOptionsLine, processUnit } from "../../config-templates/process";
import { keytabPath, principalOf } from "../kerberos/client";

/** Where Flink's Hive catalog finds its client-only hive-site.xml (`'hive-conf-dir'`). */
export const FLINK_HIVE_CONF = "/etc/flink/hive-conf";
/** With Kerberos: the REST endpoint's keystore (the node's key and certificate) and truststore (the cluster CA). */
export const FLINK_KEYSTORE = "/etc/flink/tls/flink.p12";
export const FLINK_TRUSTSTORE = "/etc/flink/tls/truststore.p12";
export const flinkKeystorePassword = (secrets: Pick<Secrets, "hashKey">): string => storePassword(secrets, "flink-keystore");
/** TLS 1.2 suites for the nodes' RSA certificates, with ECDHE key exchange (forward secrecy) and AES-GCM. */
export const FLINK_TLS_SUITES = ["TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"];
/**
 * Whether this node runs Flink in the Kerberos mode: its processes log in from its flink keytab, and its REST
 * endpoint takes HTTPS with client certificates only.
 */
export const kerberizedFlinkNode = (plan: Plan, node: NodePlan): boolean =>
  plan.config.kerberos.enabled && node.services.some((s) => s.user === plan.config.flink.user);

/** config.yaml as flat dotted keys (Flink 1.19+ standard YAML accepts them; one style throughout). */
export function flinkConfigEntries(plan: Plan, node: NodePlan, secrets: Secrets): Entries {
  const c = plan.config;
  const f = c.flink;
  const jm = service(plan, "flink-jobmanager");
  // The node's TaskManager group (flink.taskManagerGroups), over flink.*.
  const g = groupOf(f.taskManagerGroups, node.name)?.group;
  const entries: Entries = [
    ["jobmanager.rpc.address", jm.host],
    ["jobmanager.rpc.port", f.rpcPort],
    ["jobmanager.bind-host", "0.0.0.0"],
    ["jobmanager.memory.process.size", f.jobManagerMemory],
    ["rest.address", jm.host],
    ["rest.port", f.restPort],
    // The REST API (and web UI) on the node's own address only, and without jar upload unless asked for:
    // whoever can upload a jar runs code as the flink user. SQL clients submit job graphs, not jars.
    ["rest.bind-address", node.host],
    ["web.submit.enable", f.webSubmit],
    // The SQL client's embedded gateway takes rest.bind-address too, and its client connects to localhost:
    // bound to the node's address, every `sql-client.sh` failed with "Connection refused: localhost/127.0.0.1".
    ["sql-gateway.endpoint.rest.bind-address", "127.0.0.1"],
    ["taskmanager.host", node.host],
    ["taskmanager.bind-host", "0.0.0.0"],
    ["taskmanager.numberOfTaskSlots", g?.taskSlots ?? f.taskSlots],
    ["taskmanager.memory.process.size", g?.taskManagerMemory ?? f.taskManagerMemory],
    ["parallelism.default", 1],
    // Verbatim the list Flink 1.20 ships in conf/config.yaml: what makes it run on Java 17.
    ["env.java.opts.all", FLINK_JAVA_OPTS_ALL.join(" ")],
    ...flinkJvmEntries(plan, node),
    ["env.log.dir", logDirOf(f.user)],
    // Paths without a scheme (checkpoints, savepoints) are on HDFS.
    ["fs.default-scheme", plan.endpoints.defaultFS],
    ...flinkKerberosEntries(plan, node),
    ...kerberizedFlinkNodeEntries(plan, node, secrets),
  ];
  return withOverrides(withOverrides(entries, f.overrides["config.yaml"]), g?.overrides["config.yaml"]);
}
/**
 * With Kerberos, every Flink process on a node that runs Flink (JobManager, TaskManagers, and clients such as
 * sql-client.sh run as the flink user) logs in from the node's flink keytab as flink/<node>: to HDFS and to the
 * metastore. Delegation tokens stay off: Flink's HDFS token provider asks YARN for a renewer, and in a
 * standalone session cluster every process has its own keytab login, renewed by Flink itself.
 */
export function flinkKerberosEntries(plan: Plan, node: NodePlan): Entries {
  const c = plan.config;
  if (!kerberizedFlinkNode(plan, node)) return [];
  return [
    ["security.kerberos.login.use-ticket-cache", false],
    ["security.kerberos.login.keytab", keytabPath(c.kerberos, c.flink.user)],
    ["security.kerberos.login.principal", principalOf(c.kerberos, "flink", node.name)],
    ["security.delegation.tokens.enabled", false],
  ];
}

/**
 * With Kerberos, every Flink connection is TLS with certificates of the cluster CA on both ends (mutual TLS), the
 * node's own key and certificate in its keystore (its root and the flink user hold them):
 * - the REST endpoint (the web UI, job submission, the SQL gateway's) takes HTTPS only, from clients that present
 *   one: reaching the port no longer means submitting a job as the flink user;
 * - the internal connections (RPC between the JobManager and the TaskManagers, the blob server, the data
 *   exchange between TaskManagers) take TLS only, which Flink always runs with client authentication: a process
 *   without a certificate of the CA can neither join the cluster nor read the records it moves.
 */
export function kerberizedFlinkNodeEntries(plan: Plan, node: NodePlan, secrets: Secrets): Entries {
  if (!kerberizedFlinkNode(plan, node)) return [];
  const pw = flinkKeystorePassword(secrets);
  const stores = (door: "rest" | "internal"): Entries => [
    [`security.ssl.${door}.keystore`, FLINK_KEYSTORE],
    [`security.ssl.${door}.keystore-password`, pw],
    [`security.ssl.${door}.key-password`, pw],
    [`security.ssl.${door}.truststore`, FLINK_TRUSTSTORE],
    [`security.ssl.${door}.truststore-password`, pw],
  ];
  return [
    ["security.ssl.rest.enabled", true],
    ["security.ssl.rest.authentication-enabled", true],
    ...stores("rest"),
    ["security.ssl.internal.enabled", true],
    ...stores("internal"),
    // Flink's default suite (TLS_RSA_WITH_AES_128_CBC_SHA) is one the JDK now disables (TLS_RSA_* in
    // jdk.tls.disabledAlgorithms): every handshake failed with "No appropriate protocol". Forward-secret AES-GCM.
    ["security.ssl.algorithms", FLINK_TLS_SUITES.join(",")],
  ];
}

export function flinkConfig(plan: Plan, node: NodePlan, secrets: Secrets): string {
  const obj: Record<string, Scalar> = Object.fromEntries(flinkConfigEntries(plan, node, secrets));
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

/** ExecStart through bash: Flink's Hive connector needs Hadoop's jars, which only `hadoop classpath` lists. */
function withHadoopClasspath(argv: string[]): string[] {
  const q = (w: string) => (/^[A-Za-z0-9_./=:-]+$/.test(w) ? w : shQuote(w));
  return ["/bin/bash", "-c", `export HADOOP_CLASSPATH="$(${OPT("hadoop")}/bin/hadoop classpath)"; exec ${argv.map(q).join(" ")}`];
}

/** Flink's daemons by instance kind: the role its config keys name, and its name. */
const FLINK_DAEMONS = {
  "flink-jobmanager": { role: "jobmanager", name: "JobManager", script: "jobmanager.sh" },
  "flink-taskmanager": { role: "taskmanager", name: "TaskManager", script: "taskmanager.sh" },
} as const;
function flinkDaemon(s: ServicePlan): (typeof FLINK_DAEMONS)[keyof typeof FLINK_DAEMONS] {
  if (s.kind !== "flink-jobmanager" && s.kind !== "flink-taskmanager") throw new Error(`internal: a Flink daemon of kind ${s.kind}`);
  return FLINK_DAEMONS[s.kind];
}

/**
 * A JobManager's or TaskManager's JVM: Flink sizes it from its role's process size (config.yaml's
 * jobmanager.memory.process.size, taskmanager.memory.process.size) and gives it env.java.opts.all (every Flink
 * JVM's, clients' too); its own options are config.yaml's key for its role (env.java.opts.jobmanager,
 * env.java.opts.taskmanager), written on its node while it has any.
 */
export function flinkJvm(s: ServicePlan): JvmSpec<ConfigCarrier> {
  return { options: [], carrier: { kind: "config", file: `${FLINK_CONF}/config.yaml`, key: `env.java.opts.${flinkDaemon(s).role}` } };
}
/** The own JVM options of the node's JobManager and TaskManager, each under its role's key (none while empty). */
function flinkJvmEntries(plan: Plan, node: NodePlan): Entries {
  return node.services
    .filter((s) => s.kind in FLINK_DAEMONS)
    .map((s) => flinkJvm(s))
    .map((jvm): [string, Scalar] => [jvm.carrier.key, jvmOptionsLine(plan, jvm)])
    .filter(([, line]) => line !== "");
}

/** How a JobManager or TaskManager runs: its script in the foreground, with Hadoop's classpath and config. */
export function flinkProcess(plan: Plan, s: ServicePlan): ProcessRun {
  const daemon = flinkDaemon(s);
  return {
    description: `Flink ${daemon.name} (lakehouse-iac)`,
    exec: withHadoopClasspath([`${OPT("flink")}/bin/${daemon.script}`, "start-foreground"]),
    environment: {
      JAVA_HOME: s.jdk!.home,
      FLINK_CONF_DIR: FLINK_CONF,
      FLINK_LOG_DIR: logDirOf(s.user),
      HADOOP_CONF_DIR: HADOOP_CONF,
      HADOOP_USER_NAME: plan.config.warehouse.owner,
    },
    jvm: flinkJvm(s),
  };
}

/** The own files of a Flink JobManager or TaskManager instance: its unit (its node's config.yaml holds the rest). */
export function flinkServiceFiles(plan: Plan, s: ServicePlan, _secrets: Secrets): RenderedFile[] {
  return [processUnit(plan, s, flinkProcess(plan, s))];
}
