/**
 * The secrets stage: every declared secret (lib/config/secrets.ts, services/<name>/config.ts) that is generated,
 * the user's where set (the stack's secret config), otherwise made with @pulumi/random (each RandomPassword a
 * child of the Lakehouse, named by its declaration, made only when the config needs it); the renderers' secrets
 * and the secret stack outputs from them. Nothing here names a secret: a new one is declared, not added here.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Secrets } from "../../config-templates";
import { type ClusterConfig, type SecretKey, type SecretName, type SecretOutputs, type SecretValue, SECRETS } from "../../lib/config";
import type { GeneratedPassword, GeneratedPasswords, SecretDecl } from "../../services/secret";
import type { GeneratedSecrets } from "../service-deploy";

export type { GeneratedSecrets };

/** The secrets the user set (the stack's secret config); missing ones are generated. */
export type GivenSecrets = Partial<Record<SecretKey, pulumi.Input<string>>>;

/** The secret stack outputs' values, by output name (index.ts exports each). */
export type SecretOutputValues = { [O in keyof SecretOutputs]: pulumi.Output<SecretValue<SecretOutputs[O]>> };

/** What the secrets stage gives the later ones; every value a secret. */
export type StackSecrets = GeneratedSecrets & {
  /** Every secret the renderers get. */
  rendered: pulumi.Output<Secrets>;
  /** The secret stack outputs. */
  outputs: SecretOutputValues;
};

/** A generated password's value: a RandomPassword named `name`, `length` letters and digits, child of `opts.parent`. */
type Generate = (name: string, length: number) => pulumi.Output<string>;

/** Every declaration, as the generic code reads it (its conditions take the whole config). */
const declarations = (): Array<[SecretName, SecretDecl<ClusterConfig>]> =>
  Object.entries(SECRETS) as Array<[SecretName, SecretDecl<ClusterConfig>]>;

/** The stack's secrets: the given ones, the rest generated (in the declarations' order, each only when needed). */
export function createSecrets(c: ClusterConfig, given: GivenSecrets, opts: pulumi.ComponentResourceOptions): StackSecrets {
  const generate: Generate = (name, length) => new random.RandomPassword(name, { length, special: false }, opts).result;
  const values: Record<string, pulumi.Output<unknown>> = {};
  const rendered: Record<string, pulumi.Output<unknown>> = {};
  const outputs: Record<string, pulumi.Output<unknown>> = {};
  for (const [name, d] of declarations()) {
    if (d.generate === false) continue;
    const mine = d.config === false ? undefined : given[name as SecretKey];
    const value = d.generate.kind === "password" ? password(c, d.generate, mine, generate) : passwords(c, d.generate, mine, generate);
    values[name] = value;
    if (d.rendered) rendered[name] = value;
    if (d.output) {
      const omit = d.output.omit ?? [];
      outputs[d.output.name] = omit.length
        ? pulumi.secret(
            (value as pulumi.Output<Record<string, string>>).apply((all) =>
              Object.fromEntries(Object.entries(all).filter(([m]) => !omit.includes(m))),
            ),
          )
        : value;
    }
  }
  return {
    ...(values as GeneratedSecrets),
    rendered: pulumi.all(rendered) as pulumi.Output<unknown> as pulumi.Output<Secrets>,
    outputs: outputs as SecretOutputValues,
  };
}

/** One password: the given one, else generated; "" when the config does not need it. */
function password(
  c: ClusterConfig,
  g: GeneratedPassword<ClusterConfig>,
  mine: pulumi.Input<string> | undefined,
  generate: Generate,
): pulumi.Output<string> {
  return pulumi.secret((g.needed?.(c) ?? true) ? (mine ?? generate(g.resource, g.length)) : "");
}

/**
 * Passwords per member: the given JSON object's where it names the member, else generated (a RandomPassword is
 * made for every member, named or not).
 */
function passwords(
  c: ClusterConfig,
  g: GeneratedPasswords<ClusterConfig>,
  givenJson: pulumi.Input<string> | undefined,
  generate: Generate,
): pulumi.Output<Record<string, string>> {
  const given = pulumi.output(givenJson ?? "{}").apply((j) => JSON.parse(j) as Record<string, string>);
  return pulumi.secret(
    pulumi
      .all(
        g
          .members(c)
          .map((u) =>
            pulumi
              .all([given, generate(g.resource(u), g.length)])
              .apply(([named, generated]): [string, string] => [u, named[u] ?? generated]),
          ),
      )
      .apply((pairs) => Object.fromEntries(pairs)),
  );
}
