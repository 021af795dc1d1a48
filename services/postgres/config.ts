/** PostgreSQL's config section (`lakehouse:postgres`): the metastore's database server, from the OS package. */
import { z } from "zod";
import { debPackage, port } from "../../lib/config/primitives";
import { defineSection } from "../section";

export const postgresSchema = z
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

export const postgresSection = defineSection({
  key: "postgres",
  label: "PostgreSQL",
  roles: [{ name: "postgres", kind: "postgres", singleton: true, required: true }],
  schema: postgresSchema,
  files: [],
  switchable: false,
});
