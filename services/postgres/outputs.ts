/** What PostgreSQL says in the stack's outputs: the metastore database's JDBC URL, and its lines of `security`. */
import type { Plan } from "../../lib/model";
import type { SecurityLines, StackOutputDecls } from "../descriptor";

export const POSTGRES_OUTPUTS: StackOutputDecls = {
  jdbcUrl: {
    description:
      "The metastore database's JDBC URL (with postgres.ssl, sslmode=verify-full against the cluster CA's file on every node); its password is the secret output metastoreDbPassword.",
    value: (plan) => plan.endpoints.postgresJdbcUrl,
  },
};

/** Who the database admits, and whether its clients must use TLS (postgres.ssl). */
export function postgresSecurity(plan: Plan): SecurityLines {
  const lines: SecurityLines = {
    enforced: ["PostgreSQL: the metastore database admits the cluster's hosts only, with a SCRAM password"],
    weakened: [],
  };
  if (plan.config.postgres.ssl)
    lines.enforced.push(
      "PostgreSQL: network clients over TLS only; the metastore verifies the server against the cluster CA (verify-full)",
    );
  else
    lines.weakened.push("PostgreSQL: postgres.ssl is false: the metastore's database traffic, password exchange included, is unencrypted");
  return lines;
}
