/**
 * The cross-field rules a schema alone cannot express (role counts, port collisions, replication vs
 * DataNodes, overlapping dirs, Java compatibility), and `validateConfig`, which applies the schema section by
 * section and then these rules: a typed `ClusterConfig`, or a `ConfigError` listing every problem.
 */
import { z } from "zod";
import { javaProblems, metastoreClientProblems } from "../compat";
import { mergeArtifacts } from "./artifacts";
import { ConfigError, namespaceProblems, zodProblems } from "./errors";
import {
  ClusterConfig,
  configSchema,
  nodeSchema,
  NodeConfig,
  Parsed,
  Role,
  ROLES,
  SECRET_KEYS,
  SecretKey,
  SINGLETON_ROLES,
} from "./schema";

export interface RawConfig {
  /** Values by key without the `lakehouse:` prefix, JSON-decoded where they are JSON. */
  values: Record<string, unknown>;
  /** Keys that Pulumi holds encrypted (set with --secret). */
  secretKeys: ReadonlySet<string>;
  /** Stack name, used for defaults (environment); the stack `prod` must pin every host key. */
  stack: string;
  /** Full keys (`ns:key`) of the stack's config outside the `lakehouse:` namespace; see namespaceProblems. */
  otherKeys?: readonly string[];
}

/** Sizes as JVM flags and Trino write them: 1536m, 4g, 512MB, 1GB. In bytes; NaN when not a size. */
export function parseSize(s: string): number {
  const m = /^(\d+)\s*([kmgt])b?$/i.exec(s);
  if (!m) return NaN;
  return Number(m[1]) * 1024 ** ("kmgt".indexOf(m[2].toLowerCase()) + 1);
}

/** The config section whose ports and user a role's service has. */
const ROLE_SECTION: Record<Role, "hdfs" | "postgres" | "metastore" | "trino" | "spark" | "flink"> = {
  namenode: "hdfs",
  datanode: "hdfs",
  postgres: "postgres",
  metastore: "metastore",
  "trino-coordinator": "trino",
  "trino-worker": "trino",
  "spark-master": "spark",
  "spark-worker": "spark",
  "flink-jobmanager": "flink",
  "flink-taskmanager": "flink",
};
const SECTION_LABEL = { hdfs: "HDFS", postgres: "PostgreSQL", metastore: "the metastore", trino: "Trino", spark: "Spark", flink: "Flink" };

/** Role → the ports it listens on, for collision checks. */
export function rolePorts(
  c: Pick<ClusterConfig, "hdfs" | "postgres" | "metastore" | "trino" | "spark" | "flink">,
  role: Role,
): Array<{ port: number; what: string; key: string }> {
  switch (role) {
    case "namenode":
      return [
        { port: c.hdfs.nameNodeRpcPort, what: "NameNode RPC", key: "hdfs.nameNodeRpcPort" },
        { port: c.hdfs.nameNodeHttpPort, what: "NameNode web UI", key: "hdfs.nameNodeHttpPort" },
      ];
    case "datanode":
      return [
        { port: c.hdfs.dataNodePort, what: "DataNode data transfer", key: "hdfs.dataNodePort" },
        { port: c.hdfs.dataNodeHttpPort, what: "DataNode web UI", key: "hdfs.dataNodeHttpPort" },
        { port: c.hdfs.dataNodeIpcPort, what: "DataNode IPC", key: "hdfs.dataNodeIpcPort" },
      ];
    case "postgres":
      return [{ port: c.postgres.port, what: "PostgreSQL", key: "postgres.port" }];
    case "metastore":
      return [{ port: c.metastore.port, what: "Hive metastore Thrift", key: "metastore.port" }];
    case "trino-coordinator":
    case "trino-worker":
      return [{ port: c.trino.httpPort, what: "Trino HTTP", key: "trino.httpPort" }];
    case "spark-master":
      return [
        { port: c.spark.masterPort, what: "Spark master RPC", key: "spark.masterPort" },
        { port: c.spark.masterUiPort, what: "Spark master web UI", key: "spark.masterUiPort" },
      ];
    case "spark-worker":
      return [
        { port: c.spark.workerPort, what: "Spark worker RPC", key: "spark.workerPort" },
        { port: c.spark.workerUiPort, what: "Spark worker web UI", key: "spark.workerUiPort" },
      ];
    case "flink-jobmanager":
      return [
        { port: c.flink.rpcPort, what: "Flink JobManager RPC", key: "flink.rpcPort" },
        { port: c.flink.restPort, what: "Flink REST/web UI", key: "flink.restPort" },
      ];
    case "flink-taskmanager":
      return [];
  }
}

