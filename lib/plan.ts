/**
 * The plan: from a validated ClusterConfig, which service instance runs on which node, as which user, with
 * which JDK, what it waits for and how its health is checked; plus every URI the engines and users need.
 * Pure: no Pulumi, no I/O. Rendering of files lives in config-templates/, resources in components/.
 */
import type { ArtifactName, ClusterConfig, NodeConfig, Role } from "./config";
import { BASE_PACKAGES, Endpoints, Jdk, jdk, NodePlan, Plan, ServicePlan, TLS_DIRS } from "./model";
import { descriptorOf, DESCRIPTORS, KINDS, PlanContext, PlanFields, roleDef } from "../services";

export * from "./model";

/** The client release's declaration (`client`), from the one service that makes it. */
const clientDecl = () => DESCRIPTORS.find((d) => d.client)?.client;

/** The client release every node that runs a release gets (the Hadoop client). */
export const clientRelease = (): ArtifactName | undefined => clientDecl()?.release;

/** The client release and the JDK (a key under `java`) its tools run on. */
export function hostClient(c: ClusterConfig): { release: ArtifactName; java: string } | undefined {
  const client = clientDecl();
  return client && { release: client.release, java: client.java(c) };
}

/** The cluster's superuser group, made on every node, and the service user put in it (the service that declares it). */
export function superuserGroup(c: ClusterConfig): { group: string; user: string } {
  const d = DESCRIPTORS.find((x) => x.superusers);
  if (!d?.superusers) throw new Error("internal: no service declares the cluster's superuser group");
  return d.superusers(c);
}

/** The node that holds a role, if any (a singleton role's one holder). */
function holder(c: ClusterConfig, role: Role): NodeConfig | undefined {
  return c.nodes.find((x) => x.roles.includes(role));
}

