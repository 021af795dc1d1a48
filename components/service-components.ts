/**
 * The services whose instances need more than the generic systemd service (components/service.ts), each with
 * the component of its own folder: PostgreSQL's database set up once, the NameNode formatted once, the
 * metastore's schema initialised once (after the warehouse directories exist), the Trino coordinator's HTTPS
 * keystore made from its node's key, with Kerberos the HDFS daemons' and Flink's keystores. Every other instance
 * runs as a ServiceComponent.
 */
import { service } from "../config-templates/common";
import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import type { ClusterConfig } from "../lib/config";
import { CA_TRUSTSTORE, Plan, TLS_DIRS } from "../lib/model";
import type { ServiceKind } from "../services";
import { DataNode, HdfsTls, NameNode, Warehouse } from "../services/hdfs/component";
import type { Secrets } from "../config-templates/common";
import { KerberosKdc } from "../services/kerberos/component";
import { flinkTlsStores } from "../services/flink/component";
import { HiveMetastore } from "../services/metastore/component";
import { metastoreTls } from "../services/metastore/files";
import { MetastoreDatabase } from "../services/postgres/component";
import type { Host } from "./host";
import { ServiceComponent, ServiceComponentArgs } from "./service";
import { TrinoCoordinator } from "../services/trino/component";
import { keystoreStep, type NodeCertificate } from "./tls";

/** What a service's component may use of the cluster being built. */
export interface DeployContext {
  plan: Plan;
  config: ClusterConfig;
  hosts: Record<string, Host>;
  /** Health gates of the instances made so far (every instance comes after those it starts after). */
  healthy: Record<string, command.remote.Command>;
  certificates: Record<string, NodeCertificate>;
  postgresPassword: pulumi.Output<string>;
  /** Every secret the renderers get (a component derives what it needs, e.g. a keystore's password). */
  secrets: pulumi.Output<Secrets>;
  /** The deployed KDC's master key and the admin principal's password (empty without Kerberos). */
  kerberos: { masterPassword: pulumi.Output<string>; adminPassword: pulumi.Output<string> };
  /** A cluster-wide step, made once by whichever instance needs it first (the warehouse directories). */
  once(key: string, make: () => command.remote.Command): command.remote.Command;
  opts: pulumi.ComponentResourceOptions;
}

/** Makes an instance's component and returns its health gate. */
export type ServiceComponentFactory = (name: string, args: ServiceComponentArgs, ctx: DeployContext) => command.remote.Command;

/** The warehouse directories on HDFS: once the NameNode and every DataNode are healthy. */
const warehouse = (ctx: DeployContext): command.remote.Command =>
  ctx.once("warehouse", () => {
    const nn = service(ctx.plan, "namenode");
    const dataNodes = ctx.plan.services.filter((x) => x.kind === "datanode").map((x) => ctx.healthy[x.id]);
    return new Warehouse(
      "warehouse",
      { host: ctx.hosts[nn.node], plan: ctx.plan, config: ctx.config, dependsOn: [ctx.healthy[nn.id], ...dataNodes] },
      ctx.opts,
    ).ready;
  });

/**
 * With TLS on the metastore, a node's Spark and Flink services (and the clients run there) start after its public
 * truststore of the cluster CA, which their Hive clients read (one per node).
 */
const caTruststore = (args: ServiceComponentArgs, ctx: DeployContext): command.remote.Command | undefined =>
  metastoreTls(ctx.plan)
    ? ctx.once(`ca-truststore-${args.service.node}`, () =>
        keystoreStep(
          `${args.service.node}-ca-truststore`,
          {
            host: args.host,
            certificate: ctx.certificates[args.service.node],
            format: "cacerts",
            tlsDir: TLS_DIRS.node,
            dest: CA_TRUSTSTORE.path,
            owner: "root",
            password: pulumi.output(CA_TRUSTSTORE.password),
            javaHome: args.service.jdk!.home,
            dependsOn: args.dependsOn,
          },
          ctx.opts,
        ),
      )
    : undefined;

/** Spark's daemons: after their node's CA truststore when the metastore runs TLS. */
const spark: ServiceComponentFactory = (name, args, ctx) =>
  new ServiceComponent(name, { ...args, startAfter: [caTruststore(args, ctx)] }, ctx.opts).healthy;

/**
 * A Flink service: with Kerberos after its node's keystore and truststore (one pair per node), with TLS on the
 * metastore after its node's CA truststore.
 */
function flink(name: string, args: ServiceComponentArgs, ctx: DeployContext): command.remote.Command {
  const node = args.service.node;
  const stores = ctx.config.kerberos.enabled
    ? ctx.once(`flink-tls-${node}`, () =>
        flinkTlsStores(
          `${node}-flink-tls`,
          ctx.plan,
          args.service,
          { host: args.host, certificate: ctx.certificates[node], secrets: ctx.secrets, dependsOn: args.dependsOn },
          ctx.opts,
        ),
      )
    : undefined;
  return new ServiceComponent(name, { ...args, startAfter: [stores, caTruststore(args, ctx)] }, ctx.opts).healthy;
}

/** With Kerberos, HDFS serves HTTPS only: its daemons' keystores come from their nodes' certificates. */
const hdfsTls = (args: ServiceComponentArgs, ctx: DeployContext): HdfsTls | undefined =>
  ctx.config.kerberos.enabled ? { certificate: ctx.certificates[args.service.node], secrets: ctx.secrets } : undefined;

export const SERVICE_COMPONENTS: Partial<Record<ServiceKind, ServiceComponentFactory>> = {
  kdc: (name, args, ctx) =>
    new KerberosKdc(
      name,
      { ...args, plan: ctx.plan, masterPassword: ctx.kerberos.masterPassword, adminPassword: ctx.kerberos.adminPassword },
      ctx.opts,
    ).healthy,
  postgres: (name, args, ctx) =>
    new MetastoreDatabase(
      name,
      {
        host: args.host,
        plan: ctx.plan,
        config: ctx.config,
        password: ctx.postgresPassword,
        certificate: ctx.certificates[args.service.node],
        dependsOn: [ctx.hosts[args.service.node].prepared],
      },
      ctx.opts,
    ).healthy,
  // The coordinator with HTTPS makes its keystore first; every other Trino node is a plain service.
  trino: (name, args, ctx) =>
    args.service.trino?.coordinator && ctx.config.trino.https.enabled
      ? new TrinoCoordinator(name, { ...args, plan: ctx.plan, certificate: ctx.certificates[args.service.node] }, ctx.opts).healthy
      : new ServiceComponent(name, args, ctx.opts).healthy,
  namenode: (name, args, ctx) =>
    new NameNode(name, { ...args, plan: ctx.plan, config: ctx.config, tls: hdfsTls(args, ctx) }, ctx.opts).healthy,
  datanode: (name, args, ctx) => new DataNode(name, { ...args, tls: hdfsTls(args, ctx) }, ctx.opts).healthy,
  "spark-master": spark,
  "spark-worker": spark,
  "flink-jobmanager": flink,
  "flink-taskmanager": flink,
  metastore: (name, args, ctx) =>
    new HiveMetastore(
      name,
      {
        ...args,
        // The cluster CA's certificate on this node: the JDBC URL verifies PostgreSQL against it.
        dependsOn: [...args.dependsOn, warehouse(ctx), ctx.certificates[args.service.node].installed],
        plan: ctx.plan,
        config: ctx.config,
        password: ctx.postgresPassword,
        certificate: ctx.certificates[args.service.node],
        secrets: ctx.secrets,
      },
      ctx.opts,
    ).healthy,
};
