/**
 * The policy pack (policy/), at three levels:
 *  1. its rules (policy/rules.ts) over the resources the real program registers for dev and prod (under mocks):
 *     silent where the program is right, firing on tampered copies;
 *  2. its policies (policy/policies.ts) called with crafted @pulumi/policy arguments: URN → stack → enforcement,
 *     policy config (allowPurge), resource options (additionalSecretOutputs), stack validation;
 *  3. the pack as the Pulumi CLI runs it: served by @pulumi/pulumi's own policy-pack runner (ts-node, type
 *     checked) over gRPC, fed every resource of both stacks: what `pulumi preview --policy-pack policy` would
 *     report, without the CLI (tests/policy-engine.test.ts runs that preview with the real CLI).
 * Messages never carry a secret value.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ChildProcess, spawn } from "child_process";
import { createRequire } from "module";
import * as path from "path";
import type {
  PolicyResource as SdkPolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as rules from "../policy/rules";
import { DESCRIPTORS, SERVICE_KEYS, SERVICES } from "../services";
import { SERVICE_POLICIES } from "../services/policies";
import { HDFS_TYPES } from "../services/hdfs/policy";
import { METASTORE_TYPES } from "../services/metastore/policy";
import { PACK_NAME, policies } from "../policy/policies";
import { ProgramResult, ResourceRecord, runProgram, unwrap } from "../lab/mock-program";
import { FAKE_SSH_KEY, ROOT, stackValues } from "./helpers/stacks";

let devRun: ProgramResult;
let prodRun: ProgramResult;
let dev: rules.PolicyResource[];
let prod: rules.PolicyResource[];
/** dev with Trino on a JDK archive (`java.25`: url + sha512), as tests/policy-engine.test.ts previews it. */
let jdk: rules.PolicyResource[];
const JDK25 = {
  version: "25.0.1+8",
  url: "http://10.77.0.1:8099/jdk/OpenJDK25U-jdk_x64_linux_hotspot_25.0.1_8.tar.gz",
  sha512: "8c1f0b5e2d4a7c93".repeat(8),
};

function asPolicy(r: ProgramResult): rules.PolicyResource[] {
  return r.resources.map((x) => ({
    type: x.type,
    name: x.name,
    urn: x.urn,
    props: (unwrap(x.custom ? x.inputs : (x.outputs ?? {})) ?? {}) as Record<string, unknown>,
    opts: { additionalSecretOutputs: x.additionalSecretOutputs },
  }));
}

before(() => {
  devRun = runProgram("dev", stackValues("dev"), ["sshPrivateKey"]);
  prodRun = runProgram("prod", stackValues("prod"), ["sshPrivateKey"]);
  dev = asPolicy(devRun);
  prod = asPolicy(prodRun);
  const v = stackValues("dev") as Record<string, any>;
  v.java = { "17": { package: "openjdk-17-jdk-headless", home: "/usr/lib/jvm/java-17-openjdk-amd64" }, "25": JDK25 };
  v.trino = { ...v.trino, java: "25" };
  v.artifacts = { trino: { version: "476" } };
  jdk = asPolicy(runProgram("dev", v, ["sshPrivateKey"]));
});

const all = (rs: rules.PolicyResource[], check: (r: rules.PolicyResource) => string[]) => rs.flatMap(check);
const commands = (rs: rules.PolicyResource[]) => rs.filter((r) => r.type === rules.COMMAND);
const clone = <T>(x: T): T => structuredClone(x);
const PW = "hunter2hunter2";

/** @pulumi/policy's own unknown-value machinery (internal: no types exported), as a preview hands it to policies. */
const policyProxy = createRequire(require.resolve("@pulumi/policy/package.json"))("./proxy") as {
  unknownCheckingProxy<T extends object>(o: T): T;
  unknownStringValue: string;
};
/** The engine's wire form of a value unknown until apply (what the runner's proxy then throws on). */
const UNKNOWN = policyProxy.unknownStringValue;
/** A copy of a resource as a preview shows it when the given props are not known yet: behind the real proxy. */
function unknownAt(r: rules.PolicyResource, fields: readonly string[]): rules.PolicyResource {
  const props: Record<string, unknown> = clone(r.props);
  for (const f of fields) props[f] = UNKNOWN;
  return { ...clone(r), props: policyProxy.unknownCheckingProxy(props) };
}

