/** Config validation: each rule has a failing case whose message names the key path. And the plan's shape. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ConfigError, validateConfig } from "../lib/config";
import { compareVersions, javaRange } from "../lib/compat";
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
  // cpu-node1 is the coordinator without the worker role in dev.
  const dev = loadStack("dev");
  const coordinatorOnly = dev.nodes.find((n) => n.roles.includes("trino-coordinator") && !n.roles.includes("trino-worker"));
  if (coordinatorOnly)
    expectProblem(
      groups({ big: { nodes: [coordinatorOnly.name] } }),
      new RegExp(`^trino\\.workerGroups\\.big\\.nodes\\[0\\]: ${coordinatorOnly.name} has no role trino-worker`),
    );
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
  const ok = loadStack("dev", groups({ big: { nodes: ["worker-node3"], heap: "16g", queryMaxMemoryPerNode: "8GB" } }));
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
  // A node without the role: take one from the stack that lacks spark-worker, if the dev stack has one.
  const dev = loadStack("dev");
  const noWorker = dev.nodes.find((n) => !n.roles.includes("spark-worker"));
  if (noWorker) expectProblem(spark({ s: { nodes: [noWorker.name] } }), new RegExp(`${noWorker.name} has no role spark-worker`));
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
