/**
 * The stack's schema: one zod section per `lakehouse:*` key, with its defaults and documentation, the roles,
 * the secret keys, and the files each section renders (which its overrides may name).
 */
import { z } from "zod";
import { absPath, debPackage, heap, hostnameLabel, ipv4, overridesFor, port, sshPublicKey, stringish, userName } from "./primitives";
import { ArtifactConfig, ArtifactName, artifactsSchema, DEFAULT_JDKS, javaKey, javaMajor, JdkConfig, jdkSchema } from "./artifacts";

export const PROJECT = "lakehouse";

export const ROLES = [
  "namenode",
  "datanode",
  "postgres",
  "metastore",
  "trino-coordinator",
  "trino-worker",
  "spark-master",
  "spark-worker",
  "flink-jobmanager",
  "flink-taskmanager",
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that exist exactly once in a cluster. */
export const SINGLETON_ROLES: readonly Role[] = [
  "namenode",
  "postgres",
  "metastore",
  "trino-coordinator",
  "spark-master",
  "flink-jobmanager",
];

/** Keys whose values are credentials: they must be set with `pulumi config set --secret`. */
export const SECRET_KEYS = [
  "sshPrivateKey",
  "sshPrivateKeyPassword",
  "postgresPassword",
  "trinoSharedSecret",
  "sparkAuthSecret",
  "metastoreKeystorePassword",
] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];

const DEFAULT_FS = "it is hdfs://<namenode host>:<hdfs.nameNodeRpcPort>: use hdfs.nameNodeRpcPort (and the namenode role)";
const METASTORE_URI = "use metastore.port (the host is the metastore node's)";
const HDFS_OWNED: Partial<Record<(typeof HDFS_FILES)[number], Record<string, string>>> = {
  "core-site.xml": { "fs.defaultFS": DEFAULT_FS },
  "hdfs-site.xml": {
    "fs.defaultFS": DEFAULT_FS,
    "dfs.namenode.name.dir": "use hdfs.nameDirs",
    "dfs.datanode.data.dir": "use hdfs.dataDirs",
    "dfs.namenode.rpc-address": "use hdfs.nameNodeRpcPort",
    "dfs.namenode.http-address": "use hdfs.nameNodeHttpPort",
    "dfs.datanode.address": "use hdfs.dataNodePort",
    "dfs.datanode.http.address": "use hdfs.dataNodeHttpPort",
    "dfs.datanode.ipc.address": "use hdfs.dataNodeIpcPort",
    "dfs.hosts": "the membership step writes it from the nodes with role datanode",
    "dfs.hosts.exclude": "the membership step writes it from the nodes with role datanode",
    "dfs.permissions.superusergroup": "use hdfs.adminGroup (a group of its own: every member is an HDFS superuser)",
  },
};
const METASTORE_OWNED: Partial<Record<(typeof METASTORE_FILES)[number], Record<string, string>>> = {
  "hive-site.xml": {
    "javax.jdo.option.ConnectionURL": "it is the PostgreSQL node's JDBC URL: use postgres.port and postgres.database",
    "javax.jdo.option.ConnectionUserName": "use postgres.user",
    "javax.jdo.option.ConnectionPassword": "use the secret postgresPassword (pulumi config set --secret postgresPassword)",
    "metastore.thrift.uris": METASTORE_URI,
    "hive.metastore.uris": METASTORE_URI,
    "fs.defaultFS": DEFAULT_FS,
  },
};
const TRINO_OWNED: Partial<Record<(typeof TRINO_FILES)[number], Record<string, string>>> = {
  "config.properties": {
    coordinator: "it follows the node's roles (trino-coordinator)",
    "node-scheduler.include-coordinator": "it follows the node's roles (trino-worker on the coordinator)",
    "http-server.http.port": "use trino.httpPort",
    "discovery.uri": "it is the coordinator's http://<host>:<trino.httpPort>: use trino.httpPort",
    "query.max-memory-per-node": "use trino.queryMaxMemoryPerNode (checked against trino.heap)",
    "internal-communication.shared-secret": "use the secret trinoSharedSecret (pulumi config set --secret trinoSharedSecret)",
  },
  "node.properties": {
    "node.id": "it is <environment>-<node name>, unique per node",
    "node.environment": "use environment",
    "node.data-dir": "use trino.dataDir",
    "node.internal-address": "use nodes[i].host",
  },
};

