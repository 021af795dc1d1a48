/**
 * HDFS's Pulumi components: the NameNode (formatted once, its DataNodes' membership kept, then run) and the
 * warehouse directories. Plumbing only: what they run comes from the plan and the host scripts.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import type { ClusterConfig } from "../../lib/config";
import { CA_FILE, OPT, Plan, TLS_DIRS } from "../../lib/model";
import { HADOOP_CONF } from "./client";
import { HostHandle, hostCall, runScript } from "../../components/remote";
import { ServiceComponentArgs, SystemdService, afterStep } from "../../components/service";
import { keystoreStep, type NodeCertificate } from "../../components/tls";
import { service, type Secrets } from "../../config-templates/common";
import { HDFS_KEYSTORE, dataNodeHosts, hdfsKeystorePassword, keytabOf } from "./files";
import { HDFS_TYPES } from "./policy";

/** With Kerberos: what an HDFS daemon needs for its HTTPS endpoints. */
export interface HdfsTls {
  certificate: NodeCertificate;
  secrets: pulumi.Output<Secrets>;
}

/**
 * The HDFS daemons' PKCS#12 keystore on a node, from the node's key and certificate (tls-keystore.sh p12: the key
 * never leaves the node; the password, derived from the stack's key, on stdin). Its stdout (the certificate's
 * SHA-256) joins the daemon's restart hash: a re-signed certificate restarts it.
 */
export function hdfsKeystore(name: string, args: ServiceComponentArgs, tls: HdfsTls, parent: pulumi.Resource): command.remote.Command {
  return keystoreStep(
    `${name}-keystore`,
    {
      host: args.host,
      certificate: tls.certificate,
      format: "p12",
      tlsDir: TLS_DIRS.node,
      dest: HDFS_KEYSTORE,
      owner: args.service.user,
      password: tls.secrets.apply(hdfsKeystorePassword),
      dependsOn: args.dependsOn,
    },
    { parent },
  );
}

/** A DataNode; with Kerberos its HTTPS keystore first. */
export class DataNode extends pulumi.ComponentResource {
  readonly healthy: command.remote.Command;
  constructor(name: string, args: ServiceComponentArgs & { tls?: HdfsTls }, opts?: pulumi.ComponentResourceOptions) {
    super(HDFS_TYPES.DataNode, name, {}, opts);
    const ks = args.tls ? hdfsKeystore(name, args, args.tls, this) : undefined;
    const svc = new SystemdService(name, afterStep(args, ks), { parent: this });
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
  constructor(
    name: string,
    args: ServiceComponentArgs & { plan: Plan; config: ClusterConfig; tls?: HdfsTls },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(HDFS_TYPES.NameNode, name, {}, opts);
    const c = args.config;
    const jdk = args.service.jdk!;
    this.formatted = runScript(
      `${name}-format`,
      {
        host: args.host,
        ...hostCall("hdfs-format.sh", {
          hadoop_home: OPT("hadoop"),
          conf_dir: HADOOP_CONF,
          java_home: jdk.home,
          user: c.hdfs.user,
          group: c.serviceGroup,
          cluster_id: args.plan.clusterId,
          name_dirs: c.hdfs.nameDirs,
        }),
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
        ...hostCall("hdfs-membership.sh", {
          hadoop_home: OPT("hadoop"),
          conf_dir: HADOOP_CONF,
          java_home: jdk.home,
          user: c.hdfs.user,
          unit: args.service.unit,
          timeout: String(c.hdfs.decommissionTimeoutMinutes * 60),
          keytab: c.kerberos.enabled ? keytabOf(args.plan, c.hdfs.user) : "-",
          hosts: dataNodeHosts(args.plan),
        }),
        timeoutMinutes: c.hdfs.decommissionTimeoutMinutes + 5,
      },
      { parent: this, dependsOn: [...args.dependsOn, this.formatted] },
    );
    const ks = args.tls ? hdfsKeystore(name, args, args.tls, this) : undefined;
    const svc = new SystemdService(name, afterStep({ ...args, dependsOn: [...args.dependsOn, this.formatted, this.membership] }, ks), {
      parent: this,
    });
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
    super(HDFS_TYPES.Warehouse, name, {}, opts);
    const c = args.config;
    const nn = service(args.plan, "namenode");
    this.ready = runScript(
      `${name}-dirs`,
      {
        host: args.host,
        ...hostCall("hdfs-warehouse.sh", {
          namenode_url: args.plan.endpoints.nameNodeUi,
          hdfs_user: c.hdfs.user,
          owner: c.warehouse.owner,
          group: c.serviceGroup,
          timeout: "600",
          hadoop_home: OPT("hadoop"),
          conf_dir: HADOOP_CONF,
          java_home: nn.jdk!.home,
          keytab: c.kerberos.enabled ? keytabOf(args.plan, c.hdfs.user) : "-",
          ca: c.kerberos.enabled ? CA_FILE : "-",
          dirs: args.plan.warehouseDirs,
        }),
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.registerOutputs({ dirs: args.plan.warehouseDirs, owner: c.warehouse.owner });
  }
}
