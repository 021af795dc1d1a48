/**
 * The hosts and releases stage, per node and in parallel across nodes: the Host (connection, preflight, OS
 * preparation, /etc/hosts), the JDK archives, the releases and the jars dropped into them, and the node's shared
 * config files (the Hadoop client's, Spark's, Flink's).
 */
import type * as pulumi from "@pulumi/pulumi";
import { renderNodeFiles } from "../../config-templates";
import type { ArtifactName, ClusterConfig } from "../../lib/config";
import { JDK_ARTIFACT, NodePlan, Plan, superuserGroup } from "../../lib/plan";
import { Artifact } from "../artifact";
import { ConfigFiles } from "../files";
import { Host } from "../host";
import type { FileSetOf } from "./files";
import { CONF_ARTIFACTS, sharedConfGroups } from "./needs";

/** What is deployed on one node before its services: what they wait for. */
export interface NodeDeployment {
  host: Host;
  /** Releases and jars, by artifact name. */
  releases: Partial<Record<ArtifactName, Artifact>>;
  /** JDK archives, by Java major. */
  jdks: Record<string, Artifact>;
  /** Shared config files, by group (the release that reads them). */
  conf: Partial<Record<ArtifactName, ConfigFiles>>;
}

export interface HostsStageArgs {
  plan: Plan;
  config: ClusterConfig;
  ssh: { privateKey: pulumi.Input<string>; privateKeyPassword?: pulumi.Input<string> };
  fileSetOf: FileSetOf;
  opts: pulumi.ComponentResourceOptions;
}

/** Every node's deployment, by node name (nodes in plan order, each node's resources in the order above). */
export function deployHosts(a: HostsStageArgs): Record<string, NodeDeployment> {
  const out: Record<string, NodeDeployment> = {};
  for (const node of a.plan.nodes) out[node.name] = deployNode(a, node);
  return out;
}

/** One node: its host, then its JDKs and releases (after host preparation), then its shared config files. */
function deployNode(a: HostsStageArgs, node: NodePlan): NodeDeployment {
  const { plan, config: c, opts } = a;
  const host = new Host(
    node.name,
    {
      plan,
      node,
      config: c,
      superusers: superuserGroup(c),
      privateKey: a.ssh.privateKey,
      privateKeyPassword: a.ssh.privateKeyPassword,
    },
    opts,
  );
  const jdks: Record<string, Artifact> = {};
  for (const j of node.jdkArchives) {
    jdks[j.major] = new Artifact(
      `${node.name}-${JDK_ARTIFACT(j.major)}`,
      { host, name: JDK_ARTIFACT(j.major), source: j.archive!, kind: "tarball", dependsOn: [host.prepared] },
      opts,
    );
  }
  const releases = deployReleases(c, node, host, opts);
  const conf: Partial<Record<ArtifactName, ConfigFiles>> = {};
  for (const g of sharedConfGroups(c, plan, node)) {
    const f = a.fileSetOf((s) => renderNodeFiles(plan, node, s)[g] ?? []);
    conf[g] = new ConfigFiles(`${node.name}-${g}-conf`, { host, ...f, dependsOn: [releases[g]?.installed ?? host.prepared] }, opts);
  }
  return { host, releases, jdks, conf };
}

/** A node's releases (after host preparation), then the jars dropped into them (each after its release). */
function deployReleases(
  c: ClusterConfig,
  node: NodePlan,
  host: Host,
  opts: pulumi.ComponentResourceOptions,
): Partial<Record<ArtifactName, Artifact>> {
  const mine: Partial<Record<ArtifactName, Artifact>> = {};
  for (const a of node.artifacts) {
    mine[a] = new Artifact(
      `${node.name}-${a}`,
      { host, name: a, source: c.artifacts[a], kind: "tarball", ...CONF_ARTIFACTS[a], dependsOn: [host.prepared] },
      opts,
    );
  }
  for (const j of node.jars) {
    mine[j.jar] = new Artifact(
      `${node.name}-${j.jar}`,
      {
        host,
        name: j.jar,
        source: c.artifacts[j.jar],
        kind: "jar",
        destDir: `/opt/${j.into}/${c.artifacts[j.into].version}/${j.dir}`,
        dependsOn: [mine[j.into]!.installed],
      },
      opts,
    );
  }
  return mine;
}