describe("rules", () => {
  test("ssh-host-key-pinned: passes on prod, fires on dev (no keys pinned) and on a removed key", () => {
    assert.deepEqual(all(prod, rules.hostKeyPinned), []);
    assert.equal(all(dev, rules.hostKeyPinned).length, commands(dev).length, "every dev command lacks a pinned key");
    const c = clone(commands(prod)[0]);
    delete (c.props.connection as Record<string, unknown>).hostKey;
    assert.match(rules.hostKeyPinned(c)[0], /does not pin the host key/);
    assert.equal(rules.stackOfUrn(c.urn), "prod");
    assert.equal(rules.isStrictStack(c.urn), true);
    assert.equal(rules.isStrictStack(commands(dev)[0].urn), false);
    assert.equal(rules.stackOfUrn("not-a-urn"), undefined);
  });

  test("ssh-no-password: passes on the program, fires on a password connection", () => {
    assert.deepEqual(all(prod, rules.noPasswordAuth), []);
    assert.deepEqual(all(dev, rules.noPasswordAuth), []);
    const c = clone(commands(prod)[0]);
    (c.props.connection as Record<string, unknown>).password = PW;
    const v = rules.noPasswordAuth(c);
    assert.equal(v.length, 1);
    assert.ok(!v[0].includes(PW), "never echo the value");
  });

  test("stdin-commands-are-silent: passes on the program, fires on a logging, unsecret or env-leaking stdin command", () => {
    assert.deepEqual(all(dev, rules.silentStdin), []);
    assert.deepEqual(all(prod, rules.silentStdin), []);
    const withStdin = commands(dev).filter((r) => r.props.stdin !== undefined && r.name.includes("postgres"))[0];
    assert.ok(withStdin);
    const loud = clone(withStdin);
    loud.props.logging = "stdoutAndStderr";
    assert.match(rules.silentStdin(loud).join("\n"), /logging is not "none"/);
    const plain = clone(withStdin);
    plain.opts = { additionalSecretOutputs: ["stdout"] };
    assert.match(rules.silentStdin(plain).join("\n"), /does not mark stdout and stderr/);
    const env = clone(withStdin);
    delete env.props.addPreviousOutputInEnv; // the provider's default is true
    assert.match(rules.silentStdin(env).join("\n"), /addPreviousOutputInEnv/);
    const noStdin = clone(loud);
    delete noStdin.props.stdin;
    assert.deepEqual(rules.silentStdin(noStdin), [], "a command without stdin may log");
  });

  test("no-credentials-in-command-text: passes on every command the program makes, fires on literals", () => {
    assert.deepEqual(all(dev, rules.noCredentialLiterals), []);
    assert.deepEqual(all(prod, rules.noCredentialLiterals), []);
    const c = clone(commands(dev)[0]);
    const secret = "S3cretValue9";
    const bad = [
      `PGPASSWORD=${secret} psql -c 'select 1'`,
      `mysql -u root -p${secret}`,
      `echo password=${secret}`,
      `printf '%s' 'javax.jdo.option.ConnectionPassword=${secret}'`,
      `curl -u admin:${secret} https://example.org`,
      `curl https://admin:${secret}@example.org/x`,
      `cat <<K\n-----BEGIN ${"OPENSSH PRIVATE"} KEY-----\nK`,
      // base64 of random bytes, as `openssl rand -base64 30` prints
      `trino-cli --secret-file /dev/null --token q8Zr2Lx0VbN4wT7yKp1HsD9mFcJ3eGuA`,
      `export K=Zm9vYmFyQmF6UXV4MTIzNDU2Nzg5MEFCQ0RFRkdISUpLTE1O`,
    ];
    for (const text of bad) {
      for (const field of ["create", "update", "delete"] as const) {
        const x = clone(c);
        x.props[field] = text;
        const v = rules.noCredentialLiterals(x);
        assert.ok(v.length >= 1, `${field}: ${text}`);
        assert.ok(
          v.every((m) => m.includes(field) && !m.includes(secret) && !m.includes("q8Zr2") && !m.includes("Zm9v")),
          "never echo the value",
        );
      }
    }
    for (const ok of [
      `service-start.sh 'trino' '${"a1b2c3d4".repeat(8)}'`, // a SHA-256, as the program passes them
      `install-artifact.sh 'hadoop' '${"0f".repeat(64)}'`, // a SHA-512
      `PGPASSWORD="$pw" psql -h db`, // a reference, read from stdin
      `echo password=$PASSWORD`,
      `mkdir -p /var/lib/trino/data && ssh -p 2222 h`,
      `echo 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHqz8Yq2Lx0VbN4wT7yKp1HsD9mFcJ3eGuA root@h' >> known_hosts`,
      `curl jdbc:postgresql://db:5432/metastore https://repo1.maven.org/maven2/io/trino/trino-server/435/trino-server-435.tar.gz`,
      `JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 /opt/hadoop/current/bin/hdfs dfsadmin -refreshNodes`,
    ]) {
      c.props.create = ok;
      assert.deepEqual(rules.noCredentialLiterals(c), [], ok);
    }
  });

  test("no-credentials-in-command-text: a JDK archive's install steps (URL, SHA-512) pass; credentials beside them fire", () => {
    // The program's own install step for `java.25` (url + sha512), as `pulumi preview` of such a stack sees it.
    const installs = commands(jdk).filter((r) => r.name.endsWith("-jdk-25-install"));
    assert.equal(installs.length, 3, "one JDK install per node");
    const create = installs[0].props.create as string;
    assert.ok(create.includes(JDK25.url) && create.includes(JDK25.sha512), "the step carries the URL and the digest");
    assert.deepEqual(all(jdk, rules.noCredentialLiterals), []);
    assert.deepEqual(rules.highEntropyTokens(create), []);

    const secret = "S3cretValue9";
    const token = "q8Zr2Lx0VbN4wT7yKp1HsD9mFcJ3eGuA"; // as `openssl rand -base64 24` prints
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsYWtlaG91c2UtY2kiLCJpYXQiOjE3MDAwMDAwMDB9.q8Zr2Lx0VbN4wT7yKp1HsD9mFcJ3eGuAx7Wm4Rt";
    const url = JDK25.url;
    const fires: Array<[string, RegExp]> = [
      [`curl -fsSL https://mirror:${secret}@10.77.0.1:8099/jdk/OpenJDK25U-jdk_x64_linux_hotspot_25.0.1_8.tar.gz`, /inside a URL/],
      [`curl -fsSL '${url.replace("http://", "http://jdk:" + secret + "@")}'`, /inside a URL/],
      [`git clone https://${token}@github.com/example/lakehouse.git`, /random-looking/],
      [`curl -fsSL '${url}?token=${secret}'`, /password\/secret assignment/],
      [`curl -fsSL '${url}?X-Amz-Signature=${token}'`, /random-looking/],
      [`curl -H 'Authorization: Bearer ${token}' ${url}`, /random-looking/],
      [`curl -H 'Authorization: Bearer ${jwt}' ${url}`, /random-looking/],
      [`PGPASSWORD=${secret} psql -h db -c 'select 1' # ${url}`, /PGPASSWORD/],
      [`install-artifact.sh tarball jdk-25 25.0.1+8 ${url} ${JDK25.sha512} password=${secret}`, /password\/secret assignment/],
      [`cat >/root/.ssh/id <<K\n-----BEGIN ${"OPENSSH PRIVATE"} KEY-----\nK\ncurl -O ${url}`, /private key/],
      [`export K=${token} && curl -O ${url}`, /random-looking/],
    ];
    const c = clone(installs[0]);
    for (const [text, what] of fires) {
      c.props.create = `${create}\n${text}`;
      const v = rules.noCredentialLiterals(c);
      assert.match(v.join("\n"), what, text);
      assert.ok(
        v.every((m) => !m.includes(secret) && !m.includes(token.slice(0, 8))),
        "never echo the value",
      );
    }
    for (const ok of [
      url,
      `curl -fsSL -o /var/cache/lakehouse-iac/OpenJDK25U-jdk_x64_linux_hotspot_25.0.1_8.tar.gz ${url}`,
      `tar -xzf OpenJDK25U-jdk_x64_linux_hotspot_25.0.1_8.tar.gz -C jdk/OpenJDK21U-jre_aarch64_linux_hotspot_21.0.5_11.tar.gz`,
      "curl -fsSL http://10.77.0.1:8099/jdk/OpenJDK25U-jdk_x64_linux_hotspot_25/latest", // no file extension
      "curl -fsSL 'https://mirror.example/jdk/OpenJDK25U-jdk_x64_linux_hotspot_25.0.1_8.tar.gz?arch=x64&os=linux#OpenJDK25U_x64'",
      "cp file:///var/cache/lakehouse-iac/OpenJDK25U-jdk_x64_linux_hotspot_25.0.1_8.tar.gz /opt/jdk-25/25.0.1+8",
      `echo '${JDK25.sha512}  OpenJDK25U-jdk_x64_linux_hotspot_25.0.1_8.tar.gz' | sha512sum -c`,
      `test "$(sha512sum f | cut -d' ' -f1)" = '${JDK25.sha512.toUpperCase()}'`, // upper-case hex
      `expected=sha512:${JDK25.sha512} sha256=${"9f86d081884c7d65".repeat(4)}`,
      "JAVA_HOME=/opt/jdk-25/current /opt/trino/current/bin/launcher start",
    ]) {
      c.props.create = ok;
      assert.deepEqual(rules.noCredentialLiterals(c), [], ok);
    }
  });

  test("stdin-commands-are-silent: a command that runs nothing (no create, update, delete) is exempt; local commands are checked", () => {
    const manifest = JSON.stringify({ files: [{ path: "/etc/hadoop/conf/core-site.xml", sha256: "ab".repeat(32) }] });
    const review: rules.PolicyResource = {
      type: rules.LOCAL_COMMAND,
      name: "cpu-node1-hadoop-conf-review",
      urn: `urn:pulumi:prod::lakehouse::command:local:Command::cpu-node1-hadoop-conf-review`,
      props: { stdin: manifest },
      opts: {},
    };
    assert.equal(rules.runsNothing(review), true);
    assert.deepEqual(rules.silentStdin(review), [], "a review manifest in stdin: nothing runs, nothing can leak");
    assert.deepEqual(rules.noCredentialLiterals(review), []);
    assert.deepEqual(rules.hostKeyPinned(review), [], "a local command has no SSH connection");
    assert.deepEqual(rules.noPasswordAuth(review), []);
    // The same local command once it runs something: checked like a remote one.
    for (const field of ["create", "update", "delete"] as const) {
      const runs = { ...clone(review), props: { ...review.props, [field]: "cat >/dev/null" } };
      assert.equal(rules.runsNothing(runs), false);
      assert.equal(rules.silentStdin(runs).length, 3, field);
    }
    const remote = clone(commands(dev).find((r) => r.props.stdin !== undefined)!);
    delete remote.props.create;
    delete remote.props.update;
    delete remote.props.delete;
    remote.props.logging = "stdoutAndStderr";
    assert.deepEqual(rules.silentStdin(remote), [], "a remote command that runs nothing is exempt too");
    const local = { ...clone(review), props: { create: `PGPASSWORD=${PW} psql`, delete: "dropdb metastore" } };
    assert.match(rules.noCredentialLiterals(local).join("\n"), /PGPASSWORD/);
    assert.equal(rules.noDataLossOnDelete(local, false).length, 1);
  });

  test("no-data-loss-on-delete: the program's deletes keep data; destructive deletes fire unless purging is allowed", () => {
    assert.ok(
      commands(dev).some((r) => typeof r.props.delete === "string"),
      "the program has delete commands to check",
    );
    assert.deepEqual(
      all(dev, (r) => rules.noDataLossOnDelete(r, false)),
      [],
    );
    assert.deepEqual(
      all(prod, (r) => rules.noDataLossOnDelete(r, false)),
      [],
    );
    const c = clone(commands(dev)[0]);
    for (const bad of [
      "rm -rf /var/lib/hadoop-hdfs/name",
      "rm -rf -- /data/1/dfs/dn",
      "dropdb metastore",
      "runuser -u hdfs -- hdfs dfs -rm -r /lakehouse",
      "rm -rf /var/lib/postgresql/15/main",
      "psql -c 'DROP DATABASE metastore'",
      "hdfs namenode -format -force",
    ]) {
      c.props.delete = bad;
      assert.equal(rules.noDataLossOnDelete(c, false).length, 1, bad);
      assert.deepEqual(rules.noDataLossOnDelete(c, true), [], `${bad} with allowPurge`);
      const created = clone(c);
      created.props.create = bad;
      delete created.props.delete;
      assert.deepEqual(rules.noDataLossOnDelete(created, false), [], "only delete commands are checked");
    }
  });

  test("preview coverage: per check, the commands it stopped on a value not known yet, out of all commands; nothing when all is known", () => {
    const checks = [
      ["stdin-commands-are-silent", rules.silentStdin],
      ["no-credentials-in-command-text", rules.noCredentialLiterals],
    ] as const;
    const all = prod.filter((r) => rules.isAnyCommand(r.type)).length;
    assert.ok(all > commands(prod).length, "local commands count too");
    // At `up` (and in these mocks) everything is known: nothing to say.
    assert.deepEqual(rules.previewCoverage(prod, checks), { commands: all, unchecked: {} });
    assert.deepEqual(rules.previewCoverageMessage(rules.previewCoverage(prod, checks)), []);

    // An imitation of the preview's proxy: reading an unknown prop throws (here a hand-made UnknownValueError).
    class UnknownValueError extends Error {}
    const throwsOn = (r: rules.PolicyResource, fields: string[]): rules.PolicyResource => ({
      ...r,
      props: new Proxy(clone(r.props), {
        get: (o, k) => {
          if (typeof k === "string" && fields.includes(k))
            throw new UnknownValueError(`string value at .${k} can't be known during preview`);
          return Reflect.get(o, k) as unknown;
        },
      }),
    });
    const stdinCmds = commands(prod).filter((r) => r.props.stdin !== undefined);
    const plainCmds = commands(prod).filter((r) => r.props.stdin === undefined && typeof r.props.create === "string");
    assert.ok(stdinCmds.length >= 3 && plainCmds.length >= 5);
    const unknownStdin = new Set(stdinCmds.slice(0, 3)); // silentStdin stops; noCredentialLiterals never reads stdin
    const unknownCreate = new Set(plainCmds.slice(0, 5)); // noCredentialLiterals stops; silentStdin: no stdin, done
    const nn = prod.find((r) => r.type === HDFS_TYPES.NameNode)!;
    const preview = prod.map((r) =>
      unknownStdin.has(r)
        ? throwsOn(r, ["stdin"])
        : unknownCreate.has(r)
          ? unknownAt(r, ["create"]) // the real proxy of @pulumi/policy
          : r === nn
            ? throwsOn(r, ["replication", "create", "stdin"]) // not a command: neither counted nor read
            : r,
    );
    const c = rules.previewCoverage(preview, checks);
    assert.deepEqual(c, { commands: all, unchecked: { "stdin-commands-are-silent": 3, "no-credentials-in-command-text": 5 } });
    assert.deepEqual(rules.previewCoverageMessage(c), [
      `in this preview stdin-commands-are-silent could not check 3 of the ${all} commands; no-credentials-in-command-text could not check 5 of the ${all} commands: ` +
        "what these policies read there (command text, stdin) is built from other resources' outputs and is not known until apply; " +
        "`pulumi up` checks them before it runs them, and stops on a violation",
    ]);

    // Only unknown values count; a check that fails otherwise is its own policy's error, not a coverage gap.
    const broken = () => {
      throw new TypeError("a bug");
    };
    assert.deepEqual(rules.previewCoverage(preview, [["broken", broken]]), { commands: all, unchecked: {} });
    assert.equal(rules.isUnknownValueError(new Error("a bug")), false);
    assert.throws(
      () => unknownAt(plainCmds[0], ["delete"]).props.delete,
      (e) => rules.isUnknownValueError(e),
    );
  });

  test("cluster-shape: passes on both stacks, fires on two NameNodes, no metastore, or replication above DataNodes", () => {
    assert.deepEqual(rules.clusterShape(dev), []);
    assert.deepEqual(rules.clusterShape(prod), []);
    const nn = dev.find((r) => r.type === HDFS_TYPES.NameNode)!;
    assert.equal(nn.props.replication, 2);
    assert.equal(nn.props.dataNodes, 3);
    assert.equal(dev.filter((r) => r.type === HDFS_TYPES.DataNode).length, 3);
    assert.match(rules.clusterShape([...dev, clone(nn)]).join("\n"), /2 NameNodes/);
    assert.match(rules.clusterShape(dev.filter((r) => r.type !== HDFS_TYPES.NameNode)).join("\n"), /0 NameNodes/);
    assert.match(rules.clusterShape(dev.filter((r) => r.type !== METASTORE_TYPES.HiveMetastore)).join("\n"), /0 metastores/);
    const ms = dev.find((r) => r.type === METASTORE_TYPES.HiveMetastore)!;
    assert.match(rules.clusterShape([...dev, clone(ms)]).join("\n"), /2 metastores/);
    const high = dev.map((r) => (r === nn ? { ...clone(r), props: { ...r.props, replication: 5 } } : r));
    assert.match(rules.clusterShape(high).join("\n"), /dfs\.replication 5 is more than the 3 DataNodes/);
    const oneDn = dev.filter((r) => r.type !== HDFS_TYPES.DataNode || r.name.endsWith("node1"));
    assert.match(rules.clusterShape(oneDn).join("\n"), /dfs\.replication 2 is more than the 1 DataNodes/);
    const mute = dev.map((r) => (r === nn ? { ...clone(r), props: {} } : r));
    assert.match(rules.clusterShape(mute).join("\n"), /does not report its dfs\.replication/);
  });
});

