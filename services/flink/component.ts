/**
 * Flink's Pulumi plumbing: with Kerberos, each Flink node's REST keystore and truststore, made on the node from
 * its own key and the cluster CA (tls-keystore.sh p12 and truststore; the key never leaves the node, the password
 * travels on stdin), before its JobManager or TaskManager starts (each a ServiceComponent after that step).
 */
import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import { TLS_DIRS, type Plan, type ServicePlan } from "../../lib/model";
import { HostHandle, hostCall, runScript } from "../../components/remote";
import type { NodeCertificate } from "../../components/tls";
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
  const c = plan.config;
  const stdin = tls.secrets.apply((x) => `${flinkKeystorePassword(x)}\n`);
  const common = { tls_dir: TLS_DIRS.node, owner: c.flink.user, cert_sha256: tls.certificate.sha256 };
  const keystore = runScript(
    `${name}-keystore`,
    { host: tls.host, ...hostCall("tls-keystore.sh p12", { ...common, dest: FLINK_KEYSTORE }), stdin, secretStdin: true },
    { ...opts, dependsOn: [...tls.dependsOn, tls.certificate.installed] },
  );
  return runScript(
    `${name}-truststore`,
    {
      host: tls.host,
      ...hostCall("tls-keystore.sh truststore", { ...common, dest: FLINK_TRUSTSTORE, java_home: s.jdk!.home }),
      stdin,
      secretStdin: true,
    },
    { ...opts, dependsOn: [keystore] },
  );
}
