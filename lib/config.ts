/**
 * The stack's configuration: one zod schema for every `lakehouse:*` key, and the cross-field rules that a
 * schema alone cannot express (role counts, port collisions, replication vs DataNodes, Java compatibility).
 *
 * Pure: no Pulumi here. `validateConfig` takes the raw key/value map (as `pulumi config` stores it) and either
 * returns a typed `ClusterConfig` or throws a `ConfigError` that lists every problem with its key path.
 */
import { z } from "zod";
import { javaProblems, metastoreClientProblems } from "./compat";

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
  "metastoreKeystorePassword",
] as const;
export type SecretKey = (typeof SECRET_KEYS)[number];

const hostnameLabel = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const sshPublicKey = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+={0,3}( .*)?$/;
const absPath = z
  .string()
  .regex(/^\/[A-Za-z0-9._\-/]*$/, "expected an absolute path of letters, digits, '.', '_', '-' and '/'")
  .refine((p) => !p.split("/").includes(".."), "must not contain '..'");
const port = z.number().int().min(1).max(65535);
/** JVM heap sizes as in -Xmx: 512m, 4g. */
const heap = z.string().regex(/^[1-9]\d*[mMgG]$/, "expected a JVM size such as 512m or 4g");
const userName = z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, "expected a Linux user or group name");
/**
 * A value that `pulumi config set --path` may store as a number (`trino.java 25`, `artifacts.trino.version
 * 436`, `environment 2024`) but that the program uses as a string: numbers are coerced, then checked.
 */
const stringish = <T extends z.ZodType<string>>(s: T) => z.preprocess((v) => (typeof v === "number" ? String(v) : v), s);
/** A Debian package name as apt takes it: never starting with '-', so a value cannot become an apt option. */
const debPackage = z
  .string()
  .regex(/^[a-z0-9][a-z0-9+.-]+$/, "expected a Debian package name (lowercase letters, digits, '+', '-', '.'; not starting with '-')");
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001F\u007F]/;
const overrideValues = z.record(z.string().min(1), z.union([z.string(), z.number(), z.boolean()]));
/**
 * Per-file overrides: only the files that a section renders are allowed, so a typo fails loudly. Keys and values
 * with a newline or control character are refused here (the renderers would refuse them too, but only after
 * resources exist). `owned` lists, per file, keys the program sets or checks itself, with what to set instead:
 * an override of one of them would silently bypass that check or break what the program relies on.
 */
function overridesFor<const F extends string>(files: readonly F[], owned: Partial<Record<F, Record<string, string>>>) {
  const shape = Object.fromEntries(files.map((f) => [f, overrideValues.optional()])) as {
    [K in F]: z.ZodOptional<typeof overrideValues>;
  };
  const obj = z.strictObject(shape).superRefine((o, ctx) => {
    for (const [file, map] of Object.entries(o) as Array<[F, Record<string, string | number | boolean> | undefined]>) {
      for (const [k, v] of Object.entries(map ?? {})) {
        if (CONTROL_CHARS.test(k)) {
          ctx.addIssue({ code: "custom", path: [file], message: `key ${JSON.stringify(k)} contains a newline or control character` });
          continue;
        }
        if (typeof v === "string" && CONTROL_CHARS.test(v))
          ctx.addIssue({ code: "custom", path: [file, k], message: "contains a newline or control character" });
        const instead = owned[file]?.[k];
        if (instead !== undefined) ctx.addIssue({ code: "custom", path: [file, k], message: `set by the program; ${instead}` });
      }
    }
  });
  return obj.prefault({} as z.input<typeof obj>);
}

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

const sshSchema = z
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