/** A ResourceValidationArgs as @pulumi/policy builds it (server.js), for one resource and one policy's config. */
function validationArgs(r: rules.PolicyResource, config: Record<string, unknown> = {}): ResourceValidationArgs {
  return {
    type: r.type,
    name: r.name,
    urn: r.urn ?? `urn:pulumi:dev::lakehouse::${r.type}::${r.name}`,
    props: r.props,
    opts: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: r.opts?.additionalSecretOutputs ?? [] },
    stackTags: new Map(),
    getConfig: <T>() => config as T,
    isType: () => false,
    asType: () => undefined,
    notApplicable: () => {
      throw new Error("not applicable");
    },
  } as unknown as ResourceValidationArgs;
}

function resourcePolicy(name: string): ResourceValidationPolicy {
  const p = policies.find((x) => x.name === name) as ResourceValidationPolicy | undefined;
  assert.ok(p && typeof p.validateResource === "function", name);
  return p;
}

async function reports(policy: string, r: rules.PolicyResource, config?: Record<string, unknown>): Promise<string[]> {
  const out: string[] = [];
  const v = resourcePolicy(policy).validateResource;
  for (const f of Array.isArray(v) ? v : v ? [v] : []) await f(validationArgs(r, config), (m) => out.push(m));
  return out;
}

