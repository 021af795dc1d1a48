/** What Flink says in the stack's outputs: its JobManager's UI, and its lines of `security`. */
import type { Plan } from "../../lib/model";
import type { SecurityLines, StackOutputDecls } from "../descriptor";

export const FLINK_OUTPUTS: StackOutputDecls = {
  flinkUi: {
    description: "Flink's JobManager REST endpoint and web UI: HTTPS with kerberos.enabled, HTTP without. Absent while Flink is off.",
    value: (plan) => plan.endpoints.flinkUi,
  },
};

/** With Kerberos, how its processes log in and connect; and whether whoever reaches its REST port may run jars. */
export function flinkSecurity(plan: Plan): SecurityLines {
  const c = plan.config;
  const lines: SecurityLines = { enforced: [], weakened: [] };
  if (c.kerberos.enabled)
    lines.enforced.push(
      "Flink: every process logs in from its node's flink keytab; the REST endpoint takes HTTPS, and the internal RPC, blob and data connections TLS, each with a client certificate of the cluster CA only",
    );
  if (c.flink.webSubmit)
    lines.weakened.push("Flink: flink.webSubmit is true: whoever reaches the REST port uploads and runs jars as the flink user");
  else lines.enforced.push("Flink: REST bound to the JobManager's address, jar upload off");
  return lines;
}
