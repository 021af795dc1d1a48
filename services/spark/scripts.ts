/** Spark's host scripts (services/spark/scripts/*.sh) and their parameters (lib/host-scripts.ts assembles them). */
import * as path from "path";
import type { ScriptPartSet, ScriptSet } from "../../lib/script-def";

export const SPARK_SCRIPTS = {
  dir: path.join(__dirname, "scripts"),
  scripts: {
    // The membership probe of a worker: its command is the check (the script documents its arguments).
    "spark-probe.sh": {
      params: [],
      commandVar: "check",
      commands: { "spark-worker": { params: ["since", "url", "host", "port"], passThrough: true } },
    },
  },
} as const satisfies ScriptSet;

/** Spark's parts of generic host scripts (services/spark/scripts/parts/): its smoke test steps. */
export const SPARK_SCRIPT_PARTS = {
  dir: path.join(__dirname, "scripts", "parts"),
  parts: {
    "smoke-test.sh": { params: ["spark_home", "spark_conf", "spark_java_home", "spark_user", "spark_keytab", "iceberg_catalog"] },
  },
} as const satisfies ScriptPartSet;
