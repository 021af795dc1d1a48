/**
 * The compatibility checks: which Java each release runs on (each service's section's `java`, services/<name>/
 * config.ts) and which versions break the rest of the stack (each service's releases' `compat`,
 * services/<name>/releases.ts). Sources: each project's release notes (see README, "Version matrix").
 * The services declare the data; the checks here are generic. Unit-tested in tests/config.test.ts.
 */
import type { ArtifactConfig, ArtifactName } from "./config/artifacts";
import { RELEASES } from "../services/bom";
import type { ReleaseDecls, VersionRule } from "../services/release";
import type { SectionDef } from "../services/section";
import { SECTIONS, ServiceKey } from "../services/sections";
import { compareVersions } from "./versions";

export { compareVersions } from "./versions";

export interface JavaRange {
  min: number;
  /** Newest Java known to work; undefined when no upper bound is known. */
  max?: number;
  why: string;
}

export type JavaRule = { from: string; to?: string; range: JavaRange };
/** A service's Java matrix: the release whose version decides, and its [from, to) version ranges. */
export type JavaMatrix = NonNullable<SectionDef["java"]>;
/**
 * Which Java each service's release runs on, declared by each service (its section's `java`,
 * services/<name>/config.ts); a service that runs on no JDK has none.
 */
export const JAVA_MATRIX: Partial<Record<ServiceKey, JavaMatrix>> = Object.fromEntries(
  SECTIONS.flatMap((s) => (s.java ? [[s.key, s.java] as const] : [])),
);

/** Whether a version lies in [from, to) (to absent: no upper bound). */
const inRange = (version: string, from: string, to?: string): boolean =>
  compareVersions(version, from) >= 0 && (to === undefined || compareVersions(version, to) < 0);

export function javaRange(service: ServiceKey, version: string): JavaRange | undefined {
  return JAVA_MATRIX[service]?.rules.find((r) => inRange(version, r.from, r.to))?.range;
}

export function javaProblems(c: Partial<Record<ServiceKey, { java: string }>>, artifacts: Record<ArtifactName, ArtifactConfig>): string[] {
  const out: string[] = [];
  for (const [service, matrix] of Object.entries(JAVA_MATRIX) as Array<[ServiceKey, JavaMatrix]>) {
    // A section that did not parse has its own problems already.
    if (c[service] === undefined) continue;
    const version = artifacts[matrix.artifact].version;
    const java = parseInt(c[service]!.java, 10);
    const range = javaRange(service, version);
    if (!range) continue;
    if (java < range.min || (range.max !== undefined && java > range.max)) {
      out.push(
        `${service}.java: ${matrix.artifact} ${version} does not run on Java ${java} (${range.why}); configure a JDK under java and point ${service}.java at it`,
      );
    }
  }
  return out;
}

/**
 * The releases' own version rules (each service's `compat`, services/<name>/releases.ts), on the releases as
 * merged: one problem per rule broken, in the registry's order (services/bom.ts).
 */
export function releaseProblems(artifacts: Record<ArtifactName, ArtifactConfig>): string[] {
  const out: string[] = [];
  for (const decls of Object.values(RELEASES) as ReleaseDecls[]) {
    for (const [name, rules] of Object.entries(decls.compat ?? {}) as Array<[ArtifactName, readonly VersionRule[]]>) {
      const version = artifacts[name].version;
      for (const r of rules.filter((r) => inRange(version, r.from, r.to))) out.push(`artifacts.${name}.version: ${r.problem(version)}`);
    }
  }
  return out;
}
