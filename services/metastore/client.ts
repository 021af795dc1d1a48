/**
 * The metastore's client contract: the one module of services/metastore that other services import at runtime.
 * What a metastore client needs: whether the Thrift endpoint runs SASL (Kerberos) or TLS, the settings a client
 * adds for either, and the client-only hive-site.xml. No credentials. Pure.
 */
import { CA_TRUSTSTORE, Plan } from "../../lib/model";
import { Entries, xmlConfiguration } from "../../config-templates/writers";
import { HEADER } from "../../config-templates/common";
import { keytabPath, principalOf } from "../kerberos/client";

/**
 * The metastore's SASL (Kerberos) settings: with kerberos.enabled always on, as hive/<its node>@<realm> from the
 * metastore user's keytab (metastore.security.kerberosPrincipal/kerberosKeytab override them); else only
 * when metastore.security.sasl asks, with the principal and keytab it names.
 */
export function metastoreSasl(plan: Plan): { principal: string; keytab: string; clientPrincipal: string } | undefined {
  const c = plan.config;
  const sec = c.metastore.security;
  if (!c.kerberos.enabled && !sec.sasl) return undefined;
  const node = plan.services.find((x) => x.kind === "metastore")?.node ?? "_HOST";
  const principal = sec.kerberosPrincipal ?? principalOf(c.kerberos, "hive", "_HOST");
  return {
    principal,
    keytab: sec.kerberosKeytab ?? keytabPath(c.kerberos, c.metastore.user),
    // Clients name the server's principal in full: a client's _HOST would be the address it dials.
    clientPrincipal: principal.replace("_HOST", node),
  };
}
/**
 * Whether the metastore's Thrift endpoint runs TLS (metastore.security.ssl): by default whenever it runs no SASL,
 * which encrypts it instead (thriftProtection).
 */
export function metastoreTls(plan: Plan): boolean {
  const c = plan.config;
  return c.metastore.security.ssl ?? metastoreSasl(plan) === undefined;
}
/**
 * What a metastore client adds for TLS: the switch and the cluster CA as its truststore (Hive's client verifies
 * the chain; Thrift's socket checks no host name). Public values only.
 */
export function hiveClientTlsEntries(plan: Plan): Entries {
  if (!metastoreTls(plan)) return [];
  return [
    ["hive.metastore.truststore.path", CA_TRUSTSTORE.path],
    ["hive.metastore.truststore.password", CA_TRUSTSTORE.password],
  ];
}
/**
 * With Kerberos, the Thrift channel is encrypted by its SASL layer: the metastore asks for the QOP auth-conf
 * (`hadoop.rpc.protection` privacy: integrity and confidentiality, Kerberos' own wrap), and every client must
 * ask for it too (Trino: hive.hdfs.wire-encryption.enabled; Spark and Flink: this key). Written into the
 * metastore's and the clients' own files, not left to core-site.xml, which a user may override for HDFS alone.
 * Not TLS: Spark 3.5's built-in Hive client (2.3.9) speaks either SASL or TLS, never SASL over TLS, and Spark's
 * Iceberg catalog uses that client too (see the metastore rules).
 */
export function thriftProtection(plan: Plan): Entries {
  return plan.config.kerberos.enabled ? [["hadoop.rpc.protection", "privacy"]] : [];
}

/** A client-only hive-site.xml (Flink's Hive catalog): where the metastore is, no credentials. */
export function hiveClientEntries(plan: Plan): Entries {
  const e = plan.endpoints;
  const entries: Entries = [
    ["hive.metastore.uris", e.metastoreUri],
    ["hive.metastore.warehouse.dir", e.warehouse.hive],
    ["hive.metastore.sasl.enabled", metastoreSasl(plan) !== undefined],
    ["hive.metastore.use.SSL", metastoreTls(plan)],
    ...hiveClientTlsEntries(plan),
  ];
  const sasl = metastoreSasl(plan);
  if (sasl) entries.push(["hive.metastore.kerberos.principal", sasl.clientPrincipal]);
  entries.push(...thriftProtection(plan));
  return entries;
}
export const hiveClientSite = (plan: Plan): string =>
  xmlConfiguration(hiveClientEntries(plan), `${HEADER} Client settings only: no database credentials here.`);
