/**
 * What the Lakehouse's stages derive from the config and the plan alone: who has a Trino password, the stand-in
 * secrets a template's shape is learnt with, each release's conf dir link, and what a service reads on its node.
 * Pure: no Pulumi, no resource; the stages (components/stages/*.ts) turn these answers into resources.
 */
import { type Secrets, renderNodeFiles } from "../../config-templates";
import { type ArtifactName, type ClusterConfig, SECRETS } from "../../lib/config";
import type { NodePlan, Plan, ServicePlan } from "../../lib/plan";
import { DESCRIPTORS } from "../../services";
import type { GeneratedPasswords, SecretDecl } from "../../services/secret";

export { trinoPasswordUsers } from "../../services/trino/config";

/**
 * Stand-ins used to learn a template's shape (paths, secret flags) without touching secret values: `<name>` for
 * each secret the renderers get, its declared stand-in for each member of one with members (Trino's users).
 */
export const placeholderSecrets = (c: ClusterConfig): Secrets =>
  Object.fromEntries(
    (Object.entries(SECRETS) as Array<[string, SecretDecl<ClusterConfig>]>).flatMap(([name, d]) =>
      d.generate === false || !d.rendered
        ? []
        : [[name, d.generate.kind === "passwords" ? placeholderMembers(c, d.generate) : `<${name}>`]],
    ),
  ) as Secrets;

const placeholderMembers = (c: ClusterConfig, g: GeneratedPasswords<ClusterConfig>): Record<string, string> =>
  Object.fromEntries(g.members(c).map((m) => [m, g.placeholder(m)]));

/** Each release's conf dir link, as the service that owns the release declares it. */
export const CONF_ARTIFACTS: Partial<Record<ArtifactName, { confDir: string; confSubdir: string }>> = Object.assign(
  {},
  ...DESCRIPTORS.map((d) => d.releases ?? {}),
);

/** The plan of the node called `name`. */
export const nodePlan = (plan: Plan, name: string): NodePlan => plan.nodes.find((n) => n.name === name)!;

/** The shared config file groups of a node (one ConfigFiles each: the Hadoop client's, Spark's, Flink's …). */
export const sharedConfGroups = (c: ClusterConfig, plan: Plan, node: NodePlan): ArtifactName[] =>
  Object.keys(renderNodeFiles(plan, node, placeholderSecrets(c))) as ArtifactName[];

/** The releases a service runs from on its node: its own, the jars dropped into it, and the Hadoop client. */
export function releasesRead(plan: Plan, s: ServicePlan): Set<ArtifactName> {
  const needed = new Set<ArtifactName>();
  if (s.artifact) {
    needed.add(s.artifact);
    needed.add("hadoop");
    for (const j of nodePlan(plan, s.node).jars) if (j.into === s.artifact) needed.add(j.jar);
  }
  return needed;
}

/** The Java majors a service needs: the one it runs on and the one the Hadoop client tools run on (when it has a release). */
export const javaMajorsRead = (c: ClusterConfig, s: ServicePlan): Set<string | undefined> =>
  new Set([s.jdk?.major, s.artifact ? c.hdfs.java : undefined]);

/** Whether a service reads a node's shared config group: every JVM service the Hadoop client's, Spark/Flink their own. */
export const readsConfGroup = (group: ArtifactName, s: ServicePlan): boolean =>
  group === "hadoop" ? s.artifact !== undefined : s.artifact === group;
