/**
 * A lab stack driven through the real Pulumi engine (Automation API): a local file backend and a passphrase
 * secrets provider under the lab's state directory, the passphrase generated once and kept 0600 there, the
 * policy pack in every preview and up. Each run records what the engine did from its own events (onEvent):
 * every step's op, when the engine started and finished it, and whether it failed; the dependencies come
 * from the state the run left. The demo and the lab tests both use it; a user drives the same stack with
 * plain `pulumi` commands (see `cliHint`).
 */
import * as automation from "@pulumi/pulumi/automation";
import { execFile } from "child_process";
import { randomBytes } from "crypto";
import { promisify } from "util";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import * as path from "path";
import { REPO_ROOT } from "../lib/stack-file";
import { Engine } from "./engine";

export const POLICY_PACK = path.join(REPO_ROOT, "policy");
const execFileP = promisify(execFile);

export interface StepRecord {
  urn: string;
  name: string;
  type: string;
  /** The engine's op: create, update, replace, create-replacement, delete, delete-replaced, same, ... */
  op: string;
  /** ms since the epoch, when this process received the engine's event. */
  start: number;
  end: number;
  failed: boolean;
  dependencies: string[];
}

export interface RunResult {
  kind: "up" | "preview" | "destroy";
  ok: boolean;
  /** The engine's error (the CLI's stderr), when the run failed. */
  error?: string;
  /** Everything the CLI printed. */
  output: string;
  steps: StepRecord[];
  wallSeconds: number;
  /** Resource changes by op (from the engine's summary event). */
  changes: Record<string, number>;
}

export interface LabStackOptions {
  engine: Engine;
  /** Holds the backend, the passphrase and the project dir. */
  stateDir: string;
  stackName?: string;
  /** Steps the engine runs at once (its default is 8; remote commands mostly wait on the hosts). */
  parallel?: number;
  /** Progress lines (one per finished step). */
  log?: (line: string) => void;
  /**
   * Minutes an up or destroy may take (a preview: a third of it) before it is interrupted (SIGINT: the
   * engine lets the steps in flight end, which the hosts' own step time limits bound) and counted failed.
   * Default 30: a fresh lab up takes about 10.
   */
  runTimeoutMinutes?: number;
}

const nameOf = (urn: string) => urn.split("::").at(-1) ?? urn;
const typeOf = (urn: string) => (urn.split("::").at(-2) ?? "").split("$").at(-1) ?? "";

export class LabStack {
  readonly stackName: string;
  readonly projectDir: string;
  readonly backendDir: string;
  readonly passphraseFile: string;
  private stack!: automation.Stack;
  private env!: Record<string, string>;

  private constructor(private readonly o: LabStackOptions) {
    this.stackName = o.stackName ?? "lab";
    this.projectDir = path.join(o.stateDir, "project");
    this.backendDir = path.join(o.stateDir, "backend");
    this.passphraseFile = path.join(o.stateDir, "passphrase");
  }

  /** Creates (or selects) the stack; the project dir points `main` at this repository. */
  static async open(o: LabStackOptions): Promise<LabStack> {
    const s = new LabStack(o);
    await s.select();
    return s;
  }

  private async select(): Promise<void> {
    mkdirSync(this.projectDir, { recursive: true, mode: 0o700 });
    mkdirSync(this.backendDir, { recursive: true, mode: 0o700 });
    if (!existsSync(this.passphraseFile)) {
      writeFileSync(this.passphraseFile, `${randomBytes(24).toString("hex")}\n`, { mode: 0o600 });
    }
    chmodSync(this.passphraseFile, 0o600);
    // The project file of this repository, with `main` pointing back at it: the stack's own settings file
    // (Pulumi.<stack>.yaml) then lives here, outside the repository.
    const project = readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8");
    writeFileSync(path.join(this.projectDir, "Pulumi.yaml"), `${project.trimEnd()}\nmain: ${path.relative(this.projectDir, REPO_ROOT)}\n`);
    this.env = {
      ...this.o.engine.env,
      PULUMI_BACKEND_URL: `file://${this.backendDir}`,
      PULUMI_CONFIG_PASSPHRASE_FILE: this.passphraseFile,
      // The lab type-checks in its own step (npm run build): the engine only transpiles.
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    };
    const ws = await automation.LocalWorkspace.create({ workDir: this.projectDir, envVars: this.env });
    this.stack = await automation.Stack.createOrSelect(this.stackName, ws);
  }

  /** How a user runs plain `pulumi` commands against this same stack. */
  cliHint(): string {
    const env = [`PULUMI_BACKEND_URL=file://${this.backendDir}`, `PULUMI_CONFIG_PASSPHRASE_FILE=${this.passphraseFile}`];
    if (this.o.engine.env.PATH)
      env.unshift(`PATH=${this.o.engine.env.PATH.split(":")[0]}:$PATH`, `PULUMI_HOME=${this.o.engine.env.PULUMI_HOME}`);
    return `cd ${this.projectDir} && export ${env.join(" ")}`;
  }

  /** Replaces the stack's whole `lakehouse:*` config with `values` (objects as JSON), `secretKeys` as secrets. */
  async configure(values: Record<string, unknown>, secretKeys: string[]): Promise<void> {
    const current = Object.keys(await this.stack.getAllConfig());
    const wanted = new Set(Object.keys(values).map((k) => `lakehouse:${k}`));
    const stale = current.filter((k) => !wanted.has(k));
    if (stale.length) await this.stack.removeAllConfig(stale);
    const cfg: automation.ConfigMap = {};
    for (const [k, v] of Object.entries(values)) {
      cfg[`lakehouse:${k}`] = { value: typeof v === "string" ? v : JSON.stringify(v), secret: secretKeys.includes(k) };
    }
    await this.stack.setAllConfig(cfg);
  }

