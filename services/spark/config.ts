/** Spark's config section (`lakehouse:spark`): a standalone master and workers; files and Java range. */
import { z } from "zod";
import { absPath, heap, overridesFor, port, userName } from "../../lib/config/primitives";
import { javaKey } from "../../lib/config/primitives";
import { roleGroupsSchema } from "../groups";
import { defineSection, OWNED } from "../section";
import type { SecretDecls } from "../secret";

/** Spark's configuration on its nodes (the release's conf links here). */
export const SPARK_CONF = "/etc/spark/conf";
export const SPARK_FILES = ["spark-defaults.conf"] as const;

const SPARK_OWNED = {
  "spark-defaults.conf": {
    "spark.hadoop.hive.metastore.uris": OWNED.metastoreUri,
    "spark.authenticate": "use spark.authenticate",
    "spark.authenticate.secret": "use the secret sparkAuthSecret (pulumi config set --secret sparkAuthSecret)",
    "spark.network.crypto.enabled": "it follows spark.authenticate",
    "spark.master.rest.enabled": "the REST submission server stays off: it takes jobs without Spark's authentication",
  },
};

/**
 * What one executor takes of a worker when spark.executor.memory is not overridden: Spark's default (1g). The
 * standalone master places an executor only on a worker that offers at least spark.executor.memory (the
 * overhead, spark.executor.memoryOverhead, is not counted against a standalone worker), so a worker offering
 * less never runs a task: jobs wait with "Initial job has not accepted any resources".
 */
export const SPARK_EXECUTOR_MEMORY_DEFAULT = 1024 ** 3;

export const sparkSchema = z
  .strictObject({
    /** false: no Spark anywhere (then no node may have a spark-* role). */
    enabled: z.boolean().default(true),
    masterPort: port.default(7077),
    /** Spark's own default (8080) collides with Trino; 8090 does not. */
    masterUiPort: port.default(8090),
    /** Spark's own default (8081) collides with Flink's REST port; 8091 does not. */
    workerUiPort: port.default(8091),
    workerPort: port.default(7078),
    workerCores: z.number().int().min(1).max(1024).default(2),
    workerMemory: heap.default("4g"),
    daemonHeap: heap.default("1g"),
    /** Name of the Iceberg catalog over the metastore (the seed's `iceberg_hive`). */
    icebergCatalog: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/)
      .default("iceberg_hive"),
    workDir: absPath.default("/var/lib/spark/work"),
    /**
     * With kerberos.enabled: how often each worker node renews the HDFS token its executors read (Spark's
     * standalone mode gives executors none). The NameNode drops a token a day after its last renewal
     * (dfs.namenode.delegation.token.renew-interval), so this stays well below a day; default 8 h.
     */
    hdfsTokenRenewSeconds: z.number().int().min(300).max(43200).default(28800),
    user: userName.default("spark"),
    java: javaKey.default("17"),
    /**
     * Spark's own authentication (`spark.authenticate`) with the secret `sparkAuthSecret` (generated unless
     * set), and AES-encrypted RPC (`spark.network.crypto.enabled`): the master, the workers and every driver
     * must hold the secret, so a client that reaches the master's port can no longer run code as the spark user.
     * The secret is in spark-defaults.conf (0600, the spark user's) and the stack output `sparkAuthSecret`.
     */
    authenticate: z.boolean().default(true),
    /**
     * Role groups of workers by name, e.g. `{ small: { nodes: ["worker-node3"], workerCores: 1 } }`: a group's
     * settings and spark-defaults.conf overrides apply on its nodes, over spark.*; default none.
     */
    workerGroups: roleGroupsSchema({
      workerCores: z.number().int().min(1).max(1024).optional(),
      workerMemory: heap.optional(),
      overrides: overridesFor(SPARK_FILES, SPARK_OWNED),
    }),
    overrides: overridesFor(SPARK_FILES, SPARK_OWNED),
  })
  .prefault({});

/** Spark's secret: its authentication secret (spark.authenticate). */
export const sparkSecrets = {
  sparkAuthSecret: {
    config: z.string().min(32, "must be at least 32 characters").optional(),
    generate: {
      kind: "password",
      resource: "spark-auth-secret",
      length: 64,
      // Empty when Spark, or its authentication, is off.
      needed: (c) => c.spark.enabled && c.spark.authenticate,
    },
    rendered: true,
    output: { name: "sparkAuthSecret" },
    rotation:
      "Set a new one, or replace the RandomPassword spark-auth-secret: the next `pulumi up` rewrites spark-defaults.conf and restarts the master, then the workers one at a time; drivers outside the cluster need the new value (the stack output sparkAuthSecret).",
  },
} as const satisfies SecretDecls<{ spark: z.output<typeof sparkSchema> }>;

export const sparkSection = defineSection({
  key: "spark",
  label: "Spark",
  roles: [
    { name: "spark-master", kind: "spark-master", singleton: true, required: true },
    { name: "spark-worker", kind: "spark-worker", singleton: false, required: true },
  ],
  schema: sparkSchema,
  files: SPARK_FILES,
  secrets: sparkSecrets,
  switchable: true,
  java: {
    artifact: "spark",
    rules: [
      { from: "3.5.0", to: "4.0.0", range: { min: 8, max: 17, why: "Spark 3.5 runs on Java 8/11/17" } },
      { from: "4.0.0", range: { min: 17, why: "Spark 4 needs Java 17+" } },
    ],
  },
});
