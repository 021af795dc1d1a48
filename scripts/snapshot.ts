/**
 * Behaviour snapshot: everything the program decides for a stack, written as deterministic, sorted, pretty JSON
 * (and the rendered files as they are), so that a refactor can be shown to change nothing: take a snapshot
 * before, take one after, `--check` says identical.
 *
 * Per stack (dev, prod, and dev-kerberos: dev with the kdc role on cpu-node1 and kerberos.enabled):
 *   <stack>/plan.json                  buildPlan(validateConfig(stack file)), object keys sorted, functions dropped;
 *   <stack>/files/<node>/<abs path>    every file the program writes (the stdin of each write-files.sh step under
 *                                      mocks, decoded), and <stack>/files.json, their index (path, node, set,
 *                                      mode, owner, group, sha256);
 *   <stack>/commands.json              every command resource (remote and local): name, type, parent, node, all its
 *                                      inputs, its options and its dependencies by name;
 *   <stack>/resources.json             every resource: name → type, parent (random ones with their inputs).
 * The program runs under Pulumi's mocks in a child process (lab/mock-program-child.ts); the stacks in parallel.
 *
 * Normalised so that two runs are byte-identical and no secret is copied out:
 *   - a secret input becomes `[secret sha256:<16 hex>]` (a digest of its normalised value: stable, and it still
 *     changes when the secret's content does); a connection shows its fields, its key and passwords so marked;
 *   - a password the mocks generate becomes `[random:<resource name>]` wherever it appears (files included).
 *     Hashes of them (restart hashes, review tags, bcrypt lines) are kept: the mocks' values are fixed per
 *     resource name, so these are stable too, and they change exactly when the hashed content does.
 *
 * Usage: npm run snapshot -- [--out DIR] [--check DIR] [--stacks dev,prod,dev-kerberos]
 *   --out DIR     where to write (default tmp/snapshot, gitignored; with --check, a temporary directory);
 *   --check DIR   compare the fresh snapshot with DIR: exit 1 listing every file that differs, 0 when identical.
 */
import { execFile } from "child_process";
import { createHash } from "crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { promisify } from "util";
import type { ProgramResult, ResourceRecord } from "../lab/mock-program";
import { isSecretValue, unwrap } from "../lab/mock-program";
import { validateConfig } from "../lib/config";
import { assembleScript } from "../lib/host-scripts";
import { buildPlan } from "../lib/plan";
import { installedScriptName } from "../lib/shell";
import { REPO_ROOT, stackFileValues } from "../lib/stack-file";

/** A stack to snapshot: a stack file, the Pulumi stack name the program runs as, and a patch of its values. */
export interface SnapshotStack {
  name: string;
  base: "dev" | "prod";
  /** What the patch does, for snapshot.json (a reader of the snapshot sees what each stack is). */
  describe: string;
  patch?: (v: Record<string, any>) => void;
}

const KERBEROS_REALM = "LAB.LAKEHOUSE";
/** The Kerberos variant, as lab/config.ts labSecurityConfig makes it: the kdc role on the first node. */
const withKerberos = (v: Record<string, any>): void => {
  const kdcNode = (v.nodes as Array<{ name: string; roles: string[] }>).find((n) => n.name === "cpu-node1");
  if (!kdcNode) throw new Error("dev-kerberos: the dev stack has no node cpu-node1");
  kdcNode.roles.push("kdc");
  v.kerberos = { ...(v.kerberos ?? {}), enabled: true, realm: KERBEROS_REALM };
};

export const SNAPSHOT_STACKS: SnapshotStack[] = [
  { name: "dev", base: "dev", describe: "Pulumi.dev.yaml" },
  { name: "prod", base: "prod", describe: "Pulumi.prod.yaml" },
  {
    name: "dev-kerberos",
    base: "dev",
    describe: `Pulumi.dev.yaml, the kdc role on cpu-node1, kerberos.enabled with realm ${KERBEROS_REALM}`,
    patch: withKerberos,
  },
];

const SECRET_KEYS = ["sshPrivateKey"];
/** The manifest at the snapshot's root: which stacks it holds and what each is. Also marks a directory as ours. */
const MANIFEST = "snapshot.json";

