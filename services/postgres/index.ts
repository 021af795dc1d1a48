/**
 * PostgreSQL, from the OS package: the metastore's database. Its component (MetastoreDatabase) sets up the
 * server, the database and its user once, over TLS with the node's certificate when `postgres.ssl`.
 */
import { CA_FILE } from "../../lib/model";
import type { ServiceDescriptor } from "../descriptor";
import { POSTGRES_OUTPUTS, postgresSecurity } from "./outputs";
import { HEALTH_TIMEOUT } from "../health";
import { postgresSection } from "./config";
import { POSTGRES_TYPES } from "./policy";

export const postgres: ServiceDescriptor<"postgres"> = {
  section: postgresSection,
  enabled: () => true,
  user: () => "postgres",
  systemUser: true,
  ports: (c) => [{ port: c.postgres.port, what: "PostgreSQL", key: "postgres.port" }],
  // The package's configuration, which the setup step (scripts/postgres-setup.sh) edits.
  managedDirs: () => [{ path: "/etc/postgresql", what: "PostgreSQL's configuration" }],

  instances: (ctx, n) =>
    n.roles.includes("postgres")
      ? [
          {
            kind: "postgres",
            unit: "postgresql",
            user: "postgres",
            health: {
              kind: "command",
              argv: ["pg_isready", "-h", n.host, "-p", String(ctx.c.postgres.port)],
              timeoutSec: HEALTH_TIMEOUT.fast,
            },
            after: [],
          },
        ]
      : [],
  endpoints(ctx) {
    const c = ctx.c;
    const pg = ctx.holder("postgres")!;
    return {
      postgres: {
        host: pg.host,
        port: c.postgres.port,
        database: c.postgres.database,
        sslmode: c.postgres.ssl ? "verify-full" : "disable",
        sslrootcert: CA_FILE,
      },
      postgresJdbcUrl: `jdbc:postgresql://${pg.host}:${c.postgres.port}/${c.postgres.database}${
        c.postgres.ssl ? `?sslmode=verify-full&sslrootcert=${CA_FILE}` : ""
      }`,
    };
  },

  serviceFiles: () => [], // MetastoreDatabase configures the OS package's own unit.

  outputs: POSTGRES_OUTPUTS,
  security: postgresSecurity,
  types: POSTGRES_TYPES,
  componentType: () => POSTGRES_TYPES.MetastoreDatabase,
  diagram: { label: (plan) => `PostgreSQL<br/>${plan.config.postgres.port} db ${plan.config.postgres.database}`, cls: "db" },
};