describe("policies (the pack's wiring)", () => {
  test("every rule has a policy; names are unique; every resource policy ignores non-command resources", async () => {
    const names = policies.map((p) => p.name);
    assert.deepEqual(names, [
      "ssh-host-key-pinned",
      "ssh-host-key-pinned-advisory",
      "ssh-no-password",
      "stdin-commands-are-silent",
      "no-credentials-in-command-text",
      "no-data-loss-on-delete",
      "cluster-shape",
      "preview-coverage",
    ]);
    const nn = dev.find((r) => r.type === HDFS_TYPES.NameNode)!;
    const weird = { ...clone(nn), props: { connection: { password: PW }, delete: "dropdb x", create: `PGPASSWORD=${PW}`, stdin: "x" } };
    for (const p of policies) if ("validateResource" in p) assert.deepEqual(await reports(p.name, weird), [], p.name);
  });

  test("host keys: mandatory on prod, advisory on every other stack (from the URN)", async () => {
    const unpinned = clone(commands(prod)[0]);
    delete (unpinned.props.connection as Record<string, unknown>).hostKey;
    assert.equal(resourcePolicy("ssh-host-key-pinned").enforcementLevel, "mandatory");
    assert.equal(resourcePolicy("ssh-host-key-pinned-advisory").enforcementLevel, "advisory");
    assert.equal((await reports("ssh-host-key-pinned", unpinned)).length, 1);
    assert.deepEqual(await reports("ssh-host-key-pinned-advisory", unpinned), []);
    const onDev = commands(dev)[0];
    assert.deepEqual(await reports("ssh-host-key-pinned", onDev), []);
    assert.equal((await reports("ssh-host-key-pinned-advisory", onDev)).length, 1);
    const staging = { ...clone(unpinned), urn: unpinned.urn!.replace("urn:pulumi:prod::", "urn:pulumi:staging::") };
    assert.deepEqual(await reports("ssh-host-key-pinned", staging), []);
    assert.equal((await reports("ssh-host-key-pinned-advisory", staging)).length, 1);
    assert.deepEqual(await reports("ssh-host-key-pinned", commands(prod)[0]), [], "a pinned key passes");
  });

  test("stdin commands: the policy reads additionalSecretOutputs from the resource options", async () => {
    const withStdin = commands(prod).find((r) => r.props.stdin !== undefined)!;
    assert.deepEqual(await reports("stdin-commands-are-silent", withStdin), []);
    assert.equal((await reports("stdin-commands-are-silent", { ...withStdin, opts: { additionalSecretOutputs: [] } })).length, 1);
  });

  test("local commands: a review (stdin, runs nothing) passes every policy; one that runs something is checked, SSH rules aside", async () => {
    const review: rules.PolicyResource = {
      type: rules.LOCAL_COMMAND,
      name: "cpu-node1-hadoop-conf-review",
      props: { stdin: JSON.stringify({ files: ["/etc/hadoop/conf/core-site.xml"] }) },
    };
    for (const p of policies) if ("validateResource" in p) assert.deepEqual(await reports(p.name, review), [], p.name);
    const loud = { ...review, props: { ...review.props, create: "cat", logging: "stdoutAndStderr" } };
    assert.equal((await reports("stdin-commands-are-silent", loud)).length, 3);
    assert.deepEqual(await reports("ssh-host-key-pinned-advisory", loud), [], "no SSH connection to pin");
    assert.equal((await reports("no-credentials-in-command-text", { ...loud, props: { create: `echo password=${PW}` } })).length, 1);
  });

  test("no-data-loss-on-delete reads allowPurge from the policy config (default false)", async () => {
    const c = { ...clone(commands(dev)[0]) };
    c.props.delete = "rm -rf /var/lib/hadoop-hdfs/data";
    assert.equal((await reports("no-data-loss-on-delete", c)).length, 1);
    assert.equal((await reports("no-data-loss-on-delete", c, { allowPurge: false })).length, 1);
    assert.deepEqual(await reports("no-data-loss-on-delete", c, { allowPurge: true }), []);
    const schema = resourcePolicy("no-data-loss-on-delete").configSchema!;
    assert.deepEqual(schema.properties?.allowPurge, { type: "boolean", default: false });
  });

  test("cluster-shape is a stack policy over the components' outputs", async () => {
    const p = policies.find((x) => x.name === "cluster-shape") as StackValidationPolicy;
    const run = async (rs: rules.PolicyResource[]) => {
      const out: string[] = [];
      const resources = rs.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.props }) as unknown as SdkPolicyResource);
      const args = { resources, stackTags: new Map(), getConfig: <T>() => ({}) as T } as unknown as StackValidationArgs;
      await p.validateStack(args, (m) => out.push(m));
      return out;
    };
    assert.deepEqual(await run(prod), []);
    assert.match((await run(prod.filter((r) => r.type !== METASTORE_TYPES.HiveMetastore))).join("\n"), /0 metastores/);
  });
});

