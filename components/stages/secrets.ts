/**
 * The secrets stage: every secret of the stack, the user's where set (the stack's secret config), otherwise
 * generated with @pulumi/random (each RandomPassword a child of the Lakehouse, made only when it is needed).
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Secrets } from "../../config-templates";
import type { ClusterConfig, SecretKey } from "../../lib/config";
import { TRINO_HEALTH_USER } from "../../services/trino/config";
import { trinoPasswordUsers } from "./needs";

/** The secrets the user set (the stack's secret config); missing ones are generated. */
export type GivenSecrets = Partial<Record<SecretKey, pulumi.Input<string>>>;

/** What the secrets stage gives the later ones; every value a secret, "" for what the config leaves off. */
export interface StackSecrets {
  postgresPassword: pulumi.Output<string>;
  trinoSharedSecret: pulumi.Output<string>;
  /** Spark's authentication secret; empty when `spark.authenticate` (or Spark) is off. */
  sparkAuthSecret: pulumi.Output<string>;
  /** Every Trino password by user, the health-check user's among them (empty without password authentication). */
  trinoPasswords: pulumi.Output<Record<string, string>>;
  /** trino.users' passwords alone (the health-check user's left out): the stack output `trinoPasswords`. */
  trinoUserPasswords: pulumi.Output<Record<string, string>>;
  /** kerberos.adminPrincipal's password (empty without Kerberos). */
  kerberosAdminPassword: pulumi.Output<string>;
  /** The deployed KDC's master key (empty without Kerberos or with an external realm). */
  kerberosMasterPassword: pulumi.Output<string>;
  /** The key of every file hash (restart hashes, review tags): random per stack, so a hash is no oracle. */
  hashKey: pulumi.Output<string>;
  /** Every secret the renderers get. */
  rendered: pulumi.Output<Secrets>;
}

/** A generated password's value: a RandomPassword named `name`, `length` letters and digits, child of `opts.parent`. */
type Generate = (name: string, length: number) => pulumi.Output<string>;

/** The stack's secrets: the given ones, the rest generated (in this order, each only when the config needs it). */
export function createSecrets(c: ClusterConfig, given: GivenSecrets, opts: pulumi.ComponentResourceOptions): StackSecrets {
  const generate: Generate = (name, length) => new random.RandomPassword(name, { length, special: false }, opts).result;
  const postgresPassword = pulumi.secret(given.postgresPassword ?? generate("postgres-password", 32));
  const trinoSharedSecret = pulumi.secret(given.trinoSharedSecret ?? generate("trino-shared-secret", 64));
  const sparkAuthSecret = pulumi.secret(
    c.spark.enabled && c.spark.authenticate ? (given.sparkAuthSecret ?? generate("spark-auth-secret", 64)) : "",
  );
  const trinoPasswords = trinoPasswordsOf(c, given.trinoPasswords, generate);
  // Kerberos: the admin principal's password (given, or generated) and the deployed KDC's master key.
  const krb = c.kerberos.enabled;
  const kerberosAdminPassword = pulumi.secret(krb ? (given.kerberosAdminPassword ?? generate("kerberos-admin-password", 32)) : "");
  const kerberosMasterPassword = pulumi.secret(
    krb && !c.kerberos.external ? (given.kerberosMasterPassword ?? generate("kerberos-master-password", 48)) : "",
  );
  const hashKey = pulumi.secret(generate("file-hash-key", 64));
  const rendered: pulumi.Output<Secrets> = pulumi
    .all([postgresPassword, trinoSharedSecret, sparkAuthSecret, trinoPasswords, hashKey])
    .apply(([postgresPassword, trinoSharedSecret, sparkAuthSecret, trino, key]) => ({
      postgresPassword,
      trinoSharedSecret,
      sparkAuthSecret,
      trinoPasswords: trino,
      hashKey: key,
    }));
  return {
    postgresPassword,
    trinoSharedSecret,
    sparkAuthSecret,
    trinoPasswords,
    trinoUserPasswords: pulumi.secret(
      trinoPasswords.apply((all) => Object.fromEntries(Object.entries(all).filter(([u]) => u !== TRINO_HEALTH_USER))),
    ),
    kerberosAdminPassword,
    kerberosMasterPassword,
    hashKey,
    rendered,
  };
}

/**
 * Trino users' passwords: the secret trinoPasswords' (a JSON object) where it names the user, else generated (a
 * RandomPassword is made for every user, named or not).
 */
function trinoPasswordsOf(
  c: ClusterConfig,
  givenJson: pulumi.Input<string> | undefined,
  generate: Generate,
): pulumi.Output<Record<string, string>> {
  const given = pulumi.output(givenJson ?? "{}").apply((j) => JSON.parse(j) as Record<string, string>);
  return pulumi.secret(
    pulumi
      .all(
        trinoPasswordUsers(c).map((u) =>
          pulumi
            .all([given, generate(`trino-password-${u}`, 32)])
            .apply(([named, generated]): [string, string] => [u, named[u] ?? generated]),
        ),
      )
      .apply((pairs) => Object.fromEntries(pairs)),
  );
}
