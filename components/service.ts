import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import type { RenderedFile } from "../config-templates";
import { sha256 } from "../lib/hash";
import { probeScript } from "../lib/host-scripts";
import type { HealthCheck, ServicePlan } from "../lib/model";
import { ConfigFiles, FileHashKey } from "./files";
import { HOST_BIN, installedScriptName } from "../lib/shell";
import { HostHandle, hostCall, hostScript, runScript } from "./remote";

export interface SystemdServiceArgs {
  host: HostHandle;
  service: ServicePlan;
  /** The service's own files (its unit among them). */
  files: pulumi.Input<RenderedFile[]>;
  /** The same files rendered with placeholders for secrets: what the preview shows a reviewer. */
  reviewFiles: RenderedFile[];
  secretFiles: boolean;
  /** Keys the file hashes (see ConfigFiles). */
  hashKey: FileHashKey;
  /** Hashes of shared files it reads (e.g. the node's Hadoop client config): a change restarts it too. */
  sharedHashes: pulumi.Input<string>[];
  /** What must be done (and healthy) before its files are written and it starts. */
  dependsOn: pulumi.Resource[];
  /**
   * The previous instance of its rolling group: a configuration change restarts this one only once that one
   * is healthy again. A fresh start does not wait for it.
   */
  rollingAfter?: pulumi.Resource;
  /** One-time steps between writing the files and the first start (a schema init that reads the files). */
  beforeStart?: (files: ConfigFiles) => pulumi.Resource[];
}

/** service-converge.sh's health parameters: the check's kind, its time limit and its arguments. */
export function healthParams(h: HealthCheck): { health_kind: string; timeout: string; health_args: string[] } {
  const of = (health_args: string[]) => ({ health_kind: h.kind, timeout: String(h.timeoutSec), health_args });
  switch (h.kind) {
    case "http":
      if (h.clientCert) return of([h.url, h.expect, h.ca ?? "-", h.spnego ?? "-", h.clientCert]);
      return of(h.ca ? [h.url, h.expect, h.ca, ...(h.spnego ? [h.spnego] : [])] : [h.url, h.expect]);
    case "tcp":
      return of([h.host, String(h.port)]);
    case "command":
      return of(h.argv);
    case "probe": {
      // The check's probe, installed under its content-hashed name: a changed probe changes the command, which re-runs.
      const probe = probeScript(h.check);
      return of([`${HOST_BIN}/${installedScriptName(probe, hostScript(probe))}`, h.check, ...h.args]);
    }
  }
}

/**
 * The one way a service runs here: write its files, install its systemd unit, enable and start it, restart it
 * when the hash of a file it reads changes, and wait for its health check. Two steps do it
 * (components/scripts/service-converge.sh):
 *  - `-start` starts the service the first time, without waiting for the other nodes of its group: a fresh
 *    cluster has nothing running to keep available;
 *  - `-roll` restarts it when its files changed, after the previous node of its group is healthy again: a
 *    change rolls through the cluster one node at a time.
 * `healthy` (the `-roll` step) is what dependents wait on. Deleting the service stops the unit (data and files
 * stay) unless another resource owns the unit: the owner token is derived from this component's URN, which
 * differs between a replaced resource and its replacement even when their names are the same (the engine
 * deletes replaced originals at the end of the run, after the replacement started the unit).
 */
export class SystemdService extends pulumi.ComponentResource {
  readonly files: ConfigFiles;
  readonly started: command.remote.Command;
  readonly healthy: command.remote.Command;

  constructor(name: string, args: SystemdServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lakehouse:index:SystemdService", name, {}, opts);
    const s = args.service;
    this.files = new ConfigFiles(
      `${name}-files`,
      {
        host: args.host,
        files: args.files,
        reviewFiles: args.reviewFiles,
        secret: args.secretFiles,
        hashKey: args.hashKey,
        dependsOn: args.dependsOn,
      },
      { parent: this },
    );
    const restartHash = pulumi
      .all([this.files.restartHash, ...args.sharedHashes.map((h) => pulumi.output(h))])
      .apply((hs) => sha256(...hs));
    const steps = args.beforeStart?.(this.files) ?? [];
    // From a plain promise of the URN, not from `this.urn`: an Output of a component depends on all its
    // children, the start step among them, which would then wait for itself.
    const owner = pulumi.output(new Promise<string>((resolve) => this.urn.apply((u) => resolve(sha256(u).slice(0, 16)))));
    const health = healthParams(s.health);
    const converge = (mode: "start" | "ensure" | "restart", owner: pulumi.Input<string>) =>
      hostCall(`service-converge.sh ${mode}`, { unit: s.unit, restart_hash: restartHash, owner, ...health });
    const timeoutMinutes = Math.ceil(s.health.timeoutSec / 60) + 5;
    this.started = runScript(
      `${name}-start`,
      {
        host: args.host,
        ...converge("start", owner),
        onUpdate: converge("ensure", owner),
        onDelete: hostCall("service-stop.sh", { unit: s.unit, owner }),
        timeoutMinutes,
      },
      { parent: this, dependsOn: [this.files, ...steps, ...args.dependsOn], deleteBeforeReplace: true },
    );
    this.healthy = runScript(
      `${name}-roll`,
      { host: args.host, ...converge("restart", "-"), timeoutMinutes },
      { parent: this, dependsOn: [this.started, ...(args.rollingAfter ? [args.rollingAfter] : [])] },
    );
    this.registerOutputs({ unit: s.unit, node: s.node, kind: s.kind });
  }
}

/** An instance's arguments, as the services stage makes them for its service's component factory. */
export interface ServiceComponentArgs extends Omit<SystemdServiceArgs, "beforeStart"> {
  /**
   * The type token of its component when it is the generic ServiceComponent: its descriptor's `componentType`,
   * given by the services stage (the plumbing reads no registry). A service's own component has its own token.
   */
  type: string;
}

/**
 * `args` of a service that starts after `steps` (keystores made for it; undefined ones are skipped), whose stdout
 * (the certificate's hash) joins its restart hash: a re-signed certificate restarts it.
 */
export function afterStep<A extends SystemdServiceArgs>(args: A, ...steps: Array<command.remote.Command | undefined>): A {
  const made = steps.filter((x): x is command.remote.Command => x !== undefined);
  return made.length === 0
    ? args
    : { ...args, dependsOn: [...args.dependsOn, ...made], sharedHashes: [...args.sharedHashes, ...made.map((x) => x.stdout)] };
}

/** A service with nothing special (a Trino node, a Spark or Flink daemon), or only a step to start after. */
export class ServiceComponent extends pulumi.ComponentResource {
  readonly healthy: command.remote.Command;
  constructor(
    name: string,
    args: ServiceComponentArgs & { startAfter?: Array<command.remote.Command | undefined> },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(args.type, name, {}, opts);
    const svc = new SystemdService(name, afterStep(args, ...(args.startAfter ?? [])), { parent: this });
    this.healthy = svc.healthy;
    this.registerOutputs({ node: args.service.node, unit: args.service.unit });
  }
}
