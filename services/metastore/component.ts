/** The Hive Metastore's Pulumi component: the schema initialised once (metastore-schema.sh), then the service. */
import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import type { ClusterConfig } from "../../lib/config";
import { CONF_DIRS, OPT, Plan } from "../../lib/model";
import { hostCall, runScript } from "../../components/remote";
import { ServiceComponentArgs, SystemdService } from "../../components/service";

/** The Hive metastore: schema initialised only when absent (see metastore-schema.sh), then the Thrift service. */
export class HiveMetastore extends pulumi.ComponentResource {
  readonly schema: command.remote.Command;
  readonly healthy: command.remote.Command;
  constructor(
    name: string,
    args: ServiceComponentArgs & { plan: Plan; config: ClusterConfig; password: pulumi.Input<string> },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("lakehouse:hive:HiveMetastore", name, {}, opts);
    const c = args.config;
    const pg = args.plan.endpoints.postgres;
    let schema: command.remote.Command | undefined;
    // hive-site.xml is written by the service's files step; the schema tool reads it, so the schema step runs
    // between the files and the first start.
    const svc = new SystemdService(
      name,
      {
        ...args,
        beforeStart: (files) => {
          schema = runScript(
            `${name}-schema`,
            {
              host: args.host,
              ...hostCall("metastore-schema.sh", {
                hive_home: OPT("hive"),
                hadoop_home: OPT("hadoop"),
                java_home: args.service.jdk!.home,
                conf_dir: CONF_DIRS.hive,
                user: c.metastore.user,
                pg_host: pg.host,
                pg_port: String(pg.port),
                db: pg.database,
                db_user: c.postgres.user,
                sslmode: pg.sslmode,
                sslrootcert: pg.sslrootcert,
              }),
              stdin: pulumi.output(args.password).apply((pw) => `${pw}\n`),
              secretStdin: true,
            },
            { parent: this, dependsOn: [files, ...args.dependsOn], retainOnDelete: true },
          );
          return [schema];
        },
      },
      { parent: this },
    );
    this.schema = schema!;
    this.healthy = svc.healthy;
    this.registerOutputs({ uri: args.plan.endpoints.metastoreUri });
  }
}