describe("preview-coverage (the pack's word on what a preview could not check)", () => {
  const coverage = policies.find((x) => x.name === "preview-coverage") as StackValidationPolicy;
  /** The stack policy over resources as the runner gives them (props behind its proxy). */
  const run = async (rs: rules.PolicyResource[]) => {
    const out: string[] = [];
    const resources = rs.map(
      (r) =>
        ({
          type: r.type,
          name: r.name,
          urn: r.urn,
          props: r.props,
          opts: { additionalSecretOutputs: r.opts?.additionalSecretOutputs ?? [] },
        }) as unknown as SdkPolicyResource,
    );
    const args = { resources, stackTags: new Map(), getConfig: <T>() => ({}) as T } as unknown as StackValidationArgs;
    await coverage.validateStack(args, (m) => out.push(m));
    return out;
  };

  test("an advisory stack policy; silent when every command is known (pulumi up)", async () => {
    assert.equal(coverage.enforcementLevel, "advisory");
    assert.deepEqual(await run(prod), []);
    assert.deepEqual(await run(dev), []);
  });

  test("counts for each mandatory resource policy the commands the engine cannot run it on; never throws", async () => {
    const withStdin = commands(prod).filter((r) => r.props.stdin !== undefined);
    const plain = commands(prod).filter((r) => r.props.stdin === undefined);
    const unknown = new Map<rules.PolicyResource, string[]>([
      ...withStdin.slice(0, 4).map((r) => [r, ["stdin"]] as [rules.PolicyResource, string[]]), // silent: 4
      ...plain.slice(0, 2).map((r) => [r, ["create"]] as [rules.PolicyResource, string[]]), // credentials: 2
      [plain[2], ["create", "delete"]], // credentials and no-data-loss-on-delete: 1
      [withStdin[4], ["update"]], // credentials: 1 (silent never reads update when there is a create)
    ]);
    const preview = prod.map((r) => (unknown.has(r) ? unknownAt(r, unknown.get(r)!) : r));
    const total = prod.filter((r) => rules.isAnyCommand(r.type)).length;
    // What the engine does per resource: each mandatory policy that throws an unknown-value error can't run.
    const engine = new Map<string, number>();
    for (const p of policies) {
      if (!("validateResource" in p) || p.enforcementLevel !== "mandatory") continue;
      for (const r of preview) {
        try {
          await reports(p.name, r);
        } catch (e) {
          assert.ok(rules.isUnknownValueError(e), String(e));
          engine.set(p.name, (engine.get(p.name) ?? 0) + 1);
        }
      }
    }
    assert.deepEqual(Object.fromEntries(engine), {
      "stdin-commands-are-silent": 4,
      "no-credentials-in-command-text": 4,
      "no-data-loss-on-delete": 1,
    });
    const out = await run(preview);
    assert.equal(out.length, 1, out.join("\n"));
    const said = Object.fromEntries(
      [...out[0].matchAll(/(\S+) could not check (\d+) of the (\d+) commands/g)].map((m) => [m[1], Number(m[2])]),
    );
    assert.deepEqual(said, Object.fromEntries(engine));
    assert.ok([...out[0].matchAll(/of the (\d+) commands/g)].every((m) => Number(m[1]) === total));
    assert.match(out[0], /`pulumi up` checks them before it runs them/);
  });
});

