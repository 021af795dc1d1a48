/** Config validation: each rule has a failing case whose message names the key path. And the plan's shape. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, SECRET_KEYS, validateConfig } from "../lib/config";
import { compareVersions, javaRange, releaseProblems } from "../lib/compat";
import { ARTIFACTS, DEFAULT_ARTIFACTS } from "../lib/config/artifacts";
import { RELEASES } from "../services/bom";
import type { ReleaseDecls } from "../services/release";
import { bomLines, labBom, mavenCoordinate } from "../lab/bom";
import { buildPlan } from "../lib/plan";
import { parseSmokeTest } from "../components/smoke-test";
import { loadStack, planFor, problems, stackValues } from "./helpers/stacks";

function expectProblem(patch: (v: Record<string, any>) => void, pattern: RegExp): void {
  const ps = problems(patch);
  assert.ok(
    ps.some((p) => pattern.test(p)),
    `no problem matches ${pattern}; got:\n${ps.join("\n")}`,
  );
}

test("dev and prod stack files validate", () => {
  const dev = loadStack("dev");
  assert.equal(dev.nodes.length, 3);
  assert.equal(dev.hdfs.replication, 2);
  assert.equal(dev.hdfs.nameNodeRpcPort, 9000);
  const prod = loadStack("prod");
  assert.equal(prod.nodes.length, 4);
  assert.equal(prod.hdfs.replication, 3);
  assert.ok(prod.ssh.requireHostKey);
  assert.ok(prod.nodes.every((n) => n.hostKey));
});

test("missing and malformed fields name their key path", () => {
  expectProblem((v) => delete v.nodes[1].host, /^nodes\[1\]\.host: required/);
  expectProblem((v) => (v.nodes[2].host = "999.1.1.1"), /^nodes\[2\]\.host: expected an IPv4 address/);
  expectProblem((v) => (v.nodes[0].name = "Node_1"), /^nodes\[0\]\.name: expected a lowercase host name/);
  expectProblem((v) => (v.nodes[0].roles = ["namenode", "bogus"]), /^nodes\[0\]\.roles\[1\]: /);
  expectProblem((v) => (v.hdfs.replication = "two"), /^hdfs\.replication: /);
  expectProblem((v) => (v.trino = { heap: "lots" }), /^trino\.heap: expected a JVM size/);
  expectProblem((v) => (v.nodes[1].hostKey = "not a key"), /^nodes\[1\]\.hostKey: expected a public key line/);
  expectProblem((v) => (v.hdfs.nameDirs = ["relative/dir"]), /^hdfs\.nameDirs\[0\]: expected an absolute path/);
  expectProblem((v) => (v.hdfs.nameDirs = ["/data/../etc"]), /^hdfs\.nameDirs\[0\]: must not contain '\.\.'/);
  expectProblem((v) => delete v.sshPrivateKey, /^sshPrivateKey: required/);
});

test("unknown keys are rejected, at any depth", () => {
  expectProblem((v) => (v.hdfss = {}), /^hdfss: unknown key/);
  expectProblem((v) => (v.hdfs.replicaton = 2), /^hdfs\.replicaton: unknown key/);
  expectProblem((v) => (v.nodes[0].role = ["namenode"]), /^nodes\[0\]\.role: unknown key/);
});

test("every problem is listed at once, not just the first", () => {
  const ps = problems((v) => {
    v.nodes[0].host = "bad host";
    v.hdfs.replication = 0;
    v.trino = { httpPort: 70000 };
  });
  assert.ok(ps.length >= 3, ps.join("\n"));
});

test("duplicate node names and hosts", () => {
  expectProblem((v) => (v.nodes[1].name = "cpu-node1"), /^nodes\[1\]\.name: duplicate node name "cpu-node1" \(also nodes\[0\]\)/);
  expectProblem((v) => (v.nodes[2].host = v.nodes[0].host), /^nodes\[2\]\.host: duplicate host "192\.168\.1\.184" \(also nodes\[0\]\)/);
  expectProblem((v) => v.nodes[1].roles.push("datanode"), /^nodes\[1\]\.roles: role "datanode" is listed twice/);
});

test("replication above the DataNode count", () => {
  expectProblem((v) => (v.hdfs.replication = 4), /^hdfs\.replication: 4 is more than the 3 DataNodes/);
  expectProblem((v) => {
    v.nodes[2].roles = ["trino-worker", "spark-worker", "flink-taskmanager"];
    v.hdfs.replication = 3;
  }, /^hdfs\.replication: 3 is more than the 2 DataNodes/);
});

test("zero or several of each single role", () => {
  for (const role of ["namenode", "postgres", "metastore", "trino-coordinator", "spark-master", "flink-jobmanager"]) {
    expectProblem(
      (v) => (v.nodes[0].roles = v.nodes[0].roles.filter((r: string) => r !== role)),
      new RegExp(`^nodes: exactly one node must have role "${role}"; found 0$`),
    );
    expectProblem(
      (v) => v.nodes[1].roles.push(role),
      new RegExp(`^nodes: exactly one node must have role "${role}"; found 2 \\(cpu-node1, cpu-node2\\)`),
    );
  }
  expectProblem(
    (v) => v.nodes.forEach((n: any) => (n.roles = n.roles.filter((r: string) => r !== "spark-worker"))),
    /at least one node must have role "spark-worker"/,
  );
});

test("two roles on one node on the same port", () => {
  expectProblem(
    (v) => (v.spark = { masterUiPort: 8080 }),
    /^nodes\[0\] \(cpu-node1\): port 8080 is used by both Trino HTTP \(trino\.httpPort\) and Spark master web UI \(spark\.masterUiPort\)/,
  );
  expectProblem(
    (v) => (v.spark = { workerUiPort: 8081 }),
    /^nodes\[0\] \(cpu-node1\): port 8081 is used by both Spark worker web UI \(spark\.workerUiPort\) and Flink REST\/web UI \(flink\.restPort\)/,
  );
  // On a node without Flink's JobManager the same port is fine.
  const ok = loadStack("dev", (v) => {
    v.spark = { workerUiPort: 8081 };
    v.nodes[0].roles = v.nodes[0].roles.filter((r: string) => r !== "spark-worker");
  });
  assert.equal(ok.spark.workerUiPort, 8081);
});

test("a coordinator that is also a worker is one Trino process: no collision with itself", () => {
  const c = loadStack("dev");
  assert.ok(c.nodes[0].roles.includes("trino-coordinator") && c.nodes[0].roles.includes("trino-worker"));
});

test("unknown override files", () => {
  expectProblem(
    (v) => (v.hdfs.overrides = { "hdfs-sitee.xml": { "dfs.blocksize": "256m" } }),
    /^hdfs\.overrides\.hdfs-sitee\.xml: unknown key/,
  );
  expectProblem((v) => (v.trino = { overrides: { "jvm.config": { x: 1 } } }), /^trino\.overrides\.jvm\.config: unknown key/);
  const ok = loadStack("dev", (v) => (v.hdfs.overrides = { "hdfs-site.xml": { "dfs.blocksize": "256m" } }));
  assert.deepEqual(ok.hdfs.overrides["hdfs-site.xml"], { "dfs.blocksize": "256m" });
});

test("versions with no artifact source or checksum", () => {
  // A mirror URL with no checksum of its own cannot fall back to the default pin.
  expectProblem(
    (v) => (v.artifacts = { trino: { url: "https://mirror.example/trino-{version}.tar.gz" } }),
    /^artifacts\.trino: no checksum for the URL given: set artifacts\.trino\.sha512 \(or checksumUrl\)/,
  );
  const ok = loadStack(
    "dev",
    (v) => (v.artifacts = { trino: { url: "https://mirror.example/trino-{version}.tar.gz", sha512: "a".repeat(128) } }),
  );
  assert.equal(ok.artifacts.trino.sha512, "a".repeat(128));
  assert.equal(ok.artifacts.trino.checksumUrl, undefined);
  expectProblem((v) => (v.artifacts = { hadoop: { sha512: "XYZ" } }), /^artifacts\.hadoop\.sha512: expected 128 lowercase hex digits/);
  expectProblem((v) => (v.artifacts = { hadoop: { url: "ftp://x/y" } }), /^artifacts\.hadoop\.url: expected an http\(s\) URL/);
});

test("a JDK that is not configured, or that the version does not run on", () => {
  expectProblem((v) => (v.trino = { java: "21" }), /^trino\.java: no JDK "21" under java \(configured: 17\)/);
  expectProblem(
    (v) => (v.artifacts = { trino: { version: "436", sha512: "b".repeat(128) } }),
    /^trino\.java: trino 436 does not run on Java 17 \(Trino 436-446 need Java 21\)/,
  );
  // With a JDK 21 configured for Trino, 436 passes.
  const ok = loadStack("dev", (v) => {
    v.java = {
      "17": { package: "openjdk-17-jdk-headless", home: "/usr/lib/jvm/java-17-openjdk-amd64" },
      "21": { package: "temurin-21-jdk", home: "/usr/lib/jvm/temurin-21-jdk-amd64" },
    };
    v.trino = { java: "21" };
    v.artifacts = { trino: { version: "436", sha512: "b".repeat(128) } };
  });
  assert.equal(ok.trino.java, "21");
  expectProblem((v) => {
    v.java = {
      "21": { package: "temurin-21-jdk", home: "/usr/lib/jvm/temurin-21-jdk-amd64" },
      "17": { package: "openjdk-17-jdk-headless", home: "/usr/lib/jvm/java-17-openjdk-amd64" },
    };
    v.spark = { java: "21" };
  }, /^spark\.java: spark 3\.5\.\d+ does not run on Java 21/);
});

test("a JDK archive: installed like an artifact on the nodes that need it; bad archives name their key", () => {
  const jdk25 = { version: "25.0.3+9", url: "https://example.org/jdk/OpenJDK25U-{version}.tar.gz", sha512: "c".repeat(128) };
  const patch = (v: Record<string, any>) => {
    v.java = { "17": { package: "openjdk-17-jdk-headless", home: "/usr/lib/jvm/java-17-openjdk-amd64" }, "25": jdk25 };
    v.trino = { java: "25" };
    v.artifacts = { trino: { version: "476", sha512: "b".repeat(128) } };
  };
  const plan = planFor("dev", patch);
  const trino = plan.services.filter((s) => s.kind === "trino");
  assert.equal(trino.length, 3);
  for (const s of trino)
    assert.deepEqual(s.jdk, { major: "25", archive: { ...jdk25, checksumUrl: undefined }, home: "/opt/jdk-25/current" });
  for (const n of plan.nodes) {
    // Every dev node runs Trino: each unpacks the archive once and installs no package for it.
    assert.deepEqual(
      n.jdkArchives.map((j) => j.major),
      ["25"],
    );
    assert.ok(!n.packages.some((p) => /25/.test(p)), n.packages.join(","));
    assert.ok(n.packages.includes("openjdk-17-jdk-headless"));
  }
  // Without Trino on a node, no Java 25 there.
  const noTrino = planFor("dev", (v) => {
    patch(v);
    v.nodes[2].roles = v.nodes[2].roles.filter((r: string) => r !== "trino-worker");
  });
  assert.deepEqual(noTrino.nodes[2].jdkArchives, []);
  // Trino 476 on the default Java 17 is refused by the compatibility matrix.
  expectProblem(
    (v) => (v.artifacts = { trino: { version: "476", sha512: "b".repeat(128) } }),
    /^trino\.java: trino 476 does not run on Java 17 \(Trino 476-478 need Java 24\)/,
  );
  expectProblem(
    (v) => (v.java = { "17": { package: "openjdk-17-jdk-headless", home: "/usr/lib/jvm/x", url: "https://x/y.tgz" } }),
    /^java\.17\.package: give either package/,
  );
  expectProblem(
    (v) => (v.java = { "17": { ...jdk25, sha512: undefined } }),
    /^java\.17\.sha512: a JDK archive needs sha512 or checksumUrl/,
  );
  expectProblem((v) => (v.java = { "17": { url: jdk25.url, sha512: jdk25.sha512 } }), /^java\.17\.version: a JDK archive needs version/);
  expectProblem((v) => (v.java = { "17": { package: "openjdk-17-jdk-headless" } }), /^java\.17\.home: a packaged JDK needs its home/);
  expectProblem((v) => (v.java = { "17": { home: "/usr/lib/jvm/x" } }), /^java\.17: expected package \+ home, or an archive/);
});

test("metastore versions that break the engines' clients", () => {
  expectProblem(
    (v) => (v.artifacts = { hive: { version: "4.1.0", sha512: "c".repeat(128) } }),
    /^artifacts\.hive\.version: metastore 4\.1\.0 removed the Thrift call get_table/,
  );
});

test("releases the rest of the stack does not fit: each service's rules, whatever its own section says", () => {
  expectProblem(
    (v) => (v.artifacts = { flink: { version: "2.0.0", sha512: "c".repeat(128) } }),
    /^artifacts\.flink\.version: Flink 2\.0\.0 has no Hive connector; the lakehouse needs Flink 1\.20\.x$/,
  );
  // A section that does not parse does not hide its releases' problems.
  expectProblem((v) => {
    v.spark = { workerCores: 0 };
    v.artifacts = { spark: { version: "4.0.1", sha512: "c".repeat(128) } };
  }, /^artifacts\.spark\.version: Spark 4\.0\.1 needs the Scala 2\.13 \/ Spark 4 builds of Iceberg and Delta/);
  // The range is [from, …): the last version before it passes.
  assert.deepEqual(
    releaseProblems({ ...DEFAULT_ARTIFACTS, hive: { version: "4.0.0" }, flink: { version: "1.20.9" }, spark: { version: "3.5.99" } }),
    [],
  );
  assert.deepEqual(
    releaseProblems({ ...DEFAULT_ARTIFACTS, hive: { version: "4.0.1" }, flink: { version: "2.0.0" }, spark: { version: "4.0.0" } }).map(
      (p) => p.split(":")[0],
    ),
    ["artifacts.hive.version", "artifacts.spark.version", "artifacts.flink.version"],
  );
});

test("the bill of materials is the services' releases: the same keys and defaults, each declared by one service", () => {
  assert.deepEqual(
    [...ARTIFACTS],
    [
      "hadoop",
      "hive",
      "postgresJdbc",
      "trino",
      "spark",
      "icebergSpark",
      "deltaSpark",
      "deltaStorage",
      "flink",
      "icebergFlink",
      "flinkHive",
    ],
  );
  const declared = Object.values(RELEASES).flatMap((r: ReleaseDecls) => Object.keys(r.defaults));
  assert.deepEqual(declared, [...ARTIFACTS], "a release is declared twice, or the assembly lost one");
  for (const [service, r] of Object.entries(RELEASES) as Array<[string, ReleaseDecls]>) {
    for (const name of Object.keys(r.compat ?? {})) assert.ok(name in r.defaults, `${service}'s compat names ${name}, not its release`);
  }
  // The schema takes exactly these keys.
  expectProblem((v) => (v.artifacts = { kafka: { version: "4.0.0" } }), /^artifacts\.kafka: unknown key/);
  assert.equal(loadStack("dev").artifacts.flinkHive.version, "1.20.3");
});

test("the lab's bill of materials (lab/bom.ts, read by lab/mirror.sh and .ci/run): the product's releases with the lab's", () => {
  const lines = bomLines(labBom({ LAKEHOUSE_LAB_TRINO: "476" }));
  const byName = new Map(lines.map((l) => [l.split(" ")[1], l] as const));
  assert.equal(lines.length, ARTIFACTS.length + 1);
  // Paths under the mirror are the URLs with the source replaced, as mirror.sh serves them; Maven's coordinates follow.
  assert.equal(byName.get("hadoop"), "artifact hadoop 3.4.1 apache/hadoop/common/hadoop-3.4.1/hadoop-3.4.1.tar.gz -");
  assert.equal(
    byName.get("trino"),
    "artifact trino 476 maven2/io/trino/trino-server/476/trino-server-476.tar.gz io.trino:trino-server:476:tar.gz",
  );
  assert.equal(
    byName.get("hive"),
    "artifact hive 3.1.3 maven2/org/apache/hive/hive-standalone-metastore/3.1.3/hive-standalone-metastore-3.1.3-bin.tar.gz org.apache.hive:hive-standalone-metastore:3.1.3:tar.gz:bin",
  );
  assert.equal(lines.at(-1), "jdk 25 trino", "Trino 476 runs on no default JDK, on 25");
  // With the product's Trino, no release needs the lab's JDK.
  assert.equal(bomLines(labBom({ LAKEHOUSE_LAB_TRINO: "435" })).at(-1), "jdk 25");
  assert.throws(() => labBom({ LAKEHOUSE_LAB_TRINO: "not a version!" }), /artifacts\.trino/);
  assert.throws(() => mavenCoordinate("io/trino/trino-server/476/other-476.tar.gz"), /Maven's repository layout/);
});

test("secrets must be set as secrets", () => {
  const ps = problems(() => {}, []);
  assert.ok(
    ps.some((p) => /^sshPrivateKey: is stored in plain text/.test(p)),
    ps.join("\n"),
  );
  expectProblem((v) => (v.postgresPassword = "short"), /postgresPassword/);
});

test("prod requires a pinned host key on every node", () => {
  const values = structuredClone(stackValues("prod"));
  delete (values.nodes as any[])[3].hostKey;
  assert.throws(
    () => validateConfig({ values, secretKeys: new Set(["sshPrivateKey"]), stack: "prod" }),
    (e: unknown) =>
      e instanceof ConfigError && e.problems.some((p) => /^nodes\[3\]\.hostKey: required because ssh\.requireHostKey is true/.test(p)),
  );
});

test("security switches that need more than a boolean", () => {
  expectProblem((v) => (v.metastore.security = { sasl: true }), /^metastore\.security\.sasl: needs metastore\.security\.kerberosPrincipal/);
  // TLS under SASL: refused (Spark's Hive client cannot), and the keystore is the stack's own (no path to give).
  expectProblem(
    (v) => (v.metastore.security = { sasl: true, kerberosPrincipal: "hive/_HOST@R", kerberosKeytab: "/k", ssl: true }),
    /^metastore\.security\.ssl: not with metastore\.security\.sasl\. .*Hive client \(2\.3\.9\)/,
  );
  expectProblem((v) => (v.metastore.security = { ssl: true, keystorePath: "/etc/hive/ks.jks" }), /keystorePath/);
});

test("your own CA: its certificate in tls.caCertificate and its key as the secret tlsCaKey, both or neither", () => {
  const crt = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";
  const key = "-----BEGIN PRIVATE KEY-----\nMIIEfake\n-----END PRIVATE KEY-----\n";
  const ps = (patch: (v: Record<string, any>) => void, secret = true) =>
    problems(patch, secret ? ["sshPrivateKey", "tlsCaKey"] : undefined);
  assert.ok(ps((v) => (v.tls = { caCertificate: crt })).some((p) => /^tlsCaKey: tls\.caCertificate needs its CA's private key/.test(p)));
  assert.ok(ps((v) => (v.tlsCaKey = key)).some((p) => /^tlsCaKey: given without tls\.caCertificate/.test(p)));
  assert.ok(
    ps((v) => ((v.tls = { caCertificate: "not a pem" }), (v.tlsCaKey = key))).some((p) =>
      /^tls\.caCertificate: expected one PEM certificate/.test(p),
    ),
  );
  assert.ok(
    ps((v) => ((v.tls = { caCertificate: crt }), (v.tlsCaKey = "secret"))).some((p) =>
      /^tlsCaKey: expected one unencrypted PEM private key/.test(p),
    ),
  );
  // A key in plain text is refused like every secret.
  assert.ok(ps((v) => ((v.tls = { caCertificate: crt }), (v.tlsCaKey = key)), false).some((p) => /tlsCaKey/.test(p)));
  assert.throws(() => ps((v) => ((v.tls = { caCertificate: crt }), (v.tlsCaKey = key))), /validated/);
});

test("defaults are filled in and realistic", () => {
  const c = loadStack("dev", (v) => {
    delete v.trino;
    delete v.spark;
  });
  assert.equal(c.trino.httpPort, 8080);
  assert.equal(c.spark.masterUiPort, 8090, "Spark's 8080 would collide with Trino");
  assert.equal(c.spark.workerUiPort, 8091, "Spark's 8081 would collide with Flink");
  assert.equal(c.metastore.port, 9083);
  assert.equal(c.artifacts.trino.version, "435");
  assert.equal(c.environment, "dev");
});

test("compatibility matrix", () => {
  assert.equal(compareVersions("3.10.0", "3.9.9"), 1);
  assert.equal(compareVersions("435", "436"), -1);
  assert.equal(javaRange("trino", "435")?.min, 17);
  assert.equal(javaRange("trino", "479")?.min, 25);
  assert.equal(javaRange("spark", "3.5.7")?.max, 17);
  assert.equal(javaRange("metastore", "4.2.0")?.min, 21);
});

test("plan: placement, URIs and dependencies for dev", () => {
  const p = planFor("dev");
  assert.equal(p.endpoints.defaultFS, "hdfs://192.168.1.184:9000");
  assert.equal(p.endpoints.metastoreUri, "thrift://192.168.1.184:9083");
  // Clients reach Trino over HTTPS on the coordinator; the nodes keep HTTP among themselves.
  assert.equal(p.endpoints.trinoUrl, "https://192.168.1.184:8443");
  assert.equal(p.endpoints.sparkMasterUrl, "spark://192.168.1.184:7077");
  assert.equal(p.endpoints.flinkUi, "http://192.168.1.184:8081");
  // TLS to PostgreSQL by default, the server verified against the cluster CA: the JDBC URL says so; scripts get
  // the same endpoint as fields.
  assert.equal(
    p.endpoints.postgresJdbcUrl,
    "jdbc:postgresql://192.168.1.184:5432/metastore?sslmode=verify-full&sslrootcert=/etc/lakehouse/tls/ca.crt",
  );
  assert.deepEqual(p.endpoints.postgres, {
    host: "192.168.1.184",
    port: 5432,
    database: "metastore",
    sslmode: "verify-full",
    sslrootcert: "/etc/lakehouse/tls/ca.crt",
  });
  // The CA: on the first node unless tls.caNode names another; an unknown node is refused.
  assert.deepEqual(
    { caNode: p.tls.caNode, caDir: p.tls.caDir, dir: p.tls.dir, caName: p.tls.caName },
    { caNode: "cpu-node1", caDir: "/etc/lakehouse/tls-ca", dir: "/etc/lakehouse/tls", caName: "lakehouse-iac CA dev" },
  );
  assert.equal(planFor("dev", (v) => (v.tls = { caNode: "worker-node3" })).tls.caNode, "worker-node3");
  expectProblem((v) => (v.tls = { caNode: "nope" }), /^tls\.caNode: no node named "nope"/);
  const plain = planFor("dev", (v) => (v.postgres = { ...v.postgres, ssl: false })).endpoints;
  assert.equal(plain.postgresJdbcUrl, "jdbc:postgresql://192.168.1.184:5432/metastore");
  assert.equal(plain.postgres.sslmode, "disable");
  assert.equal(p.endpoints.warehouse.iceberg, "hdfs://192.168.1.184:9000/lakehouse/iceberg");
  assert.deepEqual(p.warehouseDirs, ["/lakehouse", "/lakehouse/iceberg", "/lakehouse/delta", "/lakehouse/hive"]);
  assert.deepEqual(p.clusterCidrs, ["192.168.1.184/32", "192.168.1.185/32", "192.168.1.186/32"]);

  const count = (k: string) => p.services.filter((s) => s.kind === k).length;
  assert.equal(count("datanode"), 3);
  assert.equal(count("trino"), 3);
  assert.equal(count("spark-worker"), 3);
  assert.equal(count("flink-taskmanager"), 3);
  const coord = p.services.find((s) => s.kind === "trino" && s.trino?.coordinator)!;
  assert.equal(coord.node, "cpu-node1");
  assert.equal(coord.trino?.schedulesWork, true, "node1 is coordinator and worker: include-coordinator");
  const w = p.services.find((s) => s.id === "trino@cpu-node2")!;
  assert.deepEqual(w.trino, {
    coordinator: false,
    schedulesWork: true,
    nodeId: "dev-cpu-node2",
    group: undefined,
    heap: "4g",
    queryMaxMemoryPerNode: "1GB",
    overrides: [{}],
  });

  // Order: every `after` refers to an earlier service.
  const seen = new Set<string>();
  for (const s of p.services) {
    for (const a of s.after) assert.ok(seen.has(a), `${s.id} depends on ${a}, planned later`);
    seen.add(s.id);
  }
  const ms = p.services.find((s) => s.kind === "metastore")!;
  assert.ok(ms.after.includes("postgres@cpu-node1") && ms.after.includes("namenode@cpu-node1"));
  assert.ok(p.services.filter((s) => s.kind === "datanode").every((s) => s.after.includes("namenode@cpu-node1")));
  // Engines start without the metastore (they reach it at query time); Trino workers after their coordinator.
  assert.ok(p.services.filter((s) => s.kind === "trino").every((s) => !s.after.includes("metastore@cpu-node1")));
  assert.ok(p.services.filter((s) => s.kind === "trino" && !s.trino!.coordinator).every((s) => s.after.length === 0));

  const n2 = p.nodes.find((n) => n.name === "cpu-node2")!;
  assert.ok(!n2.packages.includes("postgresql-client"), "only the metastore node needs the psql client");
  assert.ok(n2.packages.includes("openjdk-17-jdk-headless"));
  assert.ok(n2.packages.includes("python-is-python3"), "Trino's launcher needs `python`");
  assert.deepEqual(n2.artifacts.sort(), ["flink", "hadoop", "spark", "trino"]);
  const n1 = p.nodes[0];
  assert.ok(n1.artifacts.includes("hive"));
  assert.ok(n1.jars.some((j) => j.jar === "postgresJdbc" && j.into === "hive"));
});

test("plan: an engine-only node still gets the Hadoop client", () => {
  const p = buildPlan(
    loadStack("dev", (v) => {
      v.nodes.push({ name: "edge-node5", host: "192.168.1.190", roles: ["trino-worker"] });
    }),
  );
  const n = p.nodes.find((x) => x.name === "edge-node5")!;
  assert.deepEqual(n.artifacts, ["hadoop", "trino"]);
});

test("engines can be switched off; their roles must then be absent", () => {
  const noTrino = (v: Record<string, any>) => {
    v.trino = { enabled: false };
    for (const n of v.nodes) n.roles = n.roles.filter((r: string) => !r.startsWith("trino-"));
  };
  const c = loadStack("dev", noTrino);
  const p = buildPlan(c);
  assert.equal(p.services.filter((s) => s.kind === "trino").length, 0);
  assert.equal(p.endpoints.trinoUrl, undefined);
  assert.ok(!p.nodes[1].artifacts.includes("trino"));
  expectProblem((v) => (v.trino = { enabled: false }), /^nodes\[0\]\.roles: "trino-coordinator" is listed but trino\.enabled is false/);
  // Flink without its Hive connector: no connector jar to download.
  const f = buildPlan(loadStack("dev", (v) => (v.flink = { ...v.flink, hiveConnector: false })));
  assert.ok(!f.nodes[1].jars.some((j) => j.jar === "flinkHive"));
  assert.ok(f.nodes[1].jars.some((j) => j.jar === "icebergFlink"));
});

test("a pinned checksum does not follow a version change", () => {
  const c = loadStack("dev");
  assert.match(c.artifacts.postgresJdbc.sha512 ?? "", /^[0-9a-f]{128}$/);
  expectProblem(
    (v) => (v.artifacts = { postgresJdbc: { version: "42.7.9" } }),
    /^artifacts\.postgresJdbc: no checksum for version 42\.7\.9: set artifacts\.postgresJdbc\.sha512/,
  );
  // Apache tarballs verify against the checksum file published beside them, which follows the version.
  const h = loadStack("dev", (v) => (v.artifacts = { hadoop: { version: "3.4.2" } }));
  assert.equal(
    h.artifacts.hadoop.checksumUrl,
    "https://archive.apache.org/dist/hadoop/common/hadoop-{version}/hadoop-{version}.tar.gz.sha512",
  );
});

test("smoke test output: the script's JSON line, or a failure that says what came back", () => {
  const ok = parseSmokeTest(
    'log line\n{"run":"1","status":"passed","failedStep":null,"detail":"","steps":[{"step":"trino-writes-iceberg","result":"ok","seconds":3}]}\n',
  );
  assert.equal(ok.status, "passed");
  assert.equal(ok.steps[0].step, "trino-writes-iceberg");
  const bad = parseSmokeTest("Segmentation fault");
  assert.equal(bad.status, "failed");
  assert.equal(bad.failedStep, "report");
  assert.match(bad.detail, /Segmentation fault/);
});

test("override keys and values with newlines or control characters are refused up front, with the key path", () => {
  expectProblem(
    (v) => (v.hdfs.overrides = { "hdfs-site.xml": { "dfs.blocksize": "256m\n</value>" } }),
    /^hdfs\.overrides\.hdfs-site\.xml\.dfs\.blocksize: contains a newline or control character/,
  );
  expectProblem(
    (v) => (v.trino = { ...v.trino, overrides: { "config.properties": { "a\nb": "1" } } }),
    /^trino\.overrides\.config\.properties: key "a\\nb" contains a newline or control character/,
  );
  expectProblem(
    (v) => (v.spark = { ...v.spark, overrides: { "spark-defaults.conf": { "spark.x": "a\u0000b" } } }),
    /^spark\.overrides\.spark-defaults\.conf\.spark\.x: contains a newline or control character/,
  );
  expectProblem(
    (v) => (v.flink = { ...v.flink, overrides: { "config.yaml": { "a\tb": 1 } } }),
    /^flink\.overrides\.config\.yaml: key "a\\tb" contains a newline or control character/,
  );
});

test("overrides cannot replace keys the program owns or checks; the message names the typed key", () => {
  const owned: Array<[string, string, string, RegExp]> = [
    ["hdfs", "core-site.xml", "fs.defaultFS", /hdfs\.nameNodeRpcPort/],
    ["hdfs", "hdfs-site.xml", "fs.defaultFS", /hdfs\.nameNodeRpcPort/],
    ["hdfs", "hdfs-site.xml", "dfs.namenode.name.dir", /use hdfs\.nameDirs/],
    ["hdfs", "hdfs-site.xml", "dfs.permissions.superusergroup", /use hdfs\.adminGroup/],
    ["metastore", "hive-site.xml", "javax.jdo.option.ConnectionURL", /postgres\.port/],
    ["metastore", "hive-site.xml", "javax.jdo.option.ConnectionUserName", /use postgres\.user/],
    ["metastore", "hive-site.xml", "javax.jdo.option.ConnectionPassword", /use the secret postgresPassword/],
    ["metastore", "hive-site.xml", "metastore.thrift.uris", /use metastore\.port/],
    ["metastore", "hive-site.xml", "hive.metastore.uris", /use metastore\.port/],
    ["trino", "config.properties", "http-server.http.port", /use trino\.httpPort/],
    ["trino", "config.properties", "discovery.uri", /trino\.httpPort/],
    ["trino", "config.properties", "internal-communication.shared-secret", /use the secret trinoSharedSecret/],
    ["trino", "config.properties", "query.max-memory-per-node", /use trino\.queryMaxMemoryPerNode/],
    ["trino", "node.properties", "node.id", /set by the program/],
  ];
  for (const [section, file, key, hint] of owned) {
    const ps = problems((v) => (v[section] = { ...v[section], overrides: { [file]: { [key]: "x" } } }));
    const p = ps.find((x) => x.startsWith(`${section}.overrides.${file}.${key}: `));
    assert.ok(p, `no problem for ${section}.overrides.${file}.${key}; got:\n${ps.join("\n")}`);
    assert.match(p, hint);
  }
  // dfs.replication may be overridden, but it gets the DataNode-count check of hdfs.replication.
  expectProblem(
    (v) => (v.hdfs.overrides = { "hdfs-site.xml": { "dfs.replication": 5 } }),
    /^hdfs\.overrides\.hdfs-site\.xml\.dfs\.replication: 5 is more than the 3 DataNodes/,
  );
  expectProblem(
    (v) => (v.hdfs.overrides = { "hdfs-site.xml": { "dfs.replication": "two" } }),
    /^hdfs\.overrides\.hdfs-site\.xml\.dfs\.replication: expected a whole number/,
  );
  assert.equal(loadStack("dev", (v) => (v.hdfs.overrides = { "hdfs-site.xml": { "dfs.replication": 1 } })).hdfs.replication, 2);
  // Keys the program does not set stay overridable.
  const ok = loadStack("dev", (v) => (v.trino = { ...v.trino, overrides: { "config.properties": { "query.max-run-time": "1h" } } }));
  assert.equal(ok.trino.overrides["config.properties"]?.["query.max-run-time"], "1h");
});

test("package names that reach apt are Debian package names; an option is refused", () => {
  expectProblem(
    (v) => (v.postgres = { package: "-oAPT::Get::AllowUnauthenticated=1" }),
    /^postgres\.package: expected a Debian package name/,
  );
  expectProblem((v) => (v.postgres = { package: "postgresql postgresql-contrib" }), /^postgres\.package: expected a Debian package name/);
  expectProblem(
    (v) => (v.java = { "17": { package: "-y", home: "/usr/lib/jvm/x" } }),
    /^java\.17\.package: expected a Debian package name/,
  );
  expectProblem((v) => (v.extraPackages = ["--force-yes"]), /^extraPackages\[0\]: expected a Debian package name/);
  assert.equal(loadStack("dev", (v) => (v.postgres = { package: "postgresql-15" })).postgres.package, "postgresql-15");
});

test("the prod stack needs a pinned host key on every node, even without ssh.requireHostKey", () => {
  const values = structuredClone(stackValues("prod")) as Record<string, any>;
  values.ssh.requireHostKey = false;
  delete values.nodes[2].hostKey;
  assert.throws(
    () => validateConfig({ values, secretKeys: new Set(["sshPrivateKey"]), stack: "prod" }),
    (e: unknown) => e instanceof ConfigError && e.problems.some((p) => /^nodes\[2\]\.hostKey: required on a production stack/.test(p)),
  );
  // dev does not need them.
  assert.ok(loadStack("dev").nodes.every((n) => n.hostKey === undefined));
});

test("data dirs that repeat or overlap on a node, a warehouse root of /, per-node memory above the heap, low ports", () => {
  expectProblem(
    (v) => (v.hdfs.nameDirs = ["/data/nn", "/data/nn/"]),
    /^hdfs\.nameDirs\[1\]: \/data\/nn\/ is the same directory as hdfs\.nameDirs\[0\]/,
  );
  expectProblem((v) => {
    v.hdfs.nameDirs = ["/data/hdfs/nn"];
    v.hdfs.dataDirs = ["/data/hdfs"];
  }, /^hdfs\.nameDirs\[0\]: \/data\/hdfs\/nn is inside hdfs\.dataDirs\[0\] \(\/data\/hdfs\) on cpu-node1/);
  expectProblem(
    (v) => (v.trino = { ...v.trino, dataDir: "/var/lib/spark/work/trino" }),
    /^trino\.dataDir: \/var\/lib\/spark\/work\/trino is inside spark\.workDir \(\/var\/lib\/spark\/work\)/,
  );
  // Only dirs of services on the same node can collide: the NameNode's dir may equal a dir used elsewhere.
  loadStack("dev", (v) => {
    v.nodes[0].roles = v.nodes[0].roles.filter((r: string) => r !== "spark-worker");
    v.spark = { ...v.spark, workDir: "/var/lib/hadoop-hdfs/name" };
  });
  expectProblem((v) => (v.warehouse = { root: "/" }), /^warehouse\.root: /);
  expectProblem(
    (v) => (v.trino = { ...v.trino, queryMaxMemoryPerNode: "5GB" }),
    /^trino\.queryMaxMemoryPerNode: 5GB is more than trino\.heap \(4g\)/,
  );
  expectProblem(
    (v) => (v.trino = { ...v.trino, heap: "1536m", queryMaxMemoryPerNode: "2GB" }),
    /^trino\.queryMaxMemoryPerNode: 2GB is more than trino\.heap \(1536m\)/,
  );
  assert.equal(loadStack("dev", (v) => (v.trino = { ...v.trino, heap: "1536m", queryMaxMemoryPerNode: "1024MB" })).trino.heap, "1536m");
  expectProblem((v) => (v.metastore = { ...v.metastore, port: 22 }), /^metastore\.port: 22 is SSH's port/);
  expectProblem(
    (v) => (v.trino = { ...v.trino, httpPort: 80 }),
    /^trino\.httpPort: 80 is below 1024, but Trino runs as the unprivileged user trino/,
  );
});

test("one bad section does not switch off the other sections' cross checks; a numeric environment", () => {
  const ps = problems((v) => {
    v.trino = { heap: "lots" };
    v.spark = { masterUiPort: 8081 };
  });
  assert.ok(
    ps.some((p) => /^trino\.heap: /.test(p)),
    ps.join("\n"),
  );
  assert.ok(
    ps.some((p) => /port 8081 is used by both Spark master web UI \(spark\.masterUiPort\) and Flink REST/.test(p)),
    ps.join("\n"),
  );
  const ps2 = problems((v) => {
    v.hdfs.replication = "two";
    v.spark = { java: "21" };
  });
  assert.ok(
    ps2.some((p) => /^spark\.java: no JDK "21" under java/.test(p)),
    ps2.join("\n"),
  );
  // `environment: 2024` in a stack file reaches the program as the number 2024.
  assert.equal(loadStack("dev", (v) => (v.environment = 2024)).environment, "2024");
});

test("config set the documented way: numbers where a version is a string; java entries merge over the defaults", () => {
  // pulumi config set --path 'java.25.version' … creates a java map with only "25": JDK 17 stays.
  const jdk25 = { version: "25.0.3+9", url: "https://example.org/jdk/OpenJDK25U-{version}.tar.gz", sha512: "c".repeat(128) };
  const c = loadStack("dev", (v) => {
    v.java = { "25": jdk25 };
    v.trino = { ...v.trino, java: 25 }; // pulumi config set --path 'trino.java' 25 stores a number
    v.artifacts = { trino: { version: 476, sha512: "b".repeat(128) } };
    v.smokeTest = { run: 2 };
  });
  assert.equal(c.trino.java, "25");
  assert.equal(c.artifacts.trino.version, "476");
  assert.equal(c.smokeTest.run, "2");
  assert.deepEqual(Object.keys(c.java).sort(), ["17", "25"]);
  assert.equal(c.hdfs.java, "17");
  // Giving "17" still replaces the default 17.
  const r = loadStack("dev", (v) => (v.java = { "17": { package: "temurin-17-jdk", home: "/usr/lib/jvm/temurin-17-jdk-amd64" } }));
  assert.equal(r.java["17"].package, "temurin-17-jdk");
});

test("config keys of an unknown namespace are errors; other providers' keys are allowed", () => {
  const values = structuredClone(stackValues("dev"));
  assert.throws(
    () =>
      validateConfig({
        values,
        secretKeys: new Set(["sshPrivateKey"]),
        stack: "dev",
        otherKeys: ["lakehose:trino", "Lakehouse:hdfs", "aws:region", "command:x", "random:y", "pulumi:template"],
      }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      const ps = e.problems;
      assert.ok(
        ps.some((p) => /^lakehose:trino: unknown config namespace "lakehose"; did you mean lakehouse:trino\?/.test(p)),
        ps.join("\n"),
      );
      assert.ok(
        ps.some((p) => /^Lakehouse:hdfs: .*did you mean lakehouse:hdfs\?/.test(p)),
        ps.join("\n"),
      );
      assert.ok(
        ps.some((p) => /^aws:region: unknown config namespace "aws"/.test(p)),
        ps.join("\n"),
      );
      assert.ok(!ps.some((p) => /^(command|random|pulumi):/.test(p)), ps.join("\n"));
      return true;
    },
  );
});

test("a node's host is an IPv4 address, not a DNS name", () => {
  expectProblem((v) => (v.nodes[1].host = "cpu-node2.lab.example"), /^nodes\[1\]\.host: expected an IPv4 address .*DNS name/);
  expectProblem((v) => (v.nodes[1].host = "cpu-node2"), /^nodes\[1\]\.host: expected an IPv4 address/);
});

test("plan: a worker is healthy when its master lists this very node, probed on the master, not by a regex on itself", () => {
  const p = buildPlan(loadStack("dev"));
  const svc = (kind: string, node: string) => p.services.find((s) => s.kind === kind && s.node === node)!;
  const nn = p.endpoints.nameNodeUi;
  // worker-node3 (192.168.1.186); the masters are on cpu-node1 (192.168.1.184).
  assert.deepEqual(svc("datanode", "worker-node3").health, {
    kind: "probe",
    check: "datanode",
    args: [
      `${nn}/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo`,
      "http://192.168.1.186:9864/jmx?qry=Hadoop:service=DataNode,name=DataNodeInfo",
      "192.168.1.186:9866",
      "9000",
    ],
    timeoutSec: 300, // it starts after the NameNode is healthy
  });
  const trino = svc("trino", "worker-node3");
  assert.deepEqual(trino.health, {
    kind: "probe",
    check: "trino-worker",
    // Over HTTPS, logged in as the health-check user (credentials in a file of root's), verified against the CA.
    args: [
      p.endpoints.trinoUrl,
      "http://192.168.1.186:8080",
      trino.trino!.nodeId,
      "/etc/lakehouse/tls/ca.crt",
      "/etc/lakehouse/trino-health.cred",
    ],
    timeoutSec: 840, // its own 420 s and its coordinator's
  });
  assert.equal(trino.trino!.nodeId, "dev-worker-node3");
  assert.deepEqual(svc("spark-worker", "worker-node3").health, {
    kind: "probe",
    check: "spark-worker",
    args: [`${p.endpoints.sparkMasterUi}/json/`, "192.168.1.186", "7078"],
    timeoutSec: 600, // its own 300 s and its head's
  });
  assert.deepEqual(svc("flink-taskmanager", "worker-node3").health, {
    kind: "probe",
    check: "flink-taskmanager",
    args: [`${p.endpoints.flinkUi}/taskmanagers`, "192.168.1.186"],
    timeoutSec: 600, // its own 300 s and its head's
  });
  assert.match(p.endpoints.nameNodeUi, /^http:\/\/192\.168\.1\.184:/);
  // The coordinator and the masters still check themselves.
  const coord = p.services.find((s) => s.kind === "trino" && s.trino!.coordinator)!;
  assert.equal(coord.health.kind, "http");
  for (const s of p.services.filter((x) => x.rollingGroup !== undefined))
    assert.equal(s.health.kind, "probe", `${s.id}: a member of a rolling group proves its registration`);
});

test("HDFS superusers: the admin group is not the service group, and the engines' HDFS user is not the superuser", () => {
  // The defaults: a group of its own, apart from the group every service user is in.
  const c = loadStack("dev");
  assert.equal(c.hdfs.adminGroup, "hdfsadmin");
  assert.notEqual(c.hdfs.adminGroup, c.serviceGroup);
  expectProblem(
    (v) => (v.hdfs = { ...v.hdfs, adminGroup: "hadoop" }),
    /^hdfs\.adminGroup: "hadoop" is serviceGroup, which every engine's user is in/,
  );
  expectProblem((v) => {
    v.serviceGroup = "lake";
    v.hdfs = { ...v.hdfs, adminGroup: "lake" };
  }, /^hdfs\.adminGroup: "lake" is serviceGroup/);
  expectProblem((v) => (v.warehouse = { ...v.warehouse, owner: "hdfs" }), /^warehouse\.owner: "hdfs" is hdfs\.user, the HDFS superuser/);
  expectProblem((v) => {
    v.hdfs = { ...v.hdfs, user: "hadoopadm" };
    v.warehouse = { ...v.warehouse, owner: "hadoopadm" };
  }, /^warehouse\.owner: "hadoopadm" is hdfs\.user/);
  assert.equal(loadStack("dev", (v) => (v.hdfs = { ...v.hdfs, adminGroup: "hdfs_admins" })).hdfs.adminGroup, "hdfs_admins");
});

test("Trino worker groups: members are Trino workers in one group each; a group's query memory fits its heap", () => {
  const groups = (g: Record<string, unknown>) => (v: Record<string, any>) => (v.trino = { ...v.trino, workerGroups: g });
  expectProblem(groups({ big: { nodes: ["nope"] } }), /^trino\.workerGroups\.big\.nodes\[0\]: no node named "nope"/);
  expectProblem(
    groups({ a: { nodes: ["worker-node3"] }, b: { nodes: ["worker-node3"] } }),
    /^trino\.workerGroups\.b\.nodes\[0\]: worker-node3 is already in group a; a node belongs to one group/,
  );
  expectProblem(
    groups({ big: { nodes: ["worker-node3"], heap: "512m" } }),
    /^trino\.workerGroups\.big: its queryMaxMemoryPerNode \(1GB\) is more than its heap \(512m\)/,
  );
  expectProblem(groups({ big: { nodes: ["worker-node3"], heap: "lots" } }), /^trino\.workerGroups\.big\.heap: expected a JVM size/);
  expectProblem(groups({ Big: { nodes: ["worker-node3"] } }), /trino\.workerGroups.*expected a group name/);
  expectProblem(groups({ big: { nodes: [] } }), /^trino\.workerGroups\.big\.nodes: a group needs at least one node/);
  // A group's overrides get the checks of trino.overrides: a key the program owns is refused, naming the key.
  expectProblem(
    groups({ big: { nodes: ["worker-node3"], overrides: { "config.properties": { "http-server.http.port": 9999 } } } }),
    /^trino\.workerGroups\.big\.overrides\.config\.properties\.http-server\.http\.port: set by the program; use trino\.httpPort/,
  );
  // A group's per-node query memory above the cluster's query memory (dev: 4GB) is refused; with room, it passes.
  expectProblem(
    groups({ big: { nodes: ["worker-node3"], heap: "16g", queryMaxMemoryPerNode: "8GB" } }),
    /^trino\.workerGroups\.big\.queryMaxMemoryPerNode: 8GB is more than trino\.queryMaxMemory \(4GB\)/,
  );
  const ok = loadStack("dev", (v) => {
    groups({ big: { nodes: ["worker-node3"], heap: "16g", queryMaxMemoryPerNode: "8GB" } })(v);
    v.trino.queryMaxMemory = "16GB";
  });
  assert.deepEqual(ok.trino.workerGroups.big.nodes, ["worker-node3"]);
});

test("Spark worker and Flink TaskManager groups: members must exist, have the role, be in one group; owned keys refused", () => {
  const spark = (g: Record<string, unknown>) => (v: Record<string, any>) => (v.spark = { ...v.spark, workerGroups: g });
  const flink = (g: Record<string, unknown>) => (v: Record<string, any>) => (v.flink = { ...v.flink, taskManagerGroups: g });
  expectProblem(spark({ s: { nodes: ["nope"] } }), /^spark\.workerGroups\.s\.nodes\[0\]: no node named "nope"/);
  expectProblem(
    spark({ a: { nodes: ["worker-node3"] }, b: { nodes: ["worker-node3"] } }),
    /^spark\.workerGroups\.b\.nodes\[0\]: worker-node3 is already in group a/,
  );
  expectProblem(spark({ s: { nodes: ["worker-node3"], workerCores: 0 } }), /^spark\.workerGroups\.s\.workerCores:/);
  expectProblem(
    spark({ s: { nodes: ["worker-node3"], overrides: { "spark-defaults.conf": { "spark.authenticate": false } } } }),
    /^spark\.workerGroups\.s\.overrides\.spark-defaults\.conf\.spark\.authenticate: set by the program/,
  );
  expectProblem(flink({ w: { nodes: ["nope"] } }), /^flink\.taskManagerGroups\.w\.nodes\[0\]: no node named "nope"/);
  expectProblem(flink({ W: { nodes: ["worker-node3"] } }), /flink\.taskManagerGroups.*expected a group name/);
  expectProblem(
    flink({ w: { nodes: ["worker-node3"], overrides: { "config.yaml": { "fs.default-scheme": "file:///" } } } }),
    /^flink\.taskManagerGroups\.w\.overrides\.config\.yaml\.fs\.default-scheme: set by the program/,
  );
  const ok = loadStack("dev", spark({ s: { nodes: ["worker-node3"], workerCores: 1 } }));
  assert.equal(ok.spark.workerGroups.s.workerCores, 1);
});

test("Trino's doors: password authentication needs HTTPS; users, passwords and access rules are checked by key", () => {
  const trino = (t: Record<string, unknown>) => (v: Record<string, any>) => (v.trino = { ...v.trino, ...t });
  expectProblem(trino({ https: { enabled: false } }), /^trino\.authentication: "password" needs trino\.https\.enabled/);
  expectProblem(trino({ users: ["lakehouse-health"] }), /^trino\.users\[0\]: lakehouse-health is the program's own health-check user/);
  expectProblem(trino({ users: ["Admin:x"] }), /^trino\.users\[0\]: expected a user name/);
  expectProblem(trino({ users: [] }), /^trino\.users:/);
  expectProblem(trino({ accessRules: { catalogs: "all" } }), /^trino\.accessRules\.catalogs:/);
  expectProblem(trino({ accessRules: { tabels: [] } }), /^trino\.accessRules\.tabels: unknown key/);
  expectProblem(
    trino({ https: { port: 8080 } }),
    /port 8080 is used by both Trino HTTP \(trino\.httpPort\) and Trino HTTPS \(trino\.https\.port\)/,
  );
  expectProblem(
    trino({ overrides: { "config.properties": { "http-server.authentication.type": "NONE" } } }),
    /set by the program; use trino\.authentication/,
  );
  // The secret trinoPasswords: a JSON object of users of trino.users, each at least 12 characters; never echoed.
  const pw = (v: string) => (x: Record<string, any>) => (x.trinoPasswords = v);
  const secret = ["sshPrivateKey", "trinoPasswords"];
  const ps = (patch: (v: Record<string, any>) => void) => problems(patch, secret);
  assert.ok(ps(pw("not json")).some((p) => /^trinoPasswords: expected a JSON object/.test(p)));
  assert.ok(ps(pw('{"admin":"short"}')).some((p) => /^trinoPasswords\.admin: must be a string of at least 12 characters/.test(p)));
  assert.ok(ps(pw('{"bob":"long enough password"}')).some((p) => /^trinoPasswords\.bob: no such user in trino\.users \(admin\)/.test(p)));
  assert.ok(!ps(pw('{"admin":"short"}')).some((p) => p.includes("short")), "the value is never in a message");
  const ok = loadStack("dev", trino({ authentication: "none", https: { enabled: false } }));
  assert.equal(ok.trino.authentication, "none");
  const c = loadStack("dev");
  assert.deepEqual([c.trino.https, c.trino.authentication, c.trino.users], [{ enabled: true, port: 8443 }, "password", ["admin"]]);
});

test("a group's node without the group's role is refused, for each kind of role group", () => {
  // Every dev node carries every worker role, so each case takes the role off worker-node3 first: the
  // assertion always runs, whatever the stack file holds.
  const cases: Array<[string, string, string, string]> = [
    ["trino", "workerGroups", "trino-worker", "trino.workerGroups"],
    ["spark", "workerGroups", "spark-worker", "spark.workerGroups"],
    ["flink", "taskManagerGroups", "flink-taskmanager", "flink.taskManagerGroups"],
  ];
  for (const [section, groupsKey, role, at] of cases) {
    const withGroup = (v: Record<string, any>) => (v[section] = { ...v[section], [groupsKey]: { g: { nodes: ["worker-node3"] } } });
    const ps = problems((v) => {
      const node = v.nodes.find((n: any) => n.name === "worker-node3");
      assert.ok(node.roles.includes(role), `dev's worker-node3 has ${role} before the patch`);
      node.roles = node.roles.filter((r: string) => r !== role);
      withGroup(v);
    });
    const want = `${at}.g.nodes[0]: worker-node3 has no role ${role}`;
    assert.ok(
      ps.some((p) => p === want),
      `no problem "${want}"; got:\n${ps.join("\n")}`,
    );
    // With the role, the same group validates.
    assert.deepEqual((loadStack("dev", withGroup) as any)[section][groupsKey].g.nodes, ["worker-node3"]);
  }
});

test("a service's directory that is a system directory, or holds one the program manages, is refused by key", () => {
  const sys = (key: string, value: string, example: string) =>
    new RegExp(
      `^${key.replace(/[.[\]]/g, "\\$&")}: ${value} is a system directory; host preparation would re-own and re-mode it \\(give the service a directory of its own, such as ${example}\\)$`,
    );
  expectProblem((v) => (v.spark = { ...v.spark, workDir: "/usr" }), sys("spark.workDir", "/usr", "/var/lib/spark/work"));
  expectProblem((v) => (v.hdfs.nameDirs = ["/etc"]), sys("hdfs.nameDirs[0]", "/etc", "/var/lib/hadoop-hdfs/name"));
  expectProblem((v) => (v.hdfs.dataDirs = ["/data/1/dn", "/tmp/"]), sys("hdfs.dataDirs[1]", "/tmp/", "/var/lib/hadoop-hdfs/data"));
  expectProblem(
    (v) => (v.trino = { ...v.trino, dataDir: "//" }),
    /^trino\.dataDir: must not be \/ \(the root is a system directory; host preparation would re-own and re-mode it \(give the service a directory of its own, such as \/var\/lib\/trino\/data\)\)$/,
  );
  expectProblem((v) => (v.kerberos = { databaseDir: "/root" }), sys("kerberos.databaseDir", "/root", "/var/lib/krb5kdc"));
  for (const d of [
    "/var",
    "/bin",
    "/sbin",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/boot",
    "/home",
    "/proc",
    "/sys",
    "/dev",
    "/run",
    "/opt",
  ])
    expectProblem((v) => (v.hdfs.dataDirs = [d]), sys("hdfs.dataDirs[0]", d, "/var/lib/hadoop-hdfs/data"));
  // Holding (or being) a directory the program manages on the hosts.
  expectProblem(
    (v) => (v.hdfs.dataDirs = ["/var/lib"]),
    /^hdfs\.dataDirs\[0\]: \/var\/lib holds \/var\/lib\/lakehouse-iac, the program's state on every node, which the program manages; host preparation would re-own/,
  );
  expectProblem((v) => (v.trino = { ...v.trino, dataDir: "/etc/hadoop" }), /^trino\.dataDir: \/etc\/hadoop holds \/etc\/hadoop\/conf/);
  expectProblem(
    (v) => (v.spark = { ...v.spark, workDir: "/var/log/lakehouse/" }),
    /^spark\.workDir: \/var\/log\/lakehouse\/ is \/var\/log\/lakehouse, the services' logs, which the program manages/,
  );
  expectProblem(
    (v) => (v.hdfs.nameDirs = ["/opt/trino/"]),
    /^hdfs\.nameDirs\[0\]: \/opt\/trino\/ is \/opt\/trino, the trino release, which the program manages/,
  );
  expectProblem((v) => (v.hdfs.nameDirs = ["/etc/lakehouse"]), /^hdfs\.nameDirs\[0\]: \/etc\/lakehouse holds \/etc\/lakehouse\/tls/);
  expectProblem((v) => (v.spark = { ...v.spark, workDir: "/usr/lib/jvm" }), /^spark\.workDir: \/usr\/lib\/jvm holds .*JDK 17's home/);
  // The keytab dir, with Kerberos on: itself never a system dir, and no service dir may hold it.
  const kerberos = (k: Record<string, unknown>) => (v: Record<string, any>) => {
    v.kerberos = { enabled: true, ...k };
    v.nodes[0].roles.push("kdc");
  };
  expectProblem(kerberos({ keytabDir: "/etc/" }), /^kerberos\.keytabDir: \/etc\/ is a system directory/);
  expectProblem(
    (v) => (kerberos({ keytabDir: "/srv/keytabs" })(v), (v.trino = { ...v.trino, dataDir: "/srv" })),
    /^trino\.dataDir: \/srv holds \/srv\/keytabs, the services' keytabs/,
  );
  // Every problem at once.
  const ps = problems((v) => ((v.hdfs.nameDirs = ["/etc"]), (v.spark = { ...v.spark, workDir: "/var/lib" })));
  assert.ok(ps.some((p) => p.startsWith("hdfs.nameDirs[0]: ")) && ps.some((p) => p.startsWith("spark.workDir: ")), ps.join("\n"));
  // A directory inside a system directory, or beside a managed one, stays fine.
  const ok = loadStack("dev", (v) => {
    v.hdfs.nameDirs = ["/var/lib/hadoop/name"];
    v.hdfs.dataDirs = ["/data/hdfs", "/opt/data/hdfs"];
    v.trino = { ...v.trino, dataDir: "/var/lib/lakehouse/trino" }; // not /var/lib/lakehouse-iac
    v.spark = { ...v.spark, workDir: "/srv/spark" };
  });
  assert.deepEqual(ok.hdfs.dataDirs, ["/data/hdfs", "/opt/data/hdfs"]);
});

test("a node's host must be one machine's routable address", () => {
  const cases: Array<[string, RegExp]> = [
    ["0.0.0.0", /unspecified address/],
    ["0.1.2.3", /"this network"/],
    ["127.0.0.1", /loopback address .*reaches the machine that runs Pulumi, not a cluster node/],
    ["127.8.9.10", /loopback address/],
    ["169.254.10.20", /link-local address/],
    ["224.0.0.1", /multicast address/],
    ["239.255.255.250", /multicast address/],
    ["255.255.255.255", /broadcast address/],
    ["240.0.0.1", /reserved range 240\.0\.0\.0\/4/],
    ["250.1.1.1", /reserved range/],
  ];
  for (const [host, why] of cases) {
    const ps = problems((v) => (v.nodes[1].host = host));
    assert.ok(
      ps.some((p) => p.startsWith("nodes[1].host: ") && why.test(p)),
      `${host}: got\n${ps.join("\n")}`,
    );
  }
  // Private, public and the edges next to the refused ranges stay fine.
  for (const host of ["10.77.0.11", "1.2.3.4", "126.255.255.254", "128.0.0.1", "169.253.1.1", "223.255.255.254"])
    assert.equal(loadStack("dev", (v) => (v.nodes[1].host = host)).nodes[1].host, host);
});

test("zero sizes are refused by key, wherever a size is taken", () => {
  const zero = (key: string, value: string) => new RegExp(`^${key.replace(/[.[\]]/g, "\\$&")}: ${value} is zero; give a size such as `);
  const cases: Array<[string, string, (v: Record<string, any>) => void]> = [
    ["trino.queryMaxMemoryPerNode", "0GB", (v) => (v.trino.queryMaxMemoryPerNode = "0GB")],
    ["trino.queryMaxMemory", "0MB", (v) => (v.trino.queryMaxMemory = "0MB")],
    ["trino.heap", "0g", (v) => (v.trino.heap = "0g")],
    ["hdfs.nameNodeHeap", "0m", (v) => (v.hdfs.nameNodeHeap = "0m")],
    ["hdfs.dataNodeHeap", "00g", (v) => (v.hdfs.dataNodeHeap = "00g")],
    ["metastore.heap", "0m", (v) => (v.metastore.heap = "0m")],
    ["spark.workerMemory", "0g", (v) => (v.spark.workerMemory = "0g")],
    ["spark.daemonHeap", "0m", (v) => (v.spark.daemonHeap = "0m")],
    ["flink.jobManagerMemory", "0m", (v) => (v.flink.jobManagerMemory = "0m")],
    ["flink.taskManagerMemory", "0m", (v) => (v.flink.taskManagerMemory = "0m")],
    ["trino.workerGroups.big.heap", "0m", (v) => (v.trino.workerGroups = { big: { nodes: ["worker-node3"], heap: "0m" } })],
    [
      "trino.workerGroups.big.queryMaxMemoryPerNode",
      "0GB",
      (v) => (v.trino.workerGroups = { big: { nodes: ["worker-node3"], queryMaxMemoryPerNode: "0GB" } }),
    ],
    ["spark.workerGroups.s.workerMemory", "0g", (v) => (v.spark.workerGroups = { s: { nodes: ["worker-node3"], workerMemory: "0g" } })],
    [
      "flink.taskManagerGroups.w.taskManagerMemory",
      "0m",
      (v) => (v.flink.taskManagerGroups = { w: { nodes: ["worker-node3"], taskManagerMemory: "0m" } }),
    ],
  ];
  for (const [key, value, patch] of cases)
    expectProblem(
      (v) => {
        v.metastore ??= {};
        patch(v);
      },
      zero(key, value),
    );
});

test("Trino's cluster query memory is at least its per-node query memory, the group's too", () => {
  const trino = (t: Record<string, unknown>) => (v: Record<string, any>) => (v.trino = { ...v.trino, ...t });
  expectProblem(
    trino({ queryMaxMemory: "512MB" }),
    /^trino\.queryMaxMemoryPerNode: 1GB is more than trino\.queryMaxMemory \(512MB\), what a query may take in the whole cluster; lower trino\.queryMaxMemoryPerNode or raise trino\.queryMaxMemory$/,
  );
  // An override of query.max-memory is the value Trino reads: it is the one checked, under its own key.
  expectProblem(
    trino({ overrides: { "config.properties": { "query.max-memory": "512MB" } } }),
    /^trino\.queryMaxMemoryPerNode: 1GB is more than trino\.overrides\.config\.properties\.query\.max-memory \(512MB\)/,
  );
  expectProblem(
    trino({ workerGroups: { big: { nodes: ["worker-node3"], heap: "8g", queryMaxMemoryPerNode: "6GB" } } }),
    /^trino\.workerGroups\.big\.queryMaxMemoryPerNode: 6GB is more than trino\.queryMaxMemory \(4GB\)/,
  );
  // Equal is fine.
  assert.equal(loadStack("dev", trino({ queryMaxMemory: "1GB" })).trino.queryMaxMemory, "1GB");
  assert.equal(loadStack("dev", trino({ queryMaxMemory: "1024MB" })).trino.queryMaxMemory, "1024MB");
});

test("memories below what the service starts with are refused, naming the key and the minimum", () => {
  const set = (section: string, k: Record<string, unknown>) => (v: Record<string, any>) => (v[section] = { ...v[section], ...k });
  expectProblem(
    set("flink", { taskManagerMemory: "1m" }),
    /^flink\.taskManagerMemory: 1m is below the minimum of 1g \(a Flink 1\.20 TaskManager/,
  );
  expectProblem(set("flink", { taskManagerMemory: "1023m" }), /^flink\.taskManagerMemory: 1023m is below the minimum of 1g/);
  expectProblem(
    set("flink", { jobManagerMemory: "512m" }),
    /^flink\.jobManagerMemory: 512m is below the minimum of 704m \(a Flink 1\.20 JobManager/,
  );
  expectProblem(
    set("flink", { taskManagerGroups: { w: { nodes: ["worker-node3"], taskManagerMemory: "768m" } } }),
    /^flink\.taskManagerGroups\.w\.taskManagerMemory: 768m is below the minimum of 1g/,
  );
  expectProblem(
    set("spark", { workerMemory: "512m" }),
    /^spark\.workerMemory: 512m is below the minimum of 1g \(one executor takes spark\.executor\.memory's default, 1g; the master places no executor on a worker offering less\)/,
  );
  expectProblem(
    set("spark", { workerGroups: { s: { nodes: ["worker-node3"], workerMemory: "768m" } } }),
    /^spark\.workerGroups\.s\.workerMemory: 768m is below the minimum of 1g/,
  );
  // An executor made smaller by an override lowers the bound; a bigger one raises it.
  assert.equal(
    loadStack("dev", set("spark", { workerMemory: "512m", overrides: { "spark-defaults.conf": { "spark.executor.memory": "512m" } } }))
      .spark.workerMemory,
    "512m",
  );
  expectProblem(
    set("spark", { overrides: { "spark-defaults.conf": { "spark.executor.memory": 6144 } } }),
    /^spark\.workerMemory: 4g is below the minimum of 6g \(one executor takes spark\.executor\.memory as overridden, 6144/,
  );
  expectProblem(set("spark", { daemonHeap: "64m" }), /^spark\.daemonHeap: 64m is below the minimum of 128m/);
  expectProblem(set("hdfs", { nameNodeHeap: "64m" }), /^hdfs\.nameNodeHeap: 64m is below the minimum of 128m/);
  expectProblem(set("hdfs", { dataNodeHeap: "127m" }), /^hdfs\.dataNodeHeap: 127m is below the minimum of 128m/);
  expectProblem(set("metastore", { heap: "100m" }), /^metastore\.heap: 100m is below the minimum of 128m/);
  expectProblem(
    set("trino", { heap: "768m", queryMaxMemoryPerNode: "256MB" }),
    /^trino\.heap: 768m is below the minimum of 1g \(Trino's heap/,
  );
  expectProblem(
    set("trino", { workerGroups: { big: { nodes: ["worker-node3"], heap: "512m", queryMaxMemoryPerNode: "256MB" } } }),
    /^trino\.workerGroups\.big\.heap: 512m is below the minimum of 1g/,
  );
  // The lab's sizes (lab/config.ts labServicesConfig), the smallest this project runs, are at or above each minimum.
  const lab = loadStack("dev", (v) => {
    v.hdfs = { ...v.hdfs, nameNodeHeap: "512m", dataNodeHeap: "384m" };
    v.metastore = { ...v.metastore, heap: "512m" };
    v.trino = { ...v.trino, heap: "1536m", queryMaxMemory: "1GB", queryMaxMemoryPerNode: "512MB" };
    v.trino.workerGroups = { big: { nodes: ["worker-node3"], heap: "1792m" } };
    v.spark = { ...v.spark, workerMemory: "1g", daemonHeap: "256m" };
    v.flink = { ...v.flink, jobManagerMemory: "1024m", taskManagerMemory: "1024m" };
  });
  assert.equal(lab.flink.taskManagerMemory, "1024m");
  assert.equal(loadStack("dev", set("flink", { jobManagerMemory: "704m" })).flink.jobManagerMemory, "704m");
});

test("override values with XML markup or shell command substitution are refused, naming the full key", () => {
  const xml = (v: string) => (x: Record<string, any>) => (x.hdfs.overrides = { "hdfs-site.xml": { "dfs.foo": v } });
  for (const v of ["<property>", "</value><name>x", "<!-- c -->", "<?xml", "<![CDATA[x", "a]]>b"])
    expectProblem(xml(v), /^hdfs\.overrides\.hdfs-site\.xml\.dfs\.foo: contains XML markup; overrides take plain values$/);
  expectProblem(
    (v) => (v.metastore = { ...v.metastore, overrides: { "hive-site.xml": { "hive.x": "<b>" } } }),
    /^metastore\.overrides\.hive-site\.xml\.hive\.x: contains XML markup/,
  );
  const sub = /contains shell command substitution \(\$\( or a backtick\); overrides take plain values$/;
  expectProblem(
    (v) => (v.spark = { ...v.spark, overrides: { "spark-defaults.conf": { "spark.x": "$(id)" } } }),
    new RegExp(`^spark\\.overrides\\.spark-defaults\\.conf\\.spark\\.x: ${sub.source}`),
  );
  expectProblem(
    (v) => (v.flink = { ...v.flink, overrides: { "config.yaml": { "env.java.opts.all": "-Dx=`id`" } } }),
    new RegExp(`^flink\\.overrides\\.config\\.yaml\\.env\\.java\\.opts\\.all: ${sub.source}`),
  );
  // Role groups' overrides get the same checks.
  expectProblem(
    (v) =>
      (v.trino = {
        ...v.trino,
        workerGroups: { big: { nodes: ["worker-node3"], overrides: { "config.properties": { "a.b": "$(reboot)" } } } },
      }),
    new RegExp(`^trino\\.workerGroups\\.big\\.overrides\\.config\\.properties\\.a\\.b: ${sub.source}`),
  );
  expectProblem(
    (v) =>
      (v.spark = {
        ...v.spark,
        workerGroups: { s: { nodes: ["worker-node3"], overrides: { "spark-defaults.conf": { "spark.y": "</x>" } } } },
      }),
    /^spark\.workerGroups\.s\.overrides\.spark-defaults\.conf\.spark\.y: contains XML markup/,
  );
  expectProblem(
    (v) =>
      (v.flink = { ...v.flink, taskManagerGroups: { w: { nodes: ["worker-node3"], overrides: { "config.yaml": { "k.z": "`id`" } } } } }),
    new RegExp(`^flink\\.taskManagerGroups\\.w\\.overrides\\.config\\.yaml\\.k\\.z: ${sub.source}`),
  );
  // Hadoop's own ${name} expansion, a lone '<', '$' and comparison operators stay plain values.
  const ok = loadStack("dev", (v) => {
    v.hdfs.overrides = {
      "hdfs-site.xml": { "dfs.namenode.checkpoint.dir": "${hadoop.tmp.dir}/dfs/namesecondary", "dfs.x": "a < b, c <= d, $HOME" },
    };
  });
  assert.equal(ok.hdfs.overrides["hdfs-site.xml"]?.["dfs.namenode.checkpoint.dir"], "${hadoop.tmp.dir}/dfs/namesecondary");
});

test("a port collision names both keys: with SSH (stack-wide or a node's own) too", () => {
  expectProblem((v) => {
    v.ssh = { ...v.ssh, port: 2222 };
    v.trino = { ...v.trino, httpPort: 2222 };
  }, /^trino\.httpPort: 2222 is SSH's port \(ssh\.port\): sshd listens on it on every node; choose another port$/);
  expectProblem((v) => (v.metastore = { ...v.metastore, port: 22 }), /^metastore\.port: 22 is SSH's port \(ssh\.port\)/);
  expectProblem((v) => {
    v.ssh = { ...v.ssh, port: 2222 };
    v.metastore = { ...v.metastore, port: 22 };
  }, /^metastore\.port: 22 is SSH's port \(its standard one/);
  // A node's own SSH port: sshd listens there on that node only.
  expectProblem(
    (v) => (v.nodes[1].ssh = { port: 8080 }),
    /^nodes\[1\] \(cpu-node2\): port 8080 is used by both SSH \(nodes\[1\]\.ssh\.port\) and Trino HTTP \(trino\.httpPort\); change one of them$/,
  );
  assert.equal(loadStack("dev", (v) => (v.nodes[1].ssh = { port: 2222 })).nodes[1].ssh?.port, 2222);
  // Two ports of one service on the same value: both keys.
  expectProblem(
    (v) => (v.hdfs = { ...v.hdfs, dataNodeHttpPort: 9867 }),
    /^nodes\[0\] \(cpu-node1\): port 9867 is used by both DataNode web UI \(hdfs\.dataNodeHttpPort\) and DataNode IPC \(hdfs\.dataNodeIpcPort\)/,
  );
  expectProblem(
    (v) => (v.spark = { ...v.spark, masterUiPort: 7077 }),
    /port 7077 is used by both Spark master RPC \(spark\.masterPort\) and Spark master web UI \(spark\.masterUiPort\)/,
  );
});

test("no secret value survives validation: the returned config, and the plan built from it, hold none", () => {
  const marker = (k: string) => `SECRET-${k}-c0ffee${"x".repeat(40)}`;
  const crt = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";
  const values: Record<string, string> = {
    sshPrivateKey: marker("sshPrivateKey"),
    sshPrivateKeyPassword: marker("sshPrivateKeyPassword"),
    postgresPassword: marker("postgresPassword"),
    trinoSharedSecret: marker("trinoSharedSecret"),
    sparkAuthSecret: marker("sparkAuthSecret"),
    trinoPasswords: JSON.stringify({ admin: marker("trinoPasswords") }),
    kerberosMasterPassword: marker("kerberosMasterPassword"),
    kerberosAdminPassword: marker("kerberosAdminPassword"),
    tlsCaKey: `-----BEGIN PRIVATE KEY-----\n${marker("tlsCaKey")}\n-----END PRIVATE KEY-----\n`,
  };
  // Every secret key has a value here: a key added to SECRET_KEYS without one fails this test.
  assert.deepEqual(Object.keys(values).sort(), [...SECRET_KEYS].sort());
  const c = loadStack(
    "dev",
    (v) => {
      Object.assign(v, values);
      v.tls = { caCertificate: crt };
    },
    [...SECRET_KEYS],
  );
  assert.ok(Object.values(c.secretsGiven).every(Boolean), JSON.stringify(c.secretsGiven));
  const leaks: string[] = [];
  const walk = (x: unknown, at: string, seen: Set<unknown>): void => {
    if (typeof x === "string") {
      for (const k of SECRET_KEYS) if (x.includes(marker(k)) || x === values[k]) leaks.push(`${at} holds ${k}`);
      return;
    }
    if (typeof x !== "object" || x === null || seen.has(x)) return;
    seen.add(x);
    for (const [k, v] of Object.entries(x)) {
      walk(k, `${at} (a key)`, seen);
      walk(v, `${at}.${k}`, seen);
    }
  };
  for (const k of SECRET_KEYS) assert.ok(!(k in c), `${k} is in the returned config`);
  walk(c, "config", new Set());
  walk(buildPlan(c), "plan", new Set());
  assert.deepEqual(leaks, []);
});
