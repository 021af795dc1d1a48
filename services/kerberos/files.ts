/**
 * Kerberos's files: /etc/krb5.conf on every node (the realm, its KDCs and admin server), and on the KDC's node
 * kdc.conf and kadm5.acl. MIT's profile format has no library on npm worth the dependency: the values that go
 * into it are all validated by the schema (realm, host:port, durations, enctype names), so nothing here can
 * break a line.
 */
import type { Plan } from "../../lib/model";
import { HEADER, RenderedFile, file } from "../../config-templates/common";

/** Where MIT Kerberos's KDC reads its config (Debian's KRB5_KDC_PROFILE). */
export const KDC_CONF_DIR = "/etc/krb5kdc";
export const KRB5_CONF = "/etc/krb5.conf";

const section = (name: string, lines: string[]) => [`[${name}]`, ...lines.map((l) => `  ${l}`)];

/** /etc/krb5.conf: every client here (kinit, kadmin, the JDKs' Kerberos) reads it. */
export function krb5Conf(plan: Plan): string {
  const k = plan.config.kerberos;
  // The realm's addresses, as the descriptor planned them (the deployed KDC's or the external realm's).
  const realm = plan.endpoints.kerberos;
  if (!realm) throw new Error("internal: krb5.conf rendered without kerberos.enabled");
  const { kdcs, adminServer } = realm;
  const enctypes = k.encryptionTypes.join(" ");
  return [
    `# ${HEADER}`,
    ...section("libdefaults", [
      `default_realm = ${k.realm}`,
      // Addresses, not DNS: the cluster's nodes are named by /etc/hosts (components/host.ts), and nothing may
      // turn a principal's host part into another name behind the program's back.
      "dns_lookup_kdc = false",
      "dns_lookup_realm = false",
      "dns_canonicalize_hostname = false",
      "rdns = false",
      // TCP always: tickets with many groups outgrow a UDP datagram.
      "udp_preference_limit = 1",
      `ticket_lifetime = ${k.ticketLifetime}`,
      `renew_lifetime = ${k.renewLifetime}`,
      "forwardable = true",
      `default_tkt_enctypes = ${enctypes}`,
      `default_tgs_enctypes = ${enctypes}`,
      `permitted_enctypes = ${enctypes}`,
    ]),
    ...section("realms", [`${k.realm} = {`, ...kdcs.map((x) => `  kdc = ${x}`), `  admin_server = ${adminServer}`, "}"]),
    "",
  ].join("\n");
}

/** kdc.conf: the KDC's and kadmind's own config (on the kdc node only). */
export function kdcConf(plan: Plan): string {
  const k = plan.config.kerberos;
  return [
    `# ${HEADER}`,
    ...section("kdcdefaults", [`kdc_ports = ${k.kdcPort}`, `kdc_tcp_ports = ${k.kdcPort}`]),
    ...section("realms", [
      `${k.realm} = {`,
      `  database_name = ${k.databaseDir}/principal`,
      // The stash (the database's master key) beside the database: one directory to back up.
      `  key_stash_file = ${k.databaseDir}/.k5.${k.realm}`,
      `  acl_file = ${KDC_CONF_DIR}/kadm5.acl`,
      `  kadmind_port = ${k.adminPort}`,
      `  kpasswd_port = ${k.kpasswdPort}`,
      `  max_life = ${k.ticketLifetime}`,
      `  max_renewable_life = ${k.renewLifetime}`,
      `  master_key_type = ${k.encryptionTypes[0]}`,
      `  supported_enctypes = ${k.encryptionTypes.map((e) => `${e}:normal`).join(" ")}`,
      "}",
    ]),
    "",
  ].join("\n");
}

/** kadm5.acl: the admin principal may do everything but extract existing keys. */
export const kadmAcl = (plan: Plan): string => `# ${HEADER}\n${plan.config.kerberos.adminPrincipal}@${plan.config.kerberos.realm} *\n`;

/**
 * A drop-in for one of Debian's units: the daemon on this realm (not krb5.conf's default, which the package
 * sets to its example realm until the node's own is written) and allowed to write the database directory
 * (the units make everything else read-only, and kerberos.databaseDir may be elsewhere than Debian's).
 */
export function kdcDropIn(plan: Plan, unit: string, exec: string[]): string {
  const k = plan.config.kerberos;
  return [
    `# ${HEADER}`,
    "[Service]",
    "ExecStart=",
    `ExecStart=${[...exec, "-r", k.realm].join(" ")}`,
    `ReadWritePaths=${k.databaseDir}`,
    "",
  ].join("\n");
}

/** The KDC node's own files (kdc.conf, kadm5.acl, the units' drop-ins): root's alone. */
export function kdcFiles(plan: Plan): RenderedFile[] {
  const c = plan.config;
  const dropIn = (unit: string, exec: string[]) =>
    file(c, `/etc/systemd/system/${unit}.service.d/lakehouse.conf`, kdcDropIn(plan, unit, exec), { group: "root" });
  return [
    file(c, `${KDC_CONF_DIR}/kdc.conf`, kdcConf(plan), { group: "root", mode: "0600" }),
    file(c, `${KDC_CONF_DIR}/kadm5.acl`, kadmAcl(plan), { group: "root", mode: "0600" }),
    dropIn("krb5-kdc", ["/usr/sbin/krb5kdc", "-P", "/var/run/krb5-kdc.pid"]),
    dropIn("krb5-admin-server", ["/usr/sbin/kadmind", "-nofork"]),
  ];
}

/** /etc/krb5.conf, world-readable (it holds addresses only). */
export const krb5ConfFile = (plan: Plan): RenderedFile => file(plan.config, KRB5_CONF, krb5Conf(plan), { group: "root" });