  private recorder() {
    const steps = new Map<string, StepRecord>();
    const changes: Record<string, number> = {};
    let output = "";
    const onEvent = (e: automation.EngineEvent) => {
      const now = Date.now();
      const pre = e.resourcePreEvent?.metadata;
      if (pre) {
        steps.set(`${pre.urn}|${pre.op}`, {
          urn: pre.urn,
          name: nameOf(pre.urn),
          type: pre.type ?? typeOf(pre.urn),
          op: pre.op,
          start: now,
          end: now,
          failed: false,
          dependencies: [],
        });
      }
      const done = e.resOutputsEvent?.metadata ?? e.resOpFailedEvent?.metadata;
      if (done) {
        const rec = steps.get(`${done.urn}|${done.op}`);
        if (rec) {
          rec.end = now;
          rec.failed = e.resOpFailedEvent !== undefined;
          if (rec.op !== "same" && this.o.log && /^command:/.test(rec.type) && !/-review$/.test(rec.name)) {
            this.o.log(`${rec.failed ? "FAILED" : "done"} ${rec.op} ${rec.name} ${((rec.end - rec.start) / 1000).toFixed(1)}s`);
          }
        }
      }
      const sum = e.summaryEvent?.resourceChanges;
      if (sum) Object.assign(changes, sum);
    };
    const onOutput = (s: string) => {
      output += s;
    };
    return { steps, changes, onEvent, onOutput, output: () => output };
  }

  private async run(
    kind: RunResult["kind"],
    go: (r: ReturnType<LabStack["recorder"]>, signal: AbortSignal) => Promise<unknown>,
  ): Promise<RunResult> {
    const r = this.recorder();
    const t0 = Date.now();
    let error: string | undefined;
    const minutes = (this.o.runTimeoutMinutes ?? 30) / (kind === "preview" ? 3 : 1);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), minutes * 60_000);
    try {
      await go(r, abort.signal);
    } catch (e) {
      const ce = e as { stderr?: string; stdout?: string; message?: string };
      error = (ce.stderr || ce.message || String(e)).trim();
      if (abort.signal.aborted) error = `pulumi ${kind} interrupted after its ${minutes} minutes (LabStack runTimeoutMinutes)\n${error}`;
      if (ce.stdout && !r.output().includes(ce.stdout)) r.onOutput(ce.stdout);
      r.onOutput(`\n${ce.stderr ?? ""}`);
    } finally {
      clearTimeout(timer);
    }
    // The run's own wall time: the state export below is this harness's, not part of the user's command.
    const wallSeconds = (Date.now() - t0) / 1000;
    const steps = [...r.steps.values()];
    if (kind !== "preview") {
      // Dependencies from the state this run left (deleted resources keep none).
      const deps = new Map<string, string[]>();
      for (const res of (await this.exportState()).deployment.resources ?? []) deps.set(res.urn, res.dependencies ?? []);
      for (const s of steps) s.dependencies = deps.get(s.urn) ?? [];
    }
    return { kind, ok: error === undefined, error, output: r.output(), steps, wallSeconds, changes: r.changes };
  }

  async up(): Promise<RunResult> {
    return this.run("up", (r, signal) =>
      this.stack.up({
        signal,
        onEvent: r.onEvent,
        onOutput: r.onOutput,
        parallel: this.o.parallel ?? 32,
        policyPacks: [POLICY_PACK],
        color: "never",
      }),
    );
  }

  /** `withPolicy` false only for measuring what the policy pack costs (npm run bench); the lab always runs it. */
  async preview(diff = false, withPolicy = true): Promise<RunResult> {
    return this.run("preview", (r, signal) =>
      this.stack.preview({
        signal,
        onEvent: r.onEvent,
        onOutput: r.onOutput,
        diff,
        policyPacks: withPolicy ? [POLICY_PACK] : undefined,
        color: "never",
      }),
    );
  }

  async destroy(): Promise<RunResult> {
    return this.run("destroy", (r, signal) =>
      this.stack.destroy({ signal, onEvent: r.onEvent, onOutput: r.onOutput, parallel: this.o.parallel ?? 32, color: "never" }),
    );
  }

  /** The stack's outputs; `secret` ones decrypted (for tests that check where they went). */
  async outputs(): Promise<automation.OutputMap> {
    return this.stack.outputs();
  }

  /**
   * `pulumi stack export`, as a user runs it: secrets stay encrypted. (The Automation API's exportStack
   * passes --show-secrets, so the CLI is called directly.)
   */
  async exportState(): Promise<{
    deployment: { resources?: Array<{ urn: string; type: string; dependencies?: string[]; outputs?: Record<string, unknown> }> };
  }> {
    const { stdout } = await execFileP("pulumi", ["stack", "export", "--stack", this.stackName], {
      cwd: this.projectDir,
      env: { ...process.env, ...this.env },
      maxBuffer: 256 * 1024 * 1024,
    });
    return JSON.parse(stdout) as never;
  }

  /** The outputs of one resource in the state, by its name. */
  async resourceOutputs(name: string): Promise<Record<string, unknown> | undefined> {
    const res = (await this.exportState()).deployment.resources ?? [];
    return res.find((x) => nameOf(x.urn) === name)?.outputs;
  }

  /** Forget the stack (after a destroy): the next `open` starts from an empty state. */
  async remove(): Promise<void> {
    await this.stack.workspace.removeStack(this.stackName);
    await this.select();
  }
}
