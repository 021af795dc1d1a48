/** Trino's deploy half: the coordinator with HTTPS makes its keystore first (TrinoCoordinator); every other Trino node is a plain service. */
import { systemdService, type ServiceDeploy } from "../../components/service-deploy";
import { TrinoCoordinator } from "./component";

export const trinoDeploy: ServiceDeploy<"trino"> = {
  components: {
    trino: (name, args, ctx) =>
      args.service.trino?.coordinator && ctx.config.trino.https.enabled
        ? new TrinoCoordinator(name, { ...args, plan: ctx.plan, certificate: ctx.certificates[args.service.node] }, ctx.opts).healthy
        : systemdService(name, args, ctx),
  },
};