export const HDFS_FILES = ["core-site.xml", "hdfs-site.xml"] as const;
export const METASTORE_FILES = ["hive-site.xml"] as const;
export const TRINO_FILES = ["config.properties", "node.properties", "iceberg.properties", "delta.properties", "hive.properties"] as const;
export const SPARK_FILES = ["spark-defaults.conf"] as const;
export const FLINK_FILES = ["config.yaml"] as const;

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
    ),
  roles: z.array(z.enum(ROLES)).min(1, "a node needs at least one role"),
  /** Pinned SSH host key, one authorized_keys-style line: `ssh-ed25519 AAAA…`. */
  hostKey: z.string().regex(sshPublicKey, "expected a public key line such as 'ssh-ed25519 AAAA…'").optional(),
  ssh: z.strictObject({ user: userName.optional(), port: port.optional() }).optional(),
});

const hdfsSchema = z
  .strictObject({
    nameNodeRpcPort: port.default(8020),
    nameNodeHttpPort: port.default(9870),
    dataNodePort: port.default(9866),
    dataNodeHttpPort: port.default(9864),
    dataNodeIpcPort: port.default(9867),
    replication: z.number().int().min(1).max(16).default(3),
    nameDirs: z.array(absPath).min(1).default(["/var/lib/hadoop-hdfs/name"]),
    dataDirs: z.array(absPath).min(1).default(["/var/lib/hadoop-hdfs/data"]),
    /** Cluster ID given to `hdfs namenode -format`; defaults to `lakehouse-<environment>`. */
    clusterId: stringish(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)).optional(),
    nameNodeHeap: heap.default("1g"),
    dataNodeHeap: heap.default("1g"),
    user: userName.default("hdfs"),
    /**
     * The HDFS superuser group (`dfs.permissions.superusergroup`): every member may do anything on HDFS. Only
     * the HDFS user is put in it; add an operator's account to make them an HDFS admin. It must not be
     * `serviceGroup`, which every engine's user is in.
     */
    adminGroup: userName.default("hdfsadmin"),
    java: javaKey.default("17"),
    /** How long removing a DataNode may wait for its decommissioning (its blocks re-replicated elsewhere). */
    decommissionTimeoutMinutes: z.number().int().min(1).max(1440).default(120),
    overrides: overridesFor(HDFS_FILES, HDFS_OWNED),
  })
  .prefault({});

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

const postgresSchema = z
  .strictObject({
    port: port.default(5432),
    database: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/)
      .default("metastore"),
    user: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/)
      .default("hive"),
    /** The OS package of the server (Debian's `postgresql` follows the release's default version). */
    package: debPackage.default("postgresql"),
    /**
     * TLS for every network client: `hostssl` lines in pg_hba (a client that does not encrypt is refused), the
     * server on its node's certificate from the cluster CA, and the metastore's JDBC URL with
     * `sslmode=verify-full` against that CA (the server's address must be in its certificate).
     */
    ssl: z.boolean().default(true),
  })
  .prefault({});

const metastoreSchema = z
  .strictObject({
    port: port.default(9083),
    heap: heap.default("1g"),
    /** datanucleus.connectionPool.maxActive */
    maxConnections: z.number().int().min(1).max(1000).default(10),
    /** hive.metastore.server.max.threads */
    serverMaxThreads: z.number().int().min(1).max(10000).default(200),
    user: userName.default("hive"),
    java: javaKey.default("17"),
    security: z
      .strictObject({
        /** hive.metastore.sasl.enabled: Kerberos (SASL) on the Thrift endpoint. Needs principal and keytab. */
        sasl: z.boolean().default(false),
        kerberosPrincipal: z.string().optional(),
        kerberosKeytab: absPath.optional(),
        /** hive.metastore.use.SSL: TLS on the Thrift endpoint; the keystore password is the secret `metastoreKeystorePassword`. */
        ssl: z.boolean().default(false),
        keystorePath: absPath.optional(),
      })
      .prefault({}),
    overrides: overridesFor(METASTORE_FILES, METASTORE_OWNED),
  })
  .prefault({});

const trinoMemory = z.string().regex(/^\d+(MB|GB|TB)$/, "expected a Trino data size such as 512MB or 2GB");

/**
 * A role group of Trino workers, as Stackable's operators have them: some nodes with settings of their own.
 * Precedence, lowest first: the program's defaults, the cluster-level trino.* (heap, queryMaxMemoryPerNode,
 * overrides), then the group's (its overrides merged key by key over trino.overrides, file by file).
 */
