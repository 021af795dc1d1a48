/** Trino's config section (`lakehouse:trino`), its roles and worker role groups, files and Java range. */
import { z } from "zod";
import { absPath, heap, nonZeroSize, overridesFor, port, userName } from "../../lib/config/primitives";
import { javaKey } from "../../lib/config/primitives";
import { roleGroupsSchema } from "../groups";
import { defineSection } from "../section";
import type { SecretDecls } from "../secret";

/** Trino's configuration on its nodes (the launcher's --etc-dir). */
export const TRINO_CONF = "/etc/trino";
export const TRINO_FILES = ["config.properties", "node.properties", "iceberg.properties", "delta.properties", "hive.properties"] as const;

const TRINO_OWNED: Partial<Record<(typeof TRINO_FILES)[number], Record<string, string>>> = {
  "config.properties": {
    coordinator: "it follows the node's roles (trino-coordinator)",
    "node-scheduler.include-coordinator": "it follows the node's roles (trino-worker on the coordinator)",
    "http-server.http.port": "use trino.httpPort",
    "discovery.uri": "it is the coordinator's http://<host>:<trino.httpPort>: use trino.httpPort",
    "query.max-memory-per-node": "use trino.queryMaxMemoryPerNode (checked against trino.heap)",
    "internal-communication.shared-secret": "use the secret trinoSharedSecret (pulumi config set --secret trinoSharedSecret)",
    "http-server.https.enabled": "use trino.https.enabled",
    "http-server.https.port": "use trino.https.port",
    "http-server.https.keystore.path": "the program makes it from the node's certificate (tls)",
    "http-server.authentication.type": "use trino.authentication",
    "http-server.authentication.allow-insecure-over-http": "passwords never travel over plain HTTP",
  },
  "node.properties": {
    "node.id": "it is <environment>-<node name>, unique per node",
    "node.environment": "use environment",
    "node.data-dir": "use trino.dataDir",
    "node.internal-address": "use nodes[i].host",
  },
};

/** The user the workers' health checks query the coordinator as (system catalog only); no person's name. */
export const TRINO_HEALTH_USER = "lakehouse-health";

/** A Trino user name in the password file: no ':' (the file's separator), no spaces. */
const trinoUser = z
  .string()
  .regex(/^[a-z_][a-z0-9_.-]{0,63}$/, "expected a user name of lowercase letters, digits, '_', '.', '-'")
  .refine((u) => u !== TRINO_HEALTH_USER, `${TRINO_HEALTH_USER} is the program's own health-check user`);

/**
 * Trino's file-based access control rules (rules.json), as Trino documents them: the program checks the shape
 * (lists of rule objects) and adds its own health-check user's rules first; Trino checks the rest when it loads.
 */
const ruleList = z.array(z.record(z.string(), z.unknown())).optional();
const accessRules = z.strictObject({
  catalogs: ruleList,
  schemas: ruleList,
  tables: ruleList,
  system_information: ruleList,
  queries: ruleList,
  impersonation: ruleList,
  principals: ruleList,
  system_session_properties: ruleList,
  catalog_session_properties: ruleList,
  functions: ruleList,
  procedures: ruleList,
  authorization: ruleList,
});

const trinoMemory = nonZeroSize(z.string().regex(/^\d+(MB|GB|TB)$/, "expected a Trino data size such as 512MB or 2GB"), "512MB or 2GB");

/**
 * The least heap Trino is given here. Trino documents no hard minimum, but it refuses to start when
 * query.max-memory-per-node plus memory.heap-headroom-per-node (30% of the heap by default) exceed the heap, and
 * its plugins alone take a few hundred MB: 1g is a conservative floor (the lab runs 1536m).
 */
export const TRINO_MIN_HEAP = 1024 ** 3;

