/**
 * The Hive Metastore's Pulumi component: the schema initialised once (metastore-schema.sh), with TLS its keystore
 * made on its node from the node's key (tls-keystore.sh p12; the password on stdin), then the service.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import type { ClusterConfig } from "../../lib/config";
import { OPT, Plan, TLS_DIRS } from "../../lib/model";
import { HIVE_CONF } from "./config";
import { hostCall, runScript } from "../../components/remote";
import { ServiceComponentArgs, SystemdService, afterStep } from "../../components/service";
import { keystoreStep, type NodeCertificate } from "../../components/tls";
import type { Secrets } from "../../config-templates/common";
import { METASTORE_KEYSTORE, metastoreKeystorePassword } from "./files";
import { metastoreTls } from "./client";
import { METASTORE_TYPES } from "./policy";

/** The Hive metastore: schema initialised only when absent (see metastore-schema.sh), then the Thrift service. */
export class HiveMetastore extends pulumi.ComponentResource {
  readonly schema: command.remote.Command;
  readonly healthy: command.remote.Command;
  constructor(
    name: string,
    args: ServiceComponentArgs & {
      plan: Plan;
      config: ClusterConfig;
      password: pulumi.Input<string>;
      /** Its node's certificate, and the secrets its keystore's password derives from (TLS). */
      certificate: NodeCertificate;
      secrets: pulumi.Output<Secrets>;
    },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(METASTORE_TYPES.HiveMetastore, name, {}, opts);
    const c = args.config;
    const pg = args.plan.endpoints.postgres;
    let schema: command.remote.Command | undefined;
    // With TLS, the keystore first (a re-signed certificate re-runs it, and its output restarts the service).
    const keystore = metastoreTls(args.plan)
      ? keystoreStep(
          `${name}-keystore`,
          {
            host: args.host,
            certificate: args.certificate,
            format: "p12",
            tlsDir: TLS_DIRS.node,
            dest: METASTORE_KEYSTORE,
            owner: c.metastore.user,
            password: args.secrets.apply(metastoreKeystorePassword),
            dependsOn: args.dependsOn,
          },
          { parent: this },
        )
      : undefined;
    // hive-site.xml is written by the service's files step; the schema tool reads it, so the schema step runs
    // between the files and the first start.
    const svc = new SystemdService(
      name,
      {
        ...afterStep(args, keystore),
        beforeStart: (files) => {
          schema = runScript(
            `${name}-schema`,
            {
              host: args.host,
              ...hostCall("metastore-schema.sh", {
                hive_home: OPT("hive"),
                hadoop_home: OPT("hadoop"),
                java_home: args.service.jdk!.home,
                conf_dir: HIVE_CONF,
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
