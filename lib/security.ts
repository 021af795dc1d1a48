/**
 * What protects a cluster and what does not, from its validated config: the stack output `security`, so that
 * whoever reads the outputs (or the demo's summary) sees at once that a cluster runs open. Pure.
 *
 * Two modes: "open" (no Kerberos: HDFS and the metastore believe any client) and "kerberos" (kerberos.enabled).
 * The protections listed are the ones the program enforces in the stack's mode.
 */
import type { Plan } from "./plan";
import { metastoreTls } from "../services/metastore/files";

export interface SecurityPosture {
  /** "kerberos" with kerberos.enabled: every HDFS and metastore client authenticates; "open" without. */
  mode: "open" | "kerberos";
  /** Said loudly: what anyone on the network can do to an open cluster. */
  warning: string;
  /** What is enforced, one line each. */
  enforced: string[];
  /** What is switched off in this stack's config although the program offers it. */
  weakened: string[];
}

export function securityPosture(plan: Plan): SecurityPosture {
  const c = plan.config;
  const caNode = plan.tls.caNode;
  const enforced = [
    plan.tls.caCertificate === undefined
      ? `TLS: a cluster CA (its key on ${caNode}, never copied) signs each node's own key for its address and name; its certificate is the output caCertificate`
      : `TLS: your CA (tls.caCertificate; its key the secret tlsCaKey, installed on ${caNode} alone) signs each node's own key for its address and name; its certificate is the output caCertificate`,
    `HDFS: only ${c.hdfs.user} and group ${c.hdfs.adminGroup} are superusers; the engines act as ${c.warehouse.owner}, which owns ${c.warehouse.root}/* and nothing above it`,
    "secret-bearing files (database password, shared secrets) are 0600 and their service user's alone",
    "PostgreSQL: the metastore database admits the cluster's hosts only, with a SCRAM password",
  ];
  const weakened: string[] = [];
  if (c.kerberos.enabled) {
    const k = c.kerberos;
    const kdc = plan.services.find((s) => s.kind === "kdc");
    enforced.push(
      `Kerberos: realm ${k.realm} (${kdc ? `KDC and kadmind on ${kdc.node}, database made once and kept on destroy` : `external: ${k.external!.kdcs.join(", ")}`}); each service user has a keytab of its own principals on its node (${k.keytabDir}, 0400), made on the node through kadmin`,
    );
    enforced.push(
      "HDFS: Kerberos for every client and daemon (a claimed user name counts for nothing); RPC and block transfer encrypted (privacy); block access tokens; web endpoints on HTTPS only, WebHDFS with SPNEGO",
      "Metastore: Thrift with SASL (Kerberos) only, encrypted by it (QOP auth-conf); Trino's catalogs log in to it and to HDFS with their nodes' keytabs",
    );
    if (c.spark.enabled)
      enforced.push(
        "Spark: drivers reach HDFS and the metastore with their Kerberos tickets; executors with their worker node's HDFS delegation token (renewed by a timer, 0600 the spark user's)",
      );
    if (c.flink.enabled)
      enforced.push(
        "Flink: every process logs in from its node's flink keytab; the REST endpoint takes HTTPS, and the internal RPC, blob and data connections TLS, each with a client certificate of the cluster CA only",
      );
  }
  if (metastoreTls(plan))
    enforced.push(
      "Metastore: Thrift over TLS (its node's certificate; Trino, Spark and Flink verify it against the cluster CA), without client authentication",
    );
  else if (!c.kerberos.enabled)
    weakened.push("Metastore: metastore.security.ssl is false: its Thrift traffic (every table's metadata) is unencrypted");
  if (c.postgres.ssl)
    enforced.push("PostgreSQL: network clients over TLS only; the metastore verifies the server against the cluster CA (verify-full)");
  else weakened.push("PostgreSQL: postgres.ssl is false: the metastore's database traffic, password exchange included, is unencrypted");
  if (c.spark.enabled) {
    if (c.spark.authenticate)
      enforced.push("Spark: every driver authenticates with the cluster's secret; RPC is AES-encrypted; REST submission off");
    else weakened.push("Spark: spark.authenticate is false: whoever reaches the master's port runs code as the spark user");
  }
  if (c.trino.enabled) {
    const t = c.trino;
    if (t.authentication === "password")
      enforced.push(
        `Trino: clients over HTTPS (port ${t.https.port}, the coordinator's certificate from the cluster CA) with a password of trino.users; file-based access control${t.accessRules ? " with the configured rules" : " (every user may use every catalog until trino.accessRules says otherwise)"}`,
      );
    else if (t.https.enabled)
      weakened.push("Trino: trino.authentication is none: over HTTPS, but anyone may claim any user name and run any query");
    else weakened.push("Trino: trino.https.enabled is false and authentication none: anyone may run any query over plain HTTP");
  }
  if (c.flink.enabled) {
    if (c.flink.webSubmit)
      weakened.push("Flink: flink.webSubmit is true: whoever reaches the REST port uploads and runs jars as the flink user");
    else enforced.push("Flink: REST bound to the JobManager's address, jar upload off");
  }
  if (c.kerberos.enabled)
    return {
      mode: "kerberos",
      warning:
        "Kerberos mode: HDFS, the metastore and the engines authenticate every client with Kerberos, and their connections are encrypted.",
      enforced,
      weakened,
    };
  return {
    mode: "open",
    warning:
      "OPEN CLUSTER: no Kerberos. HDFS believes any user name a client claims, and the metastore's Thrift port accepts any client (any client that reaches them can read and change every table). Run it only on a network where every host is trusted.",
    enforced,
    weakened,
  };
}
