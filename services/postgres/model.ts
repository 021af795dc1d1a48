/**
 * What PostgreSQL adds to the plan's model (lib/model.ts, through TypeScript's module augmentation): the metastore database's address.
 */
import type {} from "../../lib/model";

declare module "../../lib/model" {
  interface Endpoints {
    /** The metastore database, for scripts that connect to it (never parsed back out of the JDBC URL). */
    postgres: { host: string; port: number; database: string; sslmode: "verify-full" | "disable"; sslrootcert: string };
    /** With postgres.ssl, `sslmode=verify-full` against the cluster CA: encrypted, and the server verified. */
    postgresJdbcUrl: string;
  }
}
