/**
 * What a secret's declaration says, in the folder of the service that needs it (its section's `secrets`, in
 * services/<name>/config.ts) or, for the cluster's own, in lib/config/secrets.ts: its config key and check, how it
 * is generated when no one sets it, whether the renderers get it, whether it is a stack output, how it rotates.
 * One generic mechanism reads the declarations: the config schema's secret fields and SECRET_KEYS (and so the
 * plain-text refusal and the strip in validateConfig), the `Secrets` the renderers get and their stand-ins, the
 * RandomPasswords (components/stages/secrets.ts) and the secret stack outputs (index.ts).
 *
 * Pure, like section.ts: zod's types only.
 */
import type { z } from "zod";

/** One password, a RandomPassword of letters and digits (`special: false`), made only while the config needs it. */
export interface GeneratedPassword<C> {
  readonly kind: "password";
  /** The RandomPassword's name (a child of the Lakehouse): part of its URN, so a new name is a new password. */
  readonly resource: string;
  readonly length: number;
  /** Whether the config needs it; when not, its value is "" and no RandomPassword is made. Default: always. */
  readonly needed?: (c: C) => boolean;
}

/**
 * One password per member (Trino's users), each a RandomPassword of its own (made for every member, named by the
 * user's value or not); the user's value is a JSON object of member → password that may name some of them.
 */
export interface GeneratedPasswords<C> {
  readonly kind: "passwords";
  /** The members, in order; none: the value is {}. */
  readonly members: (c: C) => string[];
  /** A member's RandomPassword's name: part of its URN, so a new name is a new password. */
  readonly resource: (member: string) => string;
  readonly length: number;
  /** A member's stand-in, with which a template's shape is learnt (services/*: its files' paths and modes). */
  readonly placeholder: (member: string) => string;
}

/** A stack output that is the secret's value (a Pulumi secret too), exported by index.ts under `name`. */
export interface SecretOutput {
  readonly name: string;
  /** Members left out of a GeneratedPasswords secret's output (the health check's own user). */
  readonly omit?: readonly string[];
}

interface SecretDeclBase {
  /** How it rotates: what a new value does on the next `pulumi up`, and how to get one. */
  readonly rotation: string;
}

/** A secret only a user gives (`pulumi config set --secret <name>`): never generated, so no renderer gets it. */
export interface GivenSecretDecl extends SecretDeclBase {
  /**
   * Its check under `lakehouse:<name>` (the config errors' messages are its own); `.optional()` unless the stack
   * needs it.
   */
  readonly config: z.ZodType;
  readonly generate: false;
  readonly rendered: false;
  readonly output: false;
}

/** A secret generated when no one set it (or, with `config: false`, always: no user may set it). */
export interface GeneratedSecretDecl<C> extends SecretDeclBase {
  /** Its check under `lakehouse:<name>` (optional: generated when absent), or false: a user may not set it. */
  readonly config: z.ZodType | false;
  readonly generate: GeneratedPassword<C> | GeneratedPasswords<C>;
  /** The renderers get it (`Secrets`, config-templates/common.ts): a config file holds it or a value from it. */
  readonly rendered: boolean;
  readonly output: SecretOutput | false;
}

/** A secret's declaration; `C` is the part of the config its conditions read (its own section). */
export type SecretDecl<C = never> = GivenSecretDecl | GeneratedSecretDecl<C>;

/** Secrets by name (the config key, when a user may set it). */
export type SecretDecls<C = never> = { readonly [name: string]: SecretDecl<C> };

/** The value a declared secret has for the stack's code: a JSON object's members, or one string. */
export type SecretValueOf<D> = D extends { generate: { kind: "passwords" } } ? Record<string, string> : string;
