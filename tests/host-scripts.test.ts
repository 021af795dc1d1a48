/**
 * The host scripts' contract (lib/host-scripts.ts): one definition per script names its parameters; the
 * installed script gets the shared prelude, a generated parameter block, the libraries it names and the services'
 * parts of it; callers pass parameters by name.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
  HOST_SCRIPTS,
  type ProbeCheck,
  SCRIPT_DIRS,
  SCRIPT_NAMES,
  ScriptCall,
  type ScriptParams,
  assembleScript,
  paramsBlock,
  probeScript,
  scriptArgs,
  scriptPath,
} from "../lib/host-scripts";
import { SERVICE_SCRIPT_PARTS } from "../services/scripts";

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
    type Def = { params: readonly string[]; passThrough?: boolean };
    const d = HOST_SCRIPTS[s as keyof typeof HOST_SCRIPTS] as Def & { commands?: Record<string, Def> };
    const def = c ? d.commands![c] : d;
    if (def.passThrough) continue;
    for (const p of def.params) assert.match(paramsBlock(s as never), new RegExp(`\\b${p}=\\$\\{\\d+\\}`), `${call}: ${p}`);
  }
});

test("`# @parts`: a generic script takes the services' parts of it, in the registry's order, their parameters after its own", () => {
  const ROOT_PARTS = path.join(ROOT, "services");
  // Every part on disk is registered, and every registered part is on disk (a part nobody registers is never run).
  const onDisk = readdirSync(ROOT_PARTS, { withFileTypes: true }).flatMap((d) => {
    const dir = path.join(ROOT_PARTS, d.name, "scripts", "parts");
    return d.isDirectory() && existsSync(dir) ? readdirSync(dir).map((f) => path.join(dir, f)) : [];
  });
  const registered = SERVICE_SCRIPT_PARTS.flatMap((set) => Object.keys(set.parts).map((script) => path.join(set.dir, script)));
  assert.deepEqual(registered.slice().sort(), onDisk.sort());
  for (const script of new Set(SERVICE_SCRIPT_PARTS.flatMap((set) => Object.keys(set.parts)))) {
    const parts = SERVICE_SCRIPT_PARTS.filter((set) => script in set.parts);
    const own = (HOST_SCRIPTS[script as keyof typeof HOST_SCRIPTS] as { params: readonly string[] }).params;
    const partParams = parts.flatMap((set) => (set.parts as Record<string, { params: readonly string[] }>)[script].params);
    // Its own parameters first (the source's marker line is the only one), then each part's, in the registry's order.
    assert.deepEqual(own.slice(own.length - partParams.length), partParams, script);
    assert.equal(new Set(own).size, own.length, `${script}: a parameter twice`);
    const installed = assembleScript(script as never);
    assert.ok(!installed.split("\n").includes("# @parts"), script);
    const at = parts.map((set) => {
      const file = path.join(set.dir, script);
      const i = installed.indexOf(`# --- part: ${path.relative(ROOT, file)} ---\n${readFileSync(file, "utf8").trimEnd()}`);
      assert.ok(i >= 0, `${script} lacks its part ${file}`);
      return i;
    });
    assert.deepEqual(
      at,
      at.slice().sort((a, b) => a - b),
      `${script}: the parts are not in the registry's order`,
    );
  }
  // A script without parts has no marker, and a call must give every part's parameter as well as the script's own.
  for (const s of SCRIPT_NAMES)
    if (!SERVICE_SCRIPT_PARTS.some((set) => s in set.parts))
      assert.ok(!readFileSync(scriptPath(s), "utf8").split("\n").includes("# @parts"), s);
  const own = { schema: "s", iceberg_dir: "/i", delta_dir: "/d", run_id: "r" };
  // @ts-expect-error the parts' parameters are the script's too: a call without them does not compile
  const partial: ScriptParams<"smoke-test.sh"> = own;
  assert.throws(() => scriptArgs("smoke-test.sh", partial), /smoke-test\.sh needs /);
});

test("`# @lib`: a library of components/scripts/lib is written once and put into each script that names it", () => {
  const lib = readFileSync(path.join(ROOT, "components", "scripts", "lib", "probe.py"), "utf8");
  const body = lib.slice(lib.search(/^# --- /m)).trimEnd();
  const probes = SCRIPT_NAMES.filter((s) => s.endsWith("-probe.sh"));
  assert.ok(probes.length >= 4, probes.join(" "));
  for (const s of probes) {
    const src = readFileSync(scriptPath(s), "utf8");
    assert.equal(src.split("\n").filter((l) => l === "# @lib probe.py").length, 1, s);
    assert.doesNotMatch(src, /^def (get|jmx_bean|spnego_bean|probe)\(/m, `${s} has its own copy of a shared helper`);
    const installed = assembleScript(s);
    // Once, with @SCRIPT@ as the script's name (its usage message).
    assert.equal(installed.split(body.replace(/@SCRIPT@/g, s)).length, 2, s);
    assert.ok(!/^# @lib /m.test(installed), s);
  }
});

test("each membership check has one probe, which takes it as its first argument (service-converge.sh's contract)", () => {
  const checks: Record<ProbeCheck, string> = {
    "trino-worker": "trino-probe.sh",
    "spark-worker": "spark-probe.sh",
    datanode: "hdfs-probe.sh",
    "flink-taskmanager": "flink-probe.sh",
  };
  for (const [check, script] of Object.entries(checks)) assert.equal(probeScript(check as ProbeCheck), script);
  for (const s of SCRIPT_NAMES.filter((x) => x.endsWith("-probe.sh"))) {
    const d = HOST_SCRIPTS[s] as { commandVar?: string; commands?: Record<string, unknown> };
    assert.equal(d.commandVar, "check", s);
    for (const c of Object.keys(d.commands!)) assert.equal(probeScript(c as ProbeCheck), s, c);
  }
  // @ts-expect-error a check no probe has does not compile
  assert.throws(() => probeScript("namenode"), /no probe has the check namenode/);
});
