/** Kerberos's host scripts (services/kerberos/scripts/*.sh) and their parameters (lib/host-scripts.ts assembles them). */
import * as path from "path";
import type { ScriptPartSet, ScriptSet } from "../../lib/script-def";

export const KERBEROS_SCRIPTS = {
  dir: path.join(__dirname, "scripts"),
  scripts: {
    "kerberos-kdc.sh": { params: ["realm", "admin_principal", "db_dir"] },
    "kerberos-keytabs.sh": { params: ["realm", "admin_principal", "dir"], rest: { name: "entries", min: 1 } },
  },
} as const satisfies ScriptSet;

/** Kerberos's parts of generic host scripts (services/kerberos/scripts/parts/): the smoke test's logins. */
export const KERBEROS_SCRIPT_PARTS = {
  dir: path.join(__dirname, "scripts", "parts"),
  parts: { "smoke-test.sh": { params: [] } },
} as const satisfies ScriptPartSet;
