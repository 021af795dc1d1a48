/**
 * What every renderer shares: the rendered-file record, the secrets a renderer may be given, the header every
 * managed file carries, and the helpers that make a file and a secret-bearing file (an instance's systemd unit:
 * config-templates/process.ts).
 */
import type { ClusterConfig, RenderedSecretName, SecretValue } from "../lib/config";
import type { Plan, ServicePlan } from "../lib/model";
import { type FileFormat, keyedHash } from "../lib/review";

export interface RenderedFile {
  /** Absolute path on the host. */
  path: string;
  /** Ends with a newline (an empty file is ""). */
  content: string;
  /** "0644", "0600" (secret-bearing: its service user only), "0755" for scripts. */
  mode: string;
  owner: string;
  group: string;
  /** The content holds a secret value. */
  secret: boolean;
  /** Its key/value format where its name does not tell (spark-defaults.conf: Java properties), for the review. */
  format?: FileFormat;
}

/**
 * The secrets the renderers get: every one declared `rendered` (the cluster's in lib/config/secrets.ts, each
 * service's in services/<name>/config.ts), "" for one the config does not need (Spark's without its
 * authentication); a GeneratedPasswords secret as its members' passwords (Trino's users and the health-check user).
 */
export type Secrets = { [N in RenderedSecretName]: SecretValue<N> };

/** A keystore's password, derived from the stack's random key for `purpose` (no secret of its own to set). */
export const storePassword = (secrets: Pick<Secrets, "hashKey">, purpose: string): string =>
  keyedHash(secrets.hashKey, purpose).slice(0, 40);

export const HEADER = "Managed by lakehouse-iac: changes here are overwritten on the next apply.";
export const logDirOf = (user: string) => `/var/log/lakehouse/${user}`;

export const file = (c: ClusterConfig, path: string, content: string, extra: Partial<RenderedFile> = {}): RenderedFile => ({
  path,
  content,
  mode: "0644",
  owner: "root",
  group: c.serviceGroup,
  secret: false,
  ...extra,
});
/**
 * A file holding a secret: readable by its service user only. Not by the service group: every engine's user
 * is in it, and the trino, spark and flink users have no business reading the metastore's database password.
 */
export const secretFile = (c: ClusterConfig, s: ServicePlan | { user: string }, path: string, content: string): RenderedFile =>
  file(c, path, content, { mode: "0600", owner: s.user, secret: true });

export function service(plan: Plan, kind: ServicePlan["kind"]): ServicePlan {
  const s = plan.services.find((x) => x.kind === kind);
  if (!s) throw new Error(`internal: the plan has no ${kind}`);
  return s;
}
