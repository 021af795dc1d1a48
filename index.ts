/**
 * lakehouse-iac: load and validate the stack's config (nothing is registered when it is wrong), build the
 * Lakehouse, and export what users connect to. The secret outputs are the ones the secrets' declarations name
 * (lib/config/secrets.ts, services/<name>/config.ts): tests/registry.test.ts checks each is exported here.
 */
import * as pulumi from "@pulumi/pulumi";
import { Lakehouse } from "./components/lakehouse";
import { loadStackConfig } from "./components/stack-config";
import { securityPosture } from "./lib/security";

const { config, secrets } = loadStackConfig();
const lakehouse = new Lakehouse("lakehouse", { config, secrets });
const e = lakehouse.endpoints;

export const trinoUrl = e.trinoUrl;
export const metastoreUri = e.metastoreUri;
export const nameNodeUi = e.nameNodeUi;
export const defaultFS = e.defaultFS;
export const jdbcUrl = e.postgresJdbcUrl;
export const sparkMasterUrl = e.sparkMasterUrl;
export const sparkMasterUi = e.sparkMasterUi;
export const flinkUi = e.flinkUi;
export const warehouse = e.warehouse;
/** With kerberos.enabled: the realm, its KDCs and admin server. */
export const kerberos = e.kerberos ?? { status: "not enabled (set kerberos.enabled: true)" };
/** The cross-engine smoke test's result (opt-in: `smokeTest.enabled`; re-run by changing `smokeTest.run`). */
export const smokeTest = lakehouse.smokeTest ?? { status: "not enabled (set smokeTest.enabled: true)" };
/**
 * The cluster CA's certificate (PEM, public): clients verify the cluster's services with it
 * (`pulumi stack output caCertificate > lakehouse-ca.crt`). Its key stays on `tls.caNode`.
 */
export const caCertificate = lakehouse.ca.certificate;
/** Which security mode the cluster runs in, what is enforced, and (loudly) what an open cluster lets anyone do. */
export const security = securityPosture(lakehouse.plan);
export const nodes = lakehouse.plan.nodes.map((n) => ({ name: n.name, host: n.host, roles: n.roles }));
/** The metastore database password (generated unless set): secret in state and in `pulumi stack output`. */
export const metastoreDbPassword = pulumi.secret(lakehouse.secretOutputs.metastoreDbPassword);
/**
 * Spark's authentication secret (generated unless set; empty when spark.authenticate is off): a driver outside
 * the cluster's nodes needs it as spark.authenticate.secret. Secret in state and in `pulumi stack output`.
 */
export const sparkAuthSecret = pulumi.secret(lakehouse.secretOutputs.sparkAuthSecret);
/** Trino users' passwords by user (trino.users; generated unless set in the secret trinoPasswords). Secret. */
export const trinoPasswords = pulumi.secret(lakehouse.secretOutputs.trinoPasswords);
/** kerberos.adminPrincipal's password (generated unless set as the secret kerberosAdminPassword). Secret. */
export const kerberosAdminPassword = pulumi.secret(lakehouse.secretOutputs.kerberosAdminPassword);
