/** Flink's host scripts (services/flink/scripts/*.sh) and their parameters (lib/host-scripts.ts assembles them). */
import * as path from "path";
import type { ScriptPartSet, ScriptSet } from "../../lib/script-def";

export const FLINK_SCRIPTS = {
  dir: path.join(__dirname, "scripts"),
  scripts: {
    // The membership probe of a TaskManager: its command is the check; "secure", the optional arguments of a secured
    // cluster (the script documents them all).
    "flink-probe.sh": {
      params: [],
      commandVar: "check",
      commands: { "flink-taskmanager": { params: ["since", "url", "host"], rest: { name: "secure", min: 0 }, passThrough: true } },
    },
  },
} as const satisfies ScriptSet;

/** Flink's parts of generic host scripts (services/flink/scripts/parts/): its smoke test step. */
export const FLINK_SCRIPT_PARTS = {
  dir: path.join(__dirname, "scripts", "parts"),
  parts: {
    "smoke-test.sh": { params: ["flink_home", "flink_conf", "flink_java_home", "flink_user", "flink_keytab", "flink_hive_conf"] },
  },
} as const satisfies ScriptPartSet;
