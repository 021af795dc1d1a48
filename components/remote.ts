/**
 * The one way this project runs anything on a host: a fixed host script (components/scripts, or a service's own
 * in services/<name>/scripts; lib/host-scripts.ts), installed on the host once under a content-hashed name (Host's
 * `-scripts` step) and called by that name with quoted arguments; secrets only through stdin. Commands that
 * carry stdin log nothing and mark their output secret, because @pulumi/command puts the command text and its
 * output into the error of a failed run.
 */
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { assembleScript, SCRIPT_NAMES, ScriptCall, ScriptName, ScriptParams, scriptArgs } from "../lib/host-scripts";
import { installedScriptName, scriptCommandLine } from "../lib/shell";

export type Connection = command.types.input.remote.ConnectionArgs;

/** What a component needs to run scripts on its node. */
export interface HostHandle {
  name: string;
  connection: pulumi.Input<Connection>;
  /** The SSH user is not root: wrap scripts in `sudo -n`. */
  sudo: boolean;
  /** The step that installs the host scripts: every script step waits for it. */
  scripts?: pulumi.Resource;
}

/** A host script as installed: its source with the shared prelude and its generated parameter block. */
export function hostScript(name: string): string {
  return assembleScript(name as ScriptName);
}

/** Every host script, as the installer's stdin: `<installed name>\t<base64>` per line (see lib/shell.ts). */
export function hostScriptsBundle(): string {
  return [...SCRIPT_NAMES]
    .sort()
    .map((f) => `${installedScriptName(f, hostScript(f))}\t${Buffer.from(hostScript(f), "utf8").toString("base64")}\n`)
    .join("");
}

/** The command line that calls an installed script, stopped on the host after `timeoutSeconds`. */
export function scriptLine(script: string, args: readonly string[], sudo: boolean, timeoutSeconds: number): string {
  return scriptCommandLine(script, hostScript(script), args, sudo, timeoutSeconds);
}

/** A script and its arguments, made by `hostCall` from named parameters (lib/host-scripts.ts). */
export interface HostCall {
  script: ScriptName;
  args: OrderedArgs;
}
declare const ordered: unique symbol;
/** Arguments in a script's order: only `hostCall` makes them. */
export type OrderedArgs = pulumi.Input<string>[] & { readonly [ordered]: true };

/** A call of a host script (or of one of its commands) with its parameters by name. */
export function hostCall<C extends ScriptCall>(call: C, params: ScriptParams<C, pulumi.Input<string>>): HostCall {
  const { script, args } = scriptArgs(call, params);
  return { script, args: args as OrderedArgs };
}

export interface ScriptArgs extends HostCall {
  host: HostHandle;
  /** Input for the script on stdin. */
  stdin?: pulumi.Input<string>;
  /** stdin holds a secret: it is wrapped as a secret (otherwise previews show its diff). */
  secretStdin?: boolean;
  /** Run on update instead of the create call. */
  onUpdate?: HostCall;
  /** Run on delete (with the connection stored in state); omitted: delete does nothing on the host. */
  onDelete?: HostCall;
  /**
   * Minutes for create/update (downloads and first starts can be slow); default 20. Enforced on the host
   * (the script is stopped, and the step fails, once they are up) as well as by the engine. Deletes get 10.
   */
  timeoutMinutes?: number;
  /** A change of these replaces the step (runs it again), as Command's `triggers`. */
  triggers?: pulumi.Input<unknown[]>;
}

const line = (host: HostHandle, script: string, args: pulumi.Input<string>[], minutes: number) =>
  pulumi.all(args.map((x) => pulumi.output(x))).apply((as) => scriptLine(script, as, host.sudo, minutes * 60));
const DELETE_MINUTES = 10;

export function runScript(name: string, a: ScriptArgs, opts: pulumi.CustomResourceOptions): command.remote.Command {
  const secret = a.secretStdin === true;
  // stdin is where secrets travel: any command that takes it logs nothing and keeps its output secret
  // (the policy pack enforces the same), whether or not this particular stdin is a secret.
  const silent = a.stdin !== undefined;
  const minutes = a.timeoutMinutes ?? 20;
  const dependsOn = [...(a.host.scripts ? [a.host.scripts] : []), ...((opts.dependsOn as pulumi.Resource[] | undefined) ?? [])];
  return new command.remote.Command(
    name,
    {
      connection: a.host.connection,
      create: line(a.host, a.script, a.args, minutes),
      update: a.onUpdate ? line(a.host, a.onUpdate.script, a.onUpdate.args, minutes) : undefined,
      delete: a.onDelete ? line(a.host, a.onDelete.script, a.onDelete.args, DELETE_MINUTES) : undefined,
      stdin: a.stdin === undefined ? undefined : secret ? pulumi.secret(a.stdin) : a.stdin,
      triggers: a.triggers,
      logging: silent ? "none" : "stdoutAndStderr",
      // The previous run's stdout in the environment needs AcceptEnv on the server, and may hold secrets.
      addPreviousOutputInEnv: false,
    },
    {
      ...opts,
      dependsOn,
      additionalSecretOutputs: silent ? ["stdout", "stderr"] : opts.additionalSecretOutputs,
      // The engine's limit a minute beyond the host's, so the host's (which names the cause) ends the step first.
      customTimeouts: { create: `${minutes + 1}m`, update: `${minutes + 1}m`, delete: `${DELETE_MINUTES + 1}m` },
    },
  );
}
