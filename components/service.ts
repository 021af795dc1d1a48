import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import type { RenderedFile } from "../config-templates";
import { sha256 } from "../lib/hash";
import type { HealthCheck, ServicePlan } from "../lib/plan";
import { ConfigFiles } from "./files";
import { HostHandle, runScript } from "./remote";

export interface SystemdServiceArgs {
  host: HostHandle;
  service: ServicePlan;
  /** The service's own files (its unit among them). */
  files: pulumi.Input<RenderedFile[]>;
  secretFiles: boolean;
  /** Hashes of shared files it reads (e.g. the node's Hadoop client config): a change restarts it too. */
  sharedHashes: pulumi.Input<string>[];
  /** What must be done (and healthy) before its files are written and it starts. */
  dependsOn: pulumi.Resource[];
  /** One-time steps between writing the files and the first start (a schema init that reads the files). */
  beforeStart?: (files: ConfigFiles) => pulumi.Resource[];
}

export function healthArgs(h: HealthCheck): string[] {
  switch (h.kind) {
    case "http":
      return ["http", String(h.timeoutSec), h.url, h.expect];
    case "tcp":
      return ["tcp", String(h.timeoutSec), h.host, String(h.port)];
    case "command":
      return ["command", String(h.timeoutSec), ...h.argv];
  }
}

/**
 * The one way a service runs here: write its files, install its systemd unit, enable and start it, restart it
 * when the hash of a file it reads changes, and wait for its health check.
 * `healthy` is what dependents wait on. Deleting it stops the unit (data and files stay) unless a newer
 * resource owns the unit; a replacement deletes before it creates, so it never stops what it just started.
 */
export class SystemdService extends pulumi.ComponentResource {
  readonly files: ConfigFiles;
  readonly healthy: command.remote.Command;

  constructor(name: string, args: SystemdServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:index:SystemdService", name, {}, opts);
    const s = args.service;
    this.files = new ConfigFiles(
      `${name}-files`,
      { host: args.host, files: args.files, secret: args.secretFiles, dependsOn: args.dependsOn },
      { parent: this },
    );
    const restartHash = pulumi
      .all([this.files.restartHash, ...args.sharedHashes.map((h) => pulumi.output(h))])
      .apply((hs) => sha256(...hs));
    const steps = args.beforeStart?.(this.files) ?? [];
    const owner = `${name}`;
    this.healthy = runScript(
      `${name}-start`,
      {
        host: args.host,
        script: "service-start.sh",
        args: [s.unit, restartHash, owner, ...healthArgs(s.health)],
        onDelete: { script: "service-stop.sh", args: [s.unit, owner] },
        timeoutMinutes: Math.ceil(s.health.timeoutSec / 60) + 5,
      },
      { parent: this, dependsOn: [this.files, ...steps, ...args.dependsOn], deleteBeforeReplace: true },
    );
    this.registerOutputs({ unit: s.unit, node: s.node, kind: s.kind });
  }
}
