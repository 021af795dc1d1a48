/**
 * What the lab's artifact mirror could not provide (lab/config.ts `missing`: Trino without a JDK it runs on, the
 * Flink Hive connector) makes a lab suite FAIL before it deploys anything, naming what is missing and how to get
 * it, unless a person opts out explicitly: LAKEHOUSE_LAB_ALLOW_MISSING=trino,flinkHive. With the opt-out, every
 * check that needs the missing part says so where it stands (a test diagnostic) and once more at the end of the
 * run, so a green run without Trino never reads like a green run with it.
 */
import assert from "node:assert/strict";
import type { TestContext } from "node:test";

export const ALLOW_MISSING_ENV = "LAKEHOUSE_LAB_ALLOW_MISSING";

const HOW_TO_GET: Record<string, string> = {
  trino:
    "Trino 476 needs Java 24+, which Debian 12 does not package: install a Temurin 25 JDK at /usr/lib/jvm/temurin-25-jdk-amd64 " +
    "(or name one with LAKEHOUSE_LAB_JDK=<dir>) and run bash lab/mirror.sh again",
  flinkHive:
    "lab/mirror.sh builds the Flink Hive connector from flink-connector-hive_2.12 and hive-exec on Maven Central: its output says which download failed; run it again once they are reachable",
};

/** Missing parts a person allowed (the env), or an Error naming each one that was not allowed and how to get it. */
export function allowedMissing(missing: readonly string[], env = process.env[ALLOW_MISSING_ENV]): string[] {
  const allowed = new Set(
    (env ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const refused = missing.filter((m) => !allowed.has(m));
  if (refused.length)
    throw new Error(
      `the lab cannot run the whole stack: missing ${refused.join(", ")}.\n` +
        refused.map((m) => `  - ${m}: ${HOW_TO_GET[m] ?? "see lab/mirror.sh's output"}`).join("\n") +
        `\nTo run without ${refused.length === 1 ? "it" : "them"} anyway (their checks then report themselves skipped): ` +
        `${ALLOW_MISSING_ENV}=${[...missing].join(",")}`,
    );
  return [...missing];
}

/** Parts of checks that did not run because a missing part was allowed; printed again by `report`. */
export class SkippedParts {
  private readonly parts: string[] = [];
  constructor(private readonly missing: () => readonly string[]) {}

  /** True when `what` is in the lab; otherwise records `part` as skipped (on `t` too) and returns false. */
  has(what: string, t: TestContext, part: string): boolean {
    if (!this.missing().includes(what)) return true;
    const line = `SKIPPED PART: ${part} (no ${what} in this lab; ${ALLOW_MISSING_ENV})`;
    t.diagnostic(line);
    console.log(`\n*** ${line} ***\n`);
    this.parts.push(`${t.name}: ${part}`);
    return false;
  }

  /** The end-of-run summary: nothing when every part ran. */
  report(): string {
    if (!this.parts.length) return "";
    return [
      `*** ${ALLOW_MISSING_ENV}=${process.env[ALLOW_MISSING_ENV]}: the lab ran WITHOUT ${this.missing().join(", ")}; these parts of checks did not run:`,
      ...this.parts.map((p) => `***   - ${p}`),
    ].join("\n");
  }
}

/** The smoke test's steps, in order, and the part of the lab each needs (none: it runs on Spark and HDFS alone). */
const SMOKE_STEPS: ReadonlyArray<[string, string | undefined]> = [
  ["trino-writes-iceberg", "trino"],
  ["spark-reads-iceberg", "trino"],
  ["spark-writes-delta", undefined],
  ["trino-reads-delta", "trino"],
  ["flink-lists-hive-catalog", "flinkHive"],
];

/**
 * The smoke test passed with every step `ok`: a step may be `skipped` only for a part of the lab a person
 * explicitly allowed to be missing (then reported by `parts`).
 */
export function assertSmokeAllOk(
  smoke: { status: string; failedStep: string | null; detail: string; steps: Array<{ step: string; result: string }> },
  parts: SkippedParts,
  t: TestContext,
): void {
  assert.equal(smoke.status, "passed", `${smoke.failedStep}: ${smoke.detail}`);
  assert.deepEqual(
    smoke.steps.map((s) => s.step),
    SMOKE_STEPS.map(([s]) => s),
  );
  for (const [s, [, needs]] of smoke.steps.map((x, i) => [x, SMOKE_STEPS[i]] as const)) {
    if (needs && !parts.has(needs, t, `smoke-test step ${s.step}`)) assert.match(s.result, /^skipped/);
    else assert.equal(s.result, "ok", s.step);
  }
}