/** Every policy config file the workflows pass (policy/<stack>.json) names real policies and valid properties. */
test("the pack reads every service's part from the service's own folder: the same type tokens, one entry per service", () => {
  // services/policies.ts lists every service of the registry, and each service's tokens are the very object its
  // descriptor uses (services/<name>/policy.ts is the one place they are written).
  assert.deepEqual(Object.keys(SERVICE_POLICIES), [...SERVICE_KEYS]);
  for (const k of SERVICE_KEYS)
    assert.equal(SERVICE_POLICIES[k].types, SERVICES[k].types, `${k}: the pack's tokens are not the descriptor's`);
  // No two of the services' tokens are the same.
  const tokens = DESCRIPTORS.flatMap((d) => Object.values(d.types));
  assert.equal(new Set(tokens).size, tokens.length, tokens.join(", "));
  // What the shape rule counts is a token some service declares.
  for (const p of Object.values(SERVICE_POLICIES))
    for (const t of [...(p.exactlyOne ?? []).map((o) => o.type), ...(p.within ?? []).flatMap((w) => [w.type, w.of])])
      assert.ok(tokens.includes(t), `${t}: no service declares it`);
});

test("policy/<stack>.json: only known policies, enforcement levels and config properties", async () => {
  const { readdirSync, readFileSync } = await import("fs");
  const files = readdirSync(path.join(ROOT, "policy")).filter((f) => f.endsWith(".json") && f !== "package.json");
  assert.deepEqual(files.sort(), ["dev.json", "prod.json"]);
  for (const f of files) {
    const config = JSON.parse(readFileSync(path.join(ROOT, "policy", f), "utf8")) as Record<string, unknown>;
    for (const [name, value] of Object.entries(config)) {
      const p = policies.find((x) => x.name === name);
      assert.ok(p, `${f}: no policy named ${name}`);
      const levels = ["advisory", "mandatory", "disabled"];
      if (typeof value === "string") assert.ok(levels.includes(value), `${f}: ${name}`);
      else {
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
          if (k === "enforcementLevel") assert.ok(levels.includes(v as string), `${f}: ${name}.${k}`);
          else assert.equal(typeof v, (p.configSchema?.properties?.[k] as { type?: string } | undefined)?.type, `${f}: ${name}.${k}`);
        }
      }
    }
  }
});

test("no policy message carries a secret value", () => {
  const secrets = [...devRun.secrets, ...prodRun.secrets, FAKE_SSH_KEY];
  assert.ok(secrets.length > 1);
  const tampered = commands(dev).map((r) => ({
    ...clone(r),
    props: { ...r.props, logging: "stdoutAndStderr", addPreviousOutputInEnv: true, create: `${r.props.create} --password=${secrets[0]}` },
    opts: {},
  }));
  const messages = [
    ...all(dev, rules.hostKeyPinned),
    ...all(tampered, rules.silentStdin),
    ...all(tampered, rules.noCredentialLiterals),
    ...all(tampered, rules.noPasswordAuth),
  ];
  assert.ok(messages.length > commands(dev).length);
  for (const m of messages) for (const s of secrets) assert.ok(!m.includes(s));
});

// ---------------------------------------------------------------------------------------------------------------
// 3. The pack served by Pulumi's policy-pack runner, spoken to over the Analyzer gRPC protocol as the engine does.

