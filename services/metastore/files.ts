/**
 * The Hive metastore: its hive-site.xml (database password), an empty metastore-site.xml, its unit. What its
 * clients read (the client-only hive-site.xml, SASL, TLS) is in ./client.
 */
import { OPT, Plan, ServicePlan } from "../../lib/model";
import { HIVE_CONF } from "./config";
import { metastoreSasl, metastoreTls, thriftProtection } from "./client";
import { Entries, withOverrides, xmlConfiguration } from "../../config-templates/writers";
import { HEADER, RenderedFile, Secrets, file, logDirOf, secretFile, storePassword } from "../../config-templates/common";
import { ProcessRun, processUnit } from "../../config-templates/process";
import { hadoopEnv } from "../hdfs/client";

/** The metastore's TLS keystore (its node's key and certificate), made on its node by the stack. */
export const METASTORE_KEYSTORE = "/etc/hive/tls/metastore.p12";
export const metastoreKeystorePassword = (secrets: Pick<Secrets, "hashKey">): string => storePassword(secrets, "metastore-keystore");
/** The metastore's hive-site.xml: holds the database password (and its keystore's password with TLS). */
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
    ["hive.metastore.sasl.enabled", metastoreSasl(plan) !== undefined],
    ["hive.metastore.use.SSL", metastoreTls(plan)],
  ];
  const sasl = metastoreSasl(plan);
  if (sasl) {
    entries.push(["hive.metastore.kerberos.principal", sasl.principal], ["hive.metastore.kerberos.keytab.file", sasl.keytab]);
  }
  entries.push(...thriftProtection(plan));
  if (metastoreTls(plan))
    entries.push(
      ["hive.metastore.keystore.path", METASTORE_KEYSTORE],
      ["hive.metastore.keystore.password", metastoreKeystorePassword(secrets)],
    );
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

/**
 * How the metastore runs: `start-metastore` with Hadoop's environment and its own. Its launcher makes the -Xmx
 * from HADOOP_HEAPSIZE (bin/metastore-config.sh defaults it to 256 MB; Hadoop 3 prefers HADOOP_HEAPSIZE_MAX:
 * both carry the configured heap, whichever the scripts read) and adds HADOOP_CLIENT_OPTS.
 */
export function metastoreProcess(plan: Plan, s: ServicePlan): ProcessRun {
  if (s.kind !== "metastore") throw new Error(`internal: metastoreProcess got ${s.kind}`);
  return {
    description: "Hive Metastore (lakehouse-iac)",
    exec: [`${OPT("hive")}/bin/start-metastore`],
    environment: { ...hadoopEnv(s), METASTORE_HOME: OPT("hive"), METASTORE_CONF_DIR: HIVE_CONF, HIVE_CONF_DIR: HIVE_CONF },
    jvm: {
      heap: plan.config.metastore.heap,
      // metastore-log4j2.properties writes to ${sys:metastore.log.dir} (default: java.io.tmpdir).
      options: [`-Dmetastore.log.dir=${logDirOf(s.user)}`],
      carrier: { kind: "environment", variable: "HADOOP_CLIENT_OPTS", heap: { variables: ["HADOOP_HEAPSIZE", "HADOOP_HEAPSIZE_MAX"] } },
    },
  };
}

/** The own files of a metastore instance: its unit and what only it reads. */
export function metastoreServiceFiles(plan: Plan, s: ServicePlan, secrets: Secrets): RenderedFile[] {
  const c = plan.config;
  const run = metastoreProcess(plan, s);
  return [
    secretFile(c, s, `${HIVE_CONF}/hive-site.xml`, hiveSite(plan, secrets)),
    file(c, `${HIVE_CONF}/metastore-site.xml`, metastoreSite()),
    processUnit(plan, s, run),
  ];
}
