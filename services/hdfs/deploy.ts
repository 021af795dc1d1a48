/**
 * HDFS's deploy half: the NameNode formatted once (NameNode), the DataNodes, and the cluster-wide step
 * `warehouse` (the warehouse directories on HDFS, once the NameNode and every DataNode are healthy), which the
 * services that keep tables there wait for. With Kerberos, HDFS serves HTTPS only: each daemon's keystore comes
 * from its node's certificate.
 */
import type { DeployContext, ServiceDeploy } from "../../components/service-deploy";
import type { ServiceComponentArgs } from "../../components/service";
import { DataNode, HdfsTls, NameNode, Warehouse } from "./component";

/** With Kerberos, the daemon's keystore material (its node's certificate); undefined without. */
const hdfsTls = (args: ServiceComponentArgs, ctx: DeployContext): HdfsTls | undefined =>
  ctx.config.kerberos.enabled ? { certificate: ctx.certificates[args.service.node], secrets: ctx.secrets } : undefined;

export const hdfsDeploy: ServiceDeploy<"hdfs"> = {
  components: {
    namenode: (name, args, ctx) =>
      new NameNode(name, { ...args, plan: ctx.plan, config: ctx.config, tls: hdfsTls(args, ctx) }, ctx.opts).healthy,
    datanode: (name, args, ctx) => new DataNode(name, { ...args, tls: hdfsTls(args, ctx) }, ctx.opts).healthy,
  },
  steps: {
    warehouse: (ctx) => {
      const nn = ctx.plan.services.find((x) => x.kind === "namenode");
      if (!nn) throw new Error("internal: the plan has no namenode");
      const dataNodes = ctx.plan.services.filter((x) => x.kind === "datanode").map((x) => ctx.healthy[x.id]);
      return new Warehouse(
        "warehouse",
        { host: ctx.hosts[nn.node], plan: ctx.plan, config: ctx.config, dependsOn: [ctx.healthy[nn.id], ...dataNodes] },
        ctx.opts,
      ).ready;
    },
  },
};
