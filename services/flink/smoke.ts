/**
 * Flink's part of the smoke test (services/flink/scripts/parts/smoke-test.sh): its Hive catalog lists the table,
 * with the SQL client as the Flink user (with Kerberos, from its keytab on the test's node). Skipped without the
 * Hive connector.
 */
import type { SmokePart } from "../../components/smoke-test";
import { OPT, jdk } from "../../lib/model";
import { keytabOn } from "../kerberos/client";
import { FLINK_CONF } from "./config";
import { FLINK_HIVE_CONF } from "./files";
import { FLINK_SCRIPT_PARTS } from "./scripts";

export const flinkSmoke: SmokePart<typeof FLINK_SCRIPT_PARTS> = {
  part: FLINK_SCRIPT_PARTS,
  args: ({ plan, node }) => {
    const c = plan.config;
    return {
      // "-": off, without its Hive connector, or its release is not on this node.
      flink_home: c.flink.enabled && c.flink.hiveConnector && node.artifacts.includes("flink") ? OPT("flink") : "-",
      flink_conf: FLINK_CONF,
      flink_java_home: jdk(c, c.flink.java).home,
      flink_user: c.flink.user,
      // With Kerberos its client logs in from its user's keytab here (it exists where a Flink service runs).
      flink_keytab: keytabOn(plan, node, c.flink.user),
      flink_hive_conf: FLINK_HIVE_CONF,
    };
  },
  ownerLogins: ({ plan, node }) => [{ user: plan.config.flink.user, keytab: keytabOn(plan, node, plan.config.flink.user), loggedIn: true }],
};
