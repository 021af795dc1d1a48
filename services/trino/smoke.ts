/**
 * Trino's part of the smoke test (services/trino/scripts/parts/smoke-test.sh): it writes the Iceberg rows, reads
 * Spark's Delta table, logged in as the first of trino.users (its password on stdin) over HTTPS verified against
 * the cluster CA when Trino wants passwords.
 */
import type { SmokePart } from "../../components/smoke-test";
import { CA_FILE } from "../../lib/model";
import { keytabOn } from "../kerberos/client";
import { trinoPasswordUsers } from "./config";
import { TRINO_SCRIPT_PARTS } from "./scripts";

export const trinoSmoke: SmokePart<typeof TRINO_SCRIPT_PARTS> = {
  part: TRINO_SCRIPT_PARTS,
  args: ({ plan }) => {
    const c = plan.config;
    return {
      trino_url: c.trino.enabled ? plan.endpoints.trinoUrl! : "-",
      // With password authentication the test logs in over HTTPS, verifying the coordinator against the CA.
      trino_ca: c.trino.enabled && c.trino.authentication === "password" ? CA_FILE : "-",
    };
  },
  // The first of trino.users logs in (the test makes and drops a schema: it needs the rights); empty without passwords.
  stdin: ({ plan }, secrets) => {
    const c = plan.config;
    const first = c.trino.users[0];
    return trinoPasswordUsers(c).length ? secrets.trinoPasswords.apply((p) => `${first}:${p[first]}`) : "";
  },
  // Trino's own principals act as the warehouse owner too (its steps log in with a password, not as these).
  ownerLogins: ({ plan, node }) => [
    { user: plan.config.trino.user, keytab: keytabOn(plan, node, plan.config.trino.user), loggedIn: false },
  ],
};
