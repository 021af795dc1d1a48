/** What the Hive metastore says in the stack's outputs: its Thrift URI, and its lines of `security`. */
import type { Plan } from "../../lib/model";
import type { SecurityLines, StackOutputDecls } from "../descriptor";
import { metastoreTls } from "./client";

export const METASTORE_OUTPUTS: StackOutputDecls = {
  metastoreUri: {
    description: "The Hive metastore's Thrift URI (thrift://<host>:<port>), the one catalog Trino, Spark and Flink share.",
    value: (plan) => plan.endpoints.metastoreUri,
  },
};

/**
 * How its Thrift endpoint is protected: SASL with Kerberos, or TLS (metastore.security.ssl); with neither, it is
 * weakened. Kerberos' SASL encrypts it too, so TLS being off is no weakness then.
 */
export function metastoreSecurity(plan: Plan): SecurityLines {
  const lines: SecurityLines = { enforced: [], weakened: [] };
  if (plan.config.kerberos.enabled)
    lines.enforced.push(
      "Metastore: Thrift with SASL (Kerberos) only, encrypted by it (QOP auth-conf); Trino's catalogs log in to it and to HDFS with their nodes' keytabs",
    );
  if (metastoreTls(plan))
    lines.enforced.push(
      "Metastore: Thrift over TLS (its node's certificate; Trino, Spark and Flink verify it against the cluster CA), without client authentication",
    );
  else if (!plan.config.kerberos.enabled)
    lines.weakened.push("Metastore: metastore.security.ssl is false: its Thrift traffic (every table's metadata) is unencrypted");
  return lines;
}