const nodeSchema = z.strictObject({
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

const artifactSchema = z.strictObject({
  version: stringish(z.string().regex(/^[0-9][0-9A-Za-z.\-_+]*$/, "expected a version such as 3.4.1 (JDKs: 25.0.3+9)")),
  /** URL template; `{version}` is replaced by the version. Point it at a mirror if you have one. */
  url: z
    .string()
    .regex(/^(https?|file):\/\/\S+$/, "expected an http(s) URL")
    .optional(),
  /** Pinned SHA-512 of the file (128 hex digits). */
  sha512: z
    .string()
    .regex(/^[0-9a-f]{128}$/, "expected 128 lowercase hex digits")
    .optional(),
  /** URL template of a published checksum file (GNU or BSD style); used when no sha512 is pinned. */
  checksumUrl: z
    .string()
    .regex(/^(https?|file):\/\/\S+$/, "expected an http(s) URL")
    .optional(),
});
export type ArtifactConfig = z.infer<typeof artifactSchema>;

export const ARTIFACTS = [
  "hadoop",
  "hive",
  "postgresJdbc",
  "trino",
  "spark",
  "flink",
  "icebergSpark",
  "deltaSpark",
  "deltaStorage",
  "icebergFlink",
  "flinkHive",
] as const;
export type ArtifactName = (typeof ARTIFACTS)[number];

const APACHE = "https://archive.apache.org/dist";
const CENTRAL = "https://repo1.maven.org/maven2";
/**
 * Defaults. Apache tarballs are checked against the checksum file the ASF publishes beside them; Maven Central
 * artifacts against a SHA-512 pinned here (computed from the files Maven verified against Central's .sha1),
 * except Trino 435 and the Flink 1.20 Hive connector, which this project's build machines could not fetch:
 * those use Central's .sha1 until someone pins them. Pin `sha512` yourself for the strictest setup.
 */
export const DEFAULT_ARTIFACTS: Record<ArtifactName, ArtifactConfig> = {
  hadoop: {
    version: "3.4.1",
    url: `${APACHE}/hadoop/common/hadoop-{version}/hadoop-{version}.tar.gz`,
    checksumUrl: `${APACHE}/hadoop/common/hadoop-{version}/hadoop-{version}.tar.gz.sha512`,
  },
  hive: {
    version: "3.1.3",
    url: `${CENTRAL}/org/apache/hive/hive-standalone-metastore/{version}/hive-standalone-metastore-{version}-bin.tar.gz`,
    sha512:
      "94b9e8c4b9dfdbf1b9c612766907510d03d679ac404adc73980a893e2d3ab49f2ccb7548fe2ba2cd3677c5ba7b2de6fe33713a0e60a2b26967067336376ccf3a",
  },
  postgresJdbc: {
    version: "42.7.8",
    url: `${CENTRAL}/org/postgresql/postgresql/{version}/postgresql-{version}.jar`,
    sha512:
      "3ec6f2186ad9f2cbd7916cc1749b61433137c78c13e13b7583507051733318423505fa61908242f4d02e0d90f7db6eecdb6d573a966773d274bf2c78d976573b",
  },
  trino: {
    version: "435",
    url: `${CENTRAL}/io/trino/trino-server/{version}/trino-server-{version}.tar.gz`,
    checksumUrl: `${CENTRAL}/io/trino/trino-server/{version}/trino-server-{version}.tar.gz.sha1`,
  },
  spark: {
    version: "3.5.7",
    url: `${APACHE}/spark/spark-{version}/spark-{version}-bin-hadoop3.tgz`,
    checksumUrl: `${APACHE}/spark/spark-{version}/spark-{version}-bin-hadoop3.tgz.sha512`,
  },
  flink: {
    version: "1.20.3",
    url: `${APACHE}/flink/flink-{version}/flink-{version}-bin-scala_2.12.tgz`,
    checksumUrl: `${APACHE}/flink/flink-{version}/flink-{version}-bin-scala_2.12.tgz.sha512`,
  },
  icebergSpark: {
    version: "1.10.0",
    url: `${CENTRAL}/org/apache/iceberg/iceberg-spark-runtime-3.5_2.12/{version}/iceberg-spark-runtime-3.5_2.12-{version}.jar`,
    sha512:
      "2ce6c02c8104a8ca2412a261abba7413964677db74ad96d25bd58e25abb7c27cbf94c7dc4cfa33eb12d05a2df04cb0074344983b09abbc43e4a1b4e4abf2b5e1",
  },
  deltaSpark: {
    version: "3.3.2",
    url: `${CENTRAL}/io/delta/delta-spark_2.12/{version}/delta-spark_2.12-{version}.jar`,
    sha512:
      "0599674293c8719f7a90c658e53aec59ac12b0a95f78dc272b91dcdd90fb43df15f6dccf537fa64990295c45b0112b8091b3081ee41dc654f35c2346e65b988b",
  },
  deltaStorage: {
    version: "3.3.2",
    url: `${CENTRAL}/io/delta/delta-storage/{version}/delta-storage-{version}.jar`,
    sha512:
      "2004d9d0eb7634a722a548c718555fdcb70593354df9332ae51691f01faebbaffd92211fac88498d2e90b4b54aa47c56a0e96ba3a8201372d86d805a323e4d01",
  },
  icebergFlink: {
    version: "1.10.0",
    url: `${CENTRAL}/org/apache/iceberg/iceberg-flink-runtime-1.20/{version}/iceberg-flink-runtime-1.20-{version}.jar`,
    sha512:
      "dee0d9a44a9c45ba2bb70a9eadc95eea5c19d18ec2ca368bea5858bbe055bd7572bef23d2abceabfb4bb75d5c6ce35be72fe75513e42ff97df4b73b1f3798036",
  },
  flinkHive: {
    version: "1.20.3",
    url: `${CENTRAL}/org/apache/flink/flink-sql-connector-hive-3.1.3_2.12/{version}/flink-sql-connector-hive-3.1.3_2.12-{version}.jar`,
    checksumUrl: `${CENTRAL}/org/apache/flink/flink-sql-connector-hive-3.1.3_2.12/{version}/flink-sql-connector-hive-3.1.3_2.12-{version}.jar.sha1`,
  },
};

const artifactsSchema = z
  .strictObject(
    Object.fromEntries(ARTIFACTS.map((a) => [a, artifactSchema.partial().optional()])) as {
      [K in ArtifactName]: z.ZodOptional<
        z.ZodObject<{ [P in keyof typeof artifactSchema.shape]: z.ZodOptional<(typeof artifactSchema.shape)[P]> }>
      >;
    },
  )
  .prefault({});

/**
 * A JDK, either an OS package (Debian 12: openjdk-17-jdk-headless) or, for a Java the distribution does not
 * package (Trino 436+ needs 21..25), an archive in Adoptium's layout (one top-level directory) that is
 * downloaded and verified like any other artifact and unpacked to /opt/jdk-<major>/<version>.
 */
const jdkSchema = z
  .strictObject({
    /** The OS package that provides this JDK. */
    package: debPackage.optional(),
    /** Its JAVA_HOME; for an archive it defaults to /opt/jdk-<major>/current. */
    home: absPath.optional(),
    /** Archive: its version (directory name under /opt/jdk-<major>), URL template, checksum. */
    ...artifactSchema.partial().shape,
  })
  .superRefine((j, ctx) => {
    const archive = j.url !== undefined || j.version !== undefined || j.sha512 !== undefined || j.checksumUrl !== undefined;
    if (j.package !== undefined && archive) {
      ctx.addIssue({
        code: "custom",
        path: ["package"],
        message: "give either package (+ home) or an archive (version, url, sha512 or checksumUrl), not both",
      });
    } else if (j.package !== undefined) {
      if (j.home === undefined) ctx.addIssue({ code: "custom", path: ["home"], message: "a packaged JDK needs its home (JAVA_HOME)" });
    } else if (!archive) {
      ctx.addIssue({ code: "custom", path: [], message: "expected package + home, or an archive: version, url, sha512 or checksumUrl" });
    } else {
      for (const k of ["version", "url"] as const)
        if (j[k] === undefined) ctx.addIssue({ code: "custom", path: [k], message: `a JDK archive needs ${k}` });
      if (j.sha512 === undefined && j.checksumUrl === undefined)
        ctx.addIssue({ code: "custom", path: ["sha512"], message: "a JDK archive needs sha512 or checksumUrl" });
    }
  });
export type JdkConfig = z.infer<typeof jdkSchema>;
const javaMajor = z.string().regex(/^\d{1,2}$/, "expected a Java major version such as 17");
const javaKey = stringish(javaMajor);
/** The JDKs every stack has; `java` entries of the stack are merged over these (giving "17" replaces it). */
const DEFAULT_JDKS: Record<string, JdkConfig> = {
  "17": { package: "openjdk-17-jdk-headless", home: "/usr/lib/jvm/java-17-openjdk-amd64" },
};

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

const trinoSchema = z
  .strictObject({
    /** false: no Trino anywhere (then no node may have a trino-* role). */
    enabled: z.boolean().default(true),
    httpPort: port.default(8080),
    heap: heap.default("8g"),
    queryMaxMemory: z
      .string()
      .regex(/^\d+(MB|GB|TB)$/)
      .default("8GB"),
    queryMaxMemoryPerNode: z
      .string()
      .regex(/^\d+(MB|GB|TB)$/)
      .default("2GB"),
    dataDir: absPath.default("/var/lib/trino/data"),
    user: userName.default("trino"),
    java: javaKey.default("17"),
    catalogs: z
      .strictObject({ iceberg: z.boolean().default(true), delta: z.boolean().default(true), hive: z.boolean().default(true) })
      .prefault({}),
    overrides: overridesFor(TRINO_FILES, TRINO_OWNED),
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
    overrides: overridesFor(SPARK_FILES, { "spark-defaults.conf": { "spark.hadoop.hive.metastore.uris": METASTORE_URI } }),
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
    taskSlots: z.number().int().min(1).max(1024).default(2),
    jobManagerMemory: heap.default("1600m"),
    taskManagerMemory: heap.default("2048m"),
    user: userName.default("flink"),
    java: javaKey.default("17"),
    overrides: overridesFor(FLINK_FILES, { "config.yaml": { "fs.default-scheme": DEFAULT_FS } }),
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
  /** Name of the group every service user belongs to (HDFS group of the warehouse). */
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
  smokeTest: smokeTestSchema,
  // Secrets: only presence and type are checked here; values stay Pulumi secrets.
  sshPrivateKey: z.string().min(1),
  sshPrivateKeyPassword: z.string().optional(),
  postgresPassword: z.string().min(12, "must be at least 12 characters").optional(),
  trinoSharedSecret: z.string().min(32, "must be at least 32 characters").optional(),
  metastoreKeystorePassword: z.string().optional(),
});

type Parsed = z.infer<typeof configSchema>;
export type NodeConfig = Parsed["nodes"][number];
/** The validated configuration, with every default filled in and secret values removed. */
export type ClusterConfig = Omit<Parsed, SecretKey | "artifacts"> & {
  artifacts: Record<ArtifactName, ArtifactConfig>;
  /** Which optional secrets were given (the rest are generated). */
  secretsGiven: Record<SecretKey, boolean>;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}); nothing was changed:\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** `nodes[2].host` from ["nodes", 2, "host"]. */
export function keyPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out;
}

