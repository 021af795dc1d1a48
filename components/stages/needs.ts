/**
 * What the Lakehouse's stages derive from the config and the plan alone: who has a Trino password, the stand-in
 * secrets a template's shape is learnt with, each release's conf dir link, and what a service reads on its node.
 * Pure: no Pulumi, no resource; the stages (components/stages/*.ts) turn these answers into resources.
 */
import { type Secrets, renderNodeFiles } from "../../config-templates";
import type { ArtifactName, ClusterConfig } from "../../lib/config";
import type { NodePlan, Plan, ServicePlan } from "../../lib/plan";
import { DESCRIPTORS } from "../../services";
import { TRINO_HEALTH_USER } from "../../services/trino/config";

/** The Trino users with a password: trino.users and the health-check user (none without password authentication). */
export const trinoPasswordUsers = (c: ClusterConfig): string[] =>
  c.trino.enabled && c.trino.authentication === "password" ? [...c.trino.users, TRINO_HEALTH_USER] : [];

/** Stand-ins used to learn a template's shape (paths, secret flags) without touching secret values. */
export const placeholderSecrets = (c: ClusterConfig): Secrets => ({
  postgresPassword: "<postgresPassword>",
  trinoSharedSecret: "<trinoSharedSecret>",
  sparkAuthSecret: "<sparkAuthSecret>",
  trinoPasswords: Object.fromEntries(trinoPasswordUsers(c).map((u) => [u, `<trino password of ${u}>`])),
  hashKey: "<hashKey>",
});

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