// ---------------------------------------------------------------------------------------------------------------
// Pure helpers: canonical JSON, normalisation, the records.

/** Object keys sorted (recursively), functions and undefined dropped, Maps and Sets as objects and arrays. */
export function canonical(v: unknown): unknown {
  if (typeof v === "function" || v === undefined) return undefined;
  if (v instanceof Map) return canonical(Object.fromEntries(v));
  if (v instanceof Set) return canonical([...v]);
  if (Array.isArray(v)) return v.map((x) => canonical(x) ?? null);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .flatMap((k) => {
          const x = canonical(o[k]);
          return x === undefined ? [] : [[k, x]];
        }),
    );
  }
  return v;
}

export const prettyJson = (v: unknown): string => `${JSON.stringify(canonical(v), null, 2)}\n`;
const sha256 = (s: string): string => createHash("sha256").update(s, "utf8").digest("hex");

/** The value lab/mock-program-child.ts makes for a random resource named `name` (fixed per name). */
const mockRandomValue = (name: string): string => `mock${sha256(name).slice(0, 32)}`;

/**
 * Each generated value → its stable label: `[random:<name>]` for the random resource that made it, or (should
 * the mocks ever make values differently) `[random#<i>]`, numbered in value order.
 */
export function randomLabels(r: ProgramResult): Map<string, string> {
  const byValue = new Map(r.resources.filter((x) => x.type.startsWith("random:")).map((x) => [mockRandomValue(x.name), x.name]));
  const labels = new Map<string, string>();
  [...new Set(r.secrets)].sort().forEach((v, i) => labels.set(v, byValue.has(v) ? `[random:${byValue.get(v)}]` : `[random#${i}]`));
  return labels;
}

/** `s` with every generated value replaced by its label. */
export function replaceRandoms(s: string, labels: Map<string, string>): string {
  let out = s;
  for (const [value, label] of labels) out = out.split(value).join(label);
  return out;
}

/** The marker a secret value becomes: a digest of its (normalised) value, never the value. */
export const secretMarker = (normalised: unknown): string =>
  `[secret sha256:${sha256(JSON.stringify(canonical(normalised)) ?? "").slice(0, 16)}]`;

/** A property value with generated values labelled and secrets replaced by their marker. */
export function normalise(v: unknown, labels: Map<string, string>): unknown {
  if (isSecretValue(v)) return secretMarker(normalise(unwrap(v), labels));
  if (typeof v === "string") return replaceRandoms(v, labels);
  if (Array.isArray(v)) return v.map((x) => normalise(x, labels));
  if (v !== null && typeof v === "object")
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, normalise(x, labels)]));
  return v;
}

/** An SSH connection's fields that hold a secret (the rest: host, port, user, dial limits, are shown). */
const CONNECTION_SECRET_FIELD = /password|privateKey|agentSocket/i;

/** A connection (one secret as a whole, for its key): its fields shown, its secret ones marked. */
export function normaliseConnection(v: unknown, labels: Map<string, string>): unknown {
  const conn = unwrap(v);
  if (conn === null || typeof conn !== "object" || Array.isArray(conn)) return normalise(v, labels);
  return Object.fromEntries(
    Object.entries(conn as Record<string, unknown>).map(([k, x]) => [
      k,
      CONNECTION_SECRET_FIELD.test(k) ? secretMarker(normalise(x, labels)) : normalise(x, labels),
    ]),
  );
}

/** Resolves URNs to readable names: the resource's name, or `type::name` where two resources share a name. */
export function namer(r: ProgramResult): { name: (urn: string) => string; type: (urn: string) => string } {
  const byUrn = new Map(r.resources.map((x) => [x.urn, x]));
  const counts = new Map<string, number>();
  for (const x of r.resources) counts.set(x.name, (counts.get(x.name) ?? 0) + 1);
  const label = (x: ResourceRecord) => (counts.get(x.name)! > 1 ? `${x.type}::${x.name}` : x.name);
  return {
    name: (urn) => (urn === "" ? "" : byUrn.has(urn) ? label(byUrn.get(urn)!) : urn),
    type: (urn) => byUrn.get(urn)?.type ?? "",
  };
}

