/**
 * The contract of the host scripts: one definition per script (or per sub-command of a script), naming its
 * parameters in order. The generic scripts (components/scripts/*.sh) are defined here; a service's own scripts
 * live in its folder (services/<name>/scripts/*.sh) with their definitions beside them (services/<name>/scripts.ts),
 * registered in services/scripts.ts; HOST_SCRIPTS joins them all. From a definition come both sides of every call:
 *  - the script's argument block: the installed script is its source with `# @prelude` replaced by the shared
 *    prelude (components/scripts/lib/prelude.sh: the error trap, die, pkg_installed, managed_block, hadoop_as) and
 *    `# @params` by generated code that checks the argument count, assigns each parameter to the variable of
 *    its name and shifts them off, so "$@" holds the rest;
 *  - splices, so that nothing is written twice and a generic script need not know the services: a line
 *    `# @lib <file>` takes a library of components/scripts/lib/ (the membership probes' Python helpers, in
 *    every probe), and a generic script's line `# @parts` takes the services' parts of it (services/<name>/
 *    scripts/parts/<script>, registered in services/scripts.ts), in the registry's order, each part's
 *    parameters following the script's own (the smoke test's steps);
 *  - the callers' argument lists: `scriptArgs(call, params)` takes the parameters by name (typed from the
 *    definition) and puts them in the definition's order.
 * On the wire the arguments stay positional and quoted (lib/shell.ts); nothing but the definitions and this file
 * knows their order.
 */
import { readFileSync } from "fs";
import * as path from "path";
import { SERVICE_SCRIPT_PARTS, SERVICE_SCRIPTS } from "../services/scripts";
import type { ParamsDef, ScriptDef, ScriptPartSet, ScriptSet } from "./script-def";
import type { UnionToIntersection } from "./types";

const CONVERGE = {
  params: ["unit", "restart_hash", "owner", "health_kind", "timeout"],
  rest: { name: "health_args", min: 0 },
} as const satisfies ParamsDef;

/** The generic host scripts (components/scripts/*.sh): the ones no single service owns. */
const GENERIC_SCRIPTS = {
  dir: path.join(__dirname, "..", "components", "scripts"),
  scripts: {
    "etc-hosts.sh": { params: [], rest: { name: "ip_name_pairs", min: 2 } },
    "host-preflight.sh": {
      params: ["node", "supported_os", "memory_mib", "memory_detail", "cores", "cores_detail", "min_free_mib"],
      rest: { name: "dirs", min: 0 },
    },
    "host-prep.sh": { params: ["group", "packages", "users", "dirs", "admin_group", "admin_user"] },
    "install-artifact.sh": {
      params: [],
      commandVar: "kind",
      commands: {
        tarball: { params: ["name", "version", "url", "sha512", "checksum_url", "conf_dir", "conf_subdir"] },
        jar: { params: ["name", "version", "url", "sha512", "checksum_url", "dest_dir"] },
      },
    },
    "service-converge.sh": { params: [], commandVar: "mode", commands: { start: CONVERGE, ensure: CONVERGE, restart: CONVERGE } },
    "service-stop.sh": { params: ["unit", "owner"] },
    // Its own parameters; the services' parts of it add theirs (services/scripts.ts).
    "smoke-test.sh": { params: ["schema", "iceberg_dir", "delta_dir", "run_id"] },
    "tls-ca.sh": {
      params: [],
      commandVar: "mode",
      commands: {
        init: { params: ["dir", "cn", "days"] },
        sign: { params: ["dir", "days", "cn"], rest: { name: "names", min: 1 } },
      },
    },
    "tls-ca-import.sh": { params: ["dir"] },
    "tls-keystore.sh": {
      params: [],
      commandVar: "format",
      commands: {
        pem: { params: ["tls_dir", "dest", "owner", "cert_sha256"] },
        p12: { params: ["tls_dir", "dest", "owner", "cert_sha256"] },
        truststore: { params: ["tls_dir", "dest", "owner", "cert_sha256", "java_home"] },
        cacerts: { params: ["tls_dir", "dest", "owner", "cert_sha256", "java_home"] },
      },
    },
    "tls-node.sh": { params: [], commandVar: "mode", commands: { csr: { params: ["dir", "cn"] }, install: { params: ["dir"] } } },
    "write-files.sh": { params: ["set_name"] },
  },
} as const satisfies ScriptSet;

