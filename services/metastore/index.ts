/**
 * The Hive Metastore (standalone, Thrift): the one catalog every engine shares, its schema in PostgreSQL. Its
 * component (HiveMetastore) initialises the schema once before the first start.
 */
import * as path from "path";
import { service } from "../../config-templates/common";
import { jdk } from "../../lib/model";
import type { ServiceDescriptor } from "../descriptor";
import { METASTORE_OUTPUTS, metastoreSecurity } from "./outputs";
import { HEALTH_TIMEOUT } from "../health";
import { metastoreSection, HIVE_CONF } from "./config";
import { belowMinimum, JVM_MIN_HEAP } from "../../lib/config/primitives";
import { METASTORE_KEYSTORE, metastoreProcess, metastoreServiceFiles } from "./files";
import { instancePorts } from "../../config-templates/process";
import { METASTORE_TYPES } from "./policy";

export const metastore: ServiceDescriptor<"metastore"> = {
  section: metastoreSection,
  enabled: () => true,
  user: (c) => c.metastore.user,
  java: (c) => c.metastore.java,
  ports: (c) => [{ port: c.metastore.port, what: "Hive metastore Thrift", key: "metastore.port" }],
  rules({ c }) {
    // Security switches that need more than a boolean.
    const problems: string[] = [];
    const low = belowMinimum("metastore.heap", c.metastore.heap, JVM_MIN_HEAP, "the least heap a JVM service is given here");
    if (low) problems.push(low);
    const sec = c.metastore.security;
    if (sec.sasl && (!sec.kerberosPrincipal || !sec.kerberosKeytab))
      problems.push("metastore.security.sasl: needs metastore.security.kerberosPrincipal and metastore.security.kerberosKeytab");
    if (sec.ssl === true && (c.kerberos.enabled || sec.sasl))
      problems.push(
        `metastore.security.ssl: not with ${c.kerberos.enabled ? "kerberos.enabled" : "metastore.security.sasl"}. SASL already encrypts the metastore's Thrift (privacy), and Spark 3.5's built-in Hive client (2.3.9) cannot speak SASL over TLS: every Spark query would fail. Leave metastore.security.ssl unset`,
      );
    return problems;
  },

  instances: (ctx, n) =>
    n.roles.includes("metastore")
      ? [
          {
            kind: "metastore",
            unit: "hive-metastore",
            user: ctx.c.metastore.user,
            artifact: "hive",
            jdk: jdk(ctx.c, ctx.c.metastore.java),
            health: { kind: "tcp", host: n.host, port: ctx.c.metastore.port, timeoutSec: HEALTH_TIMEOUT.jvm },
            after: [ctx.idOf("postgres"), ctx.idOf("namenode"), ...ctx.idsOf("datanode")],
          },
        ]
      : [],
  // psql for the schema step (metastore-schema.sh).
  packages: (_c, kinds) => (kinds.has("metastore") ? ["postgresql-client"] : []),
  releases: { hive: { confDir: HIVE_CONF, confSubdir: "conf" } },
  managedDirs: () => [{ path: path.posix.dirname(METASTORE_KEYSTORE), what: "the metastore's keystore" }],
  jars: () => [{ jar: "postgresJdbc", into: "hive", dir: "lib" }],
  endpoints: (ctx) => ({ metastoreUri: `thrift://${ctx.holder("metastore")!.host}:${ctx.c.metastore.port}` }),

  serviceFiles: metastoreServiceFiles,
  process: (plan, s) => ({ ...metastoreProcess(plan, s), ports: instancePorts(metastore, plan, s) }),

  principals: () => ["hive"],
  needs: (c) => [{ key: "metastore.heap", memory: c.metastore.heap }],
  outputs: METASTORE_OUTPUTS,
  security: metastoreSecurity,
  types: METASTORE_TYPES,
  componentType: () => METASTORE_TYPES.HiveMetastore,
  diagram: {
    label: (plan) => `Hive Metastore<br/>Thrift ${plan.config.metastore.port}`,
    cls: "meta",
    edges: (plan) => [
      { to: service(plan, "postgres"), label: "JDBC" },
      { to: service(plan, "namenode"), label: "warehouse" },
    ],
  },
};