type AnalyzerPb = typeof import("@pulumi/pulumi/proto/analyzer_pb");
type AnalyzerRpc = typeof import("@pulumi/pulumi/proto/analyzer_grpc_pb");
type Grpc = typeof import("@grpc/grpc-js");
type StructPb = typeof import("google-protobuf/google/protobuf/struct_pb");
type EmptyPb = typeof import("google-protobuf/google/protobuf/empty_pb");
// The runner's own copies: resolved from @pulumi/pulumi, as the pack resolves them.
const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const pb = fromPulumi("./proto/analyzer_pb") as AnalyzerPb;
const rpc = fromPulumi("./proto/analyzer_grpc_pb") as AnalyzerRpc;
const grpc = fromPulumi("@grpc/grpc-js") as Grpc;
const { Struct } = fromPulumi("google-protobuf/google/protobuf/struct_pb") as StructPb;
const { Empty } = fromPulumi("google-protobuf/google/protobuf/empty_pb") as EmptyPb;

interface Diagnostic {
  policy: string;
  level: "advisory" | "mandatory" | "disabled" | "remediate";
  urn: string;
  message: string;
}

describe("the pack under Pulumi's policy-pack runner (gRPC, as `pulumi preview --policy-pack policy` runs it)", () => {
  let child: ChildProcess;
  let client: InstanceType<AnalyzerRpc["AnalyzerClient"]>;
  let stderr = "";
  const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;

  before(async () => {
    // What the CLI's `pulumi-analyzer-policy` does: resolve the runner from the pack's directory, run it there
    // with <engine address> and the pack path; it prints the port it serves on.
    const runner = createRequire(path.join(ROOT, "policy", "package.json")).resolve("@pulumi/pulumi/cmd/run-policy-pack");
    child = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: path.join(ROOT, "policy"), stdio: ["ignore", "pipe", "pipe"] });
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /^(\d+)\s*$/m.exec(out);
        if (m) resolve(m[1]);
      });
      child.on("exit", (code) => reject(new Error(`the policy pack exited (${code}) before serving:\n${out}\n${stderr}`)));
    });
    client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });
  after(() => {
    client?.close();
    child?.kill();
  });

  const unary = <Req, Res>(method: (req: Req, cb: (e: Error | null, r: Res) => void) => unknown, req: Req) =>
    new Promise<Res>((resolve, reject) => method.call(client, req, (e, r) => (e ? reject(e) : resolve(r))));

  function diagnostics(res: InstanceType<AnalyzerPb["AnalyzeResponse"]>): Diagnostic[] {
    return res.getDiagnosticsList().map((d) => ({
      policy: d.getPolicyname(),
      level: LEVELS[d.getEnforcementlevel()],
      urn: d.getUrn(),
      message: d.getMessage(),
    }));
  }

  function options(r: ResourceRecord) {
    const o = new pb.AnalyzerResourceOptions();
    o.setAdditionalsecretoutputsList(r.additionalSecretOutputs ?? []);
    o.setProtect(false);
    return o;
  }

  /** Analyze: one custom resource, its inputs as the engine serializes them (secrets still wrapped). */
  async function analyze(r: ResourceRecord, inputs: Record<string, unknown> = r.inputs): Promise<Diagnostic[]> {
    const req = new pb.AnalyzeRequest();
    req.setType(r.type);
    req.setName(r.name);
    req.setUrn(r.urn);
    req.setProperties(Struct.fromJavaScript(inputs as Parameters<StructPb["Struct"]["fromJavaScript"]>[0]));
    req.setOptions(options(r));
    return diagnostics(await unary(client.analyze, req));
  }

  async function analyzeStack(rs: ResourceRecord[]): Promise<Diagnostic[]> {
    const req = new pb.AnalyzeStackRequest();
    req.setResourcesList(
      rs.map((r) => {
        const a = new pb.AnalyzerResource();
        a.setType(r.type);
        a.setName(r.name);
        a.setUrn(r.urn);
        const props = (r.custom ? r.inputs : (r.outputs ?? {})) as Parameters<StructPb["Struct"]["fromJavaScript"]>[0];
        a.setProperties(Struct.fromJavaScript(props));
        a.setOptions(options(r));
        return a;
      }),
    );
    return diagnostics(await unary(client.analyzeStack, req));
  }

  /** Configure as the CLI does from a --policy-pack-config file: every listed policy with its level and properties. */
  async function configure(config: Record<string, { level: (typeof LEVELS)[number]; props?: Record<string, unknown> }>) {
    const req = new pb.ConfigureAnalyzerRequest();
    for (const [name, c] of Object.entries(config)) {
      const pc = new pb.PolicyConfig();
      pc.setEnforcementlevel(LEVELS.indexOf(c.level));
      pc.setProperties(Struct.fromJavaScript((c.props ?? {}) as Parameters<StructPb["Struct"]["fromJavaScript"]>[0]));
      req.getPolicyconfigMap().set(name, pc);
    }
    await unary(client.configure, req);
  }

  const customs = (r: ProgramResult) => r.resources.filter((x) => x.custom);

  test("the pack loads (type checked by the runner) and describes its policies and levels", async () => {
    const info = await unary<InstanceType<EmptyPb["Empty"]>, InstanceType<AnalyzerPb["AnalyzerInfo"]>>(client.getAnalyzerInfo, new Empty());
    assert.equal(info.getName(), PACK_NAME);
    assert.equal(info.getVersion(), "0.1.0");
    const got = Object.fromEntries(info.getPoliciesList().map((p) => [p.getName(), LEVELS[p.getEnforcementlevel()]]));
    assert.deepEqual(got, Object.fromEntries(policies.map((p) => [p.name, p.enforcementLevel])), `stderr of the pack:\n${stderr}`);
  });

  test("prod: every resource and the stack pass, with no diagnostic at all", async () => {
    const ds: Diagnostic[] = [];
    for (const r of customs(prodRun)) ds.push(...(await analyze(r)));
    ds.push(...(await analyzeStack(prodRun.resources)));
    assert.deepEqual(ds, []);
  });

  test("dev: only advisory host-key warnings, exactly one per command", async () => {
    // A resource diagnostic carries no URN of its own: the engine attaches the analyzed resource's.
    const ds: Array<Diagnostic & { resource: string }> = [];
    for (const r of customs(devRun)) ds.push(...(await analyze(r)).map((d) => ({ ...d, resource: r.urn })));
    assert.deepEqual(await analyzeStack(devRun.resources), []);
    const cmds = devRun.resources.filter((r) => r.type === rules.COMMAND);
    assert.ok(ds.every((d) => d.policy === "ssh-host-key-pinned-advisory" && d.level === "advisory"));
    assert.deepEqual(ds.map((d) => d.resource).sort(), cmds.map((r) => r.urn).sort());
  });

  test("violations on a tampered prod command are mandatory, name the resource and never carry the secret", async () => {
    const cmd = prodRun.resources.find(
      (r) => r.type === rules.COMMAND && unwrap(r.inputs) && (unwrap(r.inputs) as any).stdin !== undefined,
    )!;
    const inputs = unwrap(cmd.inputs) as Record<string, any>;
    const tampered = {
      ...inputs,
      // the engine sends the connection wrapped as a secret; the pack sees it in clear
      connection: {
        "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
        value: { ...inputs.connection, hostKey: undefined, password: PW },
      },
      logging: "stdoutAndStderr",
      create: `${inputs.create} PGPASSWORD=${PW}`,
      delete: "rm -rf /var/lib/postgresql/16/main",
    };
    const ds = await analyze(cmd, JSON.parse(JSON.stringify(tampered)) as Record<string, unknown>);
    const byPolicy = new Set(ds.map((d) => d.policy));
    for (const p of [
      "ssh-host-key-pinned",
      "ssh-no-password",
      "stdin-commands-are-silent",
      "no-credentials-in-command-text",
      "no-data-loss-on-delete",
    ])
      assert.ok(byPolicy.has(p), `${p} fired: ${JSON.stringify(ds.map((d) => d.policy))}`);
    assert.ok(!byPolicy.has("ssh-host-key-pinned-advisory"));
    for (const d of ds) {
      assert.equal(d.level, "mandatory", d.policy);
      assert.ok(d.message.includes(cmd.name), "the message names the resource");
      assert.ok(!d.message.includes(PW), "never the secret");
    }
  });

  test("a preview with command text not known yet: those policies can't run there (advisory); preview-coverage says how many", async () => {
    const cmds = customs(prodRun).filter((r) => rules.isAnyCommand(r.type));
    const stdinCmd = cmds.find((r) => r.type === rules.COMMAND && (unwrap(r.inputs) as Record<string, unknown>).stdin !== undefined)!;
    const createCmd = cmds.find((r) => r.type === rules.COMMAND && (unwrap(r.inputs) as Record<string, unknown>).stdin === undefined)!;
    // The engine sends a value unknown until apply as its sentinel string; the runner's proxy throws on reading it.
    const unknownIn = new Map<string, Record<string, unknown>>([
      [stdinCmd.urn, { stdin: UNKNOWN }],
      [createCmd.urn, { create: UNKNOWN }],
    ]);
    const preview = prodRun.resources.map((r) => (unknownIn.has(r.urn) ? { ...r, inputs: { ...r.inputs, ...unknownIn.get(r.urn) } } : r));
    const cantRun = (ds: Diagnostic[]) =>
      ds.map((d) => {
        assert.equal(d.level, "advisory", d.message);
        assert.match(d.message, new RegExp(`^can't run policy '${d.policy}' from policy pack '${PACK_NAME}@v0\\.1\\.0' during preview`));
        return d.policy;
      });
    assert.deepEqual(cantRun(await analyze(stdinCmd, preview.find((r) => r.urn === stdinCmd.urn)!.inputs)), ["stdin-commands-are-silent"]);
    assert.deepEqual(cantRun(await analyze(createCmd, preview.find((r) => r.urn === createCmd.urn)!.inputs)), [
      "no-credentials-in-command-text",
    ]);
    const ds = await analyzeStack(preview);
    assert.deepEqual(
      ds.map((d) => [d.policy, d.level]),
      [["preview-coverage", "advisory"]],
    );
    assert.match(
      ds[0].message,
      new RegExp(
        `stdin-commands-are-silent could not check 1 of the ${cmds.length} commands; no-credentials-in-command-text could not check 1 of the ${cmds.length} commands: .*\`pulumi up\` checks them before it runs them`,
      ),
    );
  });

  test("a stack that breaks the HDFS shape fails the stack policy", async () => {
    const nn = devRun.resources.find((r) => r.type === HDFS_TYPES.NameNode)!;
    const ds = await analyzeStack([...devRun.resources, { ...nn, urn: `${nn.urn}-2`, name: `${nn.name}-2` }]);
    assert.deepEqual(
      ds.map((d) => [d.policy, d.level]),
      [["cluster-shape", "mandatory"]],
    );
    assert.match(ds[0].message, /2 NameNodes/);
  });

  test("policy config: allowPurge lets a purging delete through; the levels stay as configured", async () => {
    const cmd = devRun.resources.find((r) => r.type === rules.COMMAND)!;
    const inputs = { ...(unwrap(cmd.inputs) as Record<string, unknown>), delete: "dropdb metastore" };
    assert.ok((await analyze(cmd, inputs)).some((d) => d.policy === "no-data-loss-on-delete" && d.level === "mandatory"));
    await configure({ "no-data-loss-on-delete": { level: "mandatory", props: { allowPurge: true } } });
    assert.ok(!(await analyze(cmd, inputs)).some((d) => d.policy === "no-data-loss-on-delete"));
    await configure({ "no-data-loss-on-delete": { level: "mandatory", props: { allowPurge: false } } });
    assert.ok((await analyze(cmd, inputs)).some((d) => d.policy === "no-data-loss-on-delete"));
  });
});
