/**
 * A stand-in for the Pulumi engine, for test labs where the Pulumi CLI cannot be installed. It runs inside
 * Pulumi's mocks (run-program.ts), so resources arrive in the engine's order and with its parallelism (a
 * resource registers only once its inputs and dependsOn have resolved), and it does with each one what
 * `pulumi up` would do:
 *  - command:remote:Command: run `create` over SSH (stdin, host key pinned when given) on first sight; on a
 *    later run, nothing when inputs are unchanged, `update` (or `create`) when they changed, and a replacement
 *    when `triggers` changed (create then delete the old, or delete first with deleteBeforeReplace);
 *  - command:local:Command: the same, locally;
 *  - random:*: real random values, kept across runs;
 *  - resources of the previous run that the program no longer declares: their `delete` runs, newest first.
 * The first failure stops it: nothing registered after it runs. Every step is recorded with its start and end
 * time, exit code and (non-secret) output. This is test code, not a product feature.
 */
import { Client } from "ssh2";
import { spawn } from "child_process";
import { randomInt } from "crypto";
import { existsSync, readFileSync, writeFileSync, chmodSync, openSync, closeSync, unlinkSync } from "fs";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SIG = "1b47061264138c4ac30d75fd1eb44270";

export type Op = "create" | "update" | "replace" | "delete" | "same" | "skipped" | "not-run";
export interface StepRecord {
  urn: string;
  name: string;
  type: string;
  op: Op;
  start: number;
  end: number;
  exitCode?: number;
  /** Output, unless the resource marks it secret. */
  stdout?: string;
  stderr?: string;
  error?: string;
  /** The command text (never holds secrets: those travel on stdin). */
  command?: string;
  dependencies: string[];
}

interface Saved {
  type: string;
  name: string;
  order: number;
  inputs: unknown;
  outputs: Record<string, unknown>;
  deleteBeforeReplace: boolean;
}
interface State {
  resources: Record<string, Saved>;
}

export interface RegisterInfo {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  dependencies: string[];
  deleteBeforeReplace: boolean;
  additionalSecretOutputs: string[];
  timeoutMs: number;
}

export interface EngineOptions {
  statePath: string;
  /** Only resources whose name matches run; the others are recorded as skipped (like `pulumi up --target`). */
  target?: RegExp;
  log?: (line: string) => void;
}

/** Replace secret wrappers by their values (for execution). */
export function unwrap(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrap);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (o[SIG_KEY] === SIG) return unwrap(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrap(x)]));
  }
  return v;
}

interface Conn {
  host: string;
  port?: number;
  user?: string;
  privateKey?: string;
  privateKeyPassword?: string;
  hostKey?: string;
  perDialTimeout?: number;
  dialErrorLimit?: number;
}

/** A failure to connect (before the command ran): worth another dial, as the provider does. */
class DialError extends Error {}

/**
 * Run `cmd` over SSH. Like @pulumi/command's provider, a failed dial (refused, unreachable, a handshake slower
 * than perDialTimeout) is retried until dialErrorLimit attempts have failed; a command that ran is never re-run.
 */
export async function runSsh(
  conn: Conn,
  cmd: string,
  stdin: string | undefined,
  timeoutMs: number,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const attempts = Math.max(1, conn.dialErrorLimit ?? 10);
  for (let i = 1; ; i++) {
    try {
      return await runSshOnce(conn, cmd, stdin, timeoutMs);
    } catch (e) {
      if (!(e instanceof DialError) || i >= attempts) throw e instanceof DialError ? new Error(`${e.message} (${i} dial attempts)`) : e;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

function runSshOnce(
  conn: Conn,
  cmd: string,
  stdin: string | undefined,
  timeoutMs: number,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    let ready = false;
    const client = new Client();
    let settled = false;
    const done = (f: () => void) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        client.end();
        f();
      }
    };
    const timer = setTimeout(() => done(() => reject(new Error(`timed out after ${timeoutMs} ms on ${conn.host}`))), timeoutMs);
    client
      .on("ready", () => {
        ready = true;
        client.exec(cmd, (err, stream) => {
          if (err) return done(() => reject(err));
          let stdout = "";
          let stderr = "";
          stream.on("data", (d: Buffer) => (stdout += d.toString()));
          stream.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
          stream.on("close", (code: number | null) => done(() => resolve({ code: code ?? 255, stdout, stderr })));
          if (stdin !== undefined) stream.end(stdin);
          else stream.end();
        });
      })
      .on("error", (e) => {
        const msg = `ssh ${conn.user ?? "root"}@${conn.host}:${conn.port ?? 22}: ${e.message}`;
        done(() => reject(ready ? new Error(msg) : new DialError(msg)));
      })
      .connect({
        host: conn.host,
        port: conn.port ?? 22,
        username: conn.user ?? "root",
        privateKey: conn.privateKey,
        passphrase: conn.privateKeyPassword,
        readyTimeout: (conn.perDialTimeout ?? 15) * 1000,
        hostVerifier: conn.hostKey
          ? (key: Buffer) => {
              const want = Buffer.from(conn.hostKey!.split(/\s+/)[1] ?? "", "base64");
              return want.equals(key);
            }
          : undefined,
      });
  });
}