const trinoWorkerGroupSchema = z.strictObject({
  /** Nodes with role trino-worker; a node belongs to at most one group. */
  nodes: z.array(z.string().regex(hostnameLabel, "expected a node name")).min(1, "a group needs at least one node"),
  heap: heap.optional(),
  queryMaxMemoryPerNode: trinoMemory.optional(),
  overrides: overridesFor(TRINO_FILES, TRINO_OWNED),
});

const trinoSchema = z
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
    /** Role groups of workers by name, e.g. `{ big: { nodes: ["worker-node4"], heap: "16g" } }`; default none. */
    workerGroups: z
      .record(z.string(), trinoWorkerGroupSchema)
      .superRefine((groups, ctx) => {
        for (const name of Object.keys(groups))
          if (!/^[a-z][a-z0-9_-]{0,30}$/.test(name))
            ctx.addIssue({
              code: "custom",
              path: [name],
              message: "expected a group name such as big (lowercase letters, digits, '-', '_')",
            });
      })
      .default({}),
  })
  .prefault({});

const sparkSchema = z
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
    user: userName.default("spark"),
    java: javaKey.default("17"),
    /**
     * Spark's own authentication (`spark.authenticate`) with the secret `sparkAuthSecret` (generated unless
     * set), and AES-encrypted RPC (`spark.network.crypto.enabled`): the master, the workers and every driver
     * must hold the secret, so a client that reaches the master's port can no longer run code as the spark user.
     * The secret is in spark-defaults.conf (0600, the spark user's) and the stack output `sparkAuthSecret`.
     */
    authenticate: z.boolean().default(true),
    overrides: overridesFor(SPARK_FILES, {
      "spark-defaults.conf": {
        "spark.hadoop.hive.metastore.uris": METASTORE_URI,
        "spark.authenticate": "use spark.authenticate",
        "spark.authenticate.secret": "use the secret sparkAuthSecret (pulumi config set --secret sparkAuthSecret)",
        "spark.network.crypto.enabled": "it follows spark.authenticate",
        "spark.master.rest.enabled": "the REST submission server stays off: it takes jobs without Spark's authentication",
      },
    }),
  })
  .prefault({});

const flinkSchema = z
  .strictObject({
    /** false: no Flink anywhere (then no node may have a flink-* role). */
    enabled: z.boolean().default(true),
    /** Install flink-sql-connector-hive so Flink's Hive catalog works (artifacts.flinkHive). */
    hiveConnector: z.boolean().default(true),
    rpcPort: port.default(6123),
    restPort: port.default(8081),
    /** Jar upload and run through the REST API and web UI (web.submit.enable): whoever reaches the port runs code as flink. */
    webSubmit: z.boolean().default(false),
    taskSlots: z.number().int().min(1).max(1024).default(2),
    jobManagerMemory: heap.default("1600m"),
    taskManagerMemory: heap.default("2048m"),
    user: userName.default("flink"),
    java: javaKey.default("17"),
    overrides: overridesFor(FLINK_FILES, { "config.yaml": { "fs.default-scheme": DEFAULT_FS } }),
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

export const configSchema = z.strictObject({
  /** Trino `node.environment` and a label for the cluster: lowercase letters, digits, `_`. */
  environment: stringish(z.string().regex(/^[a-z0-9_]+$/, "expected lowercase letters, digits and '_'")),
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
  hdfs: hdfsSchema,
  warehouse: warehouseSchema,
  postgres: postgresSchema,
  metastore: metastoreSchema,
  trino: trinoSchema,
  spark: sparkSchema,
  flink: flinkSchema,
  tls: tlsSchema,
  smokeTest: smokeTestSchema,
  // Secrets: only presence and type are checked here; values stay Pulumi secrets.
  sshPrivateKey: z.string().min(1),
  sshPrivateKeyPassword: z.string().optional(),
  postgresPassword: z.string().min(12, "must be at least 12 characters").optional(),
  trinoSharedSecret: z.string().min(32, "must be at least 32 characters").optional(),
  sparkAuthSecret: z.string().min(32, "must be at least 32 characters").optional(),
  metastoreKeystorePassword: z.string().optional(),
});

export type Parsed = z.infer<typeof configSchema>;
export type NodeConfig = Parsed["nodes"][number];
/** The validated configuration, with every default filled in and secret values removed. */
export type ClusterConfig = Omit<Parsed, SecretKey | "artifacts"> & {
  artifacts: Record<ArtifactName, ArtifactConfig>;
  /** Which optional secrets were given (the rest are generated). */
  secretsGiven: Record<SecretKey, boolean>;
};