/** Every folder of host scripts: the generic one, then the services' (services/scripts.ts). */
const SETS = [GENERIC_SCRIPTS, ...SERVICE_SCRIPTS] as const;

const PART_SETS: readonly ScriptPartSet[] = SERVICE_SCRIPT_PARTS;

type Joined = UnionToIntersection<(typeof SETS)[number]["scripts"]>;
/** The parameters the services' parts of script S add. */
type PartParams<S> = (typeof SERVICE_SCRIPT_PARTS)[number] extends infer P
  ? P extends { parts: { readonly [K in S & string]: { readonly params: readonly (infer N)[] } } }
    ? N
    : never
  : never;
/** A definition with the parameters of the services' parts of it as well (itself when it has no parts). */
type WithParts<D, N> = [N] extends [never]
  ? D
  : D extends ParamsDef
    ? Omit<D, "params"> & { readonly params: readonly (D["params"][number] | N)[] }
    : D;
/** All the sets' definitions in one type: each script's as precise as where it is written, its parts' parameters added. */
type Scripts = { readonly [S in keyof Joined]: WithParts<Joined[S], PartParams<S>> };

/** Each script's folder, by its name (the installed name comes from the name: one script per name, wherever it lives). */
const dirs = new Map<string, string>();
for (const set of SETS)
  for (const name of Object.keys(set.scripts)) {
    if (dirs.has(name)) throw new Error(`internal: host script ${name} is defined in both ${dirs.get(name)} and ${set.dir}`);
    dirs.set(name, set.dir);
  }

/** The services' parts of each generic script, in the registry's order: each part's fragment and its parameters. */
const partsOf = new Map<string, Array<{ file: string; params: readonly string[] }>>();
for (const set of PART_SETS)
  for (const [script, part] of Object.entries(set.parts)) {
    if (!dirs.has(script)) throw new Error(`internal: ${set.dir} has a part of ${script}, which is no host script`);
    partsOf.set(script, [...(partsOf.get(script) ?? []), { file: path.join(set.dir, script), params: part.params }]);
  }

/** A definition with its parts' parameters after its own (each name once: every one is a variable of the script). */
function withParts(script: string, d: ScriptDef): ScriptDef {
  const parts = partsOf.get(script) ?? [];
  if (!parts.length) return d;
  if (d.commands || d.rest || d.passThrough) throw new Error(`internal: ${script} has parts, so only parameters of its own`);
  const params = [...d.params, ...parts.flatMap((p) => p.params)];
  const twice = params.filter((p, i) => params.indexOf(p) !== i);
  if (twice.length) throw new Error(`internal: ${script}: parameter ${twice.join(", ")} defined twice (by the script or its parts)`);
  return { ...d, params };
}

