/**
 * The cross-field rules a schema alone cannot express (role counts, port collisions, replication vs
 * DataNodes, overlapping dirs, Java compatibility), and `validateConfig`, which applies the schema section by
 * section and then these rules: a typed `ClusterConfig`, or a `ConfigError` listing every problem.
 */
import { z } from "zod";
import { javaProblems, releaseProblems } from "../compat";
export { parseSize } from "./primitives";
import { mergeArtifacts } from "./artifacts";
import { ConfigError, namespaceProblems, zodProblems } from "./errors";
import { hostDirProblem, managedHostDirs, normDir } from "./host-dirs";
import { DESCRIPTORS, REQUIRED_ROLES, roleDef, sectionOf, ServiceDescriptor, SERVICES } from "../../services";
import type { RuleContext } from "../../services/descriptor";
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

/** The descriptor of the service a role belongs to. */
const serviceOf = (role: Role): ServiceDescriptor => SERVICES[roleDef(role).service] as unknown as ServiceDescriptor;

/** Validate the raw stack config. Throws ConfigError listing every problem; never returns a partial config. */
export function validateConfig(raw: RawConfig): ClusterConfig {
  const problems: string[] = namespaceProblems(raw.otherKeys ?? []);
  const input: Record<string, unknown> = { ...raw.values };
  if (input.environment === undefined) input.environment = raw.stack.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  if (input.production === undefined) input.production = raw.stack === "prod";
  else if (raw.stack === "prod" && input.production === false)
    problems.push("production: the stack prod is a production stack; production: false is for other stacks only");

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
    else if (has("production") && c.production && !n.hostKey)
      problems.push(
        `nodes[${i}].hostKey: required on a production stack (production: true; the stack prod is one): every node's SSH host key must be pinned (${keyscan})`,
      );
  }

  // Role counts.
  // Engines can be switched off; their roles must then be absent, and their head is not required.
  const engineOn = (role: Role) => {
    const key = roleDef(role).service;
    return !has(key) || serviceOf(role).enabled(c);
  };
  for (const n of withRoles) {
    for (const r of n.roles) {
      if (!engineOn(r)) problems.push(`nodes[${n.index}].roles: "${r}" is listed but ${roleDef(r).service}.enabled is false`);
    }
  }
  for (const role of SINGLETON_ROLES.filter(engineOn)) {
    const holders = withRoles.filter((n) => n.roles.includes(role)).map((n) => n.name ?? `nodes[${n.index}]`);
    // A singleton that is not required (the KDC: an external realm needs none) may also be absent.
    const required = REQUIRED_ROLES.includes(role);
    if (holders.length > 1 || (required && holders.length === 0))
      problems.push(
        `nodes: ${required ? "exactly one node must" : "at most one node may"} have role "${role}"; found ${holders.length}${holders.length ? ` (${holders.join(", ")})` : ""}`,
      );
  }
  for (const role of REQUIRED_ROLES.filter((r) => !SINGLETON_ROLES.includes(r)).filter(engineOn)) {
    if (!withRoles.some((n) => n.roles.includes(role))) problems.push(`nodes: at least one node must have role "${role}"`);
  }
  if (has("tls") && c.tls.caNode !== undefined && !nodes.some((n) => n.name === c.tls.caNode))
    problems.push(`tls.caNode: no node named "${c.tls.caNode}"`);
  if (has("tls") && (c.tls.caCertificate === undefined) !== (c.tlsCaKey === undefined))
    problems.push(
      c.tls.caCertificate === undefined
        ? "tlsCaKey: given without tls.caCertificate (your own CA needs both: its certificate in tls.caCertificate, its key as the secret tlsCaKey)"
        : "tlsCaKey: tls.caCertificate needs its CA's private key as a secret (pulumi config set --secret tlsCaKey < ca.key)",
    );
  if (has("smokeTest") && c.smokeTest.node !== undefined && !nodes.some((n) => n.name === c.smokeTest.node))
    problems.push(`smokeTest.node: no node named "${c.smokeTest.node}"`);

  // Ports: two roles on one node may not listen on the same port. A coordinator that is also a worker is one
  // Trino process, so its port counts once. Only the sections that parsed take part: a bad trino.heap must not
  // hide a collision between Spark and Flink.
  const portsOf = (role: Role) => (has(roleDef(role).service) ? serviceOf(role).ports(c, role) : []);
  for (const n of withRoles) {
    const i = n.index;
    const used = new Map<number, { what: string; key: string }>();
    // A role that joins another role's process on this node (its service's `joins`) adds no listener of its own.
    const roles = n.roles.filter((r) => {
      const joined = serviceOf(r).joins?.[r];
      return !(joined && n.roles.includes(joined));
    });
    for (const role of roles) {
      for (const p of portsOf(role)) {
        const prev = used.get(p.port);
        // The same key twice (one setting, one listener) is no collision; two keys on one port are, whatever
        // their labels say.
        if (prev && prev.key !== p.key)
          problems.push(
            `nodes[${i}] (${n.name ?? "?"}): port ${p.port} is used by both ${prev.what} (${prev.key}) and ${p.what} (${p.key}); change one of them`,
          );
        else if (!prev) used.set(p.port, p);
      }
    }
    // A node's own SSH port (nodes[i].ssh.port): sshd listens on it there. The stack-wide ssh.port is checked
    // below, once per key.
    const sshPort = n.ssh?.port;
    if (sshPort !== undefined && !(has("ssh") && sshPort === c.ssh.port)) {
      const p = used.get(sshPort);
      if (p)
        problems.push(
          `nodes[${i}] (${n.name ?? "?"}): port ${sshPort} is used by both SSH (nodes[${i}].ssh.port) and ${p.what} (${p.key}); change one of them`,
        );
    }
  }

  // A service port may not be SSH's, nor privileged for a service that runs as an unprivileged user.
  const portChecked = new Set<string>();
  for (const role of ROLES) {
    const section = roleDef(role).service;
    const user = has(section) ? serviceOf(role).user(c) : undefined;
    for (const p of portsOf(role)) {
      if (portChecked.has(p.key)) continue;
      portChecked.add(p.key);
      if (has("ssh") && p.port === c.ssh.port)
        problems.push(`${p.key}: ${p.port} is SSH's port (ssh.port): sshd listens on it on every node; choose another port`);
      else if (p.port === 22)
        problems.push(
          `${p.key}: 22 is SSH's port (its standard one, whatever ssh.port says: sshd listens on it unless moved); choose another port`,
        );
      else if (p.port < 1024 && user !== "root")
        problems.push(
          `${p.key}: ${p.port} is below 1024, but ${sectionOf(section).label} runs as the unprivileged user ${user}; choose a port of 1024 or above`,
        );
    }
  }

  // Data dirs: on one node, no directory of one service may repeat or lie inside another's (a DataNode's
  // block dir inside the NameNode's name dir, Trino's data dir inside Spark's work dir, …).
  const dirsOf = DESCRIPTORS.filter((d) => has(d.section.key)).flatMap((d) => d.dirs?.(c) ?? []);
  const norm = normDir;
  const inside = (a: string, b: string) => a !== b && (b === "/" || a.startsWith(`${b}/`));
  // No directory of a service may be a system directory, nor hold one the program manages (host-dirs.ts).
  const managed = managedHostDirs(ok);
  const refused = new Set<string>();
  for (const d of dirsOf) {
    const problem = hostDirProblem(d.key, d.path, managed, DEFAULT_DIRS.get(d.key.replace(/\[\d+\]$/, "")) ?? "/var/lib/<service>/<dir>");
    if (problem) {
      problems.push(problem);
      refused.add(d.key);
    }
  }
  const dirPairs = new Set<string>();
  for (const n of withRoles) {
    const here = dirsOf.filter((d) => d.roles.some((r) => n.roles.includes(r)) && !refused.has(d.key));
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

  // Each service's own cross-field rules, when its section parsed.
  for (const d of DESCRIPTORS.filter((x) => has(x.section.key)))
    problems.push(...(d.rules?.({ c, has, nodes, hostDirProblem: ownHostDirProblem(d, c, has) }) ?? []));

  // JDKs: every service names a JDK that is configured and that its version runs on (each section that parsed).
  if (has("java")) {
    const onJava = DESCRIPTORS.filter((d) => d.java && has(d.section.key));
    for (const d of onJava) {
      const want = d.java!(c);
      if (!c.java[want])
        problems.push(`${d.section.key}.java: no JDK "${want}" under java (configured: ${Object.keys(c.java).join(", ") || "none"})`);
    }
    if (artifacts) problems.push(...javaProblems(Object.fromEntries(onJava.map((d) => [d.section.key, { java: d.java!(c) }])), artifacts));
  }
  // Releases known not to work with the rest of the stack (each service's releases' `compat`).
  if (artifacts) problems.push(...releaseProblems(artifacts));

  if (problems.length) throw new ConfigError(problems);
  // Every section passed on its own and together: the whole parse cannot fail now.
  const full = configSchema.parse(input);
  Object.assign(c, full);

  const secretsGiven = Object.fromEntries(SECRET_KEYS.map((k) => [k, c[k] !== undefined])) as Record<SecretKey, boolean>;
  // Every secret key leaves, from the one list: a secret added to SECRET_KEYS is stripped without another edit.
  const secret = new Set<string>(SECRET_KEYS);
  const rest = Object.fromEntries(Object.entries(c).filter(([k]) => !secret.has(k))) as Omit<Parsed, SecretKey>;
  return { ...rest, artifacts: artifacts!, secretsGiven };
}

/**
 * A service's RuleContext.hostDirProblem: a directory one of its keys configures, checked against the directories
 * the program manages (those that depend on the config from its own section and the JDKs'), except itself.
 */
function ownHostDirProblem(d: ServiceDescriptor, c: Parsed, has: (...keys: Array<keyof Parsed>) => boolean): RuleContext["hostDirProblem"] {
  return (key, dir, example) => {
    const own: Partial<Parsed> = { [d.section.key]: c[d.section.key], java: has("java") ? c.java : undefined };
    const managed = managedHostDirs(own).filter((m) => m.path !== normDir(dir));
    return hostDirProblem(key, dir, managed, example);
  };
}

/**
 * Each dir key's default (`hdfs.nameDirs` → /var/lib/hadoop-hdfs/name), from the sections' own defaults: what a
 * message suggests instead of a directory it refuses.
 */
const DEFAULT_DIRS: ReadonlyMap<string, string> = new Map(
  DESCRIPTORS.flatMap((d) => d.dirs?.({ [d.section.key]: d.section.schema.parse(undefined) } as never) ?? []).map(
    (d) => [d.key.replace(/\[\d+\]$/, ""), d.path] as const,
  ),
);
