/**
 * The deploy half of a service, as the generic layers see it: what a service's folder gives the services stage
 * (services/<name>/deploy.ts, registered in services/deploy.ts) and what the stage gives it back (DeployContext).
 *
 * A service declares, for every kind of instance it runs, the factory of that instance's component: the generic
 * `systemdService` (a ServiceComponent: files, unit, health gate) or a component of its own folder (a NameNode
 * formatted once, a database set up once). It may also declare cluster-wide steps other services wait for by name
 * (`steps`, made once when first asked for through `ctx.step`), and a gate every instance on a node waits for
 * (`nodeGate`: with Kerberos, the node's keytabs). Nothing here names a service.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import type { Secrets } from "../config-templates/common";
import type { ClusterConfig, GeneratedSecretName, SecretValue } from "../lib/config";
import { CA_TRUSTSTORE, TLS_DIRS, type Plan, type ServicePlan } from "../lib/model";
import type { SectionOf, ServiceKey } from "../services/sections";
import type { Host } from "./host";
import { ServiceComponent, type ServiceComponentArgs } from "./service";
import { keystoreStep, type NodeCertificate } from "./tls";

/** Every generated secret's value, by name; a secret the config does not need is "" (or {}). */
export type GeneratedSecrets = { [N in GeneratedSecretName]: pulumi.Output<SecretValue<N>> };

/** What a service's component may use of the cluster being built. */
export interface DeployContext {
  plan: Plan;
  config: ClusterConfig;
  hosts: Record<string, Host>;
  /** Health gates of the instances made so far (every instance comes after those it starts after). */
  healthy: Record<string, command.remote.Command>;
  certificates: Record<string, NodeCertificate>;
  /** Every secret the renderers get (a component derives what it needs, e.g. a keystore's password). */
  secrets: pulumi.Output<Secrets>;
  /** Every generated secret, by its declared name (a database password, the KDC's master key). */
  generated: GeneratedSecrets;
  /** A step made once, by whichever instance needs it first (a node's CA truststore). */
  once(key: string, make: () => command.remote.Command): command.remote.Command;
  /** A cluster-wide step some service declares in its `steps` (the warehouse directories), made once. */
  step(name: string): command.remote.Command;
  opts: pulumi.ComponentResourceOptions;
}

/** Makes an instance's component and returns its health gate. */
export type ServiceComponentFactory = (name: string, args: ServiceComponentArgs, ctx: DeployContext) => command.remote.Command;

/** The kinds of instance a service runs (`namenode`, `datanode` for HDFS). */
export type KindOf<K extends ServiceKey> = SectionOf<K>["roles"][number]["kind"];

/** A service's deploy half (services/<name>/deploy.ts). */
export interface ServiceDeploy<K extends ServiceKey = ServiceKey> {
  /** Each kind of instance's component: `systemdService`, or a component of the service's own. */
  components: { readonly [Kind in KindOf<K>]: ServiceComponentFactory };
  /** Cluster-wide steps other services' components wait for by name (`ctx.step(name)`), each made once. */
  steps?: Readonly<Record<string, (ctx: DeployContext) => command.remote.Command>>;
  /**
   * A step every instance on a node (of any service) waits for, made once per node; undefined when none is
   * needed for this instance (e.g. the node's Kerberos client, except for the KDC itself).
   */
  nodeGate?(s: ServicePlan, ctx: DeployContext): command.remote.Command | undefined;
}

/** The generic instance: its files, its systemd unit and its health gate. */
export const systemdService: ServiceComponentFactory = (name, args, ctx) => new ServiceComponent(name, args, ctx.opts).healthy;

/**
 * The cluster CA as a public Java truststore on an instance's node (CA_TRUSTSTORE), made once per node: for JVM
 * clients that take no PEM. Made with the instance's JDK, after what the instance itself waits for.
 */
export const nodeCaTruststore = (args: ServiceComponentArgs, ctx: DeployContext): command.remote.Command =>
  ctx.once(`ca-truststore-${args.service.node}`, () =>
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
  );