/** Every host script's definition, by its name (in name order), its parts' parameters included. */
export const HOST_SCRIPTS = Object.fromEntries(
  SETS.flatMap((set) => Object.entries(set.scripts as Readonly<Record<string, ScriptDef>>))
    .map(([name, d]) => [name, withParts(name, d)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
) as Scripts;

export type ScriptName = keyof Scripts;

/** A call: a script without sub-commands, or `<script> <command>`. */
export type ScriptCall = {
  [S in ScriptName]: Scripts[S] extends { commands: infer C } ? `${S} ${keyof C & string}` : S;
}[ScriptName];

type DefOf<C extends ScriptCall> = C extends `${infer S extends ScriptName} ${infer K}`
  ? Scripts[S] extends { commands: infer Cs }
    ? Cs[K & keyof Cs]
    : never
  : Scripts[C & ScriptName];

/** The parameters of a call by name; its rest (if any) as a list under the rest's name. */
export type ScriptParams<C extends ScriptCall, T = string> = { [P in (DefOf<C> & ParamsDef)["params"][number]]: T } & (DefOf<C> extends {
  rest: { name: infer R extends string };
}
  ? { [P in R]: readonly T[] }
  : unknown);

function split(call: string): { script: ScriptName; command?: string; def: ParamsDef } {
  const [script, command] = call.split(" ") as [ScriptName, string | undefined];
  const d: ScriptDef = HOST_SCRIPTS[script];
  if (!d) throw new Error(`internal: no host script ${script}`);
  if (command === undefined) return { script, def: d };
  const def = d.commands?.[command];
  if (!def) throw new Error(`internal: ${script} has no command ${command}`);
  return { script, command, def };
}

/** A call's script and its arguments, in the definition's order. */
export function scriptArgs<C extends ScriptCall, T>(call: C, params: ScriptParams<C, T>): { script: ScriptName; args: T[] } {
  const { script, command, def } = split(call);
  const p = params as Record<string, T | readonly T[]>;
  const known = new Set([...def.params, ...(def.rest ? [def.rest.name] : [])]);
  for (const k of Object.keys(p)) if (!known.has(k)) throw new Error(`internal: ${call} has no parameter ${k}`);
  const args = def.params.map((name) => {
    if (!(name in p)) throw new Error(`internal: ${call} needs ${name}`);
    return p[name] as T;
  });
  const rest = def.rest ? ((p[def.rest.name] ?? []) as readonly T[]) : [];
  if (def.rest && rest.length < def.rest.min) throw new Error(`internal: ${call} needs at least ${def.rest.min} ${def.rest.name}`);
  return { script, args: [...(command ? [command as T] : []), ...args, ...rest] };
}

const usageOf = (script: string, command: string | undefined, d: ParamsDef): string =>
  [script, ...(command ? [command] : []), ...d.params.map((p) => `<${p}>`), ...(d.rest ? [`<${d.rest.name}>...`] : [])].join(" ");

/** Bash that checks the count, assigns the parameters and shifts them off (for `# @params`). */
export function paramsBlock(script: ScriptName): string {
  const d: ScriptDef = HOST_SCRIPTS[script];
  const one = (command: string | undefined, def: ParamsDef, indent: string, offset: number): string[] => {
    const n = def.params.length + offset;
    const count = def.rest ? `[ "$#" -ge ${n + def.rest.min} ]` : `[ "$#" -eq ${n} ]`;
    const lines = [`${indent}${count} || die 2 "usage: ${usageOf(script, command, def)}"`];
    if (def.passThrough) return lines;
    const assign = def.params.map((p, i) => `${p}=\${${i + 1 + offset}}`);
    if (offset) assign.unshift(`${d.commandVar}=$1`);
    if (assign.length) lines.push(`${indent}${assign.join(" ")}`, `${indent}shift ${n}`);
    return lines;
  };
  const head = "# Parameters, generated from lib/host-scripts.ts (the one definition of this script's arguments):";
  if (!d.commands) return [head, ...one(undefined, d, "", 0)].join("\n");
  const names = Object.keys(d.commands);
  return [
    head,
    'case "${1:-}" in',
    ...names.flatMap((c) => [`  ${c})`, ...one(c, d.commands![c], "    ", 1), "    ;;"]),
    `  *) die 2 "usage: ${names.map((c) => usageOf(script, c, d.commands![c])).join(" | ")}" ;;`,
    "esac",
  ].join("\n");
}

/** Every folder that holds host scripts (components/scripts and services/<name>/scripts). */
export const SCRIPT_DIRS: readonly string[] = SETS.map((set) => set.dir);
/** The source file of a host script. */
export function scriptPath(script: ScriptName): string {
  const dir = dirs.get(script);
  if (dir === undefined) throw new Error(`internal: no host script ${script}`);
  return path.join(dir, script);
}
/** The generic scripts' libraries (the shared prelude among them): put into scripts at their markers. */
const LIB_DIR = path.join(GENERIC_SCRIPTS.dir, "lib");
const ROOT = path.join(__dirname, "..");
const sources = new Map<string, string>();
const source = (file: string): string => {
  let s = sources.get(file);
  if (s === undefined) sources.set(file, (s = readFileSync(file, "utf8")));
  return s;
};

/** A library as `script` gets it: from its first `# --- ` line on (the file's own header is about the file), @SCRIPT@ its name. */
function library(file: string, script: string): string {
  const text = source(path.join(LIB_DIR, file));
  const from = text.search(/^# --- /m);
  if (from < 0) throw new Error(`internal: lib/${file} has no '# --- ' line`);
  return text
    .slice(from)
    .trimEnd()
    .replace(/@SCRIPT@/g, script);
}

/** The services' parts of a script, in the registry's order, each under a line naming its file. */
const partsBlock = (script: string): string =>
  (partsOf.get(script) ?? []).map((p) => `# --- part: ${path.relative(ROOT, p.file)} ---\n${source(p.file).trimEnd()}`).join("\n");

/**
 * A script as installed on the hosts: its source with the prelude, its generated parameter block, the libraries
 * it names and the services' parts of it put in at their markers, each on a line of its own: `# @prelude` and
 * `# @params` once, `# @lib <file>` any number of times, `# @parts` once in a script with parts and nowhere else.
 */
export function assembleScript(script: ScriptName): string {
  // Once per script: every remote command's line and every health probe's path ask for it.
  let out = assembled.get(script);
  if (out === undefined) assembled.set(script, (out = assemble(script)));
  return out;
}
const assembled = new Map<ScriptName, string>();

function assemble(script: ScriptName): string {
  const put = (text: string, marker: string, block: string): string => {
    const lines = text.split("\n");
    const at = lines.flatMap((l, i) => (l === marker ? [i] : []));
    if (at.length !== 1) throw new Error(`internal: ${script} must have one line '${marker}', has ${at.length}`);
    lines.splice(at[0], 1, block);
    return lines.join("\n");
  };
  const src = source(scriptPath(script))
    .split("\n")
    .map((l) => (l.startsWith("# @lib ") ? library(l.slice("# @lib ".length), script) : l))
    .join("\n");
  const out = put(put(src, "# @prelude", library("prelude.sh", script)), "# @params", paramsBlock(script));
  if (partsOf.has(script)) return put(out, "# @parts", partsBlock(script));
  if (out.split("\n").includes("# @parts")) throw new Error(`internal: ${script} has a line '# @parts' but no service has a part of it`);
  return out;
}

/** Every host script's name. */
export const SCRIPT_NAMES = Object.keys(HOST_SCRIPTS) as ScriptName[];

/** The membership probes (service-converge.sh's `probe` health kind): the host scripts named `<name>-probe.sh`. */
type ProbeScript = Extract<ScriptName, `${string}-probe.sh`>;
/** A membership check: a command of a probe (its first argument), each name in one probe only. */
export type ProbeCheck = { [S in ProbeScript]: Scripts[S] extends { commands: infer C } ? keyof C & string : never }[ProbeScript];

/** Each check's probe. */
const probes = new Map<string, ProbeScript>();
for (const script of SCRIPT_NAMES.filter((s): s is ProbeScript => s.endsWith("-probe.sh"))) {
  const d: ScriptDef = HOST_SCRIPTS[script];
  if (d.commandVar !== "check" || !d.commands) throw new Error(`internal: the probe ${script} must pick its check by its first argument`);
  for (const check of Object.keys(d.commands)) {
    if (probes.has(check)) throw new Error(`internal: the check ${check} is in both ${probes.get(check)} and ${script}`);
    probes.set(check, script);
  }
}

/** The probe that runs a check (service-converge.sh calls it `<probe> <check> <since> <args...>`). */
export function probeScript(check: ProbeCheck): ProbeScript {
  const script = probes.get(check);
  if (!script) throw new Error(`internal: no probe has the check ${check}`);
  return script;
}