export const trinoSchema = z
  .strictObject({
    /** false: no Trino anywhere (then no node may have a trino-* role). */
    enabled: z.boolean().default(true),
    httpPort: port.default(8080),
    heap: heap.default("8g"),
    queryMaxMemory: trinoMemory.default("8GB"),
    queryMaxMemoryPerNode: trinoMemory.default("2GB"),
    dataDir: absPath.default("/var/lib/trino/data"),
    user: userName.default("trino"),
    java: javaKey.default("17"),
    catalogs: z
      .strictObject({ iceberg: z.boolean().default(true), delta: z.boolean().default(true), hive: z.boolean().default(true) })
      .prefault({}),
    overrides: overridesFor(TRINO_FILES, TRINO_OWNED),
    /**
     * HTTPS for clients on the coordinator (its node's certificate from the cluster CA); the HTTP port stays for
     * the nodes' internal communication, which the shared secret authenticates.
     */
    https: z.strictObject({ enabled: z.boolean().default(true), port: port.default(8443) }).prefault({}),
    /**
     * `password`: every client logs in with a user of `users` and its password (the secret trinoPasswords, or
     * generated: the stack output trinoPasswords), over HTTPS only. `none`: anyone may claim any user name.
     */
    authentication: z.enum(["password", "none"]).default("password"),
    /** The users that may log in (password authentication). */
    users: z.array(trinoUser).min(1).default(["admin"]),
    /**
     * File-based access control rules (Trino's rules.json format: catalogs, schemas, tables, …); default: every
     * user may do everything. The health-check user's rules always come first.
     */
    accessRules: accessRules.optional(),
    /** Role groups of workers by name, e.g. `{ big: { nodes: ["worker-node4"], heap: "16g" } }`; default none. */
    workerGroups: roleGroupsSchema({
      heap: heap.optional(),
      queryMaxMemoryPerNode: trinoMemory.optional(),
      overrides: overridesFor(TRINO_FILES, TRINO_OWNED),
    }),
  })
  .prefault({});

type TrinoOf = { trino: z.output<typeof trinoSchema> };

/** The Trino users with a password: trino.users and the health-check user (none without password authentication). */
export const trinoPasswordUsers = (c: TrinoOf): string[] =>
  c.trino.enabled && c.trino.authentication === "password" ? [...c.trino.users, TRINO_HEALTH_USER] : [];

/** Trino's secrets: the nodes' shared secret and the users' passwords. */
export const trinoSecrets = {
  trinoSharedSecret: {
    config: z.string().min(32, "must be at least 32 characters").optional(),
    generate: { kind: "password", resource: "trino-shared-secret", length: 64 },
    rendered: true,
    output: false,
    rotation:
      "Set a new one, or replace the RandomPassword trino-shared-secret: the next `pulumi up` rewrites every Trino node's config.properties and restarts the nodes one at a time (a node on the old secret and one on the new cannot talk until both have restarted).",
  },
  /** Trino users' passwords as a JSON object, `{"admin": "…"}`; a user of trino.users not in it gets a generated one. */
  trinoPasswords: {
    config: z
      .string()
      .superRefine((v, ctx) => {
        let o: unknown;
        try {
          o = JSON.parse(v);
        } catch {
          ctx.addIssue({ code: "custom", message: 'expected a JSON object of user name to password, such as {"admin": "…"}' });
          return;
        }
        if (typeof o !== "object" || o === null || Array.isArray(o)) {
          ctx.addIssue({ code: "custom", message: 'expected a JSON object of user name to password, such as {"admin": "…"}' });
          return;
        }
        for (const [u, pw] of Object.entries(o))
          if (typeof pw !== "string" || pw.length < 12)
            ctx.addIssue({ code: "custom", path: [u], message: "must be a string of at least 12 characters" });
      })
      .optional(),
    generate: {
      kind: "passwords",
      members: trinoPasswordUsers,
      resource: (u: string) => `trino-password-${u}`,
      length: 32,
      placeholder: (u: string) => `<trino password of ${u}>`,
    },
    rendered: true,
    // trino.users' passwords alone: the health-check user's is the cluster's own.
    output: { name: "trinoPasswords", omit: [TRINO_HEALTH_USER] },
    rotation:
      "Name the user with a new password in the JSON object, or replace the RandomPassword trino-password-<user>: the next `pulumi up` rewrites the coordinator's password file (and, for the health-check user, every Trino node's health-check credentials); the stack output trinoPasswords shows the new ones.",
  },
} as const satisfies SecretDecls<TrinoOf>;

export const trinoSection = defineSection({
  key: "trino",
  label: "Trino",
  roles: [
    { name: "trino-coordinator", kind: "trino", singleton: true, required: true },
    { name: "trino-worker", kind: "trino", singleton: false, required: false },
  ],
  schema: trinoSchema,
  files: TRINO_FILES,
  secrets: trinoSecrets,
  switchable: true,
  java: {
    artifact: "trino",
    rules: [
      { from: "0", to: "436", range: { min: 17, why: "Trino up to 435 runs on Java 17" } },
      { from: "436", to: "447", range: { min: 21, why: "Trino 436-446 need Java 21" } },
      { from: "447", to: "464", range: { min: 22, why: "Trino 447-463 need Java 22" } },
      { from: "464", to: "476", range: { min: 23, why: "Trino 464-475 need Java 23" } },
      { from: "476", to: "479", range: { min: 24, why: "Trino 476-478 need Java 24" } },
      { from: "479", range: { min: 25, why: "Trino 479+ needs Java 25" } },
    ],
  },
});
