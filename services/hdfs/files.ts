/** HDFS: core-site.xml and hdfs-site.xml (every node with the Hadoop release), the NameNode and DataNode units. */
import { OPT, Plan, ServicePlan } from "../../lib/model";
import { HADOOP_CONF, hadoopEnv } from "./client";
import { Entries, withOverrides, xmlConfiguration } from "../../config-templates/writers";
import { HEADER, RenderedFile, Secrets, secretFile, service, storePassword } from "../../config-templates/common";
import { ProcessRun, processUnit } from "../../config-templates/process";
import { keytabPath, principalOf } from "../kerberos/client";

/** With Kerberos: each HDFS daemon's HTTPS keystore, made on its node from the node's key (tls-keystore.sh p12). */
export const HDFS_KEYSTORE = "/etc/hadoop/tls/hdfs.p12";
/** The keystore's password: derived from the stack's random key, so it is a secret without one more to keep. */
export const hdfsKeystorePassword = (secrets: Pick<Secrets, "hashKey">): string => storePassword(secrets, "hdfs-keystore");

/** The users every engine principal (`trino/<host>`, …) acts as on HDFS: the warehouse owner, as in open mode. */
const ENGINE_PRIMARIES = ["hive", "trino", "spark", "flink"];

/** hadoop.security.auth_to_local: the HDFS daemons' principals are the HDFS user, the engines' the warehouse owner. */
export function authToLocal(plan: Plan): string {
  const c = plan.config;
  const realm = c.kerberos.realm.replace(/\./g, "\\.");
  const rule = (primary: string, user: string) => `RULE:[2:$1@$0](${primary}@${realm})s/.*/${user}/`;
  return [
    ...["nn", "dn", "HTTP"].map((p) => rule(p, c.hdfs.user)),
    ...ENGINE_PRIMARIES.map((p) => rule(p, c.warehouse.owner)),
    "DEFAULT",
  ].join("\n");
}

/** hadoop.proxyuser.* for the metastore's principal (its short name is the warehouse owner's). */
function metastoreProxy(plan: Plan): Entries {
  const ms = plan.services.find((x) => x.kind === "metastore");
  if (!ms) return [];
  const owner = plan.config.warehouse.owner;
  return [
    [`hadoop.proxyuser.${owner}.hosts`, ms.host],
    [`hadoop.proxyuser.${owner}.users`, owner],
  ];
}

/** Kerberos principal patterns (`_HOST` is each daemon's own name, from /etc/hosts). */
export const hdfsPrincipal = (plan: Plan, primary: "nn" | "dn" | "HTTP"): string => principalOf(plan.config.kerberos, primary, "_HOST");
export const keytabOf = (plan: Plan, user: string): string => keytabPath(plan.config.kerberos, user);

