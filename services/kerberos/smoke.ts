/**
 * Kerberos's part of the smoke test (services/kerberos/scripts/parts/smoke-test.sh: the logins the other parts
 * register, before anything else). The keytab lookup the engines' parts give their clients is in ./client.
 */
import type { SmokePart } from "../../components/smoke-test";
import { KERBEROS_SCRIPT_PARTS } from "./scripts";

export const kerberosSmoke: SmokePart<typeof KERBEROS_SCRIPT_PARTS> = {
  part: KERBEROS_SCRIPT_PARTS,
  args: () => ({}),
};
