/** Trino: config.properties, node.properties, jvm.config, log.properties, one file per enabled catalog, the unit. */
import { metastoreSasl, metastoreTls } from "../metastore/client";
import { keytabPath, principalOf } from "../kerberos/client";
import { CA_FILE, OPT, OverrideLayer, Plan, ServicePlan, jdk } from "../../lib/model";
import { HADOOP_CONF } from "../hdfs/client";
import { compareVersions } from "../../lib/versions";
import { xmx } from "../../config-templates/java";
import { Entries, plainProperties, properties, withOverrides } from "../../config-templates/writers";
import { HEADER, RenderedFile, Secrets, file, secretFile } from "../../config-templates/common";
import { FileCarrier, JvmSpec, ProcessRun, jvmOptionLines, processUnit } from "../../config-templates/process";
import { createHmac } from "crypto";
import bcrypt from "bcryptjs";
import { TRINO_HEALTH_USER, TRINO_CONF } from "./config";

/** The overrides of `file` for this instance: each layer (trino.overrides, then its group's) over the last. */
function layered(entries: Entries, layers: OverrideLayer[], file: string): Entries {
  return layers.reduce((acc, layer) => withOverrides(acc, layer[file]), entries);
}

export function trinoConfigEntries(plan: Plan, s: ServicePlan, secrets: Secrets): Entries {
  const c = plan.config;
  const t = s.trino!;
  const entries: Entries = [["coordinator", t.coordinator]];
  // Only a coordinator knows include-coordinator; a worker with it set fails on an unused property.
  if (t.coordinator) entries.push(["node-scheduler.include-coordinator", t.schedulesWork]);
  entries.push(
    ["http-server.http.port", c.trino.httpPort],
    // Internal communication (discovery, tasks) stays on HTTP, authenticated by the shared secret.
    ["discovery.uri", trinoInternalUrl(plan)],
    ["query.max-memory", c.trino.queryMaxMemory],
    ["query.max-memory-per-node", t.queryMaxMemoryPerNode],
    // The same value on every node: it signs the nodes' internal requests.
    ["internal-communication.shared-secret", secrets.trinoSharedSecret],
  );
  // Clients on the coordinator: HTTPS on its node's certificate, and a password (never over plain HTTP).
  if (t.coordinator && c.trino.https.enabled)
    entries.push(
      ["http-server.https.enabled", true],
      ["http-server.https.port", c.trino.https.port],
      ["http-server.https.keystore.path", TRINO_KEYSTORE],
    );
  if (t.coordinator && c.trino.authentication === "password") entries.push(["http-server.authentication.type", "PASSWORD"]);
  return layered(entries, t.overrides, "config.properties");
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
  return layered(entries, s.trino!.overrides, "node.properties");
}
/** node.properties is also read by bin/launcher (python, no unescaping): only plain values are accepted. */
export const trinoNode = (plan: Plan, s: ServicePlan): string => plainProperties(trinoNodeEntries(plan, s), "the Trino launcher", HEADER);

export const trinoLogEntries = (): Entries => [["io.trino", "INFO"]];

/** Trino's JVM options follow its 435 deployment guide on Java 17, its 476 one on Java 21+. */
const trinoGuide = (plan: Plan): "435" | "476" => (parseInt(jdk(plan.config, plan.config.trino.java).major, 10) < 21 ? "435" : "476");

/**
 * A Trino node's JVM, in jvm.config: the list from the deployment guide of the Trino release in use, heap from
 * config, HDFS user. Up to 435 (Java 17) the guide's list includes -XX:-G1UsePreventiveGC, a flag Java 21 removed
 * (the JVM then refuses to start); newer releases (Java 21+) drop it and the AES intrinsics and allow JOL's
 * dynamic agent.
 */
export function trinoJvmSpec(plan: Plan, s: ServicePlan): JvmSpec<FileCarrier> {
  const c = plan.config;
  return {
    heap: s.trino!.heap,
    options: [
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
      ...(trinoGuide(plan) === "435"
        ? [
            "-XX:+UnlockDiagnosticVMOptions",
            "-XX:+UseAESCTRIntrinsics",
            { option: "-Dfile.encoding=UTF-8", note: "Java 17 and 18 need UTF-8 as the default charset." },
            { option: "-XX:-G1UsePreventiveGC", note: "Disable Preventive GC for performance reasons (JDK-8293861)" },
          ]
        : ["-Dfile.encoding=UTF-8", { option: "-XX:+EnableDynamicAgentLoading", note: "Allow loading dynamic agent used by JOL" }]),
      { option: `-DHADOOP_USER_NAME=${c.warehouse.owner}`, note: "HDFS access as the warehouse owner (simple authentication)." },
    ],
    carrier: { kind: "file", path: `${TRINO_CONF}/jvm.config` },
  };
}