export function coreSiteEntries(plan: Plan): Entries {
  const entries: Entries = [["fs.defaultFS", plan.endpoints.defaultFS]];
  if (plan.config.kerberos.enabled)
    entries.push(
      ["hadoop.security.authentication", "kerberos"],
      ["hadoop.security.authorization", true],
      // RPC authenticated, integrity-checked and encrypted.
      ["hadoop.rpc.protection", "privacy"],
      ["hadoop.security.auth_to_local", authToLocal(plan)],
      // Every web endpoint of the HDFS daemons (the UI, /jmx, WebHDFS) wants SPNEGO. Without this, Hadoop 3.4
      // serves them with "simple" authentication, and WebHDFS believes a `user.name=` anyone sends.
      ["hadoop.http.filter.initializers", "org.apache.hadoop.security.AuthenticationFilterInitializer"],
      ["hadoop.http.authentication.type", "kerberos"],
      ["hadoop.http.authentication.simple.anonymous.allowed", false],
      ["hadoop.http.authentication.kerberos.principal", hdfsPrincipal(plan, "HTTP")],
      ["hadoop.http.authentication.kerberos.keytab", keytabOf(plan, plan.config.hdfs.user)],
      // The metastore with SASL acts on HDFS as each client it serves (Hive's TUGIAssumingProcessor always
      // impersonates): it may, from its own node, and only as the warehouse owner, which is every engine.
      ...metastoreProxy(plan),
    );
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
    ["dfs.hosts", `${HADOOP_CONF}/dfs.hosts`],
    ["dfs.hosts.exclude", `${HADOOP_CONF}/dfs.hosts.exclude`],
    // Superusers: the HDFS user (it runs the NameNode) and hdfs.adminGroup, which holds only that user. Not the
    // service group: every engine's user is in it, and the engines reach /lakehouse through its owner alone.
    ["dfs.permissions.superusergroup", h.adminGroup],
    // Lab and bare-metal hosts often lack reverse DNS; registration must not depend on it.
    ["dfs.namenode.datanode.registration.ip-hostname-check", false],
    ["dfs.client.use.datanode.hostname", false],
  ];
  if (c.kerberos.enabled) {
    const keytab = keytabOf(plan, h.user);
    entries.push(
      ["dfs.block.access.token.enable", true],
      ["dfs.namenode.kerberos.principal", hdfsPrincipal(plan, "nn")],
      ["dfs.namenode.keytab.file", keytab],
      ["dfs.datanode.kerberos.principal", hdfsPrincipal(plan, "dn")],
      ["dfs.datanode.keytab.file", keytab],
      ["dfs.web.authentication.kerberos.principal", hdfsPrincipal(plan, "HTTP")],
      ["dfs.web.authentication.kerberos.keytab", keytab],
      ["dfs.namenode.kerberos.internal.spnego.principal", hdfsPrincipal(plan, "HTTP")],
      // Block data: SASL on the data transfer port (no privileged ports, no jsvc), encrypted. HDFS then
      // requires its web endpoints on HTTPS only: they take the web UI ports.
      ["dfs.data.transfer.protection", "privacy"],
      ["dfs.http.policy", "HTTPS_ONLY"],
      ["dfs.namenode.https-address", `${nn.host}:${h.nameNodeHttpPort}`],
      ["dfs.namenode.https-bind-host", "0.0.0.0"],
      ["dfs.datanode.https.address", `0.0.0.0:${h.dataNodeHttpPort}`],
    );
  }
  return withOverrides(entries, h.overrides["hdfs-site.xml"]);
}
export const hdfsSite = (plan: Plan): string => xmlConfiguration(hdfsSiteEntries(plan), HEADER);

/** The DataNodes allowed to register (`dfs.hosts`), by their configured address. */
export function dataNodeHosts(plan: Plan): string[] {
  return plan.services.filter((x) => x.kind === "datanode").map((x) => x.host);
}

/**
 * How a NameNode or DataNode runs: `hdfs <daemon>` with Hadoop's environment; its heap reaches it as -Xmx in
 * its daemon's variable (HDFS_NAMENODE_OPTS, HDFS_DATANODE_OPTS), which `hdfs` adds after HADOOP_OPTS.
 */
export function hdfsProcess(plan: Plan, s: ServicePlan): ProcessRun {
  const h = plan.config.hdfs;
  const daemon = (name: string, command: string, heap: string, variable: string): ProcessRun => ({
    description: `HDFS ${name} (lakehouse-iac)`,
    exec: [`${OPT("hadoop")}/bin/hdfs`, command],
    environment: hadoopEnv(s),
    jvm: { heap, options: [], carrier: { kind: "environment", variable } },
  });
  switch (s.kind) {
    case "namenode":
      return daemon("NameNode", "namenode", h.nameNodeHeap, "HDFS_NAMENODE_OPTS");
    case "datanode":
      return daemon("DataNode", "datanode", h.dataNodeHeap, "HDFS_DATANODE_OPTS");
    default:
      throw new Error(`internal: hdfsProcess got ${s.kind}`);
  }
}

/**
 * The own files of a NameNode or DataNode instance: its unit. Membership (dfs.hosts, dfs.hosts.exclude) is not
 * a file here: the NameNode component's membership step writes it, decommissioning a removed DataNode before
 * it drops it (hdfs-membership.sh).
 */
export function hdfsServiceFiles(plan: Plan, s: ServicePlan, _secrets: Secrets): RenderedFile[] {
  return [processUnit(plan, s, hdfsProcess(plan, s))];
}

/** ssl-server.xml's entries: the HDFS daemons' HTTPS keystore and its password. */
export function sslServerEntries(secrets: Secrets): Entries {
  const pw = hdfsKeystorePassword(secrets);
  return [
    ["ssl.server.keystore.location", HDFS_KEYSTORE],
    ["ssl.server.keystore.type", "pkcs12"],
    ["ssl.server.keystore.password", pw],
    ["ssl.server.keystore.keypassword", pw],
  ];
}
/** ssl-server.xml (with Kerberos): the HDFS user's alone, it holds the password. */
export function sslServerFile(plan: Plan, secrets: Secrets): RenderedFile {
  const path = `${HADOOP_CONF}/ssl-server.xml`;
  return secretFile(plan.config, { user: plan.config.hdfs.user }, path, xmlConfiguration(sslServerEntries(secrets), HEADER));
}
