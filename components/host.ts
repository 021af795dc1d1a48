import * as pulumi from "@pulumi/pulumi";
import type { ClusterConfig } from "../lib/config";
import type { NodePlan, Plan } from "../lib/model";
import * as command from "@pulumi/command";
import { preflightParams } from "../lib/preflight";
import { scriptInstallerCommand } from "../lib/shell";
import { Connection, HostHandle, hostCall, hostScriptsBundle, runScript } from "./remote";

export interface HostArgs {
  plan: Plan;
  node: NodePlan;
  config: ClusterConfig;
  /** The cluster's superuser group, made on every node, and the service user put in it (lib/plan.ts superuserGroup). */
  superusers: { group: string; user: string };
  privateKey: pulumi.Input<string>;
  privateKeyPassword?: pulumi.Input<string>;
}

/**
 * One machine: its SSH connection (bounded dialing, pinned host key when given), OS preparation (packages,
 * JDKs, service users and group, directories, limits) and the managed /etc/hosts block listing every node.
 * The /etc/hosts block is its own command so that adding a node touches only it on the existing nodes.
 */
export class Host extends pulumi.ComponentResource implements HostHandle {
  readonly name: string;
  readonly connection: pulumi.Output<Connection>;
  readonly sudo: boolean;
  /** The host scripts installed (lib/shell.ts): every other step on this host waits for it. */
  readonly scripts: command.remote.Command;
  /** The host's facts checked against the plan (memory, cores, disk, OS, systemd): host prep waits for it. */
  readonly preflight: command.remote.Command;
  /** OS prepared: packages, users, dirs. */
  readonly prepared: command.remote.Command;
  /** /etc/hosts lists every node. */
  readonly hostsFile: command.remote.Command;

  constructor(name: string, args: HostArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:index:Host", name, {}, opts);
    const { node, config, plan, superusers } = args;
    this.name = node.name;
    this.sudo = node.ssh.user !== "root";
    this.connection = pulumi.secret(
      pulumi.output({
        host: node.host,
        port: node.ssh.port,
        user: node.ssh.user,
        privateKey: args.privateKey,
        privateKeyPassword: args.privateKeyPassword,
        hostKey: node.hostKey,
        dialErrorLimit: config.ssh.dialErrorLimit,
        perDialTimeout: config.ssh.perDialTimeout,
      }),
    ) as pulumi.Output<Connection>;

    // The scripts travel once, on stdin (not secret: they are this repository's files); each later step's
    // command is then a short call by name, so a failed step's error shows the script's own last lines.
    this.scripts = new command.remote.Command(
      `${name}-scripts`,
      {
        connection: this.connection,
        create: scriptInstallerCommand(this.sudo),
        stdin: hostScriptsBundle(),
        logging: "none",
        addPreviousOutputInEnv: false,
      },
      { parent: this, additionalSecretOutputs: ["stdout", "stderr"], customTimeouts: { create: "5m", update: "5m" } },
    );
    // Before anything is installed or made: does this host fit what the plan puts on it?
    this.preflight = runScript(
      `${name}-preflight`,
      { host: this, ...hostCall("host-preflight.sh", preflightParams(plan, node)), timeoutMinutes: 2 },
      { parent: this },
    );
    this.prepared = runScript(
      `${name}-prep`,
      {
        host: this,
        ...hostCall("host-prep.sh", {
          group: config.serviceGroup,
          packages: node.packages.join(","),
          users: node.users.join(","),
          dirs: node.dirs.map((d) => `${d.path}:${d.owner}:${d.mode}`).join(";"),
          admin_group: superusers.group,
          admin_user: superusers.user,
        }),
        timeoutMinutes: 30,
      },
      { parent: this, dependsOn: [this.preflight] },
    );
    this.hostsFile = runScript(
      `${name}-etc-hosts`,
      { host: this, ...hostCall("etc-hosts.sh", { ip_name_pairs: plan.nodes.flatMap((n) => [n.host, n.name]) }) },
      { parent: this },
    );
    this.registerOutputs({ name: node.name, host: node.host, roles: node.roles });
  }
}
