import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type * as command from "@pulumi/command";
import { RenderedFile, Secrets, renderNodeFiles, renderServiceFiles } from "../config-templates";
import type { ArtifactName, ClusterConfig, SecretKey } from "../lib/config";
import { Endpoints, JDK_ARTIFACT, Plan, ServicePlan, buildPlan } from "../lib/plan";
import { Artifact } from "./artifact";
import { ConfigFiles } from "./files";
import { Host } from "./host";
import { SmokeTest, SmokeTestResult, smokeTestNode } from "./smoke-test";
import { ServiceComponent } from "./service";
import { DeployContext, SERVICE_COMPONENTS } from "./service-components";
import { ClusterCa, NodeCertificate } from "./tls";
import { DESCRIPTORS } from "../services";
import { TRINO_HEALTH_USER } from "../services/trino/config";
import { KerberosNode } from "../services/kerberos/component";

export interface LakehouseArgs {
  config: ClusterConfig;
  /** Secrets the user set; missing ones are generated here with @pulumi/random. */
  secrets: Partial<Record<SecretKey, pulumi.Input<string>>>;
}

/** The Trino users with a password: trino.users and the health-check user (none without password authentication). */
export const trinoPasswordUsers = (c: ClusterConfig): string[] =>
  c.trino.enabled && c.trino.authentication === "password" ? [...c.trino.users, TRINO_HEALTH_USER] : [];

/** Stand-ins used to learn a template's shape (paths, secret flags) without touching secret values. */
export const placeholderSecrets = (c: ClusterConfig): Secrets => ({
  postgresPassword: "<postgresPassword>",
  trinoSharedSecret: "<trinoSharedSecret>",
  sparkAuthSecret: "<sparkAuthSecret>",
  trinoPasswords: Object.fromEntries(trinoPasswordUsers(c).map((u) => [u, `<trino password of ${u}>`])),
  hashKey: "<hashKey>",
});

/** Each release's conf dir link, as the service that owns the release declares it. */
const CONF_ARTIFACTS: Partial<Record<ArtifactName, { confDir: string; confSubdir: string }>> = Object.assign(
  {},
  ...DESCRIPTORS.map((d) => d.releases ?? {}),
);

/**
 * The whole lakehouse: hosts, artifacts, files and services, wired with the dependencies that matter:
 * DataNodes after the NameNode, the warehouse after HDFS, the metastore after PostgreSQL and the warehouse,
 * engines after the metastore, workers after their coordinator/master and one at a time. Everything else
 * (host preparation, downloads, config files) runs in parallel across nodes.
 */
export class Lakehouse extends pulumi.ComponentResource {
  readonly plan: Plan;
  readonly endpoints: Endpoints;
  readonly hosts: Record<string, Host> = {};
  /** Health gate per service id (`trino@cpu-node2`). */
  readonly healthy: Record<string, command.remote.Command> = {};
  readonly postgresPassword: pulumi.Output<string>;
  readonly trinoSharedSecret: pulumi.Output<string>;
  /** Trino users' passwords by user (trino.users); empty without password authentication. */
  readonly trinoPasswords: pulumi.Output<Record<string, string>>;
  /** Spark's authentication secret; empty when `spark.authenticate` (or Spark) is off. */
  readonly sparkAuthSecret: pulumi.Output<string>;
  /** The cluster CA (its certificate is the stack output `caCertificate`). */
  readonly ca: ClusterCa;
  /** Each node's TLS certificate, by node name. */
  readonly certificates: Record<string, NodeCertificate> = {};
  /** kerberos.adminPrincipal's password (empty without Kerberos): the stack output `kerberosAdminPassword`. */
  readonly kerberosAdminPassword: pulumi.Output<string>;
  /** The smoke test's result, when `smokeTest.enabled`. */
  readonly smokeTest?: pulumi.Output<SmokeTestResult>;

