/** Trino's host scripts (services/trino/scripts/*.sh) and their parameters (lib/host-scripts.ts assembles them). */
import * as path from "path";
import type { ScriptPartSet, ScriptSet } from "../../lib/script-def";

export const TRINO_SCRIPTS = {
  dir: path.join(__dirname, "scripts"),
  scripts: {
    // The membership probe of a worker: its command is the check; "secure", the optional arguments of a secured
    // cluster (the script documents them all).
    "trino-probe.sh": {
      params: [],
      commandVar: "check",
      commands: {
        "trino-worker": { params: ["since", "coordinator", "worker", "node_id"], rest: { name: "secure", min: 0 }, passThrough: true },
      },
    },
  },
} as const satisfies ScriptSet;

/** Trino's parts of generic host scripts (services/trino/scripts/parts/): its smoke test steps. */
export const TRINO_SCRIPT_PARTS = {
  dir: path.join(__dirname, "scripts", "parts"),
  parts: { "smoke-test.sh": { params: ["trino_url", "trino_ca"] } },
} as const satisfies ScriptPartSet;
