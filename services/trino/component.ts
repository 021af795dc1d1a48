/**
 * The Trino coordinator with HTTPS: its PEM keystore made on the node from the node's key and certificate
 * (tls-keystore.sh; the key never leaves the node), then the service, restarted when the certificate changes.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import type { Plan } from "../../lib/model";
import { ServiceComponentArgs, SystemdService, afterStep } from "../../components/service";
import { keystoreStep, type NodeCertificate } from "../../components/tls";
import { TRINO_KEYSTORE } from "./files";
import { TRINO_TYPES } from "./policy";

export class TrinoCoordinator extends pulumi.ComponentResource {
  readonly keystore: command.remote.Command;
  readonly healthy: command.remote.Command;
  constructor(
    name: string,
    args: ServiceComponentArgs & { plan: Plan; certificate: NodeCertificate },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    // The same type token as a coordinator without HTTPS: switching HTTPS on replaces nothing.
    super(TRINO_TYPES.Coordinator, name, {}, opts);
    this.keystore = keystoreStep(
      `${name}-keystore`,
      {
        host: args.host,
        certificate: args.certificate,
        format: "pem",
        tlsDir: args.plan.tls.dir,
        dest: TRINO_KEYSTORE,
        owner: args.service.user,
        dependsOn: args.dependsOn,
      },
      { parent: this },
    );
    const svc = new SystemdService(name, afterStep(args, this.keystore), { parent: this });
    this.healthy = svc.healthy;
    this.registerOutputs({ node: args.service.node, unit: args.service.unit });
  }
}
