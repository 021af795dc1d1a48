/**
 * Imports in one direction (issue 20): the product's modules form layers, and a module imports at runtime only
 * from its own layer or below. `import type` may reach anywhere: it is erased, and the whole config's type is made
 * from every service's section, so a service naming `ClusterConfig` is a type reference, not a dependency.
 *
 * Bottom to top:
 *   leaves     pure code that knows no service: lib/model.ts, shell, hash, review, versions, preflight, stack-file,
 *              lib/config/primitives.ts, the renderers' runtime (config-templates/ common, writers, systemd, java,
 *              process); and the host scripts' contract, which is data: lib/script-def.ts, lib/host-scripts.ts,
 *              services/scripts.ts and each services/<name>/scripts.ts (names and parameters, no code);
 *   plumbing   components/*.ts: host, release, files, systemd service, remote step, TLS, the deploy contract;
 *   services   services/<name>/, and the kit they share (descriptor, section, secret, release, groups, health,
 *              service-policy);
 *   assembly   the registries (services/index.ts, deploy.ts, sections.ts, bom.ts, policies.ts, smoke.ts) and what
 *              iterates them: lib/plan.ts, lib/config/, lib/security.ts, lib/diagram.ts, lib/compat.ts,
 *              config-templates/index.ts;
 *   composer   components/lakehouse.ts, components/stages/, components/stack-config.ts, index.ts; and the policy
 *              pack (policy/), which reads the services' policy leaves.
 * Inside the services' layer one more rule: a service reaches another only through the other's client contract
 * (services/<name>/client.ts), never its renderers, its components or its deploy half.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import ts from "typescript";

const ROOT = path.resolve(__dirname, "..");
const PRODUCT_DIRS = ["components", "config-templates", "lib", "services", "policy"];

/** Every product .ts file, relative to the root with forward slashes. */
function productFiles(): string[] {
  const out: string[] = ["index.ts"];
  const walk = (dir: string): void => {
    for (const e of readdirSync(path.join(ROOT, dir))) {
      const rel = `${dir}/${e}`;
      if (statSync(path.join(ROOT, rel)).isDirectory()) walk(rel);
      else if (e.endsWith(".ts")) out.push(rel);
    }
  };
  for (const d of PRODUCT_DIRS) walk(d);
  return out.sort();
}

/** A file's runtime imports and re-exports of product files (the TypeScript parser's view); type-only ones left out. */
function runtimeImports(file: string, known: ReadonlySet<string>): string[] {
  const src = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.ES2022, false);
  const out: string[] = [];
  for (const st of src.statements) {
    let spec: ts.Expression | undefined;
    if (ts.isImportDeclaration(st)) {
      const c = st.importClause;
      const named = c?.namedBindings;
      const typeOnly =
        c !== undefined &&
        (c.isTypeOnly ||
          (!c.name &&
            named !== undefined &&
            ts.isNamedImports(named) &&
            named.elements.length > 0 &&
            named.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) spec = st.moduleSpecifier;
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && !st.isTypeOnly) {
      spec = st.moduleSpecifier;
    }
    if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith(".")) continue;
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec.text));
    const hit = [`${base}.ts`, `${base}/index.ts`].find((f) => known.has(f));
    if (!hit) throw new Error(`${file}: cannot resolve ${spec.text}`);
    out.push(hit);
  }
  return out;
}

const LEAVES = new Set([
  "lib/model.ts",
  "lib/shell.ts",
  "lib/hash.ts",
  "lib/review.ts",
  "lib/versions.ts",
  "lib/types.ts",
  "lib/preflight.ts",
  "lib/stack-file.ts",
  "lib/config/primitives.ts",
  "lib/script-def.ts",
  "lib/host-scripts.ts",
  "services/scripts.ts",
  ...["common", "writers", "systemd", "java", "process"].map((f) => `config-templates/${f}.ts`),
]);
const isLeaf = (f: string): boolean => LEAVES.has(f) || /^services\/[a-z0-9-]+\/scripts\.ts$/.test(f);
const isComposer = (f: string): boolean =>
  f === "index.ts" || f === "components/lakehouse.ts" || f === "components/stack-config.ts" || f.startsWith("components/stages/");
