/** What Spark says in the stack's outputs: its master's URL and UI, and its lines of `security`. */
import type { Plan } from "../../lib/model";
import type { SecurityLines, StackOutputDecls } from "../descriptor";

export const SPARK_OUTPUTS: StackOutputDecls = {
  sparkMasterUrl: {
    description:
      "The Spark master, for spark-submit --master (spark://<host>:<port>); a driver needs the secret output sparkAuthSecret with spark.authenticate. Absent while Spark is off.",
    value: (plan) => plan.endpoints.sparkMasterUrl,
  },
  sparkMasterUi: {
    description: "The Spark master's web UI (HTTP). Absent while Spark is off.",
    value: (plan) => plan.endpoints.sparkMasterUi,
  },
};

/** How drivers and executors reach HDFS and the metastore with Kerberos, and whether drivers authenticate. */
export function sparkSecurity(plan: Plan): SecurityLines {
  const c = plan.config;
  const lines: SecurityLines = { enforced: [], weakened: [] };
  if (c.kerberos.enabled)
    lines.enforced.push(
      "Spark: drivers reach HDFS and the metastore with their Kerberos tickets; executors with their worker node's HDFS delegation token (renewed by a timer, 0600 the spark user's)",
    );
  if (c.spark.authenticate)
    lines.enforced.push("Spark: every driver authenticates with the cluster's secret; RPC is AES-encrypted; REST submission off");
  else lines.weakened.push("Spark: spark.authenticate is false: whoever reaches the master's port runs code as the spark user");
  return lines;
}
