/** The metastore's host script (services/metastore/scripts/*.sh) and its parameters (lib/host-scripts.ts assembles it). */
import * as path from "path";
import type { ScriptSet } from "../../lib/script-def";

export const METASTORE_SCRIPTS = {
  dir: path.join(__dirname, "scripts"),
  scripts: {
    "metastore-schema.sh": {
      params: [
        "hive_home",
        "hadoop_home",
        "java_home",
        "conf_dir",
        "user",
        "pg_host",
        "pg_port",
        "db",
        "db_user",
        "sslmode",
        "sslrootcert",
      ],
    },
  },
} as const satisfies ScriptSet;
