import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import type { ClusterConfig } from "../lib/config";
import { Endpoints, Plan, buildPlan } from "../lib/plan";
import type { Host } from "./host";
import type { SmokeTestResult } from "./smoke-test";
import type { ClusterCa, NodeCertificate } from "./tls";
import { fileSets } from "./stages/files";
import { deployHosts } from "./stages/hosts";
import { lakehouseOutputs } from "./stages/outputs";
import { GivenSecrets, SecretOutputValues, createSecrets } from "./stages/secrets";
import { deployServices } from "./stages/services";
import { deploySmokeTest } from "./stages/smoke-test";
import { clusterSteps } from "./stages/steps";
import { deployTls } from "./stages/tls";

export interface LakehouseArgs {
  config: ClusterConfig;
  /** Secrets the user set; missing ones are generated here with @pulumi/random. */
  secrets: GivenSecrets;
}

/**
 * The whole lakehouse: hosts, artifacts, files and services, wired with the dependencies that matter:
 * DataNodes after the NameNode, the warehouse after HDFS, the metastore after PostgreSQL and the warehouse,
 * engines after the metastore, workers after their coordinator/master and one at a time. Everything else
 * (host preparation, downloads, config files) runs in parallel across nodes.
 *
 * A composer: the constructor runs the stages of components/stages/ in order, each taking what it needs and
 * returning what later ones need: secrets (given or generated), file sets, hosts and releases, TLS, services
 * (each made by its service's deploy half, services/<name>/deploy.ts, with the node gates the services declare, such
 * as the Kerberos clients), the smoke test, the outputs. Every resource is its child.
 */
export class Lakehouse extends pulumi.ComponentResource {
  readonly plan: Plan;
  readonly endpoints: Endpoints;
  readonly hosts: Record<string, Host>;
  /** Health gate per service id (`trino@cpu-node2`). */
  readonly healthy: Record<string, command.remote.Command>;
  /**
   * The secret stack outputs, by output name: each a secret whose declaration names the output
   * (`metastoreDbPassword`, `sparkAuthSecret`, `trinoPasswords`, `kerberosAdminPassword`); index.ts exports them.
   */
  readonly secretOutputs: SecretOutputValues;
  /** The cluster CA (its certificate is the stack output `caCertificate`). */
  readonly ca: ClusterCa;
  /** Each node's TLS certificate, by node name. */
  readonly certificates: Record<string, NodeCertificate>;
  /** The smoke test's result, when `smokeTest.enabled`. */
  readonly smokeTest?: pulumi.Output<SmokeTestResult>;

  constructor(name: string, args: LakehouseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:index:Lakehouse", name, {}, opts);
    const config = args.config;
    const plan = buildPlan(config);
    this.plan = plan;
    this.endpoints = plan.endpoints;
    // Every resource below is a child of this component (its URN, and so every child's, depends on that).
    const parent = { parent: this };

    const secrets = createSecrets(config, args.secrets, parent);
    this.secretOutputs = secrets.outputs;
    const fileSetOf = fileSets(config, secrets);

    const ssh = { privateKey: args.secrets.sshPrivateKey!, privateKeyPassword: args.secrets.sshPrivateKeyPassword };
    const nodes = deployHosts({ plan, config, ssh, fileSetOf, opts: parent });
    this.hosts = Object.fromEntries(Object.entries(nodes).map(([n, d]) => [n, d.host]));

    const tls = deployTls(plan, this.hosts, args.secrets.tlsCaKey, parent);
    this.ca = tls.ca;
    this.certificates = tls.certificates;

    const steps = clusterSteps();
    this.healthy = steps.healthy;
    const certificates = this.certificates;
    deployServices({ plan, config, hosts: this.hosts, nodes, certificates, secrets, fileSetOf, steps, opts: parent });

    this.smokeTest = deploySmokeTest({ plan, config, hosts: this.hosts, certificates, secrets, steps, opts: parent });

    this.registerOutputs(lakehouseOutputs(plan));
  }
}
