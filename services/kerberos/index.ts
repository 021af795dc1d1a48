/**
 * Kerberos: the cluster's realm (MIT Kerberos from the OS packages). On the `kdc` node the KDC and kadmind run
 * from Debian's own units, over a database created once (KerberosKdc, kerberos-kdc.sh); on every node
 * /etc/krb5.conf and one keytab per service user, holding that user's principals on that node, made there
 * through kadmin with the admin password on stdin (KerberosNode, kerberos-keytabs.sh): no keytab ever passes
 * through Pulumi.
 */
import type { ServiceDescriptor } from "../descriptor";
import { KERBEROS_OUTPUTS, kerberosSecurity, kerberosSecurityMode } from "./outputs";
import { HEALTH_TIMEOUT } from "../health";
import { kerberosSection } from "./config";
import { KDC_CONF_DIR, kdcFiles } from "./files";
import { KERBEROS_TYPES } from "./policy";

/** Debian's units for the KDC and kadmind (both read /etc/krb5kdc/kdc.conf). */
export const KDC_UNIT = "krb5-kdc";
export const KADMIN_UNIT = "krb5-admin-server";

export const kerberos: ServiceDescriptor<"kerberos"> = {
  section: kerberosSection,
  enabled: (c) => c.kerberos.enabled,
  user: () => "root",
  systemUser: true,
  ports: (c, role) =>
    role === "kdc"
      ? [
          { port: c.kerberos.kdcPort, what: "Kerberos KDC", key: "kerberos.kdcPort" },
          { port: c.kerberos.adminPort, what: "Kerberos admin server (kadmind)", key: "kerberos.adminPort" },
          { port: c.kerberos.kpasswdPort, what: "Kerberos password service (kpasswd)", key: "kerberos.kpasswdPort" },
        ]
      : [],
  dirs: (c) => [{ key: "kerberos.databaseDir", path: c.kerberos.databaseDir, roles: ["kdc"], owner: "root", mode: "0700" }],
  managedDirs: (c) => [
    { path: KDC_CONF_DIR, what: "the KDC's configuration" },
    ...(c.kerberos?.enabled ? [{ path: c.kerberos.keytabDir, what: "the services' keytabs (kerberos.keytabDir)" }] : []),
  ],
  rules({ c, has, nodes, hostDirProblem }) {
    if (!has("kerberos")) return [];
    const k = c.kerberos;
    const kdcNodes = nodes.filter((n) => n.roles?.includes("kdc"));
    const out: string[] = [];
    // A production cluster does not run open: no one proves who they are to HDFS, the metastore or the engines.
    if (has("production") && c.production && !k.enabled)
      out.push(
        "kerberos.enabled: a production stack (production: true; the stack prod is one) refuses the open security mode: turn Kerberos on with a node of role kdc, or kerberos.external naming your realm",
      );
    if (!k.enabled) return out;
    // The keytab dir is made with `install -d -m 0755` on every node: never a system directory, nor one that
    // holds a directory the program manages (lib/config/host-dirs.ts).
    const keytabDir = hostDirProblem("kerberos.keytabDir", k.keytabDir, "/etc/security/keytabs");
    if (keytabDir) out.push(keytabDir);
    if (k.external && kdcNodes.length)
      out.push(
        `kerberos.external: the realm is an existing one, so no node may have the kdc role (${kdcNodes.map((n) => `nodes[${n.index}]`).join(", ")})`,
      );
    if (!k.external && !kdcNodes.length)
      out.push(
        "kerberos.enabled: needs a node with the kdc role (the stack deploys the KDC there), or kerberos.external naming an existing realm",
      );
    if (k.external && c.kerberosAdminPassword === undefined)
      out.push(
        `kerberosAdminPassword: kerberos.external needs the password of ${k.adminPrincipal}@${k.realm} (pulumi config set --secret kerberosAdminPassword)`,
      );
    return out;
  },

  packages: (_c, kinds) => (kinds.has("kdc") ? ["krb5-user", "krb5-kdc", "krb5-admin-server"] : ["krb5-user"]),

  instances: (ctx, n) =>
    n.roles.includes("kdc")
      ? [
          {
            kind: "kdc",
            unit: KDC_UNIT,
            user: "root",
            health: { kind: "tcp", host: n.host, port: ctx.c.kerberos.kdcPort, timeoutSec: HEALTH_TIMEOUT.fast },
            after: [],
          },
        ]
      : [],
  endpoints(ctx) {
    const k = ctx.c.kerberos;
    if (k.external) return { kerberos: { realm: k.realm, kdcs: k.external.kdcs, adminServer: k.external.adminServer } };
    const n = ctx.holder("kdc")!;
    return { kerberos: { realm: k.realm, kdcs: [`${n.host}:${k.kdcPort}`], adminServer: `${n.host}:${k.adminPort}` } };
  },

  serviceFiles: (plan) => kdcFiles(plan),

  outputs: KERBEROS_OUTPUTS,
  security: kerberosSecurity,
  securityMode: kerberosSecurityMode,
  types: KERBEROS_TYPES,
  componentType: () => KERBEROS_TYPES.Kdc,
  diagram: { label: (plan) => `Kerberos KDC<br/>${plan.config.kerberos.kdcPort} realm ${plan.config.kerberos.realm}`, cls: "meta" },
};
