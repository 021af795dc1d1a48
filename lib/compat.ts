/**
 * The compatibility matrix: which Java each component version runs on, and which metastore versions its
 * clients can talk to. Sources: each project's release notes (see README, "Version matrix").
 * Pure data + checks; unit-tested in tests/config.test.ts.
 */
import type { ArtifactConfig, ArtifactName } from "./config";

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

type Rule = { from: string; to?: string; range: JavaRange };
/** [from, to) version ranges. */
export const JAVA_MATRIX: Record<"hdfs" | "metastore" | "trino" | "spark" | "flink", { artifact: ArtifactName; rules: Rule[] }> = {
  hdfs: {
    artifact: "hadoop",
    rules: [
      { from: "3.3.0", to: "3.5.0", range: { min: 8, max: 17, why: "Hadoop 3.3/3.4 run on Java 8-17 (17 with add-opens)" } },
      { from: "3.5.0", range: { min: 17, why: "Hadoop 3.5 is built for and requires Java 17" } },
    ],
  },
  metastore: {
    artifact: "hive",
    rules: [
      { from: "3.0.0", to: "4.0.0", range: { min: 8, max: 17, why: "Hive metastore 3.1 is built for Java 8 and runs on 17" } },
      { from: "4.0.0", to: "4.2.0", range: { min: 17, why: "Hive 4.0/4.1 need Java 17" } },
      { from: "4.2.0", range: { min: 21, why: "Hive 4.2 needs Java 21" } },
    ],
  },
  trino: {
    artifact: "trino",
    rules: [
      { from: "0", to: "436", range: { min: 17, why: "Trino up to 435 runs on Java 17" } },
      { from: "436", to: "447", range: { min: 21, why: "Trino 436-446 need Java 21" } },
      { from: "447", to: "464", range: { min: 22, why: "Trino 447-463 need Java 22" } },
      { from: "464", to: "476", range: { min: 23, why: "Trino 464-475 need Java 23" } },
      { from: "476", to: "479", range: { min: 24, why: "Trino 476-478 need Java 24" } },
      { from: "479", range: { min: 25, why: "Trino 479+ needs Java 25" } },
    ],
  },
  spark: {
    artifact: "spark",
    rules: [
      { from: "3.5.0", to: "4.0.0", range: { min: 8, max: 17, why: "Spark 3.5 runs on Java 8/11/17" } },
      { from: "4.0.0", range: { min: 17, why: "Spark 4 needs Java 17+" } },
    ],
  },
  flink: {
    artifact: "flink",
    rules: [{ from: "1.18.0", to: "2.0.0", range: { min: 11, max: 17, why: "Flink 1.18-1.20 support Java 11 and 17" } }],
  },
};

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
