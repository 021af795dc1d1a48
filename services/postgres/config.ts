/** PostgreSQL's config section (`lakehouse:postgres`): the metastore's database server, from the OS package. */
import { z } from "zod";
import { debPackage, port } from "../../lib/config/primitives";
import { defineSection } from "../section";
import type { SecretDecls } from "../secret";

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

/** PostgreSQL's secret: the metastore role's password. */
export const postgresSecrets = {
  postgresPassword: {
    config: z.string().min(12, "must be at least 12 characters").optional(),
    generate: { kind: "password", resource: "postgres-password", length: 32 },
    rendered: true,
    output: { name: "metastoreDbPassword" },
    rotation:
      "Set a new one (`pulumi config set --secret postgresPassword`), or replace the RandomPassword postgres-password: the next `pulumi up` sets the metastore role's password (postgres-setup.sh, only when it differs) and rewrites hive-site.xml, which restarts the metastore.",
  },
} as const satisfies SecretDecls;

export const postgresSection = defineSection({
  key: "postgres",
  label: "PostgreSQL",
  roles: [{ name: "postgres", kind: "postgres", singleton: true, required: true }],
  schema: postgresSchema,
  files: [],
  secrets: postgresSecrets,
  switchable: false,
});
