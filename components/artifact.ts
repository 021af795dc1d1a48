import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import type { ArtifactConfig } from "../lib/config";
import { HostHandle, runScript } from "./remote";

export type ArtifactArgs =
  | {
      host: HostHandle;
      name: string;
      source: ArtifactConfig;
      kind: "tarball";
      confDir?: string;
      confSubdir?: string;
      dependsOn: pulumi.Resource[];
    }
  | { host: HostHandle; name: string; source: ArtifactConfig; kind: "jar"; destDir: string; dependsOn: pulumi.Resource[] };

export function expand(template: string, version: string): string {
  return template.split("{version}").join(version);
}

/**
 * A release downloaded on the host itself (never pushed through the SSH session), verified against a pinned
 * SHA-512 or the publisher's checksum file, unpacked to /opt/<name>/<version> with /opt/<name>/current
 * pointing at it; or a jar placed into an unpacked release. Deleting it leaves the files (a rollback target).
 */
export class Artifact extends pulumi.ComponentResource {
  readonly installed: command.remote.Command;

  constructor(name: string, args: ArtifactArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:index:Artifact", name, {}, opts);
    const s = args.source;
    const url = expand(s.url ?? "", s.version);
    const common = [args.kind, args.name, s.version, url, s.sha512 ?? "", s.sha512 ? "" : expand(s.checksumUrl ?? "", s.version)];
    const rest = args.kind === "tarball" ? [args.confDir ?? "", args.confSubdir ?? "conf"] : [args.destDir];
    this.installed = runScript(
      `${name}-install`,
      { host: args.host, script: "install-artifact.sh", args: [...common, ...rest], timeoutMinutes: 45 },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.registerOutputs({ name: args.name, version: s.version, url });
  }
}