/** jvm.config: the guide's first line, the heap (-Xmx takes precedence over MaxRAMPercentage), the options. */
export function trinoJvm(plan: Plan, s: ServicePlan, jvm: JvmSpec = trinoJvmSpec(plan, s)): string {
  const c = plan.config;
  return [
    `# ${HEADER}`,
    `# From the Trino ${trinoGuide(plan)} deployment guide (Trino ${c.artifacts.trino.version}, Java ${c.trino.java}); -Xmx takes precedence over MaxRAMPercentage.`,
    "-server",
    ...(jvm.heap !== undefined ? [xmx(jvm.heap)] : []),
    ...jvmOptionLines(plan, jvm),
    "",
  ].join("\n");
}

/**
 * With Kerberos, every catalog logs in to the metastore (SASL) and to HDFS as trino/<this node> from the trino
 * user's keytab (`_HOST`: Trino puts in the node's own name), with HDFS's encrypted block transfer.
 */
export function trinoKerberosEntries(plan: Plan): Entries {
  const c = plan.config;
  if (!c.kerberos.enabled) return [];
  const sasl = metastoreSasl(plan)!;
  const me = principalOf(c.kerberos, "trino", "_HOST");
  const keytab = keytabPath(c.kerberos, c.trino.user);
  return [
    ["hive.metastore.authentication.type", "KERBEROS"],
    ["hive.metastore.service.principal", sasl.clientPrincipal],
    ["hive.metastore.client.principal", me],
    ["hive.metastore.client.keytab", keytab],
    ["hive.hdfs.authentication.type", "KERBEROS"],
    ["hive.hdfs.trino.principal", me],
    ["hive.hdfs.trino.keytab", keytab],
    ["hive.hdfs.wire-encryption.enabled", true],
  ];
}

/** From Trino 458 the Hadoop file system (hdfs://) is off unless a catalog turns it on. */
export const trinoNeedsFsHadoop = (version: string): boolean => compareVersions(version, "458") >= 0;

export type TrinoCatalog = "iceberg" | "delta" | "hive";
/** A catalog's file; with `s`, that instance's override layers (its group's too), else trino.overrides alone. */
export function trinoCatalogEntries(plan: Plan, name: TrinoCatalog, s?: ServicePlan): Entries {
  const c = plan.config;
  const on = c.trino.catalogs;
  const common: Entries = [
    ["hive.metastore.uri", plan.endpoints.metastoreUri],
    ...(trinoNeedsFsHadoop(c.artifacts.trino.version) ? ([["fs.hadoop.enabled", true]] as Entries) : []),
    ["hive.config.resources", `${HADOOP_CONF}/core-site.xml,${HADOOP_CONF}/hdfs-site.xml`],
    ...trinoKerberosEntries(plan),
    // The metastore over TLS: its certificate verified against the cluster CA (PEM, which Trino reads as is).
    ...(metastoreTls(plan)
      ? ([
          ["hive.metastore.thrift.client.ssl.enabled", true],
          ["hive.metastore.thrift.client.ssl.trust-certificate", CA_FILE],
        ] as Entries)
      : []),
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
  return layered(byName[name], s?.trino?.overrides ?? [c.trino.overrides], `${name}.properties`);
}
export const trinoCatalog = (plan: Plan, name: TrinoCatalog, s?: ServicePlan): string =>
  properties(trinoCatalogEntries(plan, name, s), HEADER);

/** Where the coordinator's PEM keystore (its node's key and certificate, then the CA's) is made (tls-keystore.sh). */
export const TRINO_KEYSTORE = `${TRINO_CONF}/tls/trino.pem`;
/** The health-check user's credentials (`user:password`) on every Trino node: root's alone (the probe runs as root). */
export const TRINO_HEALTH_CREDENTIALS = "/etc/lakehouse/trino-health.cred";

/** The coordinator's HTTP address, which the nodes use among themselves. */
export const trinoInternalUrl = (plan: Plan): string => {
  const coord = plan.services.find((x) => x.trino?.coordinator)!;
  return `http://${coord.host}:${plan.config.trino.httpPort}`;
};

/**
 * A bcrypt hash as Trino's password file takes it (`$2y$`, cost 10). The salt is derived from the stack's hash
 * key, the user and the password, so the same password renders the same file (no change on every preview)
 * while the hash reveals nothing without the key.
 */
export function trinoPasswordHash(hashKey: string, user: string, password: string): string {
  const salt = createHmac("sha256", hashKey).update(`trino-password:${user}:${password}`).digest().subarray(0, 16);
  const hash = bcrypt.hashSync(password, `$2b$10$${bcrypt.encodeBase64(salt, 16)}`);
  return `$2y$${hash.slice(4)}`;
}

/** The password file: `user:bcrypt hash` per line, in user order. */
export function trinoPasswordDb(secrets: Secrets): string {
  return Object.entries(secrets.trinoPasswords)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([u, pw]) => `${u}:${trinoPasswordHash(secrets.hashKey, u, pw)}\n`)
    .join("");
}

