/** PostgreSQL's host script (services/postgres/scripts/*.sh) and its parameters (lib/host-scripts.ts assembles it). */
import * as path from "path";
import type { ScriptSet } from "../../lib/script-def";

export const POSTGRES_SCRIPTS = {
  dir: path.join(__dirname, "scripts"),
  scripts: {
    "postgres-setup.sh": {
      params: ["package", "port", "db", "user", "ssl", "cert_sha256", "tls_dir"],
      rest: { name: "clients", min: 1 },
    },
  },
} as const satisfies ScriptSet;
