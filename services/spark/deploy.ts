/** Spark's deploy half: its daemons are plain services, after their node's CA truststore when the metastore runs TLS (their Hive client reads it). */
import { ServiceComponent } from "../../components/service";
import { nodeCaTruststore, type ServiceComponentFactory, type ServiceDeploy } from "../../components/service-deploy";
import { metastoreTls } from "../metastore/client";

const daemon: ServiceComponentFactory = (name, args, ctx) =>
  new ServiceComponent(name, { ...args, startAfter: [metastoreTls(ctx.plan) ? nodeCaTruststore(args, ctx) : undefined] }, ctx.opts).healthy;

export const sparkDeploy: ServiceDeploy<"spark"> = {
  components: { "spark-master": daemon, "spark-worker": daemon },
};
