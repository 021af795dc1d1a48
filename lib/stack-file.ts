/** The `lakehouse:*` values of a stack file (Pulumi.<stack>.yaml), prefix stripped. */
import { readFileSync } from "fs";
import * as path from "path";
import { parse } from "yaml";

export const REPO_ROOT = path.resolve(__dirname, "..");

export function stackFileValues(name: string): Record<string, unknown> {
  const doc = parse(readFileSync(path.join(REPO_ROOT, `Pulumi.${name}.yaml`), "utf8")) as { config: Record<string, unknown> };
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc.config)) values[k.replace(/^lakehouse:/, "")] = v;
  return values;
}
