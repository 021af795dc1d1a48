/**
 * Flink's deploy half: each JobManager and TaskManager is a plain service, with Kerberos after its node's
 * keystore and truststore (one pair per node), with TLS on the metastore after its node's CA truststore.
 */
import { ServiceComponent } from "../../components/service";
import { nodeCaTruststore, type ServiceComponentFactory, type ServiceDeploy } from "../../components/service-deploy";
import { metastoreTls } from "../metastore/client";
import { flinkTlsStores } from "./component";

const daemon: ServiceComponentFactory = (name, args, ctx) => {
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
  const truststore = metastoreTls(ctx.plan) ? nodeCaTruststore(args, ctx) : undefined;
  return new ServiceComponent(name, { ...args, startAfter: [stores, truststore] }, ctx.opts).healthy;
};

export const flinkDeploy: ServiceDeploy<"flink"> = {
  components: { "flink-jobmanager": daemon, "flink-taskmanager": daemon },
};
