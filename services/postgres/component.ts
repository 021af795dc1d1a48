/** PostgreSQL's Pulumi component: the server, the metastore database and its role, set up by postgres-setup.sh. */
import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import type { ClusterConfig } from "../../lib/config";
import type { Plan } from "../../lib/model";
import { HostHandle, hostCall, runScript } from "../../components/remote";
import type { NodeCertificate } from "../../components/tls";
import { POSTGRES_TYPES } from "./policy";

/** PostgreSQL on its node with the metastore database and role; only the cluster's hosts may connect. */
export class MetastoreDatabase extends pulumi.ComponentResource {
  readonly healthy: command.remote.Command;
  constructor(
    name: string,
    args: {
      host: HostHandle;
      plan: Plan;
      config: ClusterConfig;
      password: pulumi.Input<string>;
      /** Its node's certificate: the server presents it (postgres.ssl); the step re-runs when it changes. */
      certificate: NodeCertificate;
      dependsOn: pulumi.Resource[];
    },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(POSTGRES_TYPES.MetastoreDatabase, name, {}, opts);
    const p = args.config.postgres;
    const cert = p.ssl ? args.certificate.sha256 : pulumi.output("-");
    this.healthy = runScript(
      `${name}-setup`,
      {
        host: args.host,
        ...hostCall("postgres-setup.sh", {
          package: p.package,
          port: String(p.port),
          db: p.database,
          user: p.user,
          ssl: p.ssl ? "on" : "off",
          cert_sha256: cert,
          tls_dir: args.plan.tls.dir,
          clients: args.plan.clusterCidrs,
        }),
        stdin: pulumi.output(args.password).apply((pw) => `${pw}\n`),
        secretStdin: true,
        timeoutMinutes: 20,
      },
      { parent: this, dependsOn: p.ssl ? [...args.dependsOn, args.certificate.installed] : args.dependsOn },
    );
    this.registerOutputs({ jdbcUrl: args.plan.endpoints.postgresJdbcUrl, database: p.database, user: p.user });
  }
}