/**
 * rules.json: the health-check user's rules first (the system catalog, read-only, and nothing else), then the
 * configured rules; without configured catalog rules every other user may use every catalog.
 */
export function trinoAccessRules(plan: Plan): Record<string, unknown[]> {
  const given = (plan.config.trino.accessRules ?? {}) as Record<string, unknown[] | undefined>;
  const health = TRINO_HEALTH_USER;
  const out: Record<string, unknown[]> = {};
  for (const [k, v] of Object.entries(given)) if (v) out[k] = [...v];
  out.catalogs = [
    { user: health, catalog: "system", allow: "read-only" },
    { user: health, allow: "none" },
    ...(given.catalogs ?? [{ allow: "all" }]),
  ];
  if (given.tables) out.tables = [{ user: health, catalog: "system", privileges: ["SELECT"] }, ...given.tables];
  if (given.queries) out.queries = [{ user: health, allow: ["execute"] }, ...given.queries];
  return out;
}

/** access-control.properties: file-based access control from rules.json (every node). */
export const trinoAccessControlEntries = (): Entries => [
  ["access-control.name", "file"],
  ["security.config-file", `${TRINO_CONF}/rules.json`],
];
/** password-authenticator.properties: the password file (the coordinator). */
export const trinoPasswordAuthenticatorEntries = (): Entries => [
  ["password-authenticator.name", "file"],
  ["file.password-file", `${TRINO_CONF}/password.db`],
];

/** How a Trino coordinator or worker runs: its launcher in the foreground, its JVM from jvm.config. */
export function trinoProcess(plan: Plan, s: ServicePlan): ProcessRun & { jvm: JvmSpec<FileCarrier> } {
  if (s.kind !== "trino") throw new Error(`internal: trinoProcess got ${s.kind}`);
  return {
    description: `Trino ${s.trino!.coordinator ? "coordinator" : "worker"} (lakehouse-iac)`,
    exec: [`${OPT("trino")}/bin/launcher`, "run", `--etc-dir=${TRINO_CONF}`],
    // The launcher (python3) starts `java` from PATH: the configured JDK comes first.
    environment: { JAVA_HOME: s.jdk!.home, PATH: `${s.jdk!.home}/bin:/usr/local/bin:/usr/bin:/bin` },
    limitNoFile: 131072,
    jvm: trinoJvmSpec(plan, s),
  };
}

/** The own files of a Trino coordinator or worker instance: its unit and what only it reads. */
export function trinoServiceFiles(plan: Plan, s: ServicePlan, secrets: Secrets): RenderedFile[] {
  const c = plan.config;
  switch (s.kind) {
    case "trino": {
      const etc = TRINO_CONF;
      const run = trinoProcess(plan, s);
      const files = [
        secretFile(c, s, `${etc}/config.properties`, trinoConfig(plan, s, secrets)),
        file(c, `${etc}/node.properties`, trinoNode(plan, s)),
        file(c, run.jvm.carrier.path, trinoJvm(plan, s, run.jvm)),
        file(c, `${etc}/log.properties`, properties(trinoLogEntries(), HEADER)),
      ];
      for (const name of ["iceberg", "delta", "hive"] as const) {
        if (c.trino.catalogs[name]) files.push(file(c, `${etc}/catalog/${name}.properties`, trinoCatalog(plan, name, s)));
      }
      if (c.trino.authentication === "password") {
        // Access control on every node; the password file and its authenticator on the coordinator.
        files.push(
          file(c, `${etc}/access-control.properties`, properties(trinoAccessControlEntries(), HEADER)),
          file(c, `${etc}/rules.json`, `${JSON.stringify(trinoAccessRules(plan), null, 2)}\n`),
          // The probe of a worker's health logs in as the health-check user: its credentials, root's alone.
          file(c, TRINO_HEALTH_CREDENTIALS, `${TRINO_HEALTH_USER}:${secrets.trinoPasswords[TRINO_HEALTH_USER] ?? ""}\n`, {
            mode: "0600",
            owner: "root",
            group: "root",
            secret: true,
          }),
        );
        if (s.trino!.coordinator)
          files.push(
            file(c, `${etc}/password-authenticator.properties`, properties(trinoPasswordAuthenticatorEntries(), HEADER)),
            secretFile(c, s, `${etc}/password.db`, trinoPasswordDb(secrets)),
          );
      }
      files.push(processUnit(plan, s, run));
      return files;
    }
    default:
      throw new Error(`internal: trinoServiceFiles got ${s.kind}`);
  }
}
