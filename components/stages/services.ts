/**
 * The services stage: every service instance in plan order, each after what it needs on its node (release, jars,
 * JDK, shared config, /etc/hosts, with Kerberos its node's keytabs) and after the services it starts after
 * (DataNodes after the NameNode, the metastore after PostgreSQL and the warehouse, engines after the metastore,
 * workers after their coordinator/master). A change rolls through a rolling group one instance at a time. Each
 * instance is made by its service's deploy half (services/<name>/deploy.ts, registered in services/deploy.ts): the
 * generic systemd service or a component of the service's own. Every instance also waits for the node gates the
 * services declare (with Kerberos, its node's keytabs).
 */
import type * as command from "@pulumi/command";
import type * as pulumi from "@pulumi/pulumi";
import { renderServiceFiles } from "../../config-templates";
import type { ArtifactName, ClusterConfig } from "../../lib/config";
import type { Plan, ServicePlan } from "../../lib/plan";
import type { Host } from "../host";
import type { ServiceComponentArgs } from "../service";
import type { DeployContext } from "../service-deploy";
import { descriptorOf } from "../../services";
import { componentOf, DEPLOY_LIST, stepMaker } from "../../services/deploy";
import type { ConfigFiles } from "../files";
import type { NodeCertificate } from "../tls";
import type { FileSetOf } from "./files";
import type { NodeDeployment } from "./hosts";
import { javaMajorsRead, readsConfGroup, releasesRead } from "./needs";
import type { StackSecrets } from "./secrets";
import type { ClusterSteps } from "./steps";

export interface ServicesStageArgs {
  plan: Plan;
  config: ClusterConfig;
  hosts: Record<string, Host>;
  /** What each node has before its services (the hosts stage). */
  nodes: Record<string, NodeDeployment>;
  certificates: Record<string, NodeCertificate>;
  secrets: StackSecrets;
  fileSetOf: FileSetOf;
  /** Where each instance's health gate goes (and the cluster-wide steps are made once). */
  steps: ClusterSteps;
  opts: pulumi.ComponentResourceOptions;
}

/** Makes every service instance; their health gates end up in `a.steps.healthy`. */
export function deployServices(a: ServicesStageArgs): void {
  const ctx = deployContext(a);
  const previousInGroup: Record<string, command.remote.Command> = {};
  for (const s of a.plan.services) {
    // On a change: the previous member of its group, or for the first one the group's head, healthy again.
    const rollingAfter = s.rollingGroup
      ? (previousInGroup[s.rollingGroup] ?? (s.rollingHead ? a.steps.healthy[s.rollingHead] : undefined))
      : undefined;
    const args = serviceArgs(a, ctx, s, rollingAfter);
    const healthy = componentOf(s.kind)(`${s.kind}-${s.node}`, args, ctx);
    a.steps.healthy[s.id] = healthy;
    if (s.rollingGroup) previousInGroup[s.rollingGroup] = healthy;
  }
}

/** What a service's component may use of the cluster being built. */
function deployContext(a: ServicesStageArgs): DeployContext {
  return {
    plan: a.plan,
    config: a.config,
    hosts: a.hosts,
    healthy: a.steps.healthy,
    certificates: a.certificates,
    secrets: a.secrets.rendered,
    generated: a.secrets,
    once: a.steps.once,
    step(name) {
      return a.steps.once(name, () => stepMaker(name)(this));
    },
    opts: a.opts,
  };
}

/** Type tokens of the generic service components, from their services' descriptors. */
export const serviceType = (s: ServicePlan): string => descriptorOf(s.kind).componentType(s);

/** An instance's arguments: its component's type token, its files, what it waits for, the hashes that restart it. */
function serviceArgs(
  a: ServicesStageArgs,
  ctx: DeployContext,
  s: ServicePlan,
  rollingAfter: command.remote.Command | undefined,
): ServiceComponentArgs {
  const after = s.after.map((id) => {
    const h = a.steps.healthy[id];
    if (!h) throw new Error(`internal: ${s.id} starts after ${id}, which is not planned before it`);
    return h;
  });
  const { deps, shared } = localDeps(a, s);
  // The node gates the services declare (with Kerberos, its node's keytabs, made after kadmind for a deployed realm).
  for (const d of DEPLOY_LIST) {
    const gate = d.nodeGate?.(s, ctx);
    if (gate) deps.push(gate);
  }
  const own = a.fileSetOf((sec) => renderServiceFiles(a.plan, s, sec));
  return {
    type: serviceType(s),
    host: a.hosts[s.node],
    service: s,
    files: own.files,
    reviewFiles: own.reviewFiles,
    secretFiles: own.secret,
    hashKey: a.secrets.hashKey,
    sharedHashes: shared,
    dependsOn: [...deps, ...after],
    rollingAfter,
  };
}

/** What a service needs on its node: host preparation, /etc/hosts, its releases and JDKs, the shared config it reads. */
function localDeps(a: ServicesStageArgs, s: ServicePlan): { deps: pulumi.Resource[]; shared: pulumi.Output<string>[] } {
  const n = a.nodes[s.node];
  const deps: pulumi.Resource[] = [n.host.prepared, n.host.hostsFile];
  // Only what this service runs from: its release, the jars dropped into it, and the Hadoop client.
  for (const r of releasesRead(a.plan, s)) if (n.releases[r]) deps.push(n.releases[r]!.installed);
  // The JDK it runs on and the one the Hadoop client tools run on, when they are archives.
  for (const m of javaMajorsRead(a.config, s)) if (m !== undefined && n.jdks[m]) deps.push(n.jdks[m].installed);
  const shared: pulumi.Output<string>[] = [];
  for (const [g, conf] of Object.entries(n.conf) as Array<[ArtifactName, ConfigFiles]>) {
    if (readsConfGroup(g, s)) {
      deps.push(conf);
      shared.push(conf.restartHash);
    }
  }
  return { deps, shared };
}
