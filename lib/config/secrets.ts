/**
 * The stack's secrets: the cluster's own, declared here, and every service's, declared in its folder (its
 * section's `secrets`, services/<name>/config.ts), as services/secret.ts describes them. Everything else about
 * secrets derives from these declarations: the config schema's secret fields, SECRET_KEYS (so the plain-text
 * refusal and the strip in validateConfig), the `Secrets` the renderers get, and the RandomPasswords and secret
 * stack outputs (components/stages/secrets.ts).
 */
import { z } from "zod";
import type { SecretDecls, SecretValueOf } from "../../services/secret";
import { SERVICE_SECRETS, type ServiceSecrets } from "../../services/sections";

/** The cluster-wide secrets: the SSH key every connection uses, your own CA's key, the stack's hash key. */
export const CLUSTER_SECRETS = {
  sshPrivateKey: {
    config: z.string().min(1),
    generate: false,
    rendered: false,
    output: false,
    rotation:
      "Put the new key's public half in authorized_keys on every node first, then set it (`pulumi config set --secret sshPrivateKey < key`): the next `pulumi up` connects with it.",
  },
  sshPrivateKeyPassword: {
    config: z.string().optional(),
    generate: false,
    rendered: false,
    output: false,
    rotation: "The passphrase of sshPrivateKey: it changes with the key.",
  },
  /** The private key of tls.caCertificate (PEM, unencrypted). */
  tlsCaKey: {
    config: z
      .string()
      .regex(
        /^\s*-----BEGIN (RSA |EC )?PRIVATE KEY-----\n[\s\S]+\n-----END (RSA |EC )?PRIVATE KEY-----\s*$/,
        "expected one unencrypted PEM private key",
      )
      .optional(),
    generate: false,
    rendered: false,
    output: false,
    rotation:
      "Set it with its certificate (tls.caCertificate): the next `pulumi up` installs it on tls.caNode and re-signs every node's certificate; the CA it replaces there is moved aside, not deleted.",
  },
  /**
   * The stack's random key: every file hash (restart hashes, review tags), the keystores' passwords and the salts of
   * the Trino password file's bcrypt hashes derive from it, so a hash is no oracle. No user sets it.
   */
  hashKey: {
    config: false,
    generate: { kind: "password", resource: "file-hash-key", length: 64 },
    rendered: true,
    output: false,
    rotation:
      "No user sets it. Replacing the RandomPassword file-hash-key changes every keyed hash and every keystore password derived from it: files and keystores are rewritten and every service restarts once.",
  },
} as const satisfies SecretDecls;

/** Every declared secret, by name. */
export type SecretDeclarations = typeof CLUSTER_SECRETS & ServiceSecrets;
export type SecretName = keyof SecretDeclarations & string;
export const SECRETS: SecretDeclarations = { ...CLUSTER_SECRETS, ...SERVICE_SECRETS };

/** The secrets a user may set: their config keys. */
export type SecretKey = { [N in SecretName]: SecretDeclarations[N]["config"] extends false ? never : N }[SecretName];
/** The secrets generated when no one set them (every one a user may not set). */
export type GeneratedSecretName = { [N in SecretName]: SecretDeclarations[N]["generate"] extends false ? never : N }[SecretName];
/** The secrets the renderers get. */
export type RenderedSecretName = { [N in SecretName]: SecretDeclarations[N]["rendered"] extends true ? N : never }[SecretName];
/** The secret stack outputs' names, and the secret each is. */
export type SecretOutputs = {
  [N in SecretName as SecretDeclarations[N]["output"] extends { name: infer O extends string } ? O : never]: N;
};
/** A declared secret's value for the stack's code. */
export type SecretValue<N extends SecretName> = SecretValueOf<SecretDeclarations[N]>;

const NAMES = Object.keys(SECRETS) as SecretName[];
/** Keys whose values are credentials: they must be set with `pulumi config set --secret`. */
export const SECRET_KEYS: readonly SecretKey[] = NAMES.filter((n): n is SecretKey => SECRETS[n].config !== false);

/** The config schema's secret fields: each secret's own check, under its key. */
export const SECRET_SHAPES = Object.fromEntries(SECRET_KEYS.map((k) => [k, SECRETS[k].config])) as {
  [K in SecretKey]: Extract<SecretDeclarations[K]["config"], z.ZodType>;
};
