/**
 * Spark's part of the smoke test (services/spark/scripts/parts/smoke-test.sh): it reads Trino's Iceberg rows and
 * writes the Delta table, with spark-sql as the Spark user (with Kerberos, from its keytab on the test's node).
 * The test runs on the Spark master's node unless `smokeTest.node` says otherwise.
 */
import type { SmokePart } from "../../components/smoke-test";
import { OPT, jdk } from "../../lib/model";
import { keytabOn } from "../kerberos/client";
import { SPARK_CONF } from "./config";
import { SPARK_SCRIPT_PARTS } from "./scripts";

export const sparkSmoke: SmokePart<typeof SPARK_SCRIPT_PARTS> = {
  part: SPARK_SCRIPT_PARTS,
  args: ({ plan, node }) => {
    const c = plan.config;
    return {
      // "-": off, or its release is not on this node.
      spark_home: c.spark.enabled && node.artifacts.includes("spark") ? OPT("spark") : "-",
      spark_conf: SPARK_CONF,
      spark_java_home: jdk(c, c.spark.java).home,
      spark_user: c.spark.user,
      // With Kerberos its client logs in from its user's keytab here (it exists where a Spark service runs).
      spark_keytab: keytabOn(plan, node, c.spark.user),
      iceberg_catalog: c.spark.icebergCatalog,
    };
  },
  node: (plan) => plan.services.find((s) => s.kind === "spark-master")?.node,
  ownerLogins: ({ plan, node }) => [{ user: plan.config.spark.user, keytab: keytabOn(plan, node, plan.config.spark.user), loggedIn: true }],
};