export function buildPlan(c: ClusterConfig): Plan {
  const on = DESCRIPTORS.filter((d) => d.enabled(c));
  const ctx: PlanContext = {
    c,
    holder: (role) => holder(c, role),
    idOf(role) {
      const n = holder(c, role);
      if (!n) throw new Error(`internal: no node with role ${role} (config validation should have caught this)`);
      return `${roleDef(role).kind}@${n.name}`;
    },
    idsOf: (role) => c.nodes.filter((n) => n.roles.includes(role)).map((n) => `${roleDef(role).kind}@${n.name}`),
  };
  const endpoints = Object.assign({}, ...on.map((d) => d.endpoints?.(ctx) ?? {})) as Endpoints;
  const fields = Object.assign({}, ...on.map((d) => d.planFields?.(c) ?? {})) as PlanFields;
  const root = c.warehouse.root;
  const client = hostClient(c);
  // Users that come with the OS or its packages (root; PostgreSQL's postgres) are not made here.
  const systemUsers = new Set(DESCRIPTORS.filter((d) => d.systemUser).map((d) => d.user(c)));

  const services: ServicePlan[] = [];
  const nodes: NodePlan[] = c.nodes.map((n, index) => {
    const svc: ServicePlan[] = on.flatMap((d) =>
      d.instances(ctx, n).map((spec) => {
        const s: ServicePlan = { ...spec, id: spec.id ?? `${spec.kind}@${n.name}`, node: n.name, host: n.host };
        // The Kerberos primaries it authenticates as, when its service names any (read by the keytabs).
        const principals = d.principals?.(s) ?? [];
        return principals.length ? { ...s, principals } : s;
      }),
    );
    const kinds = new Set(svc.map((s) => s.kind));

    const artifacts = unique(svc.map((s) => s.artifact).filter((a): a is ArtifactName => a !== undefined));
    // Every node that runs a JVM service needs the client release (the Hadoop client: jars and config).
    if (client && !artifacts.includes(client.release) && artifacts.length > 0) artifacts.unshift(client.release);
    const jars = on.flatMap((d) => d.jars?.(c) ?? []).filter((j) => artifacts.includes(j.into));

    const users = unique(svc.map((s) => s.user).filter((u) => !systemUsers.has(u)));
    const nodeJdks = svc.map((s) => s.jdk).filter((j): j is Jdk => j !== undefined);
    // The client release's tools need a JDK even on an engine-only node: its service's.
    if (client && artifacts.includes(client.release)) nodeJdks.push(jdk(c, client.java));
    const jdks = unique(nodeJdks.map((j) => j.package).filter((p): p is string => p !== undefined));
    const jdkArchives = [...new Map(nodeJdks.filter((j) => j.archive).map((j) => [j.major, j])).values()];
    const packages = unique([...BASE_PACKAGES, ...jdks, ...on.flatMap((d) => d.packages?.(c, kinds) ?? []), ...c.extraPackages]);

    const dirs: NodePlan["dirs"] = [];
    for (const d of on.flatMap((x) => x.dirs?.(c) ?? []))
      if (d.roles.some((r) => n.roles.includes(r)) && !dirs.some((x) => x.path === d.path))
        dirs.push({ path: d.path, owner: d.owner, mode: d.mode, key: d.key });
    for (const u of users) dirs.push({ path: `/var/log/lakehouse/${u}`, owner: u, mode: "0750" });

    const needs = svc.flatMap((s) => (descriptorOf(s.kind).needs?.(c, s) ?? []).map((x) => ({ instance: s.id, ...x })));

    services.push(...svc);
    return {
      name: n.name,
      host: n.host,
      index,
      ssh: { user: n.ssh?.user ?? c.ssh.user, port: n.ssh?.port ?? c.ssh.port },
      hostKey: n.hostKey,
      roles: n.roles,
      packages,
      users,
      artifacts,
      jdkArchives,
      jars,
      dirs,
      needs,
      services: svc,
    };
  });

  return {
    config: c,
    nodes,
    services: startOrder(services),
    endpoints,
    // pg_hba takes an address/32 for IPv4 hosts and the name itself for DNS names.
    clusterCidrs: c.nodes.map((n) => (/^\d+\.\d+\.\d+\.\d+$/.test(n.host) ? `${n.host}/32` : n.host)),
    clusterId: fields.clusterId,
    warehouseDirs: [root, `${root}/iceberg`, `${root}/delta`, `${root}/hive`],
    hadoopConfDir: fields.hadoopConfDir,
    tls: {
      caNode: c.tls.caNode ?? c.nodes[0].name,
      caDir: TLS_DIRS.ca,
      dir: TLS_DIRS.node,
      caName: `lakehouse-iac CA ${c.environment}`,
      caDays: c.tls.caDays,
      ...(c.tls.caCertificate !== undefined ? { caCertificate: c.tls.caCertificate } : {}),
      certificateDays: c.tls.certificateDays,
    },
  };
}

/**
 * The services in dependency order: each after every service its `after` names (a topological sort, Kahn's
 * algorithm), ties broken by the kinds' order (services/sections.ts) and then config order, so the order is stable. An `after` that names
 * no planned service, or a cycle, is an internal error naming the services.
 */
export function startOrder(services: ServicePlan[]): ServicePlan[] {
  const byId = new Map(services.map((s) => [s.id, s]));
  // A rolling head orders restarts, so it is planned before its group too.
  const waits = (s: ServicePlan) => (s.rollingHead ? [...s.after, s.rollingHead] : s.after);
  for (const s of services)
    for (const a of waits(s)) if (!byId.has(a)) throw new Error(`internal: ${s.id} starts after ${a}, which is not planned`);
  const rank = (s: ServicePlan) => KINDS.indexOf(s.kind) * services.length + services.indexOf(s);
  const done = new Set<string>();
  const out: ServicePlan[] = [];
  while (out.length < services.length) {
    const ready = services.filter((s) => !done.has(s.id) && waits(s).every((a) => done.has(a)));
    if (ready.length === 0) {
      const left = services.filter((s) => !done.has(s.id)).map((s) => s.id);
      throw new Error(`internal: the services ${left.join(", ")} wait for each other`);
    }
    const next = ready.reduce((a, b) => (rank(b) < rank(a) ? b : a));
    done.add(next.id);
    out.push(next);
  }
  return out;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
