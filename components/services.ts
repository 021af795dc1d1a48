/**
 * Per-service components. Each says only what is special about its service; running it is SystemdService's job.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import { dataNodeHosts } from "../config-templates";
import type { ClusterConfig } from "../lib/config";
import { CONF_DIRS, OPT, Plan, ServicePlan } from "../lib/plan";
import { HostHandle, runScript } from "./remote";
import { SystemdService, SystemdServiceArgs } from "./service";
import type { NodeCertificate } from "./tls";

export type ServiceComponentArgs = Omit<SystemdServiceArgs, "beforeStart">;

/** Type tokens of the service components, by kind and role. */
export function serviceType(s: ServicePlan): string {
  switch (s.kind) {
    case "datanode":
      return "lakehouse:hdfs:DataNode";
    case "trino":
      return s.trino?.coordinator ? "lakehouse:trino:Coordinator" : "lakehouse:trino:Worker";
    case "spark-master":
      return "lakehouse:spark:Master";
    case "spark-worker":
      return "lakehouse:spark:Worker";
    case "flink-jobmanager":
      return "lakehouse:flink:JobManager";
    case "flink-taskmanager":
      return "lakehouse:flink:TaskManager";
    default:
      throw new Error(`internal: ${s.kind} has its own component`);
  }
}

/** A service with nothing special: a DataNode, a Trino node, a Spark or Flink daemon. */
export class ServiceComponent extends pulumi.ComponentResource {
  readonly healthy: command.remote.Command;
  constructor(name: string, args: ServiceComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(serviceType(args.service), name, {}, opts);
    const svc = new SystemdService(name, { ...args, secretFiles: args.secretFiles }, { parent: this });
    this.healthy = svc.healthy;
    this.registerOutputs({ node: args.service.node, unit: args.service.unit });
  }
}

/** The NameNode: formatted exactly once (see hdfs-format.sh), its DataNode membership kept, then run. */
export class NameNode extends pulumi.ComponentResource {
  readonly formatted: command.remote.Command;
  /** dfs.hosts / dfs.hosts.exclude converged (hdfs-membership.sh). */
  readonly membership: command.remote.Command;
  readonly healthy: command.remote.Command;
  constructor(name: string, args: ServiceComponentArgs & { plan: Plan; config: ClusterConfig }, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:hdfs:NameNode", name, {}, opts);
    const c = args.config;
    const jdk = args.service.jdk!;
    this.formatted = runScript(
      `${name}-format`,
      {
        host: args.host,
        script: "hdfs-format.sh",
        args: [OPT("hadoop"), CONF_DIRS.hadoop, jdk.home, c.hdfs.user, c.serviceGroup, args.plan.clusterId, ...c.hdfs.nameDirs],
      },
      // Never reformat because a resource was replaced or deleted: the guard script is the real protection,
      // and this resource is retained on delete so a destroy cannot even try.
      { parent: this, dependsOn: args.dependsOn, retainOnDelete: true },
    );
    // DataNode membership before the NameNode starts (first apply: just the files) and, on later applies,
    // before removed DataNodes' services are deleted (the engine deletes after it creates and updates): a
    // removed DataNode is decommissioned here, its blocks re-replicated, before anything stops it.
    this.membership = runScript(
      `${name}-members`,
      {
        host: args.host,
        script: "hdfs-membership.sh",
        args: [
          OPT("hadoop"),
          CONF_DIRS.hadoop,
          jdk.home,
          c.hdfs.user,
          args.service.unit,
          String(c.hdfs.decommissionTimeoutMinutes * 60),
          ...dataNodeHosts(args.plan),
        ],
        timeoutMinutes: c.hdfs.decommissionTimeoutMinutes + 5,
      },
      { parent: this, dependsOn: [...args.dependsOn, this.formatted] },
    );
    const svc = new SystemdService(name, { ...args, dependsOn: [...args.dependsOn, this.formatted, this.membership] }, { parent: this });
    this.healthy = svc.healthy;
    const dataNodes = args.plan.services.filter((s) => s.kind === "datanode").length;
    // Read by the policy pack (policy/): replication vs DataNodes, one NameNode per stack.
    this.registerOutputs({
      node: args.service.node,
      clusterId: args.plan.clusterId,
      // An hdfs-site.xml override of dfs.replication (validated like hdfs.replication) is what HDFS uses.
      replication: Number(c.hdfs.overrides["hdfs-site.xml"]?.["dfs.replication"] ?? c.hdfs.replication),
      dataNodes,
      nameDirs: c.hdfs.nameDirs,
    });
  }
}

/** /lakehouse/{iceberg,delta,hive} on HDFS, created once HDFS is up, owned by the warehouse owner. */
export class Warehouse extends pulumi.ComponentResource {
  readonly ready: command.remote.Command;
  constructor(
    name: string,
    args: { host: HostHandle; plan: Plan; config: ClusterConfig; dependsOn: pulumi.Resource[] },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("lakehouse:hdfs:Warehouse", name, {}, opts);
    const c = args.config;
    this.ready = runScript(
      `${name}-dirs`,
      {
        host: args.host,
        script: "hdfs-warehouse.sh",
        args: [args.plan.endpoints.nameNodeUi, c.hdfs.user, c.warehouse.owner, c.serviceGroup, "600", ...args.plan.warehouseDirs],
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.registerOutputs({ dirs: args.plan.warehouseDirs, owner: c.warehouse.owner });
  }
}

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
    super("lakehouse:postgres:MetastoreDatabase", name, {}, opts);
    const p = args.config.postgres;
    const cert = p.ssl ? args.certificate.sha256 : pulumi.output("-");
    this.healthy = runScript(
      `${name}-setup`,
      {
        host: args.host,
        script: "postgres-setup.sh",
        args: [p.package, String(p.port), p.database, p.user, p.ssl ? "on" : "off", cert, args.plan.tls.dir, ...args.plan.clusterCidrs],
        stdin: pulumi.output(args.password).apply((pw) => `${pw}\n`),
        secretStdin: true,
        timeoutMinutes: 20,
      },
      { parent: this, dependsOn: p.ssl ? [...args.dependsOn, args.certificate.installed] : args.dependsOn },
    );
    this.registerOutputs({ jdbcUrl: args.plan.endpoints.postgresJdbcUrl, database: p.database, user: p.user });
  }
}

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
              script: "metastore-schema.sh",
              args: [
                OPT("hive"),
                OPT("hadoop"),
                args.service.jdk!.home,
                CONF_DIRS.hive,
                c.metastore.user,
                pg.host,
                String(pg.port),
                pg.database,
                c.postgres.user,
                pg.sslmode,
                pg.sslrootcert,
              ],
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
