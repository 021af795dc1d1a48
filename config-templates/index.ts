/**
 * Every file a service needs, rendered from the plan. Pure: no Pulumi, no I/O.
 * - renderNodeFiles: files shared by the services of one release on a node (the Hadoop client config that
 *   every JVM here reads, Spark's and Flink's conf), written once per node;
 * - renderServiceFiles: a service instance's own files and its systemd unit.
 *
 * One file per product (hadoop, hive, trino, spark, flink), each with its entries, renderers and service
 * files; common.ts holds what they share. Each key/value file has an `…Entries` function (what the file
 * means, overrides applied) and a renderer (the same entries through the format's library); tests parse
 * every rendered file back and compare.
 */
import { CONF_DIRS, NodePlan, Plan, ServicePlan } from "../lib/plan";
import { RenderedFile, Secrets, file, secretFile } from "./common";
import { FLINK_HIVE_CONF, flinkConfig, flinkServiceFiles } from "./flink";
import { coreSite, hdfsServiceFiles, hdfsSite } from "./hadoop";
import { hiveClientSite, metastoreServiceFiles } from "./hive";
import { sparkDefaults, sparkEnv, sparkServiceFiles } from "./spark";
import { trinoServiceFiles } from "./trino";

export { renderUnit } from "./systemd";
export type { UnitSpec } from "./systemd";
export * from "./common";
export * from "./hadoop";
export * from "./hive";
export * from "./trino";
export * from "./spark";
export * from "./flink";

export function renderNodeFiles(
  plan: Plan,
  node: NodePlan,
  secrets: Secrets,
): Partial<Record<"hadoop" | "spark" | "flink", RenderedFile[]>> {
  const c = plan.config;
  const out: Partial<Record<"hadoop" | "spark" | "flink", RenderedFile[]>> = {};
  if (node.artifacts.includes("hadoop")) {
    out.hadoop = [
      file(c, `${CONF_DIRS.hadoop}/core-site.xml`, coreSite(plan)),
      file(c, `${CONF_DIRS.hadoop}/hdfs-site.xml`, hdfsSite(plan)),
    ];
  }
  if (node.artifacts.includes("spark")) {
    out.spark = [
      // With Spark's authentication it holds the secret: the spark user's alone (its daemons and its clients).
      c.spark.authenticate
        ? secretFile(c, c.spark, `${CONF_DIRS.spark}/spark-defaults.conf`, sparkDefaults(plan, secrets))
        : file(c, `${CONF_DIRS.spark}/spark-defaults.conf`, sparkDefaults(plan, secrets)),
      file(c, `${CONF_DIRS.spark}/spark-env.sh`, sparkEnv(plan, node), { mode: "0755" }),
    ];
  }
  if (node.artifacts.includes("flink")) {
    out.flink = [
      file(c, `${CONF_DIRS.flink}/config.yaml`, flinkConfig(plan, node)),
      file(c, `${FLINK_HIVE_CONF}/hive-site.xml`, hiveClientSite(plan)),
    ];
  }
  return out;
}

/** A service instance's own files and its systemd unit, from the renderer of its product. */
export function renderServiceFiles(plan: Plan, s: ServicePlan, secrets: Secrets): RenderedFile[] {
  switch (s.kind) {
    case "postgres":
      return []; // MetastoreDatabase configures the OS package's own unit.
    case "namenode":
    case "datanode":
      return hdfsServiceFiles(plan, s, secrets);
    case "metastore":
      return metastoreServiceFiles(plan, s, secrets);
    case "trino":
      return trinoServiceFiles(plan, s, secrets);
    case "spark-master":
    case "spark-worker":
      return sparkServiceFiles(plan, s, secrets);
    case "flink-jobmanager":
    case "flink-taskmanager":
      return flinkServiceFiles(plan, s, secrets);
  }
}