/** The kit every service uses (its contracts and shared helpers), at the services' layer. */
const SERVICE_KIT = new Set([
  "services/descriptor.ts",
  "services/section.ts",
  "services/secret.ts",
  "services/release.ts",
  "services/service-policy.ts",
  "services/groups.ts",
  "services/health.ts",
]);
/** The service folder a file is in, or undefined. */
const serviceOf = (f: string): string | undefined => /^services\/([a-z0-9-]+)\//.exec(f)?.[1];

type Layer = "leaf" | "plumbing" | "service" | "assembly" | "composer";
const RANK: Record<Layer, number> = { leaf: 0, plumbing: 1, service: 2, assembly: 3, composer: 4 };

function layerOf(f: string): Layer {
  if (isLeaf(f)) return "leaf";
  if (isComposer(f) || f.startsWith("policy/")) return "composer";
  if (f.startsWith("components/")) return "plumbing";
  if (serviceOf(f) !== undefined || SERVICE_KIT.has(f)) return "service";
  return "assembly";
}

const FILES = productFiles();
const KNOWN = new Set(FILES);
const EDGES = new Map(FILES.map((f) => [f, runtimeImports(f, KNOWN)]));

test("layers: every runtime import goes to the importer's own layer or below", () => {
  const up: string[] = [];
  for (const [from, tos] of EDGES)
    for (const to of tos) if (RANK[layerOf(to)] > RANK[layerOf(from)]) up.push(`${from} (${layerOf(from)}) imports ${to} (${layerOf(to)})`);
  assert.deepEqual(up, [], `imports that go up:\n${up.join("\n")}`);
});

test("layers: a service reaches another service only through its client contract (services/<name>/client.ts)", () => {
  const across: string[] = [];
  for (const [from, tos] of EDGES) {
    const a = serviceOf(from);
    if (a === undefined) continue;
    for (const to of tos) {
      const b = serviceOf(to);
      if (b !== undefined && b !== a && to !== `services/${b}/client.ts`) across.push(`${from} imports ${to}`);
    }
  }
  assert.deepEqual(across, [], `imports of another service's internals:\n${across.join("\n")}`);
});

test("layers: the product's runtime imports have no cycle", () => {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (f: string): void => {
    state.set(f, "open");
    stack.push(f);
    for (const to of EDGES.get(f) ?? []) {
      if (state.get(to) === "open") cycles.push([...stack.slice(stack.indexOf(to)), to].join(" > "));
      else if (!state.has(to)) visit(to);
    }
    stack.pop();
    state.set(f, "done");
  };
  for (const f of FILES) if (!state.has(f)) visit(f);
  assert.deepEqual(cycles, []);
});

test("layers: config-templates/index.ts re-exports no service's renderers", () => {
  const src = readFileSync(path.join(ROOT, "config-templates/index.ts"), "utf8");
  assert.doesNotMatch(src, /export \*? ?(\{[^}]*\} )?from "\.\.\/services\//);
});

test("layers: the checker sees what it checks (runtime imports found, type-only ones not, every file placed)", () => {
  assert.ok(EDGES.get("index.ts")!.includes("components/lakehouse.ts"));
  assert.ok(EDGES.get("components/stages/services.ts")!.includes("services/deploy.ts"), "the composer uses the deploy registry");
  // config-templates/common.ts names ClusterConfig and Plan as types only.
  assert.ok(!EDGES.get("config-templates/common.ts")!.some((f) => f.startsWith("lib/config/") || f === "lib/plan.ts"));
  // Every service folder is seen, each with runtime imports, and each layer holds files.
  const folders = new Set(FILES.map(serviceOf).filter((s): s is string => s !== undefined));
  assert.deepEqual([...folders].sort(), ["flink", "hdfs", "kerberos", "metastore", "postgres", "spark", "trino"]);
  for (const k of folders) assert.ok(EDGES.get(`services/${k}/index.ts`)!.length > 0, k);
  const layers = new Set(FILES.map(layerOf));
  assert.deepEqual([...layers].sort(), ["assembly", "composer", "leaf", "plumbing", "service"]);
  // A leaf listed here exists (a renamed file would silently leave the list).
  for (const f of LEAVES) assert.ok(KNOWN.has(f), `${f} is no product file`);
});
