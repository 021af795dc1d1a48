/**
 * Kerberos's Pulumi components: the KDC (database made once, then the KDC and kadmind from Debian's units) and,
 * on each node, /etc/krb5.conf and the service users' keytabs. Plumbing only: what they run comes from the plan
 * and the host scripts.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import type { NodePlan, Plan } from "../../lib/model";
import { HostHandle, hostCall, runScript } from "../../components/remote";
import { ConfigFiles, FileHashKey } from "../../components/files";
import { ServiceComponentArgs, SystemdService } from "../../components/service";
import { HEALTH_TIMEOUT } from "../health";
import { krb5ConfFile } from "./files";
import { KERBEROS_TYPES } from "./policy";
import { KADMIN_UNIT } from "./index";
import { keytabsOf } from "./client";

/** The realm's KDC on its node: the database created once (kerberos-kdc.sh), then the KDC, then kadmind. */
export class KerberosKdc extends pulumi.ComponentResource {
  readonly realm: command.remote.Command;
  /** kadmind answers (keytabs are made through it). */
  readonly healthy: command.remote.Command;
  constructor(
    name: string,
    args: ServiceComponentArgs & { plan: Plan; masterPassword: pulumi.Input<string>; adminPassword: pulumi.Input<string> },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(KERBEROS_TYPES.Kdc, name, {}, opts);
    const k = args.plan.config.kerberos;
    let realm: command.remote.Command | undefined;
    const kdc = new SystemdService(
      name,
      {
        ...args,
        beforeStart: (files) => {
          realm = runScript(
            `${name}-realm`,
            {
              host: args.host,
              ...hostCall("kerberos-kdc.sh", { realm: k.realm, admin_principal: k.adminPrincipal, db_dir: k.databaseDir }),
              stdin: pulumi.all([args.masterPassword, args.adminPassword]).apply(([m, a]) => `${m}\n${a}\n`),
              secretStdin: true,
            },
            // The database is the realm: never deleted, whatever happens to this resource.
            { parent: this, dependsOn: [files, ...args.dependsOn], retainOnDelete: true },
          );
          return [realm];
        },
      },
      { parent: this },
    );
    this.realm = realm!;
    const admin = new SystemdService(
      `${name}-kadmind`,
      {
        ...args,
        service: {
          ...args.service,
          id: `kadmind@${args.service.node}`,
          unit: KADMIN_UNIT,
          health: { kind: "tcp", host: args.service.host, port: k.adminPort, timeoutSec: HEALTH_TIMEOUT.fast },
        },
        files: [],
        reviewFiles: [],
        secretFiles: false,
        // It reads the same kdc.conf: a change restarts it too.
        sharedHashes: [kdc.files.restartHash],
        dependsOn: [kdc.healthy],
      },
      { parent: this },
    );
    this.healthy = admin.healthy;
    this.registerOutputs({ node: args.service.node, realm: k.realm });
  }
}

/** A node's Kerberos client: /etc/krb5.conf, then each service user's keytab (kerberos-keytabs.sh). */
export class KerberosNode extends pulumi.ComponentResource {
  readonly ready: command.remote.Command;
  constructor(
    name: string,
    args: {
      host: HostHandle;
      plan: Plan;
      node: NodePlan;
      hashKey: FileHashKey;
      adminPassword: pulumi.Input<string>;
      /** The host prepared (users, packages) and, for a deployed realm, kadmind answering. */
      dependsOn: pulumi.Resource[];
    },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(KERBEROS_TYPES.Client, name, {}, opts);
    const k = args.plan.config.kerberos;
    const conf = krb5ConfFile(args.plan);
    const files = new ConfigFiles(
      `${name}-krb5`,
      { host: args.host, files: [conf], reviewFiles: [conf], secret: false, hashKey: args.hashKey, dependsOn: args.dependsOn },
      { parent: this },
    );
    const keytabs = keytabsOf(args.plan, args.node);
    this.ready = keytabs.length
      ? runScript(
          `${name}-keytabs`,
          {
            host: args.host,
            ...hostCall("kerberos-keytabs.sh", {
              realm: k.realm,
              admin_principal: k.adminPrincipal,
              dir: k.keytabDir,
              entries: keytabs.map((t) => `${t.user}:${t.principals.join(",")}`),
            }),
            stdin: pulumi.output(args.adminPassword).apply((a) => `${a}\n`),
            secretStdin: true,
          },
          { parent: this, dependsOn: [files, ...args.dependsOn] },
        )
      : files.written;
    this.registerOutputs({ keytabs: keytabs.map((t) => ({ path: t.path, principals: t.principals })) });
  }
}
