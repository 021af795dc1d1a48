/**
 * The host scripts' contract (lib/host-scripts.ts): one definition per script names its parameters; the
 * installed script gets the shared prelude and a generated parameter block; callers pass parameters by name.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
  HOST_SCRIPTS,
  SCRIPT_DIRS,
  SCRIPT_NAMES,
  ScriptCall,
  assembleScript,
  paramsBlock,
  scriptArgs,
  scriptPath,
} from "../lib/host-scripts";

const calls = (): ScriptCall[] =>
  SCRIPT_NAMES.flatMap((s) => {
    const d = HOST_SCRIPTS[s] as { commands?: Record<string, unknown> };
    return (d.commands ? Object.keys(d.commands).map((c) => `${s} ${c}`) : [s]) as ScriptCall[];
  });

const ROOT = path.join(__dirname, "..");

test("every script in a scripts folder has a definition, and every definition a script in its folder", () => {
  // The folders: components/scripts and every service's scripts/ (a service's folder that is not registered in
  // services/scripts.ts shows up here with scripts but no definitions).
  const services = path.join(ROOT, "services");
  const folders = [
    path.join(ROOT, "components", "scripts"),
    ...readdirSync(services, { withFileTypes: true }).flatMap((d) =>
      d.isDirectory() && existsSync(path.join(services, d.name, "scripts")) ? [path.join(services, d.name, "scripts")] : [],
    ),
  ].sort();
  assert.deepEqual([...SCRIPT_DIRS].sort(), folders);
  const onDisk = folders.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith(".sh"))
      .map((f) => path.join(dir, f)),
  );
  assert.deepEqual(SCRIPT_NAMES.map((s) => scriptPath(s)).sort(), onDisk.sort());
  assert.equal(new Set(onDisk.map((f) => path.basename(f))).size, onDisk.length, "two scripts of one name");
});

test("each source has one prelude and one parameter line, and leaves the error trap and die to the prelude", () => {
  for (const s of SCRIPT_NAMES) {
    const src = readFileSync(scriptPath(s), "utf8");
    assert.equal(src.split("\n").filter((l) => l === "# @prelude").length, 1, s);
    assert.equal(src.split("\n").filter((l) => l === "# @params").length, 1, s);
    assert.doesNotMatch(src, /^\s*(on_error|die)\(\)/m, `${s} defines what the prelude has`);
    assert.doesNotMatch(src, /^trap .*ERR$/m, `${s} sets its own error trap`);
    const installed = assembleScript(s);
    assert.ok(!installed.includes("# @prelude") && !installed.includes("# @params"), s);
    assert.ok(installed.includes(`echo "${s}: $*" >&2`), `${s}: the prelude's die does not name the script`);
    assert.ok(installed.includes(paramsBlock(s)), s);
  }
});

test("a wrong argument count is refused with the definition's usage before anything runs (every script and command)", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "host-scripts-"));
  try {
    for (const s of SCRIPT_NAMES) {
      const file = path.join(dir, s);
      writeFileSync(file, assembleScript(s), { mode: 0o755 });
      const d = HOST_SCRIPTS[s] as { params: readonly string[]; commands?: Record<string, { params: readonly string[] }> };
      const cases: string[][] = d.commands ? [[], ["no-such-command"], ...Object.keys(d.commands).map((c) => [c])] : [[]];
      // One argument too many, for a script without a rest.
      if (!d.commands && !("rest" in d)) cases.push(Array.from({ length: d.params.length + 1 }, () => "x"));
      for (const args of cases) {
        // An empty PATH: were the block to let the call through, the first command the script runs would fail
        // with 127, not 2.
        const r = spawnSync("/bin/bash", [file, ...args], { env: { PATH: "/nonexistent" }, encoding: "utf8" });
        assert.equal(r.status, 2, `${s} ${args.join(" ")}: exit ${r.status}\n${r.stderr}`);
        assert.match(r.stderr, new RegExp(`^${s.replace(".", "\\.")}: usage: ${s.replace(".", "\\.")}`), `${s}: ${r.stderr}`);
        const def = d.commands?.[args[0]] ?? (d.commands ? undefined : d);
        for (const p of def?.params ?? []) assert.ok(r.stderr.includes(`<${p}>`), `${s} ${args[0] ?? ""}: usage lacks <${p}>`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the parameter block assigns each parameter to its name and leaves the rest in $@", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "host-scripts-"));
  try {
    // tls-ca.sh sign: mode, dir, days, cn, then names.
    const block = paramsBlock("tls-ca.sh");
    const file = path.join(dir, "probe.sh");
    writeFileSync(file, `die() { echo "die $*" >&2; exit "$1"; }\n${block}\necho "$mode|$dir|$days|$cn|$*"\n`);
    const r = spawnSync("bash", [file, "sign", "/ca", "30", "node one", "10.0.0.5", "n1"], { encoding: "utf8" });
    assert.equal(r.stdout, "sign|/ca|30|node one|10.0.0.5 n1\n", r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("callers name parameters; the arguments come out in the definition's order, and mistakes are refused", () => {
  assert.deepEqual(scriptArgs("tls-ca.sh sign", { cn: "node1", names: ["10.0.0.5", "node1"], days: "825", dir: "/ca" }), {
    script: "tls-ca.sh",
    args: ["sign", "/ca", "825", "node1", "10.0.0.5", "node1"],
  });
  assert.deepEqual(scriptArgs("service-stop.sh", { owner: "o", unit: "trino" }).args, ["trino", "o"]);
  const bad = <T>(f: () => T, re: RegExp) => assert.throws(f, re);
  bad(() => scriptArgs("service-stop.sh", { unit: "trino" } as never), /service-stop\.sh needs owner/);
  bad(() => scriptArgs("service-stop.sh", { unit: "u", owner: "o", extra: "x" } as never), /has no parameter extra/);
  bad(() => scriptArgs("tls-ca.sh sign", { dir: "/ca", days: "1", cn: "n", names: [] as string[] }), /at least 1 names/);
  bad(() => scriptArgs("tls-ca.sh nope" as never, {} as never), /has no command nope/);
  // Every call's parameters are all used: the block assigns exactly the definition's names.
  for (const call of calls()) {
    const [s, c] = call.split(" ");
    const d = HOST_SCRIPTS[s as keyof typeof HOST_SCRIPTS] as {
      params: readonly string[];
      commands?: Record<string, { params: readonly string[] }>;
      passThrough?: boolean;
    };
    const def = c ? d.commands![c] : d;
    if (d.passThrough) continue;
    for (const p of def.params) assert.match(paramsBlock(s as never), new RegExp(`\\b${p}=\\$\\{\\d+\\}`), `${call}: ${p}`);
  }
});
