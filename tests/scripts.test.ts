/**
 * The host scripts (lib/host-scripts.ts SCRIPT_NAMES: components/scripts/*.sh and services/<name>/scripts/*.sh). Static checks on every script: shebang and strict mode, `bash -n`,
 * shellcheck, and the secret rules (a secret read from stdin only ever reaches shell builtins or another
 * process's stdin: never a command line, an `env VAR=...`, `set -x` or an echo). Then behaviour:
 *  - the SCRAM-SHA-256 verifier generator inside postgres-setup.sh (its very text, run with python3) against an
 *    independent computation here (Node's crypto, RFC 5802/7677) and RFC 7677's worked example;
 *  - postgres-setup.sh and metastore-schema.sh end to end against a throwaway PostgreSQL cluster (initdb in a
 *    temp dir, unix socket only) when the server binaries are installed: logins with the password work, reruns
 *    are idempotent, and the password is in no output, no server log line and (under strace, when it works
 *    here) no argv or environment of any process the scripts start;
 *  - hdfs-format.sh's format-once guard with a stand-in `hdfs`;
 *  - hdfs-membership.sh's decommissioning with a stand-in NameNode (`systemctl is-active`, `hdfs dfsadmin`).
 * System commands the scripts would run on a real host (systemctl, apt-get, runuser...) are stubs on PATH, and
 * fixed host paths (/etc/postgresql, /var/lib/lakehouse-iac, /var/log/lakehouse) are rewritten into a temp dir.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { createHash, createHmac, pbkdf2Sync } from "node:crypto";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { HOST_BIN, installedScriptName, scriptCommandLine, shq } from "../lib/shell";
import { assembleScript, type ProbeCheck, probeScript, SCRIPT_NAMES, scriptArgs, type ScriptParams } from "../lib/host-scripts";
import { CA_TRUSTSTORE } from "../lib/model";
import type { SmokeTestResult } from "../components/smoke-test";
import { certificateSha256 } from "../components/tls";

const execFileP = promisify(execFile);
/**
 * The scripts as the hosts get them (lib/host-scripts.ts: the prelude and the generated parameter block put in),
 * written once into a temp dir: every test below runs and checks these, not the sources.
 */
