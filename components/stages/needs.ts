/**
 * What the Lakehouse's stages derive from the config and the plan alone: the stand-in secrets a template's shape
 * is learnt with, each release's conf dir link, and what a service reads on its node.
 * Pure: no Pulumi, no resource; the stages (components/stages/*.ts) turn these answers into resources.
 */
import { type Secrets, renderNodeFiles } from "../../config-templates";
import { type ArtifactName, type ClusterConfig, SECRETS } from "../../lib/config";
import { clientRelease, hostClient, nodeOf, type NodePlan, type Plan, type ServicePlan } from "../../lib/plan";
import { DESCRIPTORS } from "../../services";
import type { GeneratedPasswords, SecretDecl } from "../../services/secret";

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

/** Each release's conf dir link, as the service that owns the release declares it (only the releases that have one). */
export const CONF_ARTIFACTS: Partial<Record<ArtifactName, { confDir: string; confSubdir: string }>> = Object.fromEntries(
  DESCRIPTORS.flatMap((d) => Object.entries(d.releases ?? {})).flatMap(([release, r]) =>
    r.confSubdir === undefined ? [] : [[release, { confDir: r.confDir, confSubdir: r.confSubdir }]],
  ),
);

/** The shared config file groups of a node (one ConfigFiles each: the Hadoop client's, Spark's, Flink's …). */
export const sharedConfGroups = (c: ClusterConfig, plan: Plan, node: NodePlan): ArtifactName[] =>
  Object.keys(renderNodeFiles(plan, node, placeholderSecrets(c))) as ArtifactName[];

/** The releases a service runs from on its node: its own, the jars dropped into it, and the client release. */
export function releasesRead(plan: Plan, s: ServicePlan): Set<ArtifactName> {
  const needed = new Set<ArtifactName>();
  if (s.artifact) {
    needed.add(s.artifact);
    const client = clientRelease();
    if (client) needed.add(client);
    for (const j of nodeOf(plan, s).jars) if (j.into === s.artifact) needed.add(j.jar);
  }
  return needed;
}

/** The Java majors a service needs: the one it runs on and the one the client release's tools run on (when it has a release). */
export const javaMajorsRead = (c: ClusterConfig, s: ServicePlan): Set<string | undefined> =>
  new Set([s.jdk?.major, s.artifact ? hostClient(c)?.java : undefined]);

/** Whether a service reads a node's shared config group: every JVM service the client release's, the others their own release's. */
export const readsConfGroup = (group: ArtifactName, s: ServicePlan): boolean =>
  group === clientRelease() ? s.artifact !== undefined : s.artifact === group;