  constructor(name: string, args: LakehouseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:index:Lakehouse", name, {}, opts);
    const c = args.config;
    const plan = buildPlan(c);
    this.plan = plan;
    this.endpoints = plan.endpoints;
    const parent = { parent: this };

    this.postgresPassword = pulumi.secret(
      args.secrets.postgresPassword ?? new random.RandomPassword("postgres-password", { length: 32, special: false }, parent).result,
    );
    this.trinoSharedSecret = pulumi.secret(
      args.secrets.trinoSharedSecret ?? new random.RandomPassword("trino-shared-secret", { length: 64, special: false }, parent).result,
    );
    this.sparkAuthSecret = pulumi.secret(
      c.spark.enabled && c.spark.authenticate
        ? (args.secrets.sparkAuthSecret ?? new random.RandomPassword("spark-auth-secret", { length: 64, special: false }, parent).result)
        : "",
    );
    // Trino users' passwords: the secret trinoPasswords' (a JSON object) where it names the user, else generated.
    const givenTrino = pulumi.output(args.secrets.trinoPasswords ?? "{}").apply((j) => JSON.parse(j) as Record<string, string>);
    const trinoPasswords = pulumi.secret(
      pulumi
        .all(
          trinoPasswordUsers(c).map((u) =>
            pulumi
              .all([givenTrino, new random.RandomPassword(`trino-password-${u}`, { length: 32, special: false }, parent).result])
              .apply(([given, generated]): [string, string] => [u, given[u] ?? generated]),
          ),
        )
        .apply((pairs) => Object.fromEntries(pairs)),
    );
    this.trinoPasswords = pulumi.secret(
      trinoPasswords.apply((all) => Object.fromEntries(Object.entries(all).filter(([u]) => u !== TRINO_HEALTH_USER))),
    );
    // Kerberos: the deployed KDC's master key and the admin principal's password (given, or generated).
    const krb = c.kerberos.enabled;
    this.kerberosAdminPassword = pulumi.secret(
      krb
        ? (args.secrets.kerberosAdminPassword ??
            new random.RandomPassword("kerberos-admin-password", { length: 32, special: false }, parent).result)
        : "",
    );
    const kerberosMasterPassword = pulumi.secret(
      krb && !c.kerberos.external
        ? (args.secrets.kerberosMasterPassword ??
            new random.RandomPassword("kerberos-master-password", { length: 48, special: false }, parent).result)
        : "",
    );
    // The key of every file hash (restart hashes, review tags): random per stack, so a hash is no oracle.
    const hashKey = pulumi.secret(new random.RandomPassword("file-hash-key", { length: 64, special: false }, parent).result);
    const secrets: pulumi.Output<Secrets> = pulumi
      .all([this.postgresPassword, this.trinoSharedSecret, this.sparkAuthSecret, trinoPasswords, hashKey])
      .apply(([postgresPassword, trinoSharedSecret, sparkAuthSecret, trino, key]) => ({
        postgresPassword,
        trinoSharedSecret,
        sparkAuthSecret,
        trinoPasswords: trino,
        hashKey: key,
      }));
    const PLACEHOLDER_SECRETS = placeholderSecrets(c);

    /** Render once with stand-ins to learn whether a file set holds secrets; only then touch real values. */
    const filesOf = (
      render: (s: Secrets) => RenderedFile[],
    ): { files: pulumi.Input<RenderedFile[]>; reviewFiles: RenderedFile[]; secret: boolean; hashKey: pulumi.Output<string> } => {
      const shape = render(PLACEHOLDER_SECRETS);
      const secret = shape.some((f) => f.secret);
      return { files: secret ? secrets.apply(render) : shape, reviewFiles: shape, secret, hashKey };
    };

    // Per node, in parallel: host, downloads, shared config files.
    const installs: Record<string, Partial<Record<ArtifactName, Artifact>>> = {};
    /** JDK archives per node, by Java major. */
    const jdkInstalls: Record<string, Record<string, Artifact>> = {};
    const nodeConf: Record<string, Partial<Record<ArtifactName, ConfigFiles>>> = {};
    for (const node of plan.nodes) {
      const host = new Host(
        node.name,
        { plan, node, config: c, privateKey: args.secrets.sshPrivateKey!, privateKeyPassword: args.secrets.sshPrivateKeyPassword },
        parent,
      );
      this.hosts[node.name] = host;
      const mine: Partial<Record<ArtifactName, Artifact>> = {};
      jdkInstalls[node.name] = {};
      for (const j of node.jdkArchives) {
        jdkInstalls[node.name][j.major] = new Artifact(
          `${node.name}-${JDK_ARTIFACT(j.major)}`,
          { host, name: JDK_ARTIFACT(j.major), source: j.archive!, kind: "tarball", dependsOn: [host.prepared] },
          parent,
        );
      }
      for (const a of node.artifacts) {
        mine[a] = new Artifact(
          `${node.name}-${a}`,
          { host, name: a, source: c.artifacts[a], kind: "tarball", ...CONF_ARTIFACTS[a], dependsOn: [host.prepared] },
          parent,
        );
      }
      for (const j of node.jars) {
        const into = c.artifacts[j.into].version;
        mine[j.jar] = new Artifact(
          `${node.name}-${j.jar}`,
          {
            host,
            name: j.jar,
            source: c.artifacts[j.jar],
            kind: "jar",
            destDir: `/opt/${j.into}/${into}/${j.dir}`,
            dependsOn: [mine[j.into]!.installed],
          },
          parent,
        );
      }
      installs[node.name] = mine;
      nodeConf[node.name] = {};
      const groups = Object.keys(renderNodeFiles(plan, node, PLACEHOLDER_SECRETS)) as ArtifactName[];
      for (const g of groups) {
        const f = filesOf((s) => renderNodeFiles(plan, node, s)[g] ?? []);
        nodeConf[node.name][g] = new ConfigFiles(
          `${node.name}-${g}-conf`,
          { host, ...f, dependsOn: [mine[g]?.installed ?? host.prepared] },
          parent,
        );
      }
    }

    // TLS: the CA on its node, then every node's certificate (each node's key made on the node).
    const caHost = this.hosts[plan.tls.caNode];
    this.ca = new ClusterCa(
      "tls-ca",
      {
        host: caHost,
        plan,
        key: args.secrets.tlsCaKey === undefined ? undefined : pulumi.secret(args.secrets.tlsCaKey),
        dependsOn: [caHost.prepared],
      },
      parent,
    );
    for (const node of plan.nodes) {
      const host = this.hosts[node.name];
      this.certificates[node.name] = new NodeCertificate(
        `${node.name}-tls`,
        { host, node, plan, ca: this.ca, dependsOn: [host.prepared] },
        parent,
      );
    }

    /** What a service on `node` needs locally: its release, jars, shared config, /etc/hosts. */
    const localDeps = (s: ServicePlan): { deps: pulumi.Resource[]; shared: pulumi.Output<string>[] } => {
      const host = this.hosts[s.node];
      const deps: pulumi.Resource[] = [host.prepared, host.hostsFile];
      // Only what this service runs from: its release, the jars dropped into it, and the Hadoop client.
      const mine = installs[s.node];
      const node = plan.nodes.find((n) => n.name === s.node)!;
      const needed = new Set<ArtifactName>();
      if (s.artifact) {
        needed.add(s.artifact);
        needed.add("hadoop");
        for (const j of node.jars) if (j.into === s.artifact) needed.add(j.jar);
      }
      for (const a of needed) if (mine[a]) deps.push(mine[a]!.installed);
      // The JDK it runs on and the one the Hadoop client tools run on, when they are archives.
      const majors = new Set([s.jdk?.major, s.artifact ? c.hdfs.java : undefined]);
      for (const m of majors) if (m !== undefined && jdkInstalls[s.node][m]) deps.push(jdkInstalls[s.node][m].installed);
      const shared: pulumi.Output<string>[] = [];
      for (const [g, conf] of Object.entries(nodeConf[s.node]) as Array<[ArtifactName, ConfigFiles]>) {
        // Every JVM service reads the Hadoop client config; Spark/Flink daemons read their own.
        const reads = g === "hadoop" ? s.artifact !== undefined : s.artifact === g;
        if (reads) {
          deps.push(conf);
          shared.push(conf.restartHash);
        }
      }
      return { deps, shared };
    };

    const kdcId = plan.services.find((x) => x.kind === "kdc")?.id;
    const kerberosNode = (nodeName: string): command.remote.Command =>
      deploy.once(`kerberos-${nodeName}`, () => {
        const host = this.hosts[nodeName];
        const kdcUp = kdcId ? this.healthy[kdcId] : undefined;
        if (kdcId && !kdcUp) throw new Error(`internal: a service on ${nodeName} is planned before the KDC`);
        return new KerberosNode(
          `${nodeName}-kerberos`,
          {
            host,
            plan,
            node: plan.nodes.find((n) => n.name === nodeName)!,
            hashKey,
            adminPassword: this.kerberosAdminPassword,
            dependsOn: [host.prepared, ...(kdcUp ? [kdcUp] : [])],
          },
          parent,
        ).ready;
      });
    const previousInGroup: Record<string, command.remote.Command> = {};
    const onceMade = new Map<string, command.remote.Command>();
    const deploy: DeployContext = {
      plan,
      config: c,
      hosts: this.hosts,
      healthy: this.healthy,
      certificates: this.certificates,
      postgresPassword: this.postgresPassword,
      secrets,
      kerberos: { masterPassword: kerberosMasterPassword, adminPassword: this.kerberosAdminPassword },
      once(key, make) {
        if (!onceMade.has(key)) onceMade.set(key, make());
        return onceMade.get(key)!;
      },
      opts: parent,
    };
    for (const s of plan.services) {
      const host = this.hosts[s.node];
      const after = s.after.map((id) => {
        const h = this.healthy[id];
        if (!h) throw new Error(`internal: ${s.id} starts after ${id}, which is not planned before it`);
        return h;
      });
      const { deps, shared } = localDeps(s);
      // With Kerberos, every service after its node's keytabs (and those after kadmind, for a deployed realm).
      if (krb && s.kind !== "kdc") deps.push(kerberosNode(s.node));
      // On a change: the previous member of its group, or for the first one the group's head, healthy again.
      const rollingAfter = s.rollingGroup
        ? (previousInGroup[s.rollingGroup] ?? (s.rollingHead ? this.healthy[s.rollingHead] : undefined))
        : undefined;
      const own = filesOf((sec) => renderServiceFiles(plan, s, sec));
      const args = {
        host,
        service: s,
        files: own.files,
        reviewFiles: own.reviewFiles,
        secretFiles: own.secret,
        hashKey,
        sharedHashes: shared,
        dependsOn: [...deps, ...after],
        rollingAfter,
      };
      // A service with a component of its own (components/service-components.ts), else the generic one.
      const name = `${s.kind}-${s.node}`;
      const special = SERVICE_COMPONENTS[s.kind];
      const healthy = special ? special(name, args, deploy) : new ServiceComponent(name, args, parent).healthy;
      this.healthy[s.id] = healthy;
      if (s.rollingGroup) previousInGroup[s.rollingGroup] = healthy;
    }

    if (c.smokeTest.enabled) {
      const smoke = new SmokeTest(
        "smoke-test",
        {
          host: this.hosts[smokeTestNode(plan)],
          plan,
          // The first of trino.users logs in (the smoke test makes and drops a schema: it needs the rights).
          trinoCredentials: trinoPasswordUsers(c).length ? trinoPasswords.apply((p) => `${c.trino.users[0]}:${p[c.trino.users[0]]}`) : "",
          dependsOn: [...Object.values(this.healthy), ...onceMade.values(), this.certificates[smokeTestNode(plan)].installed],
        },
        parent,
      );
      this.smokeTest = smoke.result;
    }

    this.registerOutputs({ endpoints: this.endpoints });
  }
}
