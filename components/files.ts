import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import type { RenderedFile } from "../config-templates";
import { sha256 } from "../lib/hash";
import { HostHandle, runScript } from "./remote";

export interface ConfigFilesArgs {
  host: HostHandle;
  /** Rendered files. */
  files: pulumi.Input<RenderedFile[]>;
  /** Whether any of them holds a secret (known before rendering: it is a property of the template). */
  secret: boolean;
  dependsOn: pulumi.Resource[];
}

/** stdin format of write-files.sh: one line per file, tab-separated, content base64. */
export function serializeFiles(files: RenderedFile[]): string {
  return files
    .map((f) => [f.path, f.mode, f.owner, f.group, Buffer.from(f.content, "utf8").toString("base64")].join("\t"))
    .join("\n")
    .concat("\n");
}

/** Hash of a file set: any change to a path, mode, owner or content restarts the service that reads it. */
export function filesHash(files: RenderedFile[]): string {
  return sha256(...files.flatMap((f) => [f.path, f.mode, f.owner, f.group, f.content]));
}

/**
 * Writes a set of rendered files on a host, atomically and only where content differs. Content always travels
 * through stdin; when a file holds a secret, stdin is a secret and the command logs nothing.
 * `restartHash` is a content hash (not secret: a SHA-256 does not reveal the content).
 */
export class ConfigFiles extends pulumi.ComponentResource {
  readonly written: command.remote.Command;
  readonly restartHash: pulumi.Output<string>;

  constructor(name: string, args: ConfigFilesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:index:ConfigFiles", name, {}, opts);
    const files = pulumi.output(args.files);
    // A file set with no secret in it is shown in previews; one with a secret is hidden as a whole.
    const stdin = files.apply(serializeFiles);
    this.restartHash = pulumi.unsecret(files.apply(filesHash));
    this.written = runScript(
      `${name}-write`,
      { host: args.host, script: "write-files.sh", args: [], stdin, secretStdin: args.secret },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.registerOutputs({ paths: pulumi.unsecret(files.apply((fs) => fs.map((f) => f.path))) });
  }
}