const isCommand = (x: ResourceRecord) => x.type.startsWith("command:");
const byName = <T extends { name: string; type: string }>(a: T, b: T) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.type < b.type ? -1 : a.type > b.type ? 1 : 0;

interface NodeAddress {
  name: string;
  host: string;
  ssh: { port: number };
}

/** The plan node a remote command connects to, by its connection's host and port. */
export function nodeOf(x: ResourceRecord, nodes: NodeAddress[]): string | undefined {
  const conn = unwrap(x.inputs.connection) as { host?: string; port?: number } | undefined;
  if (!conn?.host) return undefined;
  const port = conn.port ?? 22;
  return nodes.find((n) => n.host === conn.host && n.ssh.port === port)?.name ?? `${conn.host}:${port}`;
}

/** Every command: where it runs, its inputs, options and dependencies, normalised; sorted by name. */
export function commandRecords(r: ProgramResult, nodes: NodeAddress[], labels: Map<string, string>): unknown[] {
  const names = namer(r);
  return r.resources
    .filter(isCommand)
    .map((x) => {
      const { connection, ...inputs } = x.inputs;
      return {
        name: x.name,
        type: x.type,
        parent: names.name(x.parent),
        parentType: names.type(x.parent),
        node: nodeOf(x, nodes),
        inputs: {
          ...(normalise(inputs, labels) as object),
          connection: connection === undefined ? undefined : normaliseConnection(connection, labels),
        },
        options: {
          additionalSecretOutputs: [...x.additionalSecretOutputs].sort(),
          customTimeouts: x.customTimeouts,
          deleteBeforeReplace: x.deleteBeforeReplace,
          retainOnDelete: x.retainOnDelete,
        },
        dependencies: [...new Set(x.dependencies.map(names.name))].sort(),
      };
    })
    .sort(byName);
}

/**
 * Every resource: name → type → its parent (by name), random ones with their inputs, components with the outputs
 * they register. By name and then type: a component and its SystemdService share a name.
 */
export function resourceRecords(r: ProgramResult, labels: Map<string, string>): Record<string, Record<string, unknown>> {
  const names = namer(r);
  const out: Record<string, Record<string, unknown>> = {};
  for (const x of r.resources)
    (out[x.name] ??= {})[x.type] = {
      parent: names.name(x.parent),
      inputs: x.type.startsWith("random:") ? normalise(x.inputs, labels) : undefined,
      outputs: x.custom ? undefined : normalise(x.outputs, labels),
    };
  return out;
}

export interface WrittenFile {
  node: string;
  /** The file set (ConfigFiles) that writes it. */
  set: string;
  path: string;
  mode: string;
  owner: string;
  group: string;
  content: string;
}

/** The installed name of write-files.sh: the script every file set is written with. */
const writeFilesScript = (): string => installedScriptName("write-files.sh", assembleScript("write-files.sh"));

/**
 * Every file the program writes: each write-files.sh step's stdin (components/files.ts serializeFiles: path,
 * mode, owner, group, base64 content, tab-separated, one line per file), decoded, generated values labelled.
 */