const SCRIPTS = [...SCRIPT_NAMES].sort();
const SCRIPTS_DIR = mkdtempSync(path.join(tmpdir(), "lakehouse-scripts-"));
for (const name of SCRIPTS) writeFileSync(path.join(SCRIPTS_DIR, name), assembleScript(name), { mode: 0o755 });
process.on("exit", () => rmSync(SCRIPTS_DIR, { recursive: true, force: true }));
const text = (name: string) => readFileSync(path.join(SCRIPTS_DIR, name), "utf8");

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}
function run(
  cmd: string,
  args: string[],
  opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string; timeout?: number } = {},
): Run {
  const r = spawnSync(cmd, args, { input: opts.input ?? "", env: opts.env ?? process.env, cwd: opts.cwd, timeout: opts.timeout ?? 30_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout.toString("utf8"), stderr: r.stderr.toString("utf8") };
}
const onPath = (cmd: string) => spawnSync("bash", ["-c", `command -v -- "$1" >/dev/null`, "_", cmd]).status === 0;
const show = (r: Run) => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
function loudSkip(what: string, reason: string): string {
  console.error(`\n*** SKIPPED: ${what}: ${reason}\n`);
  return reason;
}

// ---------------------------------------------------------------------------------------------------------------
// Static checks
// ---------------------------------------------------------------------------------------------------------------

test("there are host scripts to check", () => {
  assert.ok(SCRIPTS.length >= 10, `only ${SCRIPTS.length} scripts in ${SCRIPTS_DIR}`);
});

for (const name of SCRIPTS) {
  test(`${name}: shebang, then \`set -euo pipefail\` before any command`, () => {
    const lines = text(name).split("\n");
    assert.equal(lines[0], "#!/usr/bin/env bash");
    const first = lines.slice(1).find((l) => l.trim() !== "" && !l.trim().startsWith("#"));
    assert.equal(first, "set -euo pipefail");
  });

  test(`${name}: bash -n parses it`, () => {
    const r = run("bash", ["-n", path.join(SCRIPTS_DIR, name)]);
    assert.equal(r.status, 0, show(r));
  });

  test(`${name}: no secret on a command line, in an env assignment, in a trace or an echo`, () => {
    const problems = secretProblems(text(name));
    assert.deepEqual(problems, [], problems.join("\n"));
  });
}

const shellcheckSkip = onPath("shellcheck")
  ? undefined
  : process.env.CI
    ? undefined // in CI a missing shellcheck fails below (.ci/run installs it)
    : loudSkip("shellcheck of the host scripts", "shellcheck is not on PATH (apt-get install -y shellcheck)");
test("shellcheck passes every script", { skip: shellcheckSkip }, () => {
  assert.ok(onPath("shellcheck"), "shellcheck is not on PATH, and CI must run it (apt-get install -y shellcheck)");
  const r = run("shellcheck", ["-x", "-f", "gcc", ...SCRIPTS], { cwd: SCRIPTS_DIR });
  assert.equal(r.status, 0, show(r));
});

/** A variable that names a secret. */
const SECRET_NAME = /pass|pw|secret|token|b64/i;
/** Commands that may see a secret as an argument: shell builtins that neither exec nor print it. */
const SAFE_WORDS = new Set(["printf", "[", "[[", "test", "local", "unset", "read", "true", ":"]);

/**
 * What is wrong in a script's handling of secrets. A secret variable is one a `read` fills (stdin is where
 * secrets arrive) whose name says so; every expansion of it must be an argument of a shell builtin (printf into
 * a pipe, a test), of a function of the script that only runs such builtins, or a here-string (stdin).
 */
function secretProblems(src: string): string[] {
  const problems: string[] = [];
  const lines = src.split("\n");
  lines.forEach((l, i) => {
    if (/^\s*set\s+(?:-[a-zA-Z]*x[a-zA-Z]*\b|.*-o\s+xtrace\b)/.test(l) || /\bbash\s+-[a-zA-Z]*x\b/.test(l))
      problems.push(`line ${i + 1}: xtrace prints values: ${l}`);
    if (/\bPGPASSWORD\b/.test(l) && !l.trim().startsWith("#")) problems.push(`line ${i + 1}: PGPASSWORD (use a password file): ${l}`);
    const envSecret = /\benv\s+(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*[A-Za-z_][A-Za-z0-9_]*="?\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;
    for (const m of l.matchAll(envSecret)) {
      if (SECRET_NAME.test(m[1])) problems.push(`line ${i + 1}: env passes $${m[1]} on a command line: ${l}`);
    }
  });
  const secrets = new Set<string>();
  for (const m of src.matchAll(/\bread\s+(?:-[a-zA-Z]+\s+)*([A-Za-z_][A-Za-z0-9_ ]*)/g)) {
    for (const v of m[1].trim().split(/\s+/)) if (SECRET_NAME.test(v)) secrets.add(v);
  }
  // Functions of the script that only run builtins (e.g. an escaper built from local and printf).
  const safeFunctions = new Set<string>();
  for (const m of src.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)\(\)\s*\{(.*)\}\s*$/gm)) {
    const words = m[2].split(";").map((c) => commandWord(c));
    if (words.every((w) => w === "" || SAFE_WORDS.has(w))) safeFunctions.add(m[1]);
  }
  lines.forEach((l, i) => {
    if (l.trim().startsWith("#")) return;
    for (const v of secrets) {
      for (const m of l.matchAll(new RegExp(`\\$\\{?${v}\\b`, "g"))) {
        const before = l.slice(0, m.index);
        if (/<<<\s*"?$/.test(before)) continue; // a here-string: the value goes to stdin
        const word = commandWord(lastCommand(before));
        if (!SAFE_WORDS.has(word) && !safeFunctions.has(word)) problems.push(`line ${i + 1}: $${v} is an argument of '${word}': ${l}`);
      }
    }
  });
  return problems;
}
/** The text of the (innermost) simple command that `before` ends inside. */
function lastCommand(before: string): string {
  let cut = 0;
  // Separators inside single quotes are text: blank those out (same length, so indexes still hold).
  const unquoted = before.replace(/'[^']*'/g, (q) => " ".repeat(q.length));
  for (const m of unquoted.matchAll(/\$\(|\|\||&&|[;|({]|\b(?:then|do|else|if|while|until)\s/g)) cut = m.index + m[0].length;
  return before.slice(cut);
}
/** The command word of a simple command: the first word after any VAR=value assignments and a `!`. */
function commandWord(cmd: string): string {
  const rest = cmd.replace(/^\s*(?:!\s+)?(?:[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|'[^']*'|\S)*\s+)*/, "");
  return /^\S*/.exec(rest)![0];
}

test("the secret check itself catches the leaks it is for", () => {
  for (const leak of [
    'runuser -u postgres -- env LH_PW="$password" psql -X',
    'echo "pw: $password"',
    "psql -c \"ALTER ROLE x PASSWORD '$password'\"",
    "x=$(python3 -c 'print(1)' \"$password\")",
    'PGPASSWORD="$password" psql -c "SELECT 1"',
    "set -x",
    "set -euxo pipefail",
  ]) {
    assert.notDeepEqual(secretProblems(`IFS= read -r password || true\n${leak}`), [], `not caught: ${leak}`);
  }
  assert.match(secretProblems("read -r pw\nx=$(python3 -c 'print(1)' \"$pw\")").join(), /argument of 'python3'/);
  const fine = [
    "IFS= read -r password || true",
    '[ -n "$password" ] || exit 2',
    'v=$(printf \'%s\\n\' "$password" | python3 -c "$code")',
    'python3 -c "$code" <<<"$password"',
    'esc() { local v="${1//:/\\\\:}"; printf \'%s\' "$v"; }',
    'line=$(esc "$password")',
  ].join("\n");
  assert.deepEqual(secretProblems(fine), []);
});

// ---------------------------------------------------------------------------------------------------------------
// The SCRAM-SHA-256 verifier of postgres-setup.sh
// ---------------------------------------------------------------------------------------------------------------

/** The hosts' python3 is Debian's /usr/bin/python3: that one when present (a pyenv shim starts much slower). */
const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const SCRAM_PY = (() => {
  const m = /<<'SCRAM_PY'\n([\s\S]*?)\nSCRAM_PY\n/.exec(text("postgres-setup.sh"));
  assert.ok(m, "postgres-setup.sh has no <<'SCRAM_PY' ... SCRAM_PY block");
  return m[1];
})();
/** Runs the generator: stdin = password, current verifier. */
function scramPy(password: string | Buffer, current = "", args: string[] = []): string {
  const input = Buffer.concat([Buffer.from(password), Buffer.from(`\n${current}\n`)]);
  const r = run(PYTHON, ["-c", SCRAM_PY, ...args], { input });
  assert.equal(r.status, 0, show(r));
  return r.stdout.trim();
}
function scramKeys(password: Buffer, salt: Buffer, iterations: number) {
  const salted = pbkdf2Sync(password, salt, iterations, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  return {
    clientKey,
    storedKey: createHash("sha256").update(clientKey).digest(),
    serverKey: createHmac("sha256", salted).update("Server Key").digest(),
  };
}
function nodeVerifier(prepared: string | Buffer, salt: Buffer, iterations: number): string {
  const k = scramKeys(Buffer.from(prepared), salt, iterations);
  return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${k.storedKey.toString("base64")}:${k.serverKey.toString("base64")}`;
}
const VERIFIER = /^SCRAM-SHA-256\$(\d+):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/;

describe("SCRAM-SHA-256 verifier (postgres-setup.sh's python snippet)", () => {
  const salt = Buffer.from("W22ZaJ0SNY7soEsUEjb6gQ==", "base64");

  test("equals an independent computation (PBKDF2-HMAC-SHA-256, HMAC, SHA-256) in PostgreSQL's format", () => {
    for (const [pw, it] of [
      ["pencil", 4096],
      ["correct horse battery staple", 4096],
      ["x", 1],
      ["Zq8Lk3Y7wTn:pv\\9'\"$", 10000],
    ] as const) {
      assert.equal(scramPy(pw, "", [salt.toString("base64"), String(it)]), nodeVerifier(pw, salt, it), pw);
    }
  });

  test("RFC 7677's example exchange verifies against its StoredKey and ServerKey", () => {
    const v = VERIFIER.exec(scramPy("pencil", "", ["W22ZaJ0SNY7soEsUEjb6gQ==", "4096"]))!;
    const storedKey = Buffer.from(v[3], "base64");
    const serverKey = Buffer.from(v[4], "base64");
    const authMessage =
      "n=user,r=rOprNGfwEbeRWgbNEkqO," +
      "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096," +
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    // The server's check of the client's proof: ClientKey = proof XOR HMAC(StoredKey, AuthMessage); H(ClientKey) = StoredKey.
    const proof = Buffer.from("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "base64");
    const clientSignature = createHmac("sha256", storedKey).update(authMessage).digest();
    const clientKey = Buffer.from(proof.map((b, i) => b ^ clientSignature[i]));
    assert.deepEqual(createHash("sha256").update(clientKey).digest(), storedKey);
    const serverSignature = createHmac("sha256", serverKey).update(authMessage).digest("base64");
    assert.equal(serverSignature, "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
  });

  test("by default: a fresh 16-byte salt and 4096 iterations, and the verifier matches the password", () => {
    const a = VERIFIER.exec(scramPy("pencil"))!;
    const b = VERIFIER.exec(scramPy("pencil"))!;
    assert.ok(a && b);
    assert.equal(a[1], "4096");
    assert.equal(Buffer.from(a[2], "base64").length, 16);
    assert.notEqual(a[2], b[2], "two runs drew the same salt");
    assert.equal(a[0], nodeVerifier("pencil", Buffer.from(a[2], "base64"), 4096));
  });

  test("'unchanged' only when the current verifier is one of this password", () => {
    const v = scramPy("pencil");
    assert.equal(scramPy("pencil", v), "unchanged");
    assert.match(scramPy("pencil2", v), VERIFIER);
    assert.match(scramPy("pencil", "md5a3556571e93b0d20722ba62be61e8c2d"), VERIFIER);
    assert.match(scramPy("pencil", "SCRAM-SHA-256$4096:garbage"), VERIFIER);
    // Same StoredKey, other ServerKey: not a match.
    const m = VERIFIER.exec(v)!;
    assert.match(scramPy("pencil", `SCRAM-SHA-256$${m[1]}:${m[2]}$${m[3]}:${Buffer.alloc(32).toString("base64")}`), VERIFIER);
  });

  test("SASLprep as PostgreSQL's pg_saslprep: ASCII as is, RFC 4013 mapping and NFKC, raw bytes when prohibited", () => {
    const cases: [string, string | Buffer][] = [
      ["a\tb", "a\tb"], // ASCII, control character and all: unchanged
      ["I\u00adX", "IX"], // RFC 4013 example: soft hyphen maps to nothing
      ["\u00aa", "a"], // NFKC
      ["\u2168", "IX"], // ROMAN NUMERAL NINE, NFKC
      ["p\u00e4ss\u00a0w\u00f6rd", "p\u00e4ss w\u00f6rd"], // non-ASCII space maps to a space
      ["a\u0007\u00e9", "a\u0007\u00e9"], // non-ASCII with a control character: prohibited, raw bytes
      ["\u0627\u0031", "\u0627\u0031"], // RandALCat first but not last: prohibited, raw bytes
      ["\u0627\u0031\u0628", "\u0627\u0031\u0628"], // valid bidi: NFKC of itself
    ];
    for (const [pw, prepared] of cases) {
      assert.equal(scramPy(pw, "", [salt.toString("base64"), "4096"]), nodeVerifier(prepared, salt, 4096), JSON.stringify(pw));
    }
    const notUtf8 = Buffer.from([0x61, 0xff, 0x62]);
    assert.equal(scramPy(notUtf8, "", [salt.toString("base64"), "4096"]), nodeVerifier(notUtf8, salt, 4096));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Stubs and rewritten copies for the behavioural tests
// ---------------------------------------------------------------------------------------------------------------

const STUBS: Record<string, string> = {
  // runuser -u <user> [...] -- cmd...: run cmd as the test's user.
  runuser: 'while [ "$#" -gt 0 ] && [ "$1" != -- ]; do shift; done; shift; exec "$@"',
  systemctl: "exit 0",
  pg_isready: "exit 0",
  "dpkg-query": "echo 'install ok installed'",
  "apt-get": 'echo "stub: apt-get must not run here: $*" >&2; exit 99',
  usermod: 'echo "stub: usermod $*"',
};
function stubDir(root: string): string {
  const d = path.join(root, "stubs");
  mkdirSync(d, { recursive: true });
  for (const [name, body] of Object.entries(STUBS)) writeFileSync(path.join(d, name), `#!/usr/bin/env bash\n${body}\n`, { mode: 0o755 });
  if (PYTHON !== "python3") symlinkSync(PYTHON, path.join(d, "python3"));
  return d;
}
/** A copy of a script with fixed host paths replaced; each replaced text must occur (else the test is stale). */
function rewritten(root: string, name: string, replacements: [string, string][]): string {
  let s = text(name);
  for (const [from, to] of replacements) {
    assert.ok(s.includes(from), `${name} no longer contains ${JSON.stringify(from)}: update tests/scripts.test.ts`);
    s = s.split(from).join(to);
  }
  const p = path.join(root, name);
  writeFileSync(p, s, { mode: 0o755 });
  return p;
}
const me = {
  user: run("id", ["-un"]).stdout.trim(),
  group: run("id", ["-gn"]).stdout.trim(),
  root: process.getuid?.() === 0,
};
const straceWorks = onPath("strace") && spawnSync("strace", ["-f", "-qq", "-e", "trace=execve", "-o", "/dev/null", "true"]).status === 0;

// ---------------------------------------------------------------------------------------------------------------
// postgres-setup.sh and metastore-schema.sh against a throwaway PostgreSQL
// ---------------------------------------------------------------------------------------------------------------

function findPgBin(): string | undefined {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => ["postgres", "initdb", "pg_ctl", "psql"].every((b) => existsSync(path.join(base, v, "bin", b))))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0], "bin") : undefined;
}
const PG_BIN = findPgBin();
const pgSkip = !PG_BIN
  ? loudSkip(
      "PostgreSQL end-to-end tests",
      "no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/postgres); apt-get install -y postgresql",
    )
  : me.root && !run("id", ["-u", "nobody"]).stdout.trim()
    ? loudSkip("PostgreSQL end-to-end tests", "running as root and there is no 'nobody' user to run the server as")
    : undefined;

describe("postgres-setup.sh and metastore-schema.sh against a real PostgreSQL", { skip: pgSkip }, () => {
  const PW = "Zq8Lk3Y7wTn:pv\\9"; // ':' and '\' exercise the password file's escaping
  const PW2 = "Rk2Vb9Xc4Hm-second";
  const CORES = ["Zq8Lk3Y7wTn", "Rk2Vb9Xc4Hm"]; // what must never show up anywhere
  const ROLE = "lh_metastore";
  const DB = "lh_metastore_db";
  const PORT = "5432";
  let root = "";
  let sock = "";
  let serverLog = "";
  let setup = "";
  let schema = "";
  let env: NodeJS.ProcessEnv = {};
  const traces: string[] = [];
  const outputs: string[] = [];

  const asServer = (cmd: string, args: string[]) =>
    me.root ? run("runuser", ["-u", "nobody", "--", cmd, ...args], { cwd: root }) : run(cmd, args, { cwd: root });
  const psqlAs = (user: string, password: string | undefined, sql: string, db = "postgres"): Run => {
    const pass = path.join(root, `pgpass-${Math.random().toString(36).slice(2)}`);
    if (password !== undefined)
      writeFileSync(pass, `*:*:*:${user}:${password.replace(/\\/g, "\\\\").replace(/:/g, "\\:")}\n`, { mode: 0o600 });
    try {
      return run(path.join(PG_BIN!, "psql"), ["-X", "-w", "-tA", "-h", sock, "-p", PORT, "-U", user, "-d", db, "-c", sql], {
        env: { ...process.env, PGPASSFILE: pass },
      });
    } finally {
      rmSync(pass, { force: true });
    }
  };
  const superSql = (sql: string) => {
    const r = psqlAs("lhsuper", undefined, sql);
    assert.equal(r.status, 0, show(r));
    return r.stdout.trim();
  };
  /** Runs a script, under strace when it works here (every execve's argv and environment recorded). */
  const runScript = (script: string, args: string[], input: string, tmp?: string): Run => {
    const e = tmp ? { ...env, TMPDIR: tmp } : env;
    let r: Run;
    if (straceWorks) {
      const trace = path.join(root, `trace-${traces.length}.txt`);
      traces.push(trace);
      r = run("strace", ["-f", "-qq", "-v", "-s", "65536", "-e", "trace=execve", "-o", trace, "bash", script, ...args], { input, env: e });
    } else {
      r = run("bash", [script, ...args], { input, env: e });
    }
    outputs.push(r.stdout, r.stderr);
    return r;
  };
  const assertNoPassword = (where: string, s: string) => {
    for (const c of CORES) assert.ok(!s.includes(c), `the password shows in ${where}`);
  };

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), "lh-scripts-pg-"));
    chmodSync(root, 0o755);
    const data = path.join(root, "data");
    sock = path.join(root, "sock");
    serverLog = path.join(root, "server.log");
    mkdirSync(sock, { mode: 0o755 });
    mkdirSync(data, { mode: 0o700 });
    if (me.root) {
      const uid = Number(run("id", ["-u", "nobody"]).stdout.trim());
      const gid = Number(run("id", ["-g", "nobody"]).stdout.trim());
      for (const d of [sock, data]) chownSync(d, uid, gid);
      writeFileSync(serverLog, "");
      chownSync(serverLog, uid, gid);
    }
    const init = asServer(path.join(PG_BIN!, "initdb"), [
      "-D",
      data,
      "-U",
      "lhsuper",
      "--auth=trust",
      "-E",
      "UTF8",
      "--locale=C",
      "--no-sync",
    ]);
    assert.equal(init.status, 0, show(init));
    const confAdd = [
      "listen_addresses = ''",
      `unix_socket_directories = '${sock}'`,
      `port = ${PORT}`,
      "fsync = off",
      // Every statement is logged server-wide: the scripts must switch that off for their own sessions.
      "log_statement = 'all'",
      "log_min_error_statement = 'error'",
      "password_encryption = 'scram-sha-256'",
    ].join("\n");
    const conf = path.join(data, "postgresql.conf");
    writeFileSync(conf, `${readFileSync(conf, "utf8")}\n${confAdd}\n`);
    writeFileSync(path.join(data, "pg_hba.conf"), "local all lhsuper trust\nlocal all all scram-sha-256\n");
    const start = asServer(path.join(PG_BIN!, "pg_ctl"), ["-D", data, "-l", serverLog, "-w", "-t", "30", "start"]);
    assert.equal(start.status, 0, show(start) + (existsSync(serverLog) ? readFileSync(serverLog, "utf8") : ""));

    // postgres-setup.sh's fixed /etc/postgresql, in the temp dir; files owned by the test's user.
    const etc = path.join(root, "etc", "postgresql");
    mkdirSync(path.join(etc, "15", "main"), { recursive: true });
    writeFileSync(path.join(etc, "15", "main", "pg_hba.conf"), "local all postgres peer\n");
    setup = rewritten(root, "postgres-setup.sh", [
      ["/etc/postgresql", etc],
      ["-o postgres -g postgres", `-o ${me.user} -g ${me.group}`],
      ["postgres:postgres", `${me.user}:${me.group}`],
    ]);
    schema = path.join(SCRIPTS_DIR, "metastore-schema.sh");
    const hive = path.join(root, "hive");
    mkdirSync(path.join(hive, "bin"), { recursive: true });
    writeFileSync(path.join(hive, "bin", "schematool"), `#!/usr/bin/env bash\necho "stand-in schematool $*"\n`, { mode: 0o755 });
    env = {
      ...process.env,
      PATH: `${stubDir(root)}:${PG_BIN}:${process.env.PATH}`,
      // postgres-setup.sh's psql (run by runuser as "postgres") finds the throwaway server through these.
      PGHOST: sock,
      PGUSER: "lhsuper",
    };
  });

  after(() => {
    if (root && PG_BIN) asServer(path.join(PG_BIN, "pg_ctl"), ["-D", path.join(root, "data"), "-m", "immediate", "-w", "stop"]);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const setupArgs = ["postgresql", PORT, DB, ROLE, "off", "-", "/nonexistent/tls", "10.0.0.0/24", "192.168.5.7/32"];

  test("first run: creates role and database, sets the password; the password logs in, another does not", () => {
    const r = runScript(setup, setupArgs, `${PW}\n`);
    assert.equal(r.status, 0, show(r));
    assert.equal(
      r.stdout.trim(),
      `postgres ready: database ${DB}, role ${ROLE} (password set), ssl off, clients: 10.0.0.0/24 192.168.5.7/32`,
    );
    assert.equal(superSql(`SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '${DB}'`), ROLE);
    assert.match(superSql(`SELECT rolpassword FROM pg_authid WHERE rolname = '${ROLE}'`), VERIFIER);
    const ok = psqlAs(ROLE, PW, "SELECT current_user", DB);
    assert.equal(ok.status, 0, show(ok));
    assert.equal(ok.stdout.trim(), ROLE);
    assert.notEqual(psqlAs(ROLE, PW2, "SELECT 1", DB).status, 0, "a wrong password logged in");
    const hba = readFileSync(path.join(root, "etc/postgresql/15/main/pg_hba.conf"), "utf8");
    assert.match(hba, new RegExp(`host    ${DB}    ${ROLE}    192\\.168\\.5\\.7/32    scram-sha-256`));
    assert.match(readFileSync(path.join(root, "etc/postgresql/15/main/conf.d/lakehouse.conf"), "utf8"), new RegExp(`port = ${PORT}`));
  });

  test("second run with the same password: unchanged, same verifier", () => {
    const before = superSql(`SELECT rolpassword FROM pg_authid WHERE rolname = '${ROLE}'`);
    const r = runScript(setup, setupArgs, `${PW}\n`);
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /\(password unchanged\)/);
    assert.equal(superSql(`SELECT rolpassword FROM pg_authid WHERE rolname = '${ROLE}'`), before);
  });

  test("metastore-schema.sh: logs in through its private password file (':' and '\\' escaped), then initialises", () => {
    const tmp = mkdtempSync(path.join(root, "tmp-"));
    const args = [
      path.join(root, "hive"),
      "/opt/hadoop",
      "/opt/jdk",
      "/etc/hive",
      me.user,
      sock,
      PORT,
      DB,
      ROLE,
      "disable",
      "/nonexistent/ca.crt",
    ];
    const r = runScript(schema, args, `${PW}\n`, tmp);
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /stand-in schematool -dbType postgres -initSchema/);
    assert.match(r.stdout, /metastore schema initialised/);
    assert.deepEqual(readdirSync(tmp), [], "the password file was left behind");
    const bad = runScript(schema, args, `${PW2}\n`, tmp);
    assert.notEqual(bad.status, 0, show(bad));
    assert.match(bad.stderr, /metastore-schema\.sh: cannot query database/);
    assert.deepEqual(readdirSync(tmp), [], "the password file was left behind after a failure");
    assertNoPassword("metastore-schema.sh's output", r.stdout + r.stderr + bad.stdout + bad.stderr);
  });

  test("a new password: set; the new one logs in, the old one no longer does", () => {
    const r = runScript(setup, setupArgs, `${PW2}\n`);
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /\(password set\)/);
    assert.equal(psqlAs(ROLE, PW2, "SELECT 1", DB).status, 0);
    assert.notEqual(psqlAs(ROLE, PW, "SELECT 1", DB).status, 0);
  });

  test("non-ASCII passwords: the verifier logs in with libpq's own SASLprep", () => {
    for (const pw of ["p\u00e4ssw\u00f6rd", "I\u00adX-\u2168", "a\u0007\u00e9b", "\u0627\u0031"]) {
      const v = scramPy(pw);
      const r = run(
        path.join(PG_BIN!, "psql"),
        ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", sock, "-p", PORT, "-U", "lhsuper", "-d", "postgres"],
        {
          input: `SET log_statement = 'none';\nALTER ROLE ${ROLE} PASSWORD '${v}';\n`,
        },
      );
      assert.equal(r.status, 0, show(r));
      const login = psqlAs(ROLE, pw, "SELECT 1", DB);
      assert.equal(login.status, 0, `${JSON.stringify(pw)}: ${show(login)}`);
    }
  });

  test("ssl on: the node's CA-signed certificate for the server, hostssl lines only; a different certificate is refused", () => {
    // A node identity as tls-node.sh leaves it (key and certificate), made with the real scripts and openssl.
    const tls = path.join(root, "tls");
    const ca = path.join(root, "tls-ca");
    assert.equal(run("bash", [path.join(SCRIPTS_DIR, "tls-ca.sh"), "init", ca, "test CA", "30"]).status, 0);
    const csr = run("bash", [path.join(SCRIPTS_DIR, "tls-node.sh"), "csr", tls, "node1"]);
    const crt = run("bash", [path.join(SCRIPTS_DIR, "tls-ca.sh"), "sign", ca, "30", "node1", "10.0.0.5"], { input: csr.stdout });
    assert.equal(crt.status, 0, show(crt));
    const inst = run("bash", [path.join(SCRIPTS_DIR, "tls-node.sh"), "install", tls], {
      input: crt.stdout + readFileSync(path.join(ca, "ca.crt"), "utf8"),
    });
    assert.equal(inst.status, 0, show(inst));
    // The program's hash of the certificate (components/tls.ts); the script checks it with openssl and sha256sum.
    const sha = certificateSha256(readFileSync(path.join(tls, "node.crt"), "utf8"));
    const withSsl = rewritten(root, "postgres-setup.sh", [
      ["/etc/postgresql", path.join(root, "etc", "postgresql")],
      ["-o postgres -g postgres", `-o ${me.user} -g ${me.group}`],
      ["postgres:postgres", `${me.user}:${me.group}`],
    ]);
    const r = runScript(withSsl, ["postgresql", PORT, DB, ROLE, "on", sha, tls, "10.0.0.0/24"], `${PW2}\n`);
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /ssl on, clients: 10\.0\.0\.0\/24$/m);
    const confdir = path.join(root, "etc/postgresql/15/main");
    const conf = readFileSync(path.join(confdir, "conf.d/lakehouse.conf"), "utf8");
    assert.match(conf, /^ssl = on$/m);
    assert.ok(conf.includes(`ssl_cert_file = '${confdir}/lakehouse-tls.crt'`), conf);
    assert.ok(conf.includes(`ssl_key_file = '${confdir}/lakehouse-tls.key'`), conf);
    assert.match(conf, /^ssl_min_protocol_version = 'TLSv1\.2'$/m);
    // The server's copies: the node's certificate, and its key readable by the server's user only.
    assert.equal(readFileSync(path.join(confdir, "lakehouse-tls.crt"), "utf8"), readFileSync(path.join(tls, "node.crt"), "utf8"));
    assert.equal(statSync(path.join(confdir, "lakehouse-tls.key")).mode & 0o777, 0o600);
    const block = /# BEGIN lakehouse-iac\n([\s\S]*?)# END lakehouse-iac/.exec(readFileSync(path.join(confdir, "pg_hba.conf"), "utf8"))![1];
    assert.equal(block, `hostssl    ${DB}    ${ROLE}    10.0.0.0/24    scram-sha-256\n`);
    // Given another certificate's hash (the node's changed under it): refused, naming what it found.
    const other = runScript(withSsl, ["postgresql", PORT, DB, ROLE, "on", "0".repeat(64), tls, "10.0.0.0/24"], `${PW2}\n`);
    assert.equal(other.status, 1, show(other));
    assert.match(other.stderr, /the node certificate in .* is not the one this step was given/);
    const bad = runScript(withSsl, ["postgresql", PORT, DB, ROLE, "maybe", sha, tls, "10.0.0.0/24"], `${PW2}\n`);
    assert.equal(bad.status, 2, show(bad));
    assert.match(bad.stderr, /ssl must be on or off, not maybe/);
  });

  test("stdin without a password: exit 2, clear message", () => {
    const r = runScript(setup, setupArgs, "");
    assert.equal(r.status, 2, show(r));
    assert.match(r.stderr, /postgres-setup\.sh: no password on stdin/);
  });

  test("the passwords are in no output, no server log line, no argv and no environment", (t) => {
    assertNoPassword("the scripts' output", outputs.join("\n"));
    const log = readFileSync(serverLog, "utf8");
    assertNoPassword("the server log", log);
    assert.match(log, /statement: SELECT coalesce\(rolpassword/, "the server did not log statements: the log check proves nothing");
    assert.ok(!/SCRAM-SHA-256\$/.test(log), "a verifier is in the server log");
    if (!straceWorks) {
      t.skip(loudSkip("argv/environment check", "strace is not on PATH or cannot trace here"));
      return;
    }
    assert.ok(traces.length >= 4);
    for (const f of traces) {
      const trace = readFileSync(f, "utf8");
      assert.match(trace, /execve\(/, `${f} recorded nothing`);
      assertNoPassword(`an execve (argv or environment) in ${path.basename(f)}`, trace);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// hdfs-format.sh
// ---------------------------------------------------------------------------------------------------------------

describe("hdfs-format.sh: format once, fail safe", () => {
  const CID = "CID-test-1234";
  let root = "";
  let script = "";
  let home = "";
  let conf = "";
  let env: NodeJS.ProcessEnv = {};
  let nameDirs: string[] = [];
  let marker = "";
  let log = "";

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), "lh-scripts-hdfs-"));
    home = path.join(root, "hadoop");
    conf = path.join(root, "conf");
    mkdirSync(path.join(home, "bin"), { recursive: true });
    mkdirSync(conf);
    // Stand-in `hdfs namenode -format`: chatty on success, a stack trace when dfs.hosts is missing.
    writeFileSync(
      path.join(home, "bin", "hdfs"),
      [
        "#!/usr/bin/env bash",
        "set -euo pipefail",
        'echo "$*" >>"$HADOOP_CONF_DIR/calls"',
        '[ "$1 $2 $3 $4" = "namenode -format -nonInteractive -clusterid" ] || { echo "stand-in: unexpected $*" >&2; exit 2; }',
        'for i in $(seq 1 60); do echo "INFO namenode.NameNode: STARTUP_MSG line $i"; done',
        'if [ ! -f "$HADOOP_CONF_DIR/dfs.hosts" ] || [ ! -f "$HADOOP_CONF_DIR/dfs.hosts.exclude" ]; then',
        '  echo "java.io.FileNotFoundException: $HADOOP_CONF_DIR/dfs.hosts (No such file or directory)" >&2',
        '  for i in $(seq 1 30); do echo "	at org.apache.hadoop.util.HostsFileReader.frame$i(HostsFileReader.java:$i)" >&2; done',
        "  exit 1",
        "fi",
        'if [ -f "$HADOOP_CONF_DIR/fail" ]; then echo "ERROR namenode.NameNode: Failed to start namenode (stand-in failure)" >&2; exit 1; fi',
        'while read -r d; do mkdir -p "$d/current"; printf "clusterID=%s\\n" "$5" >"$d/current/VERSION"; : >"$d/current/fsimage_0000000000000000000"; done <"$HADOOP_CONF_DIR/name-dirs"',
        'echo "INFO common.Storage: Storage directory has been successfully formatted."',
      ].join("\n") + "\n",
      { mode: 0o755 },
    );
    nameDirs = [path.join(root, "nn1", "name"), path.join(root, "nn2", "name")];
    writeFileSync(path.join(conf, "name-dirs"), nameDirs.join("\n") + "\n");
    script = rewritten(root, "hdfs-format.sh", [
      ["state=/var/lib/lakehouse-iac", `state=${root}/state`],
      ['log_dir="/var/log/lakehouse/$user"', `log_dir="${root}/log/$user"`],
    ]);
    marker = path.join(root, "state", "hdfs-formatted");
    log = path.join(root, "log", me.user, "namenode-format.log");
    env = { ...process.env, PATH: `${stubDir(root)}:${process.env.PATH}` };
  });
  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const format = () => run("bash", [script, home, conf, "/opt/jdk", me.user, me.group, CID, ...nameDirs], { env });
  const calls = () => (existsSync(path.join(conf, "calls")) ? readFileSync(path.join(conf, "calls"), "utf8").trim().split("\n").length : 0);
  const wipe = () => {
    for (const d of nameDirs) rmSync(path.dirname(d), { recursive: true, force: true });
  };

  test("a failing format prints only the last lines of its log and a clear message; no marker", () => {
    writeFileSync(path.join(conf, "fail"), "");
    const r = format();
    rmSync(path.join(conf, "fail"));
    assert.equal(r.status, 1, show(r));
    assert.equal(r.stdout, "");
    const lines = r.stderr.trim().split("\n");
    assert.ok(lines.length <= 22, `${lines.length} lines:\n${r.stderr}`);
    assert.match(r.stderr, /Failed to start namenode/);
    assert.match(
      lines[lines.length - 1],
      /^hdfs-format\.sh: formatting the NameNode failed; the last lines of .*namenode-format\.log are above$/,
    );
    assert.ok(!existsSync(marker));
    assert.match(readFileSync(log, "utf8"), /STARTUP_MSG line 1\n/);
    wipe();
  });

  test("first format: membership files created empty (0644), one line of output, marker with the clusterID", () => {
    rmSync(path.join(conf, "dfs.hosts"), { force: true });
    rmSync(path.join(conf, "dfs.hosts.exclude"), { force: true });
    writeFileSync(path.join(conf, "dfs.hosts.exclude"), "dn9.example\n"); // an existing file is left alone
    const n = calls();
    const r = format();
    assert.equal(r.status, 0, show(r));
    assert.equal(r.stdout, `formatted (clusterID=${CID}); format log: ${log}\n`);
    assert.equal(r.stderr, "");
    assert.equal(calls(), n + 1);
    assert.equal(readFileSync(path.join(conf, "dfs.hosts"), "utf8"), "");
    assert.equal(statSync(path.join(conf, "dfs.hosts")).mode & 0o777, 0o644);
    assert.equal(readFileSync(path.join(conf, "dfs.hosts.exclude"), "utf8"), "dn9.example\n");
    assert.equal(readFileSync(marker, "utf8"), `${CID}\n`);
    for (const d of nameDirs) assert.equal(statSync(d).mode & 0o777, 0o700);
    assert.match(readFileSync(log, "utf8"), /successfully formatted/);
  });

  test("a rerun does not format", () => {
    const n = calls();
    const r = format();
    assert.equal(r.status, 0, show(r));
    assert.equal(r.stdout, `already formatted (clusterID=${CID}); not formatting\n`);
    assert.equal(calls(), n);
  });

  test("the marker says formatted but the name dirs are gone or empty: refuse (an unmounted disk is not a new cluster)", () => {
    const n = calls();
    wipe();
    let r = format();
    assert.equal(r.status, 1, show(r));
    assert.match(r.stderr, /refusing to format: .*hdfs-formatted says this NameNode was formatted \(clusterID=CID-test-1234\)/);
    for (const d of nameDirs) mkdirSync(d, { recursive: true });
    r = format();
    assert.equal(r.status, 1, show(r));
    assert.match(r.stderr, /refusing to format/);
    // One dir back (restored), one still empty: refuse too.
    mkdirSync(path.join(nameDirs[0], "current"));
    writeFileSync(path.join(nameDirs[0], "current", "VERSION"), `clusterID=${CID}\n`);
    writeFileSync(path.join(nameDirs[0], "current", "fsimage_0000000000000000000"), "");
    r = format();
    assert.equal(r.status, 1, show(r));
    assert.match(r.stderr, /1 name dir\(s\) already hold metadata and 1 are empty or absent/);
    assert.equal(calls(), n, "it ran the format");
  });

  test("an unreadable marker counts as formatted", () => {
    wipe();
    rmSync(marker);
    mkdirSync(marker); // not a readable file
    const r = format();
    assert.equal(r.status, 1, show(r));
    assert.match(r.stderr, /refusing to format: .*says this NameNode was formatted \(clusterID=unknown, .* is unreadable or empty\)/);
    rmSync(marker, { recursive: true });
  });

  test("no marker, formatted name dirs (a cluster from before the marker): no format, marker written", () => {
    for (const d of nameDirs) {
      mkdirSync(path.join(d, "current"), { recursive: true });
      writeFileSync(path.join(d, "current", "VERSION"), "clusterID=CID-older\n");
      writeFileSync(path.join(d, "current", "fsimage_0000000000000000000"), "");
    }
    const n = calls();
    const r = format();
    assert.equal(r.status, 0, show(r));
    assert.equal(r.stdout, "already formatted (clusterID=CID-older); not formatting\n");
    assert.equal(readFileSync(marker, "utf8"), "CID-older\n");
    assert.equal(calls(), n);
  });

  test("no marker: a non-empty unformatted dir or VERSION without fsimage refuses", () => {
    rmSync(marker);
    wipe();
    mkdirSync(nameDirs[0], { recursive: true });
    writeFileSync(path.join(nameDirs[0], "stray"), "x");
    let r = format();
    assert.equal(r.status, 1, show(r));
    assert.match(r.stderr, /is not empty but holds no NameNode metadata/);
    wipe();
    mkdirSync(path.join(nameDirs[0], "current"), { recursive: true });
    writeFileSync(path.join(nameDirs[0], "current", "VERSION"), `clusterID=${CID}\n`);
    r = format();
    assert.equal(r.status, 1, show(r));
    assert.match(r.stderr, /no fsimage_\* beside it/);
    assert.ok(!existsSync(marker));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// hdfs-membership.sh with a stand-in NameNode (systemctl and `hdfs dfsadmin` stubs)
// ---------------------------------------------------------------------------------------------------------------

describe("hdfs-membership.sh: a removed DataNode leaves only once the NameNode reports it Decommissioned", () => {
  const UNIT = "hadoop-hdfs-namenode";
  const [A, B, C, D] = ["10.0.0.11", "10.0.0.12", "10.0.0.13", "10.0.0.14"];
  type Report = Array<[host: string, status: string]>;
  let root = "";
  let home = "";
  let conf = "";
  let nn = "";
  let script = "";
  /** The same script polling every second instead of every 5 (for a test that walks through several reports). */
  let quick = "";
  let env: NodeJS.ProcessEnv = {};

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), "lh-scripts-members-"));
    home = path.join(root, "hadoop");
    conf = path.join(root, "conf");
    nn = path.join(root, "nn");
    mkdirSync(path.join(home, "bin"), { recursive: true });
    mkdirSync(conf);
    mkdirSync(nn);
    const stubs = stubDir(root);
    // The NameNode's unit is active while <nn>/active exists.
    writeFileSync(
      path.join(stubs, "systemctl"),
      `#!/usr/bin/env bash\nif [ "$1" = is-active ]; then echo "is-active \${*: -1}" >>${shq(nn)}/systemctl; [ -f ${shq(nn)}/active ]; exit; fi\nexit 0\n`,
      { mode: 0o755 },
    );
    // Stand-in `hdfs dfsadmin`: -refreshNodes records the membership files as the NameNode would re-read them;
    // -report prints <nn>/report.<call> (the last one again once they run out).
    writeFileSync(
      path.join(home, "bin", "hdfs"),
      [
        "#!/usr/bin/env bash",
        "set -euo pipefail",
        `d=${shq(nn)}`,
        'list() { { cat -- "$HADOOP_CONF_DIR/$1" 2>/dev/null || true; } | paste -sd , -; }',
        'case "$1 ${2:-}" in',
        '  "dfsadmin -refreshNodes") echo "refreshNodes include=$(list dfs.hosts) exclude=$(list dfs.hosts.exclude)" >>"$d/calls"; echo "Refresh nodes successful" ;;',
        '  "dfsadmin -report")',
        '    n=$(($(cat "$d/count" 2>/dev/null || echo 0) + 1)); echo "$n" >"$d/count"; last=$(cat "$d/last")',
        '    echo "report $n" >>"$d/calls"',
        '    cat -- "$d/report.$((n < last ? n : last))" ;;',
        '  *) echo "stand-in: unexpected $*" >&2; exit 2 ;;',
        "esac",
      ].join("\n") + "\n",
      { mode: 0o755 },
    );
    script = rewritten(root, "hdfs-membership.sh", []);
    const quickDir = path.join(root, "quick");
    mkdirSync(quickDir);
    quick = rewritten(quickDir, "hdfs-membership.sh", [["poll=5 ", "poll=1 "]]);
    env = { ...process.env, PATH: `${stubs}:${process.env.PATH}` };
  });
  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** `dfsadmin -report` as Hadoop prints it: one block per DataNode, `Name: <ip>:<port> (<host>)`, its status. */
  const reportText = (nodes: Report) =>
    [
      "Configured Capacity: 3000 (2.93 KB)",
      "-------------------------------------------------",
      `Live datanodes (${nodes.length}):`,
      "",
      ...nodes.flatMap(([h, st]) => [
        `Name: ${h}:9866 (dn-${h})`,
        `Hostname: dn-${h}`,
        `Decommission Status : ${st}`,
        "DFS Used: 1000 (1000 B)",
        "",
      ]),
    ].join("\n");
  /** A fresh NameNode stand-in and membership files (absent when undefined). */
  function setup(o: { active: boolean; include?: string[]; exclude?: string[]; reports?: Report[] }) {
    rmSync(nn, { recursive: true, force: true });
    mkdirSync(nn);
    if (o.active) writeFileSync(path.join(nn, "active"), "");
    const reports = o.reports ?? [[]];
    reports.forEach((r, i) => writeFileSync(path.join(nn, `report.${i + 1}`), reportText(r)));
    writeFileSync(path.join(nn, "last"), `${reports.length}\n`);
    for (const [f, hosts] of [
      ["dfs.hosts", o.include],
      ["dfs.hosts.exclude", o.exclude],
    ] as const) {
      rmSync(path.join(conf, f), { force: true });
      if (hosts) writeFileSync(path.join(conf, f), hosts.map((h) => `${h}\n`).join(""));
    }
  }
  const membership = (timeout: number, hosts: string[], s = script) =>
    run("bash", [s, home, conf, "/opt/jdk", me.user, UNIT, String(timeout), "-", ...hosts], { env });
  const listed = (f: string) => readFileSync(path.join(conf, f), "utf8").split("\n").filter(Boolean);
  const calls = () => (existsSync(path.join(nn, "calls")) ? readFileSync(path.join(nn, "calls"), "utf8").trim().split("\n") : []);

  test("NameNode running: excluded, refreshNodes, waited for (not listed, in progress) until Decommissioned; then removed", () => {
    const live: Report = [
      [A, "Normal"],
      [B, "Normal"],
    ];
    setup({
      active: true,
      include: [A, B, C],
      exclude: [],
      // Not listed at first (re-registering): that is not done.
      reports: [live, [...live, [C, "Decommission in progress"]], [...live, [C, "Decommissioned"]]],
    });
    const r = membership(60, [A, B], quick);
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /^decommissioning DataNode 10\.0\.0\.13$/m);
    assert.match(r.stdout, /^DataNode 10\.0\.0\.13: Decommissioned$/m);
    assert.match(r.stdout, /^membership updated: 2 DataNodes; decommissioned and removed: 10\.0\.0\.13 ?$/m);
    assert.deepEqual(listed("dfs.hosts"), [A, B]);
    assert.deepEqual(listed("dfs.hosts.exclude"), []);
    assert.deepEqual(calls(), [
      `refreshNodes include=${A},${B},${C} exclude=${C}`,
      "report 1",
      "report 2",
      "report 3",
      `refreshNodes include=${A},${B} exclude=`,
    ]);
    // A rerun: nothing to do, no refresh.
    const again = membership(60, [A, B], quick);
    assert.equal(again.status, 0, show(again));
    assert.equal(again.stdout, "membership unchanged: 2 DataNodes\n");
    assert.equal(calls().length, 5);
  });

  test("a node the NameNode does not list is not done: on timeout the apply fails naming it; it stays excluded", () => {
    setup({
      active: true,
      include: [A, B, C],
      exclude: [],
      reports: [
        [
          [A, "Normal"],
          [B, "Normal"],
          ["10.0.0.130", "Decommissioned"], // another address that merely starts with C's
        ],
      ],
    });
    const r = membership(1, [A, B]);
    assert.equal(r.status, 1, show(r));
    assert.match(
      r.stderr,
      /^hdfs-membership\.sh: the NameNode does not list DataNode 10\.0\.0\.13 \(dfsadmin -report\) after 1s of decommissioning, so the replicas of its blocks could not be confirmed: it stays excluded/m,
    );
    assert.doesNotMatch(r.stdout, /Decommissioned|membership updated/);
    assert.deepEqual(listed("dfs.hosts"), [A, B, C]);
    assert.deepEqual(listed("dfs.hosts.exclude"), [C]);
    const c = calls();
    assert.equal(c[0], `refreshNodes include=${A},${B},${C} exclude=${C}`);
    assert.ok(c.length >= 2 && c.slice(1).every((l) => l.startsWith("report ")), c.join("\n"));
  });

  test("still in progress at the timeout: fails naming the node and the seconds (the wait is bounded by the timeout); a later apply finishes it", () => {
    const live: Report = [
      [A, "Normal"],
      [B, "Normal"],
    ];
    setup({ active: true, include: [A, B, C], exclude: [], reports: [[...live, [C, "Decommission in progress"]]] });
    const started = Date.now();
    const r = membership(2, [A, B]);
    const seconds = (Date.now() - started) / 1000;
    assert.equal(r.status, 1, show(r));
    assert.match(
      r.stderr,
      /^hdfs-membership\.sh: DataNode 10\.0\.0\.13 is still 'Decommission in progress' after 2s of decommissioning: it stays excluded; re-run the apply to finish$/m,
    );
    assert.ok(seconds < 4.8, `a 2 s timeout took ${seconds} s: the poll must not sleep past the deadline`);
    assert.doesNotMatch(r.stdout, /membership updated/);
    assert.deepEqual(listed("dfs.hosts"), [A, B, C]);
    assert.deepEqual(listed("dfs.hosts.exclude"), [C]);
    assert.equal(calls().filter((l) => l.startsWith("refreshNodes")).length, 1);
    // The next apply: the NameNode now reports it Decommissioned, so it goes.
    setup({ active: true, include: [A, B, C], exclude: [C], reports: [[...live, [C, "Decommissioned"]]] });
    const next = membership(2, [A, B]);
    assert.equal(next.status, 0, show(next));
    assert.match(next.stdout, /^DataNode 10\.0\.0\.13: Decommissioned$/m);
    assert.deepEqual(listed("dfs.hosts"), [A, B]);
    assert.deepEqual(listed("dfs.hosts.exclude"), []);
  });

  test("NameNode stopped and a DataNode removed: refused, naming the node; the files are unchanged", () => {
    setup({ active: false, include: [A, B, C], exclude: [D] });
    const before = [readFileSync(path.join(conf, "dfs.hosts"), "utf8"), readFileSync(path.join(conf, "dfs.hosts.exclude"), "utf8")];
    let r = membership(60, [A, B]);
    assert.equal(r.status, 1, show(r));
    assert.equal(
      r.stderr,
      `hdfs-membership.sh: the NameNode (unit ${UNIT}) is not running, so DataNode ${C} cannot be decommissioned; start it and run the apply again; ${C} stays in the membership (nothing was changed)\n`,
    );
    assert.equal(r.stdout, "");
    // Two of them, and an addition beside: still nothing written.
    r = membership(60, [A, D]);
    assert.equal(r.status, 1, show(r));
    assert.match(r.stderr, /so DataNodes 10\.0\.0\.12 10\.0\.0\.13 cannot be decommissioned; .*they stay in the membership/);
    assert.deepEqual(
      [readFileSync(path.join(conf, "dfs.hosts"), "utf8"), readFileSync(path.join(conf, "dfs.hosts.exclude"), "utf8")],
      before,
    );
    assert.deepEqual(readdirSync(conf).sort(), ["dfs.hosts", "dfs.hosts.exclude"], "no temp file left");
    assert.deepEqual(calls(), [], "no dfsadmin");
  });

  test("NameNode stopped, nodes only added (or a first write): the files are written, no dfsadmin", () => {
    setup({ active: false });
    let r = membership(60, [B, A]);
    assert.equal(r.status, 0, show(r));
    assert.equal(r.stdout, "membership written (NameNode not running): 2 DataNodes\n");
    assert.deepEqual(listed("dfs.hosts"), [A, B]);
    assert.deepEqual(listed("dfs.hosts.exclude"), []);
    assert.equal(statSync(path.join(conf, "dfs.hosts")).mode & 0o777, 0o644);
    // C joins; it was left excluded by an earlier decommission that never finished: now it is wanted again.
    writeFileSync(path.join(conf, "dfs.hosts.exclude"), `${C}\n`);
    r = membership(60, [A, B, C]);
    assert.equal(r.status, 0, show(r));
    assert.deepEqual(listed("dfs.hosts"), [A, B, C]);
    assert.deepEqual(listed("dfs.hosts.exclude"), []);
    assert.deepEqual(calls(), []);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The membership probes (services/<name>/scripts/<name>-probe.sh) against recorded master answers, and
// service-converge.sh's probe kind
// ---------------------------------------------------------------------------------------------------------------

describe("the membership probes: a worker is healthy only for a registration of this address by its current process", () => {
  // Samples shaped as the sources write them: Spark's JsonProtocol.writeMasterState/writeWorkerInfo, Hadoop's
  // FSNamesystem.getLiveNodes (NameNodeInfo, LiveNodes as a JSON string) and BPServiceActor.getActorInfoMap
  // (DataNodeInfo, BPServiceActorInfo as a JSON string), Flink's TaskManagersInfo (1.20: id <host>:<port>-<hex>,
  // path pekko.tcp://...; timeSinceLastHeartbeat is a timestamp in ms), Trino's /v1/statement protocol.
  let server: Server;
  let base = "";
  let routes: Record<string, (body: string, headers: IncomingHttpHeaders) => unknown> = {};
  const requests: Array<{ url: string; body: string; headers: IncomingHttpHeaders }> = [];
  before(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => (body += d.toString("utf8")));
      req.on("end", () => {
        requests.push({ url: req.url!, body, headers: req.headers });
        const route = routes[`${req.method} ${req.url}`];
        if (!route) {
          res.writeHead(404).end("no such route");
          return;
        }
        res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(route(body, req.headers)));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  /** The check's probe (its service's), called as service-converge.sh calls it: <check> <since> <args...>. */
  const probe = async (check: ProbeCheck, ...args: string[]): Promise<Run> => {
    try {
      const r = await execFileP("bash", [path.join(SCRIPTS_DIR, probeScript(check)), check, ...args], {
        env: { ...process.env, TZ: "UTC", PATH: `${path.dirname(PYTHON)}:${process.env.PATH}` },
        timeout: 30_000,
      });
      return { status: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const x = e as { code?: number; stdout?: string; stderr?: string };
      return { status: typeof x.code === "number" ? x.code : null, stdout: x.stdout ?? "", stderr: x.stderr ?? "" };
    }
  };
  const utc = (s: string) => String(Date.parse(s) / 1000);

  test("spark-worker: the previous process's registration (DEAD, or still ALIVE) and other hosts do not count", async () => {
    const worker = (id: string, host: string, state: string, hb: number) => ({
      id,
      host,
      port: 7078,
      webuiaddress: `http://${host}:8091`,
      cores: 4,
      coresused: 0,
      coresfree: 4,
      memory: 4096,
      memoryused: 0,
      memoryfree: 4096,
      resources: {},
      resourcesused: {},
      resourcesfree: {},
      state,
      lastheartbeat: hb,
    });
    const master = (workers: unknown[]) => ({
      url: "spark://10.0.0.5:7077",
      workers,
      aliveworkers: workers.filter((w) => (w as { state: string }).state === "ALIVE").length,
      cores: 8,
      coresused: 0,
      memory: 8192,
      memoryused: 0,
      resources: [],
      resourcesused: [],
      activeapps: [],
      completedapps: [],
      activedrivers: [],
      completeddrivers: [],
      status: "ALIVE",
    });
    const since = utc("2026-12-01T08:05:00Z");
    const old = worker("worker-20261201080000-10.0.0.1-7078", "10.0.0.1", "DEAD", 1796112050000);
    const oldAlive = { ...old, state: "ALIVE" };
    const fresh = worker("worker-20261201080512-10.0.0.1-7078", "10.0.0.1", "ALIVE", 1796112313000);
    const other = worker("worker-20261201080530-10.0.0.12-7078", "10.0.0.12", "ALIVE", 1796112330000);
    const url = `${base}/json/`;
    for (const [workers, healthy] of [
      [[old], false],
      [[oldAlive], false],
      [[old, other], false],
      [[{ ...fresh, state: "DECOMMISSIONED" }], false],
      [[{ ...fresh, port: 7079, id: "worker-20261201080512-10.0.0.1-7079" }], false],
      [[old, fresh, other], true],
    ] as const) {
      routes = { "GET /json/": () => master([...workers]) };
      const r = await probe("spark-worker", since, url, "10.0.0.1", "7078");
      assert.equal(r.status, healthy ? 0 : 1, `${JSON.stringify(workers.map((w) => [w.id, w.state]))}\n${show(r)}`);
      if (!healthy) assert.match(r.stdout, /no ALIVE registration of 10\.0\.0\.1:7078 since/);
    }
    // Unknown start time (0): any ALIVE registration of exactly this host:port.
    routes = { "GET /json/": () => master([oldAlive, other]) };
    assert.equal((await probe("spark-worker", "0", url, "10.0.0.1", "7078")).status, 0);
    assert.equal((await probe("spark-worker", "0", url, "10.0.0.2", "7078")).status, 1);
  });

  test("datanode: registered by this process (actor RUNNING) and live at exactly host:port since the start", async () => {
    const entry = (ip: string, lastContact: number) => ({
      infoAddr: `${ip}:9864`,
      infoSecureAddr: `${ip}:0`,
      xferaddr: `${ip}:9866`,
      location: "/default-rack",
      uuid: "3f0c5a1e-7d2b-4c55-9a57-0b6f9f1e2d11",
      lastContact,
      usedSpace: 1234567,
      adminState: "In Service",
      nonDfsUsedSpace: 2345678,
      capacity: 107374182400,
      numBlocks: 12,
      version: "3.4.1",
      used: 1234567,
      remaining: 100000000000,
      blockScheduled: 0,
      blockPoolUsed: 1234567,
      blockPoolUsedPercent: 0.001,
      volfails: 0,
      lastBlockReport: 0,
    });
    const nn = (live: Record<string, unknown>) => ({
      beans: [
        {
          name: "Hadoop:service=NameNode,name=NameNodeInfo",
          modelerType: "org.apache.hadoop.hdfs.server.namenode.FSNamesystem",
          ClusterId: "CID-1",
          LiveNodes: JSON.stringify(live),
          DeadNodes: "{}",
          DecomNodes: "{}",
        },
      ],
    });
    const dn = (state: string) => ({
      beans: [
        {
          name: "Hadoop:service=DataNode,name=DataNodeInfo",
          modelerType: "org.apache.hadoop.hdfs.server.datanode.DataNode",
          ClusterId: "CID-1",
          BPServiceActorInfo: JSON.stringify([
            {
              NamenodeAddress: "cpu-node1:9000",
              BlockPoolID: "BP-1-10.0.0.5-1",
              ActorState: state,
              LastHeartbeat: "1",
              LastBlockReport: "5",
              maxBlockReportSize: "0",
              maxDataLength: "134217728",
            },
          ]),
        },
      ],
    });
    const nnUrl = `${base}/nn/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo`;
    const dnUrl = `${base}/dn/jmx?qry=Hadoop:service=DataNode,name=DataNodeInfo`;
    const since = String(Math.floor(Date.now() / 1000) - 30); // the unit started 30 s ago
    for (const [live, actor, healthy, why] of [
      [{ "worker-node3:9866": entry("10.0.0.1", 2) }, "RUNNING", true, ""],
      // The NameNode still lists the previous process: its last heartbeat is older than this start.
      [{ "worker-node3:9866": entry("10.0.0.1", 40) }, "RUNNING", false, /not after this start/],
      [{ "worker-node3:9866": entry("10.0.0.1", 2) }, "CONNECTING", false, /not registered/],
      [{ "worker-node4:9866": entry("10.0.0.12", 1) }, "RUNNING", false, /does not list 10\.0\.0\.1:9866 as live/],
    ] as const) {
      routes = {
        [`GET ${new URL(nnUrl).pathname}${new URL(nnUrl).search}`]: () => nn(live),
        [`GET /dn/jmx?qry=Hadoop:service=DataNode,name=DataNodeInfo`]: () => dn(actor),
      };
      const r = await probe("datanode", since, nnUrl, dnUrl, "10.0.0.1:9866", "9000");
      assert.equal(r.status, healthy ? 0 : 1, show(r));
      if (why) assert.match(r.stdout, why);
    }
    // Without xferaddr (older JMX), the key itself must be exactly host:port.
    const bare = (ip: string) => Object.fromEntries(Object.entries(entry(ip, 1)).filter(([k]) => k !== "xferaddr"));
    routes[`GET /nn/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo`] = () => nn({ "10.0.0.12:9866": bare("10.0.0.12") });
    assert.equal((await probe("datanode", since, nnUrl, dnUrl, "10.0.0.1:9866", "9000")).status, 1);
    routes[`GET /nn/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo`] = () => nn({ "10.0.0.1:9866": bare("10.0.0.1") });
    assert.equal((await probe("datanode", since, nnUrl, dnUrl, "10.0.0.1:9866", "9000")).status, 0);
    // An actor for another NameNode port does not count.
    const r = await probe("datanode", since, nnUrl, dnUrl, "10.0.0.1:9866", "8020");
    assert.equal(r.status, 1, show(r));
  });

  test("flink-taskmanager: 10.0.0.12 is not 10.0.0.1, and a TaskManager from before the start does not count", async () => {
    const tm = (host: string, port: number, hb: number, pekko = true) => ({
      id: pekko ? `${host}:${port}-3b8f2a` : "e5c3f9a1d2b4c6e8f0a1b2c3d4e5f6a7",
      path: `${pekko ? "pekko" : "akka"}.tcp://flink@${host}:${port}/user/rpc/taskmanager_0`,
      dataPort: port + 2,
      jmxPort: -1,
      timeSinceLastHeartbeat: hb,
      slotsNumber: 2,
      freeSlots: 2,
      totalResource: {
        cpuCores: 2,
        taskHeapMemory: 384,
        taskOffHeapMemory: 0,
        managedMemory: 512,
        networkMemory: 128,
        extendedResources: {},
      },
      freeResource: {
        cpuCores: 2,
        taskHeapMemory: 384,
        taskOffHeapMemory: 0,
        managedMemory: 512,
        networkMemory: 128,
        extendedResources: {},
      },
      hardware: { cpuCores: 4, physicalMemory: 8000000000, freeMemory: 400000000, managedMemory: 536870912 },
      memoryConfiguration: { frameworkHeap: 134217728, taskHeap: 402653184 },
      blocked: false,
    });
    const since = utc("2026-12-01T08:05:00Z");
    const before = Date.parse("2026-12-01T08:04:51Z");
    const after = Date.parse("2026-12-01T08:05:14Z");
    const url = `${base}/taskmanagers`;
    for (const [tms, healthy] of [
      [[tm("10.0.0.12", 41235, after)], false],
      [[tm("10.0.0.1", 40111, before)], false],
      [[tm("10.0.0.1", 40111, before), tm("10.0.0.12", 41235, after)], false],
      [[tm("10.0.0.1", 40111, before), tm("10.0.0.1", 38017, after)], true],
      [[tm("10.0.0.1", 6122, after, false)], true],
    ] as const) {
      routes = { "GET /taskmanagers": () => ({ taskmanagers: tms }) };
      const r = await probe("flink-taskmanager", since, url, "10.0.0.1");
      assert.equal(r.status, healthy ? 0 : 1, `${JSON.stringify(tms.map((t) => t.path))}\n${show(r)}`);
    }
  });

  test("trino-worker: up itself, and active at its own URI in the coordinator's system.runtime.nodes", async () => {
    const workerUrl = `${base}/w`;
    const queryRoutes = (info: unknown, rows: unknown[][]) => ({
      "GET /w/v1/info": () => info,
      "POST /c/v1/statement": () => ({
        id: "20261201_080515_00001_abcde",
        infoUri: `${base}/ui/query.html?20261201_080515_00001_abcde`,
        nextUri: `${base}/c/v1/statement/queued/20261201_080515_00001_abcde/y1/1`,
        stats: { state: "QUEUED", queued: true, scheduled: false, nodes: 0 },
      }),
      "GET /c/v1/statement/queued/20261201_080515_00001_abcde/y1/1": () => ({
        id: "20261201_080515_00001_abcde",
        nextUri: `${base}/c/v1/statement/executing/20261201_080515_00001_abcde/y2/0`,
        stats: { state: "RUNNING", queued: false, scheduled: true, nodes: 1 },
      }),
      "GET /c/v1/statement/executing/20261201_080515_00001_abcde/y2/0": () => ({
        id: "20261201_080515_00001_abcde",
        columns: [
          { name: "http_uri", type: "varchar" },
          { name: "state", type: "varchar" },
        ],
        data: rows,
        stats: { state: "FINISHED", queued: false, scheduled: true, nodes: 1 },
      }),
    });
    const info = (starting: boolean) => ({
      nodeVersion: { version: "476" },
      environment: "dev",
      coordinator: false,
      starting,
      uptime: "12.00s",
    });
    for (const [i, rows, healthy, why] of [
      [info(false), [[workerUrl, "active"]], true, ""],
      [info(true), [[workerUrl, "active"]], false, /still starting/],
      [info(false), [], false, /does not list node dev-worker-node3/],
      [info(false), [[workerUrl, "shutting_down"]], false, /as active/],
      [info(false), [[`${workerUrl}2`, "active"]], false, /as active/],
    ] as const) {
      routes = queryRoutes(i, rows as unknown as unknown[][]);
      requests.length = 0;
      const r = await probe("trino-worker", "0", `${base}/c`, workerUrl, "dev-worker-node3");
      assert.equal(r.status, healthy ? 0 : 1, show(r));
      if (why) assert.match(r.stdout, why);
    }
    const post = requests.find((q) => q.url === "/c/v1/statement")!;
    assert.equal(post.body, "SELECT http_uri, state FROM system.runtime.nodes WHERE node_id = 'dev-worker-node3'");
    assert.ok(post.headers["x-trino-user"], "the statement carries X-Trino-User");
    routes = {
      "GET /w/v1/info": () => info(false),
      "POST /c/v1/statement": () => ({ id: "q", error: { message: "Access Denied: x", errorCode: 4 }, stats: { state: "FAILED" } }),
    };
    const r = await probe("trino-worker", "0", `${base}/c`, workerUrl, "dev-worker-node3");
    assert.equal(r.status, 1, show(r));
    assert.match(r.stdout, /query failed: Access Denied/);

    // With a CA file and a credentials file: every request to the coordinator logs in with the file's user and
    // password (Basic), none on the command line; a refusal says its status and never echoes the password.
    const dir = mkdtempSync(path.join(tmpdir(), "probe-cred-"));
    try {
      const cred = path.join(dir, "health.cred");
      writeFileSync(cred, "lakehouse-health:s3cret:with:colons\n", { mode: 0o600 });
      const ca = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"].find((f) => existsSync(f))!;
      routes = queryRoutes(info(false), [[workerUrl, "active"]]);
      requests.length = 0;
      const ok = await probe("trino-worker", "0", `${base}/c`, workerUrl, "dev-worker-node3", ca, cred);
      assert.equal(ok.status, 0, show(ok));
      const toCoordinator = requests.filter((q) => q.url.startsWith("/c/"));
      assert.equal(toCoordinator.length, 3);
      for (const q of toCoordinator) {
        assert.equal(q.headers.authorization, `Basic ${Buffer.from("lakehouse-health:s3cret:with:colons").toString("base64")}`, q.url);
        assert.equal(q.headers["x-trino-user"], "lakehouse-health");
      }
      routes = { "GET /w/v1/info": () => info(false) }; // the coordinator's statement route is gone: 404
      const refused = await probe("trino-worker", "0", `${base}/c`, workerUrl, "dev-worker-node3", ca, cred);
      assert.equal(refused.status, 1, show(refused));
      assert.match(refused.stdout, /HTTP 404 from the coordinator/);
      assert.doesNotMatch(refused.stdout + refused.stderr, /s3cret/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("unreachable masters and bad usage", async () => {
    routes = {};
    const r = await probe("flink-taskmanager", "0", `${base}/nothing`, "10.0.0.1");
    assert.equal(r.status, 1, show(r));
    assert.match(r.stdout, /HTTPError/);
    const u = await probe("spark-worker", "0", "x");
    assert.equal(u.status, 2, show(u));
  });
});

describe("service-converge.sh probe kind: the probe gets the unit's main process start", () => {
  test("since = ExecMainStartTimestamp as epoch seconds; a failing probe's last line is in the timeout error", () => {
    const root = mkdtempSync(path.join(tmpdir(), "converge-"));
    try {
      const stubs = stubDir(root);
      writeFileSync(
        path.join(stubs, "systemctl"),
        '#!/usr/bin/env bash\ncase "$1" in show) if [ "$2" = --timestamp=unix ] && [ -n "${UNIX_TS:-}" ]; then echo "@$UNIX_TS"; elif [ "$2" != --timestamp=unix ]; then echo "Tue 2026-12-01 08:05:00 UTC"; else exit 1; fi ;; is-failed) exit 1 ;; esac\nexit 0\n',
        { mode: 0o755 },
      );
      writeFileSync(path.join(stubs, "journalctl"), "#!/usr/bin/env bash\nexit 0\n", { mode: 0o755 });
      const log = path.join(root, "probe.log");
      const probeOk = path.join(root, "probe-ok.sh");
      writeFileSync(probeOk, `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >>${shq(log)}\n`, { mode: 0o755 });
      const probeNo = path.join(root, "probe-no.sh");
      writeFileSync(probeNo, "#!/usr/bin/env bash\necho 'no ALIVE registration of 10.0.0.1:7078'\nexit 1\n", { mode: 0o755 });
      const script = rewritten(root, "service-converge.sh", [["st=/var/lib/lakehouse-iac/units", `st=${root}/units`]]);
      const env = { ...process.env, PATH: `${stubs}:${process.env.PATH}`, TZ: "UTC" };
      let r = run(
        "bash",
        [script, "start", "spark-worker", "h1", "o1", "probe", "5", probeOk, "spark-worker", "http://m/json/", "10.0.0.1", "7078"],
        { env },
      );
      assert.equal(r.status, 0, show(r));
      assert.equal(readFileSync(log, "utf8"), `spark-worker ${Date.parse("2026-12-01T08:05:00Z") / 1000} http://m/json/ 10.0.0.1 7078\n`);
      // systemd 248+: --timestamp=unix.
      r = run("bash", [script, "start", "spark-worker", "h1", "o1", "probe", "5", probeOk, "spark-worker", "u", "10.0.0.1", "7078"], {
        env: { ...env, UNIX_TS: "1796112345" },
      });
      assert.equal(r.status, 0, show(r));
      assert.equal(readFileSync(log, "utf8").split("\n")[1], "spark-worker 1796112345 u 10.0.0.1 7078");
      r = run("bash", [script, "restart", "spark-worker", "h1", "-", "probe", "1", probeNo, "spark-worker", "u", "10.0.0.1", "7078"], {
        env,
      });
      assert.equal(r.status, 1, show(r));
      assert.match(r.stderr, /last probe result: no ALIVE registration of 10\.0\.0\.1:7078/);
      assert.match(r.stderr, /spark-worker not healthy 1s after it was unchanged \(probe check: /);
      // ensure on a running unit (its config may just have changed: a Trino worker whose coordinator moved)
      // neither restarts it nor waits for a health check that only the restart step can satisfy, and leaves
      // the recorded hash alone so that the restart step applies the change.
      r = run("bash", [script, "ensure", "spark-worker", "h2", "o2", "probe", "60", probeNo, "spark-worker", "u", "10.0.0.1", "7078"], {
        env,
      });
      assert.equal(r.status, 0, show(r));
      assert.match(r.stdout, /spark-worker running \(the restart step applies any change/);
      assert.equal(readFileSync(path.join(root, "units", "spark-worker.restart"), "utf8"), "h1\n");
      assert.equal(readFileSync(path.join(root, "units", "spark-worker.owner"), "utf8"), "o2\n");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// smoke-test.sh: the runner with the services' parts (services/<name>/scripts/parts/smoke-test.sh), engines stubbed
// ---------------------------------------------------------------------------------------------------------------

describe("smoke-test.sh: the services' steps in their order, skips with their reasons, clean-up before and after", () => {
  let root = "";
  let calls = "";
  let env: NodeJS.ProcessEnv = {};
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), "lh-smoke-"));
    calls = path.join(root, "calls.log");
    const stubs = path.join(root, "bin");
    mkdirSync(stubs);
    mkdirSync(path.join(root, "hadoop", "bin"), { recursive: true });
    const stub = (file: string, body: string) => writeFileSync(file, `#!/usr/bin/env bash\n${body}\n`, { mode: 0o755 });
    // Every engine client runs through runuser (as its user), Trino's through python3 (its HTTP client).
    stub(
      path.join(stubs, "runuser"),
      [
        'echo "runuser $*" >>"$CALLS"',
        'case "$*" in',
        "  *klist*) printf 'Keytab name: x\\nKVNO Principal\\n---- ---\\n   2 %s/node1@REALM\\n' \"$2\" ;;",
        // kinit fills the ticket cache KRB5CCNAME names (env KRB5CCNAME=<cache> kinit ...).
        '  *kinit*) [ "${KINIT_RC:-0}" = 0 ] || exit "$KINIT_RC"; for a in "$@"; do case "$a" in KRB5CCNAME=*) touch -- "${a#*=}" ;; esac; done ;;',
        '  *spark-sql*SELECT*) echo "${SPARK_OUT:-rows=3,sum=6}" ;;',
        "  *sql-client.sh*) printf '| lakehouse_smoke |\\n| events |\\n' ;;",
        "esac",
      ].join("\n"),
    );
    stub(
      path.join(stubs, "python3"),
      'sql=$(cat)\necho "trino $sql" >>"$CALLS"\ncase "$sql" in *"SELECT sum"*) echo "[[42]]" ;; *) echo "[]" ;; esac',
    );
    stub(path.join(stubs, "install"), 'mkdir -p -- "${@: -1}"');
    stub(path.join(root, "hadoop", "bin", "hadoop"), "echo /classpath");
    env = { ...process.env, PATH: `${stubs}:${process.env.PATH}`, CALLS: calls };
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  // Every parameter of the script and its parts (a part added to the registry must be given here too).
  const ARGS: ScriptParams<"smoke-test.sh"> = {
    schema: "lakehouse_smoke",
    iceberg_dir: "/lakehouse/iceberg",
    delta_dir: "/lakehouse/delta",
    run_id: "r1",
    trino_url: "https://t:8443",
    trino_ca: "/ca.crt",
    spark_home: "/opt/spark",
    spark_conf: "/etc/spark/conf",
    spark_java_home: "/jdk",
    spark_user: "spark",
    spark_keytab: "-",
    iceberg_catalog: "iceberg",
    flink_home: "/opt/flink",
    flink_conf: "/etc/flink/conf",
    flink_java_home: "/jdk",
    flink_user: "flink",
    flink_keytab: "-",
    flink_hive_conf: "/etc/flink/hive-conf",
    hadoop_home: "",
    hadoop_conf: "/etc/hadoop/conf",
    hdfs_java_home: "/jdk",
    owner: "hive",
    hdfs_login: "-",
  };
  const smoke = (over: Partial<typeof ARGS>, extra: NodeJS.ProcessEnv = {}) => {
    writeFileSync(calls, "");
    const { args } = scriptArgs<"smoke-test.sh", string>("smoke-test.sh", { ...ARGS, hadoop_home: path.join(root, "hadoop"), ...over });
    const r = run("bash", [path.join(SCRIPTS_DIR, "smoke-test.sh"), ...args], { env: { ...env, ...extra }, input: "smoke:s3cret\n" });
    assert.equal(r.status, 0, show(r));
    const log = readFileSync(calls, "utf8");
    assert.doesNotMatch(log, /s3cret/, "Trino's password is never on a command line");
    return { result: JSON.parse(r.stdout.replace(/"seconds":\d+/g, '"seconds":0')) as SmokeTestResult, log: log.split("\n") };
  };
  const STEPS = ["trino-writes-iceberg", "spark-reads-iceberg", "spark-writes-delta", "trino-reads-delta", "flink-lists-hive-catalog"];
  const cleanups = (log: string[]) => log.filter((l) => /DROP|dfs -rm/.test(l)).length;

  test("every engine on: each step in order, each part's clean-up before and after the steps", () => {
    const { result, log } = smoke({});
    assert.deepEqual(result, {
      run: "r1",
      status: "passed",
      failedStep: null,
      detail: "",
      steps: STEPS.map((step) => ({ step, result: "ok", seconds: 0 })),
    });
    const first = log.findIndex((l) => l.includes("CREATE SCHEMA"));
    // Trino's drops, Spark's drop, HDFS's removal (as the warehouse owner): before and after, in the parts' order.
    const drops = (l: string[]) => l.filter((x) => /DROP|dfs -rm/.test(x)).map((x) => x.replace(/^.*(DROP \w+|dfs -rm).*$/, "$1"));
    assert.deepEqual(drops(log.slice(0, first)), ["DROP TABLE", "DROP SCHEMA", "DROP TABLE", "dfs -rm"]);
    assert.deepEqual(drops(log.slice(first)), ["DROP TABLE", "DROP SCHEMA", "DROP TABLE", "dfs -rm"]);
    assert.ok(
      log.some(
        (l) =>
          l.startsWith("runuser -u hive -- env ") &&
          l.includes("dfs -rm -r -f -skipTrash /lakehouse/iceberg/lakehouse_smoke /lakehouse/delta/lakehouse_smoke_delta"),
      ),
    );
  });

  test("engines switched off: their steps, and the steps that need them, are skipped with the first missing one's reason", () => {
    const skipped = (why: string) => `skipped: ${why}`;
    assert.deepEqual(
      smoke({ trino_url: "-", trino_ca: "-" }).result.steps.map((s) => s.result),
      [
        skipped("Trino is switched off"),
        skipped("Trino is switched off"),
        "ok",
        skipped("Trino is switched off"),
        skipped("Trino is switched off"),
      ],
    );
    assert.deepEqual(
      smoke({ spark_home: "-", flink_home: "-" }).result.steps.map((s) => s.result),
      [
        "ok",
        skipped("Spark is switched off"),
        skipped("Spark is switched off"),
        skipped("Spark is switched off"),
        skipped("Flink or its Hive connector is switched off"),
      ],
    );
  });

  test("a failed step: the ones after it are not run, its output is the detail, and the clean-up still runs", () => {
    const { result, log } = smoke({}, { SPARK_OUT: 'rows=2,sum=3 "x"' });
    assert.equal(result.status, "failed");
    assert.equal(result.failedStep, "spark-reads-iceberg");
    assert.match(result.detail, /^Spark read: rows=2,sum=3 x; /);
    assert.deepEqual(
      result.steps.map((s) => s.result),
      ["ok", "failed", "not run", "not run", "not run"],
    );
    assert.equal(cleanups(log), 8);
  });

  test("with Kerberos: each client logs in from its keytab first; a failed login stops the test before any clean-up", () => {
    const krb = { spark_keytab: "/k/spark.keytab", flink_keytab: "/k/flink.keytab", hdfs_login: "spark:/k/spark.keytab" };
    const ok = smoke(krb);
    assert.equal(ok.result.status, "passed");
    const kinits = ok.log.filter((l) => l.includes(" kinit "));
    assert.deepEqual(
      kinits.map((l) => l.replace(/^runuser -u (\S+) .* kinit -k -t (\S+) -- (\S+)$/, "$1 $2 $3")),
      // The clean-up's login (as spark) is the one Spark's client made: each user logs in once.
      ["spark /k/spark.keytab spark/node1@REALM", "flink /k/flink.keytab flink/node1@REALM"],
    );
    assert.ok(
      ok.log.some((l) => /^runuser -u spark -- env KRB5CCNAME=\S+\/krb5-spark\/cc .*dfs -rm /.test(l)),
      "the clean-up with Spark's tickets",
    );
    const failed = smoke(krb, { KINIT_RC: "1" });
    assert.deepEqual(failed.result, {
      run: "r1",
      status: "failed",
      failedStep: "kerberos-login",
      detail: "kinit of spark from /k/spark.keytab failed: ",
      steps: [{ step: "kerberos-login", result: "failed" }, ...STEPS.map((step) => ({ step, result: "not run" }))],
    });
    assert.equal(cleanups(failed.log), 0);
  });
});

/** A script installed under its hashed name in `<dir>/bin`, and the command line that calls it there. */
function installedLine(dir: string, name: string, body: string, args: string[], timeoutSeconds: number): string {
  const bin = path.join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, installedScriptName(name, body)), body, { mode: 0o755 });
  return scriptCommandLine(name, body, args, false, timeoutSeconds).replace(HOST_BIN, bin);
}

describe("a step's time limit is enforced on the host (scriptCommandLine's timeout)", () => {
  test("the script and the processes it started are stopped after the limit; the step fails with 124", async () => {
    const d = mkdtempSync(path.join(tmpdir(), "lh-timeout-"));
    try {
      const pidFile = path.join(d, "child.pid");
      const line = installedLine(
        d,
        "hang.sh",
        '#!/usr/bin/env bash\nset -euo pipefail\nsleep 300 &\necho "$!" >"$1"\nwait\n',
        [pidFile],
        2,
      );
      assert.match(line, /^timeout --kill-after=30s 2s /);
      const t0 = Date.now();
      const r = spawnSync("bash", ["-c", line], { encoding: "utf8", timeout: 60_000 });
      const seconds = (Date.now() - t0) / 1000;
      assert.equal(r.status, 124, `exit status ${r.status}, stderr: ${r.stderr}`);
      assert.ok(seconds >= 1.9 && seconds < 10, `stopped after ${seconds} s`);
      const child = Number(readFileSync(pidFile, "utf8").trim());
      let alive = true;
      for (let i = 0; i < 50 && alive; i++) {
        try {
          process.kill(child, 0);
          await new Promise((res) => setTimeout(res, 100));
        } catch {
          alive = false;
        }
      }
      assert.equal(alive, false, `the script's child ${child} outlived the time limit`);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  test("a script that ends in time keeps its own exit status and output; a bad limit is refused", () => {
    const d = mkdtempSync(path.join(tmpdir(), "lh-timeout-"));
    try {
      const body = '#!/usr/bin/env bash\nset -euo pipefail\necho "got $1"\nexit 3\n';
      const line = installedLine(d, "quick.sh", body, ["a b'c"], 60);
      const r = spawnSync("bash", ["-c", line], { encoding: "utf8", timeout: 60_000 });
      assert.equal(r.status, 3);
      assert.equal(r.stdout, "got a b'c\n");
      assert.match(
        scriptCommandLine("quick.sh", body, [], true, 60),
        /^sudo -n timeout --kill-after=30s 60s \/var\/lib\/lakehouse-iac\/bin\/quick-[0-9a-f]{12}\.sh$/,
      );
      assert.throws(() => scriptCommandLine("quick.sh", body, [], false, 0), /timeoutSeconds/);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});

describe("writers converge sets: what a service no longer renders is removed", () => {
  let root = "";
  let script = "";
  let env: NodeJS.ProcessEnv = {};
  const line = (p: string, content: string, mode = "0644") =>
    [p, mode, me.user, me.group, Buffer.from(content, "utf8").toString("base64")].join("\t");
  const write = (set: string, files: [string, string][]) =>
    run("bash", [script, set], { env, input: files.map(([p, c]) => line(p, c)).join("\n") + "\n" });
  const p = (name: string) => path.join(root, "etc", name);

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), "lh-scripts-sets-"));
    mkdirSync(path.join(root, "etc"));
    script = rewritten(root, "write-files.sh", [["/var/lib/lakehouse-iac/file-sets", path.join(root, "file-sets")]]);
    env = { ...process.env, PATH: `${stubDir(root)}:${process.env.PATH}` };
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test("a file dropped from the set is removed; kept files are not rewritten", () => {
    let r = write("trino-files", [
      [p("iceberg.properties"), "connector.name=iceberg\n"],
      [p("delta.properties"), "connector.name=delta_lake\n"],
    ]);
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /files changed: 2\n$/);
    r = write("trino-files", [[p("iceberg.properties"), "connector.name=iceberg\n"]]);
    assert.equal(r.status, 0, show(r));
    assert.equal(r.stdout, `removed ${p("delta.properties")}\nfiles changed: 1\n`);
    assert.ok(!existsSync(p("delta.properties")));
    assert.equal(readFileSync(p("iceberg.properties"), "utf8"), "connector.name=iceberg\n");
    r = write("trino-files", [[p("iceberg.properties"), "connector.name=iceberg\n"]]);
    assert.equal(r.stdout, "files changed: 0\n", "a converged set changes nothing");
  });

  test("a path another set now holds is not removed; a file the set never wrote is never touched", () => {
    writeFileSync(p("hand-made.conf"), "mine\n");
    let r = write("a", [
      [p("moved.conf"), "x\n"],
      [p("a.conf"), "a\n"],
    ]);
    assert.equal(r.status, 0, show(r));
    r = write("b", [[p("moved.conf"), "x\n"]]);
    assert.equal(r.status, 0, show(r));
    r = write("a", [[p("a.conf"), "a\n"]]);
    assert.equal(r.status, 0, show(r));
    assert.ok(existsSync(p("moved.conf")), "set b holds it now");
    assert.ok(existsSync(p("hand-made.conf")));
    assert.doesNotMatch(r.stdout, /removed/);
  });

  test("a bad set name is refused before anything is written", () => {
    // stdin from a file: the script refuses before reading it (a pipe would fail with EPIPE here).
    const input = path.join(root, "never.input");
    writeFileSync(input, line(p("never.conf"), "n\n") + "\n");
    for (const bad of ["", "../x", "-rf", "a/b"]) {
      const r = run("bash", ["-c", 'exec bash "$0" "$1" <"$2"', script, bad, input], { env });
      assert.equal(r.status, 2, `${JSON.stringify(bad)}: ${show(r)}`);
      assert.match(r.stderr, /usage: write-files\.sh <set-name>/);
    }
    assert.ok(!existsSync(p("never.conf")));
  });

  test("a jar upgrade removes the jar of the previous version from the dir; a rerun changes nothing", () => {
    const lib = path.join(root, "spark-jars");
    const src = path.join(root, "src");
    mkdirSync(lib);
    mkdirSync(src);
    writeFileSync(path.join(lib, "spark-core.jar"), "shipped\n");
    const jar = (v: string) => {
      const f = path.join(src, `iceberg-spark-runtime-${v}.jar`);
      writeFileSync(f, `jar ${v}\n`);
      return { url: `file://${f}`, sha512: createHash("sha512").update(`jar ${v}\n`).digest("hex") };
    };
    const ia = rewritten(root, "install-artifact.sh", [
      ["/var/cache/lakehouse-iac", path.join(root, "cache")],
      ["/var/lib/lakehouse-iac/jars", path.join(root, "jars")],
    ]);
    const install = (v: string) => {
      const j = jar(v);
      return run("bash", [ia, "jar", "icebergSpark", v, j.url, j.sha512, "", lib], { env });
    };
    let r = install("1.9.0");
    assert.equal(r.status, 0, show(r));
    r = install("1.10.0");
    assert.equal(r.status, 0, show(r));
    assert.match(r.stdout, /removed iceberg-spark-runtime-1\.9\.0\.jar/);
    assert.deepEqual(readdirSync(lib).sort(), ["iceberg-spark-runtime-1.10.0.jar", "spark-core.jar"]);
    r = install("1.10.0");
    assert.equal(r.status, 0, show(r));
    assert.equal(r.stdout, "iceberg-spark-runtime-1.10.0.jar already installed\n");
    assert.deepEqual(readdirSync(lib).sort(), ["iceberg-spark-runtime-1.10.0.jar", "spark-core.jar"]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// tls-ca.sh and tls-node.sh with the real openssl
// ---------------------------------------------------------------------------------------------------------------

describe("tls-ca.sh and tls-node.sh: a CA made once, node keys that stay put, certificates for exactly the names given", () => {
  let root = "";
  const ca = () => path.join(root, "ca");
  const tlsScript = (name: string, args: string[], input = "") => run("bash", [path.join(SCRIPTS_DIR, name), ...args], { input });
  const x509 = (pem: string, ...args: string[]) => run("openssl", ["x509", "-noout", ...args], { input: pem }).stdout;
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), "lh-scripts-tls-"));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test("init: makes the CA once (the same certificate every run), prints only the certificate, key 0600", () => {
    const a = tlsScript("tls-ca.sh", ["init", ca(), "lakehouse-iac CA test", "3650"]);
    assert.equal(a.status, 0, show(a));
    assert.match(a.stdout, /^-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    assert.doesNotMatch(a.stdout + a.stderr, /PRIVATE KEY/);
    assert.equal(statSync(path.join(ca(), "ca.key")).mode & 0o777, 0o600);
    assert.equal(statSync(ca()).mode & 0o777, 0o700);
    assert.match(x509(a.stdout, "-subject"), /CN ?= ?lakehouse-iac CA test/);
    assert.match(x509(a.stdout, "-ext", "basicConstraints"), /CA:TRUE/);
    const b = tlsScript("tls-ca.sh", ["init", ca(), "lakehouse-iac CA test", "3650"]);
    assert.equal(b.stdout, a.stdout, "a second run keeps the CA");
  });

  test("init: half a CA (the key gone) is refused, not replaced", () => {
    const half = path.join(root, "half");
    assert.equal(tlsScript("tls-ca.sh", ["init", half, "x", "30"]).status, 0);
    rmSync(path.join(half, "ca.key"));
    const r = tlsScript("tls-ca.sh", ["init", half, "x", "30"]);
    assert.equal(r.status, 1, show(r));
    assert.match(r.stderr, /holds only part of a CA/);
    assert.ok(!existsSync(path.join(half, "ca.key")), "no new key was made");
  });

  test("import: the user's own CA, checked and installed once; a different one moves the old aside; bad pairs refused", () => {
    const own = path.join(root, "own");
    mkdirSync(own);
    const makeCa = (name: string, ext = "basicConstraints=critical,CA:TRUE") => {
      const r = run("openssl", [
        "req",
        "-x509",
        "-new",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-sha256",
        "-days",
        "30",
        "-subj",
        `/CN=${name}`,
        "-addext",
        ext,
        "-keyout",
        path.join(own, `${name}.key`),
        "-out",
        path.join(own, `${name}.crt`),
      ]);
      assert.equal(r.status, 0, show(r));
      return { key: readFileSync(path.join(own, `${name}.key`), "utf8"), crt: readFileSync(path.join(own, `${name}.crt`), "utf8") };
    };
    const a = makeCa("users-ca-a");
    const b = makeCa("users-ca-b");
    const dir = path.join(root, "imported");
    const first = tlsScript("tls-ca-import.sh", [dir], a.key + a.crt);
    assert.equal(first.status, 0, show(first));
    assert.equal(x509(first.stdout, "-fingerprint"), x509(a.crt, "-fingerprint"), "prints the CA's certificate");
    assert.doesNotMatch(first.stdout + first.stderr, /PRIVATE KEY/);
    assert.equal(readFileSync(path.join(dir, "ca.key"), "utf8"), a.key);
    assert.equal(statSync(path.join(dir, "ca.key")).mode & 0o777, 0o600);
    // It signs like a made one.
    const node = path.join(root, "node-own");
    const csr = tlsScript("tls-node.sh", ["csr", node, "cpu-node1"]);
    const signed = tlsScript("tls-ca.sh", ["sign", dir, "30", "cpu-node1", "10.77.0.11"], csr.stdout);
    assert.equal(signed.status, 0, show(signed));
    writeFileSync(path.join(own, "chain.crt"), a.crt);
    assert.equal(run("openssl", ["verify", "-CAfile", path.join(own, "chain.crt")], { input: signed.stdout }).status, 0);
    // The same pair again: nothing moves.
    const again = tlsScript("tls-ca-import.sh", [dir], a.key + a.crt);
    assert.equal(again.status, 0, show(again));
    assert.doesNotMatch(again.stderr, /moved|installed/);
    // Refused, naming what is wrong, and the installed CA untouched: another CA's key, a certificate that is no CA.
    const mismatch = tlsScript("tls-ca-import.sh", [dir], b.key + a.crt);
    assert.equal(mismatch.status, 1, show(mismatch));
    assert.match(mismatch.stderr, /tlsCaKey is not the key of tls\.caCertificate/);
    const leaf = makeCa("not-a-ca", "basicConstraints=critical,CA:FALSE");
    const notCa = tlsScript("tls-ca-import.sh", [dir], leaf.key + leaf.crt);
    assert.equal(notCa.status, 1, show(notCa));
    assert.match(notCa.stderr, /not a CA certificate/);
    assert.match(tlsScript("tls-ca-import.sh", [dir], a.crt).stderr, /expected the CA's private key/);
    assert.equal(readFileSync(path.join(dir, "ca.key"), "utf8"), a.key, "a refused import changes nothing");
    // A different CA replaces it; the old one is kept aside, never deleted.
    const swap = tlsScript("tls-ca-import.sh", [dir], b.key + b.crt);
    assert.equal(swap.status, 0, show(swap));
    assert.equal(readFileSync(path.join(dir, "ca.crt"), "utf8"), b.crt);
    const aside = readdirSync(dir).filter((f) => f.startsWith("replaced-"));
    assert.equal(aside.length, 1, readdirSync(dir).join(","));
    assert.equal(readFileSync(path.join(dir, aside[0], "ca.key"), "utf8"), a.key);
  });

  test("csr, sign, install: the node's key stays on the node; the certificate carries exactly the given names", () => {
    const node = path.join(root, "node1");
    const csr = tlsScript("tls-node.sh", ["csr", node, "cpu-node1"]);
    assert.equal(csr.status, 0, show(csr));
    assert.match(csr.stdout, /^-----BEGIN CERTIFICATE REQUEST-----/);
    assert.doesNotMatch(csr.stdout, /PRIVATE KEY/);
    assert.equal(statSync(path.join(node, "node.key")).mode & 0o777, 0o600);
    const key = readFileSync(path.join(node, "node.key"), "utf8");
    assert.equal(tlsScript("tls-node.sh", ["csr", node, "cpu-node1"]).stdout, csr.stdout, "the same request every run");
    assert.equal(readFileSync(path.join(node, "node.key"), "utf8"), key, "the key is made once");
    // A request that asks for more names gets only the ones the CA's caller gives.
    const greedy = run("openssl", [
      "req",
      "-new",
      "-key",
      path.join(node, "node.key"),
      "-subj",
      "/CN=evil",
      "-addext",
      "subjectAltName=DNS:evil.example",
    ]);
    const signed = tlsScript("tls-ca.sh", ["sign", ca(), "825", "cpu-node1", "10.77.0.11", "cpu-node1"], greedy.stdout);
    assert.equal(signed.status, 0, show(signed));
    const san = x509(signed.stdout, "-ext", "subjectAltName");
    assert.match(san, /IP Address:10\.77\.0\.11, DNS:cpu-node1/);
    assert.doesNotMatch(san, /evil/);
    assert.match(x509(signed.stdout, "-subject"), /CN ?= ?cpu-node1/);
    assert.match(x509(signed.stdout, "-ext", "extendedKeyUsage"), /TLS Web Server Authentication, TLS Web Client Authentication/);
    assert.equal(
      run("openssl", ["x509", "-noout", "-checkip", "10.77.0.11"], { input: signed.stdout }).stdout.trim(),
      "IP 10.77.0.11 does match certificate",
    );
    const caCrt = readFileSync(path.join(ca(), "ca.crt"), "utf8");
    const inst = tlsScript("tls-node.sh", ["install", node], signed.stdout + caCrt);
    assert.equal(inst.status, 0, show(inst));
    assert.equal(
      inst.stdout.trim().replace(/:/g, "").toLowerCase(),
      certificateSha256(signed.stdout),
      "the fingerprint the program computes",
    );
    assert.equal(readFileSync(path.join(node, "ca.crt"), "utf8"), caCrt);
    assert.equal(run("openssl", ["verify", "-CAfile", path.join(node, "ca.crt"), path.join(node, "node.crt")]).status, 0);
    for (const bad of ["not a request\n", ""]) {
      const r = tlsScript("tls-ca.sh", ["sign", ca(), "825", "cpu-node1", "10.77.0.11"], bad);
      assert.equal(r.status, 1, show(r));
      assert.match(r.stderr, /stdin is not a signed certificate request/);
    }
    assert.equal(tlsScript("tls-ca.sh", ["sign", ca(), "825", "cpu-node1", "bad name!"], csr.stdout).status, 2);
  });

  test("install: refuses a certificate for another key, or one the given CA did not sign", () => {
    const n1 = path.join(root, "node1");
    const n2 = path.join(root, "node2");
    assert.equal(tlsScript("tls-node.sh", ["csr", n2, "cpu-node2"]).status, 0);
    const csr1 = tlsScript("tls-node.sh", ["csr", n1, "cpu-node1"]).stdout;
    const crt1 = tlsScript("tls-ca.sh", ["sign", ca(), "825", "cpu-node1", "10.77.0.11"], csr1).stdout;
    const caCrt = readFileSync(path.join(ca(), "ca.crt"), "utf8");
    const wrongKey = tlsScript("tls-node.sh", ["install", n2], crt1 + caCrt);
    assert.equal(wrongKey.status, 1, show(wrongKey));
    assert.match(wrongKey.stderr, /not for this node's key/);
    const otherCa = path.join(root, "other-ca");
    const other = tlsScript("tls-ca.sh", ["init", otherCa, "other", "30"]).stdout;
    const wrongCa = tlsScript("tls-node.sh", ["install", n1], crt1 + other);
    assert.equal(wrongCa.status, 1, show(wrongCa));
    assert.match(wrongCa.stderr, /not signed by the CA given with it/);
    assert.ok(!existsSync(path.join(n2, "node.crt")), "nothing installed on a refusal");
  });
});

describe("tls-keystore.sh: a service's PEM keystore from its node's key and certificate, for the certificate it was given", () => {
  let root = "";
  const sh = (name: string, args: string[], input = "") => run("bash", [path.join(SCRIPTS_DIR, name), ...args], { input });
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), "lh-scripts-keystore-"));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test("writes key, certificate and CA certificate 0600 for its owner once; refuses another certificate", () => {
    const ca = path.join(root, "ca");
    const node = path.join(root, "tls");
    assert.equal(sh("tls-ca.sh", ["init", ca, "test CA", "30"]).status, 0);
    const csr = sh("tls-node.sh", ["csr", node, "cpu-node1"]);
    const crt = sh("tls-ca.sh", ["sign", ca, "30", "cpu-node1", "10.0.0.5"], csr.stdout);
    assert.equal(sh("tls-node.sh", ["install", node], crt.stdout + readFileSync(path.join(ca, "ca.crt"), "utf8")).status, 0);
    const sha = certificateSha256(crt.stdout);
    const dest = path.join(root, "trino", "tls", "trino.pem");
    const me = spawnSync("id", ["-un"], { encoding: "utf8" }).stdout.trim();
    const a = sh("tls-keystore.sh", ["pem", node, dest, me, sha]);
    assert.equal(a.status, 0, show(a));
    assert.equal(a.stdout, `${sha}\n`, "prints the certificate's hash, nothing else");
    assert.doesNotMatch(a.stdout + a.stderr, /PRIVATE KEY/);
    assert.equal(statSync(dest).mode & 0o777, 0o600);
    const pem = readFileSync(dest, "utf8");
    assert.equal(
      pem,
      ["node.key", "node.crt", "ca.crt"].map((f) => readFileSync(path.join(node, f), "utf8")).join(""),
      "the node's key, its certificate, the CA's",
    );
    const before = statSync(dest).mtimeMs;
    const b = sh("tls-keystore.sh", ["pem", node, dest, me, sha]);
    assert.equal(b.status, 0, show(b));
    assert.equal(statSync(dest).mtimeMs, before, "unchanged: not rewritten");
    const wrong = sh("tls-keystore.sh", ["pem", node, dest, me, "0".repeat(64)]);
    assert.equal(wrong.status, 1, show(wrong));
    assert.match(wrong.stderr, /not the one this step was given/);
    assert.equal(sh("tls-keystore.sh", ["pem", "relative", dest, me, sha]).status, 2);
    assert.equal(sh("tls-keystore.sh", ["pem", node, dest, "no-such-user-here", sha]).status, 2);

    // p12 (HDFS's HTTPS with Kerberos): a PKCS#12 keystore under the password on stdin, never on a command line.
    const p12 = path.join(root, "hadoop", "tls", "hdfs.p12");
    const pw = "keystore-password-from-stdin";
    const c = sh("tls-keystore.sh", ["p12", node, p12, me, sha], `${pw}\n`);
    assert.equal(c.status, 0, show(c));
    assert.equal(c.stdout, `${sha}\n`);
    assert.doesNotMatch(c.stdout + c.stderr, new RegExp(pw));
    assert.equal(statSync(p12).mode & 0o777, 0o600);
    // It opens with that password and holds the node's own certificate and key; not with another password.
    const open = (pass: string) => run("openssl", ["pkcs12", "-in", p12, "-passin", "stdin", "-nodes"], { input: `${pass}\n` });
    const opened = open(pw);
    assert.equal(opened.status, 0, show(opened));
    assert.match(opened.stdout, /PRIVATE KEY/);
    assert.equal(certificateSha256(opened.stdout.slice(opened.stdout.indexOf("-----BEGIN CERTIFICATE-----"))), sha);
    assert.notEqual(open("wrong").status, 0);
    const empty = sh("tls-keystore.sh", ["p12", node, p12, me, sha], "\n");
    assert.equal(empty.status, 1, show(empty));
    assert.match(empty.stderr, /must not be empty/);

    // truststore (Flink's REST with client certificates): the CA alone, a trusted entry for Java, under the password.
    const java = process.env.JAVA_HOME ?? "/usr/lib/jvm/java-17-openjdk-amd64";
    const trust = path.join(root, "flink", "tls", "truststore.p12");
    const t = sh("tls-keystore.sh", ["truststore", node, trust, me, sha, java], `${pw}\n`);
    assert.equal(t.status, 0, show(t));
    assert.doesNotMatch(t.stdout + t.stderr, new RegExp(pw));
    assert.equal(statSync(trust).mode & 0o777, 0o600);
    const list = (pass: string) =>
      run(`${java}/bin/keytool`, ["-list", "-keystore", trust, "-storetype", "PKCS12"], { input: `${pass}\n` });
    const listed = list(pw);
    assert.equal(listed.status, 0, show(listed));
    assert.match(listed.stdout, /^lakehouse-ca, .*trustedCertEntry/m);
    assert.match(listed.stdout, /Your keystore contains 1 entry/, "the CA only: no key");
    assert.notEqual(list("wrong-password").status, 0);
    const short = sh("tls-keystore.sh", ["truststore", node, trust, me, sha, java], "abc\n");
    assert.equal(short.status, 1, show(short));
    assert.match(short.stderr, /at least 6 characters/);

    // cacerts (the metastore's Java clients): the same truststore, every user's to read, root's only.
    const pub = path.join(root, "pub", "truststore.p12");
    const cacerts = sh("tls-keystore.sh", ["cacerts", node, pub, "root", sha, java], `${CA_TRUSTSTORE.password}\n`);
    assert.equal(cacerts.status, 0, show(cacerts));
    assert.equal(statSync(pub).mode & 0o777, 0o644);
    assert.equal(statSync(path.dirname(pub)).mode & 0o777, 0o755);
    const pubList = run(`${java}/bin/keytool`, ["-list", "-keystore", pub, "-storetype", "PKCS12"], {
      input: `${CA_TRUSTSTORE.password}\n`,
    });
    assert.match(pubList.stdout, /^lakehouse-ca, .*trustedCertEntry/m);
    assert.equal(
      sh("tls-keystore.sh", ["cacerts", node, pub, "nobody", sha, java], `${CA_TRUSTSTORE.password}\n`).status,
      2,
      "root's only",
    );
  });
});
