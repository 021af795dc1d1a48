/**
 * Spawns lab/mock-program-child.ts for one stack config and returns what the program registered under Pulumi's
 * mocks (no engine, no hosts). The unit tests and `npm run bench` use it.
 */
import { execFileSync } from "child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import type { ProgramResult, ResourceRecord } from "./mock-program-child";

export type { ProgramResult, ResourceRecord };
const ROOT = path.resolve(__dirname, "..");

export function runProgram(stack: string, config: Record<string, unknown>, secretKeys: string[]): ProgramResult {
  const dir = mkdtempSync(path.join(tmpdir(), "lakehouse-prog-"));
  try {
    const req = path.join(dir, "req.json");
    const out = path.join(dir, "out.json");
    writeFileSync(req, JSON.stringify({ stack, config, secretKeys }), { mode: 0o600 });
    execFileSync(process.execPath, ["--import", "tsx", path.join(ROOT, "lab/mock-program-child.ts"), req, out], {
      cwd: ROOT,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, PULUMI_NODEJS_SKIP_TS_CHECK: "true" },
    });
    return JSON.parse(readFileSync(out, "utf8")) as ProgramResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The secret signature Pulumi uses to mark secret values in serialized properties. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export function isSecretValue(v: unknown): boolean {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)["4dabf18193072939515e22adb298388d"] === SECRET_SIG;
}

/** Replace secret wrappers by their values (what a policy sees: policies get secrets in clear). */
export function unwrap(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrap);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (isSecretValue(o)) return unwrap(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrap(x)]));
  }
  return v;
}