function runLocal(cmd: string, stdin: string | undefined, timeoutMs: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn("/bin/sh", ["-c", cmd], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => {
      p.kill("SIGTERM");
      reject(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    p.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 255, stdout, stderr });
    });
    p.stdin.end(stdin ?? "");
  });
}

function randomString(length: number, special: boolean): string {
  const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + (special ? "!#$%&*()-_=+[]{}<>:?" : "");
  let s = "";
  for (let i = 0; i < length; i++) s += chars[randomInt(chars.length)];
  return s;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class Engine {
  readonly steps: StepRecord[] = [];
  readonly secrets = new Set<string>();
  failed?: string;
  private readonly prev: State;
  private readonly next: State = { resources: {} };
  private order = 0;

  private readonly lock: string;

  constructor(private readonly o: EngineOptions) {
    // One apply per state at a time, as Pulumi locks a stack: two runs would each generate their own secrets.
    this.lock = `${o.statePath}.lock`;
    try {
      closeSync(openSync(this.lock, "wx"));
    } catch {
      throw new Error(`${o.statePath} is locked by another apply (remove ${this.lock} if no apply is running)`);
    }
    this.prev = existsSync(o.statePath) ? (JSON.parse(readFileSync(o.statePath, "utf8")) as State) : { resources: {} };
    for (const r of Object.values(this.prev.resources)) this.collectSecrets(r.outputs);
  }

  private log(s: string) {
    this.o.log?.(s);
  }

  private collectSecrets(outputs: Record<string, unknown>) {
    if (typeof outputs.result === "string") this.secrets.add(outputs.result);
  }

  /** Called from the mocks' newResource: performs the resource's step and returns its state. */
  async resource(info: RegisterInfo, rawInputs: Record<string, unknown>): Promise<Record<string, unknown>> {
    const inputs = unwrap(rawInputs) as Record<string, unknown>;
    const prev = this.prev.resources[info.urn];
    const save = (outputs: Record<string, unknown>) => {
      this.next.resources[info.urn] = {
        type: info.type,
        name: info.name,
        order: this.order++,
        inputs: rawInputs,
        outputs,
        deleteBeforeReplace: info.deleteBeforeReplace,
      };
      return outputs;
    };
    if (!info.custom) return save({ ...inputs });

    const record = (op: Op, extra: Partial<StepRecord> = {}) => {
      const now = Date.now();
      const r: StepRecord = {
        urn: info.urn,
        name: info.name,
        type: info.type,
        op,
        start: now,
        end: now,
        dependencies: info.dependencies,
        ...extra,
      };
      this.steps.push(r);
      return r;
    };

    if (info.type.startsWith("random:")) {
      if (prev && same(prev.inputs, rawInputs)) {
        this.collectSecrets(prev.outputs);
        record("same");
        return save(prev.outputs);
      }
      const length = typeof inputs.length === "number" ? inputs.length : 32;
      const result = randomString(length, inputs.special !== false);
      this.secrets.add(result);
      record(prev ? "replace" : "create");
      return save({ ...inputs, result });
    }

    const isRemote = info.type === "command:remote:Command";
    const isLocal = info.type === "command:local:Command";
    if (!isRemote && !isLocal) throw new Error(`the lab engine does not implement ${info.type}`);

    // Not run (after a failure) or not targeted: the state keeps what it had (or nothing), never these
    // inputs, so that the next run still sees them as pending, as pulumi up does.
    const untouched = (op: Op) => {
      record(op);
      if (prev) this.next.resources[info.urn] = prev;
      return prev ? prev.outputs : { ...inputs, stdout: "", stderr: "" };
    };
    if (this.failed) return untouched("not-run");
    if (this.o.target && !this.o.target.test(info.name)) return untouched("skipped");
    if (prev && same(prev.inputs, rawInputs)) {
      record("same");
      return save(prev.outputs);
    }

    const secretOut = info.additionalSecretOutputs.includes("stdout");
    const exec = async (cmdText: string | undefined, op: Op, inp: Record<string, unknown>): Promise<{ stdout: string; stderr: string }> => {
      const start = Date.now();
      const rec = record(op, { start, command: cmdText });
      if (!cmdText) return { stdout: "", stderr: "" };
      this.log(`${op} ${info.name}`);
      try {
        const stdin = typeof inp.stdin === "string" ? inp.stdin : undefined;
        const res = isRemote
          ? await runSsh(inp.connection as Conn, cmdText, stdin, info.timeoutMs)
          : await runLocal(cmdText, stdin, info.timeoutMs);
        rec.end = Date.now();
        rec.exitCode = res.code;
        rec.stdout = secretOut ? "[secret]" : res.stdout;
        rec.stderr = secretOut ? "[secret]" : res.stderr;
        if (res.code !== 0) {
          const detail = secretOut ? "(output is secret)" : res.stderr.trim().split("\n").slice(-15).join("\n");
          throw new Error(`${info.name}: exit ${res.code} ${detail}`);
        }
        this.log(`  ok ${info.name} ${((rec.end - start) / 1000).toFixed(1)}s`);
        return { stdout: res.stdout.replace(/\n$/, ""), stderr: res.stderr.replace(/\n$/, "") };
      } catch (e) {
        rec.end = Date.now();
        // Name the resource (and so the node), as the engine's errors carry the resource's URN.
        const msg = e instanceof Error ? e.message : String(e);
        rec.error = msg.startsWith(`${info.name}:`) ? msg : `${info.name}: ${msg}`;
        this.failed ??= rec.error;
        this.log(`  FAILED ${rec.error}`);
        // Not thrown into the mock runtime: the program completes, and every command registered after this
        // one is recorded as not run, which is what `pulumi up` does after a failure.
        return { stdout: "", stderr: "" };
      }
    };

    let out: { stdout: string; stderr: string };
    if (!prev) {
      out = await exec(inputs.create as string, "create", inputs);
    } else if (!same((unwrap(prev.inputs) as Record<string, unknown>).triggers, inputs.triggers)) {
      const old = unwrap(prev.inputs) as Record<string, unknown>;
      if (info.deleteBeforeReplace) {
        await exec(old.delete as string | undefined, "delete", old);
        out = this.failed ? { stdout: "", stderr: "" } : await exec(inputs.create as string, "replace", inputs);
      } else {
        out = await exec(inputs.create as string, "replace", inputs);
        if (!this.failed) await exec(old.delete as string | undefined, "delete", old);
      }
    } else {
      out = await exec((inputs.update ?? inputs.create) as string, "update", inputs);
    }
    // A failed resource keeps its previous state (or none), so that the next run tries it again.
    if (this.failed && this.steps.some((r) => r.urn === info.urn && r.error)) {
      if (prev) this.next.resources[info.urn] = prev;
      return { ...inputs, ...out };
    }
    return save({ ...inputs, ...out });
  }

  /** After the program: delete what it no longer declares (newest first), then save the state. */
  async finish(): Promise<void> {
    const gone = Object.entries(this.prev.resources)
      .filter(([urn]) => !this.next.resources[urn])
      .sort((a, b) => b[1].order - a[1].order);
    for (const [urn, r] of gone) {
      if (this.failed) {
        this.next.resources[urn] = r; // not deleted: keep it in state, as pulumi does after a failure
        continue;
      }
      if (r.type === "command:remote:Command" || r.type === "command:local:Command") {
        const inp = unwrap(r.inputs) as Record<string, unknown>;
        const start = Date.now();
        const rec: StepRecord = {
          urn,
          name: r.name,
          type: r.type,
          op: "delete",
          start,
          end: start,
          command: inp.delete as string | undefined,
          dependencies: [],
        };
        this.steps.push(rec);
        if (inp.delete) {
          this.log(`delete ${r.name}`);
          try {
            const res =
              r.type === "command:remote:Command"
                ? await runSsh(inp.connection as Conn, inp.delete as string, undefined, 600_000)
                : await runLocal(inp.delete as string, undefined, 600_000);
            rec.exitCode = res.code;
            rec.stdout = res.stdout;
            rec.stderr = res.stderr;
            if (res.code !== 0)
              throw new Error(`${r.name}: delete exit ${res.code}: ${res.stderr.trim().split("\n").slice(-10).join("\n")}`);
          } catch (e) {
            rec.error = e instanceof Error ? e.message : String(e);
            this.failed ??= rec.error;
            this.next.resources[urn] = r;
          }
          rec.end = Date.now();
        }
      }
    }
    writeFileSync(this.o.statePath, JSON.stringify(this.next));
    chmodSync(this.o.statePath, 0o600);
    unlinkSync(this.lock);
  }
}
