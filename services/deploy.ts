/**
 * The services' deploy halves (services/<name>/deploy.ts), by config key: the Pulumi side of the registry
 * (services/index.ts is the pure side). Typed complete: a service whose section is declared but whose deploy half
 * is missing, or one that leaves a kind of its instances without a component, does not compile.
 */
import type { ServiceComponentFactory, ServiceDeploy } from "../components/service-deploy";
import { flinkDeploy } from "./flink/deploy";
import { hdfsDeploy } from "./hdfs/deploy";
import { kerberosDeploy } from "./kerberos/deploy";
import { metastoreDeploy } from "./metastore/deploy";
import { postgresDeploy } from "./postgres/deploy";
import { SERVICE_KEYS, serviceOfKind, type ServiceKey, type ServiceKind } from "./sections";
import { sparkDeploy } from "./spark/deploy";
import { trinoDeploy } from "./trino/deploy";

export const DEPLOYS: { readonly [K in ServiceKey]: ServiceDeploy<K> } = {
  kerberos: kerberosDeploy,
  postgres: postgresDeploy,
  hdfs: hdfsDeploy,
  metastore: metastoreDeploy,
  trino: trinoDeploy,
  spark: sparkDeploy,
  flink: flinkDeploy,
};

/** The deploy halves in the sections' order. */
export const DEPLOY_LIST: readonly ServiceDeploy[] = SERVICE_KEYS.map((k) => DEPLOYS[k] as unknown as ServiceDeploy);

/** The component factory of an instance kind (its service's deploy half has one for each of its kinds). */
export function componentOf(kind: ServiceKind): ServiceComponentFactory {
  const components: Readonly<Partial<Record<ServiceKind, ServiceComponentFactory>>> = DEPLOYS[serviceOfKind(kind)].components;
  const make = components[kind];
  if (!make) throw new Error(`internal: no component for ${kind}`);
  return make;
}

/** The cluster-wide step `name` some service declares (`steps`). */
export function stepMaker(name: string): NonNullable<ServiceDeploy["steps"]>[string] {
  const owner = DEPLOY_LIST.find((d) => d.steps?.[name]);
  if (!owner) throw new Error(`internal: no service declares the cluster step ${name}`);
  return owner.steps![name];
}