function zodProblems(error: z.ZodError, prefix: PropertyKey[] = []): string[] {
  const out: string[] = [];
  for (const issue of error.issues) {
    const p = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      for (const k of issue.keys) out.push(`${keyPath([...p, k])}: unknown key`);
      continue;
    }
    let msg = issue.message;
    if (issue.code === "invalid_type" && /received undefined/.test(msg)) msg = "required";
    out.push(`${keyPath(p) || "(config)"}: ${msg}`);
  }
  return out;
}

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

/**
 * Namespaces a config key may have besides `lakehouse`: Pulumi's own and those of the providers this program
 * creates resources with (package.json: @pulumi/command, @pulumi/random). A key under any other namespace
 * configures nothing here: most likely a misspelt project (`lakehose:trino`, `Lakehouse:hdfs`) or a leftover.
 * Either way it is an error, not silently ignored. A program that starts using another provider adds it here.
 */
export const OTHER_NAMESPACES: readonly string[] = ["pulumi", "command", "random"];

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** Problems with config keys outside `lakehouse:`: see OTHER_NAMESPACES. */
export function namespaceProblems(keys: readonly string[]): string[] {
  const out: string[] = [];
  for (const k of keys) {
    const colon = k.indexOf(":");
    const ns = colon < 0 ? k : k.slice(0, colon);
    if (ns === PROJECT || OTHER_NAMESPACES.includes(ns)) continue;
    const rest = k.slice(colon + 1);
    const hint = editDistance(ns.toLowerCase(), PROJECT) <= 2 ? `; did you mean ${PROJECT}:${rest}?` : "";
    out.push(
      `${k}: unknown config namespace "${ns}"${hint} (this program reads ${PROJECT}:* and allows ${OTHER_NAMESPACES.map((n) => `${n}:*`).join(", ")})`,
    );
  }
  return out;
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

function mergeArtifacts(given: Parsed["artifacts"], problems: string[]): Record<ArtifactName, ArtifactConfig> {
  const out = {} as Record<ArtifactName, ArtifactConfig>;
  for (const name of ARTIFACTS) {
    const def = DEFAULT_ARTIFACTS[name];
    const g = given[name] ?? {};
    // A pinned checksum belongs to one file: when the version or the URL changes, the default pin cannot follow.
    // The default checksum URL template follows the version, but not a URL of the user's (a mirror): whoever
    // names a source names its checksum too.
    const sameFile = (g.version === undefined || g.version === def.version) && g.url === undefined;
    const userChecksum = g.sha512 !== undefined || g.checksumUrl !== undefined;
    const merged: ArtifactConfig = {
      version: g.version ?? def.version,
      url: g.url ?? def.url,
      sha512: userChecksum ? g.sha512 : sameFile ? def.sha512 : undefined,
      checksumUrl: userChecksum ? g.checksumUrl : g.url === undefined ? def.checksumUrl : undefined,
    };
    if (!merged.url) problems.push(`artifacts.${name}: version ${merged.version} has no artifact source: set artifacts.${name}.url`);
    if (!merged.sha512 && !merged.checksumUrl)
      problems.push(
        `artifacts.${name}: no checksum for ${g.url !== undefined ? "the URL given" : "version " + merged.version}: set artifacts.${name}.sha512 (or checksumUrl)`,
      );
    out[name] = merged;
  }
  return out;
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
    metastoreKeystorePassword: _e,
    ...rest
  } = c;
  return { ...rest, artifacts: artifacts!, secretsGiven };
}
