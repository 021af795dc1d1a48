/**
 * Kerberos's config section (`lakehouse:kerberos`): the cluster's realm, from MIT Kerberos's OS packages. Either
 * the stack deploys the KDC (a node with the `kdc` role: its database is created once and kept on destroy) or
 * it uses an existing realm (`kerberos.external`: its KDCs and admin server, and an admin credential given as
 * the secret `kerberosAdminPassword`). Either way every node gets /etc/krb5.conf, and each service user on a
 * node a keytab of its own principals (`<primary>/<node name>@<realm>`), made on the node itself through kadmin.
 */
import { z } from "zod";
import { absPath, port } from "../../lib/config/primitives";
import { defineSection } from "../section";
import type { SecretDecls } from "../secret";

/** `host` or `host:port`: a KDC or admin server of an existing realm. */
const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})(:\d{1,5})?$/, "expected a host name or address, optionally with :port (kdc.example.com:88)");

/** Kerberos encryption types the JDKs here (17+) and MIT Kerberos both support; DES and RC4 are not offered. */
export const ENCTYPES = [
  "aes256-cts-hmac-sha1-96",
  "aes128-cts-hmac-sha1-96",
  "aes256-cts-hmac-sha384-192",
  "aes128-cts-hmac-sha256-128",
] as const;

const lifetime = z.string().regex(/^[1-9]\d{0,4}[mhd]$/, "expected a duration such as 10h, 30m or 7d");

export const kerberosSchema = z
  .strictObject({
    /** Deploy the realm's client config and every service's keytab (and the KDC, unless `external`). */
    enabled: z.boolean().default(false),
    /** The realm: upper case by convention (`LAKEHOUSE.LAN`). Made once: changing it later makes a new realm. */
    realm: z
      .string()
      .regex(/^[A-Z0-9]([A-Z0-9.-]{0,62})$/, "expected an upper-case realm name such as LAKEHOUSE.LAN")
      .default("LAKEHOUSE.LAN"),
    /** The principal that makes principals and keytabs (its password: the secret `kerberosAdminPassword`). */
    adminPrincipal: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,31}\/admin$/, "expected <name>/admin, such as lakehouse/admin")
      .default("lakehouse/admin"),
    kdcPort: port.default(88),
    adminPort: port.default(749),
    /** kadmind's password-change service (kpasswd). */
    kpasswdPort: port.default(464),
    ticketLifetime: lifetime.default("24h"),
    renewLifetime: lifetime.default("7d"),
    /** Keys each principal gets, strongest first. */
    encryptionTypes: z.array(z.enum(ENCTYPES)).min(1).default(["aes256-cts-hmac-sha1-96", "aes128-cts-hmac-sha1-96"]),
    /** Where the keytabs live on every node (`<user>.keytab`, mode 0400, owned by the service user). */
    keytabDir: absPath.default("/etc/security/keytabs"),
    /** The KDC's database directory (on the `kdc` node; kept on destroy: it is the realm). */
    databaseDir: absPath.default("/var/lib/krb5kdc"),
    /** An existing realm instead of a KDC of the stack's: then no node has the `kdc` role. */
    external: z
      .strictObject({
        kdcs: z.array(hostPort).min(1, "name at least one KDC"),
        adminServer: hostPort,
      })
      .optional(),
  })
  .prefault({});

type KerberosOf = { kerberos: z.output<typeof kerberosSchema> };

/** Kerberos's secrets: the deployed KDC's master key and the admin principal's password. */
export const kerberosSecrets = {
  /** The deployed KDC's database master key (used once, when the database is made); generated when absent. */
  kerberosMasterPassword: {
    config: z.string().min(12, "must be at least 12 characters").optional(),
    generate: {
      kind: "password",
      resource: "kerberos-master-password",
      length: 48,
      // Only for a KDC the stack deploys (empty without Kerberos or with an external realm).
      needed: (c: KerberosOf) => c.kerberos.enabled && !c.kerberos.external,
    },
    rendered: false,
    output: false,
    rotation:
      "None: it is used once, when kerberos-kdc.sh makes the database; a new value later leaves the existing database and its stash as they are.",
  },
  /** kerberos.adminPrincipal's password: generated for a deployed KDC, required for kerberos.external. */
  kerberosAdminPassword: {
    config: z.string().min(12, "must be at least 12 characters").optional(),
    generate: {
      kind: "password",
      resource: "kerberos-admin-password",
      length: 32,
      needed: (c: KerberosOf) => c.kerberos.enabled,
    },
    rendered: false,
    output: { name: "kerberosAdminPassword" },
    rotation:
      "Set a new one, or replace the RandomPassword kerberos-admin-password: the next `pulumi up` re-runs kerberos-kdc.sh, which sets the admin principal's password to it, and the keytab steps log in with it. With kerberos.external, change it in the realm first.",
  },
} as const satisfies SecretDecls<KerberosOf>;

export const kerberosSection = defineSection({
  key: "kerberos",
  label: "Kerberos",
  roles: [{ name: "kdc", kind: "kdc", singleton: true, required: false }],
  schema: kerberosSchema,
  files: [],
  secrets: kerberosSecrets,
  switchable: true,
});
