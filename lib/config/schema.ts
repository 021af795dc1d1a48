/**
 * The stack's schema: one zod section per `lakehouse:*` key, with its defaults and documentation, and the secret
 * fields. Each service's own section, roles, override files and secrets are declared in services/<name>/config.ts
 * and assembled here from services/sections.ts (the secrets through secrets.ts); this file holds the cluster-wide
 * sections.
 */
import { z } from "zod";
import { ROLES, SECTION_SHAPES } from "../../services/sections";
import { absPath, debPackage, heap, hostnameLabel, ipv4, nodeAddressProblem, port, sshPublicKey, stringish, userName } from "./primitives";
import { ArtifactConfig, ArtifactName, artifactsSchema, DEFAULT_JDKS, javaMajor, JdkConfig, jdkSchema } from "./artifacts";
import { SECRET_SHAPES, type SecretKey } from "./secrets";

export const PROJECT = "lakehouse";

export { ROLES, SINGLETON_ROLES } from "../../services/sections";
export type { Role } from "../../services/sections";

// The secrets: the cluster's declared in secrets.ts, each service's in its folder (services/secret.ts).
export { SECRET_KEYS } from "./secrets";
export type { SecretKey } from "./secrets";

export const sshSchema = z
  .strictObject({
    user: userName.default("root"),
    port: port.default(22),
    /** How many times a dial may fail before the command fails (the provider's default, 10, can hang a run). */
    dialErrorLimit: z.number().int().min(1).max(100).default(5),
    /** Seconds per dial attempt. */
    perDialTimeout: z.number().int().min(1).max(300).default(10),
    /** When true, every node must pin its SSH host key (`nodes[i].hostKey`). */
    requireHostKey: z.boolean().default(false),
  })
  .prefault({});

export const nodeSchema = z.strictObject({
  name: z.string().regex(hostnameLabel, "expected a lowercase host name such as cpu-node1"),
  /**
   * IPv4 only. The host scripts compare addresses (dfs.hosts and the decommission wait, pg_hba, the health
   * checks' patterns), and nothing resolves names: a DataNode given by name would not be recognised.
   */
  host: z
    .string()
    .regex(
      ipv4,
      "expected an IPv4 address such as 192.168.1.184 (not a DNS name: dfs.hosts, pg_hba and the health checks compare addresses)",
    )
    .superRefine((h, ctx) => {
      // One machine's own address: not loopback, link-local, multicast, broadcast or a reserved range.
      const why = nodeAddressProblem(h);
      if (why) ctx.addIssue({ code: "custom", message: why });
    }),
  roles: z.array(z.enum(ROLES)).min(1, "a node needs at least one role"),
  /** Pinned SSH host key, one authorized_keys-style line: `ssh-ed25519 AAAA…`. */
  hostKey: z.string().regex(sshPublicKey, "expected a public key line such as 'ssh-ed25519 AAAA…'").optional(),
  ssh: z.strictObject({ user: userName.optional(), port: port.optional() }).optional(),
});

const warehouseSchema = z
  .strictObject({
    /** HDFS path under which iceberg/, delta/ and hive/ live. */
    root: absPath
      .refine((p) => p.replace(/\/+$/, "") !== "", "must not be / (give the warehouse its own directory, e.g. /lakehouse)")
      .default("/lakehouse"),
    /** HDFS owner of the warehouse; every engine writes as this user (HADOOP_USER_NAME). */
    owner: userName.default("hive"),
  })
  .prefault({});

/**
 * The cluster's own certificate authority (components/tls.ts): its key is made on `caNode` and never leaves it;
 * each node's key is made on the node, and the CA signs it for the node's address and name. The CA certificate
 * is the stack output `caCertificate`.
 */
const tlsSchema = z
  .strictObject({
    /** Node that holds the CA's private key; default: the first node. Keep it backed up (see the README). */
    caNode: z.string().regex(hostnameLabel, "expected a node name").optional(),
    /** Days the CA certificate is valid (made once: changing this later does not remake it). */
    caDays: z.number().int().min(30).max(36500).default(3650),
    /** Days a node certificate is valid; changing it re-signs every node's certificate. */
    certificateDays: z.number().int().min(1).max(3650).default(825),
    /**
     * Your own CA instead of one the stack makes: its certificate (PEM, public), with its private key as the
     * secret `tlsCaKey` (`pulumi config set --secret tlsCaKey < ca.key`). Installed on `caNode`, which signs each
     * node's certificate with it. Changing it re-signs every node's certificate; the CA it replaces on `caNode` is
     * moved aside, not deleted.
     */
    caCertificate: z
      .string()
      .regex(/^\s*-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\s*$/, "expected one PEM certificate")
      .optional(),
  })
  .prefault({});