export function writtenFiles(r: ProgramResult, nodes: NodeAddress[], labels: Map<string, string>): WrittenFile[] {
  const script = `/${writeFilesScript()} `;
  const out: WrittenFile[] = [];
  for (const x of r.resources.filter((y) => y.type === "command:remote:Command")) {
    const create = unwrap(x.inputs.create);
    if (typeof create !== "string" || !create.includes(script)) continue;
    const stdin = unwrap(x.inputs.stdin);
    if (typeof stdin !== "string") throw new Error(`${x.name}: a write-files step without stdin`);
    const set = x.name.replace(/-write$/, "");
    for (const line of stdin.split("\n").filter((l) => l !== "")) {
      const [p, mode, owner, group, b64, ...rest] = line.split("\t");
      if (b64 === undefined || rest.length) throw new Error(`${x.name}: a stdin line that is not path, mode, owner, group, content`);
      const content = replaceRandoms(Buffer.from(b64, "base64").toString("utf8"), labels);
      out.push({ node: nodeOf(x, nodes) ?? "?", set, path: p, mode, owner, group, content });
    }
  }
  const key = (f: WrittenFile) => [f.node, f.path, f.set].join("\0");
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Where a written file goes in the snapshot: files/<node>/<path>, `@<set>` added when two sets write one path. */
export function fileSnapshotPaths(files: WrittenFile[]): string[] {
  const seen = new Map<string, number>();
  for (const f of files) seen.set(`${f.node}${f.path}`, (seen.get(`${f.node}${f.path}`) ?? 0) + 1);
  return files.map((f) => {
    if (!path.posix.isAbsolute(f.path) || f.path.split("/").some((s) => s === ".." || s === "."))
      throw new Error(`${f.set}: a file path that is not absolute and normal: ${f.path}`);
    const rel = path.posix.join("files", f.node, f.path);
    return seen.get(`${f.node}${f.path}`)! > 1 ? `${rel}@${f.set}` : rel;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Running the program, writing and comparing snapshots.

const execFileAsync = promisify(execFile);

/** lab/mock-program.ts's runProgram, asynchronous, so that the stacks run side by side. */
async function runProgramAsync(stack: string, config: Record<string, unknown>, secretKeys: string[]): Promise<ProgramResult> {
  const dir = mkdtempSync(path.join(tmpdir(), "lakehouse-snapshot-prog-"));
  try {
    const req = path.join(dir, "req.json");
    const out = path.join(dir, "out.json");
    writeFileSync(req, JSON.stringify({ stack, config, secretKeys }), { mode: 0o600 });
    await execFileAsync(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "lab/mock-program-child.ts"), req, out], {
      cwd: REPO_ROOT,
      env: { ...process.env, PULUMI_NODEJS_SKIP_TS_CHECK: "true" },
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(readFileSync(out, "utf8")) as ProgramResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One stack's snapshot: relative path → content. */
export async function snapshotStack(s: SnapshotStack): Promise<Map<string, string>> {
  // The stack file's values with a stand-in SSH key (set as a secret below): nothing here connects anywhere.
  const values: Record<string, unknown> = { ...structuredClone(stackFileValues(s.base)), sshPrivateKey: "-----SNAPSHOT STAND-IN KEY-----" };
  s.patch?.(values);
  const plan = buildPlan(validateConfig({ values: structuredClone(values), secretKeys: new Set(SECRET_KEYS), stack: s.base }));
  const result = await runProgramAsync(s.base, values, SECRET_KEYS);
  if (result.error) throw new Error(`${s.name}: the program failed under mocks: ${result.error}`);
  const labels = randomLabels(result);
  const files = writtenFiles(result, plan.nodes, labels);
  const at = fileSnapshotPaths(files);
  const out = new Map<string, string>();
  out.set("plan.json", prettyJson(plan));
  out.set("commands.json", prettyJson(commandRecords(result, plan.nodes, labels)));
  out.set("resources.json", prettyJson(resourceRecords(result, labels)));
  out.set(
    "files.json",
    prettyJson(
      files.map(({ content, ...f }, i) => ({ ...f, snapshot: at[i], sha256: sha256(content), bytes: Buffer.byteLength(content) })),
    ),
  );
  files.forEach((f, i) => out.set(at[i], f.content));
  return out;
}

/** Writes a snapshot of `stacks` into `dir` (made if missing; it must be empty or a snapshot, which is replaced). */
export async function takeSnapshot(dir: string, stacks: SnapshotStack[] = SNAPSHOT_STACKS): Promise<void> {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!existsSync(path.join(dir, MANIFEST)))
      throw new Error(`${dir} is neither empty nor a snapshot (no ${MANIFEST}): refusing to write there`);
    for (const e of readdirSync(dir)) rmSync(path.join(dir, e), { recursive: true, force: true });
  }
  const snaps = await Promise.all(stacks.map(snapshotStack));
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, MANIFEST), prettyJson({ stacks: stacks.map((s) => ({ name: s.name, stack: s.base, config: s.describe })) }));
  stacks.forEach((s, i) => {
    for (const [rel, content] of snaps[i]) {
      const file = path.join(dir, s.name, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
  });
}

/** Every file under `dir`, as paths relative to it (posix separators), sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk("");
  return out.sort();
}

/**
 * A unified-ish diff of two texts: the lines between their common head and tail (the first to the last line that
 * differ), at most `max` of each side, with two lines of context before.
 */
export function diffText(a: string, b: string, max = 12): string[] {
  const x = a.split("\n");
  const y = b.split("\n");
  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  const removed = x.slice(head, x.length - tail);
  const added = y.slice(head, y.length - tail);
  const some = (lines: string[], sign: string) => [
    ...lines.slice(0, max).map((l) => `${sign} ${l}`),
    ...(lines.length > max ? [`${sign} … ${lines.length - max} more line(s)`] : []),
  ];
  return [
    `@@ line ${head + 1}: -${removed.length} +${added.length} @@`,
    ...x.slice(Math.max(0, head - 2), head).map((l) => `  ${l}`),
    ...some(removed, "-"),
    ...some(added, "+"),
  ];
}

export interface Difference {
  file: string;
  kind: "missing" | "extra" | "differs";
  diff?: string[];
}

/** Every file that differs between the snapshots `expected` and `actual` ([] when identical). */
export function compareSnapshots(expected: string, actual: string): Difference[] {
  const a = new Set(listFiles(expected));
  const b = new Set(listFiles(actual));
  const out: Difference[] = [];
  for (const f of [...new Set([...a, ...b])].sort()) {
    if (!b.has(f)) out.push({ file: f, kind: "missing" });
    else if (!a.has(f)) out.push({ file: f, kind: "extra" });
    else {
      const x = readFileSync(path.join(expected, f), "utf8");
      const y = readFileSync(path.join(actual, f), "utf8");
      if (x !== y) out.push({ file: f, kind: "differs", diff: diffText(x, y) });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith("--")) throw new Error(`--${name} needs a value`);
  return v;
}

async function main(): Promise<number> {
  const check = arg("check");
  const only = arg("stacks")?.split(",");
  const stacks = only ? SNAPSHOT_STACKS.filter((s) => only.includes(s.name)) : SNAPSHOT_STACKS;
  const unknown = (only ?? []).filter((n) => !SNAPSHOT_STACKS.some((s) => s.name === n));
  if (unknown.length) throw new Error(`unknown stack(s) ${unknown.join(", ")}; known: ${SNAPSHOT_STACKS.map((s) => s.name).join(", ")}`);
  if (check !== undefined && !existsSync(path.join(check, MANIFEST))) throw new Error(`${check} is not a snapshot (no ${MANIFEST})`);
  const given = arg("out");
  const out = path.resolve(
    given ?? (check !== undefined ? mkdtempSync(path.join(tmpdir(), "lakehouse-snapshot-")) : path.join(REPO_ROOT, "tmp/snapshot")),
  );
  const t0 = Date.now();
  try {
    await takeSnapshot(out, stacks);
    const took = `${((Date.now() - t0) / 1000).toFixed(1)}s`;
    if (check === undefined) {
      console.log(`snapshot of ${stacks.map((s) => s.name).join(", ")} written to ${out} (${listFiles(out).length} files, ${took})`);
      return 0;
    }
    // A check of some stacks compares only theirs (not the manifest, which names the stacks a snapshot holds).
    const differences = compareSnapshots(path.resolve(check), out).filter(
      (d) => only === undefined || stacks.some((s) => d.file.startsWith(`${s.name}/`)),
    );
    if (differences.length === 0) {
      console.log(`identical: ${check} and a fresh snapshot of ${stacks.map((s) => s.name).join(", ")} (${took})`);
      return 0;
    }
    console.log(`${differences.length} file(s) differ between ${check} (-) and a fresh snapshot (+) (${took}):`);
    for (const d of differences) {
      console.log(
        `\n${d.kind === "missing" ? "missing from the fresh snapshot" : d.kind === "extra" ? "new in the fresh snapshot" : "differs"}: ${d.file}`,
      );
      for (const l of d.diff ?? []) console.log(`  ${l}`);
    }
    return 1;
  } finally {
    if (given === undefined && check !== undefined) rmSync(out, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(2);
    },
  );
}