/** Validate the raw stack config. Throws ConfigError listing every problem; never returns a partial config. */
export function validateConfig(raw: RawConfig): ClusterConfig {
  const problems: string[] = namespaceProblems(raw.otherKeys ?? []);
  const input: Record<string, unknown> = { ...raw.values };
  if (input.environment === undefined) input.environment = raw.stack.toLowerCase().replace(/[^a-z0-9_]/g, "_");

  for (const k of SECRET_KEYS) {
    if (input[k] !== undefined && !raw.secretKeys.has(k)) {
      problems.push(`${k}: is stored in plain text in the stack file; set it with 'pulumi config set --secret ${k}'`);
    }
  }
  // Structure, section by section: one bad section must not hide the problems of the others, nor the
  // cross-field rules that only need sections that are fine.
  const shape = configSchema.shape;
  for (const k of Object.keys(input)) if (!(k in shape)) problems.push(`${k}: unknown key`);
  const ok: Partial<Parsed> = {};
  for (const [k, schema] of Object.entries(shape) as Array<[keyof Parsed, z.ZodType]>) {
    if (k === "nodes") continue;
    const r = schema.safeParse(input[k]);
    if (r.success) (ok as Record<string, unknown>)[k] = r.data;
    else problems.push(...zodProblems(r.error, [k]));
  }
  // Nodes field by field: a node with a bad host still counts for its roles.
  type LooseNode = Partial<NodeConfig> & { index: number };
  const nodes: LooseNode[] = [];
  if (!Array.isArray(input.nodes)) {
    const r = shape.nodes.safeParse(input.nodes);
    if (!r.success) problems.push(...zodProblems(r.error, ["nodes"]));
  } else {
    if (input.nodes.length === 0) problems.push("nodes: at least one node is needed");
    input.nodes.forEach((rawNode: unknown, index: number) => {
      const r = nodeSchema.safeParse(rawNode);
      if (r.success) {
        nodes.push({ ...r.data, index });
        return;
      }
      problems.push(...zodProblems(r.error, ["nodes", index]));
      const loose: LooseNode = { index };
      const obj = (rawNode ?? {}) as Record<string, unknown>;
      for (const f of ["name", "host", "roles"] as const) {
        const fr = nodeSchema.shape[f].safeParse(obj[f]);
        if (fr.success) (loose as Record<string, unknown>)[f] = fr.data;
      }
      nodes.push(loose);
    });
  }
  const c = ok as Parsed;
  const has = (...keys: Array<keyof Parsed>) => keys.every((k) => ok[k] !== undefined);
  const artifacts = has("artifacts") ? mergeArtifacts(c.artifacts, problems) : undefined;
  const withRoles = nodes.filter((n): n is LooseNode & { roles: Role[] } => n.roles !== undefined);

  // Nodes: unique names and hosts, roles unique per node.
  const seenName = new Map<string, number>();
  const seenHost = new Map<string, number>();
  for (const n of nodes) {
    const i = n.index;
    if (n.name !== undefined) {
      const sn = seenName.get(n.name);
      if (sn !== undefined) problems.push(`nodes[${i}].name: duplicate node name "${n.name}" (also nodes[${sn}])`);
      else seenName.set(n.name, i);
    }
    if (n.host !== undefined) {
      const h = n.host.toLowerCase();
      const sh = seenHost.get(h);
      if (sh !== undefined) problems.push(`nodes[${i}].host: duplicate host "${n.host}" (also nodes[${sh}])`);
      else seenHost.set(h, i);
    }
    const dup = (n.roles ?? []).filter((r, j, rs) => rs.indexOf(r) !== j);
    if (dup.length) problems.push(`nodes[${i}].roles: role "${dup[0]}" is listed twice`);
    const keyscan = `get it with 'ssh-keyscan -t ed25519 ${n.host ?? "<host>"}'`;
    if (has("ssh") && c.ssh.requireHostKey && !n.hostKey)
      problems.push(`nodes[${i}].hostKey: required because ssh.requireHostKey is true (${keyscan})`);
    // The program itself, not only ssh.requireHostKey or the policy pack, refuses prod without pinned keys.
    else if (raw.stack === "prod" && !n.hostKey)
      problems.push(`nodes[${i}].hostKey: required on the prod stack: every node's SSH host key must be pinned (${keyscan})`);
  }

  // Role counts.
  // Engines can be switched off; their roles must then be absent, and their head is not required.
  const engineOn = (role: Role) => {
    const e = ROLE_SECTION[role];
    return (e !== "trino" && e !== "spark" && e !== "flink") || !has(e) || c[e].enabled;
  };
  for (const n of withRoles) {
    for (const r of n.roles) {
      if (!engineOn(r)) problems.push(`nodes[${n.index}].roles: "${r}" is listed but ${ROLE_SECTION[r]}.enabled is false`);
    }
  }
  for (const role of SINGLETON_ROLES.filter(engineOn)) {
    const holders = withRoles.filter((n) => n.roles.includes(role)).map((n) => n.name ?? `nodes[${n.index}]`);
    if (holders.length !== 1)
      problems.push(
        `nodes: exactly one node must have role "${role}"; found ${holders.length}${holders.length ? ` (${holders.join(", ")})` : ""}`,
      );
  }
  for (const role of (["datanode", "spark-worker", "flink-taskmanager"] as const).filter(engineOn)) {
    if (!withRoles.some((n) => n.roles.includes(role))) problems.push(`nodes: at least one node must have role "${role}"`);
  }
  const dataNodes = withRoles.filter((n) => n.roles.includes("datanode")).length;
  if (has("hdfs") && dataNodes > 0 && c.hdfs.replication > dataNodes)
    problems.push(
      `hdfs.replication: ${c.hdfs.replication} is more than the ${dataNodes} DataNode${dataNodes === 1 ? "" : "s"} (nodes with role "datanode")`,
    );
  // dfs.replication may be overridden (hdfs-site.xml), but the override gets the same checks as hdfs.replication.
  const replOverride = has("hdfs") ? c.hdfs.overrides["hdfs-site.xml"]?.["dfs.replication"] : undefined;
  if (replOverride !== undefined) {
    const r = Number(replOverride);
    const key = "hdfs.overrides.hdfs-site.xml.dfs.replication";
    if (typeof replOverride === "boolean" || !Number.isInteger(r) || r < 1 || r > 16)
      problems.push(`${key}: expected a whole number from 1 to 16 (or set hdfs.replication instead)`);
    else if (dataNodes > 0 && r > dataNodes)
      problems.push(`${key}: ${r} is more than the ${dataNodes} DataNode${dataNodes === 1 ? "" : "s"} (nodes with role "datanode")`);
  }
  if (has("tls") && c.tls.caNode !== undefined && !nodes.some((n) => n.name === c.tls.caNode))
    problems.push(`tls.caNode: no node named "${c.tls.caNode}"`);
  if (has("smokeTest") && c.smokeTest.node !== undefined && !nodes.some((n) => n.name === c.smokeTest.node))
    problems.push(`smokeTest.node: no node named "${c.smokeTest.node}"`);

  // Ports: two roles on one node may not listen on the same port. A coordinator that is also a worker is one
  // Trino process, so its port counts once. Only the sections that parsed take part: a bad trino.heap must not
  // hide a collision between Spark and Flink.
  const portsOf = (role: Role) => (has(ROLE_SECTION[role]) ? rolePorts(c, role) : []);
  for (const n of withRoles) {
    const i = n.index;
    const used = new Map<number, { what: string; key: string }>();
    const roles = n.roles.filter((r) => !(r === "trino-worker" && n.roles.includes("trino-coordinator")));
    for (const role of roles) {
      for (const p of portsOf(role)) {
        const prev = used.get(p.port);
        if (prev && prev.what !== p.what)
          problems.push(
            `nodes[${i}] (${n.name ?? "?"}): port ${p.port} is used by both ${prev.what} (${prev.key}) and ${p.what} (${p.key}); change one of them`,
          );
        else used.set(p.port, p);
      }
    }
  }

  // A service port may not be SSH's, nor privileged for a service that runs as an unprivileged user.
  const portChecked = new Set<string>();
  for (const role of ROLES) {
    const section = ROLE_SECTION[role];
    const user = section === "postgres" ? "postgres" : has(section) ? c[section].user : undefined;
    for (const p of portsOf(role)) {
      if (portChecked.has(p.key)) continue;
      portChecked.add(p.key);
      if (p.port === 22 || (has("ssh") && p.port === c.ssh.port))
        problems.push(`${p.key}: ${p.port} is SSH's port (sshd listens on it on every node); choose another port`);
      else if (p.port < 1024 && user !== "root")
        problems.push(
          `${p.key}: ${p.port} is below 1024, but ${SECTION_LABEL[section]} runs as the unprivileged user ${user}; choose a port of 1024 or above`,
        );
    }
  }

  // Data dirs: on one node, no directory of one service may repeat or lie inside another's (a DataNode's
  // block dir inside the NameNode's name dir, Trino's data dir inside Spark's work dir, …).
  const dirsOf: Array<{ key: string; path: string; roles: Role[] }> = [
    ...(has("hdfs") ? c.hdfs.nameDirs.map((d, j) => ({ key: `hdfs.nameDirs[${j}]`, path: d, roles: ["namenode" as Role] })) : []),
    ...(has("hdfs") ? c.hdfs.dataDirs.map((d, j) => ({ key: `hdfs.dataDirs[${j}]`, path: d, roles: ["datanode" as Role] })) : []),
    ...(has("trino") ? [{ key: "trino.dataDir", path: c.trino.dataDir, roles: ["trino-coordinator", "trino-worker"] as Role[] }] : []),
    ...(has("spark") ? [{ key: "spark.workDir", path: c.spark.workDir, roles: ["spark-worker"] as Role[] }] : []),
  ];
  const norm = (d: string) => d.replace(/\/+$/, "") || "/";
  const inside = (a: string, b: string) => a !== b && (b === "/" || a.startsWith(`${b}/`));
  for (const d of dirsOf) if (norm(d.path) === "/") problems.push(`${d.key}: must not be / (give it its own directory)`);
  const dirPairs = new Set<string>();
  for (const n of withRoles) {
    const here = dirsOf.filter((d) => d.roles.some((r) => n.roles.includes(r)) && norm(d.path) !== "/");
    for (let a = 0; a < here.length; a++) {
      for (let b = a + 1; b < here.length; b++) {
        const [x, y] = [here[a], here[b]];
        const [px, py] = [norm(x.path), norm(y.path)];
        const pair = `${x.key} ${y.key}`;
        if (dirPairs.has(pair)) continue;
        const on = `on ${n.name ?? `nodes[${n.index}]`}`;
        let problem: string | undefined;
        if (px === py) problem = `${y.key}: ${y.path} is the same directory as ${x.key} ${on}`;
        else if (inside(py, px)) problem = `${y.key}: ${y.path} is inside ${x.key} (${x.path}) ${on}`;
        else if (inside(px, py)) problem = `${x.key}: ${x.path} is inside ${y.key} (${y.path}) ${on}`;
        if (problem) {
          dirPairs.add(pair);
          problems.push(problem);
        }
      }
    }
  }

  // Trino: one query's memory on a node must fit into the node's heap.
  if (has("trino") && parseSize(c.trino.queryMaxMemoryPerNode) > parseSize(c.trino.heap))
    problems.push(`trino.queryMaxMemoryPerNode: ${c.trino.queryMaxMemoryPerNode} is more than trino.heap (${c.trino.heap})`);

  // Trino worker groups: members are Trino workers, each in one group; a group's per-node query memory fits
  // its heap (each taken from the group, else from trino.*).
  if (has("trino")) {
    const groupOf = new Map<string, string>();
    for (const [g, grp] of Object.entries(c.trino.workerGroups)) {
      grp.nodes.forEach((name, j) => {
        const key = `trino.workerGroups.${g}.nodes[${j}]`;
        const node = nodes.find((n) => n.name === name);
        if (!node) problems.push(`${key}: no node named "${name}"`);
        else if (node.roles && !node.roles.includes("trino-worker")) problems.push(`${key}: ${name} has no role trino-worker`);
        const prev = groupOf.get(name);
        if (prev !== undefined) problems.push(`${key}: ${name} is already in group ${prev}; a node belongs to one group`);
        else groupOf.set(name, g);
      });
      const h = grp.heap ?? c.trino.heap;
      const q = grp.queryMaxMemoryPerNode ?? c.trino.queryMaxMemoryPerNode;
      if (parseSize(q) > parseSize(h))
        problems.push(`trino.workerGroups.${g}: its queryMaxMemoryPerNode (${q}) is more than its heap (${h})`);
    }
  }

  // HDFS superusers: the admin group alone. Every engine's user is in serviceGroup, and every engine acts on HDFS
  // as warehouse.owner (simple authentication): neither may carry the superuser's rights.
  if (has("hdfs", "serviceGroup") && c.hdfs.adminGroup === c.serviceGroup)
    problems.push(
      `hdfs.adminGroup: "${c.hdfs.adminGroup}" is serviceGroup, which every engine's user is in: every engine would be an HDFS superuser; choose a group of its own (default hdfsadmin)`,
    );
  if (has("hdfs", "warehouse") && c.warehouse.owner === c.hdfs.user)
    problems.push(
      `warehouse.owner: "${c.warehouse.owner}" is hdfs.user, the HDFS superuser; every engine writes as warehouse.owner, so choose another user (default hive)`,
    );

  // JDKs: every service names a JDK that is configured and that its version runs on (each section that parsed).
  const javaSections = ["hdfs", "metastore", "trino", "spark", "flink"] as const;
  if (has("java")) {
    for (const s of javaSections.filter((x) => has(x))) {
      if (!c.java[c[s].java])
        problems.push(`${s}.java: no JDK "${c[s].java}" under java (configured: ${Object.keys(c.java).join(", ") || "none"})`);
    }
    if (artifacts) problems.push(...javaProblems(Object.fromEntries(javaSections.filter((x) => has(x)).map((x) => [x, c[x]])), artifacts));
  }
  if (artifacts) problems.push(...metastoreClientProblems(artifacts));

  // Security switches that need more than a boolean.
  const sec = has("metastore")
    ? c.metastore.security
    : { sasl: false, ssl: false, keystorePath: undefined, kerberosKeytab: undefined, kerberosPrincipal: undefined };
  if (sec.sasl && (!sec.kerberosPrincipal || !sec.kerberosKeytab))
    problems.push("metastore.security.sasl: needs metastore.security.kerberosPrincipal and metastore.security.kerberosKeytab");
  if (sec.ssl && !sec.keystorePath) problems.push("metastore.security.ssl: needs metastore.security.keystorePath");
  if (sec.ssl && c.metastoreKeystorePassword === undefined)
    problems.push(
      "metastoreKeystorePassword: required when metastore.security.ssl is true (pulumi config set --secret metastoreKeystorePassword)",
    );

  if (problems.length) throw new ConfigError(problems);
  // Every section passed on its own and together: the whole parse cannot fail now.
  const full = configSchema.parse(input);
  Object.assign(c, full);

  const secretsGiven = Object.fromEntries(SECRET_KEYS.map((k) => [k, c[k] !== undefined])) as Record<SecretKey, boolean>;
  const {
    sshPrivateKey: _a,
    sshPrivateKeyPassword: _b,
    postgresPassword: _c,
    trinoSharedSecret: _d,
    sparkAuthSecret: _f,
    metastoreKeystorePassword: _e,
    ...rest
  } = c;
  return { ...rest, artifacts: artifacts!, secretsGiven };
}
