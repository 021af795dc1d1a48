/** The Hive Metastore's config section (`lakehouse:metastore`), its role, files and Java range. */
import { z } from "zod";
import { absPath, heap, overridesFor, port, userName } from "../../lib/config/primitives";
import { javaKey } from "../../lib/config/primitives";
import { defineSection, OWNED } from "../section";

/** The metastore's configuration on its node (the Hive release's conf links here). */
export const HIVE_CONF = "/etc/hive/conf";
export const METASTORE_FILES = ["hive-site.xml"] as const;

const METASTORE_OWNED: Partial<Record<(typeof METASTORE_FILES)[number], Record<string, string>>> = {
  "hive-site.xml": {
    "javax.jdo.option.ConnectionURL": "it is the PostgreSQL node's JDBC URL: use postgres.port and postgres.database",
    "javax.jdo.option.ConnectionUserName": "use postgres.user",
    "javax.jdo.option.ConnectionPassword": "use the secret postgresPassword (pulumi config set --secret postgresPassword)",
    "metastore.thrift.uris": OWNED.metastoreUri,
    "hive.metastore.uris": OWNED.metastoreUri,
    "fs.defaultFS": OWNED.defaultFS,
  },
};
export const metastoreSchema = z
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
        /**
         * hive.metastore.use.SSL: TLS on the Thrift endpoint, with a keystore the stack makes on the metastore's node
         * from that node's certificate; Trino, Spark and Flink verify it against the cluster CA. Default: on, unless
         * the endpoint runs SASL (kerberos.enabled or `sasl`), whose own encryption (privacy) serves instead:
         * Spark's built-in Hive client cannot run SASL over TLS, so true is refused there.
         */
        ssl: z.boolean().optional(),
      })
      .prefault({}),
    overrides: overridesFor(METASTORE_FILES, METASTORE_OWNED),
  })
  .prefault({});

export const metastoreSection = defineSection({
  key: "metastore",
  label: "the metastore",
  roles: [{ name: "metastore", kind: "metastore", singleton: true, required: true }],
  schema: metastoreSchema,
  files: METASTORE_FILES,
  secrets: {},
  switchable: false,
  java: {
    artifact: "hive",
    rules: [
      { from: "3.0.0", to: "4.0.0", range: { min: 8, max: 17, why: "Hive metastore 3.1 is built for Java 8 and runs on 17" } },
      { from: "4.0.0", to: "4.2.0", range: { min: 17, why: "Hive 4.0/4.1 need Java 17" } },
      { from: "4.2.0", range: { min: 21, why: "Hive 4.2 needs Java 21" } },
    ],
  },
});
