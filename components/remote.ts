/**
 * The one way this project runs anything on a host: a fixed script from components/scripts, fed with quoted
 * arguments, secrets only through stdin. Commands that carry stdin log nothing and mark their output secret,
 * because @pulumi/command puts the command text and its output into the error of a failed run.
 */
import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import { readFileSync } from "fs";
import * as path from "path";
import { scriptCommandLine } from "../lib/shell";

export type Connection = command.types.input.remote.ConnectionArgs;

/** What a component needs to run scripts on its node. */
export interface HostHandle {
  name: string;
  connection: pulumi.Input<Connection>;
  /** The SSH user is not root: wrap scripts in `sudo -n`. */
  sudo: boolean;
}

const scriptCache = new Map<string, string>();
export function hostScript(name: string): string {
  let s = scriptCache.get(name);
  if (s === undefined) {
    s = readFileSync(path.join(__dirname, "scripts", name), "utf8");
    scriptCache.set(name, s);
  }
  return s;
}

export interface ScriptArgs {
  host: HostHandle;
  script: string;
  args: pulumi.Input<string>[];
  /** Input for the script on stdin. */
  stdin?: pulumi.Input<string>;
  /** stdin holds a secret: it is wrapped as a secret (otherwise previews show its diff). */
  secretStdin?: boolean;
  /** Run on delete (with the connection stored in state); omitted: delete does nothing on the host. */
  onDelete?: { script: string; args: string[] };
  /** Minutes for create/update (downloads and first starts can be slow). */
  timeoutMinutes?: number;
}

export function runScript(name: string, a: ScriptArgs, opts: pulumi.CustomResourceOptions): command.remote.Command {
  const create = pulumi
    .all(a.args.map((x) => pulumi.output(x)))
    .apply((args) => scriptCommandLine(a.script, hostScript(a.script), args, a.host.sudo));
  const del = a.onDelete ? scriptCommandLine(a.onDelete.script, hostScript(a.onDelete.script), a.onDelete.args, a.host.sudo) : undefined;
  const secret = a.secretStdin === true;
  // stdin is where secrets travel: any command that takes it logs nothing and keeps its output secret
  // (the policy pack enforces the same), whether or not this particular stdin is a secret.
  const silent = a.stdin !== undefined;
  const timeout = `${a.timeoutMinutes ?? 20}m`;
  return new command.remote.Command(
    name,
    {
      connection: a.host.connection,
      create,
      delete: del,
      stdin: a.stdin === undefined ? undefined : secret ? pulumi.secret(a.stdin) : a.stdin,
      logging: silent ? "none" : "stdoutAndStderr",
      // The previous run's stdout in the environment needs AcceptEnv on the server, and may hold secrets.
      addPreviousOutputInEnv: false,
    },
    {
      ...opts,
      additionalSecretOutputs: silent ? ["stdout", "stderr"] : opts.additionalSecretOutputs,
      customTimeouts: { create: timeout, update: timeout, delete: "10m" },
    },
  );
}
