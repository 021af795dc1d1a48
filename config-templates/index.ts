/**
 * Every file a service needs, rendered from the plan. Pure: no Pulumi, no I/O.
 * - renderNodeFiles: files shared by the services of one release on a node (the Hadoop client config that
 *   every JVM here reads, Spark's and Flink's conf), written once per node;
 * - renderServiceFiles: a service instance's own files and its systemd unit.
 *
 * Each service renders its own files (services/<name>/files.ts: entries, renderers, unit); this folder holds
 * what they share: common.ts (the file record, headers, units), writers.ts (XML, properties, YAML, shell env
 * through their libraries), systemd.ts and java.ts. Each key/value file has an `…Entries` function (what the file
 * means, overrides applied) and a renderer (the same entries through the format's library); tests parse
 * every rendered file back and compare.
 */
import type { ArtifactName } from "../lib/config";
import type { NodePlan, Plan, ServicePlan } from "../lib/model";
import { DESCRIPTORS, descriptorOf } from "../services";
import type { RenderedFile, Secrets } from "./common";

export { renderUnit } from "./systemd";
export type { UnitSpec } from "./systemd";
export * from "./common";

/** Files shared by the services of one release on a node, by release: each service's node files. */
export function renderNodeFiles(plan: Plan, node: NodePlan, secrets: Secrets): Partial<Record<ArtifactName, RenderedFile[]>> {
  const out: Partial<Record<ArtifactName, RenderedFile[]>> = {};
  for (const d of DESCRIPTORS.filter((x) => x.enabled(plan.config)))
    for (const [release, files] of Object.entries(d.nodeFiles?.(plan, node, secrets) ?? {}) as Array<[ArtifactName, RenderedFile[]]>)
      out[release] = [...(out[release] ?? []), ...files];
  return out;
}

/** A service instance's own files and its systemd unit, from its service's descriptor. */
export function renderServiceFiles(plan: Plan, s: ServicePlan, secrets: Secrets): RenderedFile[] {
  return descriptorOf(s.kind).serviceFiles(plan, s, secrets);
}
