/** What Trino says in the stack's outputs: its coordinator's URL, and its line of `security`. */
import type { Plan } from "../../lib/model";
import type { SecurityLines, StackOutputDecls } from "../descriptor";

export const TRINO_OUTPUTS: StackOutputDecls = {
  trinoUrl: {
    description:
      "Trino's coordinator, what clients connect to: HTTPS with trino.https.enabled (users' passwords: the secret output trinoPasswords), HTTP without. Absent while Trino is off.",
    value: (plan) => plan.endpoints.trinoUrl,
  },
};

/** How clients reach the coordinator: HTTPS with passwords and access rules, or what is left open. */
export function trinoSecurity(plan: Plan): SecurityLines {
  const t = plan.config.trino;
  if (t.authentication === "password")
    return {
      enforced: [
        `Trino: clients over HTTPS (port ${t.https.port}, the coordinator's certificate from the cluster CA) with a password of trino.users; file-based access control${t.accessRules ? " with the configured rules" : " (every user may use every catalog until trino.accessRules says otherwise)"}`,
      ],
      weakened: [],
    };
  return {
    enforced: [],
    weakened: [
      t.https.enabled
        ? "Trino: trino.authentication is none: over HTTPS, but anyone may claim any user name and run any query"
        : "Trino: trino.https.enabled is false and authentication none: anyone may run any query over plain HTTP",
    ],
  };
}
