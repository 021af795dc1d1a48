/**
 * Runs index.ts under Pulumi's mocks in this process and writes what it registered as JSON.
 * One program per process: Pulumi's runtime state is global, so callers spawn this (lab/mock-program.ts).
 *
 * Usage: tsx lab/mock-program-child.ts <request.json> <result.json>
 *   request: { stack, config: { "<key>": value }, secretKeys: ["<key>"] } (keys without a namespace get "lakehouse:")
 *   result:  { error?, resources: Record[], secrets: string[], ms }
 * Applying the program to hosts is the real engine's job (lab/stack.ts); this only records what it registers.
 *
 * Besides what mocks pass to newResource, it records what the engine would see in each RegisterResourceRequest
 * (parent, dependencies, deleteBeforeReplace, retainOnDelete, additionalSecretOutputs, custom timeouts) by
 * wrapping MockMonitor.registerResource.
 */
import { readFileSync, writeFileSync } from "fs";
import { createHash } from "crypto";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

export interface ResourceRecord {
  order: number;
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent: string;
  dependencies: string[];
  inputs: Record<string, unknown>;
  deleteBeforeReplace: boolean;
  retainOnDelete: boolean;
  additionalSecretOutputs: string[];
  customTimeouts?: { create: string; update: string; delete: string };
  outputs?: unknown;
}

export interface ProgramResult {
  error?: string;
  resources: ResourceRecord[];
  /** Values the mocks generated as secrets (random passwords): no non-secret field may contain them. */
  secrets: string[];
  ms: number;
}

async function main(): Promise<void> {
  const [reqFile, outFile] = process.argv.slice(2);
  const req = JSON.parse(readFileSync(reqFile, "utf8")) as {
    stack: string;
    config: Record<string, unknown>;
    secretKeys: string[];
  };
  const started = process.hrtime.bigint();
  const secrets: string[] = [];
  const byUrn = new Map<string, ResourceRecord>();
  let order = 0;

  const mocksModule = require("@pulumi/pulumi/runtime/mocks");
  const rpc = require("@pulumi/pulumi/runtime/rpc");
  const MockMonitor = mocksModule.MockMonitor;
  const origRegister = MockMonitor.prototype.registerResource;
  MockMonitor.prototype.registerResource = function (this: { newUrn: (p: string, t: string, n: string) => string }, r: any, cb: any) {
    const urn = this.newUrn(r.getParent(), r.getType(), r.getName());
    const timeouts = r.getCustomtimeouts?.();
    byUrn.set(urn, {
      order: order++,
      urn,
      type: r.getType(),
      name: r.getName(),
      custom: r.getCustom(),
      parent: r.getParent(),
      dependencies: r.getDependenciesList(),
      inputs: rpc.deserializeProperties(r.getObject(), true),
      deleteBeforeReplace: r.getDeletebeforereplace(),
      retainOnDelete: r.getRetainondelete?.() ?? false,
      additionalSecretOutputs: r.getAdditionalsecretoutputsList(),
      customTimeouts: timeouts ? { create: timeouts.getCreate(), update: timeouts.getUpdate(), delete: timeouts.getDelete() } : undefined,
    });
    return origRegister.call(this, r, cb);
  };
  const origOutputs = MockMonitor.prototype.registerResourceOutputs;
  MockMonitor.prototype.registerResourceOutputs = function (r: any, cb: any) {
    const rec = byUrn.get(r.getUrn());
    if (rec) rec.outputs = rpc.deserializeProperties(r.getOutputs(), true);
    return origOutputs.call(this, r, cb);
  };

  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        const state: Record<string, unknown> = { ...args.inputs };
        if (args.type.startsWith("random:")) {
          // Deterministic per resource name, so that two runs of the same stack can be compared.
          const v = `mock${createHash("sha256").update(args.name).digest("hex").slice(0, 32)}`;
          secrets.push(v);
          state.result = v;
        }
        if (args.type.startsWith("command:")) {
          // The CA's steps print a certificate, which the program reads (its hash): a stand-in PEM, per name.
          const tlsCa = /\/tls-ca-[0-9a-f]{12}\.sh /.test(String(args.inputs.create ?? ""));
          state.stdout = tlsCa
            ? `-----BEGIN CERTIFICATE-----\n${Buffer.from(`mock certificate ${args.name}`).toString("base64")}\n-----END CERTIFICATE-----\n`
            : "";
          state.stderr = "";
        }
        return { id: `${args.name}-id`, state };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        return args.inputs;
      },
    },
    "lakehouse",
    req.stack,
    false,
  );
  const config: Record<string, string> = {};
  // A key with a namespace of its own (`command:x`, `lakehose:trino`) is set as it is.
  for (const [k, v] of Object.entries(req.config))
    config[k.includes(":") ? k : `lakehouse:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
  pulumi.runtime.setAllConfig(
    config,
    req.secretKeys.map((k) => `lakehouse:${k}`),
  );

  let error: string | undefined;
  try {
    require(path.resolve(__dirname, "../index.ts"));
    await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const result: ProgramResult = {
    error,
    resources: [...byUrn.values()].sort((a, b) => a.order - b.order),
    secrets,
    ms,
  };
  writeFileSync(outFile, JSON.stringify(result));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
