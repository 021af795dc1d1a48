/**
 * How configuration problems are reported: every problem with its key path, all at once, before anything
 * is registered; and config keys under a namespace this program does not read.
 */
import { z } from "zod";
import { PROJECT } from "./schema";

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing was changed:\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** `nodes[2].host` from ["nodes", 2, "host"]. */
export function keyPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out;
}

export function zodProblems(error: z.ZodError, prefix: PropertyKey[] = []): string[] {
  const out: string[] = [];
  for (const issue of error.issues) {
    const p = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      for (const k of issue.keys) out.push(`${keyPath([...p, k])}: unknown key`);
      continue;
    }
    let msg = issue.message;
    if (issue.code === "invalid_type" && /received undefined/.test(msg)) msg = "required";
    out.push(`${keyPath(p) || "(config)"}: ${msg}`);
  }
  return out;
}

/**
 * Namespaces a config key may have besides `lakehouse`: Pulumi's own and those of the providers this program
 * creates resources with (package.json: @pulumi/command, @pulumi/random). A key under any other namespace
 * configures nothing here: most likely a misspelt project (`lakehose:trino`, `Lakehouse:hdfs`) or a leftover.
 * Either way it is an error, not silently ignored. A program that starts using another provider adds it here.
 */
export const OTHER_NAMESPACES: readonly string[] = ["pulumi", "command", "random"];

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** Problems with config keys outside `lakehouse:`: see OTHER_NAMESPACES. */
export function namespaceProblems(keys: readonly string[]): string[] {
  const out: string[] = [];
  for (const k of keys) {
    const colon = k.indexOf(":");
    const ns = colon < 0 ? k : k.slice(0, colon);
    if (ns === PROJECT || OTHER_NAMESPACES.includes(ns)) continue;
    const rest = k.slice(colon + 1);
    const hint = editDistance(ns.toLowerCase(), PROJECT) <= 2 ? `; did you mean ${PROJECT}:${rest}?` : "";
    out.push(
      `${k}: unknown config namespace "${ns}"${hint} (this program reads ${PROJECT}:* and allows ${OTHER_NAMESPACES.map((n) => `${n}:*`).join(", ")})`,
    );
  }
  return out;
}