/** The cross-engine smoke test (components/scripts/smoke-test.sh): opt-in, its result is the `smokeTest` output. */
const smokeTestSchema = z
  .strictObject({
    /** Run it as part of `pulumi up`, after every service is healthy. */
    enabled: z.boolean().default(false),
    /** Any value: change it (a date, a counter) to run the test again on the next `pulumi up`. */
    run: stringish(z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, "expected 1-64 letters, digits, '.', '_', ':' or '-'")).default("1"),
    /** Schema it creates (and drops afterwards) in the Iceberg catalog; `<schema>_delta` for the Delta table. */
    schema: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,40}$/, "expected a lowercase SQL identifier")
      .default("lakehouse_smoke"),
    /** Node it runs on (needs Spark's and Flink's releases); default: the Spark master's. */
    node: z.string().regex(hostnameLabel, "expected a node name").optional(),
  })
  .prefault({});

/**
 * The host preflight (components/scripts/host-preflight.sh): before anything is installed, each node's facts are
 * read and checked against what the plan puts there. A node that does not fit fails the run, naming the fact and
 * the keys, before any step changes it.
 */
const preflightSchema = z
  .strictObject({
    /** Memory kept for the OS and the processes outside the services' heaps (page cache, sshd, agents). */
    memoryReserve: heap.default("1g"),
    /** Free space each data dir's filesystem must have (MiB). */
    minFreeDiskMiB: z.number().int().min(0).max(10_485_760).default(1024),
    /** The OS releases the hosts may run, as /etc/os-release's `ID:VERSION_ID`. */
    supportedOs: z
      .array(z.string().regex(/^[a-z0-9._-]+:[A-Za-z0-9._-]+$/, "expected ID:VERSION_ID such as debian:12"))
      .min(1)
      .default(["debian:12", "ubuntu:22.04", "ubuntu:24.04"]),
  })
  .prefault({});

export const configSchema = z.strictObject({
  /** Trino `node.environment` and a label for the cluster: lowercase letters, digits, `_`. */
  environment: stringish(z.string().regex(/^[a-z0-9_]+$/, "expected lowercase letters, digits and '_'")),
  /**
   * A production cluster: every node's SSH host key pinned, and the open security mode refused (Kerberos on).
   * Default: true on the stack named `prod` (which cannot turn it off), false elsewhere.
   */
  production: z.boolean(),
  nodes: z.array(nodeSchema).min(1, "at least one node is needed"),
  ssh: sshSchema,
  // Merged over DEFAULT_JDKS: `pulumi config set --path 'java.25.version' …` creates a map with only "25".
  java: z
    .record(javaMajor, jdkSchema)
    .optional()
    .transform((j): Record<string, JdkConfig> => ({ ...DEFAULT_JDKS, ...j })),
  artifacts: artifactsSchema,
  /** Name of the group every service user belongs to (HDFS group of the warehouse; not the HDFS superuser group). */
  serviceGroup: userName.default("hadoop"),
  /** Extra OS packages installed on every node. */
  extraPackages: z.array(debPackage).default([]),
  warehouse: warehouseSchema,
  // One section per service (services/sections.ts): hdfs, postgres, metastore, trino, spark, flink.
  ...SECTION_SHAPES,
  tls: tlsSchema,
  smokeTest: smokeTestSchema,
  preflight: preflightSchema,
  // Secrets (lib/config/secrets.ts): only presence and type are checked here; values stay Pulumi secrets.
  ...SECRET_SHAPES,
});

export type Parsed = z.infer<typeof configSchema>;
export type NodeConfig = Parsed["nodes"][number];
/** The validated configuration, with every default filled in and secret values removed. */
export type ClusterConfig = Omit<Parsed, SecretKey | "artifacts"> & {
  artifacts: Record<ArtifactName, ArtifactConfig>;
  /** Which optional secrets were given (the rest are generated). */
  secretsGiven: Record<SecretKey, boolean>;
};
