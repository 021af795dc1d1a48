import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import type { ArtifactConfig } from "../lib/config";
import { HostHandle, hostCall, runScript } from "./remote";

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
    const source = {
      name: args.name,
      version: s.version,
      url,
      sha512: s.sha512 ?? "",
      checksum_url: s.sha512 ? "" : expand(s.checksumUrl ?? "", s.version),
    };
    const call =
      args.kind === "tarball"
        ? hostCall("install-artifact.sh tarball", { ...source, conf_dir: args.confDir ?? "", conf_subdir: args.confSubdir ?? "conf" })
        : hostCall("install-artifact.sh jar", { ...source, dest_dir: args.destDir! });
    this.installed = runScript(
      `${name}-install`,
      { host: args.host, ...call, timeoutMinutes: 45 },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.registerOutputs({ name: args.name, version: s.version, url });
  }
}
