/** PostgreSQL's deploy half: the metastore's database, set up once (MetastoreDatabase), after its host's preparation. */
import type { ServiceDeploy } from "../../components/service-deploy";
import { MetastoreDatabase } from "./component";

export const postgresDeploy: ServiceDeploy<"postgres"> = {
  components: {
    postgres: (name, args, ctx) =>
      new MetastoreDatabase(
        name,
        {
          host: args.host,
          plan: ctx.plan,
          config: ctx.config,
          password: ctx.generated.postgresPassword,
          certificate: ctx.certificates[args.service.node],
          dependsOn: [ctx.hosts[args.service.node].prepared],
        },
        ctx.opts,
      ).healthy,
  },
};
