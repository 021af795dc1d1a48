/**
 * The compatibility matrix: which Java each component version runs on, and which metastore versions its
 * clients can talk to. Sources: each project's release notes (see README, "Version matrix").
 * Pure data + checks; unit-tested in tests/config.test.ts.
 */
import type { ArtifactConfig, ArtifactName } from "./config/artifacts";
import { SECTIONS, ServiceKey } from "../services/sections";

/** Numeric compare of dotted versions: -1, 0, 1. Non-numeric parts compare as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export interface JavaRange {
  min: number;
  /** Newest Java known to work; undefined when no upper bound is known. */
  max?: number;
  why: string;
}

export type JavaRule = { from: string; to?: string; range: JavaRange };
/** Which Java each service's release runs on: [from, to) version ranges, declared by each service (services/<name>/config.ts). */
export const JAVA_MATRIX = Object.fromEntries(SECTIONS.filter((s) => s.java !== undefined).map((s) => [s.key, s.java!])) as Record<
  JavaService,
  { readonly artifact: ArtifactName; readonly rules: readonly JavaRule[] }
>;
/** The services that run on a JDK (a `<key>.java` setting). */
export type JavaService = Exclude<ServiceKey, "postgres">;

export function javaRange(service: keyof typeof JAVA_MATRIX, version: string): JavaRange | undefined {
  for (const r of JAVA_MATRIX[service].rules) {
    if (compareVersions(version, r.from) >= 0 && (r.to === undefined || compareVersions(version, r.to) < 0)) return r.range;
  }
  return undefined;
}

export function javaProblems(
  c: Partial<Record<keyof typeof JAVA_MATRIX, { java: string }>>,
  artifacts: Record<ArtifactName, ArtifactConfig>,
): string[] {
  const out: string[] = [];
  for (const service of Object.keys(JAVA_MATRIX) as Array<keyof typeof JAVA_MATRIX>) {
    // A section that did not parse has its own problems already.
    if (c[service] === undefined) continue;
    const version = artifacts[JAVA_MATRIX[service].artifact].version;
    const java = parseInt(c[service]!.java, 10);
    const range = javaRange(service, version);
    if (!range) continue;
    if (java < range.min || (range.max !== undefined && java > range.max)) {
      out.push(
        `${service}.java: ${JAVA_MATRIX[service].artifact} ${version} does not run on Java ${java} (${range.why}); configure a JDK under java and point ${service}.java at it`,
      );
    }
  }
  return out;
}

/** Metastore/client pairs known to break. */
export function metastoreClientProblems(artifacts: Record<ArtifactName, ArtifactConfig>): string[] {
  const out: string[] = [];
  const hive = artifacts.hive.version;
  if (compareVersions(hive, "4.0.1") >= 0) {
    out.push(
      `artifacts.hive.version: metastore ${hive} removed the Thrift call get_table, which Spark 3.5's Hive client and Iceberg's HiveCatalog still use ("Invalid method name: 'get_table'"); use 3.1.3 or 4.0.0`,
    );
  }
  if (compareVersions(artifacts.flink.version, "2.0.0") >= 0) {
    out.push(`artifacts.flink.version: Flink ${artifacts.flink.version} has no Hive connector; the lakehouse needs Flink 1.20.x`);
  }
  if (compareVersions(artifacts.spark.version, "4.0.0") >= 0) {
    out.push(
      `artifacts.spark.version: Spark ${artifacts.spark.version} needs the Scala 2.13 / Spark 4 builds of Iceberg and Delta; this stack pins the Spark 3.5 runtime jars`,
    );
  }
  return out;
}
