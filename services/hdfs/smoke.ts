/**
 * HDFS's part of the smoke test (services/hdfs/scripts/parts/smoke-test.sh): its clean-up removes the warehouse
 * dirs the steps wrote, as the warehouse owner (with Kerberos, as an engine's principal, which maps to the owner).
 * Without a Spark master the test runs on the NameNode's node.
 */
import type { SmokePart } from "../../components/smoke-test";
import { OPT, jdk } from "../../lib/model";
import { HADOOP_CONF } from "./client";
import { HDFS_SCRIPT_PARTS } from "./scripts";

export const hdfsSmoke: SmokePart<typeof HDFS_SCRIPT_PARTS> = {
  part: HDFS_SCRIPT_PARTS,
  args: ({ plan, ownerLogin }) => {
    const c = plan.config;
    return {
      hadoop_home: OPT("hadoop"),
      hadoop_conf: HADOOP_CONF,
      hdfs_java_home: jdk(c, c.hdfs.java).home,
      owner: c.warehouse.owner,
      hdfs_login: ownerLogin,
    };
  },
  node: (plan) => plan.services.find((s) => s.kind === "namenode")?.node,
};
