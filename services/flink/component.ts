/**
 * Flink's Pulumi plumbing: with Kerberos, each Flink node's REST keystore and truststore, made on the node from
 * its own key and the cluster CA (tls-keystore.sh p12 and truststore; the key never leaves the node, the password
 * travels on stdin), before its JobManager or TaskManager starts (each a ServiceComponent after that step).
 */
import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import { TLS_DIRS, type Plan, type ServicePlan } from "../../lib/model";
import type { HostHandle } from "../../components/remote";
import { keystoreStep, type NodeCertificate } from "../../components/tls";
import type { Secrets } from "../../config-templates/common";
import { FLINK_KEYSTORE, FLINK_TRUSTSTORE, flinkKeystorePassword } from "./files";

/** What a Flink node needs for its REST endpoint's TLS. */
export interface FlinkTls {
  host: HostHandle;
  certificate: NodeCertificate;
  secrets: pulumi.Output<Secrets>;
  dependsOn: pulumi.Resource[];
}

/**
 * The node's keystore, then its truststore (one step each; the truststore's stdout, the certificate's SHA-256,
 * joins the services' restart hash: a re-signed certificate restarts them). Made once per node, for every Flink
 * service there.
 */
export function flinkTlsStores(
  name: string,
  plan: Plan,
  s: ServicePlan,
  tls: FlinkTls,
  opts: pulumi.CustomResourceOptions,
): command.remote.Command {
  const store = { host: tls.host, certificate: tls.certificate, tlsDir: TLS_DIRS.node, owner: plan.config.flink.user };
  const password = tls.secrets.apply(flinkKeystorePassword);
  const keystore = keystoreStep(
    `${name}-keystore`,
    { ...store, format: "p12", dest: FLINK_KEYSTORE, password, dependsOn: tls.dependsOn },
    opts,
  );
  return keystoreStep(
    `${name}-truststore`,
    { ...store, format: "truststore", dest: FLINK_TRUSTSTORE, password, javaHome: s.jdk!.home, dependsOn: [keystore] },
    opts,
  );
}
