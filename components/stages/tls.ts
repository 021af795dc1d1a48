/** The TLS stage: the cluster CA on its node, then every node's certificate (each node's key made on the node). */
import * as pulumi from "@pulumi/pulumi";
import type { Plan } from "../../lib/plan";
import type { Host } from "../host";
import { ClusterCa, NodeCertificate } from "../tls";

/** What the TLS stage gives the later ones. */
export interface TlsStage {
  ca: ClusterCa;
  /** Each node's certificate, by node name. */
  certificates: Record<string, NodeCertificate>;
}

/** The CA (the user's, imported with its key `caKey`, or made on `plan.tls.caNode`) and a certificate per node. */
export function deployTls(
  plan: Plan,
  hosts: Record<string, Host>,
  caKey: pulumi.Input<string> | undefined,
  opts: pulumi.ComponentResourceOptions,
): TlsStage {
  const caHost = hosts[plan.tls.caNode];
  const ca = new ClusterCa(
    "tls-ca",
    { host: caHost, plan, key: caKey === undefined ? undefined : pulumi.secret(caKey), dependsOn: [caHost.prepared] },
    opts,
  );
  const certificates: Record<string, NodeCertificate> = {};
  for (const node of plan.nodes) {
    const host = hosts[node.name];
    certificates[node.name] = new NodeCertificate(`${node.name}-tls`, { host, node, plan, ca, dependsOn: [host.prepared] }, opts);
  }
  return { ca, certificates };
}
