import * as pulumi from "@pulumi/pulumi";
import * as command from "@pulumi/command";
import type { RenderedFile } from "../config-templates";
import { keyedHash, reviewManifest } from "../lib/review";
import { HostHandle, hostCall, runScript } from "./remote";

/** The stack's random key for file hashes (a secret): restart hashes and review tags are HMACs under it. */
export type FileHashKey = pulumi.Output<string>;

export interface ConfigFilesArgs {
  host: HostHandle;
  /** Rendered files. */
  files: pulumi.Input<RenderedFile[]>;
  /** The same files rendered with placeholders for secrets (known without touching a secret). */
  reviewFiles: RenderedFile[];
  /** Whether any of them holds a secret (known before rendering: it is a property of the template). */
  secret: boolean;
  hashKey: FileHashKey;
  dependsOn: pulumi.Resource[];
}

/** stdin format of write-files.sh: one line per file, tab-separated, content base64. */
export function serializeFiles(files: RenderedFile[]): string {
  return files
    .map((f) => [f.path, f.mode, f.owner, f.group, Buffer.from(f.content, "utf8").toString("base64")].join("\t"))
    .join("\n")
    .concat("\n");
}

/**
 * Hash of a file set: any change to a path, mode, owner or content restarts the service that reads it. Keyed
 * (HMAC under the stack's random key), so the hash of a file that holds a password is no oracle for guessing it.
 */
export function filesHash(key: string, files: RenderedFile[]): string {
  return keyedHash(key, ...files.flatMap((f) => [f.path, f.mode, f.owner, f.group, f.content]));
}

/**
 * Converges a named set of rendered files on a host: each written atomically and only where content differs,
 * and what the set held before but no longer renders removed (write-files.sh keeps the set's paths on the host). Content travels
 * through stdin, always as a secret (the base64 would only be noise in a diff). What a reviewer reads is the
 * `-review` step beside it: a command that runs nothing and carries the files' keys and values, secrets
 * masked, as JSON, which `pulumi preview --diff` shows key by key.
 */
export class ConfigFiles extends pulumi.ComponentResource {
  readonly written: command.remote.Command;
  readonly restartHash: pulumi.Output<string>;

  constructor(name: string, args: ConfigFilesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:index:ConfigFiles", name, {}, opts);
    const files = pulumi.output(args.files);
    const stdin = files.apply(serializeFiles);
    // Not secret: a keyed hash reveals nothing of the content.
    this.restartHash = pulumi.unsecret(pulumi.all([args.hashKey, files]).apply(([k, fs]) => filesHash(k, fs)));
    const manifest = pulumi.unsecret(
      pulumi.all([args.hashKey, files]).apply(([k, fs]) => reviewManifest(args.reviewFiles, args.secret ? fs : undefined, k)),
    );
    // Runs nothing (no create, update or delete): it exists for the preview's diff.
    new command.local.Command(`${name}-review`, { stdin: manifest }, { parent: this });
    this.written = runScript(
      `${name}-write`,
      { host: args.host, ...hostCall("write-files.sh", { set_name: name }), stdin, secretStdin: true },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.registerOutputs({ paths: args.reviewFiles.map((f) => f.path) });
  }
}
