/**
 * The metastore's deploy half: HiveMetastore (its schema initialised once), after the warehouse directories on
 * HDFS (the cluster step `warehouse`) and its node's copy of the cluster CA's certificate, which its JDBC URL
 * verifies PostgreSQL against.
 */
import type { ServiceDeploy } from "../../components/service-deploy";
import { HiveMetastore } from "./component";

export const metastoreDeploy: ServiceDeploy<"metastore"> = {
  components: {
    metastore: (name, args, ctx) =>
      new HiveMetastore(
        name,
        {
          ...args,
          dependsOn: [...args.dependsOn, ctx.step("warehouse"), ctx.certificates[args.service.node].installed],
          plan: ctx.plan,
          config: ctx.config,
          password: ctx.generated.postgresPassword,
          certificate: ctx.certificates[args.service.node],
          secrets: ctx.secrets,
        },
        ctx.opts,
      ).healthy,
  },
};
